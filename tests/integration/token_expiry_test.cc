// Issue 20 item 7: API tokens expire by default (Services::Options
// token_default_ttl_seconds, parcd's token_default_ttl_days), and WhoAmI says
// when the caller's token expires and whether that is within 14 days.
#include "tests/integration/service_fixture.h"

namespace parc::testing {
namespace {

constexpr int64_t kDay = 24 * 3600;

class TokenExpiryTest : public ServiceTest {
 protected:
  v1::CreateApiTokenResponse Create(int64_t ttl_seconds) {
    v1::CreateApiTokenRequest request;
    request.set_ttl_seconds(ttl_seconds);
    v1::CreateApiTokenResponse created;
    grpc::Status status = admin_->CreateApiToken(Admin().get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }
  v1::Operator WhoAmI(const std::string& token) {
    v1::Operator me;
    grpc::Status status = admin_->WhoAmI(As(token).get(), v1::WhoAmIRequest(), &me);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return me;
  }
  int64_t NowSeconds() { return server_.clock().NowMs() / 1000; }
};

TEST_F(TokenExpiryTest, ATokenCreatedWithoutALifetimeExpiresIn90Days) {
  v1::CreateApiTokenResponse created = Create(0);
  ASSERT_TRUE(created.info().has_expires_at());
  EXPECT_EQ(created.info().expires_at().seconds(), NowSeconds() + 90 * kDay);
  v1::Operator me = WhoAmI(created.token());
  EXPECT_EQ(me.token_expires_at().seconds(), NowSeconds() + 90 * kDay);
  EXPECT_FALSE(me.token_expires_soon());
}

TEST_F(TokenExpiryTest, WhoAmIWarnsWithinFourteenDaysOfTheExpiry) {
  v1::Operator me = WhoAmI(Create(10 * kDay).token());
  EXPECT_TRUE(me.token_expires_soon());
  EXPECT_EQ(me.token_expires_at().seconds(), NowSeconds() + 10 * kDay);
  EXPECT_FALSE(WhoAmI(Create(15 * kDay).token()).token_expires_soon());
}

TEST_F(TokenExpiryTest, TheInitTokenDoesNotExpire) {
  v1::Operator me = WhoAmI(server_.admin_token());
  EXPECT_FALSE(me.has_token_expires_at());
  EXPECT_FALSE(me.token_expires_soon());
}

}  // namespace
}  // namespace parc::testing
