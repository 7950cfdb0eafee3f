#include "common/time.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <google/protobuf/timestamp.pb.h>

#include <charconv>
#include <chrono>

namespace parc {

void ToTimestamp(int64_t ms, google::protobuf::Timestamp* out) {
  int64_t seconds = ms / 1000;
  int64_t rest = ms % 1000;
  if (rest < 0) {
    rest += 1000;
    seconds -= 1;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rest * 1'000'000));
}

int64_t FromTimestamp(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000 + ts.nanos() / 1'000'000;
}

std::string FormatInstant(int64_t ms) {
  using namespace std::chrono;
  sys_seconds t{duration_cast<seconds>(milliseconds(ms))};
  return fmt::format("{:%FT%TZ}", t);
}

std::string FormatDate(int64_t ms) {
  using namespace std::chrono;
  sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(ms)));
  return fmt::format("{:%F}", day);
}

namespace {

bool ReadInt(std::string_view text, int& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool ValidYmd(int y, int m, int d) {
  using namespace std::chrono;
  return y >= 1900 && y <= 2200 &&
         year_month_day{year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))}
             .ok();
}

}  // namespace

int64_t DateMs(std::string_view iso_date) {
  using namespace std::chrono;
  int y = 0, m = 0, d = 0;
  ReadInt(iso_date.substr(0, 4), y);
  ReadInt(iso_date.substr(5, 2), m);
  ReadInt(iso_date.substr(8, 2), d);
  sys_days day{year_month_day{year(y), month(static_cast<unsigned>(m)),
                              std::chrono::day(static_cast<unsigned>(d))}};
  return duration_cast<milliseconds>(day.time_since_epoch()).count();
}

bool IsIsoDate(std::string_view text) {
  int y, m, d;
  return text.size() == 10 && text[4] == '-' && text[7] == '-' && ReadInt(text.substr(0, 4), y) &&
         ReadInt(text.substr(5, 2), m) && ReadInt(text.substr(8, 2), d) && ValidYmd(y, m, d);
}

Expected<std::string> ParseDate(std::string_view text) {
  if (IsIsoDate(text)) return std::string(text);
  int y, m, d;
  if (text.size() == 10 && text[2] == '/' && text[5] == '/' && ReadInt(text.substr(0, 2), d) &&
      ReadInt(text.substr(3, 2), m) && ReadInt(text.substr(6, 4), y) && ValidYmd(y, m, d)) {
    return fmt::format("{:04}-{:02}-{:02}", y, m, d);
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("'{}' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)", text));
}

Expected<int64_t> ParseDurationSeconds(std::string_view text) {
  int64_t unit = 1;
  std::string_view digits = text;
  if (!text.empty()) {
    switch (text.back()) {
      case 'd':
        unit = 86400;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'm':
        unit = 60;
        break;
      case 's':
        unit = 1;
        break;
      default:
        unit = 0;
    }
    if (unit != 0)
      digits.remove_suffix(1);
    else
      unit = 1;
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("'{}' is not a duration (e.g. 90d, 12h, 30m, 45s)", text));
  }
  return value * unit;
}

}  // namespace parc
