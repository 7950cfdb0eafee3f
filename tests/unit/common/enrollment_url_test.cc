#include "common/enrollment_url.h"

#include <gtest/gtest.h>

namespace parc {
namespace {

TEST(EnrollmentUrlTest, PutsTheTokenInTheLearnerAppsQuery) {
  EXPECT_EQ(EnrollmentUrl("https://parc.example.org", "parcenroll_a-b_C"),
            "https://parc.example.org/apprendre/?enroll=parcenroll_a-b_C");
}

TEST(EnrollmentUrlTest, TakesTheTokenBackOutOfTheUrl) {
  std::string url = EnrollmentUrl("http://10.0.0.5:8080/parc", "parcenroll_xyz");
  EXPECT_EQ(EnrollmentTokenOf(url), "parcenroll_xyz");
  EXPECT_EQ(EnrollmentTokenOf("  " + url + "\n"), "parcenroll_xyz");
  EXPECT_EQ(EnrollmentTokenOf("https://p/apprendre/?lang=fr&enroll=parcenroll_1#top"),
            "parcenroll_1");
}

TEST(EnrollmentUrlTest, LeavesABareTokenOrAUrlWithoutOneAsItIs) {
  EXPECT_EQ(EnrollmentTokenOf("parcenroll_xyz"), "parcenroll_xyz");
  EXPECT_EQ(EnrollmentTokenOf(" parcenroll_xyz "), "parcenroll_xyz");
  EXPECT_EQ(EnrollmentTokenOf("https://p/apprendre/"), "https://p/apprendre/");
  EXPECT_EQ(EnrollmentTokenOf("https://p/apprendre/?enroll="), "https://p/apprendre/?enroll=");
  EXPECT_EQ(EnrollmentTokenOf("   "), "");
}

}  // namespace
}  // namespace parc
