// parcd's configuration: one struct, one table of keys. Each key is read, in
// increasing precedence, from its default, the TOML file given by --config,
// the environment variable PARC_<KEY> (PARC_LOG_LEVEL) and the flag --<key>
// (--log-level). A bad value, a wrong type or an unknown key in the file stops
// start-up with a message that names the key and where it came from.
//
// Use from parcd's main():
//   parc::ConfigFlags flags;
//   flags.Register(*serve);                 // serve: a CLI::App subcommand
//   ... app.parse(argc, argv) ...
//   parc::Expected<parc::Config> config = parc::LoadConfig(flags, parc::ProcessEnvironment());
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "daemon/domain/skill_tiers.h"

namespace CLI {
class App;
}

namespace parc {

struct Config {
  // Where parcd keeps its state (database, admin token, content files).
  std::string data_dir = "./var";
  // SQLite database file; empty means <data_dir>/parc.db. See DatabasePath().
  std::string database;
  // gRPC address, HOST:PORT ([::1]:7443 for IPv6; port 0 picks a free port).
  std::string listen = "127.0.0.1:7443";
  // PEM certificate chain and private key for TLS on `listen`: both or neither;
  // neither means plaintext (fine on loopback, not across a network).
  std::string tls_cert;
  std::string tls_key;
  // HTTP address for the dashboard page, JSON and metrics, HOST:PORT.
  std::string http_listen = "127.0.0.1:8080";
  // The address people and tablets reach the HTTP side at (a proxy, a DNS
  // name), without a trailing slash: enrollment URLs are
  // <public_url>/apprendre/?enroll=<token>. Empty means http://<http_listen>,
  // which only works when http_listen is an address the tablets can reach.
  std::string public_url;
  // trace, debug, info, warn or error.
  std::string log_level = "info";
  // "text" for people, "json" (one object per line) for log collectors.
  std::string log_format = "text";
  // On SIGTERM, how long in-flight calls may take to finish before being cut.
  int64_t shutdown_grace_seconds = 10;
  // Largest gRPC message accepted or sent by any method, in bytes: gRPC
  // refuses a larger one (RESOURCE_EXHAUSTED) before it is parsed. Imports
  // carry whole CSV files; content is streamed in 1 MiB chunks.
  int64_t max_message_bytes = 16 * 1024 * 1024;
  // How often devices are told to check in; a device silent for much longer
  // shows as stale on the dashboard.
  int64_t checkin_interval_seconds = 300;
  // Check-in history older than this is deleted; latest status is always kept.
  int64_t history_retention_days = 90;
  // File holding the first admin token (written once by `parcd init`, mode
  // 0600); empty means <data_dir>/admin.token. See AdminTokenPath().
  std::string admin_token_file;
  // Skill tiers from a Pix result, lowest first: "code:Name:min_pix:min_mastery_percent; ..."
  // (daemon/domain/skill_tiers.h). min_pix applies to profiles collections
  // (pix total), min_mastery to assessment campaigns (overall mastery).
  std::string skill_tiers = std::string(domain::kDefaultSkillTiers);

  // Largest training content file accepted by UploadContent, in bytes. Content
  // is stored under <data_dir>/content (see ContentDir()).
  int64_t max_content_bytes = int64_t{2} * 1024 * 1024 * 1024;
  // A shared device (site pool, or no one's) carries the modules of the
  // people who used it within this many days.
  int64_t content_usage_window_days = 14;
  // API tokens created without --expires expire after this many days (0:
  // never): a token copied into a script or a laptop stops working on its
  // own instead of staying valid for years after its holder moved on.
  int64_t token_default_ttl_days = 90;

  // For tests only (daemon/test_clock.h): a file holding seconds added to the
  // system clock, read at every reading of the clock, so that a test can let
  // a loan's due date pass. Empty (the default): the system clock. parcd logs
  // a warning when it is set.
  std::string test_clock_file;

  // Server limits (issue 18): what one peer may cost parcd. Each has its
  // reason in deploy/parcd.toml; daemon/limits/grpc_limits.h and
  // daemon/http/listener.h say how they are enforced. 0 means "no limit"
  // only where the key's description says so.
  //
  // gRPC, per method (daemon/service/message_limits.h): the largest request
  // of the device RPCs, which anyone reaching the port may call.
  int64_t grpc_max_device_message_bytes = 64 * 1024;    // Enroll, content lists
  int64_t grpc_max_report_message_bytes = 1024 * 1024;  // CheckIn, ReportUsage, ReportProgress
  // gRPC, per connection and per server.
  int64_t grpc_max_concurrent_streams = 100;
  int64_t grpc_memory_quota_bytes = int64_t{1} << 30;  // grpc::ResourceQuota
  int64_t grpc_max_threads = 16;                       // grpc::ResourceQuota
  int64_t grpc_max_connections = 16384;                // 0: what descriptors allow
  int64_t grpc_max_connections_per_peer = 1000;        // by IP address; 0: no limit
  int64_t grpc_min_ping_interval_seconds = 300;        // pings without data
  int64_t grpc_max_ping_strikes = 2;                   // then GOAWAY
  int64_t grpc_max_connection_idle_seconds = 900;      // 0: never closed for idleness
  int64_t grpc_max_connection_age_seconds = 7200;      // 0: no maximum age
  int64_t grpc_max_connection_age_grace_seconds = 600;
  int64_t grpc_handshake_timeout_seconds = 20;
  int64_t grpc_max_call_seconds = 1800;  // calls without or beyond a deadline
  // HTTP listener (daemon/http/listener.h).
  int64_t http_max_connections = 1024;
  int64_t http_max_header_bytes = 8 * 1024;
  int64_t http_max_body_bytes = 16 * 1024;
  int64_t http_max_device_body_bytes = 1024 * 1024;  // under /api/v1/device/
  int64_t http_max_requests_per_connection = 1000;
  int64_t http_header_timeout_seconds = 10;
  int64_t http_body_timeout_seconds = 30;
  int64_t http_idle_timeout_seconds = 30;
  int64_t http_write_timeout_seconds = 30;
  // Rate limits (daemon/service/admission.h): events per rate_limit_window_seconds,
  // all of which may come at once; 0: no limit. Answered RESOURCE_EXHAUSTED
  // (HTTP 429) with the delay in retry-after-seconds (HTTP Retry-After).
  int64_t rate_limit_window_seconds = 60;
  int64_t enroll_attempts_per_peer = 60;   // Enroll calls from one address
  int64_t enroll_attempts_per_token = 60;  // Enroll calls with one enrollment token
  int64_t auth_failures_per_peer = 10;     // failed authentications from one address
  int64_t auth_failures_per_token = 5;     // the same with one credential or token
  // Reverse proxies believed about the client they forward for
  // (common/trusted_proxies.h): addresses and networks, comma-separated.
  std::string trusted_proxies;

  // `database`, or <data_dir>/parc.db when it is empty.
  std::string DatabasePath() const;
  // <data_dir>/content: training content files by SHA-256.
  std::string ContentDir() const;
  // `admin_token_file`, or <data_dir>/admin.token when it is empty.
  std::string AdminTokenPath() const;
  // `public_url`, or "http://<http_listen>" when it is empty.
  std::string PublicUrl() const;
  // True when TLS is configured (tls_cert and tls_key are set).
  bool UsesTls() const { return !tls_cert.empty(); }
};

// Looks up an environment variable; nullopt when it is not set. Injected so
// that tests never read or change the real environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads the process environment (getenv).
EnvLookup ProcessEnvironment();

// The command-line side of the configuration: --config FILE and one
// --<key-with-dashes> option per key, registered on a CLI11 App or subcommand.
// Register() keeps a pointer to this object in the App's callbacks, so it must
// outlive parsing. Not thread-safe (neither is CLI11).
class ConfigFlags {
 public:
  ConfigFlags() = default;
  ConfigFlags(const ConfigFlags&) = delete;
  ConfigFlags& operator=(const ConfigFlags&) = delete;

  // Adds --config and the key flags to `app`, with the key descriptions as help.
  void Register(CLI::App& app);

  // The --config value; empty when not given (no file is read).
  const std::string& config_file() const { return config_file_; }
  // The flags given, by key name ("log_level"), as written.
  const std::map<std::string, std::string, std::less<>>& values() const { return values_; }

 private:
  std::string config_file_;
  std::map<std::string, std::string, std::less<>> values_;
};

// Builds the configuration from defaults, the file named by flags.config_file()
// (if any), the environment and the flags, then checks it as a whole (TLS needs
// both files). Errors are kInvalidArgument with a message such as
//   "config /etc/parc/parcd.toml: listen: 'abc' is not HOST:PORT"
//   "PARC_LOG_LEVEL: 'loud' is not one of trace, debug, info, warn, error"
//   "--shutdown-grace-seconds: 'soon' is not an integer"
Expected<Config> LoadConfig(const ConfigFlags& flags, const EnvLookup& env);

// The configuration as TOML-like "key = value" lines, one per key, for
// `parcd config` and the start-up log. Secret values are never printed.
std::string DescribeConfig(const Config& config);

// A commented TOML file listing every key with its description and default,
// all commented out (deploy/parcd.toml is made from it): `parcd config --example`.
std::string ExampleConfigToml();

}  // namespace parc
