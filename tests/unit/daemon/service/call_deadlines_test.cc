// CallDeadlines (daemon/service/call_deadlines.h) without a server: which
// calls are watched, and a watch released while the thread waits for it.
// The cancellation itself is tested on a real server (grpc_limits_test).
#include "daemon/service/call_deadlines.h"

#include <gtest/gtest.h>

#include <thread>

namespace parc::service {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

TEST(CallDeadlinesTest, ACallWithoutDeadlineIsWatched) {
  CallDeadlines deadlines(hours(1));
  grpc::ServerContext ctx;  // no call: its deadline is infinite
  CallDeadlines::Watch watch = deadlines.Start(&ctx, "/parc.v1.DeviceService/CheckIn");
  EXPECT_TRUE(watch.active());
  watch.Release();
  EXPECT_FALSE(watch.active());
  EXPECT_EQ(deadlines.cancelled(), 0u);
}

TEST(CallDeadlinesTest, NoBoundWatchesNothing) {
  CallDeadlines deadlines(milliseconds(0));
  grpc::ServerContext ctx;
  EXPECT_FALSE(deadlines.Start(&ctx, "/parc.v1.DeviceService/CheckIn").active());
}

// The thread waits for the earliest watch; releasing it meanwhile (the
// common case: calls end long before the bound) must not leave the thread
// reading a freed entry (ASan finds it when the thread wakes up).
TEST(CallDeadlinesTest, WatchesReleasedWhileTheThreadWaitsAreForgotten) {
  for (int round = 0; round < 20; ++round) {
    CallDeadlines deadlines(hours(1));
    grpc::ServerContext a, b;
    CallDeadlines::Watch first = deadlines.Start(&a, "/m/A");
    CallDeadlines::Watch second = deadlines.Start(&b, "/m/B");
    // Lets the thread reach its wait on the first watch (not a measure: the
    // test passes, more slowly, with any wait or none).
    std::this_thread::sleep_for(milliseconds(5));
    first.Release();
    std::this_thread::sleep_for(milliseconds(5));
    second = CallDeadlines::Watch();  // released by assignment
  }
}

}  // namespace
}  // namespace parc::service
