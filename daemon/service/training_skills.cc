// TrainingService, skill assessments: Pix imports, assessments, tiers.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <utility>

#include "daemon/domain/skills.h"
#include "daemon/service/paging.h"
#include "daemon/service/training_service.h"

namespace parc::service {

namespace {
constexpr std::string_view kService = "/parc.v1.TrainingService/";
std::string Method(std::string_view name) { return std::string(kService) + std::string(name); }

std::vector<domain::TierSpec> TiersOrDefaults(std::vector<domain::TierSpec> tiers) {
  if (!tiers.empty()) return tiers;
  return *domain::ParseSkillTiers(domain::kDefaultSkillTiers);
}

std::vector<std::string> TierCodes(const std::vector<domain::TierSpec>& tiers) {
  std::vector<std::string> codes;
  for (const auto& t : tiers) codes.push_back(t.code);
  return codes;
}

bool HasTier(const std::vector<domain::TierSpec>& tiers, const std::string& code) {
  for (const auto& t : tiers) {
    if (t.code == code) return true;
  }
  return false;
}
}  // namespace

using Reactor = grpc::ServerUnaryReactor;
using Ctx = grpc::CallbackServerContext;

TrainingService::TrainingService(Gate& gate, std::vector<domain::TierSpec> skill_tiers)
    : gate_(gate), skill_tiers_(TiersOrDefaults(std::move(skill_tiers))) {}

Reactor* TrainingService::ImportSkillAssessments(Ctx* ctx,
                                                 const v1::ImportSkillAssessmentsRequest* req,
                                                 v1::ImportSkillAssessmentsResponse* resp) {
  return gate_.Unary(
      ctx, Method("ImportSkillAssessments"), *req, [&](const domain::Call& call) -> Status {
        if (req->csv().empty()) return InvalidArgument("csv", "empty file");
        PARC_ASSIGN_OR_RETURN(
            *resp, domain::ImportSkillAssessments(gate_.store(), call, skill_tiers_, *req));
        return Ok();
      });
}

Reactor* TrainingService::ListSkillAssessments(Ctx* ctx, const v1::ListSkillAssessmentsRequest* req,
                                               v1::ListSkillAssessmentsResponse* resp) {
  return gate_.Unary(
      ctx, Method("ListSkillAssessments"), *req, [&](const domain::Call& call) -> Status {
        PARC_ASSIGN_OR_RETURN(store::Page page, ParsePage(req->page_size(), req->page_token()));
        if (!req->tier().empty() && !HasTier(skill_tiers_, req->tier())) {
          return InvalidArgument("tier", fmt::format("unknown tier '{}' (tiers: {})", req->tier(),
                                                     fmt::join(TierCodes(skill_tiers_), ", ")));
        }
        PARC_ASSIGN_OR_RETURN(store::SkillFilter filter, domain::SkillFilterFor(call.who, *req));
        filter.after_id = page.after_id;
        filter.limit = page.limit;
        return gate_.store().Read([&](store::Reader& r) -> Status {
          PARC_ASSIGN_OR_RETURN(auto rows, r.skills().ListAssessments(filter));
          resp->set_next_page_token(TakePage(rows, page));
          MoveInto(rows, resp->mutable_assessments());
          return Ok();
        });
      });
}

Reactor* TrainingService::ListSkillTiers(Ctx* ctx, const v1::ListSkillTiersRequest* req,
                                         v1::ListSkillTiersResponse* resp) {
  return gate_.Unary(ctx, Method("ListSkillTiers"), *req, [&](const domain::Call&) -> Status {
    *resp = domain::TiersResponse(skill_tiers_);
    return Ok();
  });
}

}  // namespace parc::service
