// parcd's command line, as a function so tests can run it in-process.
//   parcd init [--demo none|city] [--demo-staff N] [--demo-devices N] [--demo-sites N]
//              [--admin-name NAME] [config flags]
//   parcd serve [config flags]
//   parcd config [--example] [config flags]
//   parcd --version
#pragma once

#include <iosfwd>
#include <span>
#include <string>

#include "daemon/config.h"

namespace parc {

struct Io {
  std::ostream& out;
  std::ostream& err;
  EnvLookup env;
};

// Returns the process exit code: 0 ok, 1 error, 2 usage error.
int ParcdMain(std::span<const std::string> args, Io& io);

}  // namespace parc
