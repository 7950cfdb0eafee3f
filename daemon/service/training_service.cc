// TrainingService: modules, content upload, assignments, progress.
#include "daemon/service/training_service.h"

namespace parc::service {

namespace {
Status NotYet() {
  return Fail(ErrorCode::kUnimplemented, "training modules are not available yet");
}

// A client-streaming call refused before its first message.
class RefusedUpload final : public grpc::ServerReadReactor<v1::UploadContentChunk> {
 public:
  explicit RefusedUpload(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};
}  // namespace

using Reactor = grpc::ServerUnaryReactor;
using Ctx = grpc::CallbackServerContext;

Reactor* TrainingService::CreateModule(Ctx* ctx, const v1::CreateModuleRequest*, v1::Module*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/CreateModule",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::GetModule(Ctx* ctx, const v1::GetModuleRequest*, v1::Module*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/GetModule",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::ListModules(Ctx* ctx, const v1::ListModulesRequest*,
                                      v1::ListModulesResponse*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/ListModules",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::AddModuleItems(Ctx* ctx, const v1::AddModuleItemsRequest*, v1::Module*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/AddModuleItems",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::PublishModule(Ctx* ctx, const v1::ModuleRef*, v1::Module*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/PublishModule",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::ArchiveModule(Ctx* ctx, const v1::ModuleRef*, v1::Module*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/ArchiveModule",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::AssignModule(Ctx* ctx, const v1::AssignModuleRequest*,
                                       v1::ModuleAssignment*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/AssignModule",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::ListAssignments(Ctx* ctx, const v1::ListAssignmentsRequest*,
                                          v1::ListAssignmentsResponse*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/ListAssignments",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::RemoveAssignment(Ctx* ctx, const v1::RemoveAssignmentRequest*,
                                           v1::RemoveAssignmentResponse*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/RemoveAssignment",
                     [](const domain::Call&) { return NotYet(); });
}

Reactor* TrainingService::ListProgress(Ctx* ctx, const v1::ListProgressRequest*,
                                       v1::ListProgressResponse*) {
  return gate_.Unary(ctx, "/parc.v1.TrainingService/ListProgress",
                     [](const domain::Call&) { return NotYet(); });
}

grpc::ServerReadReactor<v1::UploadContentChunk>* TrainingService::UploadContent(
    Ctx*, v1::UploadContentResponse*) {
  return new RefusedUpload(
      grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "training modules are not available yet"));
}

}  // namespace parc::service
