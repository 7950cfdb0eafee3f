// The check-in hot path: group commit. Handlers Submit() a validated call and
// return at once; one writer thread takes everything queued (up to a batch
// limit), stores it with ONE Store::RecordReports transaction (one fsync for
// many devices), then hands the batch and its outcome to an answering thread,
// which reports the outcome of every call through its Done callback while the
// writer already stores the next batch: the writer thread only runs SQL and
// fsync, the answers (gRPC sends) overlap the next commit. At most
// kMaxUnansweredBatches committed batches wait for their answers; beyond, the
// writer waits (the answers are the slower part only under pathological load).
// A call is acknowledged only once its reports are durable; when the commit
// fails every call of the batch gets the same error and nothing of it is
// stored. The queue is bounded: a full queue refuses new calls with
// RESOURCE_EXHAUSTED, so that agents back off instead of piling up memory.
//
// Thread safety: Submit, counters and Stop may be called from any thread.
// Done callbacks run on the answering thread, in commit order, never under a
// lock of the pipeline; they must not block and must not call Submit or Stop.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/histogram.h"
#include "daemon/store/store.h"
#include "parc/v1/device.pb.h"

namespace parc::checkin {

struct PipelineOptions {
  // Reports stored per transaction at most; a call is never split, so a batch
  // always holds at least one call.
  size_t max_batch_reports = 2000;
  // Reports waiting for the writer at most; beyond, Submit refuses.
  size_t max_queued_reports = 50000;
};

// Monotonic counts since start, for tests and /metrics.
struct PipelineCounters {
  uint64_t batches = 0;         // RecordReports transactions attempted
  uint64_t failed_batches = 0;  // of which failed
  uint64_t calls = 0;           // calls answered through a batch
  uint64_t reports = 0;         // reports in committed batches
  uint64_t rejected_full = 0;   // Submit refused because the queue was full
  // From Submit to the call's answer (queue wait + commit), per answered call.
  LatencyHistogram::Snapshot latency;
};

class Pipeline {
 public:
  // The outcome of one call: the highest sequence stored for its device, or
  // the batch's error (UNAVAILABLE). `now_ms` is the batch's server time.
  using Done = std::function<void(const Expected<uint64_t>& acknowledged_through, int64_t now_ms)>;

  struct Call {
    int64_t device_id = 0;
    // Borrowed until `done` has run (gRPC keeps a request alive until Finish).
    const v1::CheckInRequest* request = nullptr;
    Done done;
    // Set by Submit; for the latency histogram.
    std::chrono::steady_clock::time_point submitted{};
  };

  // Borrows `store` and `clock`; both must outlive the pipeline. Starts the
  // writer thread.
  Pipeline(store::Store& store, const Clock& clock, const PipelineOptions& options);
  ~Pipeline();  // Stop()
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Queues `call`. On success its `done` will run exactly once; on error it
  // never runs: RESOURCE_EXHAUSTED when the queue is full, UNAVAILABLE once
  // stopping.
  Status Submit(Call call);

  // Refuses new calls, stores and answers everything already queued, then
  // joins the writer thread. Idempotent. Call it before the store closes.
  void Stop();

  PipelineCounters counters() const;

 private:
  // A committed (or failed) batch waiting for its answers.
  struct Outcome {
    std::vector<Call> batch;
    Expected<std::vector<uint64_t>> stored;
    int64_t now_ms = 0;
  };
  static constexpr size_t kMaxUnansweredBatches = 2;

  void Run();
  void Answer();
  std::vector<Call> TakeBatch();
  Outcome Process(std::vector<Call> batch);
  void Deliver(Outcome& outcome);
  void ObserveLatency(const std::vector<Call>& batch);
  Status FillHolders(std::vector<store::DeviceReports>& entries);

  store::Store& store_;
  const Clock& clock_;
  const PipelineOptions options_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Call> queue_;     // guarded by mu_
  size_t queued_reports_ = 0;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  std::once_flag stop_once_;

  std::mutex answer_mu_;
  std::condition_variable answer_wake_;   // an outcome arrived, or the writer ended
  std::condition_variable answer_space_;  // an outcome was taken
  std::deque<Outcome> outcomes_;          // guarded by answer_mu_
  bool writer_done_ = false;              // guarded by answer_mu_

  std::atomic<uint64_t> batches_{0}, failed_batches_{0}, calls_{0}, reports_{0}, rejected_full_{0};
  LatencyHistogram latency_;
  std::thread answerer_;  // last two: start after everything above is ready
  std::thread writer_;
};

}  // namespace parc::checkin
