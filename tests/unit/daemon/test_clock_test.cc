// The clock a test moves from outside parcd (daemon/test_clock.h).
#include "daemon/test_clock.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace parc {
namespace {

constexpr int64_t kDayMs = int64_t{86400} * 1000;

TEST(ParseClockOffsetTest, ReadsSecondsWithOrWithoutSignAndSpaces) {
  EXPECT_EQ(ParseClockOffset(""), 0);
  EXPECT_EQ(ParseClockOffset(" \n"), 0);
  EXPECT_EQ(ParseClockOffset("864000\n"), 864000);
  EXPECT_EQ(ParseClockOffset("+60"), 60);
  EXPECT_EQ(ParseClockOffset("-3600"), -3600);
  EXPECT_EQ(ParseClockOffset("ten days"), std::nullopt);
  EXPECT_EQ(ParseClockOffset("10d"), std::nullopt);
  EXPECT_EQ(ParseClockOffset("99999999999999"), std::nullopt) << "more than a century";
}

TEST(TestClockTest, FollowsTheFileAtEveryReading) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "clock").string();
  TestClock clock(path);
  SystemClock system;
  auto ahead = [&] { return std::llround(double(clock.NowMs() - system.NowMs()) / kDayMs); };
  EXPECT_EQ(ahead(), 0) << "no file: the system clock";
  std::ofstream(path) << "864000\n";
  EXPECT_EQ(ahead(), 10);
  std::ofstream(path) << "-172800";
  EXPECT_EQ(ahead(), -2);
  std::ofstream(path) << "soon";
  EXPECT_EQ(ahead(), 0) << "not a number: no offset";
}

}  // namespace
}  // namespace parc
