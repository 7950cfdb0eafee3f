// parcctl assign|return|history: who has which device.
#include <fmt/format.h>

#include "cli/commands/command.h"
#include "cli/names.h"
#include "cli/table.h"
#include "common/i18n.h"
#include "common/time.h"

namespace parc::cli {

void PrintAllocationTable(Context& ctx,
                          const google::protobuf::RepeatedPtrField<v1::Allocation>& allocations) {
  Table table({Tr("DEVICE"), Tr("KIND"), Tr("TO"), Tr("NAME"), Tr("DUE"), Tr("FROM"), Tr("UNTIL"),
               Tr("BY"), Tr("CONDITION")});
  for (const auto& a : allocations) {
    std::string to =
        a.kind() == v1::ALLOCATION_KIND_SITE ? TrF("site {}", a.site()) : a.employee_number();
    std::string device = a.device_asset_tag().empty() ? a.device_serial() : a.device_asset_tag();
    table.AddRow({device, AllocationKindLabel(a.kind()), to, a.agent_name(), a.due_date(),
                  When(a.started_at()), When(a.ended_at()), a.started_by(), a.return_condition()});
  }
  table.Print(ctx.io.out);
}

namespace {

using Allocations = v1::AllocationService::StubInterface;

// `since`: the start date given for a back-dated record, "" otherwise.
void PrintAllocation(Context& ctx, const v1::Allocation& a, std::string_view verb,
                     std::string_view since = "") {
  if (ctx.json) return PrintJson(ctx.io.out, a);
  std::string device = a.device_asset_tag().empty() ? a.device_serial() : a.device_asset_tag();
  std::string to = a.kind() == v1::ALLOCATION_KIND_SITE
                       ? TrF("site {}", a.site())
                       : fmt::format("{} ({})", a.employee_number(), a.agent_name());
  ctx.io.out << fmt::format("{} {} {}", device, verb, to);
  if (!a.due_date().empty()) ctx.io.out << TrF(", due {}", a.due_date());
  if (!since.empty()) ctx.io.out << TrF(", since {} (back-dated)", since);
  if (a.returned_to() != v1::LIFECYCLE_UNSPECIFIED) {
    ctx.io.out << TrF(", now {}", LifecycleLabel(a.returned_to()));
  }
  ctx.io.out << '\n';
}

struct AssignOptions {
  v1::AssignRequest request;
  std::string employee, site, since;
};

void AddAssign(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("assign", Tr("give a device to an agent or to a site's pool"));
  auto opts = std::make_shared<AssignOptions>();
  auto& r = opts->request;
  sub->add_option("DEVICE", *r.mutable_device(), Tr("asset tag or serial"))->required();
  auto* employee = sub->add_option("EMPLOYEE", opts->employee, Tr("employee number"));
  auto* site =
      sub->add_option("--site", opts->site, Tr("a site's shared pool instead of a person"));
  site->excludes(employee);
  sub->add_option("--due", *r.mutable_due_date(), Tr("lend until this date"))->transform(DateArg());
  sub->add_option("--notes", *r.mutable_notes(), Tr("free text"));
  sub->add_option(
         "--since", opts->since,
         Tr("when it really started (a paper record entered late; --due may then be past)"))
      ->transform(DateArg());
  OnRun(
      sub, ctx,
      [&ctx, opts, site](Client& client) -> Status {
        v1::AssignRequest request = opts->request;
        if (!opts->since.empty()) ToTimestamp(DateMs(opts->since), request.mutable_started_at());
        if (site->count() > 0) {
          request.set_site(opts->site);
        } else {
          request.set_employee_number(opts->employee);
        }
        PARC_ASSIGN_OR_RETURN(auto allocation, client.Call(&Allocations::Assign, request));
        PrintAllocation(ctx, allocation, Tr("assigned to"), opts->since);
        return Ok();
      },
      [employee, site] {
        return employee->count() + site->count() == 0 ? Tr("give EMPLOYEE or --site SITE") : "";
      });
}

void AddReturn(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("return", Tr("take a device back"));
  auto request = std::make_shared<v1::ReturnRequest>();
  auto to = std::make_shared<std::string>("in_stock");
  sub->add_option("DEVICE", *request->mutable_device(), Tr("asset tag or serial"))->required();
  sub->add_option("--condition", *request->mutable_condition(), Tr("state it came back in"));
  sub->add_option("--to", *to, Tr("where it goes (default in_stock)"))
      ->check(Word({"in_stock", "in_repair", "lost"}));
  OnRun(sub, ctx, [&ctx, request, to](Client& client) -> Status {
    request->set_to(*ParseLifecycle(*to));
    PARC_ASSIGN_OR_RETURN(auto allocation, client.Call(&Allocations::Return, *request));
    PrintAllocation(ctx, allocation, Tr("returned by"));
    return Ok();
  });
}

struct HistoryOptions {
  std::string device, employee;
  bool all = false;
};

void AddHistory(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("history", Tr("allocations of a device, or of an agent"));
  auto opts = std::make_shared<HistoryOptions>();
  auto* device = sub->add_option("DEVICE", opts->device, Tr("asset tag or serial"));
  auto* agent =
      sub->add_option("--agent", opts->employee, Tr("employee number instead of a device"));
  agent->excludes(device);
  sub->add_flag("--all", opts->all, Tr("every page, not only the first 100 rows"));
  OnRun(
      sub, ctx,
      [&ctx, opts](Client& client) -> Status {
        v1::ListAllocationsRequest request;
        request.set_device(opts->device);
        request.set_employee_number(opts->employee);
        request.set_page_size(kDefaultPageSize);
        PARC_ASSIGN_OR_RETURN(auto response, CollectPages<v1::ListAllocationsResponse>(
                                                 [&](const std::string& token) {
                                                   request.set_page_token(token);
                                                   return client.Call(&Allocations::ListAllocations,
                                                                      request);
                                                 },
                                                 opts->all));
        if (ctx.json) {
          PrintJson(ctx.io.out, response);
        } else {
          PrintAllocationTable(ctx, response.allocations());
          PrintMoreHint(ctx, response.next_page_token());
        }
        return Ok();
      },
      [device, agent] {
        return device->count() + agent->count() == 0 ? Tr("give DEVICE or --agent EMPLOYEE") : "";
      });
}

}  // namespace

void RegisterAllocations(CLI::App& app, Context& ctx) {
  AddAssign(app, ctx);
  AddReturn(app, ctx);
  AddHistory(app, ctx);
}

}  // namespace parc::cli
