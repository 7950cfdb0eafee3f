#include "daemon/domain/skill_tiers.h"

#include <gtest/gtest.h>

namespace parc::domain {
namespace {

TEST(SkillTiersTest, DefaultsAreTheFourFrenchTiers) {
  auto tiers = ParseSkillTiers(kDefaultSkillTiers);
  ASSERT_TRUE(tiers) << tiers.error().message;
  ASSERT_EQ(tiers->size(), 4u);
  EXPECT_EQ((*tiers)[0].code, "illectronisme");
  EXPECT_EQ((*tiers)[1].name, "Débutant");
  EXPECT_EQ((*tiers)[2].code, "a-consolider");
  EXPECT_EQ((*tiers)[2].name, "À consolider");
  EXPECT_EQ((*tiers)[3].code, "autonome");
  EXPECT_EQ((*tiers)[3].min_pix, 320);
  EXPECT_DOUBLE_EQ((*tiers)[3].min_mastery, 0.75);
}

TEST(SkillTiersTest, ScoresMapToTheHighestTierReached) {
  auto tiers = *ParseSkillTiers(kDefaultSkillTiers);
  EXPECT_EQ(TierForPix(tiers, 0).code, "illectronisme");
  EXPECT_EQ(TierForPix(tiers, 63).code, "illectronisme");
  EXPECT_EQ(TierForPix(tiers, 64).code, "debutant");
  EXPECT_EQ(TierForPix(tiers, 191).code, "debutant");
  EXPECT_EQ(TierForPix(tiers, 192).code, "a-consolider");
  EXPECT_EQ(TierForPix(tiers, 320).code, "autonome");
  EXPECT_EQ(TierForPix(tiers, 1024).code, "autonome");
  EXPECT_EQ(TierForMastery(tiers, 0).code, "illectronisme");
  EXPECT_EQ(TierForMastery(tiers, 0.24).code, "illectronisme");
  EXPECT_EQ(TierForMastery(tiers, 0.25).code, "debutant");  // exactly on the edge
  EXPECT_EQ(TierForMastery(tiers, 0.67).code, "a-consolider");
  EXPECT_EQ(TierForMastery(tiers, 0.75).code, "autonome");
  EXPECT_EQ(TierForMastery(tiers, 1).code, "autonome");
}

TEST(SkillTiersTest, ACustomTableIsRead) {
  auto tiers = ParseSkillTiers(" bas:Bas:0:0 ;haut:Haut niveau:500:90 ");
  ASSERT_TRUE(tiers) << tiers.error().message;
  ASSERT_EQ(tiers->size(), 2u);
  EXPECT_EQ((*tiers)[1].name, "Haut niveau");
  EXPECT_EQ(TierForPix(*tiers, 499).code, "bas");
  EXPECT_EQ(TierForMastery(*tiers, 0.9).code, "haut");
}

TEST(SkillTiersTest, BadTablesAreRefusedNamingTheEntry) {
  struct Case {
    const char* spec;
    const char* says;
  } cases[] = {
      {"", "no tier"},
      {"a:A:0", "expected code:Name"},
      {"A:A:0:0", "lower case"},
      {"a::0:0", "name is empty"},
      {"a:A:5:0", "start at 0"},
      {"a:A:0:0; b:B:x:10", "min_pix"},
      {"a:A:0:0; b:B:10:101", "percent"},
      {"a:A:0:0; a:B:10:10", "twice"},
      {"a:A:0:0; b:B:100:50; c:C:90:60", "increase"},
      {"a:A:0:0; b:B:100:50; c:C:200:50", "increase"},
  };
  for (const Case& c : cases) {
    auto tiers = ParseSkillTiers(c.spec);
    ASSERT_FALSE(tiers) << c.spec;
    EXPECT_EQ(tiers.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(tiers.error().message.find(c.says), std::string::npos)
        << c.spec << " -> " << tiers.error().message;
  }
}

}  // namespace
}  // namespace parc::domain
