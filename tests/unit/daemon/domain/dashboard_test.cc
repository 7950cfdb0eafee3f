// Dashboard arithmetic on small fleets whose numbers were counted by hand.
#include "daemon/domain/dashboard.h"

#include <gtest/gtest.h>

#include "common/time.h"

namespace parc::domain {
namespace {

using store::DeviceGroup;
using store::HealthGroup;
using store::TargetedGroup;
using store::VersionGroup;

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kNow = 1'780'000'000'000;  // 2026-05-28T20:26:40Z

// 10 devices: PROPRETE holds 3 personal tablets and 1 loaned smartphone;
// ESPACES-VERTS 1 personal tablet; CTM-NORD's pool 2 shared PCs; in stock 1
// tablet, in repair 1 smartphone, 1 retired tablet.
std::vector<DeviceGroup> Fleet() {
  using K = v1::DeviceKind;
  using L = v1::Lifecycle;
  using A = v1::AllocationKind;
  auto g = [](K k, L l, std::string d, std::string s, A a, int64_t n) {
    return DeviceGroup{
        .kind = k, .lifecycle = l, .department = d, .site = s, .allocation = a, .devices = n};
  };
  return {
      g(v1::DEVICE_KIND_TABLET, v1::LIFECYCLE_ASSIGNED, "PROPRETE", "CTM-NORD",
        v1::ALLOCATION_KIND_PERSONAL, 3),
      g(v1::DEVICE_KIND_SMARTPHONE, v1::LIFECYCLE_ASSIGNED, "PROPRETE", "CTM-NORD",
        v1::ALLOCATION_KIND_LOAN, 1),
      g(v1::DEVICE_KIND_TABLET, v1::LIFECYCLE_ASSIGNED, "ESPACES-VERTS", "SERRES",
        v1::ALLOCATION_KIND_PERSONAL, 1),
      g(v1::DEVICE_KIND_SHARED_PC, v1::LIFECYCLE_ASSIGNED, "", "CTM-NORD", v1::ALLOCATION_KIND_SITE,
        2),
      g(v1::DEVICE_KIND_TABLET, v1::LIFECYCLE_IN_STOCK, "", "", v1::ALLOCATION_KIND_UNSPECIFIED, 1),
      g(v1::DEVICE_KIND_SMARTPHONE, v1::LIFECYCLE_IN_REPAIR, "PROPRETE", "",
        v1::ALLOCATION_KIND_UNSPECIFIED, 1),
      g(v1::DEVICE_KIND_TABLET, v1::LIFECYCLE_RETIRED, "", "", v1::ALLOCATION_KIND_UNSPECIFIED, 1),
  };
}

TEST(DashboardTest, AllocationSummaryPutsEveryDeviceInExactlyOneBucket) {
  v1::AllocationSummaryResponse s = SummarizeAllocations(Fleet());
  EXPECT_EQ(s.totals().total(), 10);
  EXPECT_EQ(s.totals().assigned_personal(), 4);
  EXPECT_EQ(s.totals().on_loan(), 1);
  EXPECT_EQ(s.totals().in_site_pools(), 2);
  EXPECT_EQ(s.totals().in_stock(), 1);
  EXPECT_EQ(s.totals().in_repair(), 1);
  EXPECT_EQ(s.totals().lost(), 0);
  EXPECT_EQ(s.totals().retired(), 1);

  // Departments sorted: "", ESPACES-VERTS, PROPRETE.
  ASSERT_EQ(s.by_department_size(), 3);
  EXPECT_EQ(s.by_department(0).department(), "");
  EXPECT_EQ(s.by_department(0).counts().total(), 4);  // pool 2, stock 1, retired 1
  EXPECT_EQ(s.by_department(1).department(), "ESPACES-VERTS");
  EXPECT_EQ(s.by_department(1).counts().assigned_personal(), 1);
  EXPECT_EQ(s.by_department(2).department(), "PROPRETE");
  EXPECT_EQ(s.by_department(2).counts().total(), 5);
  EXPECT_EQ(s.by_department(2).counts().assigned_personal(), 3);
  EXPECT_EQ(s.by_department(2).counts().on_loan(), 1);
  EXPECT_EQ(s.by_department(2).counts().in_repair(), 1);

  ASSERT_EQ(s.by_site_size(), 3);  // "", CTM-NORD, SERRES
  EXPECT_EQ(s.by_site(1).site(), "CTM-NORD");
  EXPECT_EQ(s.by_site(1).counts().total(), 6);

  // tablet: assigned 4, in stock 1, retired 1; smartphone: assigned 1, in
  // repair 1; shared PC: assigned 2 -> 6 cells.
  ASSERT_EQ(s.by_kind_lifecycle_size(), 6);
  EXPECT_EQ(s.by_kind_lifecycle(0).kind(), v1::DEVICE_KIND_TABLET);
  EXPECT_EQ(s.by_kind_lifecycle(0).lifecycle(), v1::LIFECYCLE_IN_STOCK);
  EXPECT_EQ(s.by_kind_lifecycle(1).lifecycle(), v1::LIFECYCLE_ASSIGNED);
  EXPECT_EQ(s.by_kind_lifecycle(1).devices(), 4);
}

TEST(DashboardTest, EmptyFleetHasZeroTotals) {
  v1::AllocationSummaryResponse s = SummarizeAllocations({});
  EXPECT_EQ(s.totals().total(), 0);
  EXPECT_EQ(s.by_department_size(), 0);
  v1::CoverageResponse c = SummarizeCoverage({});
  EXPECT_EQ(c.totals().targeted(), 0);
  EXPECT_EQ(c.totals().equipped_percent(), 0.0);
}

std::vector<TargetedGroup> Staff() {
  auto g = [](std::string d, std::string s, std::string adv, std::string w, bool eq, int64_t n) {
    return TargetedGroup{
        .department = d, .site = s, .advisor = adv, .wave = w, .equipped = eq, .agents = n};
  };
  return {
      g("PROPRETE", "CTM-NORD", "Nadia", "vague-1", true, 2),
      g("PROPRETE", "CTM-NORD", "Nadia", "vague-1", false, 1),
      g("PROPRETE", "CTM-SUD", "Yann", "", false, 3),
      g("ESPACES-VERTS", "SERRES", "Nadia", "vague-2", true, 1),
  };
}

TEST(DashboardTest, CoverageCountsEquippedPerDepartmentAndSite) {
  v1::CoverageResponse c = SummarizeCoverage(Staff());
  EXPECT_EQ(c.totals().targeted(), 7);
  EXPECT_EQ(c.totals().equipped(), 3);
  EXPECT_EQ(c.totals().not_equipped(), 4);
  EXPECT_NEAR(c.totals().equipped_percent(), 42.857, 0.001);  // 3 / 7
  ASSERT_EQ(c.by_department_size(), 2);
  EXPECT_EQ(c.by_department(0).department(), "ESPACES-VERTS");
  EXPECT_EQ(c.by_department(0).counts().equipped_percent(), 100.0);
  EXPECT_EQ(c.by_department(1).counts().targeted(), 6);
  EXPECT_EQ(c.by_department(1).counts().equipped(), 2);
  ASSERT_EQ(c.by_site_size(), 3);
  EXPECT_EQ(c.by_site(1).site(), "CTM-SUD");
  EXPECT_EQ(c.by_site(1).counts().equipped_percent(), 0.0);
}

// 14 targeted people, counted by hand:
//   PROPRETE/Nadia/vague-1: illectronisme 2 completed + 3 started only,
//     debutant 1 assigned not started;
//   PROPRETE/Marc/no wave, never assessed: 1 started (a department module),
//     4 nothing assigned;
//   VOIRIE/Marc/vague-2: autonome 2, nothing assigned;
//   VOIRIE/no advisor/vague-2: "ancien" (a tier no longer configured) 1 completed.
std::vector<store::FunnelGroup> Learners() {
  auto g = [](std::string d, std::string adv, std::string w, std::string tier, bool assigned,
              bool started, bool completed, int64_t n) {
    return store::FunnelGroup{.department = d,
                              .advisor = adv,
                              .wave = w,
                              .tier = tier,
                              .assessed = !tier.empty(),
                              .assigned = assigned,
                              .started = started,
                              .completed = completed,
                              .agents = n};
  };
  return {
      g("PROPRETE", "Nadia", "vague-1", "illectronisme", true, true, true, 2),
      g("PROPRETE", "Nadia", "vague-1", "illectronisme", true, true, false, 3),
      g("PROPRETE", "Nadia", "vague-1", "debutant", true, false, false, 1),
      g("PROPRETE", "Marc", "", "", true, true, false, 1),
      g("PROPRETE", "Marc", "", "", false, false, false, 4),
      g("VOIRIE", "Marc", "vague-2", "autonome", false, false, false, 2),
      g("VOIRIE", "", "vague-2", "ancien", true, true, true, 1),
      g("VOIRIE", "Zoé", "vague-3", "debutant", true, true, true, 0),  // empty group: no row
  };
}

std::vector<int64_t> Stages(const v1::FunnelCounts& c) {
  return {c.targeted(), c.assessed(), c.assigned(), c.started(), c.completed()};
}

TEST(DashboardTest, FunnelCountsEveryStage) {
  auto tiers = ParseSkillTiers(kDefaultSkillTiers);
  ASSERT_TRUE(tiers.has_value());
  v1::TrainingFunnelResponse f = SummarizeFunnel(Learners(), *tiers);
  using S = std::vector<int64_t>;
  EXPECT_EQ(Stages(f.totals()), (S{14, 9, 8, 7, 3}));

  ASSERT_EQ(f.by_department_size(), 2);
  EXPECT_EQ(f.by_department(0).key(), "PROPRETE");
  EXPECT_EQ(Stages(f.by_department(0).counts()), (S{11, 6, 7, 6, 2}));
  EXPECT_EQ(f.by_department(1).key(), "VOIRIE");
  EXPECT_EQ(Stages(f.by_department(1).counts()), (S{3, 3, 1, 1, 1}));

  ASSERT_EQ(f.by_advisor_size(), 3);  // "", Marc, Nadia; no Zoé (nobody)
  EXPECT_EQ(f.by_advisor(0).key(), "");
  EXPECT_EQ(Stages(f.by_advisor(0).counts()), (S{1, 1, 1, 1, 1}));
  EXPECT_EQ(f.by_advisor(1).key(), "Marc");
  EXPECT_EQ(Stages(f.by_advisor(1).counts()), (S{7, 2, 1, 1, 0}));
  EXPECT_EQ(f.by_advisor(2).key(), "Nadia");
  EXPECT_EQ(Stages(f.by_advisor(2).counts()), (S{6, 6, 6, 5, 2}));

  ASSERT_EQ(f.by_wave_size(), 3);
  EXPECT_EQ(f.by_wave(0).key(), "");
  EXPECT_EQ(Stages(f.by_wave(0).counts()), (S{5, 0, 1, 1, 0}));  // assigned without assessment
  EXPECT_EQ(f.by_wave(1).key(), "vague-1");
  EXPECT_EQ(Stages(f.by_wave(1).counts()), (S{6, 6, 6, 5, 2}));
  EXPECT_EQ(f.by_wave(2).key(), "vague-2");
  EXPECT_EQ(Stages(f.by_wave(2).counts()), (S{3, 3, 1, 1, 1}));
  for (const auto& row : f.by_wave()) EXPECT_EQ(row.name(), "");

  // Configured order with names, no empty a-consolider row, then the unknown
  // code, then the never assessed.
  ASSERT_EQ(f.by_tier_size(), 5);
  EXPECT_EQ(f.by_tier(0).key(), "illectronisme");
  EXPECT_EQ(f.by_tier(0).name(), "Illectronisme");
  EXPECT_EQ(Stages(f.by_tier(0).counts()), (S{5, 5, 5, 5, 2}));
  EXPECT_EQ(f.by_tier(1).key(), "debutant");
  EXPECT_EQ(f.by_tier(1).name(), "Débutant");
  EXPECT_EQ(Stages(f.by_tier(1).counts()), (S{1, 1, 1, 0, 0}));
  EXPECT_EQ(f.by_tier(2).key(), "autonome");
  EXPECT_EQ(f.by_tier(2).name(), "Autonome");
  EXPECT_EQ(Stages(f.by_tier(2).counts()), (S{2, 2, 0, 0, 0}));
  EXPECT_EQ(f.by_tier(3).key(), "ancien");
  EXPECT_EQ(f.by_tier(3).name(), "");
  EXPECT_EQ(Stages(f.by_tier(3).counts()), (S{1, 1, 1, 1, 1}));
  EXPECT_EQ(f.by_tier(4).key(), "");
  EXPECT_EQ(f.by_tier(4).name(), "");
  EXPECT_EQ(Stages(f.by_tier(4).counts()), (S{5, 0, 1, 1, 0}));
}

TEST(DashboardTest, FunnelOfNobodyIsEmpty) {
  auto tiers = ParseSkillTiers(kDefaultSkillTiers);
  ASSERT_TRUE(tiers.has_value());
  v1::TrainingFunnelResponse f = SummarizeFunnel({}, *tiers);
  EXPECT_EQ(f.totals().targeted(), 0);
  EXPECT_EQ(f.by_department_size(), 0);
  EXPECT_EQ(f.by_tier_size(), 0);
}

TEST(DashboardTest, HealthComparesWithTheFleetsMostCommonVersions) {
  // Fleet-wide: tablets on Android 14 (3) and 13 (1); agent 0.2.0 (3), 0.1.9 (1);
  // smartphones on iOS 17.1 (1).
  std::vector<VersionGroup> fleet = {
      {v1::DEVICE_KIND_TABLET, "14", "0.2.0", 3},
      {v1::DEVICE_KIND_TABLET, "13", "0.1.9", 1},
      {v1::DEVICE_KIND_SMARTPHONE, "17.1", "0.2.0", 1},
  };
  auto h = [](std::string d, v1::DeviceKind k, std::string os, std::string agent, bool in,
              bool battery, bool storage, int64_t n) {
    return HealthGroup{.department = d,
                       .kind = k,
                       .os_version = os,
                       .agent_version = agent,
                       .checked_in = in,
                       .low_battery = battery,
                       .low_storage = storage,
                       .devices = n};
  };
  std::vector<HealthGroup> rows = {
      h("PROPRETE", v1::DEVICE_KIND_TABLET, "14", "0.2.0", true, true, false, 2),
      h("PROPRETE", v1::DEVICE_KIND_TABLET, "13", "0.1.9", true, false, true, 1),
      h("PROPRETE", v1::DEVICE_KIND_TABLET, "", "", false, false, false, 2),
      h("ESPACES-VERTS", v1::DEVICE_KIND_SMARTPHONE, "17.1", "0.2.0", true, false, false, 1),
  };
  std::vector<v1::DepartmentCount> foreign(1);
  foreign[0].set_department("PROPRETE");
  foreign[0].set_count(1);
  v1::FleetHealthResponse r = SummarizeHealth(rows, fleet, foreign);
  EXPECT_EQ(r.reference_agent_version(), "0.2.0");
  ASSERT_EQ(r.reference_os_size(), 2);
  EXPECT_EQ(r.reference_os(0).os_version(), "14");
  EXPECT_EQ(r.totals().enrolled(), 6);
  EXPECT_EQ(r.totals().low_battery(), 2);
  EXPECT_EQ(r.totals().low_storage(), 1);
  EXPECT_EQ(r.totals().outdated_os(), 1);
  EXPECT_EQ(r.totals().outdated_agent(), 1);
  EXPECT_EQ(r.totals().never_checked_in(), 2);
  EXPECT_EQ(r.totals().used_by_someone_else(), 1);
  ASSERT_EQ(r.by_department_size(), 2);
  EXPECT_EQ(r.by_department(0).department(), "ESPACES-VERTS");
  EXPECT_EQ(r.by_department(0).counts().enrolled(), 1);
  EXPECT_EQ(r.by_department(0).counts().outdated_os(), 0);
  EXPECT_EQ(r.by_department(1).counts().enrolled(), 5);
}

TEST(DashboardTest, VersionTiesGoToTheHigherVersion) {
  std::vector<VersionGroup> fleet = {{v1::DEVICE_KIND_TABLET, "13", "0.1.9", 2},
                                     {v1::DEVICE_KIND_TABLET, "14", "0.1.10", 2}};
  v1::FleetHealthResponse r = SummarizeHealth({}, fleet, {});
  EXPECT_EQ(r.reference_os(0).os_version(), "14");
  EXPECT_EQ(r.reference_agent_version(), "0.1.10");
}

TEST(DashboardTest, VersionsCompareNumericallyPartByPart) {
  EXPECT_LT(CompareVersions("9", "10"), 0);
  EXPECT_LT(CompareVersions("14", "14.1"), 0);
  EXPECT_EQ(CompareVersions("14.0", "14"), 0);
  EXPECT_GT(CompareVersions("0.1.10", "0.1.9"), 0);
  EXPECT_LT(CompareVersions("1.2-beta", "1.2-rc"), 0);
  EXPECT_EQ(CompareVersions("", ""), 0);
}

TEST(DashboardTest, StaleCountsAndDaysSilent) {
  std::vector<store::StaleGroup> groups = {
      {"PROPRETE", false, 2}, {"PROPRETE", true, 1}, {"ESPACES-VERTS", false, 1}};
  v1::StaleDevicesResponse r;
  auto* seen = r.add_devices();
  ToTimestamp(kNow - 9 * kDay - 1000, seen->mutable_last_seen());
  auto* never = r.add_devices();
  never->set_never_checked_in(true);
  ToTimestamp(kNow - 12 * kDay + 1000, never->mutable_enrolled_at());
  SummarizeStale(groups, kNow, r);
  EXPECT_EQ(r.total(), 4);
  EXPECT_EQ(r.never_checked_in(), 1);
  ASSERT_EQ(r.by_department_size(), 2);
  EXPECT_EQ(r.by_department(1).department(), "PROPRETE");
  EXPECT_EQ(r.by_department(1).count(), 3);
  EXPECT_EQ(r.devices(0).days_silent(), 9);
  EXPECT_EQ(r.devices(1).days_silent(), 11);  // 12 days less one second
}

TEST(DashboardTest, DaysOverdueCountsCalendarDaysInUtc) {
  // kNow is 2026-05-28.
  EXPECT_EQ(DaysOverdue("2026-05-27", kNow), 1);
  EXPECT_EQ(DaysOverdue("2026-04-28", kNow), 30);
  EXPECT_EQ(DaysOverdue("2026-05-28", kNow), 0);
  EXPECT_EQ(DaysOverdue("2026-06-01", kNow), 0);
  EXPECT_EQ(DaysOverdue("nope", kNow), 0);
}

TEST(DashboardTest, ManagerScopeIsIntersectedAndOutsideIsDenied) {
  Principal maud{
      .operator_id = 1, .name = "maud", .role = v1::ROLE_MANAGER, .departments = {"ESPACES-VERTS"}};
  auto all = DashboardScopeFor(maud, "", "");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->departments, std::vector<std::string>{"ESPACES-VERTS"});
  auto own = DashboardScopeFor(maud, "ESPACES-VERTS", "SERRES");
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(own->department, "ESPACES-VERTS");
  EXPECT_EQ(own->site, "SERRES");
  auto other = DashboardScopeFor(maud, "PROPRETE", "");
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  Principal nobody{.operator_id = 2, .name = "x", .role = v1::ROLE_MANAGER, .departments = {}};
  EXPECT_FALSE(DashboardScopeFor(nobody, "", "").has_value());
  Principal admin{.operator_id = 3, .name = "a", .role = v1::ROLE_ADMIN, .departments = {}};
  auto any = DashboardScopeFor(admin, "PROPRETE", "");
  ASSERT_TRUE(any.has_value());
  EXPECT_TRUE(any->departments.empty());
}

TEST(DashboardTest, ListLimitsAndStaleDaysHaveDefaultsAndBounds) {
  EXPECT_EQ(*ListLimit(0, "limit"), 100);
  EXPECT_EQ(*ListLimit(5, "limit"), 5);
  EXPECT_FALSE(ListLimit(1001, "limit").has_value());
  EXPECT_FALSE(ListLimit(-1, "limit").has_value());
  EXPECT_EQ(*StaleDays(0), 7);
  EXPECT_EQ(*StaleDays(30), 30);
  EXPECT_FALSE(StaleDays(-3).has_value());
}

}  // namespace
}  // namespace parc::domain
