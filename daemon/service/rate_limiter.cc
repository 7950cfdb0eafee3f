#include "daemon/service/rate_limiter.h"

#include <grpcpp/server_context.h>

#include <algorithm>

namespace parc::service {

void FailureLimiter::DropExpired(Times& times, int64_t now_ms) const {
  auto first_live = std::find_if(times.begin(), times.end(),
                                 [&](int64_t at) { return at > now_ms - options_.window_ms; });
  times.erase(times.begin(), first_live);
}

void FailureLimiter::Sweep(int64_t now_ms) {
  for (auto it = failures_.begin(); it != failures_.end();) {
    DropExpired(it->second, now_ms);
    it = it->second.empty() ? failures_.erase(it) : std::next(it);
  }
  if (failures_.size() >= options_.max_keys) failures_.clear();
}

bool FailureLimiter::Blocked(std::string_view key) {
  int64_t now_ms = clock_.NowMs();
  std::lock_guard lock(mu_);
  auto it = failures_.find(std::string(key));
  if (it == failures_.end()) return false;
  DropExpired(it->second, now_ms);
  if (it->second.empty()) {
    failures_.erase(it);
    return false;
  }
  return static_cast<int>(it->second.size()) >= options_.max_failures;
}

void FailureLimiter::RecordFailure(std::string_view key) {
  int64_t now_ms = clock_.NowMs();
  std::lock_guard lock(mu_);
  auto it = failures_.find(std::string(key));
  if (it == failures_.end()) {
    if (failures_.size() >= options_.max_keys) Sweep(now_ms);
    it = failures_.emplace(std::string(key), Times{}).first;
  }
  Times& times = it->second;
  DropExpired(times, now_ms);
  if (static_cast<int>(times.size()) >= options_.max_failures) times.erase(times.begin());
  times.push_back(now_ms);
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

std::string CallerAddress(const grpc::ServerContextBase& ctx) {
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
  return PeerAddress(peer);
}

}  // namespace parc::service
