// Who a module assignment reaches, as SQL: the one rule every query that
// resolves assignments against agents uses (TrainingReader::ListProgress, the
// training funnel), so that what parcd delivers, lists and counts agree. The
// per-person form (AssignmentFilter::reaching) binds the same four keys.
#pragma once

#include <string_view>

namespace parc::store::sqlite::queries {

// A join condition over `ag` (an agents row), `t` (its agent_tiers row, LEFT
// JOINed: NULL when never assessed) and `a` (a module_assignments row): the
// assignment names the agent, their department, their wave (never the empty
// one) or their current tier. Whether the module has a published version is
// the caller's to check (modules.state).
inline constexpr std::string_view kAssignmentReachesAgent =
    "((a.target_kind = 'agent' AND a.target = ag.employee_number)"
    " OR (a.target_kind = 'department' AND a.target = ag.department)"
    " OR (a.target_kind = 'wave' AND a.target = ag.wave AND ag.wave <> '')"
    " OR (a.target_kind = 'tier' AND a.target = t.tier))";

}  // namespace parc::store::sqlite::queries
