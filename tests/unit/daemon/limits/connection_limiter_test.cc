// The connection limiter (daemon/limits/connection_limiter.h) on real
// loopback TCP connections: counted per peer address and in all, forgotten
// once their descriptor is closed or names another file.
#include "daemon/limits/connection_limiter.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

namespace parc::limits {
namespace {

// A listening socket on 127.0.0.1 and the server ends of connections to it.
class ConnectionLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    ASSERT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    ASSERT_EQ(::listen(listener_, 64), 0);
    socklen_t len = sizeof(addr);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = addr.sin_port;
  }
  void TearDown() override {
    for (int fd : open_) ::close(fd);
    ::close(listener_);
  }

  // The server end of a new connection from `source` (a 127.x address).
  int Accept(const char* source) {
    int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    EXPECT_EQ(::bind(client, reinterpret_cast<sockaddr*>(&from), sizeof(from)), 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = port_;
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    EXPECT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 0);
    int server = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    EXPECT_GE(server, 0);
    open_.push_back(client);
    open_.push_back(server);
    return server;
  }

  void Close(int fd) {
    ::close(fd);
    std::erase(open_, fd);
  }

  int listener_ = -1;
  in_port_t port_ = 0;
  std::vector<int> open_;
};

TEST_F(ConnectionLimiterTest, NamesThePeerAddress) {
  EXPECT_EQ(PeerIp(Accept("127.0.0.7")), "127.0.0.7");
  EXPECT_EQ(PeerIp(listener_), "") << "a listener has no peer";
}

TEST_F(ConnectionLimiterTest, RefusesPastTheLimitPerPeer) {
  ConnectionLimiter limiter({.max_connections = 0, .max_per_peer = 2});
  EXPECT_TRUE(limiter.Admit(Accept("127.0.0.2")));
  EXPECT_TRUE(limiter.Admit(Accept("127.0.0.2")));
  EXPECT_FALSE(limiter.Admit(Accept("127.0.0.2")));
  EXPECT_TRUE(limiter.Admit(Accept("127.0.0.3"))) << "another address has its own count";
  EXPECT_EQ(limiter.refused(), 1u);
  EXPECT_EQ(limiter.Open(), 3u);
  EXPECT_TRUE(limiter.Admit(listener_)) << "a listener is never refused";
}

TEST_F(ConnectionLimiterTest, RefusesPastTheLimitInAll) {
  ConnectionLimiter limiter({.max_connections = 3, .max_per_peer = 0});
  EXPECT_TRUE(limiter.Admit(Accept("127.0.0.2")));
  EXPECT_TRUE(limiter.Admit(Accept("127.0.0.3")));
  EXPECT_TRUE(limiter.Admit(Accept("127.0.0.4")));
  EXPECT_FALSE(limiter.Admit(Accept("127.0.0.5")));
  EXPECT_EQ(limiter.Open(), 3u);
}

TEST_F(ConnectionLimiterTest, ForgetsClosedConnections) {
  ConnectionLimiter limiter({.max_connections = 2, .max_per_peer = 0});
  int first = Accept("127.0.0.2");
  EXPECT_TRUE(limiter.Admit(first));
  EXPECT_TRUE(limiter.Admit(Accept("127.0.0.2")));
  Close(first);
  EXPECT_EQ(limiter.Open(), 1u);
  EXPECT_TRUE(limiter.Admit(Accept("127.0.0.2")));
  EXPECT_FALSE(limiter.Admit(Accept("127.0.0.2")));
}

// The descriptor number of a closed connection, reused by a file or by
// another connection, is not that connection any more.
TEST_F(ConnectionLimiterTest, AReusedDescriptorIsAnotherConnection) {
  ConnectionLimiter limiter({.max_connections = 0, .max_per_peer = 1});
  int first = Accept("127.0.0.2");
  ASSERT_TRUE(limiter.Admit(first));
  Close(first);
  int file = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_EQ(file, first) << "the kernel gives the lowest free number";
  EXPECT_EQ(limiter.Open(), 0u);
  ::close(file);
  int again = Accept("127.0.0.2");
  EXPECT_TRUE(limiter.Admit(again));
  EXPECT_FALSE(limiter.Admit(Accept("127.0.0.2")));
}

TEST_F(ConnectionLimiterTest, WithoutLimitsNothingIsCounted) {
  ConnectionLimiter limiter({});
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(limiter.Admit(Accept("127.0.0.2")));
  EXPECT_EQ(limiter.Open(), 0u);
  EXPECT_EQ(limiter.refused(), 0u);
}

}  // namespace
}  // namespace parc::limits
