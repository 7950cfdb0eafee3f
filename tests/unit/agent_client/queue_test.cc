// The offline queue: durable, ordered, bounded, shared between processes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "agent_client/queue/report_queue.h"
#include "tests/support/temp_dir.h"

namespace parc::agent {
namespace {

using parc::testing::TempDir;

v1::Report Usage(const std::string& employee_number) {
  v1::Report report;
  report.mutable_usage()->set_employee_number(employee_number);
  report.mutable_usage()->set_login(true);
  return report;
}

class QueueTest : public ::testing::Test {
 protected:
  std::unique_ptr<ReportQueue> Open(uint64_t capacity = ReportQueue::kDefaultCapacity) {
    auto queue = ReportQueue::Open(dir_.path() / "queue", clock_, capacity);
    EXPECT_TRUE(queue.has_value()) << queue.error().message;
    return std::move(*queue);
  }
  static std::vector<uint64_t> Sequences(ReportQueue& queue) {
    std::vector<uint64_t> sequences;
    auto reports =
        queue.Peek(1000);  // kept alive: a range-for over .value() of a temporary dangles
    for (const auto& report : reports.value()) sequences.push_back(report.sequence());
    return sequences;
  }

  TempDir dir_;
  ManualClock clock_{1'780'000'000'123};
};

TEST_F(QueueTest, AppendStampsSequenceAndTime) {
  auto queue = Open();
  EXPECT_EQ(queue->Append(Usage("E1")).value(), 1u);
  EXPECT_EQ(queue->Append(Usage("E2")).value(), 2u);
  auto reports = queue->Peek(10).value();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].usage().employee_number(), "E1");
  EXPECT_EQ(reports[0].collected_at().seconds(), 1'780'000'000);
  EXPECT_EQ(reports[0].collected_at().nanos(), 123'000'000);
}

TEST_F(QueueTest, SequenceIncreasesAcrossReopensEvenWhenEmpty) {
  {
    auto queue = Open();
    queue->Append(Usage("E1")).value();
    queue->Append(Usage("E2")).value();
    ASSERT_TRUE(queue->Acknowledge(2, 0));
  }
  auto queue = Open();
  EXPECT_EQ(queue->Stats()->length, 0u);
  EXPECT_EQ(queue->Append(Usage("E3")).value(), 3u);
}

TEST_F(QueueTest, ReportsSurviveKillNine) {
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto queue = ReportQueue::Open(dir_.path() / "queue", clock_);
    for (int i = 0; i < 3; ++i) {
      if (!queue || !(*queue)->Append(Usage("E"))) ::_exit(1);
    }
    ::raise(SIGKILL);  // no destructor, no flush, no clean close
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  auto queue = Open();
  EXPECT_EQ(Sequences(*queue), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(queue->Append(Usage("E")).value(), 4u);
}

TEST_F(QueueTest, LeftoverTempFilesAndLostCounterNeverReuseASequence) {
  {
    auto queue = Open();
    for (int i = 0; i < 3; ++i) queue->Append(Usage("E")).value();
  }
  // A crash after the report was written but with the counter lost.
  std::filesystem::remove(dir_.path() / "queue/next_sequence");
  dir_.Write("queue/00000000000000000009.pb.tmp", "torn");
  auto queue = Open();
  EXPECT_EQ(Sequences(*queue), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(queue->Append(Usage("E")).value(), 4u);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "queue/00000000000000000009.pb.tmp"));
}

TEST_F(QueueTest, AcknowledgeRemovesOnlyThroughTheAcknowledgedSequence) {
  auto queue = Open();
  for (int i = 0; i < 5; ++i) queue->Append(Usage("E")).value();
  ASSERT_TRUE(queue->Acknowledge(3, 0));
  EXPECT_EQ(Sequences(*queue), (std::vector<uint64_t>{4, 5}));
  ASSERT_TRUE(queue->Acknowledge(0, 0));  // nothing new acknowledged
  EXPECT_EQ(Sequences(*queue), (std::vector<uint64_t>{4, 5}));
}

TEST_F(QueueTest, PeekReturnsOldestFirstUpToMax) {
  auto queue = Open();
  for (int i = 0; i < 7; ++i) queue->Append(Usage("E")).value();
  auto reports = queue->Peek(3).value();
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0].sequence(), 1u);
  EXPECT_EQ(reports[2].sequence(), 3u);
}

TEST_F(QueueTest, FullQueueDropsOldestAndCountsThem) {
  auto queue = Open(3);
  for (int i = 0; i < 5; ++i) queue->Append(Usage("E")).value();
  EXPECT_EQ(Sequences(*queue), (std::vector<uint64_t>{3, 4, 5}));
  auto stats = queue->Stats().value();
  EXPECT_EQ(stats.length, 3u);
  EXPECT_EQ(stats.dropped, 2u);
  EXPECT_EQ(stats.next_sequence, 6u);
}

TEST_F(QueueTest, DroppedCountIsResetOnlyByTheAcknowledgementThatCarriedIt) {
  auto queue = Open(2);
  for (int i = 0; i < 4; ++i) queue->Append(Usage("E")).value();
  ASSERT_EQ(queue->Stats()->dropped, 2u);
  // A check-in carrying dropped=2 is in flight; meanwhile one more is dropped.
  queue->Append(Usage("E")).value();
  ASSERT_EQ(queue->Stats()->dropped, 3u);
  ASSERT_TRUE(queue->Acknowledge(4, 2));
  EXPECT_EQ(queue->Stats()->dropped, 1u);
  ASSERT_TRUE(queue->Acknowledge(5, 1));
  EXPECT_EQ(queue->Stats()->dropped, 0u);
  EXPECT_EQ(queue->Stats()->length, 0u);
}

TEST_F(QueueTest, CorruptReportIsDroppedAndCountedNotBlocking) {
  auto queue = Open();
  for (int i = 0; i < 3; ++i) queue->Append(Usage("E")).value();
  dir_.Write("queue/00000000000000000002.pb", "\xff\xff\xff garbage");
  EXPECT_EQ(Sequences(*queue), (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(queue->Stats()->dropped, 1u);
}

TEST_F(QueueTest, TwoHandlesOnOneDirectoryShareSequences) {
  auto agent = Open();
  auto login = Open();
  EXPECT_EQ(agent->Append(Usage("E")).value(), 1u);
  EXPECT_EQ(login->Append(Usage("E")).value(), 2u);
  EXPECT_EQ(agent->Append(Usage("E")).value(), 3u);
  EXPECT_EQ(Sequences(*agent), (std::vector<uint64_t>{1, 2, 3}));
}

TEST_F(QueueTest, ReportFilesAreNotReadableByOthers) {
  auto queue = Open();
  queue->Append(Usage("E")).value();
  auto perms = std::filesystem::status(dir_.path() / "queue/00000000000000000001.pb").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
}

}  // namespace
}  // namespace parc::agent
