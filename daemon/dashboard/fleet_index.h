// The dashboards' in-memory fleet index: a compact copy of exactly the facts
// the dashboards group by (per device: interned department, site, kind,
// lifecycle, enrollment, open allocation kind, last_seen, health signals,
// versions, open foreign use; per targeted agent: department, site, advisor,
// wave, equipped, tier and funnel stage; open loans with a due date), with the
// grouped counts kept as the data changes. It answers the grouped reads of
// store::DashboardReader (CountDevices, CountTargetedAgents, CountFunnel,
// CountHealth, CountVersions, CountFleet, CountStale, CountForeignUse,
// CountOverdueLoans) and picks the devices of the stale and foreign-use lists
// from memory (their rows are then read by id), with the same rows as the SQL
// reads for the same data and scope; the overdue-loan list stays SQL (an
// index walk on open loans by due date).
//
// Kept current as a store::StoreObserver of the ObservedStore every service
// writes through:
// - ReportsRecorded: the batch is applied in memory as telemetry_writes.cc
//   applies it (last_seen, the newest status by sequence, usage sessions);
//   microseconds per batch on the check-in writer thread. One difference: the
//   observer cannot tell a retried report from a new one, so a retried usage
//   event is applied again; that changes nothing unless the device's holder
//   changed in between (then the foreign-use flag follows the new holder) or
//   the report has no collected_at (parc-agent always sets it). A rebuild
//   (any write that is not an everyday one) realigns the index.
// - ProgressRecorded: the people named are marked; their funnel stage is read
//   again (one point query) before the next dashboard read.
// - Written (operator writes, rare): the index is outdated. The next
//   dashboard read brings it up to date first (read-your-writes; one refresh
//   serves every reader waiting for it): from the audit events written since,
//   everyday writes (allocations, device and agent changes) are applied in
//   place, neutral ones (sites, operators, tokens) skipped, anything else
//   rebuilds (a new index is built, then swapped in: readers never see a
//   half-built one).
//
// Thread safety: every public method may be called from any thread. Queries
// run concurrently with the writer thread's updates: the groups and their
// counts are read under a mutex (held for a pass over the groups, not over
// the devices); the stale pass over the devices reads per-device atomics
// without it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "daemon/store/dashboard.h"
#include "daemon/store/observed_store.h"
#include "daemon/store/store.h"

namespace parc::dashboard {

struct Index;  // one build of the index (fleet_index.cc)

class FleetIndex final : public store::StoreObserver {
 public:
  struct Options {
    // The thresholds kept per device; CountHealth with others is answered by SQL.
    store::HealthThresholds health;
  };

  // Reads (never writes) `store`, which must outlive this index.
  explicit FleetIndex(store::Store& store, Options options = {});
  ~FleetIndex() override;
  FleetIndex(const FleetIndex&) = delete;
  FleetIndex& operator=(const FleetIndex&) = delete;

  // Starts the first build on a background thread (parcd serves meanwhile;
  // the first dashboard read waits for it).
  void StartBuild();

  // The index, current as of every write committed before this call (built or
  // refreshed first when needed). Errors: the store could not be read.
  Expected<std::shared_ptr<Index>> Current();

  // A DashboardReader answering the grouped reads and the stale list from
  // `index` and everything else through `sql`; borrows all three.
  std::unique_ptr<store::DashboardReader> Reader(const std::shared_ptr<Index>& index,
                                                 store::DashboardReader& sql);

  // /metrics' gauges from the current index.
  Expected<store::FleetGauges> CountFleet(int64_t stale_before_ms);

  struct Stats {
    int64_t devices = 0, agents = 0, loans = 0;
    int64_t bytes = 0;      // approximate heap bytes of the index
    int64_t build_ms = 0;   // the last full build
    int64_t builds = 0;     // full builds so far
    int64_t refreshes = 0;  // operator writes applied in place (no rebuild)
  };
  Stats stats();

  void Written() override;
  void ReportsRecorded(const std::vector<store::DeviceReports>& batch, int64_t now_ms) override;
  void ProgressRecorded(int64_t device_id, const v1::ReportProgressRequest& request,
                        const store::ProgressCounts& counts) override;

  // For the reader (fleet_index.cc).
  std::mutex& mutex() { return mu_; }

 private:
  Status Build();  // with refresh_mu_ held
  // Applies the operator writes made since the index was current, found
  // through their audit events, in place; false when only a rebuild can (new
  // devices or agents, imports, tiers, modules, too many events). With
  // refresh_mu_ held.
  Expected<bool> Refresh();
  Status RefreshProgress();  // with refresh_mu_ held
  bool Fresh();              // with mu_ held

  store::Store& store_;
  const Options options_;
  std::atomic<uint64_t> written_{0};  // Written() calls so far
  std::mutex refresh_mu_;             // one build or progress refresh at a time
  std::thread builder_;

  std::mutex mu_;  // guards everything below and the mutable parts of *current_
  std::shared_ptr<Index> current_;
  bool building_ = false;
  struct Pending;  // check-in updates that arrived during a build
  std::unique_ptr<Pending> pending_;
  std::vector<std::string> dirty_progress_;  // employee numbers
  int64_t build_ms_ = 0, builds_ = 0, refreshes_ = 0;
};

}  // namespace parc::dashboard
