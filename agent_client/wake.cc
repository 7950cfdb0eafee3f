#include "agent_client/wake.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace parc::agent {

void TouchWakeFile(const std::filesystem::path& dir) {
  int fd = ::open((dir / kWakeFile).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
}

Expected<std::unique_ptr<WakeWatcher>> WakeWatcher::Watch(boost::asio::io_context& io,
                                                          const std::filesystem::path& dir,
                                                          std::function<void()> on_wake) {
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kInternal, fmt::format("inotify: {}", std::strerror(errno)));
  if (::inotify_add_watch(fd, dir.c_str(), IN_CLOSE_WRITE) < 0) {
    int saved = errno;
    ::close(fd);
    return Fail(ErrorCode::kInternal,
                fmt::format("inotify watch {}: {}", dir.string(), std::strerror(saved)));
  }
  std::unique_ptr<WakeWatcher> watcher(new WakeWatcher(io, fd, std::move(on_wake)));
  watcher->Read();
  return watcher;
}

void WakeWatcher::Stop() {
  on_wake_ = nullptr;
  boost::system::error_code ignored;
  stream_.cancel(ignored);
}

void WakeWatcher::Read() {
  stream_.async_read_some(
      boost::asio::buffer(buffer_), [this](boost::system::error_code ec, size_t size) {
        if (ec || !on_wake_) return;
        bool wake = false;
        for (size_t offset = 0; offset + sizeof(inotify_event) <= size;) {
          const auto* event = reinterpret_cast<const inotify_event*>(buffer_ + offset);
          if (event->len > 0 && std::string_view(event->name) == kWakeFile) wake = true;
          offset += sizeof(inotify_event) + event->len;
        }
        if (wake) {
          auto on_wake = on_wake_;  // the callback may Stop() us
          on_wake();
        }
        if (on_wake_) Read();
      });
}

}  // namespace parc::agent
