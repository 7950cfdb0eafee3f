#include "cli/parcctl.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <ostream>
#include <vector>

#include "cli/commands/command.h"
#include "cli/help_text.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

void AddGlobalOptions(CLI::App& app, Context& ctx) {
  app.set_version_flag("--version", std::string("parcctl ") + PARC_VERSION,
                       Tr("Display program version information and exit"));
  app.add_option("--addr", ctx.flags.addr, Tr("parcd address host:port (PARC_ADDR)"));
  app.add_option("--token", ctx.flags.token, Tr("operator API token (PARC_TOKEN)"));
  app.add_option("--ca", ctx.flags.ca, Tr("root certificate: connect with TLS (PARC_CA)"));
  app.add_option("--config", ctx.flags.config,
                 Tr("config file (PARC_CONFIG, default ~/.config/parc/parcctl.toml)"));
  app.add_flag("--json", ctx.json, Tr("print JSON instead of tables"));
}

int RunAction(Context& ctx) {
  try {
    Status status = ctx.action();
    if (status) return 0;
    ctx.io.err << TrF("parcctl: {}", status.error().message) << '\n';
  } catch (const std::exception& e) {
    ctx.io.err << TrF("parcctl: {}", e.what()) << '\n';
  }
  return 1;
}

// `parcctl` or `parcctl agents` alone. (Not CLI11's require_subcommand, which
// would report "subcommand required" for a misspelt verb instead of naming it.)
int MissingSubcommand(const CLI::App& app, Io& io) {
  const CLI::App* deepest = &app;
  while (!deepest->get_subcommands().empty()) deepest = deepest->get_subcommands().front();
  io.err << deepest->help() << Tr("A subcommand is required") << '\n';
  return 2;
}

}  // namespace

int Main(std::span<const std::string> args, Io& io) {
  // Everything below speaks the operator's language (LANG, LC_MESSAGES, LC_ALL).
  ScopedLanguage language(LanguageFromEnvironment(io.env));
  Context ctx(io);
  CLI::App app{Tr("Parc: devices lent to staff, who has what, and their training."), "parcctl"};
  LocalizeApp(app);
  // Global options are accepted after the verb too: `parcctl agents list --json`.
  app.fallthrough();
  AddGlobalOptions(app, ctx);
  RegisterAgents(app, ctx);
  RegisterDevices(app, ctx);
  RegisterSites(app, ctx);
  RegisterAllocations(app, ctx);
  RegisterImports(app, ctx);
  RegisterExports(app, ctx);
  RegisterAdmin(app, ctx);
  RegisterEnrollment(app, ctx);
  RegisterReports(app, ctx);
  RegisterSkills(app, ctx);
  RegisterModules(app, ctx);
  RegisterProgress(app, ctx);
  LocalizeSubcommandGroups(app);

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, io.out, io.err) == 0 ? 0 : 2;
  }
  if (!ctx.action) return MissingSubcommand(app, io);
  return RunAction(ctx);
}

}  // namespace parc::cli
