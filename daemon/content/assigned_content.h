// Which content each device must hold, and its revision, without resolving it
// on every check-in.
//
// Resolving a device's set (domain::ResolveDeviceContent) takes a handful of
// queries; check-ins arrive at tens of thousands per second and only need the
// set's revision. So the revision is cached per device (32 bytes: a set names
// its people, so sets are rarely shared and a million of them would weigh
// gigabytes), and the whole set is resolved when a device asks for it
// (ListAssignedContent, FetchContent: when its revision changed). A cached
// revision is used only while all of these hold:
//   - the global generation is the one it was computed at. The generation is
//     bumped after a committed Store::Write (seen as a StoreObserver of the
//     services' ObservedStore, store/observed_store.h) that may change a set:
//     module, assignment, agent, allocation and tier changes all go through
//     Write, are made by people, and are rare next to check-ins. Writes that
//     cannot change any set (enrollments, device inventory, sites, operators,
//     tokens, content uploads: ContentNeutral) keep the cache: every Write
//     appends audit events in its transaction, so after the commit the
//     observer reads the events newer than the last it saw, and bumps unless
//     all of them are neutral (or when it cannot tell: a read error, more
//     events than it reads at once). Without this every device enrollment
//     would make a million devices resolve again;
//   - the device's own epoch is unchanged: bumped after a committed
//     RecordReports batch that carried a usage event (login/logout) for that
//     device, which changes who a shared device serves;
//   - now is before its valid_until (when the oldest recent user of a shared
//     device leaves the usage window).
// The generation and epoch are read BEFORE the snapshot the set is computed
// from, and bumped AFTER the commit, so an entry can be stale only while its
// numbers are already outdated: a cached answer is never older than the last
// change it could have seen.
//
// The revision (domain::ContentRevision) is a hash of the set: it changes
// exactly when the set's content does, whatever caused the recomputation.
//
// Thread safety: every method may be called from any thread. The store reads
// happen without the lock held (Written reads the audit log after the commit,
// outside the store's write lock, under its own mutex so that concurrent
// writers' observers see each other's events in order).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/error.h"
#include "daemon/store/observed_store.h"
#include "daemon/store/store.h"
#include "parc/v1/device.pb.h"
#include "parc/v1/training.pb.h"

namespace parc::content {

// A device's resolved set.
struct DeviceSet {
  uint64_t revision = 0;
  std::vector<v1::AssignedModule> modules;
  // Whether an item of one of the modules has this content.
  bool Holds(std::string_view sha256) const;
};

class AssignedContent final : public store::StoreObserver {
 public:
  struct Options {
    // A shared device serves the people who used it this recently.
    int64_t usage_window_ms = int64_t{14} * 24 * 3600 * 1000;
  };

  // Borrows `store` (the inner one, not the ObservedStore, is fine) and `clock`.
  AssignedContent(store::Store& store, const Clock& clock, const Options& options);

  // The revision of the device's set (0: nothing assigned), from the cache or
  // resolved now.
  Expected<uint64_t> Revision(int64_t device_id);
  // The device's whole set, resolved now; its revision is cached.
  Expected<DeviceSet> For(int64_t device_id);

  // Every cached set is outdated (a committed write that may change sets).
  void InvalidateAll() { generation_.fetch_add(1); }
  // This device's set is outdated (its usage sessions changed).
  void InvalidateDevice(int64_t device_id);

  // StoreObserver: a committed write may change any set (unless its audit
  // events are all ContentNeutral); a committed batch with a usage event
  // (login/logout) changes that device's.
  void Written() override;
  void ReportsRecorded(const std::vector<store::DeviceReports>& batch, int64_t now_ms) override;

  // Resolutions done (cache misses), for tests and metrics.
  uint64_t resolutions() const { return resolutions_.load(); }

  // Whether a write audited as `action` leaves every device's set as it was.
  static bool ContentNeutral(std::string_view action);

 private:
  struct Slot {
    uint64_t epoch = 0;
    uint64_t generation = 0;  // 0: nothing cached (generations start at 1)
    uint64_t revision = 0;
    int64_t valid_until_ms = 0;
  };
  // Slots by device id in blocks allocated as ids appear (device ids are the
  // database's dense row ids): 32 bytes per device, no per-device node.
  // Null for ids beyond kMaxCachedId, which are resolved on every call.
  static constexpr int64_t kBlockBits = 16;
  static constexpr int64_t kMaxCachedId = int64_t{1} << 31;
  Slot* SlotOf(int64_t device_id);  // with mu_ held

  store::Store& store_;
  const Clock& clock_;
  const Options options_;
  std::atomic<uint64_t> generation_{1};
  std::atomic<uint64_t> resolutions_{0};
  std::mutex mu_;
  std::vector<std::unique_ptr<Slot[]>> blocks_;  // guarded by mu_
  // Each code's published module (null: none), shared by every resolution of
  // one generation: most devices of a fleet hold the same few modules.
  Expected<std::shared_ptr<const v1::Module>> FindPublished(store::Reader& r,
                                                            const std::string& code,
                                                            uint64_t generation);
  std::mutex modules_mu_;
  uint64_t modules_generation_ = 0;  // guarded by modules_mu_
  std::unordered_map<std::string, std::shared_ptr<const v1::Module>>
      modules_;  // guarded by modules_mu_

  std::mutex written_mu_;
  int64_t audit_seen_ = 0;  // newest audit event classified; guarded by written_mu_
};

}  // namespace parc::content
