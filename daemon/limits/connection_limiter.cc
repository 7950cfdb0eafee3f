#include "daemon/limits/connection_limiter.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstring>

#include "common/logging.h"

namespace parc::limits {

std::string PeerIp(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return {};
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&addr);
    if (!::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text))) return {};
    return text;
  }
  if (addr.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
      in_addr v4{};
      std::memcpy(&v4, v6->sin6_addr.s6_addr + 12, sizeof(v4));
      if (!::inet_ntop(AF_INET, &v4, text, sizeof(text))) return {};
      return text;
    }
    if (!::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text))) return {};
    return text;
  }
  return "unix";  // one peer for every local socket
}

bool ConnectionLimiter::Admit(int fd) {
  if (options_.max_connections == 0 && options_.max_per_peer == 0) return true;
  std::string peer = PeerIp(fd);
  if (peer.empty()) return true;  // a listener, or already closed by its peer
  struct stat st {};
  if (::fstat(fd, &st) != 0) return true;
  std::lock_guard lock(mu_);
  // A number gRPC closed and the kernel gave again: the old connection is gone.
  if (auto it = by_fd_.find(fd); it != by_fd_.end()) ForgetLocked(it);
  if (OverLimitLocked(peer)) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_prune_ >= kPruneInterval) {
      last_prune_ = now;
      PruneLocked();
    }
    if (OverLimitLocked(peer)) {
      refused_.fetch_add(1, std::memory_order_relaxed);
      if (now - last_log_ >= std::chrono::seconds(1)) {
        last_log_ = now;
        static const auto log = Logger("grpc");
        log->warn(
            "grpc connection refused peer={} open={} from_peer={} max_connections={} "
            "max_per_peer={} refused_total={}",
            peer, by_fd_.size(), PeerCountLocked(peer), options_.max_connections,
            options_.max_per_peer, refused());
      }
      return false;
    }
  }
  ++by_peer_[peer];
  by_fd_[fd] = Entry{.dev = st.st_dev, .ino = st.st_ino, .peer = std::move(peer)};
  return true;
}

size_t ConnectionLimiter::Open() {
  std::lock_guard lock(mu_);
  PruneLocked();
  return by_fd_.size();
}

size_t ConnectionLimiter::PeerCountLocked(const std::string& peer) const {
  auto it = by_peer_.find(peer);
  return it == by_peer_.end() ? 0 : it->second;
}

bool ConnectionLimiter::OverLimitLocked(const std::string& peer) const {
  if (options_.max_connections != 0 && by_fd_.size() >= options_.max_connections) return true;
  return options_.max_per_peer != 0 && PeerCountLocked(peer) >= options_.max_per_peer;
}

void ConnectionLimiter::PruneLocked() {
  for (auto it = by_fd_.begin(); it != by_fd_.end();) {
    struct stat st {};
    bool same =
        ::fstat(it->first, &st) == 0 && st.st_dev == it->second.dev && st.st_ino == it->second.ino;
    if (same) {
      ++it;
    } else {
      auto gone = it++;
      ForgetLocked(gone);
    }
  }
}

void ConnectionLimiter::ForgetLocked(std::unordered_map<int, Entry>::iterator it) {
  auto peer = by_peer_.find(it->second.peer);
  if (peer != by_peer_.end() && --peer->second == 0) by_peer_.erase(peer);
  by_fd_.erase(it);
}

}  // namespace parc::limits
