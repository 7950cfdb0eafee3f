// parc.v1.TrainingService: skill assessments (training_skills.cc), modules,
// content, assignments and progress (training_service.cc). Thin: validate,
// one store transaction, the rules in daemon/domain/.
#pragma once

#include <vector>

#include "daemon/content/content_files.h"
#include "daemon/domain/skill_tiers.h"
#include "daemon/service/gate.h"
#include "parc/v1/training.grpc.pb.h"

namespace parc::service {

class TrainingService final : public v1::TrainingService::CallbackService {
 public:
  // `skill_tiers` as ParseSkillTiers returns them; empty: the defaults.
  TrainingService(Gate& gate, std::vector<domain::TierSpec> skill_tiers);

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  // Skill assessments (training_skills.cc).
  Reactor* ImportSkillAssessments(Ctx*, const v1::ImportSkillAssessmentsRequest*,
                                  v1::ImportSkillAssessmentsResponse*) override;
  Reactor* ListSkillAssessments(Ctx*, const v1::ListSkillAssessmentsRequest*,
                                v1::ListSkillAssessmentsResponse*) override;
  Reactor* ListSkillTiers(Ctx*, const v1::ListSkillTiersRequest*,
                          v1::ListSkillTiersResponse*) override;

  // Modules, content, assignments, progress (training_service.cc).
  Reactor* CreateModule(Ctx*, const v1::CreateModuleRequest*, v1::Module*) override;
  Reactor* GetModule(Ctx*, const v1::GetModuleRequest*, v1::Module*) override;
  Reactor* ListModules(Ctx*, const v1::ListModulesRequest*, v1::ListModulesResponse*) override;
  Reactor* AddModuleItems(Ctx*, const v1::AddModuleItemsRequest*, v1::Module*) override;
  Reactor* PublishModule(Ctx*, const v1::ModuleRef*, v1::Module*) override;
  Reactor* ArchiveModule(Ctx*, const v1::ModuleRef*, v1::Module*) override;
  grpc::ServerReadReactor<v1::UploadContentChunk>* UploadContent(
      Ctx*, v1::UploadContentResponse*) override;
  Reactor* AssignModule(Ctx*, const v1::AssignModuleRequest*, v1::ModuleAssignment*) override;
  Reactor* ListAssignments(Ctx*, const v1::ListAssignmentsRequest*,
                           v1::ListAssignmentsResponse*) override;
  Reactor* RemoveAssignment(Ctx*, const v1::RemoveAssignmentRequest*,
                            v1::RemoveAssignmentResponse*) override;
  Reactor* ListProgress(Ctx*, const v1::ListProgressRequest*, v1::ListProgressResponse*) override;

  // The content files UploadContent writes (Services attaches them before the
  // server starts; the skills RPCs do not need them).
  void AttachContent(content::ContentFiles& files) { files_ = &files; }

 private:
  Gate& gate_;
  content::ContentFiles* files_ = nullptr;  // borrowed, see AttachContent
  const std::vector<domain::TierSpec> skill_tiers_;
};

}  // namespace parc::service
