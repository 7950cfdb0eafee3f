// The verbs of parc-agent, one function each, called by AgentMain() once the
// command line is parsed.
#pragma once

#include <cstdint>
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

// `parc-agent run`: the content downloads.
struct RunOptions {
  int max_downloads = 2;           // --max-downloads
  int64_t bytes_per_second = 0;    // --bandwidth, 0: no cap
  int64_t verify_seconds = 86400;  // --verify-every: hash the whole cache this often
};

// `parc-agent open|done MODULE`.
struct ModuleOptions {
  std::string module;        // its code, any case
  int item = 0;              // done --item N (1-based position); 0: the module
  std::optional<int> score;  // done --score S (0..100)
  std::string opener;        // open --opener (PARC_AGENT_OPENER, default xdg-open)
};

Status Enroll(const Globals& globals, const EnrollOptions& options, Io& io);
Status Run(const Globals& globals, const RunOptions& options, Io& io);
Status PrintStatus(const Globals& globals, Io& io);
// `employee_number` set: login; nullopt: logout of whoever is logged in.
Status RecordUsage(const Globals& globals, std::optional<std::string> employee_number, Io& io);

// In content_commands.cc.
Status ListModules(const Globals& globals, Io& io);
// Opens the module's first document with the viewer and records "opened".
Status OpenModule(const Globals& globals, const ModuleOptions& options, Io& io);
// Records a completed document (--item), a quiz score (--score) or, with
// neither, the module completed.
Status RecordDone(const Globals& globals, const ModuleOptions& options, Io& io);

}  // namespace parc::agent
