// A Transport that fails a given number of times and then acknowledges every
// request up to its last report, remembering what it stored. Replies are
// given synchronously, from inside CheckIn(), unless `hold` is set.
#pragma once

#include <deque>
#include <vector>

#include "agent_client/transport.h"

namespace parc::agent::testing {

class FakeTransport final : public Transport {
 public:
  int failures_left = 0;
  ErrorCode failure_code = ErrorCode::kUnavailable;
  std::optional<std::chrono::seconds> retry_after;
  bool hold = false;  // keep `done` until CancelAll()
  int next_interval_seconds = 0;

  int calls = 0;
  std::vector<uint64_t> stored;          // sequences, in the order received
  std::vector<uint64_t> dropped_counts;  // dropped_reports of each successful call
  std::vector<size_t> batch_sizes;

  Expected<v1::EnrollResponse> Enroll(const v1::EnrollRequest&) override {
    return Fail(ErrorCode::kUnimplemented, "fake");
  }

  void CheckIn(const v1::CheckInRequest& request, CheckInDone done) override {
    ++calls;
    if (hold) {
      held_.push_back(std::move(done));
      return;
    }
    if (failures_left > 0) {
      --failures_left;
      done({Fail(failure_code, "fake failure"), retry_after});
      return;
    }
    v1::CheckInResponse response;
    for (const auto& report : request.reports()) {
      stored.push_back(report.sequence());
      response.set_acknowledged_through(report.sequence());
    }
    dropped_counts.push_back(request.dropped_reports());
    batch_sizes.push_back(static_cast<size_t>(request.reports_size()));
    response.set_next_interval_seconds(next_interval_seconds);
    done({response, std::nullopt});
  }

  void CancelAll() override {
    for (auto& done : held_) done({Fail(ErrorCode::kUnavailable, "cancelled"), std::nullopt});
    held_.clear();
  }

 private:
  std::deque<CheckInDone> held_;
};

}  // namespace parc::agent::testing
