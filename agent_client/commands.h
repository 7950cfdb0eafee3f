// The verbs of parc-agent, one function each, called by AgentMain() once the
// command line is parsed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "agent_client/agent.h"
#include "common/error.h"

namespace parc::agent {

// What every command shares.
struct Globals {
  std::filesystem::path state_dir;  // --state-dir, PARC_AGENT_STATE_DIR
  std::filesystem::path root;       // --root, PARC_AGENT_ROOT: what the collectors read
};

struct EnrollOptions {
  std::string server;
  std::string token;  // never logged nor printed
  std::string ca;
  std::string serial;  // empty: read from the device
  std::string kind;    // tablet | smartphone | shared_pc | empty
  bool force = false;  // enroll again over an existing enrollment
};

Status Enroll(const Globals& globals, const EnrollOptions& options, Io& io);
Status Run(const Globals& globals, Io& io);
Status PrintStatus(const Globals& globals, Io& io);
// `employee_number` set: login; nullopt: logout of whoever is logged in.
Status RecordUsage(const Globals& globals, std::optional<std::string> employee_number, Io& io);

}  // namespace parc::agent
