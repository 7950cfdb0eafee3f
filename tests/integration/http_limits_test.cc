// Issue 18: the HTTP listener's limits (daemon/http/listener.h) from the
// configuration, over raw loopback sockets: slow clients are cut off at each
// phase of a request, the connection count and the requests per connection
// are bounded, oversized headers and bodies are refused. Waits are bounded
// timeouts for "was it cut off", never measures of speed.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "tests/integration/raw_net.h"
#include "tests/support/test_server.h"

namespace parc::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
constexpr auto kCutOff = seconds(30);

class HttpLimitsTest : public ::testing::Test {
 protected:
  void Start(const Config& config) {
    server_ = std::make_unique<TestServer>(TestServer::Options{.config = config});
    port_ = server_->StartHttp();
    ASSERT_GT(port_, 0);
  }

  int Connect() {
    int fd = ConnectFrom("127.0.0.1", port_);
    EXPECT_GE(fd, 0);
    return fd;
  }

  // Everything the server sends on `fd` until it closes it (or kCutOff).
  static std::string ReadToClose(int fd) {
    std::string out;
    const auto end = std::chrono::steady_clock::now() + kCutOff;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      out.append(buffer, static_cast<size_t>(n));
    }
    return out;
  }

  // Sends `text` one byte at a time, one byte per 200 ms, until the server
  // closes the connection; true when it did before the text ran out.
  static bool DribbleUntilCut(int fd, const std::string& text) {
    for (char c : text) {
      if (IsClosedNow(fd)) return true;
      if (::send(fd, &c, 1, MSG_NOSIGNAL) != 1) return true;
      std::this_thread::sleep_for(milliseconds(200));
    }
    return WaitClosed(fd, seconds(5));
  }

  std::string Healthz() {
    int fd = Connect();
    h2::SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::string answer = ReadToClose(fd);
    ::close(fd);
    return answer;
  }

  std::unique_ptr<TestServer> server_;
  int port_ = 0;
};

// "slowloris": headers one byte at a time never finish in time.
TEST_F(HttpLimitsTest, ASlowClientSendingItsHeadersByteByByteIsCutOff) {
  Config config;
  config.http_header_timeout_seconds = 2;
  config.http_idle_timeout_seconds = 600;  // only the header timeout can cut it
  Start(config);
  int fd = Connect();
  // 150 bytes at 5 per second: 30 s, far past the 2 s allowed.
  std::string headers = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(100, 'a');
  EXPECT_TRUE(DribbleUntilCut(fd, headers)) << "the slow client was never cut off";
  ::close(fd);
  EXPECT_TRUE(Healthz().starts_with("HTTP/1.1 200")) << "the server stopped serving";
}

TEST_F(HttpLimitsTest, ASlowBodyIsCutOff) {
  Config config;
  config.http_body_timeout_seconds = 2;
  config.http_header_timeout_seconds = 600;  // only the body timeout can cut it
  config.http_idle_timeout_seconds = 600;
  Start(config);
  int fd = Connect();
  ASSERT_TRUE(h2::SendAll(fd,
                          "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          "application/x-www-form-urlencoded\r\nContent-Length: 150\r\n\r\n"));
  EXPECT_TRUE(DribbleUntilCut(fd, "token=" + std::string(144, 'x')));
  ::close(fd);
  EXPECT_TRUE(Healthz().starts_with("HTTP/1.1 200"));
}

TEST_F(HttpLimitsTest, ASilentConnectionIsClosedAtTheIdleTimeout) {
  Config config;
  config.http_idle_timeout_seconds = 1;
  Start(config);
  int fd = Connect();
  EXPECT_TRUE(WaitClosed(fd, kCutOff));
  ::close(fd);
}

// The header timeout starts at a request's first byte: a keep-alive wait
// longer than it is fine.
TEST_F(HttpLimitsTest, TheHeaderTimeoutStartsAtTheFirstByte) {
  Config config;
  config.http_header_timeout_seconds = 1;
  config.http_idle_timeout_seconds = 60;
  Start(config);
  int fd = Connect();
  std::this_thread::sleep_for(seconds(2));
  ASSERT_TRUE(h2::SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_TRUE(ReadToClose(fd).starts_with("HTTP/1.1 200"));
  ::close(fd);
}

TEST_F(HttpLimitsTest, RequestsPerConnectionAreBounded) {
  Config config;
  config.http_max_requests_per_connection = 3;
  Start(config);
  int fd = Connect();
  std::string three;
  for (int i = 0; i < 3; ++i) three += "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(h2::SendAll(fd, three + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string answers = ReadToClose(fd);  // closed after the third
  ::close(fd);
  size_t count = 0;
  for (size_t at = 0; (at = answers.find("HTTP/1.1 200", at)) != std::string::npos; ++at) ++count;
  EXPECT_EQ(count, 3u) << answers;
  EXPECT_NE(answers.find("Connection: close"), std::string::npos) << answers;
}

TEST_F(HttpLimitsTest, ConnectionsPastTheMaximumAreClosedAtOnce) {
  Config config;
  config.http_max_connections = 5;
  Start(config);
  std::vector<int> idle;
  for (int i = 0; i < 5; ++i) idle.push_back(Connect());
  // The listener counts them as it accepts them: the sixth is refused once
  // all five were.
  int sixth = -1;
  for (auto end = std::chrono::steady_clock::now() + kCutOff;
       std::chrono::steady_clock::now() < end;) {
    sixth = Connect();
    if (WaitClosed(sixth, milliseconds(500))) break;
    ::close(sixth);
    sixth = -1;
  }
  EXPECT_GE(sixth, 0) << "a sixth connection was kept";
  if (sixth >= 0) ::close(sixth);
  for (int fd : idle) EXPECT_FALSE(IsClosedNow(fd));
  for (int fd : idle) ::close(fd);
  // Once they left, others are served.
  std::string answer;
  for (auto end = std::chrono::steady_clock::now() + kCutOff;
       !(answer = Healthz()).starts_with("HTTP/1.1 200") &&
       std::chrono::steady_clock::now() < end;) {
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
}

TEST_F(HttpLimitsTest, HeaderAndBodyLimitsComeFromTheConfiguration) {
  Config config;
  config.http_max_header_bytes = 2048;
  config.http_max_body_bytes = 2048;
  Start(config);
  int fd = Connect();
  ASSERT_TRUE(h2::SendAll(
      fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(3000, 'y') + "\r\n\r\n"));
  EXPECT_TRUE(ReadToClose(fd).starts_with("HTTP/1.1 431")) << "3 KiB of headers over 2 KiB";
  ::close(fd);
  fd = Connect();
  std::string body = "token=" + std::string(3000, 'x');
  ASSERT_TRUE(h2::SendAll(fd,
                          "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          "application/x-www-form-urlencoded\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body));
  EXPECT_TRUE(ReadToClose(fd).starts_with("HTTP/1.1 413"));
  ::close(fd);
}

}  // namespace
}  // namespace parc::testing
