#include "daemon/parcd.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstring>
#include <filesystem>
#include <ostream>

#include "common/clock.h"
#include "common/logging.h"
#include "daemon/demo/demo.h"
#include "daemon/domain/bootstrap.h"
#include "daemon/server.h"
#include "daemon/store/sqlite/sqlite_store.h"

namespace parc {
namespace {

// Writes `secret` to a new file readable by its owner only. Refuses to
// overwrite: the admin token is written once.
Status WriteSecretFile(const std::string& path, const std::string& secret) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return Fail(ErrorCode::kFailedPrecondition,
                "admin_token_file: cannot create " + path + ": " + std::strerror(errno));
  std::string line = secret + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(ErrorCode::kUnavailable, "admin_token_file: cannot write " + path);
  return Ok();
}

struct InitOptions {
  std::string demo = "none";  // none (an empty city) or city (the demo city, asked for)
  std::string admin_name = "admin";
  demo::DemoSize demo_size;  // --demo-staff, --demo-devices, --demo-sites (benchmarks)
};

Status LoadDemoCity(const Config& config, const InitOptions& options, store::Store& store,
                    const Clock& clock, std::ostream& out) {
  demo::DemoSize size = options.demo_size;
  size.content_dir = config.ContentDir();
  PARC_ASSIGN_OR_RETURN(auto summary, demo::LoadDemo(store, size, clock.NowMs()));
  out << fmt::format(
      "demo data:   {} agents ({} without email), {} devices ({} personal, {} in site pools, {} "
      "loans of which {} overdue, {} in repair, {} lost), {} sites, {} devices enrolled ({} "
      "stale, {} never checked in)\n",
      summary.agents, summary.agents_without_email, summary.devices, summary.personal,
      summary.site_pool, summary.loans, summary.overdue_loans, summary.in_repair, summary.lost,
      summary.sites, summary.enrolled, summary.stale, summary.never_checked_in);
  out << fmt::format(
      "pix results: {} people ({} results), current tiers: {} illectronisme, {} debutant, {} "
      "a-consolider, {} autonome\n",
      summary.assessed, summary.assessments, summary.assessed_by_tier[0],
      summary.assessed_by_tier[1], summary.assessed_by_tier[2], summary.assessed_by_tier[3]);
  out << fmt::format("training:    {} published modules, {} assignments, {} progress events\n",
                     summary.modules, summary.module_assignments, summary.progress_events);
  return Ok();
}

// `parcd init --demo city` on a database made by an earlier `parcd init`: the
// demo goes only into a city with no agents, devices or sites yet, so that it
// never mixes fictional staff into real records.
Status AddDemoToExisting(const Config& config, const InitOptions& options, std::ostream& out) {
  PARC_ASSIGN_OR_RETURN(auto store,
                        store::sqlite::Open({.path = config.DatabasePath(), .create = false}));
  size_t agents = 0, devices = 0, sites = 0;
  PARC_TRY(store->Read([&](store::Reader& r) -> Status {
    store::AgentFilter af;
    af.page.limit = 1000;
    PARC_ASSIGN_OR_RETURN(auto a, r.ListAgents(af));
    store::DeviceFilter df;
    df.page.limit = 1000;
    PARC_ASSIGN_OR_RETURN(auto d, r.ListDevices(df));
    store::SiteFilter sf;
    sf.page.limit = 1000;
    PARC_ASSIGN_OR_RETURN(auto s, r.ListSites(sf));
    agents = a.size();
    devices = d.size();
    sites = s.size();
    return Ok();
  }));
  if (agents + devices + sites > 0) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("--demo: {} already holds {}{} agents and {}{} devices ({} sites): "
                            "the demo city goes only into an empty database",
                            config.DatabasePath(), agents >= 1000 ? "at least " : "", agents,
                            devices >= 1000 ? "at least " : "", devices, sites));
  }
  SystemClock clock;
  out << "database:    " << config.DatabasePath() << " (schema " << store->SchemaVersion()
      << ", was empty)\n";
  return LoadDemoCity(config, options, *store, clock, out);
}

Status Init(const Config& config, const InitOptions& options, std::ostream& out) {
  if (options.demo != "city" && options.demo != "none")
    return InvalidArgument("--demo", "'" + options.demo + "' is not one of city, none");
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return Fail(ErrorCode::kUnavailable,
                "data_dir: cannot create " + config.data_dir + ": " + ec.message());
  std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  if (std::filesystem::exists(config.DatabasePath())) {
    if (options.demo == "city") return AddDemoToExisting(config, options, out);
    return Fail(ErrorCode::kAlreadyExists,
                "database: " + config.DatabasePath() + " already exists");
  }
  if (std::filesystem::exists(config.AdminTokenPath())) {
    return Fail(ErrorCode::kAlreadyExists,
                "admin_token_file: " + config.AdminTokenPath() + " already exists");
  }
  PARC_ASSIGN_OR_RETURN(auto store,
                        store::sqlite::Open({.path = config.DatabasePath(), .create = true}));
  SystemClock clock;
  PARC_ASSIGN_OR_RETURN(std::string secret, domain::Bootstrap(*store, clock, options.admin_name));
  PARC_TRY(WriteSecretFile(config.AdminTokenPath(), secret));
  out << "database:    " << config.DatabasePath() << " (schema " << store->SchemaVersion() << ")\n"
      << "admin token: " << config.AdminTokenPath() << " (operator '" << options.admin_name
      << "', shown nowhere else)\n";
  if (options.demo == "city") return LoadDemoCity(config, options, *store, clock, out);
  out << "city:        empty (`parcctl import agents|devices FILE.csv` fills it)\n";
  return Ok();
}

int Report(const Status& status, Io& io) {
  if (status) return 0;
  io.err << "parcd: " << status.error().message << "\n";
  return 1;
}

}  // namespace

int ParcdMain(std::span<const std::string> args, Io& io) {
  CLI::App app{"parcd — Parc, the device fleet server"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "Print the version and exit");

  ConfigFlags init_flags, serve_flags, config_flags;
  InitOptions init_options;
  auto* init =
      app.add_subcommand("init", "Create the data directory, the database and the first admin");
  init_flags.Register(*init);
  init->add_option("--demo", init_options.demo,
                   "Demo data to load: none (default, an empty city) or city (fictional staff and "
                   "devices, only into an empty database)")
      ->capture_default_str();
  init->add_option("--admin-name", init_options.admin_name, "Name of the first admin")
      ->capture_default_str();
  init->add_option("--demo-staff", init_options.demo_size.staff, "Staff in the demo city")
      ->capture_default_str();
  init->add_option("--demo-devices", init_options.demo_size.devices, "Devices in the demo city")
      ->capture_default_str();
  init->add_option("--demo-sites", init_options.demo_size.sites, "Sites in the demo city")
      ->capture_default_str();
  auto* serve = app.add_subcommand("serve", "Serve the API until SIGTERM");
  serve_flags.Register(*serve);
  auto* show = app.add_subcommand("config", "Print the effective configuration");
  config_flags.Register(*show);
  bool example = false;
  show->add_flag("--example", example, "Print a commented example file instead");

  std::vector<std::string> reversed(args.rbegin(), args.rend() - (args.empty() ? 0 : 1));
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, io.out, io.err);
    return code == 0 ? 0 : 2;
  }
  if (version) {
    io.out << "parcd " << PARC_VERSION << "\n";
    return 0;
  }
  const ConfigFlags& flags = init->parsed()    ? init_flags
                             : serve->parsed() ? serve_flags
                                               : config_flags;
  if (!init->parsed() && !serve->parsed() && !show->parsed()) {
    io.err << app.help();
    return 2;
  }
  if (show->parsed() && example) {
    io.out << ExampleConfigToml();
    return 0;
  }
  auto config = LoadConfig(flags, io.env);
  if (!config) return Report(std::unexpected(config.error()), io);
  if (auto logging = SetupLogging(config->log_level, config->log_format); !logging)
    return Report(logging, io);
  if (show->parsed()) {
    io.out << DescribeConfig(*config);
    return 0;
  }
  if (init->parsed()) return Report(Init(*config, init_options, io.out), io);
  return Report(Serve(*config), io);
}

}  // namespace parc
