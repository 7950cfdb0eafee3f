#include "daemon/service/rate_limiter.h"

#include <grpcpp/server_context.h>

#include <algorithm>

namespace parc::service {

int64_t RateLimiter::WaitLocked(std::string_view key, int64_t now_ms) {
  auto it = full_at_.find(std::string(key));
  if (it == full_at_.end()) return 0;
  // Allowed while the bucket has room for one more: full_at - now is at
  // most the window less one interval.
  int64_t wait = it->second - (options_.window_ms - Interval()) - now_ms;
  return wait > 0 ? wait : 0;
}

void RateLimiter::RecordLocked(std::string_view key, int64_t now_ms) {
  auto it = full_at_.find(std::string(key));
  if (it == full_at_.end()) {
    if (full_at_.size() >= options_.max_keys) Sweep(now_ms);
    it = full_at_.emplace(std::string(key), now_ms).first;
  }
  it->second = std::max(it->second, now_ms) + Interval();
}

void RateLimiter::Sweep(int64_t now_ms) {
  std::erase_if(full_at_, [now_ms](const auto& entry) { return entry.second <= now_ms; });
  if (full_at_.size() >= options_.max_keys) full_at_.clear();
}

int64_t RateLimiter::RetryAfterMs(std::string_view key) {
  if (options_.limit <= 0) return 0;
  int64_t now_ms = clock_.NowMs();
  std::lock_guard lock(mu_);
  return WaitLocked(key, now_ms);
}

void RateLimiter::Record(std::string_view key) {
  if (options_.limit <= 0) return;
  int64_t now_ms = clock_.NowMs();
  std::lock_guard lock(mu_);
  RecordLocked(key, now_ms);
}

int64_t RateLimiter::Take(std::string_view key) {
  if (options_.limit <= 0) return 0;
  int64_t now_ms = clock_.NowMs();
  std::lock_guard lock(mu_);
  int64_t wait = WaitLocked(key, now_ms);
  if (wait == 0) RecordLocked(key, now_ms);
  return wait;
}

std::string PeerAddress(std::string_view peer) {
  size_t colon = peer.rfind(':');
  size_t scheme = peer.find(':');
  if (colon == std::string_view::npos || colon == scheme) return std::string(peer);
  std::string_view port = peer.substr(colon + 1);
  bool numeric = !port.empty() &&
                 std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  // "ipv6:::1" style without brackets has no port to strip.
  if (!numeric || (peer.starts_with("ipv6:") && peer.find(']') == std::string_view::npos)) {
    return std::string(peer);
  }
  return std::string(peer.substr(0, colon));
}

std::string CallerAddress(const grpc::ServerContextBase& ctx, const TrustedProxies& proxies) {
  const std::string peer = ctx.peer();
  // gRPC names an in-process caller "unknown" (1.51) or "inproc..." (later);
  // a network peer is always "ipv4:", "ipv6:" or "unix:".
  if (peer == "unknown" || peer.starts_with("inproc")) {
    const auto& metadata = ctx.client_metadata();
    auto forwarded = metadata.find("x-parc-peer");
    if (forwarded != metadata.end() && !forwarded->second.empty()) {
      return "http:" + std::string(forwarded->second.data(), forwarded->second.size());
    }
  }
  std::string address = PeerAddress(peer);
  if (proxies.empty()) return address;
  // "ipv4:10.0.0.2" / "ipv6:[fd00::2]": the IP the proxies are named by.
  std::string_view ip(address);
  const bool v6 = ip.starts_with("ipv6:");
  if (!v6 && !ip.starts_with("ipv4:")) return address;
  ip.remove_prefix(5);
  if (v6 && ip.size() >= 2 && ip.front() == '[' && ip.back() == ']')
    ip = ip.substr(1, ip.size() - 2);
  const auto& metadata = ctx.client_metadata();
  auto forwarded = metadata.find("x-forwarded-for");
  if (forwarded == metadata.end() || !proxies.Trusts(ip)) return address;
  std::string client =
      proxies.ClientOf(ip, std::string_view(forwarded->second.data(), forwarded->second.size()));
  if (client.find(':') != std::string::npos) return "ipv6:[" + client + "]";
  return "ipv4:" + client;
}

std::string Origin::Address(const TrustedProxies& proxies) const {
  return ctx ? CallerAddress(*ctx, proxies) : "http:" + std::string(http_peer);
}

}  // namespace parc::service
