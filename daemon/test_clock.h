// A clock a test moves from outside parcd (config key test_clock_file): the
// system clock plus a number of seconds read from a file at every reading, so
// that a browser test can lend a device until a date and then see the loan
// overdue without waiting for the date. Not for production: parcd logs a
// warning at start and whenever the offset changes.
//
// The file holds one integer, the seconds to add ("864000" is ten days ahead,
// "-3600" an hour behind), surrounded by whitespace or not. A missing or empty
// file is an offset of 0; an unreadable number is 0 too, and said in the log.
//
// Thread-safe: NowMs() may be called from any thread (it reads the file, then
// compares and swaps the last offset seen, for the log).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace parc {

// The offset a test clock file holds, in seconds; nullopt when its text is
// not an integer (empty text is 0).
std::optional<int64_t> ParseClockOffset(std::string_view text);

class TestClock final : public Clock {
 public:
  explicit TestClock(std::string path) : path_(std::move(path)) {}

  int64_t NowMs() const override;
  const std::string& path() const { return path_; }

 private:
  int64_t OffsetSeconds() const;

  const std::string path_;
  SystemClock system_;
  mutable std::atomic<int64_t> last_offset_s_{0};  // for the log only
  mutable std::atomic<bool> said_unreadable_{false};
};

}  // namespace parc
