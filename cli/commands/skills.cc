// parcctl skills list|tiers: the Pix assessments imported with `parcctl import
// pix` (imports.cc) and the skill tiers they map to.
#include <fmt/format.h>

#include "cli/commands/command.h"
#include "cli/table.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

using Training = v1::TrainingService::StubInterface;

// "67 %", "" when unknown.
std::string Percent(double rate) {
  if (rate < 0) return "";
  return fmt::format("{:.0f} %", rate * 100);
}

std::string Score(const v1::SkillAssessment& a) {
  if (a.pix_score() >= 0) return fmt::format("{} pix", a.pix_score());
  return Percent(a.mastery());
}

// "1:2 2:1 3:0 ..." (profiles: levels) or "1:67% 4:50%" (assessment: mastery).
std::string Domains(const v1::SkillAssessment& a) {
  std::string out;
  for (const auto& d : a.domains()) {
    if (!out.empty()) out += ' ';
    if (d.level() >= 0) {
      out += fmt::format("{}:{}", d.area_code(), d.level());
    } else {
      out += fmt::format("{}:{:.0f}%", d.area_code(), d.mastery() * 100);
    }
  }
  return out;
}

void PrintAssessments(Context& ctx, const v1::ListSkillAssessmentsResponse& response) {
  if (ctx.json) return PrintJson(ctx.io.out, response);
  Table table({Tr("EMPLOYEE"), Tr("@skills:ASSESSED"), Tr("TIER"), Tr("SCORE"), Tr("CAMPAIGN"),
               Tr("KIND"), Tr("DOMAINS")});
  for (const auto& a : response.assessments()) {
    std::string campaign =
        a.campaign_code().empty() ? std::to_string(a.campaign_id()) : a.campaign_code();
    table.AddRow({a.employee_number(), When(a.assessed_at()), a.tier(), Score(a), campaign,
                  a.campaign_kind(), Domains(a)});
  }
  table.Print(ctx.io.out);
  PrintMoreHint(ctx, response.next_page_token());
}

struct ListOptions {
  v1::ListSkillAssessmentsRequest request;
  bool all = false;
};

void AddList(CLI::App& skills, Context& ctx) {
  auto* sub = skills.add_subcommand("list", Tr("list Pix assessments (newest import first)"));
  auto opts = std::make_shared<ListOptions>();
  auto& r = opts->request;
  sub->add_option("--agent", *r.mutable_employee_number(), Tr("one person's history"));
  sub->add_option("--department", *r.mutable_department(), Tr("department code"));
  sub->add_option("--tier", *r.mutable_tier(), Tr("tier code (see: parcctl skills tiers)"));
  sub->add_flag(
      "--latest", [opts](int64_t) { opts->request.set_latest_only(true); },
      "only each person's latest assessment: their current tier");
  sub->add_flag("--all", opts->all, Tr("every page, not only the first 100 rows"));
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    v1::ListSkillAssessmentsRequest request = opts->request;
    request.set_page_size(kDefaultPageSize);
    PARC_ASSIGN_OR_RETURN(auto response, CollectPages<v1::ListSkillAssessmentsResponse>(
                                             [&](const std::string& token) {
                                               request.set_page_token(token);
                                               return client.Call(&Training::ListSkillAssessments,
                                                                  request);
                                             },
                                             opts->all));
    PrintAssessments(ctx, response);
    return Ok();
  });
}

void AddTiers(CLI::App& skills, Context& ctx) {
  auto* sub =
      skills.add_subcommand("tiers", Tr("the skill tiers, lowest first (config skill_tiers)"));
  OnRun(sub, ctx, [&ctx](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(auto response,
                          client.Call(&Training::ListSkillTiers, v1::ListSkillTiersRequest()));
    if (ctx.json) {
      PrintJson(ctx.io.out, response);
      return Ok();
    }
    Table table({Tr("CODE"), Tr("NAME"), Tr("FROM PIX"), Tr("FROM MASTERY")});
    for (const auto& t : response.tiers()) {
      table.AddRow({t.code(), t.name(), std::to_string(t.min_pix()), Percent(t.min_mastery())});
    }
    table.Print(ctx.io.out);
    return Ok();
  });
}

}  // namespace

void RegisterSkills(CLI::App& app, Context& ctx) {
  auto* skills = app.add_subcommand("skills", Tr("Pix skill assessments: list, tiers"));
  AddList(*skills, ctx);
  AddTiers(*skills, ctx);
}

}  // namespace parc::cli
