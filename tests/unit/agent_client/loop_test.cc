// The check-in loop on a real io_context against a fake transport: backlog in
// order and exactly once across failures, batching, dropped counts, backoff
// hints, revoked credentials and a clean stop.
#include "agent_client/loop.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <numeric>

#include "agent_client/wake.h"
#include "fake_transport.h"
#include "tests/support/temp_dir.h"

namespace parc::agent {
namespace {

using parc::testing::TempDir;
using std::chrono::hours;
using std::chrono::milliseconds;
using testing::FakeTransport;

class FakeCollector final : public Collector {
 public:
  v1::StatusReport Collect() override {
    v1::StatusReport report;
    report.set_battery_percent(50);
    return report;
  }
};

class LoopTest : public ::testing::Test {
 protected:
  LoopTest() : state_(dir_.path()) {
    queue_ = std::move(*ReportQueue::Open(state_.queue_dir(), clock_, 10'000));
  }

  void Fill(int count) {
    for (int i = 0; i < count; ++i) {
      v1::Report report;
      report.mutable_usage()->set_employee_number("E" + std::to_string(i));
      ASSERT_TRUE(queue_->Append(std::move(report)));
    }
  }

  // Runs the loop until `done` holds (checked every few ms) or `limit` passes;
  // then stops it and lets io.run() return.
  void RunUntil(const std::function<bool()>& done, milliseconds limit = milliseconds(10'000)) {
    CheckInLoop loop(io_, {collector_, *queue_, transport_, state_, clock_, random_}, options_);
    boost::asio::steady_timer poll(io_);
    auto deadline = std::chrono::steady_clock::now() + limit;
    std::function<void()> check = [&] {
      if (done() || std::chrono::steady_clock::now() > deadline) return loop.Stop();
      poll.expires_after(milliseconds(2));
      poll.async_wait([&](boost::system::error_code) { check(); });
    };
    loop.Start();
    check();
    io_.run();
  }

  bool QueueEmpty() { return queue_->Stats()->length == 0; }

  TempDir dir_;
  StateDir state_;
  ManualClock clock_{1'780'000'000'000};
  std::unique_ptr<ReportQueue> queue_;
  FakeCollector collector_;
  FakeTransport transport_;
  SeededRandom random_{3};
  LoopOptions options_{hours(1), milliseconds(1), milliseconds(5), 500};
  boost::asio::io_context io_;
};

TEST_F(LoopTest, BacklogArrivesInOrderExactlyOnceAfterFailures) {
  options_.batch_size = 50;  // 500 in production (LoopOptions), smaller to keep the test fast
  Fill(120);
  transport_.failures_left = 4;
  RunUntil([&] { return transport_.stored.size() == 121 && QueueEmpty(); });
  std::vector<uint64_t> expected(121);  // the backlog and the first tick's status
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(transport_.stored, expected);
  EXPECT_EQ(transport_.calls, 4 + 3);
  EXPECT_EQ(transport_.batch_sizes, (std::vector<size_t>{50, 50, 21}));
  EXPECT_EQ(LoopOptions{}.batch_size, 500u);
  EXPECT_TRUE(state_.LoadLastCheckIn().ok);
}

TEST_F(LoopTest, FirstTickQueuesAStatusReportAndSendsIt) {
  RunUntil([&] { return !transport_.stored.empty() && QueueEmpty(); });
  ASSERT_EQ(transport_.stored, (std::vector<uint64_t>{1}));
  LastCheckIn last = state_.LoadLastCheckIn();
  EXPECT_TRUE(last.ok);
  EXPECT_EQ(last.at_ms, clock_.NowMs());
}

TEST_F(LoopTest, DroppedCountIsSentAndResetAfterAcknowledgement) {
  queue_ = std::move(*ReportQueue::Open(state_.queue_dir(), clock_, 3));
  Fill(5);  // 1 and 2 dropped
  RunUntil([&] { return !transport_.stored.empty() && QueueEmpty(); });
  ASSERT_FALSE(transport_.dropped_counts.empty());
  // The first tick's status pushed out one more: 3 dropped in all.
  EXPECT_EQ(transport_.dropped_counts.front(), 3u);
  EXPECT_EQ(queue_->Stats()->dropped, 0u);
}

TEST_F(LoopTest, ServerRetryHintBeatsALongBackoff) {
  options_.backoff_base = hours(1);
  options_.backoff_cap = hours(1);
  transport_.failures_left = 1;
  transport_.retry_after = std::chrono::seconds(0);
  RunUntil([&] { return transport_.calls >= 2 && QueueEmpty(); }, milliseconds(5'000));
  EXPECT_EQ(transport_.calls, 2);
  EXPECT_TRUE(QueueEmpty());
}

TEST_F(LoopTest, RevokedCredentialKeepsQueueingAndWaitsTheRefusedDelay) {
  // The transient-failure cap is 5 ms here: a refused credential must not use it.
  options_.refused_delay = hours(1);
  transport_.failures_left = 1'000;
  transport_.failure_code = ErrorCode::kUnauthenticated;
  Fill(2);
  RunUntil([] { return false; }, milliseconds(200));
  EXPECT_EQ(transport_.calls, 1);  // no retry before the refused delay
  EXPECT_EQ(queue_->Stats()->length, 3u);
  LastCheckIn last = state_.LoadLastCheckIn();
  EXPECT_FALSE(last.ok);
  EXPECT_NE(last.message.find("fake failure"), std::string::npos);
}

TEST_F(LoopTest, StopCancelsTheCallInFlightAndKeepsTheReports) {
  transport_.hold = true;
  RunUntil([&] { return transport_.calls == 1; });
  EXPECT_EQ(queue_->Stats()->length, 1u);  // io.run() returned: the stop was clean
}

}  // namespace
}  // namespace parc::agent

namespace parc::agent {
namespace {

TEST(WakeTest, TouchingTheWakeFileCallsBackOnTheLoop) {
  TempDir dir;
  boost::asio::io_context io;
  int wakes = 0;
  std::unique_ptr<WakeWatcher> watcher;
  auto watched = WakeWatcher::Watch(io, dir.path(), [&] {
    ++wakes;
    watcher->Stop();
  });
  ASSERT_TRUE(watched) << watched.error().message;
  watcher = std::move(*watched);
  dir.Write("other", "x");  // not the wake file
  TouchWakeFile(dir.path());
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(wakes, 1);
}

}  // namespace
}  // namespace parc::agent
