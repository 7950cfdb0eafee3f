#include "daemon/service/services.h"

#include <grpcpp/grpcpp.h>

#include "daemon/content/assigned_content.h"
#include "daemon/dashboard/fleet_index.h"
#include "daemon/domain/dashboard.h"
#include "daemon/domain/receipts.h"
#include "daemon/service/admin_service.h"
#include "daemon/service/allocation_service.h"
#include "daemon/service/call_deadlines.h"
#include "daemon/service/credential_cache.h"
#include "daemon/service/dashboard_service.h"
#include "daemon/service/device_service.h"
#include "daemon/service/gate.h"
#include "daemon/service/inventory_service.h"
#include "daemon/service/training_service.h"
#include "daemon/store/observed_store.h"

namespace parc::service {

struct Services::Impl {
  Impl(store::Store& store, const Clock& clock, const Options& options)
      : assigned(store, clock, {.usage_window_ms = options.content_usage_window_ms}),
        fleet(store, {.health = {.battery_below = domain::kLowBatteryPercent,
                                 .storage_free_percent_below = domain::kLowStorageFreePercent}}),
        tracked(store, {&assigned, &fleet, &credentials}),
        files(options.content_dir, options.max_content_bytes),
        receipt_files(options.receipt_dir, domain::kMaxReceiptPdfBytes),
        deadlines(options.max_call),
        gate(tracked, clock, credentials,
             {.messages = options.message_limits, .rates = options.rate_limits}, deadlines),
        pipeline(tracked, clock, options.pipeline),
        inventory(gate, options.public_url),
        allocation(gate, receipt_files),
        admin(gate, options.backup_dir, receipt_files, options.token_default_ttl_seconds),
        device(gate, pipeline, {.checkin_interval_seconds = options.checkin_interval_seconds},
               files, assigned),
        dashboard(gate, options.skill_tiers, &fleet),
        training(gate, options.skill_tiers) {}

  // Every service and the pipeline write through `tracked`, which tells
  // `assigned` (the per-device content cache), `fleet` and `credentials` what
  // changed.
  content::AssignedContent assigned;
  ::parc::dashboard::FleetIndex fleet;  // the dashboards' grouped counts, in memory
  CredentialCache credentials;          // device credential -> device, for the Gate
  store::ObservedStore tracked;
  content::ContentFiles files;
  content::ContentFiles receipt_files;  // kept; only files no receipt names are collected
  CallDeadlines deadlines;              // outlives the calls: the server stops before Services
  Gate gate;
  checkin::Pipeline pipeline;
  InventoryService inventory;
  AllocationService allocation;
  AdminService admin;
  DeviceService device;
  DashboardService dashboard;
  TrainingService training;
};

Services::Services(store::Store& store, const Clock& clock, const Options& options)
    : impl_(std::make_unique<Impl>(store, clock, options)) {
  impl_->training.AttachContent(impl_->files);
  impl_->fleet.StartBuild();  // in the background: serving does not wait for it
}

Services::~Services() { Stop(); }

void Services::Register(grpc::ServerBuilder& builder) {
  builder.RegisterService(&impl_->inventory);
  builder.RegisterService(&impl_->allocation);
  builder.RegisterService(&impl_->admin);
  builder.RegisterService(&impl_->device);
  builder.RegisterService(&impl_->training);
  builder.RegisterService(&impl_->dashboard);
}

void Services::Stop() { impl_->pipeline.Stop(); }

content::ContentFiles& Services::content_files() { return impl_->files; }
content::ContentFiles& Services::receipt_files() { return impl_->receipt_files; }

store::Store& Services::store() { return impl_->tracked; }

dashboard::FleetIndex& Services::fleet_index() { return impl_->fleet; }

DeviceService& Services::device_service() { return impl_->device; }

checkin::PipelineCounters Services::checkin_counters() const { return impl_->pipeline.counters(); }

}  // namespace parc::service
