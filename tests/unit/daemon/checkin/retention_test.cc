#include "daemon/checkin/retention.h"

#include <gtest/gtest.h>

#include "tests/unit/daemon/checkin/fake_store.h"

namespace parc::checkin {
namespace {

using std::chrono::milliseconds;

TEST(RetentionJobTest, PrunesShortlyAfterStartThenEveryPeriod) {
  boost::asio::io_context io;
  testing::FakeStore store;
  ManualClock clock(100LL * 24 * 3600 * 1000);
  RetentionJob job(
      io, store, clock,
      {.retention_days = 90, .first_delay = milliseconds(1), .period = milliseconds(5)});
  job.Start();
  while (job.runs() < 3) io.run_one();
  auto before = store.prune_before();
  ASSERT_GE(before.size(), 3u);
  EXPECT_EQ(before[0], 10LL * 24 * 3600 * 1000);
}

TEST(RetentionJobTest, ATimerFiringAfterTheJobDiedDoesNothing) {
  boost::asio::io_context io;
  testing::FakeStore store;
  ManualClock clock(0);
  {
    RetentionJob job(io, store, clock, {.first_delay = milliseconds(1)});
    job.Start();
  }
  io.run_for(milliseconds(20));
  EXPECT_TRUE(store.prune_before().empty());
}

}  // namespace
}  // namespace parc::checkin
