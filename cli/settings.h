// Where parcctl connects and with which token. Each value comes from the first
// place that sets it: a flag, then a PARC_* environment variable, then the
// config file (~/.config/parc/parcctl.toml, or --config / PARC_CONFIG), then
// the default.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "common/error.h"

namespace parc::cli {

struct Settings {
  // host:port of parcd's gRPC listener.
  std::string addr = "127.0.0.1:7443";
  // Operator API token, sent as `authorization: Bearer <token>`. Never printed.
  std::string token;
  // PEM root certificate file; non-empty switches the connection to TLS.
  std::string ca;
};

// What was given on the command line; empty means "not given".
struct SettingFlags {
  std::string addr;
  std::string token;
  std::string ca;
  std::string config;  // an explicit config file, which must then exist
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// INVALID_ARGUMENT naming the file and key when the config file cannot be
// parsed or holds a key of the wrong type. A missing default file is fine.
Expected<Settings> ResolveSettings(const SettingFlags& flags, const EnvLookup& env);

}  // namespace parc::cli
