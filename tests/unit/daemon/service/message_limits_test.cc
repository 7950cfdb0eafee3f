// The per-method request size table (daemon/service/message_limits.h).
#include "daemon/service/message_limits.h"

#include <gtest/gtest.h>

namespace parc::service {
namespace {

TEST(MessageLimitsTest, DeviceRpcsAreSmallAndReportsLarger) {
  MessageLimits limits{.device_bytes = 100, .report_bytes = 1000};
  EXPECT_EQ(limits.For("/parc.v1.DeviceService/Enroll"), 100);
  EXPECT_EQ(limits.For("/parc.v1.DeviceService/FetchContent"), 100);
  EXPECT_EQ(limits.For("/parc.v1.DeviceService/SomethingNew"), 100) << "a new device RPC is small";
  EXPECT_EQ(limits.For("/parc.v1.DeviceService/CheckIn"), 1000);
  EXPECT_EQ(limits.For("/parc.v1.DeviceService/ReportUsage"), 1000);
  EXPECT_EQ(limits.For("/parc.v1.DeviceService/ReportProgress"), 1000);
  EXPECT_EQ(limits.For("/parc.v1.InventoryService/ImportAgents"), 0) << "gRPC's cap alone";
}

TEST(MessageLimitsTest, OverTheLimitIsResourceExhaustedNamingTheMethod) {
  MessageLimits limits{.device_bytes = 100, .report_bytes = 1000};
  EXPECT_TRUE(limits.Check("/parc.v1.DeviceService/Enroll", 100));
  Status over = limits.Check("/parc.v1.DeviceService/Enroll", 101);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(over.error().message, "request: 101 bytes is over the 100 bytes Enroll accepts");
  EXPECT_TRUE(limits.Check("/parc.v1.InventoryService/ImportAgents", size_t{1} << 30));
}

}  // namespace
}  // namespace parc::service
