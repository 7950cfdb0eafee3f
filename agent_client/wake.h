// An early check-in on demand: `parc-agent login` touches state_dir/wake, and
// the running agent, watching the directory with inotify on its own loop,
// sends the backlog at once instead of at the next tick. Best effort: without
// inotify the report simply goes with the next check-in.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <filesystem>
#include <functional>
#include <memory>

#include "common/error.h"

namespace parc::agent {

inline constexpr std::string_view kWakeFile = "wake";

// Touches dir/wake (no fsync: losing a wake-up only delays a check-in).
void TouchWakeFile(const std::filesystem::path& dir);

class WakeWatcher {
 public:
  // Calls `on_wake` on `io`'s thread each time dir/wake is written. Fails when
  // inotify is not available.
  static Expected<std::unique_ptr<WakeWatcher>> Watch(boost::asio::io_context& io,
                                                      const std::filesystem::path& dir,
                                                      std::function<void()> on_wake);
  void Stop();  // pending reads are cancelled; no callback after it

 private:
  WakeWatcher(boost::asio::io_context& io, int fd, std::function<void()> on_wake)
      : stream_(io, fd), on_wake_(std::move(on_wake)) {}
  void Read();

  boost::asio::posix::stream_descriptor stream_;
  std::function<void()> on_wake_;
  alignas(8) char buffer_[4096];
};

}  // namespace parc::agent
