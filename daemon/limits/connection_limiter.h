// Counts parcd's open gRPC connections, in all and per peer IP address, and
// says whether one more may be served (grpc_max_connections,
// grpc_max_connections_per_peer).
//
// gRPC 1.51 has no such limit (GRPC_ARG_MAX_ALLOWED_INCOMING_CONNECTIONS came
// in a later release) and tells no one when it closes a connection. So a
// connection is remembered by its descriptor and its socket's identity
// (device, inode), as gRPC accepts it (socket_gate.h), and it is forgotten once
// that descriptor no longer names that socket: gRPC closed it (EBADF), or the
// number now belongs to another file. That check (one fstat per remembered
// connection) runs only when a limit would be passed, at most once per
// kPruneInterval, so the cost stays off the normal path.
//
// Thread-safe.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace parc::limits {

class ConnectionLimiter {
 public:
  struct Options {
    size_t max_connections = 0;  // 0: no limit
    size_t max_per_peer = 0;     // 0: no limit
  };
  // Under a flood of connections at a limit, the closed ones are looked for at
  // most this often; a connection refused meanwhile was over the limit a
  // moment ago.
  static constexpr std::chrono::milliseconds kPruneInterval{20};

  explicit ConnectionLimiter(const Options& options) : options_(options) {}
  ConnectionLimiter(const ConnectionLimiter&) = delete;
  ConnectionLimiter& operator=(const ConnectionLimiter&) = delete;

  // A connection gRPC has just accepted, on socket `fd`: true when it is
  // counted and may be served; false when it would pass a limit (logged once
  // per second at most); the caller then closes it. A socket without a peer
  // (a listener) is always true and not counted.
  bool Admit(int fd);

  // Connections counted as open, after forgetting the closed ones.
  size_t Open();
  // Connections refused so far.
  uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    dev_t dev = 0;
    ino_t ino = 0;
    std::string peer;
  };
  // Forgets every connection whose descriptor no longer names its socket.
  void PruneLocked();
  void ForgetLocked(std::unordered_map<int, Entry>::iterator it);
  bool OverLimitLocked(const std::string& peer) const;
  size_t PeerCountLocked(const std::string& peer) const;

  const Options options_;
  std::mutex mu_;
  std::unordered_map<int, Entry> by_fd_;                // guarded by mu_
  std::unordered_map<std::string, size_t> by_peer_;     // guarded by mu_
  std::chrono::steady_clock::time_point last_prune_{};  // guarded by mu_
  std::chrono::steady_clock::time_point last_log_{};    // guarded by mu_
  std::atomic<uint64_t> refused_{0};
};

// The IP address of the peer of socket `fd` ("10.1.2.3", "::1"; an IPv4
// address mapped into IPv6 as IPv4); empty when `fd` has no peer.
std::string PeerIp(int fd);

}  // namespace parc::limits
