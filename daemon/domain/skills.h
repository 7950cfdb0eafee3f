// Skill assessments: importing Pix Orga exports (the file is read by pix.h)
// into per-person assessments with a tier (skill_tiers.h), each person's
// current tier being that of their latest assessment; and listing them.
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "daemon/domain/pix.h"
#include "daemon/domain/principal.h"
#include "daemon/domain/skill_tiers.h"
#include "daemon/store/store.h"
#include "parc/v1/training.pb.h"

namespace parc::domain {

// The tiers as the API shows them, lowest first.
v1::ListSkillTiersResponse TiersResponse(const std::vector<TierSpec>& tiers);

// Stores the file's rows inside the caller's write transaction. A row whose
// employee number is no agent's is a problem on its line; a row already
// stored (same person, campaign and instant, or repeated in the file) is
// unchanged. With no problem and !dry_run: inserts the new assessments with
// their tier, moves each person's current tier to their latest assessment,
// appends one "skill.tier" audit event per person whose current tier changed
// and one "skill.import" summary, and sets applied. Otherwise writes nothing.
// Problems are sorted by line. Errors are storage failures only.
Expected<v1::ImportSkillAssessmentsResponse> ApplySkillAssessments(
    store::Writer& writer, const Call& call, const PixFile& file,
    const std::vector<TierSpec>& tiers, bool dry_run);

// ParsePixExport + ApplySkillAssessments in one Store::Write transaction,
// committed only when applied. Errors: the file is unreadable or ambiguous
// (INVALID_ARGUMENT, see ParsePixExport) or storage failed.
Expected<v1::ImportSkillAssessmentsResponse> ImportSkillAssessments(
    store::Store& store, const Call& call, const std::vector<TierSpec>& tiers,
    const v1::ImportSkillAssessmentsRequest& request);

// The store filter for `who` asking `request` (codes normalized, page from
// the service). A manager is limited to their departments: naming another
// department, or having none, is PERMISSION_DENIED.
Expected<store::SkillFilter> SkillFilterFor(const Principal& who,
                                            const v1::ListSkillAssessmentsRequest& request);

}  // namespace parc::domain
