#include "agent_client/content/rate_limiter.h"

#include <algorithm>

namespace parc::agent {

RateLimiter::RateLimiter(int64_t bytes_per_second, Now now)
    : rate_(std::max<int64_t>(bytes_per_second, 1)), now_(std::move(now)) {}

RateLimiter::Micros RateLimiter::SteadyNow() {
  return std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now().time_since_epoch());
}

RateLimiter::Micros RateLimiter::Take(int64_t bytes) {
  const Micros now = now_();
  std::lock_guard lock(mutex_);
  // Credit for an idle spell is capped at one second.
  Micros start = std::max(done_at_, now - std::chrono::seconds(1));
  // bytes * 1e6 / rate without overflow for any chunk size we meet.
  done_at_ = start + Micros(static_cast<int64_t>(static_cast<long double>(bytes) * 1'000'000 /
                                                 static_cast<long double>(rate_)));
  return std::max(done_at_ - now, Micros(0));
}

}  // namespace parc::agent
