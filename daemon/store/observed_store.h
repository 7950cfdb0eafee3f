// A Store that forwards everything to another and, once a change is committed,
// tells its observers what changed. parcd keeps caches and in-memory indexes
// beside the database (the per-device content sets, the dashboards' fleet
// index); they learn about changes here, and only about committed ones.
//
// Observers run on the committing thread right after the commit, before the
// call returns to its caller: a caller that saw its write succeed and then
// reads an observer sees the change. They must be quick and must not call back
// into the store.
//
// Thread safety: as the store it wraps; observers may be called from several
// threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/store/store.h"

namespace parc::store {

class StoreObserver {
 public:
  virtual ~StoreObserver() = default;
  // A Store::Write committed (an operator's change: inventory, allocations,
  // people, training, tiers).
  virtual void Written() {}
  // A RecordReports batch committed at `now_ms`.
  virtual void ReportsRecorded(const std::vector<DeviceReports>& /*batch*/, int64_t /*now_ms*/) {}
  // A RecordProgress call committed; `counts` says how many events were new.
  virtual void ProgressRecorded(int64_t /*device_id*/, const v1::ReportProgressRequest& /*request*/,
                                const ProgressCounts& /*counts*/) {}
};

class ObservedStore final : public Store {
 public:
  // Borrows `inner` and the observers; all must outlive this store.
  ObservedStore(Store& inner, std::vector<StoreObserver*> observers)
      : inner_(inner), observers_(std::move(observers)) {}

  Status Read(const std::function<Status(Reader&)>& fn) override { return inner_.Read(fn); }

  Status Write(const std::function<Status(Writer&)>& fn) override {
    Status result = inner_.Write(fn);
    if (result) {
      for (StoreObserver* o : observers_) o->Written();
    }
    return result;
  }

  Expected<std::vector<uint64_t>> RecordReports(const std::vector<DeviceReports>& batch,
                                                int64_t now_ms) override {
    auto result = inner_.RecordReports(batch, now_ms);
    if (result) {
      for (StoreObserver* o : observers_) o->ReportsRecorded(batch, now_ms);
    }
    return result;
  }

  Expected<ProgressCounts> RecordProgress(int64_t device_id,
                                          const v1::ReportProgressRequest& request,
                                          int64_t now_ms) override {
    auto result = inner_.RecordProgress(device_id, request, now_ms);
    if (result) {
      for (StoreObserver* o : observers_) o->ProgressRecorded(device_id, request, *result);
    }
    return result;
  }

  // Pruning old reports changes neither the latest status rows nor sessions.
  Expected<int64_t> PruneReports(int64_t before_ms) override {
    return inner_.PruneReports(before_ms);
  }
  Expected<int64_t> Backup(const std::string& path) override { return inner_.Backup(path); }
  int SchemaVersion() const override { return inner_.SchemaVersion(); }

 private:
  Store& inner_;
  std::vector<StoreObserver*> observers_;
};

}  // namespace parc::store
