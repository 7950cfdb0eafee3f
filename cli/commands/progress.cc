// parcctl progress: how far each person got in the modules assigned to them,
// as a table, --json, or CSV for a spreadsheet (--csv, --output FILE).
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "cli/commands/command.h"
#include "cli/table.h"
#include "common/csv_write.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

using Training = v1::TrainingService::StubInterface;
using csv::CsvWriter;

struct ProgressOptions {
  v1::ListProgressRequest request;
  bool overdue = false, all = false, csv = false;
  std::string output;
};

// "2026-06-01" (UTC); empty for an unset timestamp.
std::string Day(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return {};
  std::chrono::sys_seconds t{std::chrono::seconds(ts.seconds())};
  return fmt::format("{:%Y-%m-%d}", t);
}

std::string Score(int32_t score) { return score < 0 ? "" : std::to_string(score); }

void PrintTable(Context& ctx, const v1::ListProgressResponse& r) {
  Table table({Tr("EMPLOYEE"), Tr("NAME"), Tr("DEPARTMENT"), Tr("MODULE"), Tr("OPENED"),
               Tr("ITEMS"), Tr("COMPLETED"), Tr("SCORE"), Tr("DUE"), Tr("OVERDUE")});
  int opened = 0, completed = 0, overdue = 0;
  for (const auto& p : r.rows()) {
    table.AddRow({p.employee_number(), p.display_name(), p.department(), p.module_code(),
                  Day(p.opened_at()), fmt::format("{}/{}", p.items_completed(), p.items_total()),
                  Day(p.completed_at()), Score(p.score()), p.due_date(),
                  p.overdue() ? Tr("OVERDUE") : ""});
    opened += p.has_opened_at() ? 1 : 0;
    completed += p.has_completed_at() ? 1 : 0;
    overdue += p.overdue() ? 1 : 0;
  }
  table.Print(ctx.io.out);
  ctx.io.out << TrF("{0} assigned, {1} opened, {2} completed, {3} overdue", r.rows_size(), opened,
                    completed, overdue)
             << '\n';
  PrintMoreHint(ctx, r.next_page_token());
}

void WriteCsv(std::ostream& out, const v1::ListProgressResponse& r) {
  CsvWriter csv(out);
  csv.WriteRow({"employee_number", "name", "department", "module_code", "module_title", "opened_at",
                "items_completed", "items_total", "completed_at", "score", "due_date", "overdue"});
  for (const auto& p : r.rows()) {
    csv.WriteRow({p.employee_number(), p.display_name(), p.department(), p.module_code(),
                  p.module_title(), When(p.opened_at()), std::to_string(p.items_completed()),
                  std::to_string(p.items_total()), When(p.completed_at()), Score(p.score()),
                  p.due_date(), p.overdue() ? "yes" : "no"});  // a file: not translated
  }
}

// Written beside the target and renamed, so that a failure leaves no half file.
Status WriteCsvFile(const std::string& path, const v1::ListProgressResponse& r) {
  std::string partial = path + ".partial";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(ErrorCode::kInvalidArgument, TrF("cannot write {}", partial));
    WriteCsv(file, r);
    file.close();
    if (!file) {
      std::remove(partial.c_str());
      return Fail(ErrorCode::kInternal, TrF("cannot write {}", path));
    }
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    std::remove(partial.c_str());
    return Fail(ErrorCode::kInternal, TrF("cannot write {}", path));
  }
  return Ok();
}

}  // namespace

void RegisterProgress(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand(
      "progress", Tr("per person and module: opened, items done, completed, score, due, overdue"));
  auto opts = std::make_shared<ProgressOptions>();
  auto& r = opts->request;
  std::vector<CLI::Option*> filters = {
      sub->add_option("--agent", *r.mutable_employee_number(), Tr("one agent's employee number")),
      sub->add_option("--department", *r.mutable_department(), Tr("everyone in this department")),
      sub->add_option("--wave", *r.mutable_wave(), Tr("everyone in this wave (cohort)")),
      sub->add_option("--advisor", *r.mutable_advisor(), Tr("the people this advisor follows"))};
  sub->add_option("--module", *r.mutable_module_code(), Tr("only this module"));
  sub->add_flag("--overdue", opts->overdue, Tr("only modules past their due date, not completed"));
  sub->add_flag("--all", opts->all, Tr("every page, not only the first 100 rows"));
  auto* csv = sub->add_flag("--csv", opts->csv, Tr("CSV (for a spreadsheet) on standard output"));
  sub->add_option("--output,-o", opts->output, Tr("write CSV to this file"))->excludes(csv);
  OnRun(
      sub, ctx,
      [&ctx, opts](Client& client) -> Status {
        v1::ListProgressRequest request = opts->request;
        request.set_page_size(kDefaultPageSize);
        // A filtered list or a file is only right when it holds every row.
        bool every_page = opts->all || opts->overdue || opts->csv || !opts->output.empty();
        PARC_ASSIGN_OR_RETURN(auto response, CollectPages<v1::ListProgressResponse>(
                                                 [&](const std::string& token) {
                                                   request.set_page_token(token);
                                                   return client.Call(&Training::ListProgress,
                                                                      request);
                                                 },
                                                 every_page));
        if (opts->overdue) {
          auto* rows = response.mutable_rows();
          rows->erase(std::remove_if(rows->begin(), rows->end(),
                                     [](const v1::ProgressRow& p) { return !p.overdue(); }),
                      rows->end());
        }
        if (!opts->output.empty()) {
          PARC_TRY(WriteCsvFile(opts->output, response));
          ctx.io.err << TrF("{0} rows written to {1}", response.rows_size(), opts->output) << '\n';
          return Ok();
        }
        if (opts->csv) return WriteCsv(ctx.io.out, response), Ok();
        if (ctx.json) return PrintJson(ctx.io.out, response), Ok();
        PrintTable(ctx, response);
        return Ok();
      },
      [filters] {
        int given = 0;
        for (auto* option : filters) given += option->count() > 0 ? 1 : 0;
        return given <= 1 ? "" : Tr("give at most one of --agent, --department, --wave, --advisor");
      });
}

}  // namespace parc::cli
