// Every gRPC service parcd serves, wired to one store. The services are thin:
// authenticate, authorize (daemon/service/permissions.h), validate, call the
// domain, map the error to a grpc::Status. Owns the check-in pipeline
// (daemon/checkin/pipeline.h), whose writer thread answers CheckIn calls.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/clock.h"
#include "daemon/checkin/pipeline.h"
#include "daemon/content/content_files.h"
#include "daemon/dashboard/fleet_index.h"
#include "daemon/domain/skill_tiers.h"
#include "daemon/service/message_limits.h"
#include "daemon/service/rate_limiter.h"
#include "daemon/store/store.h"

namespace grpc {
class ServerBuilder;
}

namespace parc::service {

class DeviceService;  // device_service.h

class Services {
 public:
  struct Options {
    std::string backup_dir;                  // where AdminService.Backup writes
    int32_t checkin_interval_seconds = 300;  // told to devices
    checkin::PipelineOptions pipeline;
    std::vector<domain::TierSpec> skill_tiers;  // empty: domain::kDefaultSkillTiers
    // Training content (daemon/content/): where files live, the largest
    // accepted, and how long a shared device keeps serving a past user.
    std::string content_dir;
    int64_t max_content_bytes = int64_t{2} * 1024 * 1024 * 1024;
    int64_t content_usage_window_ms = int64_t{14} * 24 * 3600 * 1000;
    // API tokens created without a lifetime expire after this (0: never).
    int64_t token_default_ttl_seconds = int64_t{90} * 24 * 3600;
    // Config::PublicUrl(): the base of enrollment URLs (CreateEnrollmentToken).
    std::string public_url = "http://127.0.0.1:8080";
    // Signed receipts' files (signature PNGs, PDFs) by SHA-256, kept apart
    // from training content (whose collector would take them); empty:
    // StoreReceipt is UNAVAILABLE.
    std::string receipt_dir;
    // Server limits (issue 18): the largest request per method, checked by
    // the Gate (message_limits.h), and how long a waiting or streaming call
    // may last without a shorter client deadline (call_deadlines.h; 0: no
    // bound).
    MessageLimits message_limits;
    std::chrono::milliseconds max_call{std::chrono::minutes(30)};
    // Failed authentications and enrollments per address and per token
    // (admission.h).
    RateLimits rate_limits;
  };

  // Borrows `store` and `clock`, which must outlive this object and the server.
  Services(store::Store& store, const Clock& clock, const Options& options);
  ~Services();  // Stop()
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  // Registers every parc.v1 service on `builder`. This object must outlive the
  // server built from it.
  void Register(grpc::ServerBuilder& builder);

  // Answers every queued check-in and stops the pipeline. Call it after the
  // server has shut down (in-flight check-ins need the pipeline to finish) and
  // before the store closes. Idempotent; later check-ins get UNAVAILABLE.
  void Stop();

  checkin::PipelineCounters checkin_counters() const;

  // The content files (for the garbage collector, content_gc.h) and the
  // store every service writes through (it keeps the content cache current).
  content::ContentFiles& content_files();
  // The signed receipts' files (for the collector of orphans and backups).
  content::ContentFiles& receipt_files();
  store::Store& store();
  // The dashboards' in-memory index (for /metrics).
  dashboard::FleetIndex& fleet_index();
  // DeviceService itself, for the learner app's check-ins over HTTP
  // (DeviceService::CheckInDirect).
  DeviceService& device_service();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parc::service
