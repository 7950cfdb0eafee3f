#include "common/crypto.h"

#include <gtest/gtest.h>

namespace parc {
namespace {

TEST(CryptoTest, Sha256MatchesKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, SecretsAreLongPrefixedAndDifferent) {
  auto a = NewSecret("parc_");
  auto b = NewSecret("parc_");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 5u + 43u);
  EXPECT_TRUE(a->starts_with("parc_"));
  EXPECT_NE(*a, *b);
}

TEST(CryptoTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace parc
