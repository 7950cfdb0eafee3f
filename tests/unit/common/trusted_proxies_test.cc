#include "common/trusted_proxies.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace parc {
namespace {

TrustedProxies Parsed(std::string_view list) {
  auto proxies = TrustedProxies::Parse(list);
  EXPECT_TRUE(proxies) << proxies.error().message;
  return proxies ? *proxies : TrustedProxies{};
}

TEST(TrustedProxiesTest, AddressesAndNetworksOfBothFamilies) {
  TrustedProxies proxies = Parsed("10.0.0.5, 192.168.8.0/22 fd00::/8,::1");
  EXPECT_TRUE(proxies.Trusts("10.0.0.5"));
  EXPECT_FALSE(proxies.Trusts("10.0.0.6"));
  EXPECT_TRUE(proxies.Trusts("192.168.11.200"));
  EXPECT_FALSE(proxies.Trusts("192.168.12.1"));
  EXPECT_TRUE(proxies.Trusts("fd12:3456::1"));
  EXPECT_FALSE(proxies.Trusts("fe80::1"));
  EXPECT_TRUE(proxies.Trusts("::1"));
  EXPECT_TRUE(proxies.Trusts("::ffff:10.0.0.5")) << "an IPv4 peer on an IPv6 socket";
  EXPECT_FALSE(proxies.Trusts("not an address"));
  EXPECT_FALSE(TrustedProxies().Trusts("10.0.0.5")) << "none by default";
}

TEST(TrustedProxiesTest, AnEntryThatIsNeitherIsRefusedByName) {
  for (std::string_view bad : {"10.0.0.300", "10.0.0.0/33", "fd00::/129", "proxy.example.org",
                               "10.0.0.0/", "10.0.0.0/x"}) {
    auto proxies = TrustedProxies::Parse(std::string("10.0.0.1, ") + std::string(bad));
    ASSERT_FALSE(proxies) << bad;
    EXPECT_EQ(proxies.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(proxies.error().message, "trusted_proxies: '" + std::string(bad) +
                                           "' is not an IP address or a network like 10.0.0.0/24");
  }
  EXPECT_TRUE(TrustedProxies::Parse("")->empty());
}

TEST(TrustedProxiesTest, TheClientIsTheRightMostHopThatIsNotAProxy) {
  TrustedProxies proxies = Parsed("10.0.0.0/24");
  // nginx (10.0.0.2) forwarding for a tablet.
  EXPECT_EQ(proxies.ClientOf("10.0.0.2", "172.16.4.20"), "172.16.4.20");
  // A client that wrote its own header first: the proxy appended the real one.
  EXPECT_EQ(proxies.ClientOf("10.0.0.2", "1.2.3.4, 172.16.4.20"), "172.16.4.20");
  // Two trusted hops (HAProxy then nginx).
  EXPECT_EQ(proxies.ClientOf("10.0.0.2", "172.16.4.20, 10.0.0.9"), "172.16.4.20");
  // Every hop trusted: the left-most.
  EXPECT_EQ(proxies.ClientOf("10.0.0.2", "10.0.0.7,10.0.0.9"), "10.0.0.7");
  // Garbage to the left of the trusted hop: the hop the proxy vouched for.
  EXPECT_EQ(proxies.ClientOf("10.0.0.2", "evil, 10.0.0.9"), "10.0.0.9");
  EXPECT_EQ(proxies.ClientOf("10.0.0.2", "unknown"), "10.0.0.2");
  EXPECT_EQ(proxies.ClientOf("10.0.0.2", " "), "10.0.0.2");
  EXPECT_EQ(proxies.ClientOf("10.0.0.2", "::ffff:172.16.4.20"), "172.16.4.20");
  // Not a proxy: whatever it says, it is the client.
  EXPECT_EQ(proxies.ClientOf("172.16.4.20", "10.0.0.1"), "172.16.4.20");
  EXPECT_EQ(TrustedProxies().ClientOf("10.0.0.2", "172.16.4.20"), "10.0.0.2");
}

}  // namespace
}  // namespace parc
