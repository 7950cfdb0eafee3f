// parc-agent, the device client. main() is a shim around AgentMain(), so that
// tests run commands in-process and read what was printed.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>

namespace parc::agent {

// The world as parc-agent's command line sees it. Borrowed for the duration of
// AgentMain().
struct Io {
  std::ostream& out;  // results (the device id, status)
  std::ostream& err;  // errors and hints
  // Environment lookup (PARC_AGENT_STATE_DIR, PARC_AGENT_ROOT,
  // PARC_AGENT_TOKEN, and LC_ALL/LC_MESSAGES/LANG for the language of errors);
  // nullopt when unset.
  std::function<std::optional<std::string>(const std::string&)> env;
};

// `args` are the arguments after the program name. Returns the exit code: 0 ok,
// 1 error (message on io.err), 2 usage error. `run` returns after SIGTERM.
int AgentMain(std::span<const std::string> args, Io& io);

}  // namespace parc::agent
