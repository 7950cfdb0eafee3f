#include "daemon/checkin/pipeline.h"

#include <gtest/gtest.h>

#include <future>
#include <memory>

#include "tests/unit/daemon/checkin/fake_store.h"

namespace parc::checkin {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  // A call of `reports` reports with sequences 1..reports; its outcome lands
  // in the returned future.
  std::future<Expected<uint64_t>> Submit(Pipeline& pipeline, int device, int reports,
                                         Status* queued = nullptr) {
    auto request = std::make_shared<v1::CheckInRequest>();
    for (int i = 1; i <= reports; ++i) request->add_reports()->set_sequence(i);
    auto promise = std::make_shared<std::promise<Expected<uint64_t>>>();
    auto future = promise->get_future();
    Status status =
        pipeline.Submit({.device_id = device,
                         .request = request.get(),
                         .done = [request, promise](const Expected<uint64_t>& ack, int64_t) {
                           promise->set_value(ack);
                         }});
    if (queued) *queued = status;
    EXPECT_TRUE(queued || status) << status.error().message;
    return future;
  }

  testing::FakeStore store_;
  ManualClock clock_{1'780'000'000'000};
};

TEST_F(PipelineTest, CallsQueuedDuringACommitShareTheNextOne) {
  Pipeline pipeline(store_, clock_, {});
  store_.Hold(true);
  auto first = Submit(pipeline, 1, 1);
  store_.AwaitEntered(1);  // the writer is busy with the first call
  std::vector<std::future<Expected<uint64_t>>> rest;
  for (int d = 2; d <= 20; ++d) rest.push_back(Submit(pipeline, d, 3));
  store_.Hold(false);
  EXPECT_EQ(first.get().value(), 1u);
  for (auto& f : rest) EXPECT_EQ(f.get().value(), 3u);
  EXPECT_EQ(store_.batch_sizes(), (std::vector<size_t>{1, 19}));
  auto counters = pipeline.counters();
  EXPECT_EQ(counters.batches, 2u);
  EXPECT_EQ(counters.calls, 20u);
  EXPECT_EQ(counters.reports, 1u + 19 * 3);
}

TEST_F(PipelineTest, BatchesStopAtTheReportLimitWithoutSplittingACall) {
  Pipeline pipeline(store_, clock_, {.max_batch_reports = 10, .max_queued_reports = 1000});
  store_.Hold(true);
  auto first = Submit(pipeline, 1, 1);
  store_.AwaitEntered(1);
  std::vector<std::future<Expected<uint64_t>>> rest;
  for (int d = 2; d <= 6; ++d) rest.push_back(Submit(pipeline, d, 4));
  rest.push_back(Submit(pipeline, 7, 25));  // larger than a batch: alone
  store_.Hold(false);
  for (auto& f : rest) EXPECT_TRUE(f.get().has_value());
  EXPECT_EQ(store_.batch_sizes(), (std::vector<size_t>{1, 2, 2, 1, 1}));
}

TEST_F(PipelineTest, AFailedCommitFailsEveryCallOfItsBatchWithUnavailable) {
  Pipeline pipeline(store_, clock_, {});
  store_.Hold(true);
  auto first = Submit(pipeline, 1, 1);
  store_.AwaitEntered(1);
  auto second = Submit(pipeline, 2, 1);
  auto third = Submit(pipeline, 3, 1);
  store_.FailCommits(true);
  store_.Hold(false);
  for (auto* f : {&first, &second, &third}) {
    auto result = f->get();
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  }
  EXPECT_EQ(pipeline.counters().failed_batches, 2u);
  EXPECT_EQ(pipeline.counters().reports, 0u);
}

TEST_F(PipelineTest, AFullQueueRefusesWithResourceExhausted) {
  Pipeline pipeline(store_, clock_, {.max_batch_reports = 100, .max_queued_reports = 10});
  store_.Hold(true);
  auto first = Submit(pipeline, 1, 1);
  store_.AwaitEntered(1);
  auto queued = Submit(pipeline, 2, 8);
  Status refused;
  Submit(pipeline, 3, 5, &refused);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(pipeline.counters().rejected_full, 1u);
  store_.Hold(false);
  EXPECT_TRUE(queued.get().has_value());
}

// The writer does not wait for a batch's answers (gRPC sends) before storing
// the next one: here the first call's answer is held until the second batch
// has reached the store. Were answers on the writer thread, this would hang.
TEST_F(PipelineTest, TheNextBatchIsStoredWhileThePreviousIsBeingAnswered) {
  Pipeline pipeline(store_, clock_, {});
  auto request = std::make_shared<v1::CheckInRequest>();
  request->add_reports()->set_sequence(7);
  std::promise<void> answering, release;
  std::promise<Expected<uint64_t>> first;
  ASSERT_TRUE(pipeline.Submit({.device_id = 1,
                               .request = request.get(),
                               .done = [&](const Expected<uint64_t>& ack, int64_t) {
                                 answering.set_value();
                                 release.get_future().wait();
                                 first.set_value(ack);
                               }}));
  answering.get_future().wait();
  auto second = Submit(pipeline, 2, 2);
  store_.AwaitEntered(2);  // stored while the first answer is still held
  release.set_value();
  EXPECT_EQ(first.get_future().get().value(), 7u);
  EXPECT_EQ(second.get().value(), 2u);
  EXPECT_EQ(store_.batch_sizes(), (std::vector<size_t>{1, 1}));
}

TEST_F(PipelineTest, StopAnswersEverythingQueuedThenRefuses) {
  Pipeline pipeline(store_, clock_, {});
  store_.Hold(true);
  auto first = Submit(pipeline, 1, 1);
  store_.AwaitEntered(1);
  auto second = Submit(pipeline, 2, 2);
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    store_.Hold(false);
  });
  pipeline.Stop();
  releaser.join();
  EXPECT_EQ(first.get().value(), 1u);
  EXPECT_EQ(second.get().value(), 2u);
  Status refused;
  Submit(pipeline, 3, 1, &refused);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace parc::checkin
