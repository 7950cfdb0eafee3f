#include "common/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>

namespace parc {
namespace {

constexpr std::string_view kTimePattern = "%Y-%m-%dT%H:%M:%S.%eZ";

// Our names for spdlog's levels: "warn" rather than "warning", so that a text
// line's level column is five characters wide.
std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

void Append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

// Appends `c` as \n, \t, ... or \u00XX.
void AppendEscapedControl(char c, spdlog::memory_buf_t& dest) {
  switch (c) {
    case '\n':
      return Append(dest, "\\n");
    case '\r':
      return Append(dest, "\\r");
    case '\t':
      return Append(dest, "\\t");
    case '\b':
      return Append(dest, "\\b");
    case '\f':
      return Append(dest, "\\f");
    default:
      fmt::format_to(std::back_inserter(dest), "\\u{:04x}", static_cast<unsigned char>(c));
  }
}

bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20; }

void AppendJsonEscaped(std::string_view text, spdlog::memory_buf_t& dest) {
  for (char c : text) {
    if (c == '"' || c == '\\') {
      dest.push_back('\\');
      dest.push_back(c);
    } else if (IsControl(c)) {
      AppendEscapedControl(c, dest);
    } else {
      dest.push_back(c);
    }
  }
}

// %K: the level name, left-aligned in the padding width if one is given (%-5K).
class LevelFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view name = LevelName(msg.level);
    Append(dest, name);
    if (padinfo_.enabled() && name.size() < padinfo_.width_) {
      dest.append(std::string(padinfo_.width_ - name.size(), ' '));
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<LevelFlag>();
  }
};

// %W: the line's syslog priority as journald reads it (sd-daemon(3)): <3>
// error, <4> warning, <6> info, <7> debug and trace.
class PriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    char priority = msg.level >= spdlog::level::err    ? '3'
                    : msg.level == spdlog::level::warn ? '4'
                    : msg.level == spdlog::level::info ? '6'
                                                       : '7';
    const char text[] = {'<', priority, '>'};
    dest.append(text, text + sizeof(text));
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<PriorityFlag>();
  }
};

// %J: the message as the inside of a JSON string.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    AppendJsonEscaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// %Q: the message with its control characters escaped, so it stays on one line.
class TextMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      if (IsControl(c)) {
        AppendEscapedControl(c, dest);
      } else {
        dest.push_back(c);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<TextMessageFlag>();
  }
};

std::unique_ptr<spdlog::formatter> MakeFormatter(std::string_view format) {
  auto formatter =
      std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc, "\n");
  formatter->add_flag<LevelFlag>('K')
      .add_flag<JsonMessageFlag>('J')
      .add_flag<TextMessageFlag>('Q')
      .add_flag<PriorityFlag>('W');
  std::string time(kTimePattern);
  formatter->set_pattern(format == "json"
                             ? R"({"ts":")" + time + R"(","level":"%K","logger":"%n","msg":"%J"})"
                         : format == "journal" ? std::string("%W%-5K [%n] %Q")
                                               : time + " %-5K [%n] %Q");
  return formatter;
}

std::optional<spdlog::level::level_enum> ParseLevel(std::string_view level) {
  static constexpr std::array<spdlog::level::level_enum, kLogLevels.size()> kValues = {
      spdlog::level::trace, spdlog::level::debug, spdlog::level::info, spdlog::level::warn,
      spdlog::level::err};
  for (size_t i = 0; i < kLogLevels.size(); ++i) {
    if (kLogLevels[i] == level) return kValues[i];
  }
  return std::nullopt;
}

std::string OneOf(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// What every logger shares. Loggers are created and reconfigured under `mu`;
// logging itself does not take it (spdlog's sinks lock on their own).
struct LoggingState {
  std::mutex mu;
  std::shared_ptr<spdlog::sinks::sink> sink;                                    // guarded by mu
  spdlog::level::level_enum level = spdlog::level::info;                        // guarded by mu
  std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;  // guarded by mu
};

LoggingState& State() {
  // Never destroyed: loggers may still be used while statics are torn down.
  static LoggingState* state = [] {
    auto* s = new LoggingState;
    s->sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    s->sink->set_formatter(MakeFormatter("text"));
    return s;
  }();
  return *state;
}

std::shared_ptr<spdlog::logger> LoggerLocked(LoggingState& state, std::string_view module) {
  if (auto it = state.loggers.find(module); it != state.loggers.end()) return it->second;
  auto logger = std::make_shared<spdlog::logger>(std::string(module), state.sink);
  logger->set_level(state.level);
  state.loggers.emplace(std::string(module), logger);
  // Registered so that spdlog::get(module) finds it, unless a logger of that
  // name was made outside this file.
  if (!spdlog::get(std::string(module))) spdlog::register_logger(logger);
  return logger;
}

}  // namespace

std::string JsonEscape(std::string_view text) {
  spdlog::memory_buf_t buf;
  AppendJsonEscaped(text, buf);
  return fmt::to_string(buf);
}

Status SetupLogging(std::string_view level, std::string_view format) {
  return SetupLogging(level, format, std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

Status SetupLogging(std::string_view level, std::string_view format,
                    std::shared_ptr<spdlog::sinks::sink> sink) {
  std::optional<spdlog::level::level_enum> parsed = ParseLevel(level);
  if (!parsed) {
    return InvalidArgument("log_level",
                           fmt::format("'{}' is not one of {}", level, OneOf(kLogLevels)));
  }
  if (std::find(kLogFormats.begin(), kLogFormats.end(), format) == kLogFormats.end()) {
    return InvalidArgument("log_format",
                           fmt::format("'{}' is not one of {}", format, OneOf(kLogFormats)));
  }
  sink->set_formatter(MakeFormatter(format));

  LoggingState& state = State();
  std::lock_guard lock(state.mu);
  state.sink = std::move(sink);
  state.level = *parsed;
  for (auto& [name, logger] : state.loggers) {
    logger->sinks().assign(1, state.sink);
    logger->set_level(state.level);
  }
  // Stray spdlog::info(...) calls land in the same place, as "main".
  spdlog::set_default_logger(LoggerLocked(state, "main"));
  return Ok();
}

std::shared_ptr<spdlog::logger> Logger(std::string_view module) {
  LoggingState& state = State();
  std::lock_guard lock(state.mu);
  return LoggerLocked(state, module);
}

}  // namespace parc
