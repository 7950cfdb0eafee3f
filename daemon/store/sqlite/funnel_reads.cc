// The training funnel's grouped counts (DashboardReader::CountFunnel): one
// statement over the targeted agents in scope. Assignments are resolved with
// the shared rule (training_reach.h), so the funnel counts exactly the modules
// parcd delivers and ListProgress lists.
#include <string>

#include "daemon/store/sqlite/queries.h"
#include "daemon/store/sqlite/training_reach.h"

namespace parc::store::sqlite::queries {

namespace {

// Targeted agents in scope, computed once (MATERIALIZED: both the resolution
// and the final grouping read it). Then per agent: the published modules that
// reach them (`reach`), and how many of those they opened and completed
// (`per_agent`; module_progress sets opened_at whenever it sets completed_at).
// Agents nothing reaches have no per_agent row.
constexpr std::string_view kTargetedSelect =
    "WITH targeted AS MATERIALIZED (SELECT ag.id AS id, ag.employee_number AS employee_number,"
    " ag.department AS department, ag.advisor AS advisor, ag.wave AS wave FROM agents ag";

std::string FunnelSql(const Where& where) {
  return std::string(kTargetedSelect) + where.Sql() +
         "), reach AS (SELECT ag.id AS agent_id, ag.employee_number AS employee_number,"
         " a.module_code AS module_code FROM targeted ag"
         " LEFT JOIN agent_tiers t ON t.employee_number = ag.employee_number"
         " JOIN module_assignments a ON " +
         std::string(kAssignmentReachesAgent) +
         " WHERE a.module_code IN (SELECT code FROM modules WHERE state = ?)"
         " GROUP BY ag.id, a.module_code),"
         " per_agent AS (SELECT r.agent_id AS agent_id, count(*) AS modules,"
         " count(p.opened_at) AS opened, count(p.completed_at) AS completed FROM reach r"
         " LEFT JOIN module_progress p ON p.employee_number = r.employee_number"
         " AND p.module_code = r.module_code GROUP BY r.agent_id)"
         " SELECT ag.department, ag.advisor, ag.wave, COALESCE(t.tier, ''),"
         " t.tier IS NOT NULL, pa.modules IS NOT NULL, COALESCE(pa.opened > 0, 0),"
         " COALESCE(pa.completed = pa.modules, 0), count(*) FROM targeted ag"
         " LEFT JOIN agent_tiers t ON t.employee_number = ag.employee_number"
         " LEFT JOIN per_agent pa ON pa.agent_id = ag.id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8";
}

}  // namespace

Expected<std::vector<FunnelGroup>> CountFunnelGroups(Connection& db, const DashboardScope& scope) {
  // Targeted as CountTargetedAgents (and Coverage) count them.
  Where where;
  where.Add(kTargeted, {kActive});
  where.Equal("ag.department", scope.department);
  where.Equal("ag.site", scope.site);
  where.In({"ag.department"}, scope.departments);
  where.Equal("ag.wave", scope.wave);
  where.Equal("ag.advisor", scope.advisor);
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(FunnelSql(where)));
  st.BindList(1, where.values());
  st.Bind(static_cast<int>(where.values().size()) + 1, kPublished);
  return Collect(st, [](const Statement& s) {
    return FunnelGroup{.department = s.Text(0),
                       .advisor = s.Text(1),
                       .wave = s.Text(2),
                       .tier = s.Text(3),
                       .assessed = s.Int(4) != 0,
                       .assigned = s.Int(5) != 0,
                       .started = s.Int(6) != 0,
                       .completed = s.Int(7) != 0,
                       .agents = s.Int(8)};
  });
}

}  // namespace parc::store::sqlite::queries
