// parcctl report summary|coverage|stale|health|funnel|overdue: the dashboards'
// numbers as tables (or --json), through DashboardService. A manager's token
// shows only their departments.
#include <fmt/format.h>

#include "cli/commands/command.h"
#include "cli/names.h"
#include "cli/table.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

using Dashboard = v1::DashboardService::StubInterface;

std::string Num(int64_t n) { return std::to_string(n); }
std::string Percent(double p) { return fmt::format("{:.1f}%", p); }
std::string Label(const std::string& key) { return key.empty() ? Tr("(none)") : key; }

// The filters every report takes.
struct Filters {
  std::string department, site;
  int32_t days = 0, limit = 0;  // 0: the server's default
};

void AddFilters(CLI::App* sub, Filters& f) {
  sub->add_option("--department", f.department, Tr("only this department"));
  sub->add_option("--site", f.site, Tr("only this site"));
}

v1::DashboardRequest RequestOf(const Filters& f) {
  v1::DashboardRequest r;
  r.set_department(f.department);
  r.set_site(f.site);
  return r;
}

void Heading(Context& ctx, Text title) { ctx.io.out << '\n' << Tr(title) << '\n'; }

std::vector<std::string> DeviceColumns() {
  return {Tr("TOTAL"),    Tr("PERSONAL"),  Tr("SITE POOLS"), Tr("ON LOAN"),
          Tr("IN STOCK"), Tr("IN REPAIR"), Tr("LOST"),       Tr("RETIRED")};
}

std::vector<std::string> DeviceCells(const v1::DeviceCounts& c) {
  return {Num(c.total()),    Num(c.assigned_personal()), Num(c.in_site_pools()), Num(c.on_loan()),
          Num(c.in_stock()), Num(c.in_repair()),         Num(c.lost()),          Num(c.retired())};
}

template <typename Rows, typename KeyFn, typename CellsFn>
void KeyedTable(Context& ctx, const std::string& key_header, std::vector<std::string> headers,
                const Rows& rows, KeyFn key, CellsFn cells) {
  headers.insert(headers.begin(), key_header);
  Table table(headers);
  for (const auto& row : rows) {
    std::vector<std::string> line = cells(row);
    line.insert(line.begin(), Label(key(row)));
    table.AddRow(std::move(line));
  }
  table.Print(ctx.io.out);
}

void PrintSummary(Context& ctx, const v1::AllocationSummaryResponse& r) {
  Table totals(DeviceColumns());
  totals.AddRow(DeviceCells(r.totals()));
  ctx.io.out << Tr("Devices") << '\n';
  totals.Print(ctx.io.out);
  Heading(ctx, "By department");
  KeyedTable(
      ctx, Tr("DEPARTMENT"), DeviceColumns(), r.by_department(),
      [](const auto& d) { return d.department(); },
      [](const auto& d) { return DeviceCells(d.counts()); });
  Heading(ctx, "By site");
  KeyedTable(
      ctx, Tr("SITE"), DeviceColumns(), r.by_site(), [](const auto& s) { return s.site(); },
      [](const auto& s) { return DeviceCells(s.counts()); });
  Heading(ctx, "By kind and lifecycle");
  Table kinds({Tr("KIND"), Tr("LIFECYCLE"), Tr("DEVICES")});
  for (const auto& c : r.by_kind_lifecycle()) {
    kinds.AddRow({KindLabel(c.kind()), LifecycleLabel(c.lifecycle()), Num(c.devices())});
  }
  kinds.Print(ctx.io.out);
}

std::vector<std::string> CoverageColumns() {
  return {Tr("TARGETED"), Tr("EQUIPPED"), Tr("NOT EQUIPPED"), Tr("EQUIPPED %")};
}

std::vector<std::string> CoverageCells(const v1::CoverageCounts& c) {
  return {Num(c.targeted()), Num(c.equipped()), Num(c.not_equipped()),
          Percent(c.equipped_percent())};
}

void PrintCoverage(Context& ctx, const v1::CoverageResponse& r) {
  ctx.io.out << Tr("Targeted staff (no email, or in a wave) with a device of their own") << '\n';
  Table totals(CoverageColumns());
  totals.AddRow(CoverageCells(r.totals()));
  totals.Print(ctx.io.out);
  Heading(ctx, "By department");
  KeyedTable(
      ctx, Tr("DEPARTMENT"), CoverageColumns(), r.by_department(),
      [](const auto& d) { return d.department(); },
      [](const auto& d) { return CoverageCells(d.counts()); });
  Heading(ctx, "By site");
  KeyedTable(
      ctx, Tr("SITE"), CoverageColumns(), r.by_site(), [](const auto& s) { return s.site(); },
      [](const auto& s) { return CoverageCells(s.counts()); });
}

void PrintDepartmentCounts(Context& ctx, const std::string& header,
                           const google::protobuf::RepeatedPtrField<v1::DepartmentCount>& rows) {
  Heading(ctx, "By department");
  KeyedTable(
      ctx, Tr("DEPARTMENT"), {header}, rows, [](const auto& d) { return d.department(); },
      [](const auto& d) { return std::vector<std::string>{Num(d.count())}; });
}

void PrintStale(Context& ctx, const v1::StaleDevicesResponse& r) {
  ctx.io.out << TrF("Enrolled devices not seen for {0} days: {1} ({2} never checked in)", r.days(),
                    r.total(), r.never_checked_in())
             << '\n';
  PrintDepartmentCounts(ctx, Tr("STALE"), r.by_department());
  Heading(ctx, "Devices, longest silent first");
  Table table({Tr("SERIAL"), Tr("ASSET TAG"), Tr("KIND"), Tr("DEPARTMENT"), Tr("SITE"),
               Tr("LAST USER"), Tr("LAST SEEN"), Tr("DAYS"), Tr("BATTERY"), Tr("OS"),
               Tr("@software:AGENT")});
  for (const auto& d : r.devices()) {
    table.AddRow({d.serial(), d.asset_tag(), KindLabel(d.kind()), d.department(), d.site(),
                  d.last_user(), d.never_checked_in() ? Tr("never") : When(d.last_seen()),
                  Num(d.days_silent()),
                  d.battery_percent() < 0 ? "" : fmt::format("{}%", d.battery_percent()),
                  d.os_version(), d.agent_version()});
  }
  table.Print(ctx.io.out);
  if (r.total() > r.devices_size()) {
    ctx.io.err << TrF("{0} of {1} listed; use --limit to see more", r.devices_size(), r.total())
               << '\n';
  }
}

std::vector<std::string> HealthColumns() {
  return {Tr("ENROLLED"),  Tr("LOW BATTERY"), Tr("LOW STORAGE"), Tr("OLD OS"),
          Tr("OLD AGENT"), Tr("NEVER SEEN"),  Tr("OTHER USER")};
}

std::vector<std::string> HealthCells(const v1::HealthCounts& c) {
  return {Num(c.enrolled()),
          Num(c.low_battery()),
          Num(c.low_storage()),
          Num(c.outdated_os()),
          Num(c.outdated_agent()),
          Num(c.never_checked_in()),
          Num(c.used_by_someone_else())};
}

void PrintHealth(Context& ctx, const v1::FleetHealthResponse& r) {
  ctx.io.out << Tr("Enrolled devices: battery < 20%, free storage < 10%, versions below the "
                   "fleet's most common")
             << '\n';
  Table totals(HealthColumns());
  totals.AddRow(HealthCells(r.totals()));
  totals.Print(ctx.io.out);
  Heading(ctx, "By department");
  KeyedTable(
      ctx, Tr("DEPARTMENT"), HealthColumns(), r.by_department(),
      [](const auto& d) { return d.department(); },
      [](const auto& d) { return HealthCells(d.counts()); });
  Heading(ctx, "Reference versions");
  Table refs({Tr("KIND"), Tr("OS")});
  for (const auto& ref : r.reference_os()) {
    refs.AddRow({KindLabel(ref.kind()), ref.os_version()});
  }
  refs.AddRow({Tr("@software:agent"), r.reference_agent_version()});
  refs.Print(ctx.io.out);
  if (r.used_by_someone_else_size() > 0) {
    Heading(ctx, "Assigned to one person, used by another");
    Table table({Tr("SERIAL"), Tr("ASSET TAG"), Tr("DEPARTMENT"), Tr("HOLDER"), Tr("USED BY"),
                 Tr("SINCE")});
    for (const auto& f : r.used_by_someone_else()) {
      table.AddRow(
          {f.serial(), f.asset_tag(), f.department(), f.holder(), f.used_by(), When(f.since())});
    }
    table.Print(ctx.io.out);
  }
}

std::vector<std::string> FunnelColumns() {
  return {Tr("TARGETED"), Tr("ASSESSED"), Tr("ASSIGNED"), Tr("STARTED"), Tr("COMPLETED")};
}

std::vector<std::string> FunnelCells(const v1::FunnelCounts& c) {
  return {Num(c.targeted()), Num(c.assessed()), Num(c.assigned()), Num(c.started()),
          Num(c.completed())};
}

void PrintFunnel(Context& ctx, const v1::TrainingFunnelResponse& r) {
  ctx.io.out << Tr("Training funnel (targeted staff: assessed by Pix, assigned a published "
                   "module, started one, completed all of theirs)")
             << '\n';
  Table totals(FunnelColumns());
  totals.AddRow(FunnelCells(r.totals()));
  totals.Print(ctx.io.out);
  for (const auto& [title, header, rows] :
       {std::tuple{Text("By department"), Text("DEPARTMENT"), &r.by_department()},
        std::tuple{Text("By advisor"), Text("ADVISOR"), &r.by_advisor()},
        std::tuple{Text("By wave"), Text("WAVE"), &r.by_wave()}}) {
    Heading(ctx, title);
    KeyedTable(
        ctx, Tr(header), FunnelColumns(), *rows, [](const auto& f) { return f.key(); },
        [](const auto& f) { return FunnelCells(f.counts()); });
  }
  Heading(ctx, "By skill tier ((none): never assessed)");
  KeyedTable(
      ctx, Tr("TIER"), FunnelColumns(), r.by_tier(),
      [](const auto& f) {
        return f.name().empty() ? f.key() : fmt::format("{} ({})", f.key(), f.name());
      },
      [](const auto& f) { return FunnelCells(f.counts()); });
}

void PrintOverdue(Context& ctx, const v1::OverdueLoansResponse& r) {
  ctx.io.out << TrF("Loans past their due date: {}", r.total()) << '\n';
  PrintDepartmentCounts(ctx, Tr("OVERDUE"), r.by_department());
  Heading(ctx, "Loans, most overdue first");
  Table table({Tr("EMPLOYEE"), Tr("NAME"), Tr("DEPARTMENT"), Tr("SERIAL"), Tr("ASSET TAG"),
               Tr("KIND"), Tr("DUE"), Tr("DAYS OVERDUE")});
  for (const auto& l : r.loans()) {
    table.AddRow({l.employee_number(), l.agent_name(), l.department(), l.serial(), l.asset_tag(),
                  KindLabel(l.kind()), l.due_date(), Num(l.days_overdue())});
  }
  table.Print(ctx.io.out);
  if (r.total() > r.loans_size()) {
    ctx.io.err << TrF("{0} of {1} listed; use --limit to see more", r.loans_size(), r.total())
               << '\n';
  }
}

// A report over DashboardRequest: `rpc` fetches, `print` renders.
template <typename Resp>
void AddSimple(CLI::App& report, Context& ctx, const std::string& name, Text help,
               grpc::Status (Dashboard::*rpc)(grpc::ClientContext*, const v1::DashboardRequest&,
                                              Resp*),
               void (*print)(Context&, const Resp&)) {
  auto* sub = report.add_subcommand(name, Tr(help));
  auto filters = std::make_shared<Filters>();
  AddFilters(sub, *filters);
  OnRun(sub, ctx, [&ctx, filters, rpc, print](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(Resp r, client.Call(rpc, RequestOf(*filters)));
    if (ctx.json) {
      PrintJson(ctx.io.out, r);
    } else {
      print(ctx, r);
    }
    return Ok();
  });
}

void AddStale(CLI::App& report, Context& ctx) {
  auto* sub = report.add_subcommand("stale", Tr("enrolled devices not seen for N days"));
  auto filters = std::make_shared<Filters>();
  auto request = std::make_shared<v1::StaleDevicesRequest>();
  AddFilters(sub, *filters);
  sub->add_option("--days", filters->days, Tr("days of silence (default 7)"))
      ->check(CLI::Range(1, 3660));
  sub->add_option("--limit", filters->limit, Tr("devices listed (default 100)"))
      ->check(CLI::Range(1, 1000));
  OnRun(sub, ctx, [&ctx, filters, request](Client& client) -> Status {
    request->set_department(filters->department);
    request->set_site(filters->site);
    request->set_days(filters->days);
    request->set_limit(filters->limit);
    PARC_ASSIGN_OR_RETURN(auto r, client.Call(&Dashboard::StaleDevices, *request));
    if (ctx.json) return PrintJson(ctx.io.out, r), Ok();
    PrintStale(ctx, r);
    return Ok();
  });
}

void AddOverdue(CLI::App& report, Context& ctx) {
  auto* sub = report.add_subcommand("overdue", Tr("loans past their due date"));
  auto filters = std::make_shared<Filters>();
  auto request = std::make_shared<v1::OverdueLoansRequest>();
  AddFilters(sub, *filters);
  sub->add_option("--limit", filters->limit, Tr("loans listed (default 100)"))
      ->check(CLI::Range(1, 1000));
  OnRun(sub, ctx, [&ctx, filters, request](Client& client) -> Status {
    request->set_department(filters->department);
    request->set_site(filters->site);
    request->set_limit(filters->limit);
    PARC_ASSIGN_OR_RETURN(auto r, client.Call(&Dashboard::OverdueLoans, *request));
    if (ctx.json) return PrintJson(ctx.io.out, r), Ok();
    PrintOverdue(ctx, r);
    return Ok();
  });
}

}  // namespace

void RegisterReports(CLI::App& app, Context& ctx) {
  auto* report = app.add_subcommand("report", Tr("dashboards: summary, coverage, stale, health, "
                                                 "funnel, overdue"));
  report->require_subcommand(1);
  AddSimple(*report, ctx, "summary", "devices by kind, lifecycle, department and site",
            &Dashboard::AllocationSummary, &PrintSummary);
  AddSimple(*report, ctx, "coverage", "targeted staff with and without a device",
            &Dashboard::Coverage, &PrintCoverage);
  AddStale(*report, ctx);
  AddSimple(*report, ctx, "health", "battery, storage, versions, silence, other users",
            &Dashboard::FleetHealth, &PrintHealth);
  AddSimple(*report, ctx, "funnel", "training funnel per department, advisor and wave",
            &Dashboard::TrainingFunnel, &PrintFunnel);
  AddOverdue(*report, ctx);
}

}  // namespace parc::cli
