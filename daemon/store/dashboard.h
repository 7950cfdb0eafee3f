// The reads behind the dashboards: grouped counts and short lists, so that the
// domain (daemon/domain/dashboard.h) does its arithmetic on a few rows instead
// of on every device. Reached through Reader::dashboard(); lives, like the
// Reader, only inside a Store::Read callback and is not thread-safe.
//
// Every method takes a DashboardScope and returns only rows inside it. Errors
// mean storage failed; no match is an empty vector.
#pragma once

#include <cstdint>
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
};

}  // namespace parc::store
