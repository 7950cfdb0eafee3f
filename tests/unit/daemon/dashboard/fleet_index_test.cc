// The dashboards' in-memory index (daemon/dashboard/fleet_index.h) against the
// SQL reads it replaces, on a real SQLite file holding a small demo city
// (several departments, sites, kinds, waves, tiers, loans, stale and
// never-seen devices, foreign use, progress): every grouped read must return
// the same rows for many scopes. Then check-ins, operator writes and progress
// go through the ObservedStore, as in parcd, and everything is compared again.
#include "daemon/dashboard/fleet_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "common/time.h"
#include "daemon/demo/demo.h"
#include "daemon/domain/allocation.h"
#include "daemon/domain/inventory.h"
#include "daemon/store/observed_store.h"
#include "daemon/store/sqlite/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace parc::dashboard {
namespace {

constexpr int64_t kNow = 1'780'000'000'000;  // 2026-05-28
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

template <typename T, typename F>
auto Sorted(const std::vector<T>& rows, F key) {
  std::vector<decltype(key(rows.front()))> out;
  for (const auto& r : rows) out.push_back(key(r));
  std::sort(out.begin(), out.end());
  return out;
}

auto DeviceKey(const store::DeviceGroup& g) {
  return std::tuple(g.kind, g.lifecycle, g.department, g.site, g.allocation, g.devices);
}
auto TargetedKey(const store::TargetedGroup& g) {
  return std::tuple(g.department, g.site, g.advisor, g.wave, g.equipped, g.agents);
}
auto FunnelKey(const store::FunnelGroup& g) {
  return std::tuple(g.department, g.advisor, g.wave, g.tier, g.assessed, g.assigned, g.started,
                    g.completed, g.agents);
}
auto HealthKey(const store::HealthGroup& g) {
  return std::tuple(g.department, g.kind, g.os_version, g.agent_version, g.checked_in,
                    g.low_battery, g.low_storage, g.devices);
}
auto VersionKey(const store::VersionGroup& g) {
  return std::tuple(g.kind, g.os_version, g.agent_version, g.devices);
}
auto StaleKey(const store::StaleGroup& g) {
  return std::tuple(g.department, g.never_checked_in, g.devices);
}
auto CountKey(const v1::DepartmentCount& c) { return std::pair(c.department(), c.count()); }

class FleetIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::Open({.path = (dir_.path() / "parc.db").string()});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto summary =
        demo::LoadDemo(*store_, demo::DemoSize{.staff = 700, .devices = 500, .sites = 9}, kNow);
    ASSERT_TRUE(summary) << summary.error().message;
    ASSERT_GT(summary->overdue_loans, 0);
    ASSERT_GT(summary->never_checked_in, 0);
    ASSERT_GT(summary->stale, 0);
    index_ = std::make_unique<FleetIndex>(*store_);
    tracked_ = std::make_unique<store::ObservedStore>(
        *store_, std::vector<store::StoreObserver*>{index_.get()});
  }

  // Departments, sites, waves and advisors present, from SQL.
  void Names() {
    Status read = store_->Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, r.dashboard().CountTargetedAgents({}));
      for (const auto& g : rows) {
        departments_.insert(g.department);
        sites_.insert(g.site);
        if (!g.wave.empty()) waves_.insert(g.wave);
        if (!g.advisor.empty()) advisors_.insert(g.advisor);
      }
      return Ok();
    });
    ASSERT_TRUE(read) << read.error().message;
    ASSERT_GE(departments_.size(), 3u);
    ASSERT_GE(sites_.size(), 3u);
    ASSERT_GE(waves_.size(), 2u);
    ASSERT_GE(advisors_.size(), 2u);
  }

  std::vector<store::DashboardScope> Scopes() {
    std::vector<store::DashboardScope> scopes;
    scopes.push_back({});
    for (const auto& d : departments_) scopes.push_back({.department = d});
    for (const auto& s : sites_) scopes.push_back({.site = s});
    for (const auto& w : waves_) scopes.push_back({.wave = w});
    for (const auto& a : advisors_) scopes.push_back({.advisor = a});
    for (auto kind :
         {v1::DEVICE_KIND_TABLET, v1::DEVICE_KIND_SMARTPHONE, v1::DEVICE_KIND_SHARED_PC}) {
      scopes.push_back({.kind = kind});
      scopes.push_back({.department = *departments_.begin(), .kind = kind});
    }
    std::vector<std::string> two(departments_.begin(), std::next(departments_.begin(), 2));
    scopes.push_back({.departments = two});
    scopes.push_back({.site = *sites_.begin(), .departments = two});
    scopes.push_back({.departments = {*departments_.rbegin()},
                      .kind = v1::DEVICE_KIND_TABLET,
                      .wave = *waves_.begin()});
    scopes.push_back({.department = *departments_.begin(), .advisor = *advisors_.begin()});
    scopes.push_back({.department = "NOWHERE"});
    scopes.push_back({.departments = {"NOWHERE"}});
    scopes.push_back({.wave = "vague-99"});
    return scopes;
  }

  // Every grouped read, from SQL and from the index, in one snapshot.
  void ExpectSame(int64_t now_ms) {
    auto index = index_->Current();
    ASSERT_TRUE(index) << index.error().message;
    const std::vector<int64_t> stale_before{now_ms - 7 * kDayMs, now_ms - kDayMs, now_ms + 1,
                                            now_ms - 400 * kDayMs};
    const std::vector<std::string> days{FormatDate(now_ms), FormatDate(now_ms - 30 * kDayMs),
                                        FormatDate(now_ms + 60 * kDayMs)};
    const store::HealthThresholds limits;
    int compared = 0;
    Status read = store_->Read([&](store::Reader& r) -> Status {
      store::DashboardReader& sql = r.dashboard();
      auto reader = index_->Reader(*index, sql);
      store::DashboardReader& mem = *reader;
      for (const store::DashboardScope& scope : Scopes()) {
        SCOPED_TRACE(scope.department + "|" + scope.site + "|" + scope.wave + "|" + scope.advisor +
                     "|" + std::to_string(scope.kind) + "|" +
                     std::to_string(scope.departments.size()));
        PARC_ASSIGN_OR_RETURN(auto d1, sql.CountDevices(scope));
        PARC_ASSIGN_OR_RETURN(auto d2, mem.CountDevices(scope));
        EXPECT_EQ(Sorted(d1, DeviceKey), Sorted(d2, DeviceKey));
        PARC_ASSIGN_OR_RETURN(auto t1, sql.CountTargetedAgents(scope));
        PARC_ASSIGN_OR_RETURN(auto t2, mem.CountTargetedAgents(scope));
        EXPECT_EQ(Sorted(t1, TargetedKey), Sorted(t2, TargetedKey));
        PARC_ASSIGN_OR_RETURN(auto f1, sql.CountFunnel(scope));
        PARC_ASSIGN_OR_RETURN(auto f2, mem.CountFunnel(scope));
        EXPECT_EQ(Sorted(f1, FunnelKey), Sorted(f2, FunnelKey));
        PARC_ASSIGN_OR_RETURN(auto h1, sql.CountHealth(scope, limits));
        PARC_ASSIGN_OR_RETURN(auto h2, mem.CountHealth(scope, limits));
        EXPECT_EQ(Sorted(h1, HealthKey), Sorted(h2, HealthKey));
        PARC_ASSIGN_OR_RETURN(auto u1, sql.CountForeignUse(scope));
        PARC_ASSIGN_OR_RETURN(auto u2, mem.CountForeignUse(scope));
        EXPECT_EQ(Sorted(u1, CountKey), Sorted(u2, CountKey));
        for (int limit : {1, 5, 100}) {
          PARC_ASSIGN_OR_RETURN(auto f1, sql.ListForeignUse(scope, limit));
          PARC_ASSIGN_OR_RETURN(auto f2, mem.ListForeignUse(scope, limit));
          EXPECT_EQ(f1.size(), f2.size());
          for (size_t i = 0; i < std::min(f1.size(), f2.size()); ++i) {
            EXPECT_EQ(f1[i].SerializeAsString(), f2[i].SerializeAsString()) << i;
          }
        }
        for (int64_t before : stale_before) {
          PARC_ASSIGN_OR_RETURN(auto s1, sql.CountStale(scope, before));
          PARC_ASSIGN_OR_RETURN(auto s2, mem.CountStale(scope, before));
          EXPECT_EQ(Sorted(s1, StaleKey), Sorted(s2, StaleKey));
          for (int limit : {1, 7, 100}) {
            PARC_ASSIGN_OR_RETURN(auto l1, sql.ListStale(scope, before, limit));
            PARC_ASSIGN_OR_RETURN(auto l2, mem.ListStale(scope, before, limit));
            EXPECT_EQ(l1.size(), l2.size());
            for (size_t i = 0; i < std::min(l1.size(), l2.size()); ++i) {
              EXPECT_EQ(l1[i].SerializeAsString(), l2[i].SerializeAsString()) << i;
            }
          }
        }
        for (const std::string& today : days) {
          PARC_ASSIGN_OR_RETURN(auto o1, sql.CountOverdueLoans(scope, today));
          PARC_ASSIGN_OR_RETURN(auto o2, mem.CountOverdueLoans(scope, today));
          EXPECT_EQ(Sorted(o1, CountKey), Sorted(o2, CountKey));
        }
        ++compared;
      }
      // A list asked for without the counts first makes its own pass.
      for (int64_t before : stale_before) {
        auto alone = index_->Reader(*index, sql);
        PARC_ASSIGN_OR_RETURN(auto l1, sql.ListStale({}, before, 50));
        PARC_ASSIGN_OR_RETURN(auto l2, alone->ListStale({}, before, 50));
        EXPECT_EQ(l1.size(), l2.size());
        for (size_t i = 0; i < std::min(l1.size(), l2.size()); ++i) {
          EXPECT_EQ(l1[i].SerializeAsString(), l2[i].SerializeAsString()) << i;
        }
      }
      PARC_ASSIGN_OR_RETURN(auto v1s, sql.CountVersions());
      PARC_ASSIGN_OR_RETURN(auto v2s, mem.CountVersions());
      EXPECT_EQ(Sorted(v1s, VersionKey), Sorted(v2s, VersionKey));
      for (int64_t before : stale_before) {
        PARC_ASSIGN_OR_RETURN(auto g1, sql.CountFleet(before));
        PARC_ASSIGN_OR_RETURN(auto g2, mem.CountFleet(before));
        auto l1 = g1.by_lifecycle, l2 = g2.by_lifecycle;
        std::sort(l1.begin(), l1.end());
        std::sort(l2.begin(), l2.end());
        EXPECT_EQ(l1, l2);
        EXPECT_EQ(g1.enrolled, g2.enrolled);
        EXPECT_EQ(g1.stale, g2.stale);
      }
      return Ok();
    });
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_GT(compared, 20);
  }

  std::vector<int64_t> EnrolledDevices() {
    std::vector<int64_t> ids;
    Status read = store_->Read([&](store::Reader& r) -> Status {
      return r.dashboard().ScanDevices([&](const store::DeviceFacts& d) {
        if (d.enrolled) ids.push_back(d.id);
      });
    });
    EXPECT_TRUE(read) << read.error().message;
    return ids;
  }

  // Check-ins as the pipeline records them: statuses (some out of order),
  // logins by the holder and by someone else, logouts, silent devices.
  void CheckIns(int64_t now_ms, int round) {
    const auto ids = EnrolledDevices();
    ASSERT_GT(ids.size(), 50u);
    std::vector<v1::CheckInRequest> requests(ids.size());
    std::vector<store::DeviceReports> batch;
    for (size_t i = 0; i < ids.size(); ++i) {
      if ((i + round) % 3 == 0) continue;  // stays silent
      v1::CheckInRequest& req = requests[i];
      const uint64_t seq = 1000 + static_cast<uint64_t>(round) * 10;
      v1::Report* status = req.add_reports();
      // Every fifth device sends an old status (lower sequence): ignored.
      status->set_sequence(i % 5 == 0 ? 1 : seq);
      status->mutable_collected_at()->set_seconds((now_ms - 1000) / 1000);
      auto* s = status->mutable_status();
      s->set_battery_percent(static_cast<int32_t>((i * 7 + round * 13) % 101));
      s->set_storage_total_bytes(1000);
      s->set_storage_free_bytes(static_cast<int64_t>((i * 3 + round) % 200));
      s->set_os_version(i % 4 == 0 ? "Android 15" : "Android 14");
      s->set_agent_version(round % 2 == 0 ? "0.9.0" : "1.0.0");
      if (i % 4 == 1) {
        v1::Report* login = req.add_reports();
        login->set_sequence(seq + 1);
        login->mutable_collected_at()->set_seconds(now_ms / 1000);
        login->mutable_usage()->set_login(true);
        login->mutable_usage()->set_employee_number(i % 8 == 1 ? "E-OTHER" : "E-HOLDER");
      } else if (i % 4 == 2) {
        v1::Report* logout = req.add_reports();
        logout->set_sequence(seq + 1);
        logout->mutable_collected_at()->set_seconds(now_ms / 1000);
        logout->mutable_usage()->set_login(false);
      }
      batch.push_back({.device_id = ids[i], .request = &req, .holder_employee_number = "E-HOLDER"});
    }
    auto recorded = tracked_->RecordReports(batch, now_ms);
    ASSERT_TRUE(recorded) << recorded.error().message;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<FleetIndex> index_;
  std::unique_ptr<store::ObservedStore> tracked_;
  std::set<std::string> departments_, sites_, waves_, advisors_;
};

TEST_F(FleetIndexTest, EveryGroupedReadEqualsTheSqlOne) {
  Names();
  ExpectSame(kNow);
  ExpectSame(kNow + 3 * kDayMs);
  const auto stats = index_->stats();
  EXPECT_EQ(stats.builds, 1);
  EXPECT_GT(stats.devices, 400);
  EXPECT_GT(stats.agents, 100);
  EXPECT_GT(stats.loans, 0);
}

TEST_F(FleetIndexTest, CheckInsAreAppliedInMemoryAsInTheDatabase) {
  Names();
  ASSERT_TRUE(index_->Current());
  for (int round = 0; round < 4; ++round) {
    CheckIns(kNow + round * kDayMs, round);
    ExpectSame(kNow + round * kDayMs);
  }
  EXPECT_EQ(index_->stats().builds, 1);  // no rebuild: applied in memory
}

TEST_F(FleetIndexTest, OperatorWritesAreSeenByTheNextRead) {
  Names();
  ASSERT_TRUE(index_->Current());
  // A new device, an agent moved to another department, a loan returned.
  Status written = tracked_->Write([&](store::Writer& w) -> Status {
    v1::Device d;
    d.set_serial("NEW-1");
    d.set_kind(v1::DEVICE_KIND_SMARTPHONE);
    d.set_department(*departments_.begin());
    d.set_site(*sites_.begin());
    d.set_lifecycle(v1::LIFECYCLE_IN_STOCK);
    PARC_ASSIGN_OR_RETURN(int64_t id, w.InsertDevice(d));
    EXPECT_GT(id, 0);
    PARC_ASSIGN_OR_RETURN(auto agents, w.ListAgents({.without_email_only = true}));
    if (!agents.empty()) {
      v1::Agent a = agents.front();
      a.set_department(*departments_.rbegin());
      a.set_wave(*waves_.begin());
      PARC_TRY(w.UpdateAgent(a));
    }
    PARC_ASSIGN_OR_RETURN(auto loans, w.ListAllocations({.open_only = true}));
    for (v1::Allocation a : loans) {
      if (a.kind() != v1::ALLOCATION_KIND_LOAN) continue;
      a.mutable_ended_at()->set_seconds(kNow / 1000);
      a.set_ended_by("test");
      PARC_TRY(w.CloseAllocation(a));
      break;
    }
    v1::AuditEvent e;
    e.set_actor("test");
    e.set_action("test.change");
    e.set_target("device:NEW-1");
    e.mutable_at()->set_seconds(kNow / 1000);
    PARC_ASSIGN_OR_RETURN(int64_t audit, w.AppendAudit(e));
    EXPECT_GT(audit, 0);
    return Ok();
  });
  ASSERT_TRUE(written) << written.error().message;
  ExpectSame(kNow);
  EXPECT_EQ(index_->stats().builds, 2);
}

// What operators do every day (assign, return, move a device or a person,
// declare a loss; sites and other neutral writes) is applied in place, found
// through the audit events of the writes: no rebuild.
TEST_F(FleetIndexTest, EverydayOperatorWritesAreAppliedWithoutARebuild) {
  Names();
  ASSERT_TRUE(index_->Current());
  const domain::Principal admin{.name = "admin", .role = v1::ROLE_ADMIN};
  const domain::Call call{.who = admin, .now_ms = kNow};
  std::vector<v1::Device> in_stock;
  std::vector<v1::Allocation> open;
  std::vector<v1::Agent> people;
  Status read = store_->Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(in_stock, r.ListDevices({.lifecycle = v1::LIFECYCLE_IN_STOCK}));
    PARC_ASSIGN_OR_RETURN(open, r.ListAllocations({.open_only = true}));
    PARC_ASSIGN_OR_RETURN(
        people, r.ListAgents({.status = v1::AGENT_STATUS_ACTIVE, .without_email_only = true}));
    return Ok();
  });
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_GE(in_stock.size(), 3u);
  ASSERT_GE(people.size(), 3u);
  auto personal = std::find_if(open.begin(), open.end(), [](const v1::Allocation& a) {
    return a.kind() == v1::ALLOCATION_KIND_PERSONAL;
  });
  ASSERT_NE(personal, open.end());
  auto write = [&](auto op) {
    Status written = tracked_->Write([&](store::Writer& w) -> Status {
      auto done = op(w);
      if (!done) return std::unexpected(done.error());
      return Ok();
    });
    ASSERT_TRUE(written) << written.error().message;
  };
  write([&](store::Writer& w) {  // a loan to someone targeted
    v1::AssignRequest req;
    req.set_device(in_stock[0].serial());
    req.set_employee_number(people[0].employee_number());
    req.set_due_date(FormatDate(kNow + 10 * kDayMs));  // overdue 60 days on
    return domain::Assign(w, call, req);
  });
  write([&](store::Writer& w) {  // back to the workshop
    v1::ReturnRequest req;
    req.set_device(personal->device_serial());
    req.set_to(v1::LIFECYCLE_IN_REPAIR);
    return domain::Return(w, call, req);
  });
  write([&](store::Writer& w) {  // moved to another department and site
    v1::Device patch;
    patch.set_serial(in_stock[1].serial());
    patch.set_department(*departments_.rbegin());
    patch.set_site(*sites_.rbegin());
    google::protobuf::FieldMask mask;
    mask.add_paths("department");
    mask.add_paths("site");
    return domain::UpdateDevice(w, call, patch, mask);
  });
  write([&](store::Writer& w) {
    return domain::SetDeviceLifecycle(w, call, in_stock[2].serial(), v1::LIFECYCLE_LOST, "perdu");
  });
  write([&](store::Writer& w) {  // someone changes department and wave
    v1::Agent patch;
    patch.set_employee_number(people[1].employee_number());
    patch.set_department(*departments_.begin());
    patch.set_wave(*waves_.rbegin());
    google::protobuf::FieldMask mask;
    mask.add_paths("department");
    mask.add_paths("wave");
    return domain::UpdateAgent(w, call, patch, mask);
  });
  write([&](store::Writer& w) {  // a new site: nothing the dashboards count
    v1::Site site;
    site.set_code("ANNEXE-TEST");
    site.set_name("Annexe");
    return domain::CreateSite(w, call, site);
  });
  ExpectSame(kNow);
  EXPECT_EQ(index_->stats().builds, 1);
  EXPECT_EQ(index_->stats().refreshes, 1);  // one refresh for the six writes
}

TEST_F(FleetIndexTest, ProgressMovesPeopleAlongTheFunnel) {
  Names();
  ASSERT_TRUE(index_->Current());
  std::vector<std::string> people;
  int64_t device = 0;
  Status read = store_->Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(auto agents, r.ListAgents({.status = v1::AGENT_STATUS_ACTIVE,
                                                     .without_email_only = true,
                                                     .page = {.limit = 60}}));
    for (const auto& a : agents) people.push_back(a.employee_number());
    PARC_ASSIGN_OR_RETURN(auto devices, r.ListDevices({.page = {.limit = 1}}));
    if (!devices.empty()) device = devices.front().id();
    return Ok();
  });
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_GE(people.size(), 40u);
  v1::ReportProgressRequest req;
  int n = 0;
  for (size_t i = 0; i < people.size(); ++i) {
    for (const char* module : {"PREMIERS-PAS", "MESSAGERIE", "INTRANET", "RECHERCHE-WEB"}) {
      if ((i + static_cast<size_t>(module[0])) % 3 == 0) continue;
      v1::ProgressEvent* e = req.add_events();
      e->set_id("t-" + std::to_string(++n));
      e->set_employee_number(people[i]);
      e->set_module_code(module);
      e->set_module_version(1);
      e->set_kind(i % 2 == 0 ? v1::PROGRESS_KIND_MODULE_COMPLETED : v1::PROGRESS_KIND_OPENED);
      e->mutable_at()->set_seconds(kNow / 1000);
      if (req.events_size() == 400) {
        ASSERT_TRUE(tracked_->RecordProgress(device, req, kNow));
        req.clear_events();
      }
    }
  }
  if (req.events_size() > 0) {
    ASSERT_TRUE(tracked_->RecordProgress(device, req, kNow));
  }
  ExpectSame(kNow);
  EXPECT_EQ(index_->stats().builds, 1);  // a point refresh, no rebuild
}

// parcd starts the build in the background; a reader arriving meanwhile waits
// for it, and check-ins recorded during the build are not lost.
TEST_F(FleetIndexTest, ABackgroundBuildServesTheFirstReadAndKeepsCheckInsMadeMeanwhile) {
  Names();
  index_->StartBuild();
  std::thread checkins([&] {
    for (int round = 0; round < 3; ++round) CheckIns(kNow + round * 1000, round);
  });
  checkins.join();
  ExpectSame(kNow + 2000);
  EXPECT_EQ(index_->stats().builds, 1);
}

}  // namespace
}  // namespace parc::dashboard
