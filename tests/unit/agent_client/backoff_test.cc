// Check-in schedule: interval jitter and backoff bounds with a seeded random,
// and the production options' bounds on how late a device comes back.
#include "agent_client/backoff.h"

#include <gtest/gtest.h>

#include <vector>

#include "agent_client/grpc_transport.h"
#include "agent_client/loop.h"

namespace parc::agent {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

TEST(BackoffTest, IntervalJitterStaysWithinTenPercent) {
  SeededRandom random(42);
  for (int i = 0; i < 1000; ++i) {
    Millis delay = JitteredInterval(seconds(300), random);
    EXPECT_GE(delay, seconds(270));
    EXPECT_LT(delay, seconds(330));
  }
}

TEST(BackoffTest, DelayIsBelowTheExponentialCeiling) {
  SeededRandom random(7);
  for (int failures = 1; failures <= 8; ++failures) {
    Millis ceiling = std::min<Millis>(seconds(5) * (1 << (failures - 1)), minutes(15));
    for (int i = 0; i < 200; ++i) {
      Millis delay = BackoffDelay(failures, seconds(5), minutes(15), random);
      EXPECT_GE(delay, Millis(1));
      EXPECT_LT(delay, ceiling) << "failures=" << failures;
    }
  }
}

TEST(BackoffTest, DelayNeverExceedsTheCapEvenAfterManyFailures) {
  SeededRandom random(1);
  Millis largest{0};
  for (int failures : {10, 20, 64, 1000, 1 << 30}) {
    for (int i = 0; i < 200; ++i) {
      Millis delay = BackoffDelay(failures, seconds(5), minutes(15), random);
      EXPECT_LE(delay, minutes(15));
      largest = std::max(largest, delay);
    }
  }
  EXPECT_GT(largest, minutes(14));  // full jitter still reaches near the cap
}

TEST(BackoffTest, SameSeedSameDelays) {
  SeededRandom a(99), b(99);
  for (int failures = 1; failures < 10; ++failures) {
    EXPECT_EQ(BackoffDelay(failures, seconds(5), minutes(15), a),
              BackoffDelay(failures, seconds(5), minutes(15), b));
  }
}

}  // namespace
}  // namespace parc::agent

namespace parc::agent {
namespace {

// Issue 20 item 12: after a 30 s outage, queued reports took 10-115 s to
// arrive. With the production options, every retry comes at most the cap
// after the previous one, whatever the outage's length.
TEST(BackoffTest, ProductionCapKeepsEveryRetryWithinEightSeconds) {
  LoopOptions options;
  EXPECT_LE(options.backoff_cap, seconds(8));
  EXPECT_GE(options.backoff_base, seconds(1));  // and no busy loop on a dead server
  SeededRandom random(5);
  for (int failures = 1; failures <= 10'000; failures += failures < 50 ? 1 : 997) {
    Millis delay = BackoffDelay(failures, options.backoff_base, options.backoff_cap, random);
    EXPECT_LE(delay, options.backoff_cap) << "failures=" << failures;
  }
}

// A fleet of devices that lost the server at the same instant: where each one's
// first retry falls after the server is back 30 s later. All within the cap
// (the gRPC channel's own reconnect, at most ~6 s, runs meanwhile), and spread
// over it rather than arriving together.
TEST(BackoffTest, AFleetComesBackWithinTheCapAndSpreadOverIt) {
  LoopOptions options;
  const Millis outage = seconds(30);
  constexpr int kDevices = 2'000;
  std::vector<int> per_second(10, 0);
  Millis latest{0};
  for (int device = 0; device < kDevices; ++device) {
    SeededRandom random(1'000 + device);
    Millis t{0};
    int failures = 0;
    while (t < outage) {
      t += BackoffDelay(++failures, options.backoff_base, options.backoff_cap, random);
    }
    Millis late = t - outage;
    latest = std::max(latest, late);
    ++per_second.at(static_cast<size_t>(late.count() / 1000));
  }
  EXPECT_LE(latest, options.backoff_cap);
  // Full jitter's retries fall at random: the first one after the outage is
  // more likely early (density falling linearly over the cap: 23% in the first
  // second, 25% after 4 s), never a crowd at one instant.
  int after_four = 0;
  for (int second = 0; second < 8; ++second) {
    EXPECT_LT(per_second[second], kDevices * 3 / 10) << "second " << second;
    EXPECT_GT(per_second[second], 0) << "second " << second;
    if (second >= 4) after_four += per_second[second];
  }
  EXPECT_GT(after_four, kDevices * 15 / 100);
}

TEST(BackoffTest, GrpcChannelReconnectsAtMostFiveSecondsApart) {
  EXPECT_LE(GrpcTransport::kMaxReconnectBackoffMs, 5'000);
  EXPECT_LE(GrpcTransport::kInitialReconnectBackoffMs, GrpcTransport::kMaxReconnectBackoffMs);
  // Above gRPC's 100 ms floor, and room for a TLS handshake on a slow network.
  EXPECT_GE(GrpcTransport::kMinConnectTimeoutMs, 5'000);
}

}  // namespace
}  // namespace parc::agent
