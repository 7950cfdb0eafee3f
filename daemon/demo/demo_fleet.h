// The device side of the demo city: which devices run parc-agent and what they
// last reported, so that the dashboard's stale-device and fleet-health views
// have something to show. Internal to parc_demo; demo.cc calls it after the
// devices are written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "daemon/store/store.h"
#include "parc/v1/types.pb.h"

namespace parc::demo {

// A device in use, as written by the demo: the candidates for enrollment.
struct FleetDevice {
  int64_t id = 0;
  v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
  std::string holder;  // employee number of a personal holder or borrower; "" for site pools
};

struct FleetSummary {
  int enrolled = 0;
  int never_checked_in = 0;
  int stale = 0;  // last report 8 days ago or more
  int low_battery = 0, low_storage = 0;
  int used_by_someone_else = 0;
  int transactions = 0;
};

// Enrolls about 85 % of `devices` (deterministically from `seed`) and records
// their reports through Store::RecordReports, dated in the past: most seen
// within two days, some silent for one to six weeks, a few never since
// enrollment; some low on battery or storage, several OS and agent versions,
// and a few logged into by someone other than their holder. `other_staff`
// lends those "someone else" employee numbers.
Expected<FleetSummary> LoadFleet(store::Store& store, const std::vector<FleetDevice>& devices,
                                 const std::vector<std::string>& other_staff, uint64_t seed,
                                 int64_t now_ms);

}  // namespace parc::demo
