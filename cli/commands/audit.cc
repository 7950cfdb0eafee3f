// parcctl audit: what was done, by whom, newest first.
#include <fmt/format.h>

#include "cli/commands/command.h"
#include "cli/table.h"
#include "common/i18n.h"
#include "common/time.h"

namespace parc::cli {
namespace {

using Admin = v1::AdminService::StubInterface;

struct AuditOptions {
  v1::ListAuditEventsRequest request;
  std::string since, until;
  int limit = 50;
};

// Midnight UTC of an ISO date (validated by the command line), plus `days`.
void SetDay(const std::string& iso, int days, google::protobuf::Timestamp* out) {
  using namespace std::chrono;
  year_month_day date{year(std::stoi(iso.substr(0, 4))),
                      month(static_cast<unsigned>(std::stoi(iso.substr(5, 2)))),
                      day(static_cast<unsigned>(std::stoi(iso.substr(8, 2))))};
  sys_days midnight = sys_days(date) + std::chrono::days(days);
  out->set_seconds(duration_cast<seconds>(midnight.time_since_epoch()).count());
}

Expected<v1::ListAuditEventsResponse> Fetch(Client& client, const AuditOptions& opts) {
  v1::ListAuditEventsRequest request = opts.request;
  if (!opts.since.empty()) SetDay(opts.since, 0, request.mutable_since());
  // --until is inclusive: up to the end of that day.
  if (!opts.until.empty()) SetDay(opts.until, 1, request.mutable_until());
  v1::ListAuditEventsResponse total;
  do {
    request.set_page_size(std::min(opts.limit - total.events_size(), 1000));
    PARC_ASSIGN_OR_RETURN(auto page, client.Call(&Admin::ListAuditEvents, request));
    for (auto& event : *page.mutable_events()) {
      if (total.events_size() < opts.limit) *total.add_events() = std::move(event);
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty() && total.events_size() < opts.limit);
  return total;
}

}  // namespace

void AddAudit(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("audit", Tr("the audit log, newest first"));
  auto opts = std::make_shared<AuditOptions>();
  auto& r = opts->request;
  sub->add_option("--actor", *r.mutable_actor(), Tr("operator name, device:<id> or system"));
  sub->add_option("--action", *r.mutable_action(), Tr("e.g. device.create, or a prefix: device."));
  sub->add_option("--target", *r.mutable_target(), Tr("e.g. device:SN123, agent:E004512"));
  sub->add_option("--since", opts->since, Tr("from this day"))->transform(DateArg());
  sub->add_option("--until", opts->until, Tr("up to this day, included"))->transform(DateArg());
  sub->add_option("--limit", opts->limit, Tr("at most this many events (default 50)"))
      ->check(CLI::Range(1, 100000));
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(auto events, Fetch(client, *opts));
    if (ctx.json) {
      PrintJson(ctx.io.out, events);
      return Ok();
    }
    Table table({Tr("AT"), Tr("ACTOR"), Tr("ACTION"), Tr("TARGET"), Tr("SUMMARY")});
    for (const auto& e : events.events()) {
      table.AddRow({When(e.at()), e.actor(), e.action(), e.target(), e.summary()});
    }
    table.Print(ctx.io.out);
    return Ok();
  });
}

}  // namespace parc::cli
