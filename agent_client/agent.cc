#include "agent_client/agent.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <ostream>
#include <vector>

#include "agent_client/commands.h"
#include "agent_client/state.h"
#include "common/i18n.h"
#include "common/logging.h"

namespace parc::agent {
namespace {

struct Parsed {
  Globals globals;
  EnrollOptions enroll;
  RunOptions run;
  ModuleOptions module;
  std::string employee_number;
  std::string log_level = "info";
  std::string log_format = "text";
};

void AddEnroll(CLI::App& app, Parsed& parsed) {
  auto* enroll = app.add_subcommand("enroll", "enroll this device with a token, once");
  enroll->add_option("--server", parsed.enroll.server, "parcd address HOST:PORT")->required();
  enroll->add_option("--token", parsed.enroll.token,
                     "enrollment token or its URL (PARC_AGENT_TOKEN)");
  enroll->add_option("--ca", parsed.enroll.ca, "root certificate: connect with TLS")
      ->check(CLI::ExistingFile);
  enroll->add_option("--serial", parsed.enroll.serial,
                     "serial number (default: dmi product_serial, else machine-id)");
  enroll->add_option("--kind", parsed.enroll.kind, "tablet, smartphone or shared_pc")
      ->check(CLI::IsMember({"tablet", "smartphone", "shared_pc"}));
  enroll->add_flag("--force", parsed.enroll.force, "enroll again, replacing the credential");
}

void AddCommands(CLI::App& app, Parsed& parsed) {
  app.set_version_flag("--version", std::string("parc-agent ") + PARC_VERSION);
  app.add_option("--state-dir", parsed.globals.state_dir,
                 "state directory (PARC_AGENT_STATE_DIR, default /var/lib/parc-agent)");
  app.add_option("--root", parsed.globals.root,
                 "root the collectors read /sys, /proc, /etc below (PARC_AGENT_ROOT)");
  app.add_option("--log-level", parsed.log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.add_option("--log-format", parsed.log_format,
                 "text, json or journal (systemd: no time, the priority as <N>)")
      ->check(CLI::IsMember({"text", "json", "journal"}));
  AddEnroll(app, parsed);
  auto* run = app.add_subcommand("run", "check in on schedule, in the foreground (for systemd)");
  run->add_option("--max-downloads", parsed.run.max_downloads,
                  "content downloads at once (default 2)")
      ->check(CLI::Range(1, 16));
  run->add_option("--bandwidth", parsed.run.bytes_per_second,
                  "cap on content downloads, bytes per second (default: none)")
      ->check(CLI::Range(int64_t{1024}, int64_t{1} << 40));
  run->add_option("--verify-every", parsed.run.verify_seconds,
                  "hash the whole content cache every this many seconds (default 86400)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  app.add_subcommand("status", "what the agent knows: server, device, last check-in, queue");
  app.add_subcommand("login", "record that EMPLOYEE_NUMBER starts using the device")
      ->add_option("EMPLOYEE_NUMBER", parsed.employee_number, "employee number")
      ->required();
  app.add_subcommand("logout", "record that the current user stops using the device");
  app.add_subcommand("modules", "les formations à suivre sur cet appareil");
  auto* open = app.add_subcommand("open", "ouvrir une formation (son premier document)");
  open->add_option("MODULE", parsed.module.module, "code de la formation")->required();
  open->add_option("--opener", parsed.module.opener,
                   "programme qui ouvre le document (PARC_AGENT_OPENER, défaut xdg-open)");
  auto* done = app.add_subcommand(
      "done", "noter une formation terminée, un document terminé (--item) ou un score (--score)");
  done->add_option("MODULE", parsed.module.module, "code de la formation")->required();
  done->add_option("--item", parsed.module.item, "numéro du document terminé (1, 2, ...)")
      ->check(CLI::Range(1, 100000));
  done->add_option("--score", parsed.module.score, "score du quiz, de 0 à 100")
      ->check(CLI::Range(0, 100));
  app.require_subcommand(1);
  app.fallthrough();
}

void ApplyEnvironment(Parsed& parsed, Io& io) {
  if (parsed.globals.state_dir.empty()) {
    parsed.globals.state_dir =
        io.env("PARC_AGENT_STATE_DIR").value_or(std::string(kDefaultStateDir));
  }
  if (parsed.globals.root.empty()) parsed.globals.root = io.env("PARC_AGENT_ROOT").value_or("/");
  if (parsed.enroll.token.empty()) parsed.enroll.token = io.env("PARC_AGENT_TOKEN").value_or("");
}

Status Dispatch(const std::string& verb, Parsed& parsed, Io& io) {
  const Globals& globals = parsed.globals;
  if (verb == "enroll") return Enroll(globals, parsed.enroll, io);
  if (verb == "run") return Run(globals, parsed.run, io);
  if (verb == "modules") return ListModules(globals, io);
  if (verb == "open") return OpenModule(globals, parsed.module, io);
  if (verb == "done") return RecordDone(globals, parsed.module, io);
  if (verb == "status") return PrintStatus(globals, io);
  if (verb == "login") return RecordUsage(globals, parsed.employee_number, io);
  return RecordUsage(globals, std::nullopt, io);
}

}  // namespace

int AgentMain(std::span<const std::string> args, Io& io) {
  // Errors are worded in the device user's language (LANG, LC_MESSAGES, LC_ALL).
  ScopedLanguage language(LanguageFromEnvironment(io.env));
  Parsed parsed;
  CLI::App app{"parc-agent: this device's link to Parc.", "parc-agent"};
  AddCommands(app, parsed);
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, io.out, io.err) == 0 ? 0 : 2;
  }
  ApplyEnvironment(parsed, io);
  if (auto logging = SetupLogging(parsed.log_level, parsed.log_format); !logging) {
    io.err << TrF("parc-agent: {}", logging.error().message) << '\n';
    return 2;
  }
  try {
    Status status = Dispatch(app.get_subcommands().front()->get_name(), parsed, io);
    if (status) return 0;
    io.err << TrF("parc-agent: {}", status.error().message) << '\n';
  } catch (const std::exception& e) {
    io.err << TrF("parc-agent: {}", e.what()) << '\n';
  }
  return 1;
}

}  // namespace parc::agent
