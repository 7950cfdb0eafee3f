// Skill assessments and current tiers (store/skills.h): the idempotence key,
// the latest assessment as current tier, scope filters, the audit rule.
#include "tests/unit/daemon/store/store_test.h"

namespace parc::store::testing {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

v1::SkillAssessment Assessment(const std::string& employee, int64_t at_ms, const std::string& tier,
                               int pix = 100, int64_t campaign_id = 4620) {
  v1::SkillAssessment a;
  a.set_employee_number(employee);
  SetTime(a.mutable_assessed_at(), at_ms);
  a.set_campaign_code("PROFIL789");
  a.set_campaign_id(campaign_id);
  a.set_campaign_kind("profiles_collection");
  a.set_pix_score(pix);
  a.set_mastery(-1);
  a.set_tier(tier);
  v1::DomainResult* d = a.add_domains();
  d->set_area_code(4);
  d->set_area_title("Protection et sécurité");
  d->set_level(2);
  d->set_mastery(-1);
  SetTime(a.mutable_imported_at(), kNowMs);
  return a;
}

// Inserts `a` and refreshes its person's current tier, audited.
int64_t Insert(Store& store, const v1::SkillAssessment& a) {
  int64_t id = 0;
  Status written = store.Write([&](Writer& w) -> Status {
    PARC_TRY(w.AppendAudit(MakeEvent("test", "skill.import", "campaign:PROFIL789")));
    PARC_ASSIGN_OR_RETURN(id, w.skills_writer().InsertAssessment(a));
    PARC_ASSIGN_OR_RETURN(bool moved, w.skills_writer().RefreshCurrentTier(a.employee_number()));
    (void)moved;
    return Ok();
  });
  EXPECT_TRUE(written) << written.error().message;
  return id;
}
std::optional<std::string> Tier(Store& store, const std::string& employee) {
  return Get<std::optional<std::string>>(
      store, [&](Reader& r) { return r.skills().CurrentTier(employee); });
}
std::vector<v1::SkillAssessment> List(Store& store, const SkillFilter& filter) {
  return Get<std::vector<v1::SkillAssessment>>(
      store, [&](Reader& r) { return r.skills().ListAssessments(filter); });
}

TEST_P(StoreTest, SkillsStoresAndReadsBackAnAssessment) {
  Add(MakeAgent("E1"));
  v1::SkillAssessment in = Assessment("E1", kNowMs - kDayMs, "debutant", 146);
  in.set_mastery(0.6667);
  int64_t id = Insert(store(), in);
  auto rows = List(store(), {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id(), id);
  EXPECT_EQ(rows[0].employee_number(), "E1");
  EXPECT_EQ(FromTimestamp(rows[0].assessed_at()), kNowMs - kDayMs);
  EXPECT_EQ(rows[0].source(), "pix");
  EXPECT_EQ(rows[0].campaign_id(), 4620);
  EXPECT_EQ(rows[0].pix_score(), 146);
  EXPECT_DOUBLE_EQ(rows[0].mastery(), 0.6667);
  EXPECT_EQ(rows[0].tier(), "debutant");
  ASSERT_EQ(rows[0].domains_size(), 1);
  EXPECT_EQ(rows[0].domains(0).area_title(), "Protection et sécurité");
  EXPECT_EQ(rows[0].domains(0).level(), 2);
  EXPECT_EQ(FromTimestamp(rows[0].imported_at()), kNowMs);
  EXPECT_EQ(Tier(store(), "E1"), "debutant");
  EXPECT_EQ(Tier(store(), "E2"), std::nullopt);
}

TEST_P(StoreTest, SkillsSamePersonCampaignAndInstantIsStoredOnce) {
  Insert(store(), Assessment("E1", kNowMs, "debutant"));
  Status again = Audited([&](Writer& w) {
    return Discard(w.skills_writer().InsertAssessment(Assessment("E1", kNowMs, "autonome")));
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  auto found = Get<std::optional<int64_t>>(
      store(), [](Reader& r) { return r.skills().FindAssessment("E1", 4620, kNowMs); });
  EXPECT_TRUE(found.has_value());
  auto other_campaign = Get<std::optional<int64_t>>(
      store(), [](Reader& r) { return r.skills().FindAssessment("E1", 1, kNowMs); });
  EXPECT_FALSE(other_campaign.has_value());
}

TEST_P(StoreTest, SkillsCurrentTierIsTheLatestAssessmentWhateverTheImportOrder) {
  Insert(store(), Assessment("E1", kNowMs - 10 * kDayMs, "a-consolider"));
  Insert(store(),
         Assessment("E1", kNowMs - 300 * kDayMs, "illectronisme", 10, 99));  // older, later import
  EXPECT_EQ(Tier(store(), "E1"), "a-consolider");
  Insert(store(), Assessment("E1", kNowMs - kDayMs, "autonome", 400, 7));
  EXPECT_EQ(Tier(store(), "E1"), "autonome");
  SkillFilter latest;
  latest.latest_only = true;
  auto rows = List(store(), latest);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].tier(), "autonome");
  EXPECT_EQ(List(store(), {}).size(), 3u);  // history kept
  EXPECT_EQ(*QueryInt("SELECT COUNT(*) FROM agent_tiers"), 1);
}

TEST_P(StoreTest, SkillsRefreshReportsWhetherTheCurrentRowMoved) {
  Insert(store(), Assessment("E1", kNowMs, "debutant"));
  bool moved = true;
  ASSERT_TRUE(store().Write([&](Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(moved, w.skills_writer().RefreshCurrentTier("E1"));
    return Ok();
  }));
  EXPECT_FALSE(moved);  // and no audit was needed: nothing changed
}

TEST_P(StoreTest, SkillsChangesWithoutAuditAreRefused) {
  Status written = store().Write([](Writer& w) -> Status {
    PARC_TRY(w.skills_writer().InsertAssessment(Assessment("E1", kNowMs, "debutant")));
    return Ok();
  });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(List(store(), {}).empty());
}

TEST_P(StoreTest, SkillsFiltersByPersonTierDepartmentScopeAndPages) {
  Add(MakeAgent("E1", "PROPRETE"));
  Add(MakeAgent("E2", "VOIRIE"));
  Insert(store(), Assessment("E1", kNowMs - 2 * kDayMs, "debutant"));
  Insert(store(), Assessment("E2", kNowMs - kDayMs, "autonome"));
  Insert(store(), Assessment("E9", kNowMs, "debutant"));  // no such agent: seen only unscoped

  SkillFilter person;
  person.employee_number = "E2";
  EXPECT_EQ(List(store(), person).size(), 1u);
  SkillFilter tier;
  tier.tier = "debutant";
  EXPECT_EQ(List(store(), tier).size(), 2u);
  SkillFilter department;
  department.department = "VOIRIE";
  ASSERT_EQ(List(store(), department).size(), 1u);
  EXPECT_EQ(List(store(), department)[0].employee_number(), "E2");
  SkillFilter scope;
  scope.departments = {"PROPRETE"};
  ASSERT_EQ(List(store(), scope).size(), 1u);
  EXPECT_EQ(List(store(), scope)[0].employee_number(), "E1");

  SkillFilter page;
  page.limit = 2;
  auto first = List(store(), page);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_GT(first[0].id(), first[1].id());  // newest import first
  page.after_id = first[1].id();
  auto rest = List(store(), page);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_LT(rest[0].id(), first[1].id());
}

}  // namespace
}  // namespace parc::store::testing
