// The server's bound on how long a call may last (grpc_max_call_seconds).
//
// gRPC ends a call at its client's deadline (DEADLINE_EXCEEDED) but has no
// server-side maximum: a call without a deadline lasts as long as its client
// wants, and a client that stops reading a download or writing an upload holds
// the stream, an open file and gRPC's buffers. So the calls that wait on their
// client or on the check-in pipeline (FetchContent, UploadContent, CheckIn,
// ReportUsage) take a Watch when they start: if the client's deadline is later
// than start + max, or absent, the call is cancelled at start + max
// (TryCancel: the client sees CANCELLED; one log line). Unary handlers that
// run to their end as soon as the call arrives need no watch.
//
// One thread serves every watch. Thread-safe.
#pragma once

#include <grpcpp/server_context.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace parc::service {

class CallDeadlines {
  struct Entry;

 public:
  using Clock = std::chrono::steady_clock;

  // `max` <= 0: no bound (Start returns empty watches, no thread runs).
  explicit CallDeadlines(std::chrono::milliseconds max);
  ~CallDeadlines();  // every Watch must have been released before
  CallDeadlines(const CallDeadlines&) = delete;
  CallDeadlines& operator=(const CallDeadlines&) = delete;

  // Ends its watch when released or destroyed. Release() must happen before
  // the call's context goes (in the reactor's OnDone, or before Finish of a
  // unary call): after it, the call is never touched.
  class Watch {
   public:
    Watch() = default;
    Watch(Watch&& other) noexcept : owner_(other.owner_), entry_(std::move(other.entry_)) {}
    Watch& operator=(Watch&& other) noexcept;
    ~Watch() { Release(); }
    void Release();
    bool active() const { return entry_ != nullptr; }

   private:
    friend class CallDeadlines;
    Watch(CallDeadlines* owner, std::shared_ptr<Entry> entry)
        : owner_(owner), entry_(std::move(entry)) {}
    CallDeadlines* owner_ = nullptr;
    std::shared_ptr<Entry> entry_;
  };

  // Watches the call of `ctx` (full method name `method`, for the log) from
  // now; an empty Watch when the client's own deadline comes first.
  Watch Start(grpc::ServerContextBase* ctx, std::string_view method);

  std::chrono::milliseconds max() const { return max_; }
  // Calls cancelled so far for passing the bound.
  uint64_t cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  using Queue = std::multimap<Clock::time_point, std::shared_ptr<Entry>>;
  struct Entry {
    std::mutex mu;
    grpc::ServerContextBase* ctx = nullptr;  // guarded by mu; null once released
    std::string method;
    Queue::iterator at;   // guarded by the owner's mu_
    bool queued = false;  // guarded by the owner's mu_
  };

  void Run();
  void Release(const std::shared_ptr<Entry>& entry);

  const std::chrono::milliseconds max_;
  std::mutex mu_;
  std::condition_variable wake_;
  Queue queue_;            // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::atomic<uint64_t> cancelled_{0};
  std::thread thread_;  // last: starts once the rest exists
};

}  // namespace parc::service
