// parcd's configuration loader, LoadConfig (daemon/config.h), on any TOML file
// given by --config, as parcd starts: toml++'s parser, then every key's type
// and value checks and the whole-configuration checks. A file is refused with
// INVALID_ARGUMENT or loaded; a loaded one can be described.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "daemon/config.h"

namespace {

// The file the inputs are written to, made once per process, removed at exit.
const char* ConfigPath() {
  static char name[] = "/tmp/parc-config-fuzz-XXXXXX";
  static const bool made = [] {
    int fd = mkstemp(name);
    if (fd < 0) std::abort();
    close(fd);
    std::atexit([] { std::remove(name); });
    return true;
  }();
  (void)made;
  return name;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static parc::ConfigFlags* flags = [] {
    auto* f = new parc::ConfigFlags;
    CLI::App app;
    f->Register(app);
    app.parse(std::string("--config ") + ConfigPath(), false);
    return f;
  }();
  FILE* file = std::fopen(ConfigPath(), "wb");
  if (!file) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, file) != size) std::abort();
  std::fclose(file);
  auto no_environment = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  parc::Expected<parc::Config> config = parc::LoadConfig(*flags, no_environment);
  if (!config) {
    if (config.error().code != parc::ErrorCode::kInvalidArgument) std::abort();
    return 0;
  }
  (void)parc::DescribeConfig(*config);
  return 0;
}
