#include "common/time.h"

#include <google/protobuf/timestamp.pb.h>
#include <gtest/gtest.h>

namespace parc {
namespace {

TEST(TimeTest, FormatsInstantsAndDatesInUtc) {
  EXPECT_EQ(FormatInstant(1'780'000'000'123), "2026-05-28T20:26:40Z");
  EXPECT_EQ(FormatDate(1'780'000'000'123), "2026-05-28");
}

TEST(TimeTest, TimestampRoundTripsMilliseconds) {
  google::protobuf::Timestamp ts;
  ToTimestamp(1'780'000'000'123, &ts);
  EXPECT_EQ(ts.seconds(), 1'780'000'000);
  EXPECT_EQ(FromTimestamp(ts), 1'780'000'000'123);
}

TEST(TimeTest, AcceptsIsoAndFrenchDatesOnly) {
  EXPECT_EQ(ParseDate("2026-02-28").value(), "2026-02-28");
  EXPECT_EQ(ParseDate("31/12/2026").value(), "2026-12-31");
  EXPECT_FALSE(ParseDate("2026-02-30"));
  EXPECT_FALSE(ParseDate("12/31/2026"));
  EXPECT_FALSE(ParseDate("demain"));
  EXPECT_FALSE(IsIsoDate("2026-1-01"));
}

TEST(TimeTest, ParsesDurationsWithUnits) {
  EXPECT_EQ(ParseDurationSeconds("7d").value(), 7 * 86400);
  EXPECT_EQ(ParseDurationSeconds("12h").value(), 12 * 3600);
  EXPECT_EQ(ParseDurationSeconds("90").value(), 90);
  EXPECT_FALSE(ParseDurationSeconds("d"));
  EXPECT_FALSE(ParseDurationSeconds("-3d"));
  EXPECT_FALSE(ParseDurationSeconds("3w"));
}

}  // namespace
}  // namespace parc
