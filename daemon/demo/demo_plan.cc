#include "daemon/demo/demo_plan.h"

#include <fmt/format.h>

#include "common/time.h"
#include "daemon/demo/demo_data.h"

namespace parc::demo {
namespace {
constexpr int64_t kDayMs = 86'400'000;
}  // namespace

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

namespace {

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

}  // namespace

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
  a.set_department_name(std::string(data::kDepartments[p.department].name));
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

namespace {

// "R52T1234ABC": 4 digits and 3 letters encode the device number, so serials
// are unique up to 175 million devices.
std::string Serial(std::string_view prefix, int n) {
  int high = n / 10000;
  char letters[4] = {static_cast<char>('A' + high / 676 % 26),
                     static_cast<char>('A' + high / 26 % 26), static_cast<char>('A' + high % 26),
                     '\0'};
  return fmt::format("{}{:04}{}", prefix, n % 10000, letters);
}

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

}  // namespace

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

}  // namespace parc::demo
