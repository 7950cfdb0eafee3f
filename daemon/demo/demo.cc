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
#include "daemon/demo/demo_fleet.h"
#include "daemon/demo/demo_plan.h"
#include "daemon/demo/demo_skills.h"
#include "daemon/demo/demo_training.h"
#include "daemon/domain/records.h"

namespace parc::demo {
namespace {

constexpr int kAgentsPerTransaction = 50'000;
constexpr int kDevicesPerTransaction = 20'000;  // each with up to two allocations

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

Status WriteDevice(store::Writer& w, DevicePlan& plan, DemoSummary& out,
                   std::vector<FleetDevice>& in_use) {
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
  if (plan.open) {
    bool pool = plan.open->kind() == v1::ALLOCATION_KIND_SITE;
    in_use.push_back({.id = id,
                      .kind = plan.device.kind(),
                      .holder = pool ? std::string() : plan.open->employee_number()});
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
  std::vector<FleetDevice> in_use;  // enrolled and reporting next (demo_fleet.h)
  const std::string today = FormatDate(now_ms);
  for (int begin = 0; begin < size.devices; begin += kDevicesPerTransaction) {
    int end = std::min(size.devices, begin + kDevicesPerTransaction);
    PARC_TRY(Transaction(store, now_ms,
                         fmt::format("devices {}-{} of {}", begin + 1, end, size.devices), out,
                         [&](store::Writer& w) -> Status {
                           for (int n = begin; n < end; ++n) {
                             DevicePlan plan = PlanDevice(city, n, tag_counters, rng, now_ms);
                             PARC_TRY(WriteDevice(w, plan, out, in_use));
                             Count(plan, today, out);
                           }
                           return Ok();
                         }));
  }
  std::vector<std::string> other_staff;
  for (int i = 0; i < 200; ++i) other_staff.push_back(EmployeeNumber(i * size.staff / 200));
  PARC_ASSIGN_OR_RETURN(FleetSummary fleet,
                        LoadFleet(store, in_use, other_staff, size.seed, now_ms));
  out.enrolled = fleet.enrolled;
  out.never_checked_in = fleet.never_checked_in;
  out.stale = fleet.stale;
  out.transactions += fleet.transactions;
  PARC_ASSIGN_OR_RETURN(SkillsSummary skills, LoadSkills(store, city, size.seed, now_ms));
  out.assessed = skills.assessed;
  out.assessments = skills.assessments;
  out.assessed_by_tier = skills.current_by_tier;
  out.transactions += skills.transactions;
  if (!size.content_dir.empty()) {
    PARC_ASSIGN_OR_RETURN(TrainingSummary training,
                          LoadTraining(store, in_use, size.content_dir, size.seed, now_ms));
    out.modules = training.modules;
    out.module_assignments = training.assignments;
    out.progress_events = training.progress_events;
    out.transactions += training.transactions;
  }
  return out;
}

}  // namespace parc::demo
