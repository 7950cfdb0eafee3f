// The training side of the demo city: a few published modules with small
// generated content files, assigned by skill tier, wave and department, and
// progress for some of the people whose personal device carries them, so
// that the dashboard's training funnel and `parcctl progress` have something
// to show. Internal to parc_demo; demo.cc calls it last (tier assignments
// reach whoever has a current tier by then).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "daemon/demo/demo_fleet.h"
#include "daemon/store/store.h"

namespace parc::demo {

struct TrainingSummary {
  int modules = 0;  // published codes (one of them with a superseded version 1)
  int assignments = 0;
  int content_files = 0;
  int progress_events = 0;
  int transactions = 0;
};

// Writes the content files under `content_dir` (daemon/content/content_files.h),
// then modules and assignments in one audited transaction (actor "demo"),
// then progress events (Store::RecordProgress) for the holders of the
// personal devices in `in_use`. Deterministic from `seed`.
Expected<TrainingSummary> LoadTraining(store::Store& store, const std::vector<FleetDevice>& in_use,
                                       const std::string& content_dir, uint64_t seed,
                                       int64_t now_ms);

}  // namespace parc::demo
