// Retention of check-in history: a steady timer on parcd's Asio loop deletes
// reports older than the retention period, shortly after start and then every
// period. Latest-status rows and usage sessions are kept (Store::PruneReports).
//
// Thread safety: runs on the io_context's thread. Construct, Start and destroy
// it on that thread or while the loop is not running; a timer that fires after
// the job was destroyed does nothing.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

#include "common/clock.h"
#include "daemon/store/store.h"

namespace parc::checkin {

class RetentionJob {
 public:
  struct Options {
    int64_t retention_days = 90;
    std::chrono::milliseconds first_delay = std::chrono::minutes(1);
    std::chrono::milliseconds period = std::chrono::hours(1);
  };

  // Borrows all three; they must outlive the job.
  RetentionJob(boost::asio::io_context& io, store::Store& store, const Clock& clock,
               const Options& options);
  ~RetentionJob();
  RetentionJob(const RetentionJob&) = delete;
  RetentionJob& operator=(const RetentionJob&) = delete;

  // Arms the first run after options.first_delay.
  void Start();

  // Completed prunes (successful or not), for tests.
  int runs() const { return runs_; }

 private:
  void Schedule(std::chrono::milliseconds delay);
  void RunOnce();

  store::Store& store_;
  const Clock& clock_;
  const Options options_;
  boost::asio::steady_timer timer_;
  int runs_ = 0;
  // Handlers hold a weak_ptr to this: expired means the job is gone.
  std::shared_ptr<RetentionJob*> alive_ = std::make_shared<RetentionJob*>(this);
};

}  // namespace parc::checkin
