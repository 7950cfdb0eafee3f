#include "cli/settings.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <filesystem>

#include "common/i18n.h"

namespace parc::cli {
namespace {

struct FileValues {
  std::optional<std::string> addr, token, ca;
};

std::string ConfigPath(const SettingFlags& flags, const EnvLookup& env) {
  if (!flags.config.empty()) return flags.config;
  if (auto path = env("PARC_CONFIG"); path && !path->empty()) return *path;
  if (auto home = env("HOME"); home && !home->empty()) {
    return *home + "/.config/parc/parcctl.toml";
  }
  return {};
}

Expected<std::optional<std::string>> ReadKey(const toml::table& table, const std::string& path,
                                             std::string_view key) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  if (const auto* text = node->as_string()) return text->get();
  return InvalidArgument(fmt::format("{}: {}", path, key), Tr("must be a string"));
}

Expected<FileValues> ReadFile(const std::string& path, bool must_exist) {
  std::error_code ec;
  if (path.empty() || (!must_exist && !std::filesystem::exists(path, ec))) return FileValues{};
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(
        path, TrF("line {0}: {1}", e.source().begin.line, std::string(e.description())));
  }
  FileValues values;
  PARC_ASSIGN_OR_RETURN(values.addr, ReadKey(table, path, "addr"));
  PARC_ASSIGN_OR_RETURN(values.token, ReadKey(table, path, "token"));
  PARC_ASSIGN_OR_RETURN(values.ca, ReadKey(table, path, "ca"));
  return values;
}

void Pick(std::string& out, const std::string& flag, const std::optional<std::string>& env,
          const std::optional<std::string>& file) {
  if (!flag.empty()) {
    out = flag;
  } else if (env && !env->empty()) {
    out = *env;
  } else if (file) {
    out = *file;
  }
}

}  // namespace

Expected<Settings> ResolveSettings(const SettingFlags& flags, const EnvLookup& env) {
  PARC_ASSIGN_OR_RETURN(FileValues file, ReadFile(ConfigPath(flags, env), !flags.config.empty()));
  Settings settings;
  Pick(settings.addr, flags.addr, env("PARC_ADDR"), file.addr);
  Pick(settings.token, flags.token, env("PARC_TOKEN"), file.token);
  Pick(settings.ca, flags.ca, env("PARC_CA"), file.ca);
  return settings;
}

}  // namespace parc::cli
