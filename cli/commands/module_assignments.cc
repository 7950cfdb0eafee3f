// parcctl modules assign|assignments|unassign: which people must follow a
// module (one agent, a department, a wave or a skill tier), by when.
#include <fmt/format.h>

#include "cli/commands/command.h"
#include "cli/table.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

using Training = v1::TrainingService::StubInterface;

// "agent E000001", "department PROPRETE", "wave vague-1", "tier debutant".
std::string Target(const v1::ModuleAssignment& a) {
  switch (a.to_case()) {
    case v1::ModuleAssignment::kEmployeeNumber:
      return TrF("agent {}", a.employee_number());
    case v1::ModuleAssignment::kDepartment:
      return TrF("department {}", a.department());
    case v1::ModuleAssignment::kWave:
      return TrF("wave {}", a.wave());
    case v1::ModuleAssignment::kSkillTier:
      return TrF("tier {}", a.skill_tier());
    default:
      return "";
  }
}

struct AssignOptions {
  std::string code, agent, department, wave, tier, due;
};

void AddAssign(CLI::App& modules, Context& ctx) {
  auto* sub = modules.add_subcommand(
      "assign", Tr("give a module to an agent, a department, a wave or a skill tier"));
  auto opts = std::make_shared<AssignOptions>();
  sub->add_option("CODE", opts->code, Tr("module code"))->required();
  auto* agent = sub->add_option("--agent", opts->agent, Tr("one agent's employee number"));
  auto* department = sub->add_option("--department", opts->department, Tr("everyone in it"));
  auto* wave = sub->add_option("--wave", opts->wave, Tr("everyone in this wave (cohort)"));
  auto* tier = sub->add_option("--tier", opts->tier, Tr("everyone whose current skill tier it is"));
  sub->add_option("--due", opts->due, Tr("to be completed by this date"))->transform(DateArg());
  std::vector<CLI::Option*> targets = {agent, department, wave, tier};
  OnRun(
      sub, ctx,
      [&ctx, opts](Client& client) -> Status {
        v1::AssignModuleRequest request;
        request.set_module_code(opts->code);
        if (!opts->agent.empty()) request.set_employee_number(opts->agent);
        if (!opts->department.empty()) request.set_department(opts->department);
        if (!opts->wave.empty()) request.set_wave(opts->wave);
        if (!opts->tier.empty()) request.set_skill_tier(opts->tier);
        request.set_due_date(opts->due);
        PARC_ASSIGN_OR_RETURN(auto a, client.Call(&Training::AssignModule, request));
        if (ctx.json) return PrintJson(ctx.io.out, a), Ok();
        ctx.io.out << TrF("assignment #{0}: {1} to {2}", a.id(), a.module_code(), Target(a));
        if (!a.due_date().empty()) ctx.io.out << TrF(", due {}", a.due_date());
        ctx.io.out << '\n';
        return Ok();
      },
      [targets] {
        int given = 0;
        for (auto* option : targets) given += option->count() > 0 ? 1 : 0;
        return given == 1 ? "" : Tr("give exactly one of --agent, --department, --wave, --tier");
      });
}

struct ListOptions {
  v1::ListAssignmentsRequest request;
  bool all = false;
};

void AddAssignments(CLI::App& modules, Context& ctx) {
  auto* sub = modules.add_subcommand("assignments", Tr("list assignments"));
  auto opts = std::make_shared<ListOptions>();
  auto& r = opts->request;
  sub->add_option("--module", *r.mutable_module_code(), Tr("of this module"));
  sub->add_option("--agent", *r.mutable_employee_number(),
                  Tr("reaching this agent (directly, or by department, wave or tier)"));
  sub->add_flag("--all", opts->all, Tr("every page, not only the first 100 rows"));
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    v1::ListAssignmentsRequest request = opts->request;
    request.set_page_size(kDefaultPageSize);
    PARC_ASSIGN_OR_RETURN(auto response, CollectPages<v1::ListAssignmentsResponse>(
                                             [&](const std::string& token) {
                                               request.set_page_token(token);
                                               return client.Call(&Training::ListAssignments,
                                                                  request);
                                             },
                                             opts->all));
    if (ctx.json) return PrintJson(ctx.io.out, response), Ok();
    Table table({Tr("ID"), Tr("MODULE"), Tr("TO"), Tr("DUE"), Tr("BY"), Tr("AT")});
    for (const auto& a : response.assignments()) {
      table.AddRow({std::to_string(a.id()), a.module_code(), Target(a), a.due_date(),
                    a.assigned_by(), When(a.assigned_at())});
    }
    table.Print(ctx.io.out);
    PrintMoreHint(ctx, response.next_page_token());
    return Ok();
  });
}

void AddUnassign(CLI::App& modules, Context& ctx) {
  auto* sub =
      modules.add_subcommand("unassign", Tr("remove an assignment (its ID from assignments)"));
  auto request = std::make_shared<v1::RemoveAssignmentRequest>();
  auto id = std::make_shared<int64_t>(0);
  sub->add_option("ID", *id, Tr("assignment ID"))->required()->check(CLI::PositiveNumber);
  OnRun(sub, ctx, [&ctx, request, id](Client& client) -> Status {
    request->set_id(*id);
    PARC_ASSIGN_OR_RETURN(auto response, client.Call(&Training::RemoveAssignment, *request));
    if (ctx.json) return PrintJson(ctx.io.out, response), Ok();
    ctx.io.out << TrF("assignment #{} removed", request->id()) << '\n';
    return Ok();
  });
}

}  // namespace

void AddModuleAssignments(CLI::App& modules, Context& ctx) {
  AddAssign(modules, ctx);
  AddAssignments(modules, ctx);
  AddUnassign(modules, ctx);
}

}  // namespace parc::cli
