// Every gRPC service parcd serves, wired to one store. The services are thin:
// authenticate, authorize (daemon/service/permissions.h), validate, call the
// domain, map the error to a grpc::Status. Owns the check-in pipeline
// (daemon/checkin/pipeline.h), whose writer thread answers CheckIn calls.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "daemon/checkin/pipeline.h"
#include "daemon/domain/skill_tiers.h"
#include "daemon/store/store.h"

namespace grpc {
class ServerBuilder;
}

namespace parc::service {

class Services {
 public:
  struct Options {
    std::string backup_dir;                  // where AdminService.Backup writes
    int32_t checkin_interval_seconds = 300;  // told to devices
    checkin::PipelineOptions pipeline;
    std::vector<domain::TierSpec> skill_tiers;  // empty: domain::kDefaultSkillTiers
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parc::service
