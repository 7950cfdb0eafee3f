// parc.v1.DashboardService: the managers' and advisors' counts. Thin: scope,
// validate, one read snapshot, the arithmetic in domain/dashboard.h.
#pragma once

#include <vector>

#include "daemon/domain/skill_tiers.h"
#include "daemon/service/gate.h"
#include "parc/v1/dashboard.grpc.pb.h"

namespace parc::service {

class DashboardService final : public v1::DashboardService::CallbackService {
 public:
  // `skill_tiers` as ParseSkillTiers returns them (the funnel's tier names);
  // empty: the defaults.
  explicit DashboardService(Gate& gate, std::vector<domain::TierSpec> skill_tiers = {});

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
  Gate& gate_;
  const std::vector<domain::TierSpec> skill_tiers_;
};

}  // namespace parc::service
