#include "daemon/domain/dashboard.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <optional>

#include "common/time.h"
#include "daemon/domain/scope.h"

namespace parc::domain {

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

void AddTo(v1::DeviceCounts& c, const store::DeviceGroup& g) {
  c.set_total(c.total() + g.devices);
  switch (g.allocation) {
    case v1::ALLOCATION_KIND_PERSONAL:
      c.set_assigned_personal(c.assigned_personal() + g.devices);
      return;
    case v1::ALLOCATION_KIND_SITE:
      c.set_in_site_pools(c.in_site_pools() + g.devices);
      return;
    case v1::ALLOCATION_KIND_LOAN:
      c.set_on_loan(c.on_loan() + g.devices);
      return;
    default:
      break;
  }
  switch (g.lifecycle) {
    case v1::LIFECYCLE_IN_REPAIR:
      c.set_in_repair(c.in_repair() + g.devices);
      break;
    case v1::LIFECYCLE_LOST:
      c.set_lost(c.lost() + g.devices);
      break;
    case v1::LIFECYCLE_RETIRED:
      c.set_retired(c.retired() + g.devices);
      break;
    default:  // in stock, or "assigned" without an open allocation: available
      c.set_in_stock(c.in_stock() + g.devices);
      break;
  }
}

void AddTo(v1::CoverageCounts& c, const store::TargetedGroup& g) {
  c.set_targeted(c.targeted() + g.agents);
  if (g.equipped) {
    c.set_equipped(c.equipped() + g.agents);
  } else {
    c.set_not_equipped(c.not_equipped() + g.agents);
  }
  c.set_equipped_percent(static_cast<double>(c.equipped()) * 100.0 /
                         static_cast<double>(c.targeted()));
}

// Most common value with a count; ties to the higher version; "" when none.
std::string Mode(const std::map<std::string, int64_t>& counts) {
  std::string best;
  int64_t best_count = 0;
  for (const auto& [version, count] : counts) {
    if (version.empty()) continue;
    if (count > best_count || (count == best_count && CompareVersions(version, best) > 0)) {
      best = version;
      best_count = count;
    }
  }
  return best;
}

bool Outdated(const std::string& version, const std::string& reference) {
  return !version.empty() && !reference.empty() && CompareVersions(version, reference) < 0;
}

void AddTo(v1::HealthCounts& c, const store::HealthGroup& g, bool outdated_os,
           bool outdated_agent) {
  const int64_t n = g.devices;
  c.set_enrolled(c.enrolled() + n);
  if (g.low_battery) c.set_low_battery(c.low_battery() + n);
  if (g.low_storage) c.set_low_storage(c.low_storage() + n);
  if (outdated_os) c.set_outdated_os(c.outdated_os() + n);
  if (outdated_agent) c.set_outdated_agent(c.outdated_agent() + n);
  if (!g.checked_in) c.set_never_checked_in(c.never_checked_in() + n);
}

void AddTo(v1::FunnelCounts& c, const store::FunnelGroup& g) {
  const int64_t n = g.agents;
  c.set_targeted(c.targeted() + n);
  if (g.assessed) c.set_assessed(c.assessed() + n);
  if (g.assigned) c.set_assigned(c.assigned() + n);
  if (g.started) c.set_started(c.started() + n);
  if (g.completed) c.set_completed(c.completed() + n);
}

// One row per map entry, in key order: the key written by `set_key`, the
// counts copied.
template <typename Counts, typename Row, typename SetKey>
void KeyedRows(const std::map<std::string, Counts>& from,
               google::protobuf::RepeatedPtrField<Row>* to, SetKey set_key) {
  for (const auto& [key, counts] : from) {
    Row* row = to->Add();
    set_key(*row, key);
    *row->mutable_counts() = counts;
  }
}
constexpr auto kDepartmentKey = [](auto& row, const std::string& key) { row.set_department(key); };
constexpr auto kSiteKey = [](auto& row, const std::string& key) { row.set_site(key); };
constexpr auto kKey = [](auto& row, const std::string& key) { row.set_key(key); };

// Leading number of a version part, or -1 when it does not start with one.
int64_t Number(std::string_view part, std::string_view& rest) {
  int64_t value = -1;
  auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
  if (ec != std::errc()) return -1;
  rest = part.substr(static_cast<size_t>(end - part.data()));
  return value;
}

}  // namespace

Expected<store::DashboardScope> DashboardScopeFor(const Principal& who,
                                                  const std::string& department,
                                                  const std::string& site) {
  store::DashboardScope scope{.department = department, .site = site, .departments = {}};
  PARC_ASSIGN_OR_RETURN(scope.departments, DepartmentScope(who, department));
  return scope;
}

Expected<int> ListLimit(int32_t requested, std::string_view field) {
  if (requested < 0 || requested > kMaxListLimit) {
    return InvalidArgument(field, "0 to " + std::to_string(kMaxListLimit));
  }
  return requested == 0 ? kDefaultListLimit : requested;
}

Expected<int> StaleDays(int32_t requested) {
  if (requested < 0 || requested > kMaxStaleDays) {
    return InvalidArgument("days", "0 to " + std::to_string(kMaxStaleDays));
  }
  return requested == 0 ? kDefaultStaleDays : requested;
}

v1::AllocationSummaryResponse SummarizeAllocations(const std::vector<store::DeviceGroup>& rows) {
  v1::AllocationSummaryResponse out;
  std::map<std::pair<v1::DeviceKind, v1::Lifecycle>, int64_t> cells;
  std::map<std::string, v1::DeviceCounts> departments, sites;
  for (const store::DeviceGroup& g : rows) {
    AddTo(*out.mutable_totals(), g);
    AddTo(departments[g.department], g);
    AddTo(sites[g.site], g);
    cells[{g.kind, g.lifecycle}] += g.devices;
  }
  for (const auto& [key, devices] : cells) {
    if (devices == 0) continue;
    auto* cell = out.add_by_kind_lifecycle();
    cell->set_kind(key.first);
    cell->set_lifecycle(key.second);
    cell->set_devices(devices);
  }
  KeyedRows(departments, out.mutable_by_department(), kDepartmentKey);
  KeyedRows(sites, out.mutable_by_site(), kSiteKey);
  return out;
}

v1::CoverageResponse SummarizeCoverage(const std::vector<store::TargetedGroup>& rows) {
  v1::CoverageResponse out;
  std::map<std::string, v1::CoverageCounts> departments, sites;
  for (const store::TargetedGroup& g : rows) {
    if (g.agents == 0) continue;
    AddTo(*out.mutable_totals(), g);
    AddTo(departments[g.department], g);
    AddTo(sites[g.site], g);
  }
  KeyedRows(departments, out.mutable_by_department(), kDepartmentKey);
  KeyedRows(sites, out.mutable_by_site(), kSiteKey);
  return out;
}

v1::TrainingFunnelResponse SummarizeFunnel(const std::vector<store::FunnelGroup>& rows,
                                           const std::vector<TierSpec>& tiers) {
  v1::TrainingFunnelResponse out;
  std::map<std::string, v1::FunnelCounts> departments, advisors, waves, by_tier;
  for (const store::FunnelGroup& g : rows) {
    if (g.agents == 0) continue;
    AddTo(*out.mutable_totals(), g);
    AddTo(departments[g.department], g);
    AddTo(advisors[g.advisor], g);
    AddTo(waves[g.wave], g);
    AddTo(by_tier[g.tier], g);
  }
  KeyedRows(departments, out.mutable_by_department(), kKey);
  KeyedRows(advisors, out.mutable_by_advisor(), kKey);
  KeyedRows(waves, out.mutable_by_wave(), kKey);
  auto add_tier = [&](const std::string& code, const std::string& name) {
    auto it = by_tier.find(code);
    if (it == by_tier.end()) return;
    v1::FunnelRow* row = out.add_by_tier();
    row->set_key(code);
    row->set_name(name);
    *row->mutable_counts() = it->second;
    by_tier.erase(it);
  };
  for (const TierSpec& tier : tiers) add_tier(tier.code, tier.name);
  std::optional<v1::FunnelCounts> never_assessed;
  if (auto it = by_tier.find(""); it != by_tier.end()) {
    never_assessed = it->second;
    by_tier.erase(it);
  }
  KeyedRows(by_tier, out.mutable_by_tier(), kKey);  // codes no longer configured
  if (never_assessed) {
    v1::FunnelRow* row = out.add_by_tier();
    *row->mutable_counts() = *never_assessed;
  }
  return out;
}

v1::FleetHealthResponse SummarizeHealth(const std::vector<store::HealthGroup>& rows,
                                        const std::vector<store::VersionGroup>& fleet,
                                        const std::vector<v1::DepartmentCount>& foreign_use) {
  v1::FleetHealthResponse out;
  std::map<v1::DeviceKind, std::map<std::string, int64_t>> os_counts;
  std::map<std::string, int64_t> agent_counts;
  for (const store::VersionGroup& g : fleet) {
    os_counts[g.kind][g.os_version] += g.devices;
    agent_counts[g.agent_version] += g.devices;
  }
  std::map<v1::DeviceKind, std::string> os_reference;
  for (const auto& [kind, counts] : os_counts) {
    std::string mode = Mode(counts);
    if (mode.empty()) continue;
    os_reference[kind] = mode;
    auto* ref = out.add_reference_os();
    ref->set_kind(kind);
    ref->set_os_version(mode);
  }
  out.set_reference_agent_version(Mode(agent_counts));

  std::map<std::string, v1::HealthCounts> departments;
  for (const store::HealthGroup& g : rows) {
    auto ref = os_reference.find(g.kind);
    bool outdated_os = ref != os_reference.end() && Outdated(g.os_version, ref->second);
    bool outdated_agent = Outdated(g.agent_version, out.reference_agent_version());
    AddTo(*out.mutable_totals(), g, outdated_os, outdated_agent);
    AddTo(departments[g.department], g, outdated_os, outdated_agent);
  }
  for (const v1::DepartmentCount& f : foreign_use) {
    auto& c = departments[f.department()];
    c.set_used_by_someone_else(c.used_by_someone_else() + f.count());
    out.mutable_totals()->set_used_by_someone_else(out.totals().used_by_someone_else() + f.count());
  }
  KeyedRows(departments, out.mutable_by_department(), kDepartmentKey);
  return out;
}

void SummarizeStale(const std::vector<store::StaleGroup>& groups, int64_t now_ms,
                    v1::StaleDevicesResponse& out) {
  std::map<std::string, int64_t> departments;
  for (const store::StaleGroup& g : groups) {
    out.set_total(out.total() + g.devices);
    if (g.never_checked_in) out.set_never_checked_in(out.never_checked_in() + g.devices);
    departments[g.department] += g.devices;
  }
  for (const auto& [department, count] : departments) {
    auto* row = out.add_by_department();
    row->set_department(department);
    row->set_count(count);
  }
  for (v1::StaleDevice& d : *out.mutable_devices()) {
    const auto& since = d.has_last_seen() ? d.last_seen() : d.enrolled_at();
    d.set_days_silent(WholeDays(FromTimestamp(since), now_ms));
  }
}

void SummarizeOverdue(const std::vector<v1::DepartmentCount>& counts, int64_t now_ms,
                      v1::OverdueLoansResponse& out) {
  for (const v1::DepartmentCount& c : counts) {
    out.set_total(out.total() + c.count());
    *out.add_by_department() = c;
  }
  for (v1::OverdueLoan& loan : *out.mutable_loans()) {
    loan.set_days_overdue(DaysOverdue(loan.due_date(), now_ms));
  }
}

int CompareVersions(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    size_t da = a.find('.'), db = b.find('.');
    std::string_view pa = a.substr(0, da), pb = b.substr(0, db);
    a = da == std::string_view::npos ? std::string_view() : a.substr(da + 1);
    b = db == std::string_view::npos ? std::string_view() : b.substr(db + 1);
    std::string_view ra, rb;
    int64_t na = pa.empty() ? 0 : Number(pa, ra), nb = pb.empty() ? 0 : Number(pb, rb);
    if (na >= 0 && nb >= 0) {
      if (na != nb) return na < nb ? -1 : 1;
      if (int c = ra.compare(rb); c != 0) return c < 0 ? -1 : 1;
    } else if (int c = pa.compare(pb); c != 0) {
      return c < 0 ? -1 : 1;
    }
  }
  return 0;
}

int32_t WholeDays(int64_t from_ms, int64_t to_ms) {
  if (from_ms <= 0 || to_ms <= from_ms) return 0;
  return static_cast<int32_t>((to_ms - from_ms) / kDayMs);
}

int32_t DaysOverdue(std::string_view due_date, int64_t now_ms) {
  if (!IsIsoDate(due_date)) return 0;
  using namespace std::chrono;
  int y = 0, m = 0, d = 0;
  std::from_chars(due_date.data(), due_date.data() + 4, y);
  std::from_chars(due_date.data() + 5, due_date.data() + 7, m);
  std::from_chars(due_date.data() + 8, due_date.data() + 10, d);
  sys_days due{year{y} / month{static_cast<unsigned>(m)} / day{static_cast<unsigned>(d)}};
  sys_days today = floor<days>(sys_time<milliseconds>(milliseconds(now_ms)));
  return today > due ? static_cast<int32_t>((today - due).count()) : 0;
}

}  // namespace parc::domain
