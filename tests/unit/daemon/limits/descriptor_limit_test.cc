// The connection limits fitted to the descriptors the process may open
// (daemon/limits/descriptor_limit.h).
#include "daemon/limits/descriptor_limit.h"

#include <gtest/gtest.h>

namespace parc::limits {
namespace {

Config Limits(int64_t grpc, int64_t http) {
  Config config;
  config.grpc_max_connections = grpc;
  config.http_max_connections = http;
  return config;
}

TEST(DescriptorLimitTest, LimitsThatFitAreKept) {
  Config fitted = FitConnections(Limits(20000, 1024), 65536);
  EXPECT_EQ(fitted.grpc_max_connections, 20000);
  EXPECT_EQ(fitted.http_max_connections, 1024);
}

TEST(DescriptorLimitTest, LimitsThatDoNotFitAreLoweredToLeaveSpareDescriptors) {
  Config fitted = FitConnections(Limits(20000, 1024), 20000);
  EXPECT_EQ(fitted.http_max_connections, 1024);
  EXPECT_EQ(fitted.grpc_max_connections, 20000 - kSpareDescriptors - 1024);
  fitted = FitConnections(Limits(20000, 1024), 1024);  // ulimit -n 1024
  EXPECT_EQ(fitted.http_max_connections, (1024 - kSpareDescriptors) / 4);
  EXPECT_EQ(fitted.grpc_max_connections, 1024 - kSpareDescriptors - fitted.http_max_connections);
  EXPECT_LE(fitted.grpc_max_connections + fitted.http_max_connections + kSpareDescriptors, 1024);
}

TEST(DescriptorLimitTest, NoGrpcLimitMeansWhatTheDescriptorsAllow) {
  Config fitted = FitConnections(Limits(0, 1024), 65536);
  EXPECT_EQ(fitted.grpc_max_connections, 65536 - kSpareDescriptors - 1024);
}

}  // namespace
}  // namespace parc::limits
