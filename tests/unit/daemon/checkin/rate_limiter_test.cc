#include "daemon/service/rate_limiter.h"

#include <gtest/gtest.h>

namespace parc::service {
namespace {

TEST(FailureLimiterTest, BlocksAfterTheLimitWithinTheWindowAndRecovers) {
  ManualClock clock(1'000'000);
  FailureLimiter limiter(clock, {.max_failures = 10, .window_ms = 60'000});
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(limiter.Blocked("ipv4:10.0.0.1")) << i;
    limiter.RecordFailure("ipv4:10.0.0.1");
    clock.Advance(1000);
  }
  EXPECT_TRUE(limiter.Blocked("ipv4:10.0.0.1"));
  EXPECT_FALSE(limiter.Blocked("ipv4:10.0.0.2")) << "other peers are not affected";
  clock.Advance(50'500);  // only the first failure leaves the window
  EXPECT_FALSE(limiter.Blocked("ipv4:10.0.0.1"));
  limiter.RecordFailure("ipv4:10.0.0.1");
  EXPECT_TRUE(limiter.Blocked("ipv4:10.0.0.1"));
  clock.Advance(60'000);
  EXPECT_FALSE(limiter.Blocked("ipv4:10.0.0.1"));
}

TEST(FailureLimiterTest, MemoryStaysBoundedUnderManyPeers) {
  ManualClock clock(0);
  FailureLimiter limiter(clock, {.max_failures = 2, .window_ms = 1000, .max_keys = 100});
  for (int i = 0; i < 10'000; ++i) limiter.RecordFailure("peer" + std::to_string(i));
  limiter.RecordFailure("peer9999");
  EXPECT_TRUE(limiter.Blocked("peer9999")) << "recent keys are kept";
}

TEST(PeerAddressTest, StripsThePort) {
  EXPECT_EQ(PeerAddress("ipv4:127.0.0.1:51234"), "ipv4:127.0.0.1");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:51234"), "ipv6:[::1]");
  EXPECT_EQ(PeerAddress("unix:/run/parc.sock"), "unix:/run/parc.sock");
  EXPECT_EQ(PeerAddress("ipv4:10.0.0.1"), "ipv4:10.0.0.1");
  EXPECT_EQ(PeerAddress(""), "");
}

}  // namespace
}  // namespace parc::service
