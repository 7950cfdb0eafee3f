// Issue 18: the rate limits (daemon/service/admission.h) on a real parcd over
// loopback: enrollment attempts and failed authentications, per address and
// per token, over gRPC (RESOURCE_EXHAUSTED + trailer retry-after-seconds) and
// over HTTP (429 + Retry-After, counted per client address whatever
// x-parc-peer the client sends). Time is the server's manual clock: no test
// waits.
#include <gtest/gtest.h>

#include <future>

#include "agent_client/grpc_transport.h"
#include "parc/v1/admin.grpc.pb.h"
#include "parc/v1/device.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"
#include "tests/integration/http_client.h"
#include "tests/support/test_server.h"

namespace parc::testing {
namespace {

namespace bh = boost::beast::http;
using grpc::StatusCode;

// Only the limit under test is on (others 0), unless a test says otherwise.
Config Limits(int64_t enroll_per_peer, int64_t enroll_per_token, int64_t failures_per_peer,
              int64_t failures_per_token) {
  Config config;
  config.enroll_attempts_per_peer = enroll_per_peer;
  config.enroll_attempts_per_token = enroll_per_token;
  config.auth_failures_per_peer = failures_per_peer;
  config.auth_failures_per_token = failures_per_token;
  return config;
}

class RateLimitsTest : public ::testing::Test {
 protected:
  void Start(const Config& config) {
    server_ = std::make_unique<TestServer>(TestServer::Options{.config = config});
    device_ = v1::DeviceService::NewStub(server_->Channel());
    admin_ = v1::AdminService::NewStub(server_->Channel());
    inventory_ = v1::InventoryService::NewStub(server_->Channel());
  }

  std::string Token(int uses) {
    v1::CreateEnrollmentTokenRequest request;
    request.set_uses(uses);
    v1::CreateEnrollmentTokenResponse out;
    auto ctx = TestServer::Context(server_->admin_token());
    EXPECT_TRUE(inventory_->CreateEnrollmentToken(ctx.get(), request, &out).ok());
    return out.token();
  }

  // Enroll's status; `retry` gets the trailer retry-after-seconds ("" if none).
  grpc::Status Enroll(const std::string& token, const std::string& serial,
                      std::string* retry = nullptr, v1::EnrollResponse* out = nullptr) {
    v1::EnrollRequest request;
    request.set_token(token);
    request.set_serial(serial);
    request.set_kind(v1::DEVICE_KIND_TABLET);
    v1::EnrollResponse ignored;
    grpc::ClientContext ctx;
    grpc::Status status = device_->Enroll(&ctx, request, out ? out : &ignored);
    if (retry) *retry = Trailer(ctx);
    return status;
  }

  grpc::Status WhoAmI(const std::string& token, std::string* retry = nullptr) {
    auto ctx = TestServer::Context(token);
    v1::Operator me;
    grpc::Status status = admin_->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &me);
    if (retry) *retry = Trailer(*ctx);
    return status;
  }

  grpc::Status CheckIn(const std::string& credential) {
    auto ctx = TestServer::Context(credential);
    v1::CheckInRequest request;
    v1::CheckInResponse out;
    return device_->CheckIn(ctx.get(), request, &out);
  }

  static std::string Trailer(const grpc::ClientContext& ctx) {
    const auto& trailers = ctx.GetServerTrailingMetadata();
    auto it = trailers.find("retry-after-seconds");
    return it == trailers.end() ? "" : std::string(it->second.data(), it->second.size());
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<v1::DeviceService::Stub> device_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::InventoryService::Stub> inventory_;
};

TEST_F(RateLimitsTest, FailedEnrollmentsFromOneAddressAreRefusedWithARetryDelayThenServed) {
  Start(Limits(0, 0, 10, 0));
  std::string token = Token(1);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Enroll("parcenroll_wrong" + std::to_string(i), "SN-X").error_code(),
              StatusCode::UNAUTHENTICATED);
  }
  std::string retry;
  grpc::Status limited = Enroll(token, "SN-X", &retry);
  EXPECT_EQ(limited.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(limited.error_message(),
            "too many failed authentications from this address; retry in 6 s");
  EXPECT_EQ(retry, "6") << "10 per 60 s: one more every 6 s";
  server_->clock().Advance(6'000);
  EXPECT_TRUE(Enroll(token, "SN-X").ok()) << "served again once the delay has passed";
}

TEST_F(RateLimitsTest, MalformedEnrollmentsAreNoFailedAuthentication) {
  Start(Limits(0, 0, 2, 0));
  std::string token = Token(1);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Enroll(token, "SN\n" + std::to_string(i)).error_code(), StatusCode::INVALID_ARGUMENT);
  }
  EXPECT_TRUE(Enroll(token, "SN-1").ok()) << "a tablet app's bug holds back no one at its address";
}

TEST_F(RateLimitsTest, EnrollmentAttemptsAreLimitedPerAddressAndPerToken) {
  Start(Limits(0, 3, 0, 0));
  std::string busy = Token(10), other = Token(10);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(Enroll(busy, "SN-" + std::to_string(i)).ok()) << i;
  std::string retry;
  grpc::Status limited = Enroll(busy, "SN-3", &retry);
  EXPECT_EQ(limited.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(limited.error_message(), "too many enrollments with this token; retry in 20 s");
  EXPECT_EQ(retry, "20");
  EXPECT_TRUE(Enroll(other, "SN-4").ok()) << "another token is not affected";

  Start(Limits(2, 0, 0, 0));
  busy = Token(10);
  EXPECT_TRUE(Enroll(busy, "SN-0").ok());
  EXPECT_EQ(Enroll("parcenroll_wrong", "SN-1").error_code(), StatusCode::UNAUTHENTICATED)
      << "failed attempts are attempts too";
  limited = Enroll(Token(1), "SN-2", &retry);
  EXPECT_EQ(limited.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(limited.error_message(), "too many enrollments from this address; retry in 30 s");
  server_->clock().Advance(30'000);
  EXPECT_TRUE(Enroll(busy, "SN-2").ok());
}

TEST_F(RateLimitsTest, FailedAuthenticationsFromOneAddressAreRefusedBeforeTheStoreIsAsked) {
  Start(Limits(0, 0, 3, 0));
  v1::EnrollResponse enrolled;
  ASSERT_TRUE(Enroll(Token(1), "SN-1", nullptr, &enrolled).ok());
  ASSERT_TRUE(CheckIn(enrolled.credential()).ok());  // now known to the credential cache
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(WhoAmI("parc_wrong" + std::to_string(i)).error_code(), StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(CheckIn("parcdev_wrong").error_code(), StatusCode::RESOURCE_EXHAUSTED);
  std::string retry;
  grpc::Status limited = WhoAmI(server_->admin_token(), &retry);
  EXPECT_EQ(limited.error_code(), StatusCode::RESOURCE_EXHAUSTED)
      << "even a good token: this address is refused until it waits";
  EXPECT_EQ(retry, "20");
  EXPECT_TRUE(CheckIn(enrolled.credential()).ok())
      << "a credential the cache knows costs no look-up and is served (a NAT shared with a "
         "broken device)";
  server_->clock().Advance(20'000);
  EXPECT_TRUE(WhoAmI(server_->admin_token()).ok());
  EXPECT_EQ(WhoAmI("parc_wrong").error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI(server_->admin_token()).error_code(), StatusCode::RESOURCE_EXHAUSTED)
      << "one more failure uses the interval up again";
}

TEST_F(RateLimitsTest, FailedAuthenticationsWithOneCredentialAreRefusedForThatCredentialOnly) {
  Start(Limits(0, 0, 0, 2));
  v1::EnrollResponse enrolled;
  ASSERT_TRUE(Enroll(Token(1), "SN-1", nullptr, &enrolled).ok());
  v1::RevokeDeviceRequest revoke;
  revoke.set_device("SN-1");
  v1::Device revoked;
  auto ctx = TestServer::Context(server_->admin_token());
  ASSERT_TRUE(inventory_->RevokeDevice(ctx.get(), revoke, &revoked).ok());
  EXPECT_EQ(CheckIn(enrolled.credential()).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CheckIn(enrolled.credential()).error_code(), StatusCode::UNAUTHENTICATED);
  grpc::Status limited = CheckIn(enrolled.credential());
  EXPECT_EQ(limited.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(limited.error_message(),
            "too many failed authentications with this credential; retry in 30 s");
  EXPECT_TRUE(WhoAmI(server_->admin_token()).ok()) << "the same address with another token";
  // An operator's wrong token is counted the same way (and a store error is
  // no failure: tests/integration/hostile_test.cc).
  EXPECT_EQ(WhoAmI("parc_wrong").error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI("parc_wrong").error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI("parc_wrong").error_code(), StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(RateLimitsTest, TheAgentReadsTheServersRetryDelay) {
  Start(Limits(0, 0, 1, 0));
  v1::EnrollResponse enrolled;
  ASSERT_TRUE(Enroll(Token(1), "SN-1", nullptr, &enrolled).ok());
  EXPECT_EQ(WhoAmI("parc_wrong").error_code(), StatusCode::UNAUTHENTICATED);
  // Not yet in the credential cache (enrollment is a write): a look-up, refused.
  auto transport = agent::GrpcTransport::Connect(server_->address(), "", enrolled.credential());
  ASSERT_TRUE(transport) << transport.error().message;
  std::promise<agent::CheckInReply> answer;
  (*transport)->CheckIn(v1::CheckInRequest(), [&](agent::CheckInReply reply) {
    answer.set_value(std::move(reply));
  });
  agent::CheckInReply reply = answer.get_future().get();
  ASSERT_FALSE(reply.response);
  EXPECT_EQ(reply.response.error().code, ErrorCode::kResourceExhausted);
  ASSERT_TRUE(reply.retry_after);
  EXPECT_EQ(*reply.retry_after, std::chrono::seconds(60));
}

// Behind nginx's grpc_pass (trusted_proxies): each client the proxy forwards
// for counts as itself; from any other peer, x-forwarded-for changes nothing.
TEST_F(RateLimitsTest, BehindATrustedProxyEachForwardedGrpcClientCountsAsItself) {
  for (bool trusted : {true, false}) {
    Config config = Limits(0, 0, 2, 0);
    config.trusted_proxies = trusted ? "127.0.0.0/8" : "10.0.0.1";
    Start(config);
    auto who_am_i = [&](const std::string& token, const std::string& forwarded_for) {
      auto ctx = TestServer::Context(token);
      ctx->AddMetadata("x-forwarded-for", forwarded_for);
      v1::Operator me;
      return admin_->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &me).error_code();
    };
    EXPECT_EQ(who_am_i("parc_wrong", "172.16.0.9"), StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(who_am_i("parc_wrong", "172.16.0.9"), StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(who_am_i(server_->admin_token(), "172.16.0.9"), StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_EQ(who_am_i(server_->admin_token(), "1.2.3.4, 172.16.0.9"),
              StatusCode::RESOURCE_EXHAUSTED)
        << "a forged first hop: the proxy appended the real one";
    EXPECT_EQ(who_am_i(server_->admin_token(), "172.16.0.10"),
              trusted ? StatusCode::OK : StatusCode::RESOURCE_EXHAUSTED)
        << (trusted ? "its neighbour behind the same proxy is served"
                    : "not a trusted proxy: one client, whatever it says");
  }
}

// ---- over HTTP --------------------------------------------------------------------

class RateLimitsHttpTest : public RateLimitsTest {
 protected:
  HttpResponse SignIn(const std::string& token, const std::string& source,
                      const std::string& forged_peer = "") {
    HttpHeaders headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!forged_peer.empty()) headers.emplace_back("x-parc-peer", forged_peer);
    return HttpClient(port_, source)
        .Send(bh::verb::post, "/api/v1/session", headers, "token=" + token);
  }

  int port_ = 0;
};

TEST_F(RateLimitsHttpTest, FailedSignInsAre429WithRetryAfterPerClientAddress) {
  Start(Limits(0, 0, 3, 0));
  port_ = server_->StartHttp();
  for (int i = 0; i < 3; ++i) {
    // A client naming another address for itself is still itself.
    EXPECT_EQ(SignIn("parc_wrong", "127.0.0.2", "10.9.9." + std::to_string(i)).result_int(), 401);
  }
  HttpResponse limited = SignIn(server_->admin_token(), "127.0.0.2", "10.1.1.1");
  EXPECT_EQ(limited.result_int(), 429) << limited.body();
  EXPECT_EQ(HeaderOf(limited, bh::field::retry_after), "20");
  EXPECT_NE(limited.body().find("RESOURCE_EXHAUSTED"), std::string::npos) << limited.body();
  EXPECT_EQ(SignIn(server_->admin_token(), "127.0.0.3").result_int(), 204)
      << "another client address signs in";
  EXPECT_TRUE(WhoAmI(server_->admin_token()).ok()) << "and gRPC clients are other addresses";
  server_->clock().Advance(20'000);
  EXPECT_EQ(SignIn(server_->admin_token(), "127.0.0.2").result_int(), 204);
}

// Behind a TLS proxy (trusted_proxies): each client it forwards for is its own
// address; from anyone else X-Forwarded-For changes nothing.
TEST_F(RateLimitsHttpTest, BehindATrustedProxyEachForwardedClientCountsAsItself) {
  Config config = Limits(0, 0, 2, 0);
  config.trusted_proxies = "127.0.0.7";
  Start(config);
  port_ = server_->StartHttp();
  auto sign_in = [&](const std::string& source, const std::string& token,
                     const std::string& forwarded_for) {
    HttpHeaders headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                           {"X-Forwarded-For", forwarded_for}};
    return HttpClient(port_, source)
        .Send(bh::verb::post, "/api/v1/session", headers, "token=" + token)
        .result_int();
  };
  // A broken tablet behind the proxy uses up its own limit...
  EXPECT_EQ(sign_in("127.0.0.7", "parc_wrong", "172.16.0.9"), 401);
  EXPECT_EQ(sign_in("127.0.0.7", "parc_wrong", "172.16.0.9"), 401);
  EXPECT_EQ(sign_in("127.0.0.7", server_->admin_token(), "172.16.0.9"), 429);
  EXPECT_EQ(sign_in("127.0.0.7", server_->admin_token(), "1.2.3.4, 172.16.0.9"), 429)
      << "a forged first hop: the proxy appended the real one";
  // ...not the city's: its neighbour through the same proxy signs in.
  EXPECT_EQ(sign_in("127.0.0.7", server_->admin_token(), "172.16.0.10"), 204);
  // Anyone else is itself, whatever it forwards for.
  EXPECT_EQ(sign_in("127.0.0.8", "parc_wrong", "172.16.0.20"), 401);
  EXPECT_EQ(sign_in("127.0.0.8", "parc_wrong", "172.16.0.21"), 401);
  EXPECT_EQ(sign_in("127.0.0.8", server_->admin_token(), "172.16.0.22"), 429);
}

TEST_F(RateLimitsHttpTest, TheLearnerAppsRoutesAre429WithRetryAfter) {
  Start(Limits(0, 0, 2, 0));
  port_ = server_->StartHttp();
  auto post = [&](const std::string& route, const std::string& bearer, const std::string& body) {
    HttpHeaders headers = {{"Content-Type", "application/json"}};
    if (!bearer.empty()) headers.emplace_back("Authorization", "Bearer " + bearer);
    return HttpClient(port_, "127.0.0.4")
        .Send(bh::verb::post, "/api/v1/device/" + route, headers, body);
  };
  EXPECT_EQ(post("enroll", "", R"({"token":"parcenroll_wrong","serial":"S1"})").result_int(), 401);
  EXPECT_EQ(post("check-in", "parcdev_wrong", "{}").result_int(), 401);
  HttpResponse limited = post("check-in", "parcdev_wrong", "{}");
  EXPECT_EQ(limited.result_int(), 429) << limited.body();
  EXPECT_EQ(HeaderOf(limited, bh::field::retry_after), "30");
  HttpResponse content = HttpClient(port_, "127.0.0.4")
                             .Send(bh::verb::get, "/api/v1/device/content",
                                   {{"Authorization", "Bearer parcdev_wrong"}});
  EXPECT_EQ(content.result_int(), 429) << "GET routes carry the client's address too";
  EXPECT_EQ(HeaderOf(content, bh::field::retry_after), "30");
  EXPECT_EQ(HttpClient(port_, "127.0.0.5")
                .Send(bh::verb::get, "/api/v1/device/content",
                      {{"Authorization", "Bearer parcdev_wrong"}})
                .result_int(),
            401);
}

}  // namespace
}  // namespace parc::testing
