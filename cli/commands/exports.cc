// parcctl export agents|devices|allocations: every record as CSV, with the
// headers `parcctl import` reads back, for French spreadsheets (see csv_write.h).
#include <fmt/format.h>

#include <cstdio>
#include <fstream>

#include "cli/commands/command.h"
#include "cli/names.h"
#include "common/csv_write.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

using Inventory = v1::InventoryService::StubInterface;
using Allocations = v1::AllocationService::StubInterface;
using csv::CsvWriter;

// Writes every page `method` returns as rows: `items` picks the records out of a
// page, `row` turns one record into fields.
template <typename Req, typename Resp, typename Stub, typename Items, typename Row>
Status WriteAll(Client& client,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*), Items items,
                Row row, CsvWriter& csv) {
  Req request;
  request.set_page_size(1000);
  do {
    PARC_ASSIGN_OR_RETURN(Resp page, client.Call(method, request));
    for (const auto& record : items(page)) csv.WriteRow(row(record));
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return Ok();
}

std::vector<std::string> AgentRow(const v1::Agent& a) {
  return {a.employee_number(),
          a.first_name(),
          a.last_name(),
          DepartmentLabel(a),  // as written: imported again, it gives the same code
          a.site(),
          YesNo(a.has_email()),
          a.advisor(),
          a.wave(),
          std::string(AgentStatusName(a.status())),
          a.badge(),
          a.manager(),
          a.phone()};
}

std::vector<std::string> DeviceRow(const v1::Device& d) {
  return {d.serial(),
          d.asset_tag(),
          std::string(KindName(d.kind())),
          d.model(),
          d.os(),
          d.site(),
          DepartmentLabel(d),
          d.purchase_date(),
          d.warranty_end(),
          d.notes(),
          std::string(LifecycleName(d.lifecycle()))};
}

std::vector<std::string> AllocationRow(const v1::Allocation& a) {
  return {a.device_serial(),
          a.device_asset_tag(),
          std::string(AllocationKindName(a.kind())),
          a.employee_number(),
          a.agent_name(),
          a.site(),
          a.due_date(),
          When(a.started_at()),
          a.started_by(),
          When(a.ended_at()),
          a.ended_by(),
          a.return_condition(),
          a.notes(),
          std::string(LifecycleName(a.returned_to()))};
}

Status Export(Client& client, const std::string& what, CsvWriter& csv) {
  if (what == "agents") {
    csv.WriteRow({"employee_number", "first_name", "last_name", "department", "site", "has_email",
                  "advisor", "wave", "status", "badge", "manager", "phone"});
    return WriteAll(
        client, &Inventory::ListAgents, [](const auto& r) -> auto& { return r.agents(); }, AgentRow,
        csv);
  }
  if (what == "devices") {
    csv.WriteRow({"serial", "asset_tag", "kind", "model", "os", "site", "department",
                  "purchase_date", "warranty_end", "notes", "lifecycle"});
    return WriteAll(
        client, &Inventory::ListDevices, [](const auto& r) -> auto& { return r.devices(); },
        DeviceRow, csv);
  }
  csv.WriteRow({"device_serial", "device_asset_tag", "kind", "employee_number", "agent_name",
                "site", "due_date", "started_at", "started_by", "ended_at", "ended_by",
                "return_condition", "notes", "returned_to"});
  return WriteAll(
      client, &Allocations::ListAllocations, [](const auto& r) -> auto& { return r.allocations(); },
      AllocationRow, csv);
}

struct ExportOptions {
  std::string what, output;
};

}  // namespace

void RegisterExports(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("export", Tr("every agent, device or allocation as CSV"));
  auto opts = std::make_shared<ExportOptions>();
  sub->add_option("WHAT", opts->what, Tr("agents|devices|allocations"))
      ->required()
      ->check(OneOf({"agents", "devices", "allocations"}));
  sub->add_option("--output,-o", opts->output, Tr("file to write (default: standard output)"));
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    if (opts->output.empty() || opts->output == "-") {
      CsvWriter csv(ctx.io.out);
      return Export(client, opts->what, csv);
    }
    // Written beside the target and renamed, so a failed export leaves no
    // half file behind.
    std::string partial = opts->output + ".partial";
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(ErrorCode::kInvalidArgument, TrF("cannot write {}", partial));
    CsvWriter csv(file);
    Status status = Export(client, opts->what, csv);
    file.close();
    if (!status || !file) {
      std::remove(partial.c_str());
      if (!status) return status;
      return Fail(ErrorCode::kInternal, TrF("cannot write {}", opts->output));
    }
    if (std::rename(partial.c_str(), opts->output.c_str()) != 0) {
      return Fail(ErrorCode::kInternal, TrF("cannot write {}", opts->output));
    }
    return Ok();
  });
}

}  // namespace parc::cli
