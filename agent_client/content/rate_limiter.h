// The bandwidth cap shared by the agent's downloads: on average at most
// `bytes_per_second`, with a burst of one second's worth after an idle spell.
// Downloads report what they received and wait the delay Take() returns, so
// gRPC's flow control slows the server down too.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

namespace parc::agent {

class RateLimiter {
 public:
  using Micros = std::chrono::microseconds;
  using Now = std::function<Micros()>;  // a steady clock; injected in tests

  // `bytes_per_second` > 0.
  explicit RateLimiter(int64_t bytes_per_second, Now now = SteadyNow);

  // Accounts `bytes` just received; returns how long the caller must wait
  // before it reads more (zero while within the rate). Thread-safe.
  Micros Take(int64_t bytes);

  int64_t bytes_per_second() const { return rate_; }

  static Micros SteadyNow();

 private:
  const int64_t rate_;
  const Now now_;
  std::mutex mutex_;
  Micros done_at_{0};  // guarded by mutex_; when what was taken so far is paid for
};

}  // namespace parc::agent
