#include "daemon/checkin/retention.h"

#include <spdlog/spdlog.h>

#include "common/logging.h"

namespace parc::checkin {

RetentionJob::RetentionJob(boost::asio::io_context& io, store::Store& store, const Clock& clock,
                           const Options& options)
    : store_(store), clock_(clock), options_(options), timer_(io) {}

RetentionJob::~RetentionJob() {
  alive_.reset();
  timer_.cancel();
}

void RetentionJob::Start() { Schedule(options_.first_delay); }

void RetentionJob::Schedule(std::chrono::milliseconds delay) {
  timer_.expires_after(delay);
  std::weak_ptr<RetentionJob*> alive = alive_;
  timer_.async_wait([alive](const boost::system::error_code& ec) {
    auto self = alive.lock();
    if (ec || !self) return;  // cancelled, or the job is gone
    (*self)->RunOnce();
  });
}

void RetentionJob::RunOnce() {
  static const auto log = Logger("retention");
  int64_t before_ms = clock_.NowMs() - options_.retention_days * 24 * 3600 * 1000;
  auto pruned = store_.PruneReports(before_ms);
  ++runs_;
  if (pruned) {
    log->info("pruned reports={} retention_days={}", *pruned, options_.retention_days);
  } else {
    log->warn("prune failed error=\"{}\"", pruned.error().message);
  }
  Schedule(options_.period);
}

}  // namespace parc::checkin
