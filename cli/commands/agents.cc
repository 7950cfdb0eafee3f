// parcctl agents list|show|add|update: the staff records.
#include <fmt/format.h>

#include "cli/commands/command.h"
#include "cli/names.h"
#include "cli/table.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

using Inventory = v1::InventoryService::StubInterface;

struct ListOptions {
  v1::ListAgentsRequest request;
  std::string status;
  bool all = false;
};

struct AgentOptions {
  v1::Agent agent;
  bool email = false, no_email = false, left = false, active = false;
  MaskFields fields;
};

std::string FullName(const v1::Agent& agent) {
  return fmt::format("{} {}", agent.first_name(), agent.last_name());
}

void PrintAgents(Context& ctx, const v1::ListAgentsResponse& response) {
  if (ctx.json) return PrintJson(ctx.io.out, response);
  Table table({Tr("EMPLOYEE"), Tr("NAME"), Tr("DEPARTMENT"), Tr("SITE"), Tr("EMAIL"), Tr("ADVISOR"),
               Tr("WAVE"), Tr("STATUS")});
  for (const auto& a : response.agents()) {
    table.AddRow({a.employee_number(), FullName(a), DepartmentLabel(a), a.site(),
                  YesNo(a.has_email()), a.advisor(), a.wave(), AgentStatusLabel(a.status())});
  }
  table.Print(ctx.io.out);
  PrintMoreHint(ctx, response.next_page_token());
}

void PrintAgent(Context& ctx, const v1::Agent& a) {
  if (ctx.json) return PrintJson(ctx.io.out, a);
  Table table({Tr("FIELD"), Tr("VALUE")});
  table.AddRow({Tr("employee"), a.employee_number()});
  table.AddRow({Tr("name"), FullName(a)});
  table.AddRow({Tr("department"), DepartmentWithCode(a)});
  table.AddRow({Tr("site"), a.site()});
  table.AddRow({Tr("email"), YesNo(a.has_email())});
  table.AddRow({Tr("advisor"), a.advisor()});
  table.AddRow({Tr("wave"), a.wave()});
  table.AddRow({Tr("badge"), a.badge()});
  table.AddRow({Tr("phone"), a.phone()});
  table.AddRow({Tr("manager"), a.manager()});
  table.AddRow({Tr("status"), AgentStatusLabel(a.status())});
  table.AddRow({Tr("created"), When(a.created_at())});
  table.AddRow({Tr("updated"), When(a.updated_at())});
  table.Print(ctx.io.out);
}

void AddList(CLI::App& agents, Context& ctx) {
  auto* sub = agents.add_subcommand("list", Tr("list agents"));
  auto opts = std::make_shared<ListOptions>();
  auto& r = opts->request;
  sub->add_option("--department", *r.mutable_department(), Tr("department code"));
  sub->add_option("--site", *r.mutable_site(), Tr("site code"));
  sub->add_option("--wave", *r.mutable_wave(), Tr("wave (cohort)"));
  sub->add_option("--advisor", *r.mutable_advisor(), Tr("digital advisor"));
  sub->add_option("--status", opts->status, Tr("active|left"))->check(Word({"active", "left"}));
  sub->add_flag(
      "--without-email", [opts](int64_t) { opts->request.set_without_email_only(true); },
      Tr("only staff without an email address"));
  sub->add_option("--query", *r.mutable_query(), Tr("text in employee number or name"));
  sub->add_flag("--all", opts->all, Tr("every page, not only the first 100 rows"));
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    v1::ListAgentsRequest request = opts->request;
    if (auto status = ParseAgentStatus(opts->status)) request.set_status(*status);
    request.set_page_size(kDefaultPageSize);
    PARC_ASSIGN_OR_RETURN(auto response, CollectPages<v1::ListAgentsResponse>(
                                             [&](const std::string& token) {
                                               request.set_page_token(token);
                                               return client.Call(&Inventory::ListAgents, request);
                                             },
                                             opts->all));
    PrintAgents(ctx, response);
    return Ok();
  });
}

void AddShow(CLI::App& agents, Context& ctx) {
  auto* sub = agents.add_subcommand("show", Tr("show one agent"));
  auto request = std::make_shared<v1::GetAgentRequest>();
  sub->add_option("EMPLOYEE", *request->mutable_employee_number(), Tr("employee number"))
      ->required();
  OnRun(sub, ctx, [&ctx, request](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(v1::Agent agent, client.Call(&Inventory::GetAgent, *request));
    PrintAgent(ctx, agent);
    return Ok();
  });
}

// The options shared by add and update; `required` for add.
void AddAgentFields(CLI::App* sub, AgentOptions& o, bool required) {
  auto& a = o.agent;
  auto field = [&](const char* flag, std::string* value, const char* path, Text help) {
    auto* opt = sub->add_option(flag, *value, Tr(help));
    if (required) opt->required();
    o.fields.emplace_back(opt, path);
  };
  sub->add_option("EMPLOYEE", *a.mutable_employee_number(), Tr("employee number"))->required();
  field("--first-name", a.mutable_first_name(), "first_name", "first name");
  field("--last-name", a.mutable_last_name(), "last_name", "last name");
  field("--department", a.mutable_department(), "department", "department code");
  field("--site", a.mutable_site(), "site", "site code");
  required = false;
  field("--advisor", a.mutable_advisor(), "advisor", "digital advisor");
  field("--wave", a.mutable_wave(), "wave", "wave (cohort), e.g. vague-1");
  field("--badge", a.mutable_badge(), "badge", "badge number");
  field("--manager", a.mutable_manager(), "manager", "the manager's employee number");
  field("--phone", a.mutable_phone(), "phone", "work phone number");
  auto* email = sub->add_flag("--email", o.email, Tr("has an email address"));
  auto* no_email = sub->add_flag("--no-email", o.no_email, Tr("has no email address"));
  email->excludes(no_email);
  o.fields.emplace_back(email, "has_email");
  o.fields.emplace_back(no_email, "has_email");
}

void AddAdd(CLI::App& agents, Context& ctx) {
  auto* sub = agents.add_subcommand("add", Tr("register an agent"));
  auto opts = std::make_shared<AgentOptions>();
  AddAgentFields(sub, *opts, true);
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    v1::CreateAgentRequest request;
    *request.mutable_agent() = opts->agent;
    request.mutable_agent()->set_has_email(opts->email);
    request.mutable_agent()->set_status(v1::AGENT_STATUS_ACTIVE);
    PARC_ASSIGN_OR_RETURN(v1::Agent agent, client.Call(&Inventory::CreateAgent, request));
    PrintAgent(ctx, agent);
    return Ok();
  });
}

void AddUpdate(CLI::App& agents, Context& ctx) {
  auto* sub = agents.add_subcommand("update", Tr("change the given fields of an agent"));
  auto opts = std::make_shared<AgentOptions>();
  AddAgentFields(sub, *opts, false);
  auto* left = sub->add_flag("--left", opts->left, Tr("the agent has left"));
  auto* active = sub->add_flag("--active", opts->active, Tr("the agent is back"));
  left->excludes(active);
  opts->fields.emplace_back(left, "status");
  opts->fields.emplace_back(active, "status");
  OnRun(
      sub, ctx,
      [&ctx, opts](Client& client) -> Status {
        v1::UpdateAgentRequest request;
        *request.mutable_agent() = opts->agent;
        request.mutable_agent()->set_has_email(opts->email);
        request.mutable_agent()->set_status(opts->left ? v1::AGENT_STATUS_LEFT
                                                       : v1::AGENT_STATUS_ACTIVE);
        *request.mutable_update_mask() = MaskOf(opts->fields);
        PARC_ASSIGN_OR_RETURN(v1::Agent agent, client.Call(&Inventory::UpdateAgent, request));
        PrintAgent(ctx, agent);
        return Ok();
      },
      [opts] {
        return MaskOf(opts->fields).paths_size() == 0 ? Tr("give at least one field to change")
                                                      : "";
      });
}

}  // namespace

void RegisterAgents(CLI::App& app, Context& ctx) {
  auto* agents = app.add_subcommand("agents", Tr("staff: list, show, add, update"));
  AddList(*agents, ctx);
  AddShow(*agents, ctx);
  AddAdd(*agents, ctx);
  AddUpdate(*agents, ctx);
}

}  // namespace parc::cli
