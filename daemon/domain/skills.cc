#include "daemon/domain/skills.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "common/time.h"
#include "daemon/domain/audit.h"
#include "daemon/domain/import.h"
#include "daemon/domain/records.h"
#include "daemon/domain/scope.h"

namespace parc::domain {
namespace {

const TierSpec& TierOf(const std::vector<TierSpec>& tiers, const PixRow& row, PixFormat format) {
  return format == PixFormat::kProfilesCollection ? TierForPix(tiers, row.pix_score)
                                                  : TierForMastery(tiers, row.mastery);
}

v1::SkillAssessment ToAssessment(const PixRow& row, const PixFile& file, const TierSpec& tier,
                                 int64_t now_ms) {
  v1::SkillAssessment a;
  a.set_employee_number(row.employee_number);
  ToTimestamp(row.assessed_at_ms, a.mutable_assessed_at());
  a.set_source("pix");
  a.set_campaign_code(row.campaign_code);
  a.set_campaign_id(row.campaign_id);
  a.set_campaign_kind(std::string(PixFormatName(file.format)));
  a.set_pix_score(row.pix_score);
  a.set_mastery(row.mastery);
  a.set_tier(tier.code);
  for (const PixArea& area : row.areas) {
    v1::DomainResult* d = a.add_domains();
    d->set_area_code(area.code);
    d->set_area_title(area.title);
    d->set_level(area.level);
    d->set_mastery(area.mastery);
  }
  ToTimestamp(now_ms, a.mutable_imported_at());
  return a;
}

// "campaign:QWERTY456", or by number for old files without a code.
std::string CampaignTarget(const PixFile& file) {
  for (const PixRow& row : file.rows) {
    if (!row.campaign_code.empty()) return "campaign:" + row.campaign_code;
    if (row.campaign_id > 0) return fmt::format("campaign:{}", row.campaign_id);
  }
  return "campaign:pix";
}

}  // namespace

v1::ListSkillTiersResponse TiersResponse(const std::vector<TierSpec>& tiers) {
  v1::ListSkillTiersResponse out;
  for (const TierSpec& t : tiers) {
    v1::SkillTier* tier = out.add_tiers();
    tier->set_code(t.code);
    tier->set_name(t.name);
    tier->set_min_pix(t.min_pix);
    tier->set_min_mastery(t.min_mastery);
  }
  return out;
}

Expected<v1::ImportSkillAssessmentsResponse> ApplySkillAssessments(
    store::Writer& writer, const Call& call, const PixFile& file,
    const std::vector<TierSpec>& tiers, bool dry_run) {
  v1::ImportSkillAssessmentsResponse result;
  result.set_format(std::string(PixFormatName(file.format)));
  result.set_not_shared(file.not_shared);
  for (const v1::ImportProblem& p : file.problems) *result.add_problems() = p;

  std::vector<v1::SkillAssessment> fresh;
  std::set<std::tuple<std::string, int64_t, int64_t>> seen;
  for (const PixRow& row : file.rows) {
    PARC_ASSIGN_OR_RETURN(auto agent, writer.FindAgent(row.employee_number));
    if (!agent) {
      *result.add_problems() =
          Problem(row.line, file.id_column,
                  fmt::format("unknown employee number {} (no agent has it)", row.employee_number));
      continue;
    }
    if (!seen.emplace(row.employee_number, row.campaign_id, row.assessed_at_ms).second) {
      result.set_unchanged(result.unchanged() + 1);  // the same participation twice in the file
      continue;
    }
    PARC_ASSIGN_OR_RETURN(
        auto stored,
        writer.skills().FindAssessment(row.employee_number, row.campaign_id, row.assessed_at_ms));
    if (stored) {
      result.set_unchanged(result.unchanged() + 1);
      continue;
    }
    fresh.push_back(ToAssessment(row, file, TierOf(tiers, row, file.format), call.now_ms));
  }
  result.set_imported(static_cast<int32_t>(fresh.size()));
  auto* problems = result.mutable_problems();
  std::stable_sort(problems->begin(), problems->end(),
                   [](const auto& a, const auto& b) { return a.line() < b.line(); });
  if (result.problems_size() > 0 || dry_run) return result;

  store::SkillsWriter& skills = writer.skills_writer();
  std::map<std::string, std::string> before;  // person -> current tier before the import
  for (const v1::SkillAssessment& a : fresh) {
    if (!before.contains(a.employee_number())) {
      PARC_ASSIGN_OR_RETURN(auto tier, skills.CurrentTier(a.employee_number()));
      before[a.employee_number()] = tier.value_or("");
    }
    PARC_TRY(skills.InsertAssessment(a));
  }
  int tiers_changed = 0;
  for (const auto& [person, old_tier] : before) {
    PARC_ASSIGN_OR_RETURN(bool moved, skills.RefreshCurrentTier(person));
    if (!moved) continue;
    PARC_ASSIGN_OR_RETURN(auto tier, skills.CurrentTier(person));
    if (tier.value_or("") == old_tier) continue;
    ++tiers_changed;
    PARC_TRY(Audit(
        writer, call, "skill.tier", "agent:" + person,
        fmt::format("tier: {} -> {}", old_tier.empty() ? "(none)" : old_tier, tier.value_or(""))));
  }
  PARC_TRY(Audit(writer, call, "skill.import", CampaignTarget(file),
                 fmt::format("format={} imported={} unchanged={} not_shared={} tiers_changed={}",
                             result.format(), result.imported(), result.unchanged(),
                             result.not_shared(), tiers_changed)));
  result.set_applied(true);
  return result;
}

Expected<v1::ImportSkillAssessmentsResponse> ImportSkillAssessments(
    store::Store& store, const Call& call, const std::vector<TierSpec>& tiers,
    const v1::ImportSkillAssessmentsRequest& request) {
  PARC_ASSIGN_OR_RETURN(PixFile file, ParsePixExport(request.csv(), request.id_column()));
  v1::ImportSkillAssessmentsResponse result;
  bool rolled_back = false;
  Status written = store.Write([&](store::Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(result, ApplySkillAssessments(w, call, file, tiers, request.dry_run()));
    if (result.applied()) return Ok();
    rolled_back = true;  // the error below only undoes the transaction
    return Fail(ErrorCode::kAborted, "import not applied");
  });
  if (!written && !rolled_back) return std::unexpected(written.error());
  return result;
}

Expected<store::SkillFilter> SkillFilterFor(const Principal& who,
                                            const v1::ListSkillAssessmentsRequest& request) {
  store::SkillFilter filter;
  v1::Agent key;
  key.set_employee_number(request.employee_number());
  Normalize(key);
  filter.employee_number = key.employee_number();
  filter.department = NormalizeCode(request.department());
  filter.tier = request.tier();
  filter.latest_only = request.latest_only();
  PARC_ASSIGN_OR_RETURN(filter.departments, DepartmentScope(who, filter.department));
  return filter;
}

}  // namespace parc::domain
