// parcd under systemd (deploy/parcd.service: Type=notify; sd_notify(3) from
// libsystemd): READY=1 once both listeners serve, STOPPING=1 when a signal
// starts the shutdown, and WATCHDOG=1 from the daemon's Asio loop every half
// of the unit's WatchdogSec, so that a loop that stops turning gets parcd
// restarted. Each call does nothing when systemd did not start parcd (no
// NOTIFY_SOCKET, no WATCHDOG_USEC).
#pragma once

#include <boost/asio/io_context.hpp>
#include <string_view>

namespace parc::systemd {

// `status` is shown by `systemctl status parcd`.
void NotifyReady(std::string_view status);
void NotifyStopping();

// Pings the watchdog from `io` until `io` stops, if the unit asked for it.
void StartWatchdog(boost::asio::io_context& io);

}  // namespace parc::systemd
