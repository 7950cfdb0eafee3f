// TrainingService, skill assessments: Pix imports, assessments, tiers.
#include "daemon/service/training_service.h"

namespace parc::service {

namespace {
Status NotYet() {
  return Fail(ErrorCode::kUnimplemented, "skill assessments are not available yet");
}
}  // namespace

using Reactor = grpc::ServerUnaryReactor;
using Ctx = grpc::CallbackServerContext;

Reactor* TrainingService::ImportSkillAssessments(Ctx* ctx, const v1::ImportSkillAssessmentsRequest*,
                                                 v1::ImportSkillAssessmentsResponse*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/ImportSkillAssessments",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::ListSkillAssessments(Ctx* ctx, const v1::ListSkillAssessmentsRequest*,
                                               v1::ListSkillAssessmentsResponse*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/ListSkillAssessments",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::ListSkillTiers(Ctx* ctx, const v1::ListSkillTiersRequest*,
                                         v1::ListSkillTiersResponse*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/ListSkillTiers",
                     [](const domain::Call&) { return NotYet(); });
}

}  // namespace parc::service
