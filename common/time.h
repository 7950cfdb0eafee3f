// Dates and times as Parc writes them: instants are unix milliseconds inside,
// google.protobuf.Timestamp on the wire, RFC 3339 UTC for people; calendar dates
// (due dates, purchase dates) are "YYYY-MM-DD" strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace google::protobuf {
class Timestamp;
}

namespace parc {

void ToTimestamp(int64_t ms, google::protobuf::Timestamp* out);
int64_t FromTimestamp(const google::protobuf::Timestamp& ts);

// "2026-11-29T09:32:30Z" (UTC, second precision).
std::string FormatInstant(int64_t ms);
// "2026-11-29" (UTC).
std::string FormatDate(int64_t ms);

// Midnight UTC of `iso_date`, a date for which IsIsoDate holds.
int64_t DateMs(std::string_view iso_date);

// True when `text` is a real calendar date written YYYY-MM-DD.
bool IsIsoDate(std::string_view text);

// Accepts YYYY-MM-DD and the French DD/MM/YYYY; returns YYYY-MM-DD.
Expected<std::string> ParseDate(std::string_view text);

// Durations written "90d", "12h", "30m", "45s" or a plain number of seconds.
Expected<int64_t> ParseDurationSeconds(std::string_view text);

}  // namespace parc
