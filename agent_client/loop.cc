#include "agent_client/loop.h"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "common/logging.h"

namespace parc::agent {
namespace {

std::shared_ptr<spdlog::logger> Log() { return Logger("agent"); }

}  // namespace

CheckInLoop::CheckInLoop(boost::asio::io_context& io, LoopWorld world, LoopOptions options)
    : io_(io),
      world_(world),
      options_(options),
      tick_timer_(io),
      backoff_timer_(io),
      interval_(options.default_interval) {}

CheckInLoop::~CheckInLoop() { *alive_ = false; }

void CheckInLoop::Start() {
  stopped_ = false;
  ScheduleTick(Millis(0));
}

void CheckInLoop::Stop() {
  if (stopped_) return;
  stopped_ = true;
  tick_timer_.cancel();
  backoff_timer_.cancel();
  world_.transport.CancelAll();
  if (on_stop_) on_stop_();
  Log()->info("stopping in_flight={}", in_flight_);
}

void CheckInLoop::SendSoon() {
  if (!stopped_ && !in_flight_ && !backing_off_) SendBacklog();
}

void CheckInLoop::ScheduleTick(Millis delay) {
  tick_timer_.expires_after(delay);
  tick_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    if (ec || alive.expired() || stopped_) return;
    Tick();
  });
}

void CheckInLoop::Tick() {
  ScheduleTick(JitteredInterval(interval_, world_.random));
  v1::Report report;
  *report.mutable_status() = world_.collector.Collect();
  report.mutable_status()->set_current_user(world_.state.LoadCurrentUser().value_or(""));
  auto sequence = world_.queue.Append(std::move(report));
  if (!sequence) {
    Log()->error("queue append failed error={}", sequence.error().message);
  }
  if (!in_flight_ && !backing_off_) SendBacklog();
}

void CheckInLoop::SendBacklog() {
  auto reports = world_.queue.Peek(options_.batch_size);
  auto stats = world_.queue.Stats();
  if (!reports || !stats) {
    const Error& error = !reports ? reports.error() : stats.error();
    Log()->error("queue read failed error={}", error.message);
    return;
  }
  if (reports->empty() && stats->dropped == 0) return;
  v1::CheckInRequest request;
  uint64_t last_sent = 0;
  for (auto& report : *reports) {
    last_sent = report.sequence();
    *request.add_reports() = std::move(report);
  }
  request.set_dropped_reports(stats->dropped);
  in_flight_ = true;
  // The work guard keeps io.run() going until the reply is back, even after
  // Stop() cancelled every timer.
  auto work = boost::asio::make_work_guard(io_);
  world_.transport.CheckIn(request, [this, &io = io_, work, alive = std::weak_ptr<bool>(alive_),
                                     last_sent, dropped = stats->dropped](CheckInReply reply) {
    boost::asio::post(io,
                      [this, work, alive, last_sent, dropped, reply = std::move(reply)]() mutable {
                        if (alive.expired()) return;
                        OnReply(last_sent, dropped, std::move(reply));
                      });
  });
}

void CheckInLoop::OnReply(uint64_t last_sent, uint64_t dropped_sent, CheckInReply reply) {
  in_flight_ = false;
  if (!reply.response) return OnFailure(reply.response.error(), reply.retry_after);
  OnSuccess(last_sent, dropped_sent, *reply.response);
}

void CheckInLoop::OnSuccess(uint64_t last_sent, uint64_t dropped_sent,
                            const v1::CheckInResponse& response) {
  uint64_t through = response.acknowledged_through();
  if (auto acked = world_.queue.Acknowledge(through, dropped_sent); !acked) {
    Log()->error("queue acknowledge failed through={} error={}", through, acked.error().message);
  }
  failures_ = 0;
  Record(true, "");
  Log()->info("checkin ok last_sent={} acknowledged_through={} dropped_sent={} next_interval={}",
              last_sent, through, dropped_sent, response.next_interval_seconds());
  if (on_checkin_) on_checkin_(response);
  if (response.next_interval_seconds() > 0 &&
      Millis(std::chrono::seconds(response.next_interval_seconds())) != interval_) {
    interval_ = std::chrono::seconds(response.next_interval_seconds());
    if (!stopped_) ScheduleTick(JitteredInterval(interval_, world_.random));
  }
  if (stopped_) return;
  if (through < last_sent) {
    Log()->warn("server acknowledged less than sent last_sent={} acknowledged_through={}",
                last_sent, through);
    return;  // the next tick sends the rest again
  }
  SendBacklog();  // the next batch, if any
}

void CheckInLoop::OnFailure(const Error& error, std::optional<std::chrono::seconds> retry_after) {
  ++failures_;
  Record(false, error.message);
  if (stopped_) return;
  Millis delay;
  if (error.code == ErrorCode::kUnauthenticated) {
    // Revoked or unknown device: keep queueing, but do not hammer the server.
    delay = JitteredInterval(options_.refused_delay, world_.random);
    Log()->error("device credential refused (revoked?); queueing, retry_in_ms={} error={}",
                 delay.count(), error.message);
  } else {
    if (retry_after) {
      delay = *retry_after;  // the server knows best when it can take us again
    } else if (error.code == ErrorCode::kResourceExhausted) {
      delay = JitteredInterval(interval_, world_.random);
    } else {
      delay = BackoffDelay(failures_, options_.backoff_base, options_.backoff_cap, world_.random);
    }
    Log()->warn("checkin failed attempt={} retry_in_ms={} error={}", failures_, delay.count(),
                error.message);
  }
  backing_off_ = true;
  backoff_timer_.expires_after(delay);
  backoff_timer_.async_wait(
      [this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
        if (ec || alive.expired() || stopped_) return;
        backing_off_ = false;
        SendBacklog();
      });
}

void CheckInLoop::Record(bool ok, const std::string& message) {
  if (auto saved = world_.state.SaveLastCheckIn({world_.clock.NowMs(), ok, message}); !saved) {
    Log()->warn("cannot record last check-in error={}", saved.error().message);
  }
}

void RunUntilSignal(boost::asio::io_context& io, CheckInLoop& loop) {
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&loop](boost::system::error_code ec, int signal) {
    if (ec) return;
    Logger("agent")->info("signal={} received", signal);
    loop.Stop();
  });
  loop.Start();
  io.run();
}

}  // namespace parc::agent
