#include "daemon/demo/demo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "common/time.h"
#include "daemon/store/sqlite/sqlite_store.h"

namespace parc::demo {
namespace {

constexpr int64_t kNow = 1'780'000'000'000;  // 2026-05-28

// Everything the demo wrote, read back page by page.
struct Dump {
  std::vector<v1::Site> sites;
  std::vector<v1::Agent> agents;
  std::vector<v1::Device> devices;
  std::vector<v1::Allocation> allocations;  // newest first
};

template <typename Filter>
Filter WithPage(store::Page page) {
  Filter f;
  f.page = page;
  return f;
}

template <typename T, typename List>
Status ReadAll(std::vector<T>& out, List list) {
  store::Page page{.after_id = 0, .limit = 5000};
  while (true) {
    PARC_ASSIGN_OR_RETURN(std::vector<T> batch, list(page));
    if (batch.empty()) return Ok();
    page.after_id = batch.back().id();
    out.insert(out.end(), batch.begin(), batch.end());
  }
}

class DemoTest : public ::testing::Test {
 protected:
  std::unique_ptr<store::Store> OpenStore(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() /
               ("parc-demo-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    dirs_.push_back(dir);
    auto store = store::sqlite::Open({.path = (dir / "parc.db").string()});
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }
  void TearDown() override {
    for (const auto& dir : dirs_) std::filesystem::remove_all(dir);
  }

  static Dump Read(store::Store& store) {
    Dump d;
    EXPECT_TRUE(store.Read([&](store::Reader& r) -> Status {
      PARC_TRY(ReadAll(d.sites,
                       [&](store::Page p) { return r.ListSites(WithPage<store::SiteFilter>(p)); }));
      PARC_TRY(ReadAll(
          d.agents, [&](store::Page p) { return r.ListAgents(WithPage<store::AgentFilter>(p)); }));
      PARC_TRY(ReadAll(d.devices, [&](store::Page p) {
        return r.ListDevices(WithPage<store::DeviceFilter>(p));
      }));
      PARC_TRY(ReadAll(d.allocations, [&](store::Page p) {
        return r.ListAllocations(WithPage<store::AllocationFilter>(p));
      }));
      return Ok();
    }));
    return d;
  }

  std::vector<std::filesystem::path> dirs_;
};

// Every assigned device has exactly one open allocation, to an active agent
// (personal, loan) or an existing site (pool), and nobody has two personal ones.
void ExpectOpenAllocationInvariants(const Dump& d, const DemoSummary& s) {
  std::map<std::string, const v1::Agent*> agents;
  for (const auto& a : d.agents) agents[a.employee_number()] = &a;
  std::set<std::string> sites;
  for (const auto& site : d.sites) sites.insert(site.code());
  std::map<int64_t, int> open_per_device;
  std::set<std::string> personal_holders;
  for (const auto& a : d.allocations) {
    EXPECT_EQ(a.started_by(), "demo");
    if (a.has_ended_at()) continue;
    ++open_per_device[a.device_id()];
    if (a.kind() == v1::ALLOCATION_KIND_SITE) {
      EXPECT_TRUE(sites.contains(a.site())) << a.site();
      continue;
    }
    ASSERT_TRUE(agents.contains(a.employee_number())) << a.employee_number();
    EXPECT_EQ(agents[a.employee_number()]->status(), v1::AGENT_STATUS_ACTIVE);
    if (a.kind() == v1::ALLOCATION_KIND_LOAN) {
      EXPECT_TRUE(IsIsoDate(a.due_date()));
    }
    if (a.kind() == v1::ALLOCATION_KIND_PERSONAL) {
      EXPECT_TRUE(personal_holders.insert(a.employee_number()).second) << a.employee_number();
      EXPECT_FALSE(agents[a.employee_number()]->has_email());
    }
  }
  int assigned = 0;
  for (const auto& dev : d.devices) {
    bool is_assigned = dev.lifecycle() == v1::LIFECYCLE_ASSIGNED;
    assigned += is_assigned;
    EXPECT_EQ(open_per_device[dev.id()], is_assigned ? 1 : 0) << dev.serial();
  }
  EXPECT_EQ(assigned, s.personal + s.site_pool + s.loans);
  EXPECT_EQ(s.devices, assigned + s.in_stock + s.in_repair + s.lost + s.retired);
}

TEST_F(DemoTest, LoadsTheDefaultCityQuicklyWithItsShape) {
  auto store = OpenStore("default");
  ASSERT_TRUE(store);
  auto start = std::chrono::steady_clock::now();
  auto summary = LoadDemo(*store, DemoSize{}, kNow);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_LT(elapsed, std::chrono::seconds(30));  // a debug build on a busy machine
  EXPECT_EQ(summary->sites, 40);
  EXPECT_EQ(summary->agents, 6500);
  EXPECT_EQ(summary->agents_without_email, 2900);
  EXPECT_EQ(summary->agents_in_wave_1, 900);
  EXPECT_EQ(summary->devices, 3000);
  EXPECT_GT(summary->personal, 1500);
  EXPECT_GT(summary->site_pool, 150);
  EXPECT_GT(summary->overdue_loans, 0);
  EXPECT_LT(summary->overdue_loans, summary->loans);
  EXPECT_GT(summary->in_repair, 0);
  EXPECT_GT(summary->lost, 0);
  EXPECT_GT(summary->retired, 0);
  EXPECT_GT(summary->in_stock, 0);

  Dump d = Read(*store);
  EXPECT_EQ(d.sites.size(), 40u);
  EXPECT_EQ(d.agents.size(), 6500u);
  EXPECT_EQ(d.devices.size(), 3000u);
  int without_email = 0, technical_without_email = 0, wave1 = 0;
  std::set<std::string> technical = {"PROPRETE", "ESPACES-VERTS", "VOIRIE",
                                     "EAU",      "BATIMENTS",     "RESTAURATION"};
  for (const auto& a : d.agents) {
    without_email += !a.has_email();
    technical_without_email += !a.has_email() && technical.contains(a.department());
    wave1 += a.wave() == "vague-1";
  }
  EXPECT_EQ(without_email, 2900);
  EXPECT_GT(technical_without_email, 2900 * 8 / 10);
  EXPECT_EQ(wave1, 900);
  ExpectOpenAllocationInvariants(d, *summary);
  // Wave 1 comes first: every wave-1 person holds a personal device.
  int wave1_equipped = 0;
  std::set<std::string> wave1_people;
  for (const auto& a : d.agents) {
    if (a.wave() == "vague-1") wave1_people.insert(a.employee_number());
  }
  for (const auto& a : d.allocations) {
    wave1_equipped += !a.has_ended_at() && a.kind() == v1::ALLOCATION_KIND_PERSONAL &&
                      wave1_people.contains(a.employee_number());
  }
  EXPECT_EQ(wave1_equipped, 900);
}

TEST_F(DemoTest, GivesTargetedStaffPixResultsLeaningToTheLowTiers) {
  auto store = OpenStore("skills");
  ASSERT_TRUE(store);
  auto summary = LoadDemo(*store, DemoSize{}, kNow);
  ASSERT_TRUE(summary) << summary.error().message;
  // ~80 % of wave 1 (900), 60 % of wave 2, 35 % of wave 3, 3 % of the others.
  EXPECT_GT(summary->assessed, 1500);
  EXPECT_LT(summary->assessed, 2100);
  EXPECT_GT(summary->assessments, summary->assessed);  // some were assessed twice
  const auto& t = summary->assessed_by_tier;
  EXPECT_EQ(t[0] + t[1] + t[2] + t[3], summary->assessed);
  EXPECT_GT(t[0], t[1]);
  EXPECT_GT(t[1], t[2]);
  EXPECT_GT(t[2], t[3]);
  EXPECT_GT(t[3], 0);

  std::vector<v1::SkillAssessment> latest, all;
  std::map<std::string, std::string> agents_wave;
  ASSERT_TRUE(store->Read([&](store::Reader& r) -> Status {
    store::SkillFilter filter{.latest_only = true, .limit = 100000};
    PARC_ASSIGN_OR_RETURN(latest, r.skills().ListAssessments(filter));
    filter.latest_only = false;
    PARC_ASSIGN_OR_RETURN(all, r.skills().ListAssessments(filter));
    return Ok();
  }));
  EXPECT_EQ(static_cast<int>(latest.size()), summary->assessed);
  EXPECT_EQ(static_cast<int>(all.size()), summary->assessments);
  Dump d = Read(*store);
  for (const auto& a : d.agents) agents_wave[a.employee_number()] = a.wave();
  int targeted = 0;
  for (const auto& a : latest) {
    ASSERT_TRUE(agents_wave.contains(a.employee_number())) << a.employee_number();
    targeted += !agents_wave[a.employee_number()].empty();
    EXPECT_LE(FromTimestamp(a.assessed_at()), kNow);
    EXPECT_TRUE(a.pix_score() >= 0 || a.mastery() >= 0);
  }
  EXPECT_GT(targeted, summary->assessed * 9 / 10);
}

std::string Fingerprint(const Dump& d) {
  std::string out;
  for (const auto& s : d.sites) out += s.SerializeAsString();
  for (const auto& a : d.agents) out += a.SerializeAsString();
  for (const auto& dev : d.devices) out += dev.SerializeAsString();
  for (const auto& a : d.allocations) out += a.SerializeAsString();
  return out;
}

TEST_F(DemoTest, SameSeedGivesTheSameDataAndAnotherSeedDoesNot) {
  DemoSize size{.staff = 700, .devices = 400, .sites = 12, .seed = 7};
  auto a = OpenStore("a"), b = OpenStore("b"), c = OpenStore("c");
  ASSERT_TRUE(a && b && c);
  ASSERT_TRUE(LoadDemo(*a, size, kNow));
  ASSERT_TRUE(LoadDemo(*b, size, kNow));
  size.seed = 8;
  ASSERT_TRUE(LoadDemo(*c, size, kNow));
  Dump da = Read(*a), db = Read(*b), dc = Read(*c);
  EXPECT_EQ(da.agents.size(), 700u);
  EXPECT_EQ(da.devices.size(), 400u);
  EXPECT_EQ(Fingerprint(da), Fingerprint(db));
  EXPECT_NE(Fingerprint(da), Fingerprint(dc));
}

TEST_F(DemoTest, ScalesSiteNamesAndKeepsInvariantsInATinyCity) {
  auto store = OpenStore("tiny");
  ASSERT_TRUE(store);
  auto summary = LoadDemo(*store, {.staff = 3, .devices = 50, .sites = 85, .seed = 1}, kNow);
  ASSERT_TRUE(summary) << summary.error().message;
  Dump d = Read(*store);
  ASSERT_EQ(d.sites.size(), 85u);
  EXPECT_EQ(d.sites[40].code(), "DSI-2");
  EXPECT_EQ(d.sites[81].code(), "MAIRIE-3");
  EXPECT_EQ(summary->agents_without_email, 1);  // 3 * 29 / 65
  ExpectOpenAllocationInvariants(d, *summary);
}

TEST_F(DemoTest, RefusesADatabaseThatIsNotEmptyAndBadSizes) {
  auto store = OpenStore("twice");
  ASSERT_TRUE(store);
  ASSERT_TRUE(LoadDemo(*store, {.staff = 10, .devices = 5, .sites = 2}, kNow));
  auto again = LoadDemo(*store, {.staff = 10, .devices = 5, .sites = 2}, kNow);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(LoadDemo(*store, {.staff = 0}, kNow));
  EXPECT_FALSE(LoadDemo(*store, {.sites = 0}, kNow));
}

// The million-row load; run with PARC_DEMO_BIG=1 (it takes minutes in a debug
// build and ~2 GB of disk).
TEST_F(DemoTest, LoadsAMillionAgentsAndDevices) {
  if (std::getenv("PARC_DEMO_BIG") == nullptr) GTEST_SKIP() << "set PARC_DEMO_BIG=1";
  auto store = OpenStore("big");
  ASSERT_TRUE(store);
  auto start = std::chrono::steady_clock::now();
  auto summary = LoadDemo(*store, {.staff = 1'000'000, .devices = 1'000'000, .sites = 2000}, kNow);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(summary) << summary.error().message;
  std::printf("demo 1M/1M/2000: %.1f s, %d transactions, %d open allocations\n", seconds,
              summary->transactions, summary->personal + summary->site_pool + summary->loans);
  EXPECT_EQ(summary->agents, 1'000'000);
  EXPECT_EQ(summary->devices, 1'000'000);
}

}  // namespace
}  // namespace parc::demo
