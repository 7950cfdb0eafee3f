#include "daemon/test_clock.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cctype>
#include <charconv>

#include "common/logging.h"

namespace parc {

std::optional<int64_t> ParseClockOffset(std::string_view text) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  if (text.empty()) return 0;
  if (text.front() == '+') text.remove_prefix(1);
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  // A century either way is plenty for a test, and keeps NowMs from overflowing.
  constexpr int64_t kCentury = int64_t{100} * 366 * 86400;
  if (seconds > kCentury || seconds < -kCentury) return std::nullopt;
  return seconds;
}

int64_t TestClock::OffsetSeconds() const {
  // A plain read(2): this runs on every clock reading, from any thread.
  char buffer[64];
  ssize_t n = 0;
  if (int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    n = ::read(fd, buffer, sizeof buffer);
    ::close(fd);
  }
  std::optional<int64_t> offset = ParseClockOffset(std::string_view(buffer, n > 0 ? n : 0));
  static const auto log = Logger("main");
  if (!offset) {
    if (!said_unreadable_.exchange(true)) {
      log->warn("test clock: {} does not hold a number of seconds; offset_s=0", path_);
    }
    offset = 0;
  } else {
    said_unreadable_.store(false);
  }
  if (last_offset_s_.exchange(*offset) != *offset) {
    log->warn("test clock moved offset_s={} file={} (for tests only)", *offset, path_);
  }
  return *offset;
}

int64_t TestClock::NowMs() const { return system_.NowMs() + OffsetSeconds() * 1000; }

}  // namespace parc
