// Runs parcctl in-process and keeps what it printed.
#pragma once

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/parcctl.h"

namespace parc::cli::testing {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

// `env` replaces the environment entirely (HOME unset: no config file is read).
inline CliResult RunParcctl(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env = {},
                            const std::string& stdin_text = "") {
  std::ostringstream out, err;
  std::istringstream in(stdin_text);
  Io io{out, err, in, [&env](const std::string& name) -> std::optional<std::string> {
          auto it = env.find(name);
          if (it == env.end()) return std::nullopt;
          return it->second;
        }};
  CliResult run;
  run.code = Main(args, io);
  run.out = out.str();
  run.err = err.str();
  return run;
}

}  // namespace parc::cli::testing
