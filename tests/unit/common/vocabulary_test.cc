#include "common/vocabulary.h"

#include <gtest/gtest.h>

namespace parc {
namespace {

TEST(VocabularyTest, EverySpellingOfALifecycleStateNamesIt) {
  for (const char* text : {"in_repair", "en_reparation", "en réparation", "En Réparation",
                           "in-repair", "  EN_REPARATION ", "réparation"}) {
    EXPECT_EQ(ParseLifecycleName(text), v1::LIFECYCLE_IN_REPAIR) << text;
  }
  EXPECT_EQ(ParseLifecycleName("en stock"), v1::LIFECYCLE_IN_STOCK);
  EXPECT_EQ(ParseLifecycleName("réformé"), v1::LIFECYCLE_RETIRED);
  EXPECT_EQ(ParseLifecycleName("perdu"), v1::LIFECYCLE_LOST);
  EXPECT_EQ(ParseLifecycleName("cassé"), std::nullopt);
  EXPECT_EQ(ParseLifecycleName(""), std::nullopt);
}

TEST(VocabularyTest, StatusesKindsAndRolesInBothLanguages) {
  EXPECT_EQ(ParseAgentStatusName("inactif"), v1::AGENT_STATUS_LEFT);
  EXPECT_EQ(ParseAgentStatusName("Partie"), v1::AGENT_STATUS_LEFT);
  EXPECT_EQ(ParseAgentStatusName("actif"), v1::AGENT_STATUS_ACTIVE);
  EXPECT_EQ(ParseKindName("PC partagé"), v1::DEVICE_KIND_SHARED_PC);
  EXPECT_EQ(ParseKindName("Tablette"), v1::DEVICE_KIND_TABLET);
  EXPECT_EQ(ParseKindName("téléphone"), v1::DEVICE_KIND_SMARTPHONE);
  EXPECT_EQ(ParseRoleName("Conseillère"), v1::ROLE_ADVISOR);
  EXPECT_EQ(ParseRoleName("logistique"), v1::ROLE_LOGISTICS);
  EXPECT_EQ(ParseAllocationKindName("prêt"), v1::ALLOCATION_KIND_LOAN);
}

TEST(VocabularyTest, CanonicalNamesAreTheEnglishOnes) {
  EXPECT_EQ(LifecycleName(v1::LIFECYCLE_IN_REPAIR), "in_repair");
  EXPECT_EQ(KindName(v1::DEVICE_KIND_SHARED_PC), "shared_pc");
  EXPECT_EQ(AgentStatusName(v1::AGENT_STATUS_LEFT), "left");
  EXPECT_EQ(LifecycleName(v1::LIFECYCLE_UNSPECIFIED), "");
  EXPECT_EQ(LifecycleNames(),
            (std::vector<std::string>{"in_stock", "assigned", "in_repair", "lost", "retired"}));
  EXPECT_EQ(AgentStatusNames(), (std::vector<std::string>{"active", "left"}));
  EXPECT_EQ(SpellingsOf("in_repair"),
            (std::vector<std::string>{"in_repair", "en_reparation", "reparation"}));
}

TEST(VocabularyTest, KeysFoldAccentsCaseAndSeparators) {
  EXPECT_EQ(VocabularyKey(" En  réparation "), "en_reparation");
  EXPECT_EQ(VocabularyKey("poste-partagé"), "poste_partage");
  EXPECT_EQ(VocabularyKey("en_poste"), "en_poste");
}

}  // namespace
}  // namespace parc
