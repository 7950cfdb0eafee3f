// Issue 18: the gRPC server's limits, on a real parcd over loopback, with real
// gRPC channels and raw sockets for the peers no real client would be: an
// oversized check-in, thousands of silent connections, a ping flood, a
// connection that never finishes its handshake, a call that never ends.
// Waits are bounded timeouts for "was it cut off", never measures of speed.
#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

#include "parc/v1/admin.grpc.pb.h"
#include "parc/v1/device.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"
#include "parc/v1/training.grpc.pb.h"
#include "tests/integration/raw_net.h"
#include "tests/support/test_server.h"

namespace parc::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
constexpr auto kCutOff = seconds(30);  // generous: the machine is shared and slow under ASan

class GrpcLimitsTest : public ::testing::Test {
 protected:
  // Starts parcd with `config`'s limits.
  void Start(const Config& config = Config{}) {
    server_ = std::make_unique<TestServer>(TestServer::Options{.config = config});
    channel_ = server_->Channel();
  }

  int Port() const {
    return std::stoi(server_->address().substr(server_->address().rfind(':') + 1));
  }

  // A channel of its own (its own TCP connection), as a second client would.
  std::shared_ptr<grpc::Channel> FreshChannel() const {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // no connection shared with others
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
    return grpc::CreateCustomChannel(server_->address(), grpc::InsecureChannelCredentials(), args);
  }

  // WhoAmI on `channel` with the admin token: the real client being served.
  grpc::Status WhoAmI(const std::shared_ptr<grpc::Channel>& channel,
                      seconds deadline = seconds(10)) {
    auto ctx = TestServer::Context(server_->admin_token());
    ctx->set_deadline(std::chrono::system_clock::now() + deadline);
    v1::Operator me;
    return v1::AdminService::NewStub(channel)->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &me);
  }

  // Enrolls a device; returns its credential.
  std::string Enrolled(const std::string& serial) {
    v1::CreateEnrollmentTokenRequest token_request;
    token_request.set_uses(1);
    v1::CreateEnrollmentTokenResponse token;
    auto ctx = TestServer::Context(server_->admin_token());
    EXPECT_TRUE(v1::InventoryService::NewStub(channel_)
                    ->CreateEnrollmentToken(ctx.get(), token_request, &token)
                    .ok());
    v1::EnrollRequest enroll;
    enroll.set_token(token.token());
    enroll.set_serial(serial);
    enroll.set_model("Samsung Galaxy Tab A8");
    enroll.set_os("Android 14");
    enroll.set_kind(v1::DEVICE_KIND_TABLET);
    v1::EnrollResponse enrolled;
    grpc::ClientContext enroll_ctx;
    grpc::Status status =
        v1::DeviceService::NewStub(channel_)->Enroll(&enroll_ctx, enroll, &enrolled);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return enrolled.credential();
  }

  // A status report as parc-agent sends it from a tablet.
  static v1::Report AgentReport(uint64_t sequence) {
    v1::Report report;
    report.set_sequence(sequence);
    report.mutable_collected_at()->set_seconds(1'780'000'000 + static_cast<int64_t>(sequence));
    auto* s = report.mutable_status();
    s->set_battery_percent(57);
    s->set_charging(false);
    s->set_storage_total_bytes(64LL << 30);
    s->set_storage_free_bytes(21LL << 30);
    s->set_memory_total_bytes(4LL << 30);
    s->set_memory_available_bytes(1LL << 30);
    s->set_os_name("Debian GNU/Linux");
    s->set_os_version("12 (bookworm)");
    s->set_kernel("6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)");
    s->set_uptime_seconds(345'678);
    s->set_network_interface("wlp2s0");
    s->set_ip_address("10.142.37.201");
    s->set_agent_version("0.4.2");
    s->add_logged_in_users("agent");
    s->set_current_user("E012345");
    return report;
  }

  grpc::Status CheckIn(const std::shared_ptr<grpc::Channel>& channel, const std::string& credential,
                       const v1::CheckInRequest& request) {
    auto ctx = TestServer::Context(credential);
    v1::CheckInResponse out;
    return v1::DeviceService::NewStub(channel)->CheckIn(ctx.get(), request, &out);
  }

  std::unique_ptr<TestServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// ---- Largest message per method --------------------------------------------

TEST_F(GrpcLimitsTest, AFiveMiBCheckInIsResourceExhaustedAndTheServerKeepsServing) {
  Start();
  std::string credential = Enrolled("SN-BIG");
  v1::CheckInRequest huge;
  *huge.add_reports() = AgentReport(1);
  huge.mutable_reports(0)->mutable_status()->set_kernel(std::string(5 * 1024 * 1024, 'k'));
  grpc::Status status = CheckIn(channel_, credential, huge);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_NE(status.error_message().find("CheckIn"), std::string::npos) << status.error_message();

  // The same connection serves the next call, and the device's next check-in.
  v1::CheckInRequest normal;
  *normal.add_reports() = AgentReport(1);
  status = CheckIn(channel_, credential, normal);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(WhoAmI(channel_).ok());
}

TEST_F(GrpcLimitsTest, AMessageOverTheGrpcCapIsRefusedBeforeItIsParsed) {
  Start();
  std::string credential = Enrolled("SN-HUGE");
  v1::CheckInRequest huge;
  *huge.add_reports() = AgentReport(1);
  huge.mutable_reports(0)->mutable_status()->set_kernel(std::string(17 * 1024 * 1024, 'k'));
  grpc::Status status = CheckIn(channel_, credential, huge);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  // gRPC's own words, not the Gate's: refused before parcd saw it.
  EXPECT_EQ(status.error_message().find("accepts"), std::string::npos) << status.error_message();
  EXPECT_TRUE(WhoAmI(channel_).ok());
}

// The default must take what an agent sends after days offline, or the agent
// would resend the same refused batch for ever.
TEST_F(GrpcLimitsTest, AFullAgentBatchFitsTheDefaultCheckInLimit) {
  Start();
  std::string credential = Enrolled("SN-BATCH");
  v1::CheckInRequest batch;
  for (uint64_t i = 1; i <= 500; ++i) *batch.add_reports() = AgentReport(i);
  EXPECT_LT(batch.ByteSizeLong(), static_cast<size_t>(Config{}.grpc_max_report_message_bytes / 2))
      << "the default leaves less than twice the room an agent batch needs";
  grpc::Status status = CheckIn(channel_, credential, batch);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(GrpcLimitsTest, EnrollmentIsSmallAndRefusedBeforeTheTokenIsLookedAt) {
  Config config;
  config.grpc_max_device_message_bytes = 4096;
  Start(config);
  v1::EnrollRequest request;
  request.set_token(std::string(8192, 't'));
  request.set_serial("SN-1");
  v1::EnrollResponse out;
  grpc::ClientContext ctx;
  grpc::Status status = v1::DeviceService::NewStub(channel_)->Enroll(&ctx, request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_NE(status.error_message().find("4096 bytes Enroll accepts"), std::string::npos)
      << status.error_message();
}

TEST_F(GrpcLimitsTest, OperatorsKeepTheGrpcCapForImports) {
  Start();
  v1::ImportRequest request;
  request.set_csv(std::string(2 * 1024 * 1024, '\n'));  // 2 MiB: over every device limit
  request.set_dry_run(true);
  auto ctx = TestServer::Context(server_->admin_token());
  v1::ImportResult out;
  grpc::Status status =
      v1::InventoryService::NewStub(channel_)->ImportAgents(ctx.get(), request, &out);
  EXPECT_NE(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
}

// ---- Connections ------------------------------------------------------------

// Silent connections from one host (127.0.0.2) up to the per-peer limit are
// kept, the rest closed at once; a client elsewhere (127.0.0.1) is served.
TEST_F(GrpcLimitsTest, TwoThousandIdleConnectionsDoNotStopARealClient) {
  ASSERT_GE(RaiseDescriptorLimit(6000), 6000u) << "this test needs 6000 descriptors";
  Config config;
  config.grpc_handshake_timeout_seconds = 600;  // they stay for the whole test
  Start(config);
  const size_t per_peer = static_cast<size_t>(config.grpc_max_connections_per_peer);
  std::vector<int> idle;
  for (int i = 0; i < 2000; ++i) {
    int fd = ConnectFrom("127.0.0.2", Port());
    ASSERT_GE(fd, 0) << "connection " << i << ": " << std::strerror(errno);
    idle.push_back(fd);
  }
  auto real = FreshChannel();
  EXPECT_TRUE(WhoAmI(real).ok());
  // Every idle one was seen: kept up to the limit, or closed.
  const auto end = std::chrono::steady_clock::now() + kCutOff;
  while (server_->refused_connections() < 2000 - per_peer &&
         std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(server_->refused_connections(), 2000 - per_peer);
  EXPECT_EQ(server_->open_connections(), per_peer + 1);  // and the real client's
  std::this_thread::sleep_for(milliseconds(200));        // the last shutdowns' FINs arrive
  size_t closed = 0;
  for (int fd : idle) closed += IsClosedNow(fd);
  EXPECT_EQ(closed, 2000 - per_peer);
  EXPECT_TRUE(WhoAmI(real).ok());
  EXPECT_TRUE(WhoAmI(FreshChannel()).ok());
  for (int fd : idle) ::close(fd);
}

TEST_F(GrpcLimitsTest, WithoutLimitsTwoThousandIdleConnectionsAreKeptAndTheClientServed) {
  ASSERT_GE(RaiseDescriptorLimit(6000), 6000u) << "this test needs 6000 descriptors";
  Config config;
  config.grpc_handshake_timeout_seconds = 600;
  config.grpc_max_connections = 0;
  config.grpc_max_connections_per_peer = 0;
  Start(config);
  std::vector<int> idle;
  for (int i = 0; i < 2000; ++i) {
    int fd = ConnectFrom("127.0.0.1", Port());
    ASSERT_GE(fd, 0) << "connection " << i << ": " << std::strerror(errno);
    idle.push_back(fd);
  }
  EXPECT_TRUE(WhoAmI(FreshChannel()).ok());
  size_t closed = 0;
  for (int fd : idle) closed += IsClosedNow(fd);
  EXPECT_EQ(closed, 0u);
  for (int fd : idle) ::close(fd);
}

TEST_F(GrpcLimitsTest, MaxConnectionsClosesTheExtraOnesUntilSomeLeave) {
  Config config;
  config.grpc_handshake_timeout_seconds = 600;
  config.grpc_max_connections = 20;
  config.grpc_max_connections_per_peer = 0;
  Start(config);
  const int port = Port();
  std::vector<int> idle;
  for (int i = 0; i < 20; ++i) idle.push_back(ConnectFrom("127.0.0.3", port));
  const auto end = std::chrono::steady_clock::now() + kCutOff;
  while (server_->open_connections() < 20 && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_EQ(server_->open_connections(), 20u);
  int extra = ConnectFrom("127.0.0.4", port);
  EXPECT_TRUE(WaitClosed(extra, kCutOff)) << "the 21st connection stayed open";
  ::close(extra);
  EXPECT_FALSE(WhoAmI(FreshChannel(), seconds(3)).ok()) << "served past the limit";

  for (int i = 0; i < 5; ++i) ::close(idle[static_cast<size_t>(i)]);
  // gRPC notices the closes on its own time: the client is served once it has.
  grpc::Status served;
  auto channel = FreshChannel();
  for (auto until = std::chrono::steady_clock::now() + kCutOff;
       !(served = WhoAmI(channel, seconds(2))).ok() && std::chrono::steady_clock::now() < until;) {
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_TRUE(served.ok()) << served.error_message();
  EXPECT_GT(server_->refused_connections(), 0u);
  for (size_t i = 5; i < idle.size(); ++i) ::close(idle[i]);
}

TEST_F(GrpcLimitsTest, ConnectionsPerPeerAreCountedByAddress) {
  Config config;
  config.grpc_handshake_timeout_seconds = 600;
  config.grpc_max_connections_per_peer = 5;
  Start(config);
  const int port = Port();
  std::vector<int> idle;
  for (int i = 0; i < 5; ++i) idle.push_back(ConnectFrom("127.0.0.2", port));
  int sixth = ConnectFrom("127.0.0.2", port);
  EXPECT_TRUE(WaitClosed(sixth, kCutOff)) << "a sixth connection from one address stayed open";
  ::close(sixth);
  for (int fd : idle) EXPECT_FALSE(IsClosedNow(fd));
  EXPECT_TRUE(WhoAmI(FreshChannel()).ok()) << "another address is served";
  for (int fd : idle) ::close(fd);
}

TEST_F(GrpcLimitsTest, AConnectionThatNeverSpeaksIsClosedAtTheHandshakeTimeout) {
  Config config;
  config.grpc_handshake_timeout_seconds = 1;
  Start(config);
  int fd = ConnectFrom("127.0.0.1", Port());
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(WaitClosed(fd, kCutOff)) << "a silent connection outlived the handshake timeout";
  ::close(fd);
  EXPECT_TRUE(WhoAmI(FreshChannel()).ok());
}

// ---- HTTP/2 pings and settings --------------------------------------------

// A raw HTTP/2 client: the preface and empty SETTINGS, then `pings` PINGs in
// one write (no calls, so gRPC allows one ping per 2 hours), then, once all
// are answered, one more PING as a marker: gRPC answers a read's pings before
// any GOAWAY they earned, so a GOAWAY, if any, comes before the marker's
// answer. Returns every frame the server sent until the marker's answer, its
// close, or `limit`.
std::vector<h2::Frame> Ping(int port, int pings, std::chrono::milliseconds limit) {
  std::vector<h2::Frame> frames;
  int fd = ConnectFrom("127.0.0.1", port);
  if (fd < 0) return frames;
  std::string out(h2::kPreface);
  out += h2::Encode(h2::kSettings, 0, 0, "");
  for (int i = 0; i < pings; ++i) out += h2::Encode(h2::kPing, 0, 0, std::string(8, 'p'));
  h2::SendAll(fd, out);
  const std::string marker = "marker!!";
  const auto end = std::chrono::steady_clock::now() + limit;
  int acks = 0;
  while (auto frame = h2::ReadFrame(fd, end)) {
    if (frame->type == h2::kSettings && !(frame->flags & h2::kAck)) {
      h2::SendAll(fd, h2::Encode(h2::kSettings, h2::kAck, 0, ""));
    }
    frames.push_back(*frame);
    if (frame->type != h2::kPing || !(frame->flags & h2::kAck)) continue;
    if (frame->payload == marker) break;
    if (++acks == pings) h2::SendAll(fd, h2::Encode(h2::kPing, 0, 0, marker));
  }
  ::close(fd);
  return frames;
}

TEST_F(GrpcLimitsTest, APingFloodGetsGoaway) {
  Start();
  auto frames = Ping(Port(), 100, kCutOff);
  const h2::Frame* goaway = nullptr;
  for (const auto& frame : frames) {
    if (frame.type == h2::kGoaway) goaway = &frame;
  }
  ASSERT_NE(goaway, nullptr) << "no GOAWAY after 100 pings (" << frames.size() << " frames)";
  ASSERT_GE(goaway->payload.size(), 8u);
  EXPECT_EQ(h2::Uint32At(goaway->payload, 4), h2::kEnhanceYourCalm);
  EXPECT_EQ(goaway->payload.substr(8), "too_many_pings");
  EXPECT_TRUE(WhoAmI(FreshChannel()).ok());
}

TEST_F(GrpcLimitsTest, PingStrikesComeFromTheConfiguration) {
  Config config;
  config.grpc_max_ping_strikes = 1000;
  Start(config);
  auto frames = Ping(Port(), 20, kCutOff);
  int acks = 0;
  for (const auto& frame : frames) {
    EXPECT_NE(frame.type, h2::kGoaway) << "GOAWAY within 1000 strikes";
    acks += frame.type == h2::kPing && (frame.flags & h2::kAck);
  }
  EXPECT_EQ(acks, 21) << "20 pings and the marker, all answered";
}

TEST_F(GrpcLimitsTest, TheServerAnnouncesItsMaximumConcurrentStreams) {
  Config config;
  config.grpc_max_concurrent_streams = 7;
  Start(config);
  auto frames = Ping(Port(), 1, kCutOff);
  std::optional<uint32_t> announced;
  for (const auto& frame : frames) {
    if (frame.type != h2::kSettings || (frame.flags & h2::kAck)) continue;
    for (size_t at = 0; at + 6 <= frame.payload.size(); at += 6) {
      uint16_t id = static_cast<uint16_t>(static_cast<uint8_t>(frame.payload[at]) << 8 |
                                          static_cast<uint8_t>(frame.payload[at + 1]));
      if (id == h2::kSettingsMaxConcurrentStreams) announced = h2::Uint32At(frame.payload, at + 2);
    }
  }
  ASSERT_TRUE(announced.has_value()) << "no SETTINGS_MAX_CONCURRENT_STREAMS";
  EXPECT_EQ(*announced, 7u);
}

// ---- Idle and age -------------------------------------------------------------

// A client whose connection was closed for idleness or age reconnects, and the
// in-process channel of the HTTP side is not subject to either.
TEST_F(GrpcLimitsTest, IdleAndAgedConnectionsCloseWithoutBreakingClients) {
  Config config;
  config.grpc_max_connection_idle_seconds = 1;
  config.grpc_max_connection_age_seconds = 1;
  config.grpc_max_connection_age_grace_seconds = 1;
  Start(config);
  auto channel = FreshChannel();
  ASSERT_TRUE(WhoAmI(channel).ok());
  std::this_thread::sleep_for(seconds(3));  // past both: the connection was closed
  EXPECT_TRUE(WhoAmI(channel).ok());
  int port = server_->StartHttp();
  ASSERT_GT(port, 0);
  std::this_thread::sleep_for(seconds(3));
  // Through the in-process channel: the HTTP side answers from gRPC.
  int fd = ConnectFrom("127.0.0.1", port);
  ASSERT_GE(fd, 0);
  std::string request = "GET /api/v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        server_->admin_token() + "\r\nConnection: close\r\n\r\n";
  ASSERT_TRUE(h2::SendAll(fd, request));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0;) answer.append(buffer, n);
  ::close(fd);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
}

// ---- A server-side maximum deadline -------------------------------------------

// An upload that stops sending, with a deadline an hour away: cancelled at
// grpc_max_call_seconds.
TEST_F(GrpcLimitsTest, AnOverLongDeadlineIsBounded) {
  Config config;
  config.grpc_max_call_seconds = 2;
  Start(config);
  auto ctx = TestServer::Context(server_->admin_token());
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::hours(1));
  v1::UploadContentResponse response;
  auto stub = v1::TrainingService::NewStub(channel_);
  auto writer = stub->UploadContent(ctx.get(), &response);
  v1::UploadContentChunk first;
  first.set_sha256(std::string(64, 'a'));
  first.set_size(10 * 1024 * 1024);
  first.set_file_name("lecon.pdf");
  first.set_data(std::string(1024, 'x'));
  ASSERT_TRUE(writer->Write(first));
  // ... and nothing more. Finish blocks until the server ends the call.
  auto finished = std::async(std::launch::async, [&] { return writer->Finish(); });
  if (finished.wait_for(kCutOff) != std::future_status::ready) {
    ctx->TryCancel();
    finished.wait();
    FAIL() << "the call was still open " << kCutOff.count() << " s later";
  }
  grpc::Status status = finished.get();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED) << status.error_message();
  EXPECT_TRUE(WhoAmI(channel_).ok());
}

TEST_F(GrpcLimitsTest, ACallWithAShortDeadlineIsLeftToIt) {
  Config config;
  config.grpc_max_call_seconds = 600;
  Start(config);
  auto ctx = TestServer::Context(server_->admin_token());
  ctx->set_deadline(std::chrono::system_clock::now() + seconds(2));
  v1::UploadContentResponse response;
  auto writer = v1::TrainingService::NewStub(channel_)->UploadContent(ctx.get(), &response);
  v1::UploadContentChunk first;
  first.set_sha256(std::string(64, 'b'));
  first.set_size(10 * 1024 * 1024);
  first.set_file_name("lecon.pdf");
  first.set_data("x");
  ASSERT_TRUE(writer->Write(first));
  auto finished = std::async(std::launch::async, [&] { return writer->Finish(); });
  ASSERT_EQ(finished.wait_for(kCutOff), std::future_status::ready);
  EXPECT_EQ(finished.get().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

}  // namespace
}  // namespace parc::testing
