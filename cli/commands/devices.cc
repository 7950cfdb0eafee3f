// parcctl devices list|show|status|add|update|retire: the equipment.
#include <fmt/format.h>

#include "cli/commands/command.h"
#include "cli/device_status.h"
#include "cli/names.h"
#include "cli/table.h"
#include "common/i18n.h"
#include "common/time.h"

namespace parc::cli {

namespace {

using Inventory = v1::InventoryService::StubInterface;
using Allocations = v1::AllocationService::StubInterface;

struct ListOptions {
  v1::ListDevicesRequest request;
  std::string kind, lifecycle, stale;
  bool all = false;
};

struct DeviceOptions {
  v1::Device device;
  std::string selector;  // asset tag or serial (update)
  std::string kind, lifecycle, reason;
  MaskFields fields;
};

std::string Holder(const v1::Device& d) {
  if (!d.holder_employee_number().empty()) return d.holder_employee_number();
  if (!d.holder_site().empty()) return TrF("site {}", d.holder_site());
  return {};
}

void PrintDevices(Context& ctx, const v1::ListDevicesResponse& response) {
  if (ctx.json) return PrintJson(ctx.io.out, response);
  Table table({Tr("SERIAL"), Tr("ASSET TAG"), Tr("KIND"), Tr("MODEL"), Tr("SITE"), Tr("DEPARTMENT"),
               Tr("LIFECYCLE"), Tr("HOLDER"), Tr("ENROLLED"), Tr("LAST SEEN")});
  for (const auto& d : response.devices()) {
    table.AddRow({d.serial(), d.asset_tag(), KindLabel(d.kind()), d.model(), d.site(),
                  d.department(), LifecycleLabel(d.lifecycle()), Holder(d),
                  EnrollmentLabel(d.enrollment()), LastSeen(d.last_seen())});
  }
  table.Print(ctx.io.out);
  PrintMoreHint(ctx, response.next_page_token());
}

void PrintDeviceFields(Context& ctx, const v1::Device& d) {
  Table table({Tr("FIELD"), Tr("VALUE")});
  table.AddRow({Tr("serial"), d.serial()});
  table.AddRow({Tr("asset tag"), d.asset_tag()});
  table.AddRow({Tr("kind"), KindLabel(d.kind())});
  table.AddRow({Tr("model"), d.model()});
  table.AddRow({Tr("os"), d.os()});
  table.AddRow({Tr("site"), d.site()});
  table.AddRow({Tr("department"), d.department()});
  table.AddRow({Tr("lifecycle"), LifecycleLabel(d.lifecycle())});
  table.AddRow({Tr("holder"), Holder(d)});
  table.AddRow({Tr("enrolled"), EnrollmentLabel(d.enrollment())});
  table.AddRow({Tr("last seen"), LastSeen(d.last_seen())});
  table.AddRow({Tr("purchased"), d.purchase_date()});
  table.AddRow({Tr("warranty end"), d.warranty_end()});
  table.AddRow({Tr("notes"), d.notes()});
  table.AddRow({Tr("created"), When(d.created_at())});
  table.AddRow({Tr("updated"), When(d.updated_at())});
  table.Print(ctx.io.out);
}

void PrintDevice(Context& ctx, const v1::Device& d) {
  if (ctx.json) return PrintJson(ctx.io.out, d);
  PrintDeviceFields(ctx, d);
}

void AddList(CLI::App& devices, Context& ctx) {
  auto* sub = devices.add_subcommand("list", Tr("list devices"));
  auto opts = std::make_shared<ListOptions>();
  auto& r = opts->request;
  sub->add_option("--department", *r.mutable_department(), Tr("department code"));
  sub->add_option("--site", *r.mutable_site(), Tr("site code"));
  sub->add_option("--kind", opts->kind, Tr("device kind"))->check(Word(KindNames()));
  sub->add_option("--lifecycle", opts->lifecycle, Tr("lifecycle"))->check(Word(LifecycleNames()));
  sub->add_option("--query", *r.mutable_query(), Tr("text in serial, asset tag or model"));
  sub->add_option("--stale", opts->stale,
                  Tr("only enrolled devices not seen for this long (never seen counts), e.g. 7d"))
      ->check(DurationArg());
  sub->add_flag("--all", opts->all, Tr("every page, not only the first 100 rows"));
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    v1::ListDevicesRequest request = opts->request;
    if (!opts->stale.empty()) {
      PARC_ASSIGN_OR_RETURN(int64_t seconds, ParseDurationSeconds(opts->stale));
      request.set_stale_seconds(seconds);
    }
    if (auto kind = ParseKind(opts->kind)) request.set_kind(*kind);
    if (auto lifecycle = ParseLifecycle(opts->lifecycle)) request.set_lifecycle(*lifecycle);
    request.set_page_size(kDefaultPageSize);
    PARC_ASSIGN_OR_RETURN(auto response, CollectPages<v1::ListDevicesResponse>(
                                             [&](const std::string& token) {
                                               request.set_page_token(token);
                                               return client.Call(&Inventory::ListDevices, request);
                                             },
                                             opts->all));
    PrintDevices(ctx, response);
    return Ok();
  });
}

// The latest status, sessions and reports; a server that predates check-ins
// (UNIMPLEMENTED) gets a note on stderr instead of an error.
Status PrintStatusOf(Context& ctx, Client& client, const std::string& device) {
  v1::GetDeviceStatusRequest request;
  request.set_device(device);
  auto status = client.Call(&Inventory::GetDeviceStatus, request);
  if (!status && status.error().code == ErrorCode::kUnimplemented) {
    ctx.io.err << Tr("(this parcd does not report device status yet)") << '\n';
    return Ok();
  }
  if (!status) return std::unexpected(status.error());
  ctx.io.out << '\n';
  PrintDeviceStatus(ctx.io.out, *status);
  return Ok();
}

// The device's signed receipts (bons de remise / de retour), when there are
// any and the caller may read them (logistics, admin, auditor): a manager, or
// a parcd from before receipts, gets the rest of `devices show` without them.
Status PrintReceiptsOf(Context& ctx, Client& client, const std::string& device) {
  v1::ListReceiptsRequest request;
  request.set_device(device);
  auto receipts = client.Call(&Allocations::ListReceipts, request);
  if (!receipts && (receipts.error().code == ErrorCode::kPermissionDenied ||
                    receipts.error().code == ErrorCode::kUnimplemented)) {
    return Ok();
  }
  if (!receipts) return std::unexpected(receipts.error());
  if (receipts->receipts().empty()) return Ok();
  ctx.io.out << '\n';
  Table table({Tr("AT"), Tr("BY"), Tr("FILE"), Tr("SHA256")});
  for (const auto& r : receipts->receipts()) {
    table.AddRow({When(r.created_at()), r.created_by(), r.file_name(), r.pdf_sha256()});
  }
  table.Print(ctx.io.out);
  return Ok();
}

void AddShow(CLI::App& devices, Context& ctx) {
  auto* sub = devices.add_subcommand(
      "show", Tr("show a device, who holds it, its latest status and its history "
                 "(--json: the allocation history only; see `devices status --json`)"));
  auto request = std::make_shared<v1::GetDeviceHistoryRequest>();
  sub->add_option("DEVICE", *request->mutable_device(), Tr("asset tag or serial"))->required();
  OnRun(sub, ctx, [&ctx, request](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(auto history, client.Call(&Allocations::GetDeviceHistory, *request));
    if (ctx.json) {
      PrintJson(ctx.io.out, history);
      return Ok();
    }
    PrintDeviceFields(ctx, history.device());
    PARC_TRY(PrintStatusOf(ctx, client, request->device()));
    ctx.io.out << '\n' << Tr("Allocations") << '\n';
    PrintAllocationTable(ctx, history.allocations());
    PARC_TRY(PrintReceiptsOf(ctx, client, request->device()));
    ctx.io.out << '\n' << Tr("Events") << '\n';
    Table events({Tr("AT"), Tr("ACTOR"), Tr("ACTION"), Tr("SUMMARY")});
    for (int i = 0; i < history.events_size() && i < 20; ++i) {
      const auto& e = history.events(i);
      events.AddRow({When(e.at()), e.actor(), e.action(), e.summary()});
    }
    events.Print(ctx.io.out);
    return Ok();
  });
}

void AddStatus(CLI::App& devices, Context& ctx) {
  auto* sub = devices.add_subcommand(
      "status", Tr("what a device last reported, its usage sessions and recent reports"));
  struct Options {
    std::string device;
    int recent = 0;  // 0: the server's default
  };
  auto opts = std::make_shared<Options>();
  sub->add_option("DEVICE", opts->device, Tr("asset tag or serial"))->required();
  sub->add_option("--recent", opts->recent, Tr("how many recent reports (default 10, at most 100)"))
      ->check(CLI::Range(1, 100));
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    v1::GetDeviceStatusRequest request;
    request.set_device(opts->device);
    request.set_recent(opts->recent);
    PARC_ASSIGN_OR_RETURN(auto status, client.Call(&Inventory::GetDeviceStatus, request));
    if (ctx.json) {
      PrintJson(ctx.io.out, status);
      return Ok();
    }
    PrintDeviceStatus(ctx.io.out, status);
    return Ok();
  });
}

// Options shared by add and update.
void AddDeviceFields(CLI::App* sub, DeviceOptions& o) {
  auto& d = o.device;
  auto field = [&](const char* flag, std::string* value, const char* path, Text help) {
    auto* opt = sub->add_option(flag, *value, Tr(help));
    o.fields.emplace_back(opt, path);
    return opt;
  };
  field("--asset-tag", d.mutable_asset_tag(), "asset_tag", "the city's inventory label");
  field("--model", d.mutable_model(), "model", "model");
  field("--os", d.mutable_os(), "os", "operating system");
  field("--site", d.mutable_site(), "site", "site code");
  field("--department", d.mutable_department(), "department", "department code");
  field("--purchase-date", d.mutable_purchase_date(), "purchase_date", "purchase date")
      ->transform(DateArg());
  field("--warranty-end", d.mutable_warranty_end(), "warranty_end", "end of warranty")
      ->transform(DateArg());
  field("--notes", d.mutable_notes(), "notes", "free text");
}

void AddAdd(CLI::App& devices, Context& ctx) {
  auto* sub = devices.add_subcommand("add", Tr("register a device (in stock)"));
  auto opts = std::make_shared<DeviceOptions>();
  sub->add_option("SERIAL", *opts->device.mutable_serial(), Tr("serial number"))->required();
  sub->add_option("--kind", opts->kind, Tr("device kind"))->required()->check(Word(KindNames()));
  AddDeviceFields(sub, *opts);
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    v1::CreateDeviceRequest request;
    *request.mutable_device() = opts->device;
    request.mutable_device()->set_kind(ParseKind(opts->kind).value_or(v1::DEVICE_KIND_UNSPECIFIED));
    PARC_ASSIGN_OR_RETURN(v1::Device device, client.Call(&Inventory::CreateDevice, request));
    PrintDevice(ctx, device);
    return Ok();
  });
}

// UpdateDevice selects by serial; the operator may have typed an asset tag.
Expected<v1::Device> UpdateFields(Client& client, const DeviceOptions& opts) {
  v1::GetDeviceRequest get;
  get.set_device(opts.selector);
  PARC_ASSIGN_OR_RETURN(v1::Device current, client.Call(&Inventory::GetDevice, get));
  v1::UpdateDeviceRequest request;
  *request.mutable_device() = opts.device;
  request.mutable_device()->set_serial(current.serial());
  if (auto kind = ParseKind(opts.kind)) request.mutable_device()->set_kind(*kind);
  *request.mutable_update_mask() = MaskOf(opts.fields);
  return client.Call(&Inventory::UpdateDevice, request);
}

void AddUpdate(CLI::App& devices, Context& ctx) {
  auto* sub = devices.add_subcommand("update", Tr("change the given fields or the lifecycle"));
  auto opts = std::make_shared<DeviceOptions>();
  sub->add_option("DEVICE", opts->selector, Tr("asset tag or serial"))->required();
  auto* kind = sub->add_option("--kind", opts->kind, Tr("device kind"))->check(Word(KindNames()));
  opts->fields.emplace_back(kind, "kind");
  AddDeviceFields(sub, *opts);
  auto* lifecycle =
      sub->add_option("--lifecycle", opts->lifecycle, Tr("move it outside assignment"))
          ->check(Word({"in_stock", "in_repair", "lost"}));
  sub->add_option("--reason", opts->reason, Tr("why the lifecycle changes"));
  OnRun(
      sub, ctx,
      [&ctx, opts, lifecycle](Client& client) -> Status {
        v1::Device device;
        if (MaskOf(opts->fields).paths_size() > 0) {
          PARC_ASSIGN_OR_RETURN(device, UpdateFields(client, *opts));
        }
        if (lifecycle->count() > 0) {
          v1::SetDeviceLifecycleRequest request;
          request.set_device(opts->selector);
          request.set_lifecycle(*ParseLifecycle(opts->lifecycle));
          request.set_reason(opts->reason);
          PARC_ASSIGN_OR_RETURN(device, client.Call(&Inventory::SetDeviceLifecycle, request));
        }
        PrintDevice(ctx, device);
        return Ok();
      },
      [opts, lifecycle] {
        bool nothing = MaskOf(opts->fields).paths_size() == 0 && lifecycle->count() == 0;
        return nothing ? Tr("give at least one field or --lifecycle") : "";
      });
}

void AddRetire(CLI::App& devices, Context& ctx) {
  auto* sub = devices.add_subcommand("retire", Tr("retire a device for good"));
  auto request = std::make_shared<v1::SetDeviceLifecycleRequest>();
  sub->add_option("DEVICE", *request->mutable_device(), Tr("asset tag or serial"))->required();
  sub->add_option("--reason", *request->mutable_reason(), Tr("why"));
  OnRun(sub, ctx, [&ctx, request](Client& client) -> Status {
    request->set_lifecycle(v1::LIFECYCLE_RETIRED);
    PARC_ASSIGN_OR_RETURN(v1::Device device, client.Call(&Inventory::SetDeviceLifecycle, *request));
    PrintDevice(ctx, device);
    return Ok();
  });
}

}  // namespace

void RegisterDevices(CLI::App& app, Context& ctx) {
  auto* devices = app.add_subcommand(
      "devices", Tr("equipment: list, show, status, add, update, retire, revoke, allow-enroll"));
  AddList(*devices, ctx);
  AddShow(*devices, ctx);
  AddStatus(*devices, ctx);
  AddAdd(*devices, ctx);
  AddUpdate(*devices, ctx);
  AddRetire(*devices, ctx);
  AddEnrollmentVerbs(*devices, ctx);
}

}  // namespace parc::cli
