// The agent's event loop: one Asio io_context, one thread. A check-in timer
// collects a status report every interval and queues it; the backlog is then
// sent oldest first in batches; after a failure a backoff timer retries the
// send while the check-in timer keeps queueing. Everything runs on the
// io_context's thread; transport replies are posted back to it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "agent_client/backoff.h"
#include "agent_client/collect/collector.h"
#include "agent_client/queue/report_queue.h"
#include "agent_client/state.h"
#include "agent_client/transport.h"
#include "common/clock.h"

namespace parc::agent {

struct LoopOptions {
  Millis default_interval = std::chrono::seconds(300);  // until the server says otherwise
  // A failed check-in is retried after BackoffDelay(failures, base, cap): full
  // jitter, so a fleet that lost its server together comes back spread over
  // the cap. The cap bounds how late a device delivers its queue once the
  // server is back: at most the cap after the gRPC channel reconnected
  // (GrpcTransport's reconnect backoff, at most ~6 s), so ~14 s in all.
  Millis backoff_base = std::chrono::seconds(1);
  Millis backoff_cap = std::chrono::seconds(8);
  size_t batch_size = 500;  // reports per CheckIn, the server's limit
  // A refused credential (revoked device) waits this long, jittered ±10%:
  // retrying cannot fix it, and a revoked fleet must not hammer the server.
  Millis refused_delay = std::chrono::minutes(15);
};

// Borrowed; each must outlive the loop.
struct LoopWorld {
  Collector& collector;
  ReportQueue& queue;
  Transport& transport;
  const StateDir& state;  // last check-in result, current user
  Clock& clock;
  Random& random;
};

class CheckInLoop {
 public:
  CheckInLoop(boost::asio::io_context& io, LoopWorld world, LoopOptions options = {});
  ~CheckInLoop();
  CheckInLoop(const CheckInLoop&) = delete;
  CheckInLoop& operator=(const CheckInLoop&) = delete;

  // The first check-in happens at once.
  void Start();
  // Cancels the timers and the call in flight; io.run() returns once the
  // cancelled call came back. Reports stay queued for the next start.
  void Stop();
  // Sends the backlog now, unless a send is in flight or backing off (a login
  // from another process queued a usage report).
  void SendSoon();
  // `hook` runs once in Stop(), so that other watchers on the loop stop too.
  void OnStop(std::function<void()> hook) { on_stop_ = std::move(hook); }
  // `hook` runs on the loop's thread after each successful check-in, with the
  // reply (content revision for the background threads). Must not block.
  void OnCheckIn(std::function<void(const v1::CheckInResponse&)> hook) {
    on_checkin_ = std::move(hook);
  }

 private:
  void Tick();
  void ScheduleTick(Millis delay);
  void SendBacklog();
  void OnReply(uint64_t last_sent, uint64_t dropped_sent, CheckInReply reply);
  void OnSuccess(uint64_t last_sent, uint64_t dropped_sent, const v1::CheckInResponse& response);
  void OnFailure(const Error& error, std::optional<std::chrono::seconds> retry_after);
  void Record(bool ok, const std::string& message);

  boost::asio::io_context& io_;
  LoopWorld world_;
  LoopOptions options_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer backoff_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // replies check it
  Millis interval_;
  int failures_ = 0;  // in a row
  bool in_flight_ = false;
  bool backing_off_ = false;
  bool stopped_ = false;
  std::function<void()> on_stop_;
  std::function<void(const v1::CheckInResponse&)> on_checkin_;
};

// Runs `io` until SIGTERM or SIGINT, which stop `loop` cleanly.
void RunUntilSignal(boost::asio::io_context& io, CheckInLoop& loop);

}  // namespace parc::agent
