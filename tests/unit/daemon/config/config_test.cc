#include "daemon/config.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace parc {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("parc_config_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `text` to a file in the test's directory and returns its path.
  std::string WriteFile(const std::string& name, const std::string& text) {
    fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  // Registers the flags on a fresh App, parses `args` and loads the config
  // with `env_` as the environment.
  Expected<Config> Load(std::vector<std::string> args) {
    CLI::App app("parcd serve");
    ConfigFlags flags;
    flags.Register(app);
    std::vector<const char*> argv = {"parcd"};
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    EnvLookup env = [this](std::string_view name) -> std::optional<std::string> {
      auto it = env_.find(std::string(name));
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    return LoadConfig(flags, env);
  }

  std::string LoadError(std::vector<std::string> args) {
    Expected<Config> config = Load(std::move(args));
    if (config) return "(loaded)";
    EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
    return config.error().message;
  }

  fs::path dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(ConfigTest, DefaultsWithoutAnyFile) {
  Expected<Config> config = Load({});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->data_dir, "./var");
  EXPECT_EQ(config->DatabasePath(), "./var/parc.db");
  EXPECT_EQ(config->AdminTokenPath(), "./var/admin.token");
  EXPECT_EQ(config->listen, "127.0.0.1:7443");
  EXPECT_EQ(config->http_listen, "127.0.0.1:8080");
  EXPECT_FALSE(config->UsesTls());
  EXPECT_EQ(config->log_level, "info");
  EXPECT_EQ(config->log_format, "text");
  EXPECT_EQ(config->shutdown_grace_seconds, 10);
  EXPECT_EQ(config->max_message_bytes, 16 * 1024 * 1024);
  EXPECT_EQ(config->checkin_interval_seconds, 300);
  EXPECT_EQ(config->history_retention_days, 90);
}

TEST_F(ConfigTest, ReadsValuesFromTheFile) {
  std::string file = WriteFile("parcd.toml", R"(
data_dir = "/var/lib/parc"
database = "/srv/parc.db"
listen = "[::1]:7000"
log_format = "json"
shutdown_grace_seconds = 30
tls_cert = "/etc/parc/cert.pem"
tls_key = "/etc/parc/key.pem"
)");
  Expected<Config> config = Load({"--config", file});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->data_dir, "/var/lib/parc");
  EXPECT_EQ(config->DatabasePath(), "/srv/parc.db");
  EXPECT_EQ(config->AdminTokenPath(), "/var/lib/parc/admin.token");
  EXPECT_EQ(config->listen, "[::1]:7000");
  EXPECT_EQ(config->log_format, "json");
  EXPECT_EQ(config->shutdown_grace_seconds, 30);
  EXPECT_TRUE(config->UsesTls());
  EXPECT_EQ(config->log_level, "info") << "keys absent from the file keep their default";
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  std::string file =
      WriteFile("parcd.toml", "log_level = \"debug\"\nhistory_retention_days = 30\n");
  env_["PARC_LOG_LEVEL"] = "warn";
  env_["PARC_HISTORY_RETENTION_DAYS"] = "365";
  Expected<Config> config = Load({"--config", file});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->log_level, "warn");
  EXPECT_EQ(config->history_retention_days, 365);
}

TEST_F(ConfigTest, FlagOverridesEnvironment) {
  std::string file = WriteFile("parcd.toml", "listen = \"0.0.0.0:7443\"\n");
  env_["PARC_LISTEN"] = "127.0.0.1:9000";
  env_["PARC_LOG_LEVEL"] = "warn";
  Expected<Config> config =
      Load({"--config", file, "--listen", "127.0.0.1:9001", "--checkin-interval-seconds=60"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->listen, "127.0.0.1:9001");
  EXPECT_EQ(config->checkin_interval_seconds, 60);
  EXPECT_EQ(config->log_level, "warn") << "no flag: the environment still applies";
}

TEST_F(ConfigTest, UnknownKeyInFileIsNamed) {
  std::string file = WriteFile("parcd.toml", "lisen = \"127.0.0.1:7443\"\n");
  EXPECT_EQ(LoadError({"--config", file}), "config " + file + ": lisen: unknown key");
}

TEST_F(ConfigTest, NestedTableIsAnUnknownKey) {
  std::string file = WriteFile("parcd.toml", "[server]\nlisten = \"127.0.0.1:7443\"\n");
  EXPECT_EQ(LoadError({"--config", file}), "config " + file + ": server: unknown key");
}

TEST_F(ConfigTest, BadValueInFileIsNamedWithItsSource) {
  std::string file = WriteFile("parcd.toml", "listen = \"abc\"\n");
  EXPECT_EQ(LoadError({"--config", file}), "config " + file + ": listen: 'abc' is not HOST:PORT");
}

TEST_F(ConfigTest, WrongTypeInFileIsNamed) {
  std::string file = WriteFile("parcd.toml", "shutdown_grace_seconds = \"10\"\n");
  EXPECT_EQ(LoadError({"--config", file}),
            "config " + file + ": shutdown_grace_seconds: expected an integer, got a string");
}

TEST_F(ConfigTest, BadValueInEnvironmentIsNamed) {
  env_["PARC_LOG_LEVEL"] = "loud";
  EXPECT_EQ(LoadError({}), "PARC_LOG_LEVEL: 'loud' is not one of trace, debug, info, warn, error");
}

TEST_F(ConfigTest, BadValueInFlagIsNamed) {
  EXPECT_EQ(LoadError({"--shutdown-grace-seconds", "soon"}),
            "--shutdown-grace-seconds: 'soon' is not an integer");
  EXPECT_EQ(LoadError({"--max-message-bytes", "10"}),
            "--max-message-bytes: 10 is not between 2097152 and 2147483647");
  EXPECT_EQ(LoadError({"--log-format", "xml"}),
            "--log-format: 'xml' is not one of text, json, journal");
  EXPECT_EQ(LoadError({"--data-dir", ""}), "--data-dir: must not be empty");
  EXPECT_EQ(LoadError({"--trusted-proxies", "10.0.0.2, proxy.example.org"}),
            "--trusted-proxies: 'proxy.example.org' is not an IP address or a network like "
            "10.0.0.0/24");
}

TEST_F(ConfigTest, ListenAddressesAreChecked) {
  for (std::string good : {"127.0.0.1:7443", "localhost:0", "[::]:7443", "parc.example:65535"}) {
    EXPECT_TRUE(Load({"--listen", good})) << good;
  }
  for (std::string bad :
       {"7443", ":7443", "127.0.0.1:", "127.0.0.1:65536", "::1:7443", "127.0.0.1:x", "[::1]7443"}) {
    EXPECT_EQ(LoadError({"--listen", bad}), "--listen: '" + bad + "' is not HOST:PORT");
  }
}

TEST_F(ConfigTest, MissingFileIsReported) {
  std::string path = (dir_ / "absent.toml").string();
  EXPECT_TRUE(LoadError({"--config", path}).starts_with("config " + path + ": "));
}

TEST_F(ConfigTest, TomlSyntaxErrorIsReportedWithLine) {
  std::string file = WriteFile("parcd.toml", "log_level = \"info\"\nlisten = = 1\n");
  EXPECT_TRUE(LoadError({"--config", file}).starts_with("config " + file + ":2:"))
      << LoadError({"--config", file});
}

TEST_F(ConfigTest, TlsCertWithoutKeyIsRefused) {
  env_["PARC_TLS_CERT"] = "/etc/parc/cert.pem";
  EXPECT_EQ(LoadError({}),
            "tls_cert is set (by PARC_TLS_CERT) but tls_key is not: set both for TLS, or "
            "neither for plaintext");
  EXPECT_EQ(LoadError({"--tls-key", "/etc/parc/key.pem", "--tls-cert", ""}),
            "tls_key is set (by --tls-key) but tls_cert is not: set both for TLS, or neither "
            "for plaintext");
}

TEST_F(ConfigTest, DescribeListsEveryKeyWithResolvedPaths) {
  Config config;
  config.data_dir = "/var/lib/parc";
  std::string text = DescribeConfig(config);
  EXPECT_NE(text.find("data_dir = \"/var/lib/parc\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("database = \"\"  # /var/lib/parc/parc.db\n"), std::string::npos) << text;
  EXPECT_NE(text.find("max_message_bytes = 16777216\n"), std::string::npos) << text;
  EXPECT_NE(text.find("public_url = \"\"  # http://127.0.0.1:8080\n"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 48);
}

// The clock a test moves (daemon/test_clock.h): off unless named.
TEST_F(ConfigTest, TestClockFileIsOffUnlessNamed) {
  Expected<Config> config = Load({});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->test_clock_file, "");
  env_["PARC_TEST_CLOCK_FILE"] = "/tmp/clock";
  config = Load({});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->test_clock_file, "/tmp/clock");
}

TEST_F(ConfigTest, PublicUrlDefaultsToTheHttpListenAddress) {
  Expected<Config> config = Load({"--http-listen", "10.0.0.5:8080"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->PublicUrl(), "http://10.0.0.5:8080");
  env_["PARC_PUBLIC_URL"] = "https://parc.rennes.example/fleet";
  config = Load({});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->PublicUrl(), "https://parc.rennes.example/fleet");
}

TEST_F(ConfigTest, PublicUrlMustBeAnHttpUrlWithoutTrailingSlash) {
  for (std::string good : {"http://127.0.0.1:8080", "https://parc.example.org", "https://x/y"}) {
    EXPECT_TRUE(Load({"--public-url", good})) << good;
  }
  EXPECT_EQ(LoadError({"--public-url", "parc.example.org"}),
            "--public-url: 'parc.example.org' does not start with http:// or https://");
  EXPECT_EQ(LoadError({"--public-url", "https://parc.example.org/"}),
            "--public-url: 'https://parc.example.org/' must not end with '/'");
  for (std::string bad : {"https://", "https://a b", "https://x/?q=1", "http:///path"}) {
    EXPECT_EQ(LoadError({"--public-url", bad}),
              "--public-url: '" + bad + "' is not a URL like https://parc.example.org")
        << bad;
  }
}

TEST_F(ConfigTest, SkillTiersAreCheckedAtStartUp) {
  Expected<Config> config = Load({"--skill-tiers", "bas:Bas:0:0; haut:Haut:300:70"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->skill_tiers, "bas:Bas:0:0; haut:Haut:300:70");
  EXPECT_EQ(Config{}.skill_tiers, std::string(domain::kDefaultSkillTiers));

  Expected<Config> bad = Load({"--skill-tiers", "bas:Bas:0:0; haut:Haut:300:20; x:X:200:90"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("--skill-tiers: tier 'x:X:200:90': minimums must increase"),
            std::string::npos)
      << bad.error().message;
}

TEST_F(ConfigTest, ExampleLoadsAsTheDefaults) {
  std::string file = WriteFile("example.toml", ExampleConfigToml());
  Expected<Config> config = Load({"--config", file});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(DescribeConfig(*config), DescribeConfig(Config{}));
}

// deploy/parcd.toml is the example with data_dir set for systemd: every key of
// the example must appear in it, and it must load.
TEST_F(ConfigTest, DeployedExampleListsEveryKeyAndLoads) {
  std::string deployed_path = std::string(PARC_SOURCE_DIR) + "/deploy/parcd.toml";
  std::ifstream in(deployed_path);
  ASSERT_TRUE(in) << deployed_path;
  std::stringstream deployed;
  deployed << in.rdbuf();

  std::istringstream example(ExampleConfigToml());
  for (std::string line; std::getline(example, line);) {
    if (!line.starts_with("# ") || line.find(" = ") == std::string::npos) continue;
    std::string key = line.substr(2, line.find(" = ") - 2);
    bool listed = deployed.str().find(line + "\n") != std::string::npos ||
                  deployed.str().find("\n" + key + " = ") != std::string::npos;
    EXPECT_TRUE(listed) << "deploy/parcd.toml lacks " << key << "; expected: " << line;
  }
  Expected<Config> config = Load({"--config", deployed_path});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->data_dir, "/var/lib/parc");
}

// Issue 18: every server limit is a key with a safe default, and a bad value
// names its key.
TEST_F(ConfigTest, ServerLimitsHaveSafeDefaults) {
  Expected<Config> config = Load({});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->grpc_max_device_message_bytes, 64 * 1024);
  EXPECT_EQ(config->grpc_max_report_message_bytes, 1024 * 1024);
  EXPECT_EQ(config->grpc_max_concurrent_streams, 100);
  EXPECT_EQ(config->grpc_max_connections, 16384);
  EXPECT_EQ(config->grpc_max_connections_per_peer, 1000);
  EXPECT_EQ(config->grpc_max_ping_strikes, 2);
  EXPECT_EQ(config->grpc_handshake_timeout_seconds, 20);
  EXPECT_EQ(config->grpc_max_call_seconds, 1800);
  EXPECT_EQ(config->http_max_header_bytes, 8 * 1024);
  EXPECT_EQ(config->http_max_device_body_bytes, 1024 * 1024);
  EXPECT_EQ(config->http_header_timeout_seconds, 10);
  EXPECT_EQ(config->rate_limit_window_seconds, 60);
  EXPECT_EQ(config->enroll_attempts_per_peer, 60);
  EXPECT_EQ(config->enroll_attempts_per_token, 60);
  EXPECT_EQ(config->auth_failures_per_peer, 10);
  EXPECT_EQ(config->auth_failures_per_token, 5);
}

TEST_F(ConfigTest, ServerLimitsAreReadFromEverySource) {
  std::string file = WriteFile("parcd.toml",
                               "grpc_max_connections_per_peer = 0\n"
                               "http_header_timeout_seconds = 5\n");
  env_["PARC_GRPC_MAX_CONCURRENT_STREAMS"] = "10";
  Expected<Config> config = Load({"--config", file, "--http-max-requests-per-connection", "7"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->grpc_max_connections_per_peer, 0);
  EXPECT_EQ(config->http_header_timeout_seconds, 5);
  EXPECT_EQ(config->grpc_max_concurrent_streams, 10);
  EXPECT_EQ(config->http_max_requests_per_connection, 7);
}

TEST_F(ConfigTest, BadServerLimitsNameTheirKey) {
  EXPECT_EQ(LoadError({"--grpc-max-concurrent-streams", "0"}),
            "--grpc-max-concurrent-streams: 0 is not between 1 and 65535");
  EXPECT_EQ(LoadError({"--grpc-max-ping-strikes", "0"}),
            "--grpc-max-ping-strikes: 0 is not between 1 and 1000");
  EXPECT_EQ(LoadError({"--http-header-timeout-seconds", "-1"}),
            "--http-header-timeout-seconds: -1 is not between 1 and 3600");
  env_["PARC_GRPC_MAX_CONNECTIONS"] = "many";
  EXPECT_EQ(LoadError({}), "PARC_GRPC_MAX_CONNECTIONS: 'many' is not an integer");
  env_.clear();
  std::string file = WriteFile("parcd.toml", "grpc_memory_quota_bytes = 1024\n");
  EXPECT_EQ(LoadError({"--config", file}),
            "config " + file +
                ": grpc_memory_quota_bytes: 1024 is not between 16777216 and 1099511627776");
}

TEST_F(ConfigTest, RateLimitsAreReadFromEverySourceAndCheckedByName) {
  std::string file = WriteFile("parcd.toml", "auth_failures_per_peer = 0\n");
  env_["PARC_RATE_LIMIT_WINDOW_SECONDS"] = "300";
  Expected<Config> config = Load({"--config", file, "--enroll-attempts-per-token", "20"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->auth_failures_per_peer, 0);
  EXPECT_EQ(config->rate_limit_window_seconds, 300);
  EXPECT_EQ(config->enroll_attempts_per_token, 20);
  env_.clear();
  EXPECT_EQ(LoadError({"--rate-limit-window-seconds", "0"}),
            "--rate-limit-window-seconds: 0 is not between 1 and 86400");
  EXPECT_EQ(LoadError({"--auth-failures-per-token", "-1"}),
            "--auth-failures-per-token: -1 is not between 0 and 1000000");
}

TEST_F(ConfigTest, PerMethodLimitAboveTheGrpcCapIsRefused) {
  EXPECT_EQ(LoadError({"--grpc-max-report-message-bytes", "33554432"}),
            "grpc_max_report_message_bytes (33554432, by --grpc-max-report-message-bytes) is "
            "larger than max_message_bytes (16777216), which gRPC enforces first: raise "
            "max_message_bytes too");
  EXPECT_TRUE(
      Load({"--grpc-max-report-message-bytes", "33554432", "--max-message-bytes", "33554432"}));
}

}  // namespace
}  // namespace parc
