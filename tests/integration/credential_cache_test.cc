// The Gate's device credential cache (daemon/service/credential_cache.h):
// what it remembers and when it forgets. The end-to-end cases (a revoked or
// replaced credential refused at once although it was remembered) are in
// enrollment_test.
#include "daemon/service/credential_cache.h"

#include <gtest/gtest.h>

#include "common/crypto.h"

namespace parc::service {
namespace {

TEST(CredentialCacheTest, RemembersByHashAndForgetsEverythingOnAWrite) {
  CredentialCache cache;
  const std::string a = Sha256Hex("parcdev_a"), b = Sha256Hex("parcdev_b");
  EXPECT_FALSE(cache.Find(a));
  cache.Remember(a, 7, cache.Generation());
  cache.Remember(b, 8, cache.Generation());
  EXPECT_EQ(cache.Find(a), 7);
  EXPECT_EQ(cache.Find(b), 8);
  EXPECT_EQ(cache.size(), 2u);
  cache.Written();
  EXPECT_FALSE(cache.Find(a));
  EXPECT_FALSE(cache.Find(b));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(CredentialCacheTest, ALookupThatRacedWithAWriteIsNotRemembered) {
  CredentialCache cache;
  const std::string a = Sha256Hex("parcdev_a");
  const uint64_t before = cache.Generation();  // the database read starts
  cache.Written();                             // a revocation commits meanwhile
  cache.Remember(a, 7, before);                // what the (older) read said
  EXPECT_FALSE(cache.Find(a));
  cache.Remember(a, 7, cache.Generation());
  EXPECT_EQ(cache.Find(a), 7);
}

TEST(CredentialCacheTest, IgnoresWhatIsNotAHash) {
  CredentialCache cache;
  cache.Remember("short", 1, cache.Generation());
  cache.Remember(std::string(64, 'z'), 2, cache.Generation());
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.Find("short"));
}

}  // namespace
}  // namespace parc::service
