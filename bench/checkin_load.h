// bench/checkin_load.h: what loadgen's two check-in generators share — the
// simulated devices, the status report each one sends, the run's options, and
// what a run saw (latency samples, errors) turned into loadgen's JSON line.
//
// The two generators (bench/loadgen.cc):
//   grpc  gRPC's C++ async API, one completion queue per thread (the client a
//         Parc device actually uses, with its costs: ~65 µs of CPU per call here);
//   h2    the same requests as raw HTTP/2 frames over nghttp2 (h2_checkin.h):
//         gRPC's wire format, a few µs of CPU per call, so that on a 2-core
//         machine the generator leaves the cores to the server it measures.
#pragma once

#include <sys/epoll.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace parc::v1 {
class CheckInRequest;
}

namespace bench {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& message);

// A non-blocking TCP connection to "HOST:PORT" with TCP_NODELAY, for the lean
// generators (h2_checkin.h, http_checkin.h); dies naming `who` when it cannot.
int ConnectNonBlocking(const std::string& target, std::string_view who);

// epoll_pwait2 on `epoll` until `until` (now if past): the number of ready
// events put in `ready`; dies naming `who` on an error other than EINTR.
int WaitReady(int epoll, std::vector<epoll_event>& ready,
              std::chrono::steady_clock::time_point until, std::string_view who);

// The credential loadgen seed gives a device (its hash is what parcd keeps).
std::string Credential(int64_t device_id);
std::vector<int64_t> ReadIds(const std::string& path);

// The devices and their next sequence numbers.
class Fleet {
 public:
  explicit Fleet(std::vector<int64_t> ids);
  size_t size() const { return ids_.size(); }
  // The next device in turn, each in turn; and its next sequence.
  size_t Pick() { return cursor_.fetch_add(1, std::memory_order_relaxed) % ids_.size(); }
  uint64_t NextSequence(size_t i) { return next_[i].fetch_add(1, std::memory_order_relaxed); }
  int64_t id(size_t i) const { return ids_[i]; }
  const std::string& bearer(size_t i) const { return bearers_[i]; }

 private:
  std::vector<int64_t> ids_;
  std::vector<std::string> bearers_;
  std::unique_ptr<std::atomic<uint64_t>[]> next_;
  std::atomic<uint64_t> cursor_{0};
};

// A status report as a field PC's agent sends it (~370 bytes serialized).
void FillReport(parc::v1::CheckInRequest& req, int64_t device_id, uint64_t sequence);

struct LoadOptions {
  std::string transport = "grpc";  // or "h2"
  std::string target;              // host:port
  int channels = 50;               // connections
  int threads = 1;
  int closed = 0;   // calls in flight (closed loop)
  double rate = 0;  // calls/s (open loop)
  double duration = 10;
  double warmup = 2;
  int max_in_flight = 20000;  // open loop: beyond, an arrival counts as missed
  bool echo = false;          // target is bench/echo_server: no authorization
};

// The measuring window: calls scheduled in [start, end) count.
struct Window {
  Clock::time_point start, end;
  static Window After(Clock::time_point begin, const LoadOptions& o);
  bool Contains(Clock::time_point t) const { return t >= start && t < end; }
};

// Open loop: Poisson arrivals at `rate` calls/s from now to the window's end.
class Arrivals {
 public:
  Arrivals(double rate, const Window& window);
  bool pending() const { return next_ < window_.end; }
  Clock::time_point next() const { return next_; }
  // Every arrival due by `now`, in order: sent (send(scheduled)), or, when
  // full(), not sent and counted in `missed` if in the window.
  template <typename Full, typename Send>
  void Release(Clock::time_point now, Full full, Send send, uint64_t& missed) {
    for (; next_ <= now && next_ < window_.end; next_ += Gap()) {
      if (!full()) {
        send(next_);
      } else if (next_ >= window_.start) {
        ++missed;
      }
    }
  }

 private:
  Clock::duration Gap();

  const Window window_;
  std::mt19937_64 rng_{7};
  std::exponential_distribution<double> gap_;
  Clock::time_point next_;
};

// What (one thread of) a run saw.
struct LoadResult {
  std::vector<uint32_t> samples;  // latency of each successful call, µs
  uint64_t ok = 0;
  std::map<int, uint64_t> errors;  // by gRPC status code
  std::string first_error;
  uint64_t missed = 0;  // open loop: arrivals not sent (too many in flight)

  void Succeeded(Clock::time_point scheduled, Clock::time_point done);
  void Failed(int code, const std::string& message);
  void Merge(const LoadResult& other);
};

// loadgen checkin's JSON line (sorts result.samples).
std::string ResultJson(const LoadOptions& o, const Fleet& fleet, LoadResult& result);

// Percentiles of microsecond samples (sorted in place), and as JSON fields.
struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
};
Percentiles Summarize(std::vector<uint32_t>& us);
std::string Json(const Percentiles& p);

}  // namespace bench
