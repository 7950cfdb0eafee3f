#include "daemon/dashboard/fleet_index.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "common/logging.h"
#include "common/time.h"

namespace parc::dashboard {

namespace {

constexpr uint32_t kNone = UINT32_MAX;  // no device / not a targeted agent
constexpr int64_t kNever = INT64_MIN;   // last_seen of a device without status row
constexpr uint8_t kCheckedIn = 1, kLowBattery = 2, kLowStorage = 4;  // health bits
constexpr uint8_t kSessionOpen = 8, kForeignUse = 16;                // usage bits
constexpr uint8_t kHealthBits = kCheckedIn | kLowBattery | kLowStorage;
constexpr uint8_t kAssigned = 1, kStarted = 2, kCompleted = 4;  // funnel bits

// Strings as small dense ids, in the order first seen.
class Interner {
 public:
  uint32_t Id(const std::string& name) {
    auto [it, added] = ids_.try_emplace(name, static_cast<uint32_t>(names_.size()));
    if (added) names_.push_back(name);
    return it->second;
  }
  std::optional<uint32_t> Find(const std::string& name) const {
    auto it = ids_.find(name);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }
  const std::string& Name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }
  int64_t Bytes() const {
    int64_t bytes = 0;
    for (const auto& n : names_) bytes += 2 * (static_cast<int64_t>(n.capacity()) + 48);
    return bytes;
  }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, uint32_t> ids_;
};

template <size_t N>
struct KeyHash {
  size_t operator()(const std::array<uint32_t, N>& key) const {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (uint32_t v : key) h = (h ^ v) * 0xff51afd7ed558ccdULL, h ^= h >> 32;
    return static_cast<size_t>(h);
  }
};
template <size_t N>
using CountMap = std::unordered_map<std::array<uint32_t, N>, int64_t, KeyHash<N>>;

template <size_t N>
void Add(CountMap<N>& map, const std::array<uint32_t, N>& key, int64_t delta) {
  auto it = map.try_emplace(key, 0).first;
  it->second += delta;
  if (it->second == 0) map.erase(it);
}

// What a devices group is: the CountDevices key, plus enrollment.
struct DeviceGroup {
  uint32_t department = 0, site = 0;
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
  v1::Lifecycle lifecycle = v1::LIFECYCLE_UNSPECIFIED;
  v1::AllocationKind allocation = v1::ALLOCATION_KIND_UNSPECIFIED;
  bool enrolled = false;
};

// What a targeted-agents group is: the CountTargetedAgents key.
struct AgentGroup {
  uint32_t department = 0, site = 0, advisor = 0, wave = 0;
  bool equipped = false;
};

struct Loan {
  uint32_t department = 0, site = 0, advisor = 0, wave = 0;
  uint32_t due = 0;  // index into Index::due_dates
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
};

// Per device, what check-ins change besides last_seen.
struct DeviceState {
  int64_t last_sequence = -1;
  int64_t usage_boundary = 0;
  uint32_t os_version = 0, agent_version = 0;
};

}  // namespace

// One check-in's effect, as telemetry_writes.cc applies it.
struct Update {
  struct Usage {
    int64_t at = 0;
    bool opens = false;    // a login naming someone: a new session
    bool foreign = false;  // ... flagged not_the_holder
  };
  int64_t device_id = 0;
  int64_t now_ms = 0;
  bool has_status = false;
  int64_t sequence = 0;
  int64_t battery = -1, storage_free = -1, storage_total = -1;
  std::string os_version, agent_version;
  std::vector<Usage> usage;
};

struct FleetIndex::Pending {
  std::vector<Update> updates;
};

// The scope of one query with its strings resolved to ids. `none`: a named
// department, site, wave or advisor that nothing has, so no row matches.
struct Resolved {
  bool none = false;    // no device matches
  bool nobody = false;  // no person or loan matches
  uint32_t department = kNone, site = kNone, wave = kNone, advisor = kNone;  // kNone: any
  std::vector<uint8_t> departments;  // by department id; empty: any
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;

  bool Place(uint32_t department_id, uint32_t site_id) const {
    if (department != kNone && department_id != department) return false;
    if (site != kNone && site_id != site) return false;
    if (!departments.empty() && !departments[department_id]) return false;
    return true;
  }
  bool Device(const DeviceGroup& g) const {
    return Place(g.department, g.site) && (kind == v1::DEVICE_KIND_UNSPECIFIED || g.kind == kind);
  }
  bool Person(uint32_t department_id, uint32_t site_id, uint32_t advisor_id,
              uint32_t wave_id) const {
    return Place(department_id, site_id) && (advisor == kNone || advisor_id == advisor) &&
           (wave == kNone || wave_id == wave);
  }
};

struct StaleScan {
  std::vector<int64_t> counts;                    // per device group: [2g] seen, [2g+1] never seen
  size_t pick = 0;                                // how many to keep for the list
  std::vector<int64_t> never;                     // the first `pick` never seen, by id
  std::vector<std::pair<int64_t, int64_t>> seen;  // (last_seen, id) that may be listed
};

struct Index {
  explicit Index(store::HealthThresholds limits) : limits(limits) {}

  const store::HealthThresholds limits;
  uint64_t generation = 0;
  Interner departments, sites, advisors, waves, tiers, versions, modules;

  // Devices, indexed by device id (ids are dense: devices are never deleted).
  std::vector<DeviceGroup> device_groups;
  std::vector<int64_t> group_devices;  // devices per group
  std::vector<uint32_t> group_of;      // per device id; kNone: no such device
  std::vector<int64_t> last_seen;      // per device id, through std::atomic_ref; kNever
  std::vector<DeviceState> state;      // per device id
  std::vector<uint8_t> flags;          // per device id
  int64_t devices = 0;
  // Kept as check-ins arrive (under FleetIndex::mu_).
  // {health group, os, agent, health bits} of enrolled devices. A health
  // group is what CountHealth filters and groups devices by (department,
  // site, kind): far fewer than the device groups.
  CountMap<4> health;
  // The same without the site (what CountHealth returns: the answer when no
  // site is asked for), and the version references of CountVersions: {kind,
  // os, agent} of the enrolled devices with a status.
  CountMap<5> health_by_department;  // {department, kind, os, agent, health bits}
  CountMap<3> versions_count;
  std::vector<std::array<uint32_t, 3>> health_groups;  // {department, site, kind}
  std::vector<uint32_t> health_group_of;               // per device group
  std::unordered_map<std::array<uint32_t, 3>, uint32_t, KeyHash<3>> health_group_ids;
  std::vector<int64_t> group_foreign;                   // open foreign-use sessions per group
  std::unordered_map<uint32_t, int64_t> foreign_since;  // device id -> session start

  // Targeted agents, indexed by agent id.
  std::vector<AgentGroup> agent_groups;
  std::vector<int64_t> group_agents;
  std::vector<uint32_t> agent_group_of;  // kNone: not targeted (or no such agent)
  std::vector<uint32_t> agent_tier;      // tier id + 1; 0: never assessed
  std::vector<uint8_t> agent_funnel;     // funnel bits
  int64_t agents = 0;
  CountMap<3> funnel;  // {agent group, tier + 1, funnel bits} (under mu_)
  // Published assignments by target (module ids), for the funnel stages.
  std::vector<std::vector<uint32_t>> reach_department, reach_wave, reach_tier;
  std::unordered_map<int64_t, std::vector<uint32_t>> reach_agent;

  std::vector<Loan> loans;
  std::vector<std::string> due_dates;  // sorted, distinct

  int64_t audit_seen = 0;  // the newest audit event reflected
  std::unordered_map<std::array<uint32_t, 4>, uint32_t, KeyHash<4>> device_group_ids,
      agent_group_ids;

  // ---- building ------------------------------------------------------------------

  Status Load(store::DashboardReader& sql) {
    PARC_ASSIGN_OR_RETURN(audit_seen, sql.LatestAuditId());
    PARC_TRY(sql.ScanDevices([&](const store::DeviceFacts& d) { PlaceDevice(d); }));
    group_of.resize(std::min(group_of.size(), MaxId(group_of) + 1));
    last_seen.resize(group_of.size());
    state.resize(group_of.size());
    flags.resize(group_of.size());
    group_of.shrink_to_fit(), last_seen.shrink_to_fit(), state.shrink_to_fit();
    flags.shrink_to_fit();

    PARC_TRY(sql.ScanPublishedAssignments([&](const store::AssignmentFacts& a) {
      const uint32_t module = modules.Id(a.module_code);
      if (a.target_kind == "agent") {
        if (a.agent_id != 0) reach_agent[a.agent_id].push_back(module);
      } else if (a.target_kind == "department") {
        Slot(reach_department, departments.Id(a.target)).push_back(module);
      } else if (a.target_kind == "wave") {
        if (!a.target.empty()) Slot(reach_wave, waves.Id(a.target)).push_back(module);
      } else if (a.target_kind == "tier") {
        Slot(reach_tier, tiers.Id(a.target)).push_back(module);
      }
    }));

    PARC_TRY(sql.ScanTargetedAgents([&](const store::AgentFacts& a) { PlaceAgent(a); }));
    agent_group_of.resize(std::min(agent_group_of.size(), MaxId(agent_group_of) + 1));
    agent_tier.resize(agent_group_of.size());
    agent_funnel.resize(agent_group_of.size());
    agent_group_of.shrink_to_fit(), agent_tier.shrink_to_fit(), agent_funnel.shrink_to_fit();

    Progress progress;
    PARC_TRY(
        sql.ScanProgress({}, [&](const store::ProgressFacts& p) { AddProgress(progress, p); }));
    std::vector<uint32_t> reach;
    for (size_t id = 0; id < agent_group_of.size(); ++id) {
      if (agent_group_of[id] == kNone) continue;
      auto it = progress.find(static_cast<int64_t>(id));
      agent_funnel[id] =
          FunnelBits(static_cast<int64_t>(id), it == progress.end() ? nullptr : &it->second, reach);
      Add(funnel, FunnelKey(id), 1);
    }

    std::vector<store::LoanFacts> loaded;
    PARC_TRY(sql.ScanOverdueCandidates([&](const store::LoanFacts& l) { loaded.push_back(l); }));
    SetLoans(loaded);
    return Ok();
  }

  using Progress = std::unordered_map<int64_t, std::vector<std::pair<uint32_t, uint8_t>>>;
  void AddProgress(Progress& progress, const store::ProgressFacts& p) const {
    auto& rows = progress[p.agent_id];  // a module nothing reaches: no stage
    if (auto module = modules.Find(p.module_code)) {
      rows.emplace_back(*module, (p.opened ? kStarted : 0) | (p.completed ? kCompleted : 0));
    }
  }

  uint32_t DeviceGroupOf(const store::DeviceFacts& d) {
    DeviceGroup g{.department = departments.Id(d.department),
                  .site = sites.Id(d.site),
                  .kind = d.kind,
                  .lifecycle = d.lifecycle,
                  .allocation = d.allocation,
                  .enrolled = d.enrolled};
    const std::array<uint32_t, 4> key{g.department, g.site,
                                      static_cast<uint32_t>(g.kind) << 16 |
                                          static_cast<uint32_t>(g.lifecycle) << 8 |
                                          static_cast<uint32_t>(g.allocation),
                                      g.enrolled ? 1u : 0u};
    auto [it, added] =
        device_group_ids.try_emplace(key, static_cast<uint32_t>(device_groups.size()));
    if (added) {
      const std::array<uint32_t, 3> health_key{g.department, g.site, static_cast<uint32_t>(g.kind)};
      auto [hg, new_health_group] =
          health_group_ids.try_emplace(health_key, static_cast<uint32_t>(health_groups.size()));
      if (new_health_group) health_groups.push_back(health_key);
      health_group_of.push_back(hg->second);
      device_groups.push_back(g);
      group_devices.push_back(0);
      group_foreign.push_back(0);
    }
    return it->second;
  }

  // A device read from the database (building: the arrays grow as needed).
  void PlaceDevice(const store::DeviceFacts& d) {
    if (d.id < 0) return;
    const auto id = static_cast<size_t>(d.id);
    if (id >= group_of.size()) {
      const size_t n = std::max(id + 1, group_of.size() * 3 / 2 + 1024);
      group_of.resize(n, kNone);
      last_seen.resize(n, kNever);
      state.resize(n);
      flags.resize(n, 0);
    }
    const uint32_t group = DeviceGroupOf(d);
    group_of[id] = group;
    ++group_devices[group];
    ++devices;
    DeviceState& s = state[id];
    uint8_t f = 0;
    if (d.checked_in) {
      last_seen[id] = d.last_seen;
      f |= kCheckedIn | StatusBits(d.battery_percent, d.storage_free, d.storage_total);
    }
    s.last_sequence = d.last_sequence;
    s.usage_boundary = d.usage_boundary;
    s.os_version = versions.Id(d.os_version);
    s.agent_version = versions.Id(d.agent_version);
    if (d.session_open) f |= kSessionOpen;
    if (d.foreign_use) {
      f |= kForeignUse;
      ++group_foreign[group];
      foreign_since[static_cast<uint32_t>(id)] = d.session_started;
    }
    flags[id] = f;
    if (device_groups[group].enrolled) AddHealth(HealthKey(id), 1);
  }

  // An operator changed a known device's inventory, enrollment or allocation
  // (its status and usage are the check-ins', kept as they are in memory).
  // False when the device is unknown (new): the caller rebuilds.
  bool RegroupDevice(const store::DeviceFacts& d) {
    if (d.id < 0 || static_cast<size_t>(d.id) >= group_of.size()) return false;
    const auto id = static_cast<size_t>(d.id);
    const uint32_t old_group = group_of[id];
    if (old_group == kNone) return false;
    const uint32_t group = DeviceGroupOf(d);
    if (group == old_group) return true;
    if (device_groups[old_group].enrolled) AddHealth(HealthKey(id), -1);
    --group_devices[old_group];
    ++group_devices[group];
    if (flags[id] & kForeignUse) --group_foreign[old_group], ++group_foreign[group];
    std::atomic_ref<uint32_t>(group_of[id]).store(group, std::memory_order_relaxed);
    if (device_groups[group].enrolled) AddHealth(HealthKey(id), 1);
    return true;
  }

  // A targeted agent read from the database; its funnel stage is the caller's.
  void PlaceAgent(const store::AgentFacts& a) {
    if (a.id < 0 || !a.targeted) return;
    const auto id = static_cast<size_t>(a.id);
    if (id >= agent_group_of.size()) {
      const size_t n = std::max(id + 1, agent_group_of.size() * 3 / 2 + 1024);
      agent_group_of.resize(n, kNone);
      agent_tier.resize(n, 0);
      agent_funnel.resize(n, 0);
    }
    AgentGroup g{.department = departments.Id(a.department),
                 .site = sites.Id(a.site),
                 .advisor = advisors.Id(a.advisor),
                 .wave = waves.Id(a.wave),
                 .equipped = a.equipped};
    const std::array<uint32_t, 4> key{g.department, g.site, g.advisor,
                                      g.wave << 1 | (g.equipped ? 1u : 0u)};
    auto [it, added] = agent_group_ids.try_emplace(key, static_cast<uint32_t>(agent_groups.size()));
    if (added) {
      agent_groups.push_back(g);
      group_agents.push_back(0);
    }
    agent_group_of[id] = it->second;
    ++group_agents[it->second];
    ++agents;
    agent_tier[id] = a.assessed ? tiers.Id(a.tier) + 1 : 0;
    agent_funnel[id] = 0;
  }

  // An operator changed this agent (or what they hold): placed again, with
  // their funnel stage from `progress` (their rows).
  void ReplaceAgent(const store::AgentFacts& a, const Progress& progress,
                    std::vector<uint32_t>& reach) {
    if (a.id < 0) return;
    const auto id = static_cast<size_t>(a.id);
    if (id < agent_group_of.size() && agent_group_of[id] != kNone) {
      Add(funnel, FunnelKey(id), -1);
      --group_agents[agent_group_of[id]];
      --agents;
      agent_group_of[id] = kNone;
    }
    if (!a.targeted) return;
    PlaceAgent(a);
    auto it = progress.find(a.id);
    agent_funnel[id] = FunnelBits(a.id, it == progress.end() ? nullptr : &it->second, reach);
    Add(funnel, FunnelKey(id), 1);
  }

  void SetLoans(const std::vector<store::LoanFacts>& loaded) {
    loans.clear();
    due_dates.clear();
    for (const auto& l : loaded) due_dates.push_back(l.due_date);
    std::sort(due_dates.begin(), due_dates.end());
    due_dates.erase(std::unique(due_dates.begin(), due_dates.end()), due_dates.end());
    loans.reserve(loaded.size());
    for (const auto& l : loaded) {
      loans.push_back(Loan{
          .department = departments.Id(l.department),
          .site = sites.Id(l.site),
          .advisor = advisors.Id(l.advisor),
          .wave = waves.Id(l.wave),
          .due = static_cast<uint32_t>(
              std::lower_bound(due_dates.begin(), due_dates.end(), l.due_date) - due_dates.begin()),
          .kind = l.kind});
    }
  }
  template <typename T>
  static size_t MaxId(const std::vector<T>& by_id) {
    for (size_t i = by_id.size(); i > 0; --i) {
      if (by_id[i - 1] != kNone) return i - 1;
    }
    return 0;
  }

  static std::vector<uint32_t>& Slot(std::vector<std::vector<uint32_t>>& table, uint32_t id) {
    if (table.size() <= id) table.resize(id + 1);
    return table[id];
  }
  static const std::vector<uint32_t>* Reach(const std::vector<std::vector<uint32_t>>& table,
                                            uint32_t id) {
    return id < table.size() ? &table[id] : nullptr;
  }

  // The funnel bits of targeted agent `id` given their progress rows (module,
  // kStarted|kCompleted), as funnel_reads.cc counts them.
  uint8_t FunnelBits(int64_t id, const std::vector<std::pair<uint32_t, uint8_t>>* progress,
                     std::vector<uint32_t>& reach) const {
    const AgentGroup& g = agent_groups[agent_group_of[static_cast<size_t>(id)]];
    reach.clear();
    auto add = [&](const std::vector<uint32_t>* modules) {
      if (modules) reach.insert(reach.end(), modules->begin(), modules->end());
    };
    if (auto it = reach_agent.find(id); it != reach_agent.end()) add(&it->second);
    add(Reach(reach_department, g.department));
    if (!waves.Name(g.wave).empty()) add(Reach(reach_wave, g.wave));
    if (const uint32_t tier = agent_tier[static_cast<size_t>(id)]; tier != 0) {
      add(Reach(reach_tier, tier - 1));
    }
    if (reach.empty()) return 0;
    if (progress == nullptr) return kAssigned;
    std::sort(reach.begin(), reach.end());
    reach.erase(std::unique(reach.begin(), reach.end()), reach.end());
    size_t opened = 0, completed = 0;
    for (uint32_t module : reach) {
      uint8_t best = 0;  // module_progress has one row per person and module
      for (const auto& [m, bits] : *progress) {
        if (m == module) best |= bits;
      }
      if (best & kStarted) ++opened;
      if (best & kCompleted) ++completed;
    }
    uint8_t bits = kAssigned;
    if (opened > 0) bits |= kStarted;
    if (completed == reach.size()) bits |= kCompleted;
    return bits;
  }

  std::array<uint32_t, 3> FunnelKey(size_t id) const {
    return {agent_group_of[id], agent_tier[id], agent_funnel[id]};
  }

  // The low-battery and low-storage bits of a status, as CountHealth computes them.
  uint8_t StatusBits(int64_t battery, int64_t free, int64_t total) const {
    uint8_t bits = 0;
    if (battery >= 0 && battery < limits.battery_below) bits |= kLowBattery;
    if (total > 0 && free >= 0 && free * 100 < total * limits.storage_free_percent_below) {
      bits |= kLowStorage;
    }
    return bits;
  }

  // An enrolled device's health key counted (or no longer): in the three
  // views kept of it.
  void AddHealth(const std::array<uint32_t, 4>& key, int64_t delta) {
    Add(health, key, delta);
    const auto& [department, site, kind] = health_groups[key[0]];
    Add(health_by_department, {department, kind, key[1], key[2], key[3]}, delta);
    if (key[3] & kCheckedIn) Add(versions_count, {kind, key[1], key[2]}, delta);
  }

  std::array<uint32_t, 4> HealthKey(size_t id) const {
    return {health_group_of[group_of[id]], state[id].os_version, state[id].agent_version,
            static_cast<uint32_t>(flags[id] & kHealthBits)};
  }

  // ---- keeping current (under FleetIndex::mu_) -----------------------------------

  void Apply(const Update& u) {
    if (u.device_id < 0 || static_cast<size_t>(u.device_id) >= group_of.size()) return;
    const auto id = static_cast<size_t>(u.device_id);
    const uint32_t group = group_of[id];
    if (group == kNone) return;
    const bool enrolled = device_groups[group].enrolled;
    const auto old_key = HealthKey(id);
    const bool was_foreign = flags[id] & kForeignUse;

    std::atomic_ref<int64_t> seen(last_seen[id]);
    // Batches arrive in commit order; max() keeps a replayed batch harmless.
    seen.store(std::max(seen.load(std::memory_order_relaxed), u.now_ms), std::memory_order_relaxed);
    uint8_t f = flags[id] | kCheckedIn;
    DeviceState& s = state[id];
    for (const Update::Usage& usage : u.usage) {
      if (usage.at < s.usage_boundary) continue;  // history only
      if ((f & kSessionOpen) || usage.opens) s.usage_boundary = usage.at;
      if (f & kForeignUse) foreign_since.erase(static_cast<uint32_t>(id));
      f &= static_cast<uint8_t>(~(kSessionOpen | kForeignUse));
      if (usage.opens) f |= kSessionOpen | (usage.foreign ? kForeignUse : 0);
      if (usage.opens && usage.foreign) foreign_since[static_cast<uint32_t>(id)] = usage.at;
    }
    if (u.has_status && s.last_sequence < u.sequence) {
      s.last_sequence = u.sequence;
      s.os_version = versions.Id(u.os_version);
      s.agent_version = versions.Id(u.agent_version);
      f = static_cast<uint8_t>((f & ~(kLowBattery | kLowStorage)) |
                               StatusBits(u.battery, u.storage_free, u.storage_total));
    }
    flags[id] = f;
    const bool is_foreign = f & kForeignUse;
    if (is_foreign != was_foreign) group_foreign[group] += is_foreign ? 1 : -1;
    if (enrolled) {
      const auto new_key = HealthKey(id);
      if (new_key != old_key) {
        AddHealth(old_key, -1);
        AddHealth(new_key, 1);
      }
    }
  }

  // Agent `id`'s progress rows were read again: its funnel stage follows them.
  void SetProgress(int64_t id, const std::vector<std::pair<uint32_t, uint8_t>>& progress,
                   std::vector<uint32_t>& reach) {
    if (id < 0 || static_cast<size_t>(id) >= agent_group_of.size()) return;
    const auto at = static_cast<size_t>(id);
    if (agent_group_of[at] == kNone) return;
    const uint8_t bits = FunnelBits(id, &progress, reach);
    if (bits == agent_funnel[at]) return;
    Add(funnel, FunnelKey(at), -1);
    agent_funnel[at] = bits;
    Add(funnel, FunnelKey(at), 1);
  }

  // ---- queries -------------------------------------------------------------------

  Resolved Resolve(const store::DashboardScope& scope) const {
    Resolved r;
    r.kind = scope.kind;
    auto one = [&](const Interner& names, const std::string& name, uint32_t& out) {
      if (name.empty()) return;
      if (auto id = names.Find(name)) {
        out = *id;
      } else {
        r.none = true;
      }
    };
    one(departments, scope.department, r.department);
    one(sites, scope.site, r.site);
    // Wave and advisor filter people only (devices ignore them).
    const bool no_place = r.none;
    one(waves, scope.wave, r.wave);
    one(advisors, scope.advisor, r.advisor);
    r.nobody = r.none;
    r.none = no_place;
    if (!scope.departments.empty()) {
      r.departments.assign(departments.size(), 0);
      bool any = false;
      for (const auto& d : scope.departments) {
        if (auto id = departments.Find(d)) r.departments[*id] = 1, any = true;
      }
      if (!any) r.none = r.nobody = true;
    }
    return r;
  }

  std::vector<store::DeviceGroup> CountDevices(const store::DashboardScope& scope) const {
    const Resolved r = Resolve(scope);
    std::map<std::tuple<int, int, uint32_t, uint32_t, int>, int64_t> rows;
    if (!r.none) {
      for (size_t g = 0; g < device_groups.size(); ++g) {
        const DeviceGroup& dg = device_groups[g];
        if (group_devices[g] == 0 || !r.Device(dg)) continue;
        rows[{dg.kind, dg.lifecycle, dg.department, dg.site, dg.allocation}] += group_devices[g];
      }
    }
    std::vector<store::DeviceGroup> out;
    out.reserve(rows.size());
    for (const auto& [k, n] : rows) {
      out.push_back({.kind = static_cast<v1::DeviceKind>(std::get<0>(k)),
                     .lifecycle = static_cast<v1::Lifecycle>(std::get<1>(k)),
                     .department = departments.Name(std::get<2>(k)),
                     .site = sites.Name(std::get<3>(k)),
                     .allocation = static_cast<v1::AllocationKind>(std::get<4>(k)),
                     .devices = n});
    }
    return out;
  }

  std::vector<store::TargetedGroup> CountTargeted(const store::DashboardScope& scope) const {
    const Resolved r = Resolve(scope);
    std::vector<store::TargetedGroup> out;
    if (r.nobody) return out;
    for (size_t g = 0; g < agent_groups.size(); ++g) {
      const AgentGroup& ag = agent_groups[g];
      if (group_agents[g] == 0 || !r.Person(ag.department, ag.site, ag.advisor, ag.wave)) continue;
      out.push_back({.department = departments.Name(ag.department),
                     .site = sites.Name(ag.site),
                     .advisor = advisors.Name(ag.advisor),
                     .wave = waves.Name(ag.wave),
                     .equipped = ag.equipped,
                     .agents = group_agents[g]});
    }
    return out;
  }

  std::vector<store::FunnelGroup> CountFunnel(const store::DashboardScope& scope) const {
    const Resolved r = Resolve(scope);
    std::map<std::array<uint32_t, 5>, int64_t> rows;  // department, advisor, wave, tier, bits
    if (!r.nobody) {
      for (const auto& [key, n] : funnel) {
        const AgentGroup& ag = agent_groups[key[0]];
        if (!r.Person(ag.department, ag.site, ag.advisor, ag.wave)) continue;
        rows[{ag.department, ag.advisor, ag.wave, key[1], key[2]}] += n;
      }
    }
    std::vector<store::FunnelGroup> out;
    out.reserve(rows.size());
    for (const auto& [k, n] : rows) {
      out.push_back({.department = departments.Name(k[0]),
                     .advisor = advisors.Name(k[1]),
                     .wave = waves.Name(k[2]),
                     .tier = k[3] == 0 ? std::string() : tiers.Name(k[3] - 1),
                     .assessed = k[3] != 0,
                     .assigned = (k[4] & kAssigned) != 0,
                     .started = (k[4] & kStarted) != 0,
                     .completed = (k[4] & kCompleted) != 0,
                     .agents = n});
    }
    return out;
  }

  std::vector<store::HealthGroup> CountHealth(const store::DashboardScope& scope) const {
    const Resolved r = Resolve(scope);
    std::vector<store::HealthGroup> out;
    if (r.none) return out;
    auto row = [&](uint32_t department, uint32_t kind, const std::array<uint32_t, 5>& k,
                   int64_t n) {
      out.push_back({.department = departments.Name(department),
                     .kind = static_cast<v1::DeviceKind>(kind),
                     .os_version = versions.Name(k[2]),
                     .agent_version = versions.Name(k[3]),
                     .checked_in = (k[4] & kCheckedIn) != 0,
                     .low_battery = (k[4] & kLowBattery) != 0,
                     .low_storage = (k[4] & kLowStorage) != 0,
                     .devices = n});
    };
    const auto kind_ok = [&](uint32_t kind) {
      return r.kind == v1::DEVICE_KIND_UNSPECIFIED || kind == static_cast<uint32_t>(r.kind);
    };
    if (r.site == kNone) {  // the rows as kept
      for (const auto& [k, n] : health_by_department) {
        if (r.Place(k[0], kNone) && kind_ok(k[1])) row(k[0], k[1], k, n);
      }
      return out;
    }
    std::map<std::array<uint32_t, 5>, int64_t> rows;  // department, kind, os, agent, bits
    for (const auto& [key, n] : health) {
      const auto& [department, site, kind] = health_groups[key[0]];
      if (!r.Place(department, site) || !kind_ok(kind)) continue;
      rows[{department, kind, key[1], key[2], key[3]}] += n;
    }
    for (const auto& [k, n] : rows) row(k[0], k[1], k, n);
    return out;
  }

  std::vector<store::VersionGroup> CountVersions() const {
    std::vector<store::VersionGroup> out;
    out.reserve(versions_count.size());
    for (const auto& [k, n] : versions_count) {
      out.push_back({.kind = static_cast<v1::DeviceKind>(k[0]),
                     .os_version = versions.Name(k[1]),
                     .agent_version = versions.Name(k[2]),
                     .devices = n});
    }
    return out;
  }

  // One pass over the devices for the stale reads, without the lock: reads
  // each device's group and last_seen through atomics (the arrays themselves
  // are sized when the index is built). `in_scope`: per device group.
  StaleScan ScanStale(const std::vector<uint8_t>& in_scope, int64_t seen_before_ms,
                      size_t pick) const {
    StaleScan scan;
    const size_t groups = in_scope.size();
    // One more slot for devices outside every group (kNone, or a group newer
    // than the scope): never in scope.
    scan.counts.assign(groups * 2 + 2, 0);
    scan.pick = pick;
    std::vector<uint8_t> ok(in_scope);
    ok.push_back(0);
    const size_t n = group_of.size();
    const uint32_t* group = group_of.data();
    const int64_t* seen = last_seen.data();
    int64_t* counts = scan.counts.data();
    bool listing = pick > 0;  // until `pick` never-seen ones are found
    // Without branches on the data (in scope? stale? never seen?): they are
    // unpredictable, and mispredictions were most of this pass's time.
    for (size_t id = 0; id < n; ++id) {
      uint32_t g = std::atomic_ref<const uint32_t>(group[id]).load(std::memory_order_relaxed);
      g = g < groups ? g : static_cast<uint32_t>(groups);
      const int64_t ls = std::atomic_ref<const int64_t>(seen[id]).load(std::memory_order_relaxed);
      const int64_t stale = ok[g] & static_cast<int64_t>(ls < seen_before_ms);
      const size_t never = ls == kNever ? 1 : 0;
      counts[2 * g + never] += stale;
      if (listing && stale) {
        if (never) {
          scan.never.push_back(static_cast<int64_t>(id));
          listing = scan.never.size() < pick;
        } else {
          scan.seen.emplace_back(ls, static_cast<int64_t>(id));
        }
      }
    }
    scan.counts.resize(groups * 2);
    return scan;
  }

  // The first `limit` (at most scan.pick) in ListStale's order: never seen
  // first (by id), then by last_seen, then id.
  static std::vector<int64_t> Pick(StaleScan& scan, size_t limit) {
    std::vector<int64_t> out(
        scan.never.begin(),
        scan.never.begin() + static_cast<ptrdiff_t>(std::min(limit, scan.never.size())));
    const size_t k = std::min(limit - out.size(), scan.seen.size());
    if (k > 0) {
      auto kth = scan.seen.begin() + static_cast<ptrdiff_t>(k);
      std::nth_element(scan.seen.begin(), kth, scan.seen.end());
      std::sort(scan.seen.begin(), kth);
      for (auto it = scan.seen.begin(); it != kth; ++it) out.push_back(it->second);
    }
    return out;
  }

  std::vector<uint8_t> EnrolledInScope(const Resolved& r) const {
    std::vector<uint8_t> in(device_groups.size(), 0);
    if (r.none) return in;
    for (size_t g = 0; g < device_groups.size(); ++g) {
      in[g] = device_groups[g].enrolled && r.Device(device_groups[g]);
    }
    return in;
  }

  // The stale counts; the scan (with up to `pick` devices to list) is left in
  // `keep` when given.
  std::vector<store::StaleGroup> CountStale(const store::DashboardScope& scope,
                                            int64_t seen_before_ms, size_t pick, StaleScan* keep,
                                            std::mutex& mu) const {
    std::unique_lock lock(mu);
    const auto in = EnrolledInScope(Resolve(scope));
    lock.unlock();
    StaleScan scan = ScanStale(in, seen_before_ms, pick);
    lock.lock();
    std::map<std::pair<uint32_t, int>, int64_t> rows;
    for (size_t g = 0; g < in.size(); ++g) {
      for (int never = 0; never < 2; ++never) {
        if (int64_t c = scan.counts[2 * g + never]) rows[{device_groups[g].department, never}] += c;
      }
    }
    std::vector<store::StaleGroup> out;
    for (const auto& [k, n] : rows) {
      out.push_back({.department = departments.Name(k.first),
                     .never_checked_in = k.second != 0,
                     .devices = n});
    }
    if (keep != nullptr) *keep = std::move(scan);
    return out;
  }

  std::vector<int64_t> PickStale(const store::DashboardScope& scope, int64_t seen_before_ms,
                                 int limit, std::mutex& mu) const {
    if (limit <= 0) return {};
    const auto wanted = static_cast<size_t>(limit);
    std::unique_lock lock(mu);
    const auto in = EnrolledInScope(Resolve(scope));
    lock.unlock();
    StaleScan scan = ScanStale(in, seen_before_ms, wanted);
    return Pick(scan, wanted);
  }

  // The open foreign-use sessions in scope that ListForeignUse's first
  // `limit` rows come from: the `limit` oldest, and any started at the same
  // time as the last of them (SQL breaks those ties by session id).
  std::vector<int64_t> PickForeignUse(const store::DashboardScope& scope, int limit) const {
    std::vector<int64_t> out;
    const Resolved r = Resolve(scope);
    if (r.none || limit <= 0) return out;
    std::vector<std::pair<int64_t, int64_t>> found;  // (started_at, device id)
    for (const auto& [id, since] : foreign_since) {
      if (r.Device(device_groups[group_of[id]])) found.emplace_back(since, id);
    }
    const auto wanted = static_cast<size_t>(limit);
    if (found.size() > wanted) {
      auto kth = found.begin() + static_cast<ptrdiff_t>(wanted - 1);
      std::nth_element(found.begin(), kth, found.end());
      const int64_t last = kth->first;
      for (const auto& [since, id] : found) {
        if (since <= last) out.push_back(id);
      }
    } else {
      for (const auto& [since, id] : found) out.push_back(id);
    }
    return out;
  }

  store::FleetGauges CountFleet(int64_t stale_before_ms, std::mutex& mu) const {
    std::unique_lock lock(mu);
    store::FleetGauges out;
    std::map<int, int64_t> by_lifecycle;
    std::vector<uint8_t> enrolled(device_groups.size(), 0);
    for (size_t g = 0; g < device_groups.size(); ++g) {
      if (group_devices[g] == 0) continue;
      by_lifecycle[device_groups[g].lifecycle] += group_devices[g];
      if (device_groups[g].enrolled) enrolled[g] = 1, out.enrolled += group_devices[g];
    }
    for (const auto& [l, n] : by_lifecycle) {
      out.by_lifecycle.emplace_back(static_cast<v1::Lifecycle>(l), n);
    }
    lock.unlock();
    const auto scan = ScanStale(enrolled, stale_before_ms, 0);
    for (int64_t c : scan.counts) out.stale += c;
    return out;
  }

  std::vector<v1::DepartmentCount> CountForeignUse(const store::DashboardScope& scope) const {
    const Resolved r = Resolve(scope);
    std::map<std::string, int64_t> rows;
    if (!r.none) {
      for (size_t g = 0; g < device_groups.size(); ++g) {
        if (group_foreign[g] == 0 || !r.Device(device_groups[g])) continue;
        rows[departments.Name(device_groups[g].department)] += group_foreign[g];
      }
    }
    return DepartmentCounts(rows);
  }

  std::vector<v1::DepartmentCount> CountOverdue(const store::DashboardScope& scope,
                                                const std::string& today) const {
    const Resolved r = Resolve(scope);
    std::map<std::string, int64_t> rows;
    if (!r.nobody) {
      const auto before = static_cast<uint32_t>(
          std::lower_bound(due_dates.begin(), due_dates.end(), today) - due_dates.begin());
      std::vector<int64_t> per_department(departments.size(), 0);
      for (const Loan& l : loans) {
        if (l.due >= before || !r.Person(l.department, l.site, l.advisor, l.wave)) continue;
        if (r.kind != v1::DEVICE_KIND_UNSPECIFIED && l.kind != r.kind) continue;
        ++per_department[l.department];
      }
      for (size_t d = 0; d < per_department.size(); ++d) {
        if (per_department[d] > 0)
          rows[departments.Name(static_cast<uint32_t>(d))] = per_department[d];
      }
    }
    return DepartmentCounts(rows);
  }

  static std::vector<v1::DepartmentCount> DepartmentCounts(
      const std::map<std::string, int64_t>& rows) {
    std::vector<v1::DepartmentCount> out;
    for (const auto& [department, n] : rows) {
      v1::DepartmentCount& c = out.emplace_back();
      c.set_department(department);
      c.set_count(n);
    }
    return out;
  }

  int64_t Bytes() const {
    auto vec = [](const auto& v) {
      return static_cast<int64_t>(v.capacity() *
                                  sizeof(typename std::decay_t<decltype(v)>::value_type));
    };
    int64_t bytes = vec(device_groups) + vec(group_devices) + vec(group_of) + vec(last_seen) +
                    vec(state) + vec(flags) + vec(group_foreign) + vec(agent_groups) +
                    vec(group_agents) + vec(agent_group_of) + vec(agent_tier) + vec(agent_funnel) +
                    vec(loans);
    bytes += static_cast<int64_t>(
        (health.size() + health_by_department.size() + versions_count.size() + funnel.size()) * 64 +
        foreign_since.size() * 32);
    for (const auto* interner :
         {&departments, &sites, &advisors, &waves, &tiers, &versions, &modules}) {
      bytes += interner->Bytes();
    }
    for (const auto& d : due_dates) bytes += static_cast<int64_t>(d.capacity() + 32);
    return bytes;
  }
};

namespace {

// When the device measured the report; `fallback` when it did not say
// (telemetry_writes.cc's rule).
int64_t CollectedAt(const v1::Report& report, int64_t fallback) {
  if (!report.has_collected_at()) return fallback;
  const int64_t ms = FromTimestamp(report.collected_at());
  return ms != 0 ? ms : fallback;
}

Update UpdateOf(const store::DeviceReports& entry, int64_t now_ms) {
  Update u;
  u.device_id = entry.device_id;
  u.now_ms = now_ms;
  const v1::Report* latest = nullptr;
  for (const v1::Report& report : entry.request->reports()) {
    if (report.has_status() && (latest == nullptr || report.sequence() > latest->sequence())) {
      latest = &report;
    }
    if (report.has_usage()) {
      const v1::UsageEvent& usage = report.usage();
      const bool opens = usage.login() && !usage.employee_number().empty();
      u.usage.push_back({.at = CollectedAt(report, now_ms),
                         .opens = opens,
                         .foreign = opens && !entry.holder_employee_number.empty() &&
                                    entry.holder_employee_number != usage.employee_number()});
    }
  }
  if (latest != nullptr) {
    const v1::StatusReport& s = latest->status();
    u.has_status = true;
    u.sequence = static_cast<int64_t>(latest->sequence());
    u.battery = s.battery_percent();
    u.storage_free = s.storage_free_bytes();
    u.storage_total = s.storage_total_bytes();
    u.os_version = s.os_version();
    u.agent_version = s.agent_version();
  }
  return u;
}

bool SameLimits(const store::HealthThresholds& a, const store::HealthThresholds& b) {
  return a.battery_below == b.battery_below &&
         a.storage_free_percent_below == b.storage_free_percent_below;
}

// The grouped reads from the index, the rest through SQL.
class IndexedReader final : public store::DashboardReader {
 public:
  IndexedReader(std::mutex& mu, std::shared_ptr<Index> index, store::DashboardReader& sql)
      : mu_(mu), index_(std::move(index)), sql_(sql) {}

  // Everything is read under mu_ (check-ins, progress and operator writes
  // change it in place) except the per-device pass of the stale reads.
  Expected<std::vector<store::DeviceGroup>> CountDevices(
      const store::DashboardScope& scope) override {
    std::lock_guard lock(mu_);
    return index_->CountDevices(scope);
  }
  Expected<std::vector<store::TargetedGroup>> CountTargetedAgents(
      const store::DashboardScope& scope) override {
    std::lock_guard lock(mu_);
    return index_->CountTargeted(scope);
  }
  Expected<std::vector<store::FunnelGroup>> CountFunnel(
      const store::DashboardScope& scope) override {
    std::lock_guard lock(mu_);
    return index_->CountFunnel(scope);
  }
  Expected<std::vector<store::HealthGroup>> CountHealth(
      const store::DashboardScope& scope, const store::HealthThresholds& limits) override {
    if (!SameLimits(limits, index_->limits)) return sql_.CountHealth(scope, limits);
    std::lock_guard lock(mu_);
    return index_->CountHealth(scope);
  }
  Expected<std::vector<store::VersionGroup>> CountVersions() override {
    std::lock_guard lock(mu_);
    return index_->CountVersions();
  }
  Expected<store::FleetGauges> CountFleet(int64_t stale_before_ms) override {
    return index_->CountFleet(stale_before_ms, mu_);
  }
  // StaleDevices asks for the counts, then the list of the same devices: one
  // pass serves both.
  Expected<std::vector<store::StaleGroup>> CountStale(const store::DashboardScope& scope,
                                                      int64_t seen_before_ms) override {
    stale_.emplace();
    stale_->scope = scope;
    stale_->seen_before_ms = seen_before_ms;
    return index_->CountStale(scope, seen_before_ms, kListedAtMost, &stale_->scan, mu_);
  }
  Expected<std::vector<v1::StaleDevice>> ListStale(const store::DashboardScope& scope,
                                                   int64_t seen_before_ms, int limit) override {
    if (limit <= 0) return std::vector<v1::StaleDevice>{};
    if (stale_ && stale_->seen_before_ms == seen_before_ms && SameScope(stale_->scope, scope) &&
        static_cast<size_t>(limit) <= stale_->scan.pick) {
      return sql_.DescribeStale(Index::Pick(stale_->scan, static_cast<size_t>(limit)));
    }
    return sql_.DescribeStale(index_->PickStale(scope, seen_before_ms, limit, mu_));
  }
  Expected<std::vector<v1::DepartmentCount>> CountForeignUse(
      const store::DashboardScope& scope) override {
    std::lock_guard lock(mu_);
    return index_->CountForeignUse(scope);
  }
  Expected<std::vector<v1::ForeignUse>> ListForeignUse(const store::DashboardScope& scope,
                                                       int limit) override {
    std::vector<int64_t> devices;
    {
      std::lock_guard lock(mu_);
      devices = index_->PickForeignUse(scope, limit);
    }
    return sql_.DescribeForeignUse(devices, limit);
  }
  Expected<std::vector<v1::DepartmentCount>> CountOverdueLoans(const store::DashboardScope& scope,
                                                               const std::string& today) override {
    std::lock_guard lock(mu_);
    return index_->CountOverdue(scope, today);
  }
  Expected<std::vector<v1::OverdueLoan>> ListOverdueLoans(const store::DashboardScope& scope,
                                                          const std::string& today,
                                                          int limit) override {
    return sql_.ListOverdueLoans(scope, today, limit);
  }
  Status ScanDevices(const store::RowSink<store::DeviceFacts>& row) override {
    return sql_.ScanDevices(row);
  }
  Status ScanTargetedAgents(const store::RowSink<store::AgentFacts>& row) override {
    return sql_.ScanTargetedAgents(row);
  }
  Status ScanDevicesBySerial(const std::vector<std::string>& serials,
                             const store::RowSink<store::DeviceFacts>& row) override {
    return sql_.ScanDevicesBySerial(serials, row);
  }
  Status ScanAgents(const std::vector<std::string>& employee_numbers,
                    const store::RowSink<store::AgentFacts>& row) override {
    return sql_.ScanAgents(employee_numbers, row);
  }
  Expected<int64_t> LatestAuditId() override { return sql_.LatestAuditId(); }
  Expected<std::vector<std::string>> LatestHolders(
      const std::vector<std::string>& serials) override {
    return sql_.LatestHolders(serials);
  }
  Status ScanOverdueCandidates(const store::RowSink<store::LoanFacts>& row) override {
    return sql_.ScanOverdueCandidates(row);
  }
  Status ScanPublishedAssignments(const store::RowSink<store::AssignmentFacts>& row) override {
    return sql_.ScanPublishedAssignments(row);
  }
  Status ScanProgress(const std::vector<std::string>& employee_numbers,
                      const store::RowSink<store::ProgressFacts>& row) override {
    return sql_.ScanProgress(employee_numbers, row);
  }
  Expected<std::vector<v1::StaleDevice>> DescribeStale(
      const std::vector<int64_t>& device_ids) override {
    return sql_.DescribeStale(device_ids);
  }
  Expected<std::vector<v1::ForeignUse>> DescribeForeignUse(const std::vector<int64_t>& device_ids,
                                                           int limit) override {
    return sql_.DescribeForeignUse(device_ids, limit);
  }

 private:
  // The longest list kept from CountStale's pass (the domain lists at most
  // 1,000); a longer ListStale makes its own pass.
  static constexpr size_t kListedAtMost = 1000;

  static bool SameScope(const store::DashboardScope& a, const store::DashboardScope& b) {
    return a.department == b.department && a.site == b.site && a.departments == b.departments &&
           a.kind == b.kind && a.wave == b.wave && a.advisor == b.advisor;
  }

  struct LastStale {
    store::DashboardScope scope;
    int64_t seen_before_ms = 0;
    StaleScan scan;
  };

  std::mutex& mu_;
  std::shared_ptr<Index> index_;
  store::DashboardReader& sql_;
  std::optional<LastStale> stale_;
};

}  // namespace

FleetIndex::FleetIndex(store::Store& store, Options options)
    : store_(store), options_(options), pending_(std::make_unique<Pending>()) {}

FleetIndex::~FleetIndex() {
  if (builder_.joinable()) builder_.join();
}

void FleetIndex::StartBuild() {
  if (builder_.joinable()) return;
  builder_ = std::thread([this] {
    std::lock_guard refresh(refresh_mu_);
    {
      std::lock_guard lock(mu_);  // a reader got here first and built it
      if (current_ && current_->generation == written_.load()) return;
    }
    if (Status built = Build(); !built) {
      Logger("dashboard")->warn("fleet index build failed: {}", built.error().message);
    }
  });
}

bool FleetIndex::Fresh() {
  return current_ && current_->generation == written_.load() && dirty_progress_.empty();
}

Expected<std::shared_ptr<Index>> FleetIndex::Current() {
  {
    std::lock_guard lock(mu_);
    if (Fresh()) return current_;
  }
  std::lock_guard refresh(refresh_mu_);  // one refresh serves every waiting reader
  bool rebuild = false;
  {
    std::lock_guard lock(mu_);
    if (Fresh()) return current_;
    rebuild = !current_ || current_->generation != written_.load();
  }
  if (rebuild) {
    PARC_ASSIGN_OR_RETURN(bool refreshed, Refresh());
    if (!refreshed) PARC_TRY(Build());
  }
  PARC_TRY(RefreshProgress());
  std::lock_guard lock(mu_);
  return current_;
}

Status FleetIndex::Build() {
  const auto start = std::chrono::steady_clock::now();
  const uint64_t generation = written_.load();  // before the snapshot opens
  {
    std::lock_guard lock(mu_);
    building_ = true;
    pending_->updates.clear();
  }
  auto index = std::make_shared<Index>(options_.health);
  Status read = store_.Read([&](store::Reader& r) -> Status { return index->Load(r.dashboard()); });
  std::lock_guard lock(mu_);
  building_ = false;
  if (read) {
    // Check-ins committed after the snapshot opened were held back: apply them.
    for (const Update& u : pending_->updates) index->Apply(u);
    index->generation = generation;
    current_ = std::move(index);
    build_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
    ++builds_;
    Logger("dashboard")
        ->info("fleet index built devices={} agents={} loans={} bytes={} ms={} pending={}",
               current_->devices, current_->agents, current_->loans.size(), current_->Bytes(),
               build_ms_, pending_->updates.size());
  }
  pending_->updates.clear();
  pending_->updates.shrink_to_fit();
  return read;
}

namespace {

// How a committed operator write (by its audit action) changes the index.
enum class Effect { kNone, kDevice, kAllocation, kAgent, kRebuild };

Effect EffectOf(std::string_view action) {
  // Neither the devices, agents, allocations, tiers nor published assignments.
  static constexpr std::string_view kNone[] = {
      "enrollment_token.create", "site.create",   "site.update",     "operator.create",
      "operator.disable",        "token.create",  "token.revoke",    "content.upload",
      "backup.create",           "module.create", "module.add_items"};
  // One device's inventory or enrollment (target "device:<serial>").
  static constexpr std::string_view kDevice[] = {"device.update", "device.lifecycle",
                                                 "device.retire", "device.enroll",
                                                 "device.revoke", "device.allow_enrollment"};
  for (std::string_view a : kNone) {
    if (action == a) return Effect::kNone;
  }
  for (std::string_view a : kDevice) {
    if (action == a) return Effect::kDevice;
  }
  if (action == "allocation.assign" || action == "allocation.return") return Effect::kAllocation;
  if (action == "agent.update") return Effect::kAgent;
  return Effect::kRebuild;  // new devices or agents, imports, tiers, modules: anything else
}

constexpr int kAuditScan = 256;  // audit events read per refresh; more: rebuild

}  // namespace

Expected<bool> FleetIndex::Refresh() {
  std::shared_ptr<Index> index;
  {
    std::lock_guard lock(mu_);
    index = current_;
  }
  if (!index) return false;
  const uint64_t generation = written_.load();  // before the snapshot opens
  bool rebuild = false, loans = false;
  int64_t newest = index->audit_seen;
  std::vector<store::DeviceFacts> devices;
  std::vector<store::AgentFacts> agents;
  std::vector<store::LoanFacts> loaded;
  Index::Progress progress;
  Status read = store_.Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(auto events, r.ListAuditEvents({.page = {.limit = kAuditScan}}));
    bool reached = events.size() < static_cast<size_t>(kAuditScan);
    std::vector<std::string> serials, allocated, people;
    for (const v1::AuditEvent& e : events) {  // newest first
      if (e.id() <= index->audit_seen) {
        reached = true;
        break;
      }
      newest = std::max(newest, e.id());
      const Effect effect = EffectOf(e.action());
      const std::string_view target = e.target();
      if ((effect == Effect::kDevice || effect == Effect::kAllocation) &&
          target.starts_with("device:")) {
        serials.emplace_back(target.substr(7));
        if (effect == Effect::kAllocation) allocated.emplace_back(target.substr(7)), loans = true;
      } else if (effect == Effect::kAgent && target.starts_with("agent:")) {
        people.emplace_back(target.substr(6));
        loans = true;  // the borrower's department, site, wave or advisor
      } else if (effect != Effect::kNone) {
        rebuild = true;
      }
    }
    if (!reached || rebuild) return Ok();
    PARC_ASSIGN_OR_RETURN(auto holders, r.dashboard().LatestHolders(allocated));
    people.insert(people.end(), holders.begin(), holders.end());
    PARC_TRY(r.dashboard().ScanDevicesBySerial(
        serials, [&](const store::DeviceFacts& d) { devices.push_back(d); }));
    PARC_TRY(
        r.dashboard().ScanAgents(people, [&](const store::AgentFacts& a) { agents.push_back(a); }));
    PARC_TRY(r.dashboard().ScanProgress(
        people, [&](const store::ProgressFacts& p) { index->AddProgress(progress, p); }));
    if (loans) {
      PARC_TRY(r.dashboard().ScanOverdueCandidates(
          [&](const store::LoanFacts& l) { loaded.push_back(l); }));
    }
    rebuild = !reached;
    return Ok();
  });
  if (!read) return std::unexpected(read.error());
  if (rebuild) return false;
  std::lock_guard lock(mu_);
  for (const auto& d : devices) {
    if (!index->RegroupDevice(d)) return false;  // a new device: the caller rebuilds
  }
  std::vector<uint32_t> reach;
  for (const auto& a : agents) index->ReplaceAgent(a, progress, reach);
  if (loans) index->SetLoans(loaded);
  index->audit_seen = newest;
  index->generation = generation;
  ++refreshes_;
  return true;
}

Status FleetIndex::RefreshProgress() {
  std::vector<std::string> names;
  std::shared_ptr<Index> index;
  {
    std::lock_guard lock(mu_);
    names.swap(dirty_progress_);
    index = current_;
  }
  if (names.empty() || !index) return Ok();
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::unordered_map<int64_t, std::vector<std::pair<uint32_t, uint8_t>>> progress;
  constexpr size_t kChunk = 500;  // bound values per statement
  Status read = store_.Read([&](store::Reader& r) -> Status {
    for (size_t first = 0; first < names.size(); first += kChunk) {
      std::vector<std::string> chunk(
          names.begin() + static_cast<ptrdiff_t>(first),
          names.begin() + static_cast<ptrdiff_t>(std::min(names.size(), first + kChunk)));
      PARC_TRY(r.dashboard().ScanProgress(chunk, [&](const store::ProgressFacts& p) {
        if (auto module = index->modules.Find(p.module_code)) {
          progress[p.agent_id].emplace_back(
              *module, (p.opened ? kStarted : 0) | (p.completed ? kCompleted : 0));
        } else {
          progress[p.agent_id];  // a module nothing reaches: no stage changes
        }
      }));
    }
    return Ok();
  });
  std::lock_guard lock(mu_);
  if (!read) {
    dirty_progress_.insert(dirty_progress_.end(), names.begin(), names.end());
    return read;
  }
  std::vector<uint32_t> reach;
  for (const auto& [agent, rows] : progress) index->SetProgress(agent, rows, reach);
  return Ok();
}

std::unique_ptr<store::DashboardReader> FleetIndex::Reader(const std::shared_ptr<Index>& index,
                                                           store::DashboardReader& sql) {
  return std::make_unique<IndexedReader>(mu_, index, sql);
}

Expected<store::FleetGauges> FleetIndex::CountFleet(int64_t stale_before_ms) {
  PARC_ASSIGN_OR_RETURN(auto index, Current());
  return index->CountFleet(stale_before_ms, mu_);
}

FleetIndex::Stats FleetIndex::stats() {
  std::lock_guard lock(mu_);
  Stats s;
  s.build_ms = build_ms_;
  s.builds = builds_;
  s.refreshes = refreshes_;
  if (current_) {
    s.devices = current_->devices;
    s.agents = current_->agents;
    s.loans = static_cast<int64_t>(current_->loans.size());
    s.bytes = current_->Bytes();
  }
  return s;
}

void FleetIndex::Written() { written_.fetch_add(1); }

void FleetIndex::ReportsRecorded(const std::vector<store::DeviceReports>& batch, int64_t now_ms) {
  std::vector<Update> updates;
  updates.reserve(batch.size());
  for (const store::DeviceReports& entry : batch) {
    if (entry.request != nullptr) updates.push_back(UpdateOf(entry, now_ms));
  }
  std::lock_guard lock(mu_);
  if (current_) {
    for (const Update& u : updates) current_->Apply(u);
  }
  if (building_) {
    for (Update& u : updates) pending_->updates.push_back(std::move(u));
  }
}

void FleetIndex::ProgressRecorded(int64_t /*device_id*/, const v1::ReportProgressRequest& request,
                                  const store::ProgressCounts& counts) {
  if (counts.accepted == 0) return;  // only duplicates: nothing changed
  std::lock_guard lock(mu_);
  for (const v1::ProgressEvent& e : request.events()) {
    if (dirty_progress_.empty() || dirty_progress_.back() != e.employee_number()) {
      dirty_progress_.push_back(e.employee_number());
    }
  }
}

}  // namespace parc::dashboard
