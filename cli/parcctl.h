// parcctl, the operators' command line. main() is a shim around Main(), so that
// tests run the whole command in-process and read what it printed.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>

namespace parc::cli {

// The world as parcctl sees it. Borrowed for the duration of Main().
struct Io {
  std::ostream& out;  // results: tables, JSON, CSV
  std::ostream& err;  // errors, hints, warnings
  std::istream& in;   // `-` as a file name reads from here
  // Environment lookup (PARC_ADDR, PARC_TOKEN, PARC_CA, PARC_CONFIG, HOME, and
  // LC_ALL, LC_MESSAGES, LANG: French when they name a French locale, see
  // common/i18n.h); nullopt when unset.
  std::function<std::optional<std::string>(const std::string&)> env;
  // stderr is a terminal: the enrollment QR code is drawn with explicit
  // black-on-white colours (unless NO_COLOR is set).
  bool err_is_terminal = false;
};

// `args` are the arguments after the program name. Returns the exit code: 0 ok,
// 1 error (message on io.err), 2 usage error.
int Main(std::span<const std::string> args, Io& io);

}  // namespace parc::cli
