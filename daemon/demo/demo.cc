#include "daemon/demo/demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/time.h"
#include "daemon/demo/demo_data.h"
#include "daemon/domain/records.h"

namespace parc::demo {
namespace {

constexpr int kAgentsPerTransaction = 50'000;
constexpr int kDevicesPerTransaction = 20'000;  // each with up to two allocations
constexpr int64_t kDayMs = 86'400'000;

// Draws from one seeded std::mt19937_64 with our own arithmetic, so the data
// does not depend on the standard library's distributions.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  uint64_t Below(uint64_t n) { return engine_() % n; }
  int64_t Between(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Below(hi - lo + 1)); }
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(i)]);
  }

 private:
  std::mt19937_64 engine_;
};

// One staff member, compact enough for a million of them.
struct AgentPlan {
  uint16_t first = 0, last = 0;
  uint8_t department = 0;
  int32_t site = 0;
  bool email = true;
  bool left = false;
  uint8_t wave = 0;  // 0: none
  uint8_t advisor = 0;
};

struct City {
  std::vector<v1::Site> sites;
  std::vector<std::vector<int32_t>> sites_of_department;
  std::vector<AgentPlan> agents;
  std::vector<int32_t> targeted;  // staff without email, wave 1 first
  size_t next_target = 0;         // next targeted person without a personal device
};

std::string EmployeeNumber(int i) { return fmt::format("E{:06}", 1000 + i); }

void PlanSites(City& city, int count) {
  city.sites_of_department.resize(data::kDepartments.size());
  for (int i = 0; i < count; ++i) {
    const data::Site& t = data::kSites[i % data::kSites.size()];
    int copy = i / static_cast<int>(data::kSites.size());
    v1::Site& site = city.sites.emplace_back();
    site.set_code(copy == 0 ? std::string(t.code) : fmt::format("{}-{}", t.code, copy + 1));
    site.set_name(copy == 0 ? std::string(t.name) : fmt::format("{} {}", t.name, copy + 1));
    site.set_address(fmt::format("{}, 35000 Rennes", t.address));
    for (size_t d = 0; d < data::kDepartments.size(); ++d) {
      std::string_view code = data::kDepartments[d].code;
      std::string padded = fmt::format(" {} ", t.departments);
      if (padded.find(fmt::format(" {} ", code)) != std::string::npos) {
        city.sites_of_department[d].push_back(i);
      }
    }
  }
}

int PickDepartment(Random& rng) {
  int total = 0;
  for (const auto& d : data::kDepartments) total += d.weight;
  int roll = static_cast<int>(rng.Below(total));
  for (size_t d = 0; d < data::kDepartments.size(); ++d) {
    roll -= data::kDepartments[d].weight;
    if (roll < 0) return static_cast<int>(d);
  }
  return 0;
}

// Chooses who has no email (29/65 of the staff, ~85% of them in technical
// services), their waves (9/65 of the staff in vague-1, 10/65 in vague-2, the
// rest in vague-3) and advisors; a few people with email have left.
void PlanEmail(City& city, Random& rng) {
  const int64_t staff = static_cast<int64_t>(city.agents.size());
  std::vector<int32_t> technical, other;
  for (int32_t i = 0; i < staff; ++i) {
    (data::kDepartments[city.agents[i].department].technical ? technical : other).push_back(i);
  }
  rng.Shuffle(technical);
  rng.Shuffle(other);
  const size_t without = static_cast<size_t>(staff * 29 / 65);
  size_t from_other =
      std::min(other.size(), without - std::min(technical.size(), without * 85 / 100));
  size_t from_technical = without - from_other;
  city.targeted.assign(technical.begin(), technical.begin() + from_technical);
  city.targeted.insert(city.targeted.end(), other.begin(), other.begin() + from_other);
  rng.Shuffle(city.targeted);
  const size_t wave1 = static_cast<size_t>(staff * 9 / 65), wave2 = wave1 + staff * 10 / 65;
  for (size_t k = 0; k < city.targeted.size(); ++k) {
    AgentPlan& a = city.agents[city.targeted[k]];
    a.email = false;
    a.wave = k < wave1 ? 1 : k < wave2 ? 2 : 3;
    a.advisor = static_cast<uint8_t>(1 + rng.Below(data::kAdvisors.size()));
  }
  for (AgentPlan& a : city.agents) a.left = a.email && rng.Unit() < 0.03;
}

void PlanAgents(City& city, int staff, Random& rng) {
  city.agents.resize(staff);
  for (AgentPlan& a : city.agents) {
    a.first = static_cast<uint16_t>(rng.Below(data::kFirstNames.size()));
    a.last = static_cast<uint16_t>(rng.Below(data::kLastNames.size()));
    a.department = static_cast<uint8_t>(PickDepartment(rng));
    const auto& sites = city.sites_of_department[a.department];
    a.site = sites.empty() ? static_cast<int32_t>(rng.Below(city.sites.size()))
                           : sites[rng.Below(sites.size())];
  }
  PlanEmail(city, rng);
}

v1::Agent MakeAgent(const City& city, int i, int64_t now_ms) {
  const AgentPlan& p = city.agents[i];
  v1::Agent a;
  a.set_employee_number(EmployeeNumber(i));
  a.set_first_name(std::string(data::kFirstNames[p.first]));
  a.set_last_name(std::string(data::kLastNames[p.last]));
  a.set_department(std::string(data::kDepartments[p.department].code));
  a.set_site(city.sites[p.site].code());
  a.set_has_email(p.email);
  if (p.advisor > 0) a.set_advisor(std::string(data::kAdvisors[p.advisor - 1]));
  if (p.wave > 0) a.set_wave(fmt::format("vague-{}", p.wave));
  a.set_status(p.left ? v1::AGENT_STATUS_LEFT : v1::AGENT_STATUS_ACTIVE);
  a.set_badge(fmt::format("B{:07}", 1 + i));
  ToTimestamp(now_ms, a.mutable_created_at());
  ToTimestamp(now_ms, a.mutable_updated_at());
  return a;
}

// "R52T1234ABC": 4 digits and 3 letters encode the device number, so serials
// are unique up to 175 million devices.
std::string Serial(std::string_view prefix, int n) {
  int high = n / 10000;
  char letters[4] = {static_cast<char>('A' + high / 676 % 26),
                     static_cast<char>('A' + high / 26 % 26), static_cast<char>('A' + high % 26),
                     '\0'};
  return fmt::format("{}{:04}{}", prefix, n % 10000, letters);
}

// A device with its open allocation (if assigned) and one closed allocation
// (if it came back broken or was lost).
struct DevicePlan {
  v1::Device device;
  std::optional<v1::Allocation> open, closed;
};

// Someone still working here (3% of the staff with email have left; after 64
// unlucky draws, in a tiny city, anyone).
int32_t RandomActiveAgent(const City& city, Random& rng) {
  int32_t i = 0;
  for (int attempt = 0; attempt < 64; ++attempt) {
    i = static_cast<int32_t>(rng.Below(city.agents.size()));
    if (!city.agents[i].left) break;
  }
  return i;
}

v1::Allocation Allocation(const City& city, v1::AllocationKind kind, int32_t agent,
                          int64_t started_ms) {
  v1::Allocation a;
  a.set_kind(kind);
  if (agent >= 0) {
    const AgentPlan& p = city.agents[agent];
    a.set_employee_number(EmployeeNumber(agent));
    a.set_agent_name(fmt::format("{} {}", data::kFirstNames[p.first], data::kLastNames[p.last]));
  }
  ToTimestamp(started_ms, a.mutable_started_at());
  a.set_started_by("demo");
  return a;
}

void GiveToPerson(City& city, DevicePlan& plan, v1::AllocationKind kind, int32_t agent,
                  int64_t started_ms) {
  const AgentPlan& p = city.agents[agent];
  plan.device.set_lifecycle(v1::LIFECYCLE_ASSIGNED);
  plan.device.set_site(city.sites[p.site].code());
  plan.device.set_department(std::string(data::kDepartments[p.department].code));
  plan.open = Allocation(city, kind, agent, started_ms);
}

// Decides what became of a tablet or smartphone.
void PlanMobile(City& city, DevicePlan& plan, Random& rng, int64_t now_ms) {
  double roll = rng.Unit();
  int64_t started = now_ms - rng.Between(1, 400) * kDayMs;
  if (roll < 0.78 && city.next_target < city.targeted.size()) {
    GiveToPerson(city, plan, v1::ALLOCATION_KIND_PERSONAL, city.targeted[city.next_target++],
                 started);
  } else if (roll >= 0.78 && roll < 0.82) {
    started = now_ms - rng.Between(1, 40) * kDayMs;
    GiveToPerson(city, plan, v1::ALLOCATION_KIND_LOAN, RandomActiveAgent(city, rng), started);
    plan.open->set_due_date(FormatDate(started + rng.Between(7, 30) * kDayMs));
  } else if (roll >= 0.82 && roll < 0.865) {
    bool lost = roll >= 0.85;
    plan.device.set_lifecycle(lost ? v1::LIFECYCLE_LOST : v1::LIFECYCLE_IN_REPAIR);
    plan.closed = Allocation(city, v1::ALLOCATION_KIND_PERSONAL, RandomActiveAgent(city, rng),
                             now_ms - rng.Between(120, 300) * kDayMs);
    ToTimestamp(now_ms - rng.Between(1, 90) * kDayMs, plan.closed->mutable_ended_at());
    plan.closed->set_ended_by("demo");
    plan.closed->set_return_condition(lost ? "déclaré perdu" : "écran cassé");
    plan.closed->set_returned_to(plan.device.lifecycle());
  } else if (roll >= 0.865 && roll < 0.875) {
    plan.device.set_lifecycle(v1::LIFECYCLE_RETIRED);
  }
}

// Decides what became of a shared PC: most sit in a site's pool.
void PlanSharedPc(const City& city, DevicePlan& plan, Random& rng, int64_t now_ms) {
  double roll = rng.Unit();
  if (roll < 0.85) {
    const v1::Site& site = city.sites[rng.Below(city.sites.size())];
    plan.device.set_lifecycle(v1::LIFECYCLE_ASSIGNED);
    plan.device.set_site(site.code());
    plan.open =
        Allocation(city, v1::ALLOCATION_KIND_SITE, -1, now_ms - rng.Between(1, 700) * kDayMs);
    plan.open->set_site(site.code());
  } else if (roll < 0.90) {
    plan.device.set_lifecycle(v1::LIFECYCLE_IN_REPAIR);
  } else if (roll < 0.91) {
    plan.device.set_lifecycle(v1::LIFECYCLE_RETIRED);
  }
}

DevicePlan PlanDevice(City& city, int n, std::array<int, 4>& tag_counters, Random& rng,
                      int64_t now_ms) {
  double kind_roll = rng.Unit();
  int kind = kind_roll < 0.5 ? 1 : kind_roll < 0.9 ? 2 : 3;
  const data::Model& model = data::kModels[(kind - 1) * 3 + rng.Below(3)];
  DevicePlan plan;
  v1::Device& d = plan.device;
  d.set_serial(Serial(model.serial_prefix, n));
  static constexpr std::string_view kTagKinds[] = {"", "TAB", "TEL", "PC"};
  d.set_asset_tag(fmt::format("RM-{}-{:06}", kTagKinds[kind], ++tag_counters[kind]));
  d.set_kind(static_cast<v1::DeviceKind>(kind));
  d.set_model(std::string(model.name));
  d.set_os(std::string(model.os));
  int64_t bought = now_ms - rng.Between(30, 1500) * kDayMs;
  d.set_purchase_date(FormatDate(bought));
  d.set_warranty_end(FormatDate(bought + model.warranty_years * 365 * kDayMs));
  d.set_site(city.sites[0].code());  // stock, unless given below
  d.set_lifecycle(v1::LIFECYCLE_IN_STOCK);
  ToTimestamp(now_ms, d.mutable_created_at());
  ToTimestamp(now_ms, d.mutable_updated_at());
  if (kind == 3) {
    PlanSharedPc(city, plan, rng, now_ms);
  } else {
    PlanMobile(city, plan, rng, now_ms);
  }
  return plan;
}

template <typename T>
Status CheckedInsert(T& record, const std::function<Expected<int64_t>(const T&)>& insert,
                     int64_t* id = nullptr) {
  domain::Normalize(record);
  if (auto valid = domain::Validate(record); !valid) {
    return std::unexpected(valid.error().Wrap("demo data is invalid (a bug)"));
  }
  PARC_ASSIGN_OR_RETURN(int64_t new_id, insert(record));
  if (id != nullptr) *id = new_id;
  return Ok();
}

// Runs `fn` in one transaction with its "demo.load" audit event.
Status Transaction(store::Store& store, int64_t now_ms, std::string summary, DemoSummary& out,
                   const std::function<Status(store::Writer&)>& fn) {
  ++out.transactions;
  return store.Write([&](store::Writer& w) -> Status {
    PARC_TRY(fn(w));
    v1::AuditEvent event;
    ToTimestamp(now_ms, event.mutable_at());
    event.set_actor("demo");
    event.set_action("demo.load");
    event.set_target("demo");
    event.set_summary(summary);
    PARC_TRY(w.AppendAudit(event));
    return Ok();
  });
}

Status CheckEmpty(store::Store& store) {
  return store.Read([](store::Reader& r) -> Status {
    store::AgentFilter agent_filter;
    store::DeviceFilter device_filter;
    store::SiteFilter site_filter;
    agent_filter.page.limit = device_filter.page.limit = site_filter.page.limit = 1;
    PARC_ASSIGN_OR_RETURN(auto agents, r.ListAgents(agent_filter));
    PARC_ASSIGN_OR_RETURN(auto devices, r.ListDevices(device_filter));
    PARC_ASSIGN_OR_RETURN(auto sites, r.ListSites(site_filter));
    if (!agents.empty() || !devices.empty() || !sites.empty()) {
      return FailedPrecondition("the demo loads into an empty database only");
    }
    return Ok();
  });
}

Status WriteDevice(store::Writer& w, DevicePlan& plan, DemoSummary& out) {
  int64_t id = 0;
  PARC_TRY(CheckedInsert<v1::Device>(
      plan.device, [&](const v1::Device& d) { return w.InsertDevice(d); }, &id));
  for (std::optional<v1::Allocation>* a : {&plan.closed, &plan.open}) {
    if (!*a) continue;
    (*a)->set_device_id(id);
    (*a)->set_device_serial(plan.device.serial());
    (*a)->set_device_asset_tag(plan.device.asset_tag());
    PARC_ASSIGN_OR_RETURN(int64_t allocation_id, w.InsertAllocation(**a));
    if (a == &plan.closed) {
      (*a)->set_id(allocation_id);
      PARC_TRY(w.CloseAllocation(**a));
    }
  }
  return Ok();
}

void Count(const DevicePlan& plan, const std::string& today, DemoSummary& out) {
  ++out.devices;
  out.closed_allocations += plan.closed.has_value();
  switch (plan.device.lifecycle()) {
    case v1::LIFECYCLE_IN_STOCK:
      ++out.in_stock;
      break;
    case v1::LIFECYCLE_IN_REPAIR:
      ++out.in_repair;
      break;
    case v1::LIFECYCLE_LOST:
      ++out.lost;
      break;
    case v1::LIFECYCLE_RETIRED:
      ++out.retired;
      break;
    default:
      break;
  }
  if (!plan.open) return;
  switch (plan.open->kind()) {
    case v1::ALLOCATION_KIND_PERSONAL:
      ++out.personal;
      break;
    case v1::ALLOCATION_KIND_SITE:
      ++out.site_pool;
      break;
    default:
      ++out.loans;
      out.overdue_loans += plan.open->due_date() < today;
  }
}

}  // namespace

Expected<DemoSummary> LoadDemo(store::Store& store, const DemoSize& size, int64_t now_ms) {
  if (size.staff < 1) return InvalidArgument("staff", "at least 1");
  if (size.sites < 1) return InvalidArgument("sites", "at least 1");
  if (size.devices < 0) return InvalidArgument("devices", "not negative");
  PARC_TRY(CheckEmpty(store));
  Random rng(size.seed);
  City city;
  PlanSites(city, size.sites);
  PlanAgents(city, size.staff, rng);
  DemoSummary out;
  PARC_TRY(Transaction(
      store, now_ms, fmt::format("{} sites", size.sites), out, [&](store::Writer& w) -> Status {
        for (v1::Site& site : city.sites) {
          PARC_TRY(
              CheckedInsert<v1::Site>(site, [&](const v1::Site& s) { return w.InsertSite(s); }));
        }
        return Ok();
      }));
  out.sites = size.sites;
  for (int begin = 0; begin < size.staff; begin += kAgentsPerTransaction) {
    int end = std::min(size.staff, begin + kAgentsPerTransaction);
    PARC_TRY(Transaction(store, now_ms,
                         fmt::format("agents {}-{} of {}", begin + 1, end, size.staff), out,
                         [&](store::Writer& w) -> Status {
                           for (int i = begin; i < end; ++i) {
                             v1::Agent a = MakeAgent(city, i, now_ms);
                             PARC_TRY(CheckedInsert<v1::Agent>(
                                 a, [&](const v1::Agent& x) { return w.InsertAgent(x); }));
                           }
                           return Ok();
                         }));
  }
  for (const AgentPlan& a : city.agents) {
    ++out.agents;
    out.agents_without_email += !a.email;
    out.agents_in_wave_1 += a.wave == 1;
  }
  std::array<int, 4> tag_counters{};
  const std::string today = FormatDate(now_ms);
  for (int begin = 0; begin < size.devices; begin += kDevicesPerTransaction) {
    int end = std::min(size.devices, begin + kDevicesPerTransaction);
    PARC_TRY(Transaction(store, now_ms,
                         fmt::format("devices {}-{} of {}", begin + 1, end, size.devices), out,
                         [&](store::Writer& w) -> Status {
                           for (int n = begin; n < end; ++n) {
                             DevicePlan plan = PlanDevice(city, n, tag_counters, rng, now_ms);
                             PARC_TRY(WriteDevice(w, plan, out));
                             Count(plan, today, out);
                           }
                           return Ok();
                         }));
  }
  return out;
}

}  // namespace parc::demo
