#include "daemon/service/dashboard_service.h"

#include <utility>

#include "common/time.h"
#include "daemon/domain/dashboard.h"
#include "daemon/domain/records.h"

namespace parc::service {

namespace {
constexpr std::string_view kService = "/parc.v1.DashboardService/";

std::string Method(std::string_view name) { return std::string(kService) + std::string(name); }

Expected<store::DashboardScope> ScopeOf(const domain::Call& call, const std::string& department,
                                        const std::string& site) {
  return domain::DashboardScopeFor(call.who, domain::NormalizeCode(department),
                                   domain::NormalizeCode(site));
}

std::string Trimmed(std::string_view text) {
  const auto* space = " \t\r\n";
  size_t first = text.find_first_not_of(space);
  if (first == text.npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(space) - first + 1));
}

// The scope with the optional kind, wave and advisor filters of `req`.
template <typename Request>
Expected<store::DashboardScope> ScopeOf(const domain::Call& call, const Request& req) {
  PARC_ASSIGN_OR_RETURN(auto scope, ScopeOf(call, req.department(), req.site()));
  if (!v1::DeviceKind_IsValid(req.kind())) return InvalidArgument("kind", "unknown device kind");
  scope.kind = req.kind();
  if constexpr (requires { req.wave(); }) {
    scope.wave = Trimmed(req.wave());
    scope.advisor = Trimmed(req.advisor());
  }
  return scope;
}
}  // namespace

using Reactor = grpc::ServerUnaryReactor;
using Ctx = grpc::CallbackServerContext;

DashboardService::DashboardService(Gate& gate, std::vector<domain::TierSpec> skill_tiers,
                                   dashboard::FleetIndex* index)
    : gate_(gate),
      skill_tiers_(skill_tiers.empty() ? *domain::ParseSkillTiers(domain::kDefaultSkillTiers)
                                       : std::move(skill_tiers)),
      index_(index) {}

Status DashboardService::ReadDashboard(const std::function<Status(store::DashboardReader&)>& fn) {
  if (index_ == nullptr) {
    return gate_.store().Read([&](store::Reader& r) { return fn(r.dashboard()); });
  }
  // Before the snapshot: a refresh reads the store itself.
  PARC_ASSIGN_OR_RETURN(auto index, index_->Current());
  return gate_.store().Read([&](store::Reader& r) {
    auto reader = index_->Reader(index, r.dashboard());
    return fn(*reader);
  });
}

Reactor* DashboardService::AllocationSummary(Ctx* ctx, const v1::DashboardRequest* req,
                                             v1::AllocationSummaryResponse* resp) {
  return gate_.Unary(ctx, Method("AllocationSummary"), *req,
                     [&](const domain::Call& call) -> Status {
                       PARC_ASSIGN_OR_RETURN(auto scope, ScopeOf(call, *req));
                       return ReadDashboard([&](store::DashboardReader& dash) -> Status {
                         PARC_ASSIGN_OR_RETURN(auto rows, dash.CountDevices(scope));
                         *resp = domain::SummarizeAllocations(rows);
                         return Ok();
                       });
                     });
}

Reactor* DashboardService::Coverage(Ctx* ctx, const v1::DashboardRequest* req,
                                    v1::CoverageResponse* resp) {
  return gate_.Unary(ctx, Method("Coverage"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(auto scope, ScopeOf(call, *req));
    return ReadDashboard([&](store::DashboardReader& dash) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, dash.CountTargetedAgents(scope));
      *resp = domain::SummarizeCoverage(rows);
      return Ok();
    });
  });
}

Reactor* DashboardService::StaleDevices(Ctx* ctx, const v1::StaleDevicesRequest* req,
                                        v1::StaleDevicesResponse* resp) {
  return gate_.Unary(ctx, Method("StaleDevices"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(int days, domain::StaleDays(req->days()));
    PARC_ASSIGN_OR_RETURN(int limit, domain::ListLimit(req->limit(), "limit"));
    PARC_ASSIGN_OR_RETURN(auto scope, ScopeOf(call, *req));
    const int64_t before_ms = call.now_ms - int64_t{days} * 24 * 3600 * 1000;
    return ReadDashboard([&](store::DashboardReader& dash) -> Status {
      PARC_ASSIGN_OR_RETURN(auto groups, dash.CountStale(scope, before_ms));
      PARC_ASSIGN_OR_RETURN(auto devices, dash.ListStale(scope, before_ms, limit));
      resp->set_days(days);
      for (auto& d : devices) *resp->add_devices() = std::move(d);
      domain::SummarizeStale(groups, call.now_ms, *resp);
      return Ok();
    });
  });
}

Reactor* DashboardService::FleetHealth(Ctx* ctx, const v1::DashboardRequest* req,
                                       v1::FleetHealthResponse* resp) {
  return gate_.Unary(ctx, Method("FleetHealth"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(auto scope, ScopeOf(call, *req));
    const store::HealthThresholds limits{
        .battery_below = domain::kLowBatteryPercent,
        .storage_free_percent_below = domain::kLowStorageFreePercent};
    return ReadDashboard([&](store::DashboardReader& dash) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, dash.CountHealth(scope, limits));
      PARC_ASSIGN_OR_RETURN(auto fleet, dash.CountVersions());
      PARC_ASSIGN_OR_RETURN(auto foreign, dash.CountForeignUse(scope));
      PARC_ASSIGN_OR_RETURN(auto listed, dash.ListForeignUse(scope, domain::kForeignUseListed));
      *resp = domain::SummarizeHealth(rows, fleet, foreign);
      for (auto& f : listed) *resp->add_used_by_someone_else() = std::move(f);
      return Ok();
    });
  });
}

Reactor* DashboardService::TrainingFunnel(Ctx* ctx, const v1::DashboardRequest* req,
                                          v1::TrainingFunnelResponse* resp) {
  return gate_.Unary(ctx, Method("TrainingFunnel"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(auto scope, ScopeOf(call, *req));
    return ReadDashboard([&](store::DashboardReader& dash) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, dash.CountFunnel(scope));
      *resp = domain::SummarizeFunnel(rows, skill_tiers_);
      return Ok();
    });
  });
}

Reactor* DashboardService::OverdueLoans(Ctx* ctx, const v1::OverdueLoansRequest* req,
                                        v1::OverdueLoansResponse* resp) {
  return gate_.Unary(ctx, Method("OverdueLoans"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(int limit, domain::ListLimit(req->limit(), "limit"));
    PARC_ASSIGN_OR_RETURN(auto scope, ScopeOf(call, *req));
    const std::string today = FormatDate(call.now_ms);
    return ReadDashboard([&](store::DashboardReader& dash) -> Status {
      PARC_ASSIGN_OR_RETURN(auto counts, dash.CountOverdueLoans(scope, today));
      PARC_ASSIGN_OR_RETURN(auto loans, dash.ListOverdueLoans(scope, today, limit));
      for (auto& l : loans) *resp->add_loans() = std::move(l);
      domain::SummarizeOverdue(counts, call.now_ms, *resp);
      return Ok();
    });
  });
}

}  // namespace parc::service
