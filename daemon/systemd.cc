#include "daemon/systemd.h"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "common/logging.h"

namespace parc::systemd {
namespace {

void Ping(std::shared_ptr<boost::asio::steady_timer> timer, std::chrono::microseconds every) {
  sd_notify(0, "WATCHDOG=1");
  timer->expires_after(every);
  timer->async_wait([timer, every](const boost::system::error_code& ec) {
    if (!ec) Ping(timer, every);
  });
}

}  // namespace

void NotifyReady(std::string_view status) {
  std::string message = "READY=1\nSTATUS=" + std::string(status);
  sd_notify(0, message.c_str());
}

void NotifyStopping() { sd_notify(0, "STOPPING=1\nSTATUS=stopping"); }

void StartWatchdog(boost::asio::io_context& io) {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
  auto every = std::chrono::microseconds(usec / 2);
  Logger("main")->info("systemd watchdog every_ms={}", every.count() / 1000);
  Ping(std::make_shared<boost::asio::steady_timer>(io), every);
}

}  // namespace parc::systemd
