// parcctl import agents|devices|pix FILE.csv: the file goes to the server as it is
// (the server parses and validates it, so that the page and the command line
// accept exactly the same files). Nothing is written when any line is wrong.
#include <fmt/format.h>

#include "cli/commands/command.h"
#include "common/i18n.h"
#include "common/import_columns.h"

namespace parc::cli {
namespace {

using Inventory = v1::InventoryService::StubInterface;
using ImportMethod = grpc::Status (Inventory::*)(grpc::ClientContext*, const v1::ImportRequest&,
                                                 v1::ImportResult*);

struct ImportOptions {
  std::string path;
  bool dry_run = false;
  std::vector<std::string> ignore_columns;
};

std::string ProblemLine(const v1::ImportProblem& p) {
  if (p.column().empty()) return TrF("line {0}: {1}", p.line(), p.reason());
  return TrF("line {0}, column {1}: {2}", p.line(), p.column(), p.reason());
}

Status Report(Context& ctx, const ImportOptions& opts, const v1::ImportResult& result) {
  if (ctx.json) PrintJson(ctx.io.out, result);
  if (result.problems_size() > 0) {
    std::string name = opts.path == "-" ? Tr("standard input") : opts.path;
    for (const auto& problem : result.problems()) {
      ctx.io.err << TrF("{0}: {1}", name, ProblemLine(problem)) << '\n';
    }
    return Fail(ErrorCode::kInvalidArgument, TrF("{0} problem(s) in {1}; nothing was written",
                                                 result.problems_size(), opts.path));
  }
  if (!ctx.json) {
    for (const auto& site : result.new_sites()) {
      ctx.io.out << TrF("new site {0} \"{1}\"", site.code(), site.name())
                 << (result.applied() ? "" : Tr(" (would be created)")) << '\n';
    }
    for (const auto& c : result.changes()) {
      ctx.io.out << TrF("line {0}, {1}: {2} '{3}' -> '{4}'", c.line(), c.key(), c.field(),
                        c.old_value(), c.new_value())
                 << '\n';
    }
    ctx.io.out << TrF("created {0}, updated {1}, unchanged {2}", result.created(), result.updated(),
                      result.unchanged());
    if (!result.applied()) ctx.io.out << Tr(" (dry run: nothing was written)");
    ctx.io.out << '\n';
  }
  return Ok();
}

void AddImport(CLI::App& import, Context& ctx, const char* name, ImportMethod method,
               std::span<const import_columns::Column> columns) {
  auto* sub = import.add_subcommand(name, std::string(name) == "agents"
                                              ? Tr("import agents from a CSV file")
                                              : Tr("import devices from a CSV file"));
  sub->footer(
      TrF("Columns (any order; accents, case and spaces ignored; an unknown header stops "
          "the import): {}",
          import_columns::Describe(columns)));
  auto opts = std::make_shared<ImportOptions>();
  sub->add_option("FILE", opts->path, Tr("CSV file (';' or ','), '-' for standard input"))
      ->required();
  sub->add_flag("--dry-run", opts->dry_run, Tr("check the file, write nothing"));
  sub->add_option("--ignore-column", opts->ignore_columns,
                  Tr("import the file without this column (repeatable)"))
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  OnRun(sub, ctx, [&ctx, opts, method](Client& client) -> Status {
    v1::ImportRequest request;
    PARC_ASSIGN_OR_RETURN(*request.mutable_csv(), ReadInput(ctx, opts->path));
    request.set_dry_run(opts->dry_run);
    for (const auto& c : opts->ignore_columns) request.add_ignore_columns(c);
    PARC_ASSIGN_OR_RETURN(v1::ImportResult result, client.Call(method, request));
    return Report(ctx, *opts, result);
  });
}

using Training = v1::TrainingService::StubInterface;

struct PixOptions {
  ImportOptions file;
  std::string id_column;
};

// parcctl import pix: a Pix Orga campaign export, as downloaded.
void AddPixImport(CLI::App& import, Context& ctx) {
  auto* sub = import.add_subcommand(
      "pix", Tr("import Pix results from a Pix Orga campaign export (CSV, as downloaded)"));
  sub->footer(
      Tr("Both exports are read: assessment campaigns (\"Partage (O/N)\", mastery rate) and "
         "profiles collections (\"Envoi (O/N)\", pix total). The employee number is the "
         "campaign's external id column; name it with --id-column when the file has several "
         "candidates. Participations not shared are skipped."));
  auto opts = std::make_shared<PixOptions>();
  sub->add_option("FILE", opts->file.path, Tr("the exported .csv file, '-' for standard input"))
      ->required();
  sub->add_option("--id-column", opts->id_column,
                  Tr("header of the employee number column, e.g. \"Matricule agent\""));
  sub->add_flag("--dry-run", opts->file.dry_run, Tr("check the file, write nothing"));
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    v1::ImportSkillAssessmentsRequest request;
    PARC_ASSIGN_OR_RETURN(*request.mutable_csv(), ReadInput(ctx, opts->file.path));
    request.set_dry_run(opts->file.dry_run);
    request.set_id_column(opts->id_column);
    PARC_ASSIGN_OR_RETURN(auto result, client.Call(&Training::ImportSkillAssessments, request));
    if (ctx.json) PrintJson(ctx.io.out, result);
    if (result.problems_size() > 0) {
      std::string name = opts->file.path == "-" ? Tr("standard input") : opts->file.path;
      for (const auto& problem : result.problems()) {
        ctx.io.err << TrF("{0}: {1}", name, ProblemLine(problem)) << '\n';
      }
      return Fail(ErrorCode::kInvalidArgument, TrF("{0} problem(s) in {1}; nothing was written",
                                                   result.problems_size(), opts->file.path));
    }
    if (!ctx.json) {
      ctx.io.out << TrF("{0} export: imported {1}, unchanged {2}, not shared {3}", result.format(),
                        result.imported(), result.unchanged(), result.not_shared());
      if (!result.applied()) ctx.io.out << Tr(" (dry run: nothing was written)");
      ctx.io.out << '\n';
    }
    return Ok();
  });
}

}  // namespace

void RegisterImports(CLI::App& app, Context& ctx) {
  auto* import = app.add_subcommand("import", Tr("create or update records from a CSV file"));
  AddImport(*import, ctx, "agents", &Inventory::ImportAgents, import_columns::Agents());
  AddImport(*import, ctx, "devices", &Inventory::ImportDevices, import_columns::Devices());
  AddPixImport(*import, ctx);
}

}  // namespace parc::cli
