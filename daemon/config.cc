#include "daemon/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <variant>
#include <vector>

#include "common/logging.h"
#include "common/trusted_proxies.h"

namespace parc {
namespace {

// A value as it arrives: text from the environment or a flag, or a typed TOML
// value whose type already matches the key's.
using RawValue = std::variant<std::string, int64_t>;

enum class KeyType { kString, kInteger };

// One configuration key: everything about it is here, and only here.
struct Key {
  std::string_view name;
  std::string_view description;  // one line: flag help and example comment
  KeyType type;
  // Checks `value` and stores it; on failure the error message is the reason
  // alone ("'abc' is not HOST:PORT"), the caller adds the key and source.
  std::function<Status(const RawValue& value, Config& config)> set;
  // The value in `config` as a TOML literal.
  std::function<std::string(const Config& config)> print;
  bool secret = false;  // never printed
};

// A refusal of a configuration value; converts to any Expected<T>.
std::unexpected<Error> Reason(std::string reason) {
  return Fail(ErrorCode::kInvalidArgument, std::move(reason));
}

// A string check returns the reason the value is refused.
using StringCheck = Status (*)(std::string_view value);

Status NonEmpty(std::string_view value) {
  if (value.empty()) return Reason("must not be empty");
  return Ok();
}

bool IsPort(std::string_view text) {
  if (text.empty() || text.size() > 5) return false;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return std::stoi(std::string(text)) <= 65535;
}

// HOST:PORT, or [IPV6]:PORT. Port 0 asks the system for a free port.
Status HostPort(std::string_view value) {
  std::string_view host;
  std::string_view port;
  if (value.starts_with('[')) {
    size_t close = value.find("]:");
    if (close != std::string_view::npos) {
      host = value.substr(1, close - 1);
      port = value.substr(close + 2);
    }
  } else if (size_t colon = value.rfind(':'); colon != std::string_view::npos) {
    host = value.substr(0, colon);
    port = value.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) host = {};  // bare IPv6 needs brackets
  }
  bool host_ok = !host.empty() && std::none_of(host.begin(), host.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '/';
  });
  if (!host_ok || !IsPort(port)) return Reason(fmt::format("'{}' is not HOST:PORT", value));
  return Ok();
}

// http(s)://host[:port][/path], no trailing slash, query or fragment: the
// learner app's path and the token are appended to it.
Status PublicUrl(std::string_view value) {
  if (value.empty()) return Ok();  // the default: http://<http_listen>
  std::string_view rest = value;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return Reason(fmt::format("'{}' does not start with http:// or https://", value));
  }
  std::string_view host = rest.substr(0, rest.find('/'));
  bool bad_char = std::any_of(value.begin(), value.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '?' || c == '#';
  });
  if (host.empty() || bad_char) {
    return Reason(fmt::format("'{}' is not a URL like https://parc.example.org", value));
  }
  if (value.ends_with('/')) {
    return Reason(fmt::format("'{}' must not end with '/'", value));
  }
  return Ok();
}

Status OneOf(std::string_view value, std::span<const std::string_view> allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return Ok();
  return Reason(fmt::format("'{}' is not one of {}", value, fmt::join(allowed, ", ")));
}
Status LogLevel(std::string_view value) { return OneOf(value, kLogLevels); }
Status LogFormat(std::string_view value) { return OneOf(value, kLogFormats); }

Status TrustedProxiesList(std::string_view value) {
  if (auto proxies = TrustedProxies::Parse(value); !proxies) {
    // "trusted_proxies: 'x' is not ...": the key is named where it is set.
    return Reason(proxies.error().message.substr(std::string_view("trusted_proxies: ").size()));
  }
  return Ok();
}

Status SkillTiers(std::string_view value) {
  if (auto tiers = domain::ParseSkillTiers(value); !tiers) return Reason(tiers.error().message);
  return Ok();
}

std::string TomlString(std::string_view text) { return "\"" + JsonEscape(text) + "\""; }

Key StringKey(std::string_view name, std::string_view description, std::string Config::*member,
              StringCheck check = nullptr) {
  return Key{
      .name = name,
      .description = description,
      .type = KeyType::kString,
      .set = [member, check](const RawValue& value, Config& config) -> Status {
        const std::string& text = std::get<std::string>(value);
        if (check) PARC_TRY(check(text));
        config.*member = text;
        return Ok();
      },
      .print = [member](const Config& config) { return TomlString(config.*member); },
  };
}

Expected<int64_t> ParseInteger(std::string_view text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Reason(fmt::format("'{}' is not an integer", text));
  }
  return n;
}

Key IntegerKey(std::string_view name, std::string_view description, int64_t Config::*member,
               int64_t min, int64_t max) {
  return Key{
      .name = name,
      .description = description,
      .type = KeyType::kInteger,
      .set = [member, min, max](const RawValue& value, Config& config) -> Status {
        int64_t n = 0;
        if (const auto* text = std::get_if<std::string>(&value)) {
          PARC_ASSIGN_OR_RETURN(n, ParseInteger(*text));
        } else {
          n = std::get<int64_t>(value);
        }
        if (n < min || n > max) {
          return Reason(fmt::format("{} is not between {} and {}", n, min, max));
        }
        config.*member = n;
        return Ok();
      },
      .print = [member](const Config& config) { return std::to_string(config.*member); },
  };
}

// The table of keys, in the order people read them.
const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = {
      StringKey("data_dir", "Directory for parcd's state: database, admin token, content files.",
                &Config::data_dir, NonEmpty),
      StringKey("database", "SQLite database file; empty means <data_dir>/parc.db.",
                &Config::database),
      StringKey("listen", "gRPC address, HOST:PORT ([::1]:7443 for IPv6).", &Config::listen,
                HostPort),
      StringKey("tls_cert",
                "PEM certificate chain for TLS; set with tls_key, or leave both empty for "
                "plaintext.",
                &Config::tls_cert),
      StringKey("tls_key", "PEM private key file for TLS; set with tls_cert.", &Config::tls_key),
      StringKey("http_listen", "HTTP address (dashboard page, JSON, metrics), HOST:PORT.",
                &Config::http_listen, HostPort),
      StringKey("public_url",
                "URL tablets reach parcd's HTTP side at, e.g. https://parc.example.org (for "
                "enrollment QR codes); empty means http://<http_listen>.",
                &Config::public_url, PublicUrl),
      StringKey("log_level", "trace, debug, info, warn or error.", &Config::log_level, LogLevel),
      StringKey("log_format",
                "text (for people), json (one object per line) or journal (systemd: no time, "
                "the priority as <N>).",
                &Config::log_format, LogFormat),
      IntegerKey("shutdown_grace_seconds", "On SIGTERM, seconds in-flight calls get to finish.",
                 &Config::shutdown_grace_seconds, 0, 3600),
      // At least 2 MiB: content goes both ways in 1 MiB chunks.
      IntegerKey("max_message_bytes",
                 "Largest gRPC message accepted or sent by any method, in bytes (refused "
                 "before it is parsed).",
                 &Config::max_message_bytes, 2 * 1024 * 1024, 2147483647),
      IntegerKey("checkin_interval_seconds", "How often devices are told to check in, in seconds.",
                 &Config::checkin_interval_seconds, 10, 86400),
      IntegerKey("history_retention_days",
                 "Days of check-in history kept; the latest status is always kept.",
                 &Config::history_retention_days, 1, 36500),
      StringKey("admin_token_file",
                "File with the first admin token (mode 0600); empty means "
                "<data_dir>/admin.token.",
                &Config::admin_token_file),
      StringKey("skill_tiers",
                "Skill tiers, lowest first: code:Name:min_pix:min_mastery_percent; ... (pix "
                "total of a profiles collection, mastery % of an assessment campaign).",
                &Config::skill_tiers, SkillTiers),
      IntegerKey("max_content_bytes",
                 "Largest training content file accepted, in bytes (stored under "
                 "<data_dir>/content).",
                 &Config::max_content_bytes, 1, int64_t{1} << 40),
      IntegerKey("content_usage_window_days",
                 "A shared device carries the modules of the people who used it within this "
                 "many days.",
                 &Config::content_usage_window_days, 1, 3650),
      IntegerKey("token_default_ttl_days",
                 "API tokens created without a lifetime expire after this many days (0: never), "
                 "so that a forgotten token stops working on its own.",
                 &Config::token_default_ttl_days, 0, 3650),
      StringKey("test_clock_file",
                "For tests only: a file holding seconds added to the system clock, read at "
                "every reading of the clock; empty means the system clock.",
                &Config::test_clock_file),
      // Server limits (issue 18); their reasons are in deploy/parcd.toml.
      IntegerKey("grpc_max_device_message_bytes",
                 "Largest request of Enroll, ListAssignedContent and FetchContent, in bytes.",
                 &Config::grpc_max_device_message_bytes, 1024, 2147483647),
      IntegerKey("grpc_max_report_message_bytes",
                 "Largest request of CheckIn, ReportUsage and ReportProgress (500 reports or "
                 "events), in bytes.",
                 &Config::grpc_max_report_message_bytes, 1024, 2147483647),
      IntegerKey("grpc_max_concurrent_streams",
                 "Calls in flight at once on one gRPC connection; more wait on the client.",
                 &Config::grpc_max_concurrent_streams, 1, 65535),
      IntegerKey("grpc_memory_quota_bytes",
                 "Memory gRPC may use for connections and messages, in bytes (ResourceQuota).",
                 &Config::grpc_memory_quota_bytes, 16 * 1024 * 1024, int64_t{1} << 40),
      IntegerKey("grpc_max_threads",
                 "Threads gRPC may start for synchronous methods (ResourceQuota).",
                 &Config::grpc_max_threads, 4, 1024),
      IntegerKey(
          "grpc_max_connections",
          "Open gRPC connections; more are closed at once (0: as many as descriptors allow).",
          &Config::grpc_max_connections, 0, 1000000),
      IntegerKey("grpc_max_connections_per_peer",
                 "Open gRPC connections from one IP address; more are closed at once (0: no "
                 "limit).",
                 &Config::grpc_max_connections_per_peer, 0, 1000000),
      IntegerKey("grpc_min_ping_interval_seconds",
                 "Shortest interval between a client's HTTP/2 pings when no data flows; a "
                 "shorter one is a strike.",
                 &Config::grpc_min_ping_interval_seconds, 1, 86400),
      IntegerKey("grpc_max_ping_strikes",
                 "Pings too early a connection may send before it is closed with GOAWAY.",
                 &Config::grpc_max_ping_strikes, 1, 1000),
      IntegerKey("grpc_max_connection_idle_seconds",
                 "A gRPC connection without a call for this long is closed (0: never).",
                 &Config::grpc_max_connection_idle_seconds, 0, 31 * 86400),
      IntegerKey("grpc_max_connection_age_seconds",
                 "A gRPC connection older than this (+/- 10 %) is asked to reconnect (0: never).",
                 &Config::grpc_max_connection_age_seconds, 0, 31 * 86400),
      IntegerKey("grpc_max_connection_age_grace_seconds",
                 "Time the calls of a connection past its age get to finish before they are "
                 "cut.",
                 &Config::grpc_max_connection_age_grace_seconds, 0, 86400),
      IntegerKey("grpc_handshake_timeout_seconds",
                 "Time a new gRPC connection gets to finish TLS and send its HTTP/2 settings.",
                 &Config::grpc_handshake_timeout_seconds, 1, 3600),
      IntegerKey("grpc_max_call_seconds",
                 "Longest a waiting or streaming call may last when its client set no deadline "
                 "or a later one.",
                 &Config::grpc_max_call_seconds, 1, 86400),
      IntegerKey("http_max_connections", "Open HTTP connections; more are closed at once.",
                 &Config::http_max_connections, 1, 1000000),
      IntegerKey("http_max_header_bytes", "Largest HTTP request line and headers, in bytes (431).",
                 &Config::http_max_header_bytes, 1024, 1024 * 1024),
      IntegerKey("http_max_body_bytes",
                 "Largest HTTP request body outside /api/v1/device/, in bytes (413).",
                 &Config::http_max_body_bytes, 1024, 1024 * 1024 * 1024),
      IntegerKey("http_max_device_body_bytes",
                 "Largest HTTP request body under /api/v1/device/ (a check-in), in bytes (413).",
                 &Config::http_max_device_body_bytes, 1024, 1024 * 1024 * 1024),
      IntegerKey("http_max_requests_per_connection",
                 "Requests served on one keep-alive HTTP connection before it is closed.",
                 &Config::http_max_requests_per_connection, 1, 1000000),
      IntegerKey("http_header_timeout_seconds",
                 "Time a client gets to send a request's headers, from its first byte.",
                 &Config::http_header_timeout_seconds, 1, 3600),
      IntegerKey("http_body_timeout_seconds",
                 "Time a client gets to send a request's body, once its headers are read.",
                 &Config::http_body_timeout_seconds, 1, 3600),
      IntegerKey("http_idle_timeout_seconds",
                 "A keep-alive HTTP connection waiting this long for its next request is closed.",
                 &Config::http_idle_timeout_seconds, 1, 3600),
      IntegerKey("http_write_timeout_seconds",
                 "Time a client gets to read an answer before the connection is closed.",
                 &Config::http_write_timeout_seconds, 1, 3600),
      IntegerKey("rate_limit_window_seconds",
                 "The window of every rate limit below, in seconds: each allows its count per "
                 "window, all at once or spread.",
                 &Config::rate_limit_window_seconds, 1, 86400),
      IntegerKey("enroll_attempts_per_peer",
                 "Enroll calls from one address per window (0: no limit).",
                 &Config::enroll_attempts_per_peer, 0, 1000000),
      IntegerKey("enroll_attempts_per_token",
                 "Enroll calls with one enrollment token per window (0: no limit).",
                 &Config::enroll_attempts_per_token, 0, 1000000),
      IntegerKey("auth_failures_per_peer",
                 "Failed authentications and enrollments from one address per window; then "
                 "its calls are refused until it waits (0: no limit).",
                 &Config::auth_failures_per_peer, 0, 1000000),
      IntegerKey("auth_failures_per_token",
                 "Failed authentications with one credential or enrollment token per window "
                 "(0: no limit).",
                 &Config::auth_failures_per_token, 0, 1000000),
      StringKey("trusted_proxies",
                "Reverse proxies (nginx, HAProxy) in front of parcd, as addresses or networks "
                "separated by commas: from them, the client is the address X-Forwarded-For "
                "names, for the per-address limits and the logs. Empty: every peer is the client.",
                &Config::trusted_proxies, TrustedProxiesList),
  };
  return keys;
}

const Key* FindKey(std::string_view name) {
  for (const Key& key : Keys()) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

std::string EnvName(std::string_view key) {
  std::string name = "PARC_";
  for (char c : key) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string FlagName(std::string_view key) {
  std::string name = "--";
  for (char c : key) name += c == '_' ? '-' : c;
  return name;
}

std::string_view TomlTypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date or time";
  }
}

// Where each key's value came from, for the cross-key checks' messages.
using Origins = std::map<std::string_view, std::string>;

// Applies `value` to `key`; errors read "<where>: <reason>".
Status Apply(const Key& key, const RawValue& value, std::string_view where, Config& config,
             Origins& origins) {
  if (Status status = key.set(value, config); !status)
    return std::unexpected(status.error().Wrap(where));
  origins[key.name] = std::string(where);
  return Ok();
}

Status ApplyFile(const std::string& path, Config& config, Origins& origins) {
  const std::string source = "config " + path;
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const toml::source_position& at = e.source().begin;
    if (at.line == 0) return Reason(fmt::format("{}: {}", source, e.description()));
    return Reason(fmt::format("{}:{}:{}: {}", source, at.line, at.column, e.description()));
  }
  for (auto&& [name, node] : table) {
    const std::string where = fmt::format("{}: {}", source, name.str());
    const Key* key = FindKey(name.str());
    if (!key) return Reason(where + ": unknown key");
    if (key->type == KeyType::kString && node.is_string()) {
      PARC_TRY(Apply(*key, RawValue(*node.value<std::string>()), where, config, origins));
    } else if (key->type == KeyType::kInteger && node.is_integer()) {
      PARC_TRY(Apply(*key, RawValue(*node.value<int64_t>()), where, config, origins));
    } else {
      return Reason(fmt::format("{}: expected {}, got {}", where,
                                key->type == KeyType::kString ? "a string" : "an integer",
                                TomlTypeName(node.type())));
    }
  }
  return Ok();
}

// Checks that involve more than one key.
Status CheckWhole(const Config& config, const Origins& origins) {
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    std::string_view set = config.tls_cert.empty() ? "tls_key" : "tls_cert";
    std::string_view unset = config.tls_cert.empty() ? "tls_cert" : "tls_key";
    return Reason(
        fmt::format("{} is set (by {}) but {} is not: set both for TLS, or neither for plaintext",
                    set, origins.at(set), unset));
  }
  // A per-method limit above gRPC's own would never be reached.
  for (auto [name, value] :
       {std::pair{"grpc_max_device_message_bytes", config.grpc_max_device_message_bytes},
        std::pair{"grpc_max_report_message_bytes", config.grpc_max_report_message_bytes}}) {
    if (value > config.max_message_bytes) {
      auto from = origins.find(name);
      return Reason(
          fmt::format("{} ({}{}) is larger than max_message_bytes ({}), which gRPC "
                      "enforces first: raise max_message_bytes too",
                      name, value, from == origins.end() ? std::string() : ", by " + from->second,
                      config.max_message_bytes));
    }
  }
  return Ok();
}

}  // namespace

std::string Config::DatabasePath() const {
  if (!database.empty()) return database;
  return (std::filesystem::path(data_dir) / "parc.db").string();
}

std::string Config::PublicUrl() const {
  if (!public_url.empty()) return public_url;
  return "http://" + http_listen;
}

std::string Config::ContentDir() const {
  return (std::filesystem::path(data_dir) / "content").string();
}

std::string Config::AdminTokenPath() const {
  if (!admin_token_file.empty()) return admin_token_file;
  return (std::filesystem::path(data_dir) / "admin.token").string();
}

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

void ConfigFlags::Register(CLI::App& app) {
  app.add_option("--config", config_file_, "TOML configuration file (example: deploy/parcd.toml)")
      ->type_name("FILE");
  Config defaults;
  for (const Key& key : Keys()) {
    std::string name(key.name);
    std::string help = fmt::format("{} [env {}, default {}]", key.description, EnvName(key.name),
                                   key.secret ? "hidden" : key.print(defaults));
    app.add_option_function<std::string>(
           FlagName(key.name), [this, name](const std::string& value) { values_[name] = value; },
           help)
        ->type_name(key.type == KeyType::kInteger ? "INT" : "TEXT");
  }
}

Expected<Config> LoadConfig(const ConfigFlags& flags, const EnvLookup& env) {
  Config config;
  Origins origins;
  if (!flags.config_file().empty()) PARC_TRY(ApplyFile(flags.config_file(), config, origins));
  for (const Key& key : Keys()) {
    const std::string name = EnvName(key.name);
    if (std::optional<std::string> value = env(name)) {
      PARC_TRY(Apply(key, RawValue(*value), name, config, origins));
    }
  }
  for (const auto& [name, value] : flags.values()) {
    const Key* key = FindKey(name);
    if (!key) return Reason(fmt::format("{}: unknown key", FlagName(name)));  // a bug
    PARC_TRY(Apply(*key, RawValue(value), FlagName(name), config, origins));
  }
  PARC_TRY(CheckWhole(config, origins));
  return config;
}

std::string DescribeConfig(const Config& config) {
  std::string out;
  for (const Key& key : Keys()) {
    out += fmt::format("{} = {}", key.name, key.secret ? "\"(hidden)\"" : key.print(config));
    if (key.name == "database" && config.database.empty()) {
      out += "  # " + config.DatabasePath();
    } else if (key.name == "public_url" && config.public_url.empty()) {
      out += "  # " + config.PublicUrl();
    } else if (key.name == "admin_token_file" && config.admin_token_file.empty()) {
      out += "  # " + config.AdminTokenPath();
    }
    out += '\n';
  }
  return out;
}

std::string ExampleConfigToml() {
  std::string out =
      "# parcd configuration. Every key is shown with its default, commented out.\n"
      "# Precedence: flag --<key-with-dashes> > environment PARC_<KEY> > this file > default.\n"
      "# Unknown keys and bad values stop parcd at start-up.\n";
  Config defaults;
  for (const Key& key : Keys()) {
    out += fmt::format("\n# {}\n# {} = {}\n", key.description, key.name,
                       key.secret ? "\"\"" : key.print(defaults));
  }
  return out;
}

}  // namespace parc
