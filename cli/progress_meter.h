// A progress line for long transfers on stderr. On a terminal it redraws one
// line in place ("\r"), at most ten times a second: label, phase, percentage,
// bytes so far and rate. Elsewhere (a pipe, a log, a test) it prints only the
// final line, so that logs are not flooded. Borrows the stream; one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace parc::cli {

// "950 B", "1.5 kB", "27.0 MB", "2.10 GB" (decimal units, as file managers show).
std::string HumanSize(int64_t bytes);
// "85.2 MB/s" for `bytes` moved in `seconds` ("-" when no time has passed).
std::string HumanRate(int64_t bytes, double seconds);

class ProgressMeter {
 public:
  using Clock = std::chrono::steady_clock;

  ProgressMeter(std::ostream& err, bool terminal, std::string label, int64_t total);

  // Starts a phase ("hashing", "uploading"): its rate is measured from now.
  void Phase(std::string_view phase);
  // `done` bytes of the total so far in the current phase.
  void Update(int64_t done);
  // Erases the in-place line (terminal) and prints `line` on a line of its own.
  void Finish(std::string_view line);
  // Seconds since the current phase started.
  double Elapsed() const;

 private:
  void Draw(int64_t done);

  std::ostream& err_;
  bool terminal_;
  std::string label_, phase_;
  int64_t total_;
  Clock::time_point phase_start_, last_draw_{};
  bool drawn_ = false;
  size_t last_width_ = 0;
};

}  // namespace parc::cli
