// Limits repeated failures per key (the peer address of Enroll calls): once a
// key has `max_failures` failures within `window`, further attempts are refused
// until the oldest of them leaves the window. Refused attempts are not counted,
// so a client that backs off recovers. Memory is bounded: at most `max_keys`
// keys are tracked; beyond, expired keys are swept and, if that is not enough,
// the table restarts empty (an attacker with that many addresses only resets
// the counts, never blocks others).
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"

namespace grpc {
class ServerContextBase;
}

namespace parc::service {

class FailureLimiter {
 public:
  struct Options {
    int max_failures = 10;
    int64_t window_ms = 60'000;
    size_t max_keys = 100'000;
  };

  // Borrows `clock`, which must outlive the limiter.
  FailureLimiter(const Clock& clock, const Options& options) : clock_(clock), options_(options) {}

  // True when `key` has used up its failures within the window.
  bool Blocked(std::string_view key);
  void RecordFailure(std::string_view key);

 private:
  // Failure times of one key, oldest first, at most max_failures of them.
  using Times = std::vector<int64_t>;
  void DropExpired(Times& times, int64_t now_ms) const;
  void Sweep(int64_t now_ms);

  const Clock& clock_;
  const Options options_;
  std::mutex mu_;
  std::unordered_map<std::string, Times> failures_;  // guarded by mu_
};

// "ipv4:10.1.2.3:51234" -> "ipv4:10.1.2.3", "ipv6:[::1]:51234" -> "ipv6:[::1]";
// anything without a port (unix sockets) as it is.
std::string PeerAddress(std::string_view peer);
// The caller's address: PeerAddress(ctx.peer()), or for a call made in-process
// by parcd's HTTP listener (the learner app), the client address the listener
// put in the x-parc-peer metadata (http/device_routes.h). Only an in-process
// caller is believed: a network client cannot choose its own address.
std::string CallerAddress(const grpc::ServerContextBase& ctx);

}  // namespace parc::service
