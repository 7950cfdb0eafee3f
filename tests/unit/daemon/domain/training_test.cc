// Training rules against a real SQLite file: module versions, who a device
// serves, which modules it must hold, the revision of that set, progress, and
// the per-device cache (content/assigned_content.h).
#include "daemon/domain/training.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "daemon/content/assigned_content.h"
#include "daemon/content/content_gc.h"
#include "daemon/demo/demo.h"
#include "daemon/domain/allocation.h"
#include "daemon/domain/inventory.h"
#include "daemon/store/sqlite/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace parc::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kDay = 24 * 3600 * 1000;
constexpr int64_t kWindow = 14 * kDay;

class TrainingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::Open({.path = Db()});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    Agent("E1", "PROPRETE", "vague-1");
    Agent("E2", "PROPRETE", "vague-2");
    Agent("E3", "ESPACES-VERTS", "vague-1");  // the agents create their site, CTM-NORD
  }

  std::string Db() const { return (dir_.path() / "parc.db").string(); }

  template <typename Op>
  Status Write(Op op) {
    return store_->Write([&](store::Writer& w) -> Status {
      return op(w, Call{.who = admin_, .now_ms = clock_.NowMs()});
    });
  }

  void Agent(const std::string& number, const std::string& department, const std::string& wave) {
    v1::Agent a;
    a.set_employee_number(number);
    a.set_first_name("Prénom");
    a.set_last_name(number);
    a.set_department(department);
    a.set_site("CTM-NORD");
    a.set_wave(wave);
    ASSERT_TRUE(Write([&](store::Writer& w, const Call& c) -> Status {
      PARC_TRY(CreateAgent(w, c, a));
      return Ok();
    }));
  }

  int64_t Device(const std::string& serial, const std::string& employee,
                 const std::string& site = "") {
    v1::Device d;
    d.set_serial(serial);
    d.set_asset_tag("T-" + serial);
    d.set_kind(site.empty() ? v1::DEVICE_KIND_TABLET : v1::DEVICE_KIND_SHARED_PC);
    int64_t id = 0;
    EXPECT_TRUE(Write([&](store::Writer& w, const Call& c) -> Status {
      PARC_ASSIGN_OR_RETURN(auto created, CreateDevice(w, c, d));
      id = created.id();
      v1::AssignRequest assign;
      assign.set_device(serial);
      if (!site.empty()) {
        assign.set_site(site);
      } else if (!employee.empty()) {
        assign.set_employee_number(employee);
      } else {
        return Ok();
      }
      PARC_TRY(Assign(w, c, assign));
      return Ok();
    }));
    return id;
  }

  // A usage session of `employee` on the device, opened at `at_ms` and closed
  // at `end_ms` (0: left open).
  void Used(int64_t device, const std::string& employee, int64_t at_ms, int64_t end_ms) {
    v1::CheckInRequest request;
    auto add = [&](bool login, int64_t ms) {
      v1::Report* r = request.add_reports();
      r->set_sequence(++sequence_);
      r->mutable_collected_at()->set_seconds(ms / 1000);
      r->mutable_usage()->set_employee_number(employee);
      r->mutable_usage()->set_login(login);
    };
    add(true, at_ms);
    if (end_ms) add(false, end_ms);
    ASSERT_TRUE(
        store_->RecordReports({{.device_id = device, .request = &request}}, clock_.NowMs()));
  }

  // The skills side writes agent_tiers; the test plays it with plain SQL.
  void Tier(const std::string& employee, const std::string& tier) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(Db().c_str(), &db), SQLITE_OK);
    std::string sql =
        "INSERT INTO skill_assessments (employee_number, assessed_at, campaign_kind, tier,"
        " imported_at) VALUES ('" +
        employee + "', 1, 'assessment', '" + tier +
        "', 1);"
        "INSERT OR REPLACE INTO agent_tiers (employee_number, tier, assessment_id, assessed_at)"
        " VALUES ('" +
        employee + "', '" + tier + "', last_insert_rowid(), 1);";
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  std::string Upload(const std::string& bytes) {
    store::ContentBlob blob{.sha256 = Sha256Hex(bytes),
                            .size = static_cast<int64_t>(bytes.size()),
                            .created_at_ms = clock_.NowMs()};
    EXPECT_TRUE(Write([&](store::Writer& w, const Call& c) {
      return RecordContent(w, c, blob, "f.pdf", false);
    }));
    return blob.sha256;
  }

  // A published module with one item holding `bytes`.
  void Published(const std::string& code, const std::string& bytes) {
    Draft(code, bytes);
    ASSERT_TRUE(Write([&](store::Writer& w, const Call& c) -> Status {
      PARC_TRY(PublishModule(w, c, code));
      return Ok();
    }));
  }

  void Draft(const std::string& code, const std::string& bytes) {
    std::string sha = Upload(bytes);
    ASSERT_TRUE(Write([&](store::Writer& w, const Call& c) -> Status {
      v1::CreateModuleRequest create;
      create.set_code(code);
      create.set_title("Module " + code);
      PARC_TRY(CreateModule(w, c, create));
      v1::AddModuleItemsRequest add;
      add.set_code(code);
      add.add_items()->set_file_name(code + ".pdf");
      add.mutable_items(0)->set_sha256(sha);
      PARC_TRY(AddModuleItems(w, c, add));
      return Ok();
    }));
  }

  Expected<v1::ModuleAssignment> AssignTo(const std::string& code,
                                          void (v1::AssignModuleRequest::*set)(const std::string&),
                                          const std::string& target, const std::string& due = "") {
    v1::AssignModuleRequest req;
    req.set_module_code(code);
    (req.*set)(target);
    req.set_due_date(due);
    v1::ModuleAssignment out;
    Status written = Write([&](store::Writer& w, const Call& c) -> Status {
      PARC_ASSIGN_OR_RETURN(out, AssignModule(w, c, req));
      return Ok();
    });
    if (!written) return std::unexpected(written.error());
    return out;
  }

  DeviceContent Resolve(int64_t device) {
    DeviceContent out;
    EXPECT_TRUE(store_->Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(out, ResolveDeviceContent(r, device, clock_.NowMs(), kWindow));
      return Ok();
    }));
    return out;
  }

  std::vector<std::string> Codes(int64_t device) {
    std::vector<std::string> codes;
    for (const auto& m : Resolve(device).modules) codes.push_back(m.code());
    return codes;
  }

  uint64_t Revision(int64_t device) { return ContentRevision(Resolve(device).modules); }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  ManualClock clock_{1'780'000'000'000};
  Principal admin_{.name = "admin", .role = v1::ROLE_ADMIN};
  uint64_t sequence_ = 0;
};

TEST_F(TrainingTest, PersonalDeviceHoldsItsHoldersModulesOnly) {
  Published("MAIL", "mail");
  Published("WEB", "web");
  ASSERT_TRUE(AssignTo("MAIL", &v1::AssignModuleRequest::set_employee_number, "E1"));
  ASSERT_TRUE(AssignTo("WEB", &v1::AssignModuleRequest::set_employee_number, "E2"));
  int64_t tablet = Device("TAB1", "E1");
  Used(tablet, "E2", clock_.NowMs() - kDay, clock_.NowMs() - kDay / 2);  // someone else used it
  EXPECT_THAT(Codes(tablet), ElementsAre("MAIL"));
  auto set = Resolve(tablet);
  ASSERT_EQ(set.modules.size(), 1u);
  EXPECT_EQ(set.modules[0].people(0).employee_number(), "E1");
  EXPECT_EQ(set.modules[0].items(0).sha256(), Sha256Hex("mail"));
  EXPECT_EQ(set.valid_until_ms, INT64_MAX);
}

TEST_F(TrainingTest, SharedDeviceHoldsTheModulesOfItsRecentUsers) {
  Published("MAIL", "mail");
  Published("WEB", "web");
  Published("BUREAU", "bureau");
  ASSERT_TRUE(AssignTo("MAIL", &v1::AssignModuleRequest::set_employee_number, "E1"));
  ASSERT_TRUE(AssignTo("WEB", &v1::AssignModuleRequest::set_employee_number, "E2"));
  ASSERT_TRUE(AssignTo("BUREAU", &v1::AssignModuleRequest::set_employee_number, "E3"));
  int64_t pc = Device("PC1", "", "CTM-NORD");
  const int64_t now = clock_.NowMs();
  Used(pc, "E3", now - 20 * kDay, now - 20 * kDay + 3600'000);  // outside the window
  Used(pc, "E1", now - 3 * kDay, now - 3 * kDay + 3600'000);
  Used(pc, "E2", now - kDay, 0);  // still logged in
  EXPECT_THAT(Codes(pc), ElementsAre("MAIL", "WEB"));
  // The set changes by itself when E1 leaves the window: the cache must know when.
  EXPECT_EQ(Resolve(pc).valid_until_ms, now - 3 * kDay + 3600'000 + kWindow);
  clock_.Set(now - 3 * kDay + 3600'000 + kWindow + 1);
  EXPECT_THAT(Codes(pc), ElementsAre("WEB"));
}

TEST_F(TrainingTest, TierWaveAndDepartmentAssignmentsReachThePeopleWhoHaveThem) {
  Published("TIER", "t");
  Published("WAVE", "w");
  Published("DEPT", "d");
  Tier("E2", "debutant");
  ASSERT_TRUE(AssignTo("TIER", &v1::AssignModuleRequest::set_skill_tier, "debutant"));
  ASSERT_TRUE(AssignTo("WAVE", &v1::AssignModuleRequest::set_wave, "vague-1"));
  ASSERT_TRUE(AssignTo("DEPT", &v1::AssignModuleRequest::set_department, "espaces verts"));
  EXPECT_THAT(Codes(Device("T1", "E1")), ElementsAre("WAVE"));
  EXPECT_THAT(Codes(Device("T2", "E2")), ElementsAre("TIER"));
  EXPECT_THAT(Codes(Device("T3", "E3")), ElementsAre("DEPT", "WAVE"));
  EXPECT_THAT(Codes(Device("T4", "")), IsEmpty());
}

TEST_F(TrainingTest, AnAssignmentToNothingKnownIsRefusedNamingTheField) {
  Published("MAIL", "mail");
  auto agent = AssignTo("MAIL", &v1::AssignModuleRequest::set_employee_number, "E999");
  EXPECT_THAT(agent.error().message, HasSubstr("employee_number"));
  auto wave = AssignTo("MAIL", &v1::AssignModuleRequest::set_wave, "vague-9");
  EXPECT_EQ(wave.error().code, ErrorCode::kNotFound);
  auto module = AssignTo("NOPE", &v1::AssignModuleRequest::set_wave, "vague-1");
  EXPECT_THAT(module.error().message, HasSubstr("module_code"));
  auto due = AssignTo("MAIL", &v1::AssignModuleRequest::set_wave, "vague-1", "31/02/2026");
  EXPECT_THAT(due.error().message, HasSubstr("due_date"));
  ASSERT_TRUE(AssignTo("MAIL", &v1::AssignModuleRequest::set_wave, "vague-1"));
  auto twice = AssignTo("MAIL", &v1::AssignModuleRequest::set_wave, "vague-1");
  EXPECT_EQ(twice.error().code, ErrorCode::kAlreadyExists);
}

TEST_F(TrainingTest, RevisionChangesExactlyWhenTheSetChanges) {
  int64_t tablet = Device("TAB1", "E1");
  EXPECT_EQ(Revision(tablet), 0u);  // nothing assigned
  Published("MAIL", "mail");
  EXPECT_EQ(Revision(tablet), 0u);  // published, but not for E1
  auto first = AssignTo("MAIL", &v1::AssignModuleRequest::set_employee_number, "E1");
  ASSERT_TRUE(first);
  const uint64_t with_mail = Revision(tablet);
  EXPECT_NE(with_mail, 0u);
  Draft("WEB", "web");
  ASSERT_TRUE(AssignTo("WEB", &v1::AssignModuleRequest::set_wave, "vague-1"));
  EXPECT_EQ(Revision(tablet), with_mail);  // a draft is delivered to no one
  ASSERT_TRUE(AssignTo("MAIL", &v1::AssignModuleRequest::set_employee_number, "E2"));
  EXPECT_EQ(Revision(tablet), with_mail);  // someone else's
  ASSERT_TRUE(Write([&](store::Writer& w, const Call& c) -> Status {
    PARC_TRY(PublishModule(w, c, "WEB"));
    return Ok();
  }));
  const uint64_t with_both = Revision(tablet);
  EXPECT_NE(with_both, with_mail);
  auto dated = AssignTo("MAIL", &v1::AssignModuleRequest::set_department, "PROPRETE", "2026-12-31");
  ASSERT_TRUE(dated);
  const uint64_t with_due = Revision(tablet);
  EXPECT_NE(with_due, with_both);  // E1 now has a due date for MAIL
  ASSERT_TRUE(
      Write([&](store::Writer& w, const Call& c) { return RemoveAssignment(w, c, dated->id()); }));
  EXPECT_EQ(Revision(tablet), with_both);  // back to the same set, the same number
  ASSERT_TRUE(Write([&](store::Writer& w, const Call& c) -> Status {
    PARC_TRY(ArchiveModule(w, c, "WEB"));
    return Ok();
  }));
  EXPECT_EQ(Revision(tablet), with_mail);
}

TEST_F(TrainingTest, PublishingANewVersionSupersedesTheOldOneForEveryone) {
  Published("MAIL", "v1 content");
  ASSERT_TRUE(AssignTo("MAIL", &v1::AssignModuleRequest::set_department, "PROPRETE"));
  int64_t tablet = Device("TAB1", "E1");
  const uint64_t before = Revision(tablet);
  std::string added = Upload("v2 extra");
  ASSERT_TRUE(Write([&](store::Writer& w, const Call& c) -> Status {
    v1::CreateModuleRequest create;
    create.set_code("mail");
    create.set_copy_items(true);
    PARC_ASSIGN_OR_RETURN(auto draft, CreateModule(w, c, create));
    EXPECT_EQ(draft.version(), 2);
    EXPECT_EQ(draft.title(), "Module MAIL");  // kept from version 1
    EXPECT_EQ(draft.items_size(), 1);
    v1::AddModuleItemsRequest add;
    add.set_code("MAIL");
    add.add_items()->set_file_name("Exercice.MP4");
    add.mutable_items(0)->set_sha256(added);
    PARC_ASSIGN_OR_RETURN(auto with_item, AddModuleItems(w, c, add));
    EXPECT_EQ(with_item.items(1).kind(), v1::CONTENT_KIND_VIDEO);
    EXPECT_EQ(with_item.items(1).title(), "Exercice");
    EXPECT_EQ(with_item.items(1).position(), 2);
    return Ok();
  }));
  EXPECT_EQ(Revision(tablet), before);  // a draft changes nothing yet
  ASSERT_TRUE(Write([&](store::Writer& w, const Call& c) -> Status {
    PARC_TRY(PublishModule(w, c, "MAIL"));
    return Ok();
  }));
  auto set = Resolve(tablet);
  ASSERT_EQ(set.modules.size(), 1u);
  EXPECT_EQ(set.modules[0].version(), 2);
  EXPECT_EQ(set.modules[0].items_size(), 2);
  EXPECT_NE(Revision(tablet), before);
  ASSERT_TRUE(store_->Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(auto v1, GetModule(r, "MAIL", 1));
    EXPECT_EQ(v1.state(), v1::MODULE_STATE_SUPERSEDED);
    PARC_ASSIGN_OR_RETURN(auto v2, GetModule(r, "MAIL", 0));
    EXPECT_EQ(v2.state(), v1::MODULE_STATE_PUBLISHED);
    return Ok();
  }));
}

TEST_F(TrainingTest, ModuleRulesRefuseWhatCannotBe) {
  Draft("MAIL", "mail");
  auto again = Write([&](store::Writer& w, const Call& c) -> Status {
    v1::CreateModuleRequest create;
    create.set_code("MAIL");
    PARC_TRY(CreateModule(w, c, create));
    return Ok();
  });
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  auto empty = Write([&](store::Writer& w, const Call& c) -> Status {
    v1::CreateModuleRequest create;
    create.set_code("VIDE");
    create.set_title("Vide");
    PARC_TRY(CreateModule(w, c, create));
    PARC_TRY(PublishModule(w, c, "VIDE"));
    return Ok();
  });
  EXPECT_EQ(empty.error().code, ErrorCode::kFailedPrecondition);
  auto missing = Write([&](store::Writer& w, const Call& c) -> Status {
    v1::AddModuleItemsRequest add;
    add.set_code("MAIL");
    add.add_items()->set_file_name("x.pdf");
    add.mutable_items(0)->set_sha256(Sha256Hex("never uploaded"));
    PARC_TRY(AddModuleItems(w, c, add));
    return Ok();
  });
  EXPECT_THAT(missing.error().message, HasSubstr("items[0].sha256"));
  auto bad_code = Write([&](store::Writer& w, const Call& c) -> Status {
    v1::CreateModuleRequest create;
    create.set_code("a/b");
    create.set_title("x");
    PARC_TRY(CreateModule(w, c, create));
    return Ok();
  });
  EXPECT_THAT(bad_code.error().message, HasSubstr("code"));
}

TEST_F(TrainingTest, ProgressEventsAreStoredOncePerIdAndSummedUp) {
  Published("MAIL", "mail");
  int64_t tablet = Device("TAB1", "E1");
  v1::ReportProgressRequest req;
  auto add = [&](const std::string& id, v1::ProgressKind kind, int score = 0) {
    v1::ProgressEvent* e = req.add_events();
    e->set_id(id);
    e->set_employee_number("E1");
    e->set_module_code("MAIL");
    e->set_module_version(1);
    e->set_kind(kind);
    e->set_score(score);
    if (kind == v1::PROGRESS_KIND_ITEM_COMPLETED) e->set_item_sha256(Sha256Hex("mail"));
    e->mutable_at()->set_seconds(1'780'000'000);
  };
  add("a", v1::PROGRESS_KIND_OPENED);
  add("b", v1::PROGRESS_KIND_ITEM_COMPLETED);
  add("c", v1::PROGRESS_KIND_QUIZ_SCORE, 60);
  add("d", v1::PROGRESS_KIND_QUIZ_SCORE, 85);
  add("e", v1::PROGRESS_KIND_MODULE_COMPLETED);
  ASSERT_TRUE(ValidateProgress(req));
  auto first = store_->RecordProgress(tablet, req, clock_.NowMs());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->accepted, 5);
  auto again = store_->RecordProgress(tablet, req, clock_.NowMs());
  EXPECT_EQ(again->accepted, 0);
  EXPECT_EQ(again->duplicates, 5);

  ASSERT_TRUE(AssignTo("MAIL", &v1::AssignModuleRequest::set_employee_number, "E1", "2026-01-01"));
  ASSERT_TRUE(AssignTo("MAIL", &v1::AssignModuleRequest::set_employee_number, "E2", "2026-01-01"));
  std::vector<store::ProgressListRow> rows;
  ASSERT_TRUE(store_->Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(rows, r.training().ListProgress({.limit = 10, .today = "2026-05-28"}));
    return Ok();
  }));
  ASSERT_EQ(rows.size(), 2u);
  const v1::ProgressRow& done = rows[0].row;
  EXPECT_EQ(done.employee_number(), "E1");
  EXPECT_TRUE(done.has_opened_at());
  EXPECT_EQ(done.items_completed(), 1);
  EXPECT_EQ(done.items_total(), 1);
  EXPECT_TRUE(done.has_completed_at());
  EXPECT_EQ(done.score(), 85);
  EXPECT_FALSE(done.overdue());
  const v1::ProgressRow& late = rows[1].row;
  EXPECT_EQ(late.employee_number(), "E2");
  EXPECT_FALSE(late.has_opened_at());
  EXPECT_EQ(late.score(), -1);
  EXPECT_TRUE(late.overdue());
}

TEST_F(TrainingTest, ProgressValidationNamesTheField) {
  v1::ReportProgressRequest req;
  v1::ProgressEvent* e = req.add_events();
  e->set_id("x");
  e->set_employee_number("E1");
  e->set_module_code("MAIL");
  e->set_kind(v1::PROGRESS_KIND_QUIZ_SCORE);
  e->set_score(140);
  EXPECT_THAT(ValidateProgress(req).error().message, HasSubstr("events[0].score"));
  e->set_kind(v1::PROGRESS_KIND_ITEM_COMPLETED);
  EXPECT_THAT(ValidateProgress(req).error().message, HasSubstr("events[0].item_sha256"));
  e->set_kind(v1::PROGRESS_KIND_UNSPECIFIED);
  EXPECT_THAT(ValidateProgress(req).error().message, HasSubstr("events[0].kind"));
  e->set_kind(v1::PROGRESS_KIND_OPENED);
  e->clear_id();
  EXPECT_THAT(ValidateProgress(req).error().message, HasSubstr("events[0].id"));
}

TEST_F(TrainingTest, TheCacheResolvesOnceAndAgainOnlyAfterAChange) {
  Published("MAIL", "mail");
  int64_t pc = Device("PC1", "", "CTM-NORD");
  content::AssignedContent assigned(*store_, clock_, {.usage_window_ms = kWindow});
  store::ObservedStore tracked(*store_, {&assigned});
  auto empty = assigned.Revision(pc);
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, 0u);
  EXPECT_EQ(*assigned.Revision(pc), 0u);
  EXPECT_EQ(assigned.resolutions(), 1u);
  // A write through the tracking store (an assignment) invalidates every set.
  ASSERT_TRUE(tracked.Write([&](store::Writer& w) -> Status {
    v1::AssignModuleRequest req;
    req.set_module_code("MAIL");
    req.set_employee_number("E1");
    PARC_TRY(AssignModule(w, Call{admin_, clock_.NowMs()}, req));
    return Ok();
  }));
  EXPECT_EQ(*assigned.Revision(pc), 0u);  // E1 never used the PC
  EXPECT_EQ(assigned.resolutions(), 2u);
  // A login on the PC (a usage report through the tracking store) invalidates it.
  v1::CheckInRequest login;
  v1::Report* r = login.add_reports();
  r->set_sequence(1);
  r->mutable_collected_at()->set_seconds(clock_.NowMs() / 1000);
  r->mutable_usage()->set_employee_number("E1");
  r->mutable_usage()->set_login(true);
  ASSERT_TRUE(tracked.RecordReports({{.device_id = pc, .request = &login}}, clock_.NowMs()));
  auto after = assigned.Revision(pc);
  EXPECT_NE(*after, 0u);
  EXPECT_EQ(assigned.resolutions(), 3u);
  // A status-only check-in changes nothing: still cached.
  v1::CheckInRequest status;
  status.add_reports()->set_sequence(2);
  status.mutable_reports(0)->mutable_status()->set_battery_percent(50);
  ASSERT_TRUE(tracked.RecordReports({{.device_id = pc, .request = &status}}, clock_.NowMs()));
  EXPECT_EQ(*assigned.Revision(pc), *after);
  EXPECT_EQ(assigned.resolutions(), 3u);
  // The whole set is resolved when asked for (only the revision is cached).
  auto set = assigned.For(pc);
  ASSERT_TRUE(set);
  EXPECT_EQ(set->revision, *after);
  EXPECT_TRUE(set->Holds(Sha256Hex("mail")));
  EXPECT_EQ(assigned.resolutions(), 4u);
}

// Writes that cannot change what any device holds (device inventory, sites:
// their audit actions are ContentNeutral) keep the cached sets; a write that
// can, even together with a neutral one, outdates them all.
TEST_F(TrainingTest, InventoryWritesKeepTheCachedSetsAndAssignmentsOutdateThem) {
  Published("MAIL", "mail");
  Published("WEB", "web");
  int64_t tablet = Device("T1", "E1");
  content::AssignedContent assigned(*store_, clock_, {.usage_window_ms = kWindow});
  store::ObservedStore tracked(*store_, {&assigned});
  auto write = [&](auto op) {
    return tracked.Write([&](store::Writer& w) -> Status {
      return op(w, Call{.who = admin_, .now_ms = clock_.NowMs()});
    });
  };
  auto new_device = [](const std::string& serial) {
    return [serial](store::Writer& w, const Call& c) -> Status {
      v1::Device d;
      d.set_serial(serial);
      d.set_kind(v1::DEVICE_KIND_TABLET);
      PARC_TRY(CreateDevice(w, c, d));
      return Ok();
    };
  };
  auto assign_wave = [](const std::string& code) {
    return [code](store::Writer& w, const Call& c) -> Status {
      v1::AssignModuleRequest req;
      req.set_module_code(code);
      req.set_wave("vague-1");
      PARC_TRY(AssignModule(w, c, req));
      return Ok();
    };
  };
  EXPECT_EQ(*assigned.Revision(tablet), 0u);
  EXPECT_EQ(assigned.resolutions(), 1u);

  ASSERT_TRUE(write(new_device("T2")));
  ASSERT_TRUE(write([](store::Writer& w, const Call& c) -> Status {
    v1::Site patch;
    patch.set_code("CTM-NORD");
    patch.set_name("Centre technique nord");
    google::protobuf::FieldMask mask;
    mask.add_paths("name");
    PARC_TRY(UpdateSite(w, c, patch, mask));
    return Ok();
  }));
  EXPECT_EQ(*assigned.Revision(tablet), 0u);
  EXPECT_EQ(assigned.resolutions(), 1u);  // still cached

  ASSERT_TRUE(write(assign_wave("MAIL")));  // E1 is in vague-1
  const uint64_t mail = *assigned.Revision(tablet);
  EXPECT_NE(mail, 0u);
  EXPECT_EQ(assigned.resolutions(), 2u);

  // One transaction: a device created and a module assigned.
  ASSERT_TRUE(write([&](store::Writer& w, const Call& c) -> Status {
    PARC_TRY(new_device("T3")(w, c));
    return assign_wave("WEB")(w, c);
  }));
  auto both = assigned.For(tablet);
  EXPECT_NE(both->revision, mail);
  EXPECT_EQ(both->modules.size(), 2u);
  EXPECT_EQ(assigned.resolutions(), 3u);

  // A new version of MAIL published: the published modules the resolutions
  // share are outdated with the sets (the draft itself changes nothing).
  ASSERT_TRUE(Write([&](store::Writer& w, const Call& c) -> Status {
    v1::CreateModuleRequest create;
    create.set_code("MAIL");
    create.set_copy_items(true);
    PARC_TRY(CreateModule(w, c, create));
    return Ok();
  }));
  ASSERT_TRUE(write([](store::Writer& w, const Call& c) -> Status {
    PARC_TRY(PublishModule(w, c, "MAIL"));
    return Ok();
  }));
  auto republished = assigned.For(tablet);
  ASSERT_EQ(republished->modules.size(), 2u);
  EXPECT_EQ(republished->modules[0].code(), "MAIL");
  EXPECT_EQ(republished->modules[0].version(), 2);
  EXPECT_EQ(republished->modules[1].version(), 1);  // WEB
}

TEST_F(TrainingTest, UnreferencedContentIsCollectedAfterItsGracePeriodOnly) {
  content::ContentFiles files(dir_.path() / "content", 1 << 20);
  auto put = [&](const std::string& bytes) {
    auto upload = files.Begin(Sha256Hex(bytes), static_cast<int64_t>(bytes.size()));
    EXPECT_TRUE(upload);
    EXPECT_TRUE((*upload)->Append(bytes));
    EXPECT_TRUE((*upload)->Finish());
    EXPECT_TRUE(files.Publish(**upload));
    return Sha256Hex(bytes);
  };
  put("mail");
  Published("MAIL", "mail");  // referenced by a module item
  const std::string loose = put("uploaded, never added");
  Upload("uploaded, never added");
  const std::string orphan = put("a file without its row");  // a crash before the commit
  std::filesystem::last_write_time(
      files.PathOf(orphan), std::filesystem::file_time_type::clock::now() - std::chrono::hours(48));
  auto early = content::CollectContent(*store_, files, clock_.NowMs(), kDay);
  ASSERT_TRUE(early) << early.error().message;
  EXPECT_EQ(early->blobs, 0);  // too recent: maybe about to be added to a draft
  EXPECT_EQ(early->orphans, 1);
  EXPECT_FALSE(std::filesystem::exists(files.PathOf(orphan)));
  clock_.Advance(2 * kDay);
  auto later = content::CollectContent(*store_, files, clock_.NowMs(), kDay);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->blobs, 1);
  EXPECT_FALSE(std::filesystem::exists(files.PathOf(loose)));
  EXPECT_TRUE(std::filesystem::exists(files.PathOf(Sha256Hex("mail"))));
  ASSERT_TRUE(store_->Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(auto gone, r.training().FindContent(loose));
    EXPECT_FALSE(gone.has_value());
    PARC_ASSIGN_OR_RETURN(auto kept, r.training().FindContent(Sha256Hex("mail")));
    EXPECT_TRUE(kept.has_value());
    return Ok();
  }));
}

TEST(DemoTrainingTest, TheDemoPublishesModulesWithTheirFilesAndProgress) {
  testing::TempDir dir;
  auto store = store::sqlite::Open({.path = (dir.path() / "parc.db").string()});
  ASSERT_TRUE(store);
  const std::string content_dir = (dir.path() / "content").string();
  auto summary = demo::LoadDemo(
      **store, {.staff = 400, .devices = 250, .sites = 8, .content_dir = content_dir},
      1'780'000'000'000);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->modules, 4);
  EXPECT_GE(summary->module_assignments, 4);
  EXPECT_GT(summary->progress_events, 0);
  content::ContentFiles files(content_dir, 1 << 30);
  ASSERT_TRUE((*store)->Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(auto modules, r.training().ListModules({}));
    for (const auto& m : modules) {
      for (const auto& item : m.module.items()) {
        std::ifstream in(files.PathOf(item.sha256()), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), {});
        EXPECT_EQ(Sha256Hex(bytes), item.sha256()) << item.file_name();
      }
    }
    return Ok();
  }));
}

}  // namespace
}  // namespace parc::domain
