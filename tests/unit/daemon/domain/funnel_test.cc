// The training funnel's store read (DashboardReader::CountFunnel) on a real
// SQLite file, with modules, assignments, Pix tiers and progress written
// through the domain as parcd writes them. Five targeted people whose stages
// were worked out by hand, plus someone who is not targeted:
//   E1 PROPRETE vague-1, debutant: WAVE (also assigned to E1 directly) and
//      TIER, both completed                      -> every stage
//   E2 PROPRETE vague-1, never assessed: WAVE opened -> assigned, started
//   E3 PROPRETE vague-2, autonome: only a draft is assigned to vague-2, and
//      E3 opened WAVE, which is not theirs       -> assessed only
//   E4 ESPACES-VERTS, no wave, debutant: TIER and DEPT completed -> every stage
//   E5 ESPACES-VERTS vague-1 (with email, targeted by the wave), never
//      assessed: DEPT and WAVE, DEPT completed    -> assigned, started
//   E6 PROPRETE with email and no wave, debutant, DEPT assigned to them
//      directly and completed: not targeted at all.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "daemon/domain/dashboard.h"
#include "daemon/domain/inventory.h"
#include "daemon/domain/training.h"
#include "daemon/store/sqlite/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace parc::domain {
namespace {

using S = std::vector<int64_t>;

template <typename T>
Status Discard(const Expected<T>& result) {
  if (!result) return std::unexpected(result.error());
  return Ok();
}

S Stages(const v1::FunnelCounts& c) {
  return {c.targeted(), c.assessed(), c.assigned(), c.started(), c.completed()};
}

class FunnelStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::Open({.path = (dir_.path() / "parc.db").string()});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    Agent("E1", "PROPRETE", "vague-1");
    Agent("E2", "PROPRETE", "vague-1");
    Agent("E3", "PROPRETE", "vague-2");
    Agent("E4", "ESPACES-VERTS", "");
    Agent("E5", "ESPACES-VERTS", "vague-1", /*email=*/true);
    Agent("E6", "PROPRETE", "", /*email=*/true);
    Tier("E1", "debutant");
    Tier("E3", "autonome");
    Tier("E4", "debutant");
    Tier("E6", "debutant");
    Module("WAVE", true);
    Module("TIER", true);
    Module("DEPT", true);
    Module("DRAFT", false);
    Assign("WAVE", &v1::AssignModuleRequest::set_wave, "vague-1");
    Assign("WAVE", &v1::AssignModuleRequest::set_employee_number, "E1");
    Assign("TIER", &v1::AssignModuleRequest::set_skill_tier, "debutant");
    Assign("DEPT", &v1::AssignModuleRequest::set_department, "ESPACES-VERTS");
    Assign("DRAFT", &v1::AssignModuleRequest::set_wave, "vague-2");
    Assign("DEPT", &v1::AssignModuleRequest::set_employee_number, "E6");
    const int64_t tablet = Tablet();
    Progress(tablet, "E1", "WAVE", v1::PROGRESS_KIND_MODULE_COMPLETED);
    Progress(tablet, "E1", "TIER", v1::PROGRESS_KIND_OPENED);
    Progress(tablet, "E1", "TIER", v1::PROGRESS_KIND_MODULE_COMPLETED);
    Progress(tablet, "E2", "WAVE", v1::PROGRESS_KIND_OPENED);
    Progress(tablet, "E3", "WAVE", v1::PROGRESS_KIND_OPENED);
    Progress(tablet, "E4", "TIER", v1::PROGRESS_KIND_MODULE_COMPLETED);
    Progress(tablet, "E4", "DEPT", v1::PROGRESS_KIND_MODULE_COMPLETED);
    Progress(tablet, "E5", "DEPT", v1::PROGRESS_KIND_MODULE_COMPLETED);
    Progress(tablet, "E6", "DEPT", v1::PROGRESS_KIND_MODULE_COMPLETED);
  }

  template <typename Op>
  void Write(Op op) {
    Status written = store_->Write([&](store::Writer& w) -> Status {
      return op(w, Call{.who = admin_, .now_ms = clock_.NowMs()});
    });
    ASSERT_TRUE(written) << written.error().message;
  }

  void Agent(const std::string& number, const std::string& department, const std::string& wave,
             bool email = false) {
    v1::Agent a;
    a.set_employee_number(number);
    a.set_first_name("Prénom");
    a.set_last_name(number);
    a.set_department(department);
    a.set_wave(wave);
    a.set_advisor(department == "PROPRETE" ? "nadia" : "marc");
    a.set_has_email(email);
    Write([&](store::Writer& w, const Call& c) -> Status { return Discard(CreateAgent(w, c, a)); });
  }

  // A Pix result and the current tier it gives, as the import writes them.
  void Tier(const std::string& number, const std::string& tier) {
    v1::SkillAssessment a;
    a.set_employee_number(number);
    a.mutable_assessed_at()->set_seconds(1'770'000'000);
    a.set_campaign_id(1);
    a.set_campaign_kind("profiles_collection");
    a.set_pix_score(100);
    a.set_mastery(-1);
    a.set_tier(tier);
    a.mutable_imported_at()->set_seconds(1'770'000'000);
    Write([&](store::Writer& w, const Call&) -> Status {
      v1::AuditEvent e;
      e.set_actor("test");
      e.set_action("skill.import");
      e.set_target("agent:" + number);
      e.mutable_at()->set_seconds(1'770'000'000);
      PARC_TRY(w.AppendAudit(e));
      PARC_TRY(Discard(w.skills_writer().InsertAssessment(a)));
      return Discard(w.skills_writer().RefreshCurrentTier(number));
    });
  }

  void Module(const std::string& code, bool publish) {
    store::ContentBlob blob{.sha256 = Sha256Hex(code),
                            .size = static_cast<int64_t>(code.size()),
                            .created_at_ms = clock_.NowMs()};
    Write([&](store::Writer& w, const Call& c) -> Status {
      PARC_TRY(RecordContent(w, c, blob, code + ".pdf", false));
      v1::CreateModuleRequest create;
      create.set_code(code);
      create.set_title("Module " + code);
      PARC_TRY(Discard(CreateModule(w, c, create)));
      v1::AddModuleItemsRequest add;
      add.set_code(code);
      add.add_items()->set_file_name(code + ".pdf");
      add.mutable_items(0)->set_sha256(blob.sha256);
      PARC_TRY(Discard(AddModuleItems(w, c, add)));
      if (publish) PARC_TRY(Discard(PublishModule(w, c, code)));
      return Ok();
    });
  }

  void Assign(const std::string& code, void (v1::AssignModuleRequest::*set)(const std::string&),
              const std::string& target) {
    v1::AssignModuleRequest req;
    req.set_module_code(code);
    (req.*set)(target);
    Write([&](store::Writer& w, const Call& c) -> Status {
      return Discard(AssignModule(w, c, req));
    });
  }

  int64_t Tablet() {
    v1::Device d;
    d.set_serial("TAB1");
    d.set_kind(v1::DEVICE_KIND_TABLET);
    int64_t id = 0;
    Write([&](store::Writer& w, const Call& c) -> Status {
      PARC_ASSIGN_OR_RETURN(auto created, CreateDevice(w, c, d));
      id = created.id();
      return Ok();
    });
    return id;
  }

  void Progress(int64_t device, const std::string& number, const std::string& code,
                v1::ProgressKind kind) {
    v1::ReportProgressRequest req;
    v1::ProgressEvent* e = req.add_events();
    e->set_id(number + code + std::to_string(kind));
    e->set_employee_number(number);
    e->set_module_code(code);
    e->set_module_version(1);
    e->set_kind(kind);
    e->mutable_at()->set_seconds(1'779'000'000);
    ASSERT_TRUE(ValidateProgress(req));
    auto recorded = store_->RecordProgress(device, req, clock_.NowMs());
    ASSERT_TRUE(recorded) << recorded.error().message;
  }

  v1::TrainingFunnelResponse Funnel(const store::DashboardScope& scope) {
    v1::TrainingFunnelResponse out;
    Status read = store_->Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, r.dashboard().CountFunnel(scope));
      out = SummarizeFunnel(rows, *ParseSkillTiers(kDefaultSkillTiers));
      return Ok();
    });
    EXPECT_TRUE(read) << read.error().message;
    return out;
  }

  // Per agent, the modules ListProgress says are theirs (published ones).
  std::map<std::string, int> ListedModules() {
    std::map<std::string, int> out;
    Status read = store_->Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, r.training().ListProgress({.limit = 1000}));
      for (const auto& row : rows) ++out[row.row.employee_number()];
      return Ok();
    });
    EXPECT_TRUE(read) << read.error().message;
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  ManualClock clock_{1'780'000'000'000};
  Principal admin_{.name = "admin", .role = v1::ROLE_ADMIN};
};

TEST_F(FunnelStoreTest, CountsEveryStageOfTheTargetedStaff) {
  v1::TrainingFunnelResponse f = Funnel({});
  EXPECT_EQ(Stages(f.totals()), (S{5, 3, 4, 4, 2}));
  ASSERT_EQ(f.by_department_size(), 2);
  EXPECT_EQ(f.by_department(0).key(), "ESPACES-VERTS");  // E4, E5
  EXPECT_EQ(Stages(f.by_department(0).counts()), (S{2, 1, 2, 2, 1}));
  EXPECT_EQ(f.by_department(1).key(), "PROPRETE");  // E1, E2, E3
  EXPECT_EQ(Stages(f.by_department(1).counts()), (S{3, 2, 2, 2, 1}));
  ASSERT_EQ(f.by_advisor_size(), 2);
  EXPECT_EQ(f.by_advisor(1).key(), "nadia");
  EXPECT_EQ(Stages(f.by_advisor(1).counts()), (S{3, 2, 2, 2, 1}));
  ASSERT_EQ(f.by_wave_size(), 3);                                // "", vague-1, vague-2
  EXPECT_EQ(Stages(f.by_wave(0).counts()), (S{1, 1, 1, 1, 1}));  // E4
  EXPECT_EQ(Stages(f.by_wave(1).counts()), (S{3, 1, 3, 3, 1}));  // E1, E2, E5
  EXPECT_EQ(Stages(f.by_wave(2).counts()), (S{1, 1, 0, 0, 0}));  // E3
  ASSERT_EQ(f.by_tier_size(), 3);
  EXPECT_EQ(f.by_tier(0).key(), "debutant");
  EXPECT_EQ(f.by_tier(0).name(), "Débutant");
  EXPECT_EQ(Stages(f.by_tier(0).counts()), (S{2, 2, 2, 2, 2}));  // E1, E4
  EXPECT_EQ(f.by_tier(1).key(), "autonome");
  EXPECT_EQ(Stages(f.by_tier(1).counts()), (S{1, 1, 0, 0, 0}));  // E3
  EXPECT_EQ(f.by_tier(2).key(), "");
  EXPECT_EQ(Stages(f.by_tier(2).counts()), (S{2, 0, 2, 2, 0}));  // E2, E5
}

TEST_F(FunnelStoreTest, AssignedMeansWhatListProgressLists) {
  // The same resolution: E1 2 modules (WAVE twice counts once), E2 1, E3 none
  // (a draft), E4 2 (TIER, DEPT), E5 2 (DEPT, WAVE), E6 2 (DEPT, TIER; not targeted).
  std::map<std::string, int> listed = ListedModules();
  EXPECT_EQ(listed,
            (std::map<std::string, int>{{"E1", 2}, {"E2", 1}, {"E4", 2}, {"E5", 2}, {"E6", 2}}));
}

TEST_F(FunnelStoreTest, ScopeAndFiltersNarrowThePeopleCounted) {
  // A manager of ESPACES-VERTS: E4 and E5 only.
  EXPECT_EQ(Stages(Funnel({.departments = {"ESPACES-VERTS"}}).totals()), (S{2, 1, 2, 2, 1}));
  EXPECT_EQ(Stages(Funnel({.department = "PROPRETE"}).totals()), (S{3, 2, 2, 2, 1}));
  EXPECT_EQ(Stages(Funnel({.wave = "vague-1"}).totals()), (S{3, 1, 3, 3, 1}));
  EXPECT_EQ(Stages(Funnel({.advisor = "marc"}).totals()), (S{2, 1, 2, 2, 1}));
  EXPECT_EQ(Stages(Funnel({.department = "PROPRETE", .wave = "vague-2"}).totals()),
            (S{1, 1, 0, 0, 0}));
  EXPECT_EQ(Funnel({.department = "VOIRIE"}).totals().targeted(), 0);
}

TEST_F(FunnelStoreTest, PublishingAndAssigningMoveTheFunnel) {
  // The draft assigned to vague-2 is published: E3 now has a module, unopened.
  Write([&](store::Writer& w, const Call& c) -> Status {
    return Discard(PublishModule(w, c, "DRAFT"));
  });
  EXPECT_EQ(Stages(Funnel({}).totals()), (S{5, 3, 5, 4, 2}));
  // E4 is also given WAVE, unopened: no longer done with everything.
  EXPECT_EQ(Stages(Funnel({.department = "ESPACES-VERTS"}).totals()), (S{2, 1, 2, 2, 1}));
  Assign("WAVE", &v1::AssignModuleRequest::set_employee_number, "E4");
  EXPECT_EQ(Stages(Funnel({.department = "ESPACES-VERTS"}).totals()), (S{2, 1, 2, 2, 0}));
}

}  // namespace
}  // namespace parc::domain
