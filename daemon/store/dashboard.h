// The reads behind the dashboards: grouped counts and short lists, so that the
// domain (daemon/domain/dashboard.h) does its arithmetic on a few rows instead
// of on every device. Reached through Reader::dashboard(); lives, like the
// Reader, only inside a Store::Read callback and is not thread-safe.
//
// Every method takes a DashboardScope and returns only rows inside it. Errors
// mean storage failed; no match is an empty vector.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "parc/v1/dashboard.pb.h"
#include "parc/v1/types.pb.h"

namespace parc::store {

// Empty strings mean "any". A non-empty `departments` restricts to those (a
// manager's scope). Devices are matched on their department and site, agents
// and loans on the agent's. `kind` (UNSPECIFIED: any) filters devices and the
// lent device of loans; `wave` and `advisor` filter agents and borrowers, and
// are ignored by the device-only reads (CountDevices, CountHealth, stale and
// foreign-use reads).
struct DashboardScope {
  std::string department, site;
  std::vector<std::string> departments;
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
  std::string wave, advisor;
};

// Devices grouped by what the allocation summary breaks them down by.
struct DeviceGroup {
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
  v1::Lifecycle lifecycle = v1::LIFECYCLE_UNSPECIFIED;
  std::string department, site;
  // Kind of the device's open allocation; UNSPECIFIED when it has none.
  v1::AllocationKind allocation = v1::ALLOCATION_KIND_UNSPECIFIED;
  int64_t devices = 0;
};

// Targeted agents (active, and without email or in a wave), grouped.
struct TargetedGroup {
  std::string department, site, advisor, wave;
  bool equipped = false;  // has an open personal allocation or loan
  int64_t agents = 0;
};

// Enrolled devices grouped by health signals (versions are "" when unknown).
struct HealthGroup {
  std::string department;
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
  std::string os_version, agent_version;
  bool checked_in = false;   // has a status row
  bool low_battery = false;  // 0 <= battery < HealthThresholds::battery_below
  bool low_storage = false;  // free < storage_free_percent_below % of a known total
  int64_t devices = 0;
};

// The limits under which a device counts as low on battery or storage; the
// domain owns their values.
struct HealthThresholds {
  int battery_below = 20;
  int storage_free_percent_below = 10;
};

// Enrolled devices that reported versions, over the whole fleet (no scope).
struct VersionGroup {
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
  std::string os_version, agent_version;
  int64_t devices = 0;
};

// Stale devices per department, split by whether they ever reported.
struct StaleGroup {
  std::string department;
  bool never_checked_in = false;
  int64_t devices = 0;
};

// Targeted agents (as TargetedGroup) grouped by how far along the training
// funnel they are. `tier` is their current tier code, "" when never assessed
// (assessed is then false). assigned: a published module reaches them
// (training.h's resolution: to them, their department, wave or current tier);
// started: they opened or completed one of those; completed: all of them.
struct FunnelGroup {
  std::string department, advisor, wave, tier;
  bool assessed = false, assigned = false, started = false, completed = false;
  int64_t agents = 0;
};

struct FleetGauges {
  std::vector<std::pair<v1::Lifecycle, int64_t>> by_lifecycle;  // non-zero ones
  int64_t enrolled = 0, stale = 0;
};

// The per-row facts the dashboards' in-memory index (daemon/dashboard/) is
// built from: exactly what the grouped reads above group and filter by.

// One device, its open allocation's kind, its latest status and its open usage
// session.
struct DeviceFacts {
  int64_t id = 0;
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
  v1::Lifecycle lifecycle = v1::LIFECYCLE_UNSPECIFIED;
  std::string department, site;
  bool enrolled = false;
  v1::AllocationKind allocation = v1::ALLOCATION_KIND_UNSPECIFIED;
  bool checked_in = false;     // has a status row; the fields below are then set
  int64_t last_seen = 0;       // unix ms
  int64_t last_sequence = -1;  // of the status shown; -1 when none yet
  int64_t battery_percent = -1, storage_free = -1, storage_total = -1;
  std::string os_version, agent_version;
  bool session_open = false;    // an open usage session
  bool foreign_use = false;     // ... flagged not_the_holder
  int64_t session_started = 0;  // ... started at (unix ms)
  int64_t usage_boundary = 0;   // the latest session's latest start or end; 0: none
};

// One targeted agent (as TargetedGroup counts them) and their current tier.
struct AgentFacts {
  int64_t id = 0;
  std::string department, site, advisor, wave;
  bool equipped = false;
  bool assessed = false;
  std::string tier;      // "" when never assessed
  bool targeted = true;  // ScanAgents also returns agents not targeted
};

// One open loan with a due date, with its borrower's scope fields and the lent
// device's kind (what CountOverdueLoans filters and groups by).
struct LoanFacts {
  std::string department, site, advisor, wave;
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
  std::string due_date;
};

// An assignment of a module that has a published version (training_reach.h:
// target_kind is agent, department, wave or tier). For an agent target,
// agent_id is that agent's id (0 when no agent has that employee number).
struct AssignmentFacts {
  std::string module_code, target_kind, target;
  int64_t agent_id = 0;
};

// One targeted agent's progress in one module (module_progress).
struct ProgressFacts {
  int64_t agent_id = 0;
  std::string module_code;
  bool opened = false, completed = false;
};

template <typename Row>
using RowSink = std::function<void(const Row&)>;

class DashboardReader {
 public:
  virtual ~DashboardReader() = default;

  virtual Expected<std::vector<DeviceGroup>> CountDevices(const DashboardScope& scope) = 0;
  virtual Expected<std::vector<TargetedGroup>> CountTargetedAgents(const DashboardScope& scope) = 0;
  virtual Expected<std::vector<FunnelGroup>> CountFunnel(const DashboardScope& scope) = 0;
  virtual Expected<std::vector<HealthGroup>> CountHealth(const DashboardScope& scope,
                                                         const HealthThresholds& limits) = 0;
  virtual Expected<std::vector<VersionGroup>> CountVersions() = 0;

  // For /metrics, over the whole fleet and cheap at a million devices: devices
  // per lifecycle (from the lifecycle index) and, in one pass, the enrolled
  // ones and those of them silent since before `stale_before_ms` (or never
  // seen).
  virtual Expected<FleetGauges> CountFleet(int64_t stale_before_ms) = 0;

  // Enrolled devices whose last report arrived before `seen_before_ms`, or
  // that never reported: per department, and the first `limit` (never
  // reported first, then oldest last_seen). days_silent is left 0 for the
  // domain, which counts it from last_seen or enrolled_at.
  virtual Expected<std::vector<StaleGroup>> CountStale(const DashboardScope& scope,
                                                       int64_t seen_before_ms) = 0;
  virtual Expected<std::vector<v1::StaleDevice>> ListStale(const DashboardScope& scope,
                                                           int64_t seen_before_ms, int limit) = 0;

  // Open usage sessions flagged not_the_holder (per device department; the
  // list oldest first).
  virtual Expected<std::vector<v1::DepartmentCount>> CountForeignUse(
      const DashboardScope& scope) = 0;
  virtual Expected<std::vector<v1::ForeignUse>> ListForeignUse(const DashboardScope& scope,
                                                               int limit) = 0;

  // Open loans due before `today` (YYYY-MM-DD), most overdue first;
  // days_overdue is left 0 for the domain.
  virtual Expected<std::vector<v1::DepartmentCount>> CountOverdueLoans(
      const DashboardScope& scope, const std::string& today) = 0;
  virtual Expected<std::vector<v1::OverdueLoan>> ListOverdueLoans(const DashboardScope& scope,
                                                                  const std::string& today,
                                                                  int limit) = 0;

  // Full scans for the in-memory index, one call per row, in id order.
  virtual Status ScanDevices(const RowSink<DeviceFacts>& row) = 0;
  virtual Status ScanTargetedAgents(const RowSink<AgentFacts>& row) = 0;
  // The same rows for a few devices (by serial) and agents (by employee
  // number, targeted or not), to refresh them after a write.
  virtual Status ScanDevicesBySerial(const std::vector<std::string>& serials,
                                     const RowSink<DeviceFacts>& row) = 0;
  virtual Status ScanAgents(const std::vector<std::string>& employee_numbers,
                            const RowSink<AgentFacts>& row) = 0;
  // The newest audit event id (0: none), to tell which writes came after.
  virtual Expected<int64_t> LatestAuditId() = 0;
  // The agents of these devices' latest allocation (open or just closed).
  virtual Expected<std::vector<std::string>> LatestHolders(
      const std::vector<std::string>& serials) = 0;
  virtual Status ScanOverdueCandidates(const RowSink<LoanFacts>& row) = 0;
  virtual Status ScanPublishedAssignments(const RowSink<AssignmentFacts>& row) = 0;
  // Progress of targeted agents: of everyone, or only of `employee_numbers`
  // when not empty. Rows of agents not targeted are not returned.
  virtual Status ScanProgress(const std::vector<std::string>& employee_numbers,
                              const RowSink<ProgressFacts>& row) = 0;
  // ListForeignUse restricted to the open sessions of these devices.
  virtual Expected<std::vector<v1::ForeignUse>> DescribeForeignUse(
      const std::vector<int64_t>& device_ids, int limit) = 0;
  // The stale-list rows (as ListStale fills them) of these devices, in this
  // order; ids that do not exist are skipped.
  virtual Expected<std::vector<v1::StaleDevice>> DescribeStale(
      const std::vector<int64_t>& device_ids) = 0;
};

}  // namespace parc::store
