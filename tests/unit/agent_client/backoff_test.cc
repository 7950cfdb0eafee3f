// Check-in schedule: interval jitter and backoff bounds with a seeded random.
#include "agent_client/backoff.h"

#include <gtest/gtest.h>

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
