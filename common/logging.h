// Logging for every Parc binary: one named spdlog logger per module ("grpc",
// "store", "auth", "http", "main", ...), all writing to one shared sink.
// One line per event, at the place the event is handled, with key=value fields
// in the message: Logger("store")->info("migrated from={} to={}", a, b).
// Secrets (tokens, passwords, keys) are never logged.
//
// Formats:
//   text: 2026-11-29T10:15:02.123Z info  [store] migrated from=3 to=4
//   json: {"ts":"2026-11-29T10:15:02.123Z","level":"info","logger":"store","msg":"migrated from=3
//   to=4"}
//   journal: <6>info  [store] migrated from=3 to=4
//     for systemd's journal (the units say --log-format journal): it stamps
//     lines itself, so no time twice, and reads the syslog priority in <N>.
// Times are UTC with milliseconds. Control characters in a text message are
// escaped (\n, \t, ...) so one event stays on one line; JSON messages are
// JSON-escaped.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace spdlog {
class logger;
namespace sinks {
class sink;
}
}  // namespace spdlog

namespace parc {

// The accepted values of log_level and log_format, in the order shown to people.
inline constexpr std::array<std::string_view, 5> kLogLevels = {"trace", "debug", "info", "warn",
                                                               "error"};
inline constexpr std::array<std::string_view, 3> kLogFormats = {"text", "json", "journal"};

// Sets the level and format of every logger, existing and future, and sends
// them all to stderr. Refuses (kInvalidArgument, naming the value) a level not
// in kLogLevels or a format not in kLogFormats, leaving the setup unchanged.
// Call it at start-up, before other threads log: it is not safe to call while
// another thread logs. Before any call, loggers write text at "info" to stderr.
Status SetupLogging(std::string_view level, std::string_view format);

// As above, writing to `sink` instead of stderr (tests read what was logged).
Status SetupLogging(std::string_view level, std::string_view format,
                    std::shared_ptr<spdlog::sinks::sink> sink);

// The logger of `module` (a short lowercase name), created on first use and
// registered with spdlog. Never null. Thread-safe.
std::shared_ptr<spdlog::logger> Logger(std::string_view module);

// `text` as the inside of a JSON string: quotes, backslashes and control
// characters escaped; other bytes (UTF-8 included) copied as they are.
std::string JsonEscape(std::string_view text);

}  // namespace parc
