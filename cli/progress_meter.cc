#include "cli/progress_meter.h"

#include <fmt/format.h>

namespace parc::cli {

std::string HumanSize(int64_t bytes) {
  if (bytes < 1000) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes);
  for (const char* unit : {"kB", "MB", "GB"}) {
    value /= 1000.0;
    if (value < 1000.0 || std::string_view(unit) == "GB") {
      return std::string_view(unit) == "GB" ? fmt::format("{:.2f} {}", value, unit)
                                            : fmt::format("{:.1f} {}", value, unit);
    }
  }
  return fmt::format("{} B", bytes);  // not reached
}

std::string HumanRate(int64_t bytes, double seconds) {
  if (seconds <= 0) return "-";
  return fmt::format("{:.1f} MB/s", static_cast<double>(bytes) / 1e6 / seconds);
}

ProgressMeter::ProgressMeter(std::ostream& err, bool terminal, std::string label, int64_t total)
    : err_(err),
      terminal_(terminal),
      label_(std::move(label)),
      total_(total),
      phase_start_(Clock::now()) {}

void ProgressMeter::Phase(std::string_view phase) {
  phase_ = phase;
  phase_start_ = Clock::now();
  drawn_ = false;
  Update(0);
}

double ProgressMeter::Elapsed() const {
  return std::chrono::duration<double>(Clock::now() - phase_start_).count();
}

void ProgressMeter::Update(int64_t done) {
  if (!terminal_) return;
  auto now = Clock::now();
  if (drawn_ && done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  Draw(done);
}

void ProgressMeter::Draw(int64_t done) {
  int percent = total_ > 0 ? static_cast<int>(done * 100 / total_) : 100;
  constexpr int kBarWidth = 24;
  int filled = percent * kBarWidth / 100;
  std::string line =
      fmt::format("{} {} [{}{}] {:3d}%  {} / {}  {}", label_, phase_, std::string(filled, '#'),
                  std::string(kBarWidth - filled, '.'), percent, HumanSize(done), HumanSize(total_),
                  HumanRate(done, Elapsed()));
  size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');  // erase a longer line
  last_width_ = width;
  err_ << '\r' << line << std::flush;
}

void ProgressMeter::Finish(std::string_view line) {
  if (terminal_ && last_width_ > 0) {
    err_ << '\r' << std::string(last_width_, ' ') << '\r';
    last_width_ = 0;
  }
  err_ << line << '\n' << std::flush;
}

}  // namespace parc::cli
