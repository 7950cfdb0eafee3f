// Raw TCP for the server limit tests (issue 18): connections that say nothing
// or too little, from a chosen loopback source address, a minimal HTTP/2
// frame reader and writer (enough to ping a gRPC server), and the process's
// descriptor limit.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parc::testing {

// A TCP connection from `source_ip` (any of 127.0.0.0/8 is local on Linux)
// to 127.0.0.1:port; -1 when it cannot be made. The caller closes it.
inline int ConnectFrom(const std::string& source_ip, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  ::inet_pton(AF_INET, source_ip.c_str(), &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Waits at most `limit` for the server to close `fd` (end of file or reset),
// reading and dropping whatever it sends meanwhile. True when it was closed.
// `limit` is a timeout for a test that would otherwise hang, not a measure.
inline bool WaitClosed(int fd, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0) return false;
    if (ready == 0) continue;
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return true;
  }
}

// True when the server has closed `fd` already (nothing is waited for).
inline bool IsClosedNow(int fd) {
  char byte;
  for (;;) {
    ssize_t n = ::recv(fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
    if (n == 0) return true;
    if (n > 0) {  // data (a server's HTTP/2 settings): drop it and look again
      ::recv(fd, &byte, 1, MSG_DONTWAIT);
      continue;
    }
    return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

// Raises this process's soft limit on open descriptors to at least `want`
// (at most the hard limit); returns the limit now in force.
inline rlim_t RaiseDescriptorLimit(rlim_t want) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < want) {
    limit.rlim_cur = std::min(want, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

// HTTP/2 (RFC 9113), just enough to talk to a gRPC server by hand.
namespace h2 {

inline constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
enum FrameType : uint8_t { kData = 0, kHeaders = 1, kSettings = 4, kPing = 6, kGoaway = 7 };
inline constexpr uint8_t kAck = 0x1;
inline constexpr uint32_t kEnhanceYourCalm = 0xb;
inline constexpr uint16_t kSettingsMaxConcurrentStreams = 0x3;

struct Frame {
  uint8_t type = 0;
  uint8_t flags = 0;
  uint32_t stream = 0;
  std::string payload;
};

inline std::string Encode(uint8_t type, uint8_t flags, uint32_t stream,
                          const std::string& payload) {
  std::string out;
  const auto size = static_cast<uint32_t>(payload.size());
  out += static_cast<char>(size >> 16);
  out += static_cast<char>(size >> 8);
  out += static_cast<char>(size);
  out += static_cast<char>(type);
  out += static_cast<char>(flags);
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(stream >> shift);
  return out + payload;
}

inline bool SendAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads exactly `size` bytes before `end`; false on close, error or time-out.
inline bool ReadExactly(int fd, size_t size, std::string& out,
                        std::chrono::steady_clock::time_point end) {
  out.resize(size);
  size_t got = 0;
  while (got < size) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::recv(fd, out.data() + got, size - got, 0);
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

// The next frame, or nullopt when the connection closed or `end` passed.
inline std::optional<Frame> ReadFrame(int fd, std::chrono::steady_clock::time_point end) {
  std::string header;
  if (!ReadExactly(fd, 9, header, end)) return std::nullopt;
  auto byte = [&](int i) { return static_cast<uint32_t>(static_cast<uint8_t>(header[i])); };
  Frame frame;
  const uint32_t size = byte(0) << 16 | byte(1) << 8 | byte(2);
  frame.type = static_cast<uint8_t>(byte(3));
  frame.flags = static_cast<uint8_t>(byte(4));
  frame.stream = (byte(5) << 24 | byte(6) << 16 | byte(7) << 8 | byte(8)) & 0x7fffffff;
  if (!ReadExactly(fd, size, frame.payload, end)) return std::nullopt;
  return frame;
}

inline uint32_t Uint32At(const std::string& bytes, size_t at) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = value << 8 | static_cast<uint8_t>(bytes[at + i]);
  return value;
}

}  // namespace h2
}  // namespace parc::testing
