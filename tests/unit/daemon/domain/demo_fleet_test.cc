// The demo city's device side (daemon/demo/demo_fleet.h) makes every
// device-health view of the dashboard non-empty: enrolled devices, stale and
// never-seen ones, low battery and storage, older versions, foreign use. Read
// back through the dashboard's own store queries.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "daemon/demo/demo.h"
#include "daemon/store/sqlite/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace parc::demo {
namespace {

constexpr int64_t kNow = 1'780'000'000'000;  // 2026-05-28
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

TEST(DemoFleetTest, EveryDeviceHealthViewHasSomethingToShow) {
  parc::testing::TempDir dir;
  auto store = store::sqlite::Open({.path = (dir.path() / "parc.db").string()});
  ASSERT_TRUE(store) << store.error().message;
  auto summary = LoadDemo(**store, DemoSize{.staff = 2000, .devices = 1500, .sites = 20}, kNow);
  ASSERT_TRUE(summary) << summary.error().message;
  const int in_use = summary->personal + summary->site_pool + summary->loans;
  EXPECT_GT(summary->enrolled, in_use * 3 / 4);
  EXPECT_LT(summary->enrolled, in_use);
  EXPECT_GT(summary->never_checked_in, 0);
  EXPECT_GT(summary->stale, 0);

  int64_t enrolled = 0, low_battery = 0, low_storage = 0, never = 0, stale = 0, foreign = 0;
  std::set<std::string> os_versions, agent_versions;
  Status read = (*store)->Read([&](store::Reader& r) -> Status {
    store::DashboardScope all;
    PARC_ASSIGN_OR_RETURN(auto health, r.dashboard().CountHealth(all, {}));
    for (const auto& g : health) {
      enrolled += g.devices;
      low_battery += g.low_battery ? g.devices : 0;
      low_storage += g.low_storage ? g.devices : 0;
      never += g.checked_in ? 0 : g.devices;
      if (!g.os_version.empty()) os_versions.insert(g.os_version);
      if (!g.agent_version.empty()) agent_versions.insert(g.agent_version);
    }
    PARC_ASSIGN_OR_RETURN(auto groups, r.dashboard().CountStale(all, kNow - 7 * kDayMs));
    for (const auto& g : groups) stale += g.devices;
    PARC_ASSIGN_OR_RETURN(auto used, r.dashboard().CountForeignUse(all));
    for (const auto& c : used) foreign += c.count();
    return Ok();
  });
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(enrolled, summary->enrolled);
  EXPECT_EQ(never, summary->never_checked_in);
  EXPECT_EQ(stale, summary->stale + summary->never_checked_in);
  EXPECT_GT(low_battery, 0);
  EXPECT_GT(low_storage, 0);
  EXPECT_GT(foreign, 0);
  EXPECT_GE(os_versions.size(), 4u);  // Android 12..14, two Windows builds
  EXPECT_EQ(agent_versions.size(), 3u);
}

}  // namespace
}  // namespace parc::demo
