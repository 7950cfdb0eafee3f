// Rate limits per key (a peer address, a token's hash): at most `limit`
// events per `window`, of which all may come at once (a burst), refilled
// evenly (one every window / limit: the generic cell rate algorithm, one
// number per key). A refused attempt is not an event, so a client that backs
// off recovers; the refusal says how long to wait. Never blocks: a caller is
// answered at once, yes or "retry in N ms".
//
// Memory is bounded: at most `max_keys` keys are tracked; beyond, keys that
// have fully recovered are swept and, if that is not enough, the table
// restarts empty (an attacker with that many addresses only resets the
// counts, never blocks others).
//
// Thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/trusted_proxies.h"

namespace grpc {
class ServerContextBase;
}

namespace parc::service {

class RateLimiter {
 public:
  struct Options {
    int64_t limit = 10;  // events per window; 0: no limit
    int64_t window_ms = 60'000;
    size_t max_keys = 100'000;
  };

  // Borrows `clock`, which must outlive the limiter.
  RateLimiter(const Clock& clock, const Options& options) : clock_(clock), options_(options) {}

  // 0 when `key` may have one more event now, else the milliseconds until it
  // may. Counts nothing.
  int64_t RetryAfterMs(std::string_view key);
  // Counts one event for `key` (whether or not it was allowed).
  void Record(std::string_view key);
  // RetryAfterMs, and when that is 0 Record, at once: for attempts that
  // count whether they succeed or not.
  int64_t Take(std::string_view key);

 private:
  // At least 1 ms: a limit above the window in ms is then one per ms.
  int64_t Interval() const { return std::max<int64_t>(1, options_.window_ms / options_.limit); }
  int64_t WaitLocked(std::string_view key, int64_t now_ms);  // mu_ held
  void RecordLocked(std::string_view key, int64_t now_ms);   // mu_ held
  void Sweep(int64_t now_ms);                                // mu_ held

  const Clock& clock_;
  const Options options_;
  std::mutex mu_;
  // Per key, the time at which its bucket would be full again ("theoretical
  // arrival time"); a key whose time has passed is as good as absent.
  std::unordered_map<std::string, int64_t> full_at_;  // guarded by mu_
};

// Every rate limit of parcd (issue 18), in the same window. Failed
// authentications are UNAUTHENTICATED answers: an unknown, revoked or expired
// credential or token, and an Enroll whose enrollment token does not pass.
struct RateLimits {
  int64_t window_ms = 60'000;
  int64_t enroll_attempts_per_peer = 60;   // Enroll calls, successful or not
  int64_t enroll_attempts_per_token = 60;  // the same per enrollment token
  int64_t auth_failures_per_peer = 10;
  int64_t auth_failures_per_token = 5;  // per credential or enrollment token presented
  size_t max_keys = 100'000;            // per limit
  // Who "one address" is behind nginx or HAProxy (config trusted_proxies):
  // the client they forward for, not the proxy.
  TrustedProxies trusted_proxies;

  RateLimiter::Options For(int64_t limit) const {
    return {.limit = limit, .window_ms = window_ms, .max_keys = max_keys};
  }
};

// "ipv4:10.1.2.3:51234" -> "ipv4:10.1.2.3", "ipv6:[::1]:51234" -> "ipv6:[::1]";
// anything without a port (unix sockets) as it is.
std::string PeerAddress(std::string_view peer);
// The caller's address: PeerAddress(ctx.peer()), or for a call made in-process
// by parcd's HTTP listener (the dashboard, the desk, the learner app), the
// client address the listener put in the x-parc-peer metadata
// (http/device_routes.h), as "http:<address>". Only an in-process caller is
// believed: a network client cannot choose its own address. A peer among
// `proxies` is believed about the client it names in x-forwarded-for
// (nginx: grpc_set_header X-Forwarded-For $proxy_add_x_forwarded_for).
std::string CallerAddress(const grpc::ServerContextBase& ctx, const TrustedProxies& proxies);

// Where a call comes from, for the rate limits: a gRPC call (`ctx`:
// CallerAddress) or a call the HTTP listener answers without gRPC
// (`http_peer`: the client address it saw, as "http:<address>"). Address()
// is computed only when a limit needs it.
struct Origin {
  const grpc::ServerContextBase* ctx = nullptr;
  std::string_view http_peer;
  std::string Address(const TrustedProxies& proxies) const;
};

}  // namespace parc::service
