// parc.v1.DashboardService: the managers' and advisors' counts. Thin: scope,
// validate, one read snapshot, the arithmetic in domain/dashboard.h.
#pragma once

#include <vector>

#include "daemon/dashboard/fleet_index.h"
#include "daemon/domain/skill_tiers.h"
#include "daemon/service/gate.h"
#include "parc/v1/dashboard.grpc.pb.h"

namespace parc::service {

class DashboardService final : public v1::DashboardService::CallbackService {
 public:
  // `skill_tiers` as ParseSkillTiers returns them (the funnel's tier names);
  // empty: the defaults.
  // `index` (borrowed; may be null: every read is then SQL) answers the
  // grouped counts from memory.
  explicit DashboardService(Gate& gate, std::vector<domain::TierSpec> skill_tiers = {},
                            dashboard::FleetIndex* index = nullptr);

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* AllocationSummary(Ctx*, const v1::DashboardRequest*,
                             v1::AllocationSummaryResponse*) override;
  Reactor* Coverage(Ctx*, const v1::DashboardRequest*, v1::CoverageResponse*) override;
  Reactor* StaleDevices(Ctx*, const v1::StaleDevicesRequest*, v1::StaleDevicesResponse*) override;
  Reactor* FleetHealth(Ctx*, const v1::DashboardRequest*, v1::FleetHealthResponse*) override;
  Reactor* TrainingFunnel(Ctx*, const v1::DashboardRequest*, v1::TrainingFunnelResponse*) override;
  Reactor* OverdueLoans(Ctx*, const v1::OverdueLoansRequest*, v1::OverdueLoansResponse*) override;

 private:
  // Runs `fn` in one read snapshot with the dashboard reads: the index's
  // (current as of every committed write) when there is one, else SQL.
  Status ReadDashboard(const std::function<Status(store::DashboardReader&)>& fn);

  Gate& gate_;
  const std::vector<domain::TierSpec> skill_tiers_;
  dashboard::FleetIndex* index_;
};

}  // namespace parc::service
