// A Store whose telemetry calls are scripted: RecordReports records each batch
// and can be held (to let calls pile up) or made to fail. Read and Write do
// nothing. Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>
#include <vector>

#include "daemon/store/store.h"

namespace parc::testing {

class FakeStore final : public store::Store {
 public:
  Status Read(const std::function<Status(store::Reader&)>&) override { return Ok(); }
  Status Write(const std::function<Status(store::Writer&)>&) override { return Ok(); }

  Expected<std::vector<uint64_t>> RecordReports(const std::vector<store::DeviceReports>& batch,
                                                int64_t now_ms) override {
    std::unique_lock lock(mu_);
    ++entered_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return !hold_; });
    batch_sizes_.push_back(batch.size());
    last_now_ms_ = now_ms;
    if (fail_) return Fail(ErrorCode::kUnavailable, "disk full");
    std::vector<uint64_t> acknowledged;
    for (const auto& entry : batch) {
      uint64_t highest = 0;
      for (const auto& r : entry.request->reports()) highest = std::max(highest, r.sequence());
      acknowledged.push_back(highest);
    }
    return acknowledged;
  }

  Expected<int64_t> PruneReports(int64_t before_ms) override {
    std::lock_guard lock(mu_);
    prune_before_.push_back(before_ms);
    return 7;
  }
  Expected<store::ProgressCounts> RecordProgress(int64_t, const v1::ReportProgressRequest&,
                                                 int64_t) override {
    return store::ProgressCounts{};
  }
  Expected<int64_t> Backup(const std::string&) override { return 0; }
  int SchemaVersion() const override { return 0; }

  void Hold(bool hold) {
    std::lock_guard lock(mu_);
    hold_ = hold;
    changed_.notify_all();
  }
  void FailCommits(bool fail) {
    std::lock_guard lock(mu_);
    fail_ = fail;
  }
  // Waits until RecordReports has been entered `n` times in total.
  void AwaitEntered(int n) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return entered_ >= n; });
  }
  std::vector<size_t> batch_sizes() {
    std::lock_guard lock(mu_);
    return batch_sizes_;
  }
  std::vector<int64_t> prune_before() {
    std::lock_guard lock(mu_);
    return prune_before_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool hold_ = false, fail_ = false;
  int entered_ = 0;
  int64_t last_now_ms_ = 0;
  std::vector<size_t> batch_sizes_;
  std::vector<int64_t> prune_before_;
};

}  // namespace parc::testing
