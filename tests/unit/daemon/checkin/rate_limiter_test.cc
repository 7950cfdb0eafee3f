#include "daemon/service/rate_limiter.h"

#include <gtest/gtest.h>

namespace parc::service {
namespace {

TEST(RateLimiterTest, AllowsTheLimitAtOnceThenOnePerIntervalAndSaysWhen) {
  ManualClock clock(1'000'000);
  RateLimiter limiter(clock, {.limit = 10, .window_ms = 60'000});
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(limiter.RetryAfterMs("ipv4:10.0.0.1"), 0) << i;
    limiter.Record("ipv4:10.0.0.1");
  }
  EXPECT_EQ(limiter.RetryAfterMs("ipv4:10.0.0.1"), 6'000) << "one more every 60 s / 10";
  EXPECT_EQ(limiter.RetryAfterMs("ipv4:10.0.0.2"), 0) << "other keys are not affected";
  clock.Advance(5'999);
  EXPECT_EQ(limiter.RetryAfterMs("ipv4:10.0.0.1"), 1);
  clock.Advance(1);
  EXPECT_EQ(limiter.RetryAfterMs("ipv4:10.0.0.1"), 0);
  limiter.Record("ipv4:10.0.0.1");
  EXPECT_EQ(limiter.RetryAfterMs("ipv4:10.0.0.1"), 6'000);
  clock.Advance(60'000);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(limiter.Take("ipv4:10.0.0.1"), 0) << "a whole window later: a full burst again";
  EXPECT_GT(limiter.Take("ipv4:10.0.0.1"), 0);
}

TEST(RateLimiterTest, RefusedAttemptsAreNotCountedSoABackingOffClientRecovers) {
  ManualClock clock(0);
  RateLimiter limiter(clock, {.limit = 2, .window_ms = 1'000});
  EXPECT_EQ(limiter.Take("k"), 0);
  EXPECT_EQ(limiter.Take("k"), 0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.Take("k"), 500);
  clock.Advance(500);
  EXPECT_EQ(limiter.Take("k"), 0);
}

TEST(RateLimiterTest, ZeroMeansNoLimit) {
  ManualClock clock(0);
  RateLimiter limiter(clock, {.limit = 0});
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Take("k"), 0);
}

TEST(RateLimiterTest, MemoryStaysBoundedUnderManyKeys) {
  ManualClock clock(0);
  RateLimiter limiter(clock, {.limit = 2, .window_ms = 1000, .max_keys = 100});
  for (int i = 0; i < 10'000; ++i) limiter.Record("peer" + std::to_string(i));
  limiter.Record("peer9999");
  EXPECT_GT(limiter.RetryAfterMs("peer9999"), 0) << "recent keys are kept";
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
