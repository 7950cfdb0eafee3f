#include "daemon/checkin/pipeline.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unordered_map>

#include "common/logging.h"
#include "daemon/domain/training.h"

namespace parc::checkin {
namespace {

size_t ReportCount(const Pipeline::Call& call) {
  return static_cast<size_t>(call.request->reports_size());
}

// Whether storing this call needs to know who holds the device (usage events
// are flagged when someone other than the holder logs in).
bool NeedsHolder(const v1::CheckInRequest& request) {
  for (const auto& report : request.reports()) {
    if (report.has_usage() || !report.status().current_user().empty()) return true;
  }
  return false;
}

}  // namespace

Pipeline::Pipeline(store::Store& store, const Clock& clock, const PipelineOptions& options)
    : store_(store),
      clock_(clock),
      options_(options),
      answerer_([this] { Answer(); }),
      writer_([this] { Run(); }) {}

Pipeline::~Pipeline() { Stop(); }

Status Pipeline::Submit(Call call) {
  size_t reports = ReportCount(call);
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Fail(ErrorCode::kUnavailable, "server is stopping; retry later");
    if (!queue_.empty() && queued_reports_ + reports > options_.max_queued_reports) {
      ++rejected_full_;
      return Fail(
          ErrorCode::kResourceExhausted,
          fmt::format("check-in queue full ({} reports waiting); retry later", queued_reports_));
    }
    queued_reports_ += reports;
    call.submitted = std::chrono::steady_clock::now();
    queue_.push_back(std::move(call));
  }
  wake_.notify_one();
  return Ok();
}

void Pipeline::Stop() {
  std::call_once(stop_once_, [this] {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (writer_.joinable()) writer_.join();  // it tells the answerer when done
    if (answerer_.joinable()) answerer_.join();
  });
}

PipelineCounters Pipeline::counters() const {
  return {.batches = batches_.load(),
          .failed_batches = failed_batches_.load(),
          .calls = calls_.load(),
          .reports = reports_.load(),
          .rejected_full = rejected_full_.load(),
          .latency = latency_.Take()};
}

void Pipeline::Run() {
  for (;;) {
    std::vector<Call> batch = TakeBatch();
    if (batch.empty()) break;  // stopping and drained
    Outcome outcome = Process(std::move(batch));
    std::unique_lock lock(answer_mu_);
    answer_space_.wait(lock, [this] { return outcomes_.size() < kMaxUnansweredBatches; });
    outcomes_.push_back(std::move(outcome));
    lock.unlock();
    answer_wake_.notify_one();
  }
  {
    std::lock_guard lock(answer_mu_);
    writer_done_ = true;
  }
  answer_wake_.notify_one();
}

// The answering thread: every committed batch's answers, in commit order.
void Pipeline::Answer() {
  for (;;) {
    Outcome outcome;
    {
      std::unique_lock lock(answer_mu_);
      answer_wake_.wait(lock, [this] { return writer_done_ || !outcomes_.empty(); });
      if (outcomes_.empty()) return;  // the writer ended and everything is answered
      outcome = std::move(outcomes_.front());
      outcomes_.pop_front();
    }
    answer_space_.notify_one();
    Deliver(outcome);
  }
}

// Waits for work, then takes calls from the front of the queue until the
// batch limit (at least one call). Empty only when stopping with nothing left.
std::vector<Pipeline::Call> Pipeline::TakeBatch() {
  std::vector<Call> batch;
  std::unique_lock lock(mu_);
  wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
  size_t reports = 0;
  while (!queue_.empty()) {
    size_t next = ReportCount(queue_.front());
    if (!batch.empty() && reports + next > options_.max_batch_reports) break;
    reports += next;
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  queued_reports_ -= reports;
  return batch;
}

Status Pipeline::FillHolders(std::vector<store::DeviceReports>& entries) {
  std::vector<size_t> need;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (NeedsHolder(*entries[i].request)) need.push_back(i);
  }
  if (need.empty()) return Ok();
  return store_.Read([&](store::Reader& r) -> Status {
    std::unordered_map<int64_t, std::string> holders;
    for (size_t i : need) {
      int64_t id = entries[i].device_id;
      auto it = holders.find(id);
      if (it == holders.end()) {
        PARC_ASSIGN_OR_RETURN(std::string holder, domain::HolderOf(r, id));
        it = holders.emplace(id, std::move(holder)).first;
      }
      entries[i].holder_employee_number = it->second;
    }
    return Ok();
  });
}

// Stores the batch (the writer thread's only work) and says how it went.
Pipeline::Outcome Pipeline::Process(std::vector<Call> batch) {
  static const auto log = Logger("checkin");
  std::vector<store::DeviceReports> entries;
  entries.reserve(batch.size());
  size_t reports = 0;
  for (const Call& call : batch) {
    entries.push_back({.device_id = call.device_id, .request = call.request});
    reports += ReportCount(call);
  }
  Outcome outcome{.batch = std::move(batch), .stored = {}, .now_ms = clock_.NowMs()};
  Expected<std::vector<uint64_t>>& stored = outcome.stored;
  if (Status holders = FillHolders(entries); holders) {
    stored = store_.RecordReports(entries, outcome.now_ms);
  } else {
    stored = std::unexpected(holders.error());
  }
  ++batches_;
  if (stored && stored->size() != outcome.batch.size()) {
    stored = Fail(ErrorCode::kInternal, "store answered for a different number of calls");
  }
  if (!stored) {
    ++failed_batches_;
    log->warn("batch failed calls={} reports={} error=\"{}\"", outcome.batch.size(), reports,
              stored.error().message);
  } else {
    reports_ += reports;
    log->debug("batch stored calls={} reports={}", outcome.batch.size(), reports);
  }
  return outcome;
}

// Answers every call of a processed batch (on the answering thread).
void Pipeline::Deliver(Outcome& outcome) {
  std::vector<Call>& batch = outcome.batch;
  calls_ += batch.size();  // counted before answering, so callers see them
  if (!outcome.stored) {
    Expected<uint64_t> error = Fail(ErrorCode::kUnavailable,
                                    "could not store check-ins: " + outcome.stored.error().message);
    for (Call& call : batch) call.done(error, outcome.now_ms);
  } else {
    for (size_t i = 0; i < batch.size(); ++i) batch[i].done((*outcome.stored)[i], outcome.now_ms);
  }
  ObserveLatency(batch);
}

void Pipeline::ObserveLatency(const std::vector<Call>& batch) {
  auto answered = std::chrono::steady_clock::now();
  for (const Call& call : batch) latency_.Observe(answered - call.submitted);
}

}  // namespace parc::checkin
