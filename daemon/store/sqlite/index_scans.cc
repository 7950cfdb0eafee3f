// The full scans the dashboards' in-memory index is built from
// (DashboardReader::Scan*): one row per device, targeted agent, overdue-able
// loan, published assignment and progress row, with exactly the columns and
// conditions of the grouped reads in dashboard_reads.cc and funnel_reads.cc.
#include <string>

#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

namespace {

template <typename Row, typename Map>
Status Each(Statement& st, const RowSink<Row>& sink, Map map) {
  while (true) {
    PARC_ASSIGN_OR_RETURN(bool has_row, st.Step());
    if (!has_row) return Ok();
    sink(map(st));
  }
}

// One row per device: its inventory, open allocation, status and usage.
constexpr std::string_view kDeviceFacts =
    "SELECT d.id, d.kind, d.lifecycle, d.department, d.site, d.enrollment = ?,"
    " COALESCE(a.kind, 0), s.device_id IS NOT NULL, COALESCE(s.last_seen, 0),"
    " COALESCE(s.last_sequence, -1), COALESCE(s.battery_percent, -1),"
    " COALESCE(s.storage_free, -1), COALESCE(s.storage_total, -1),"
    " COALESCE(s.os_version, ''), COALESCE(s.agent_version, ''),"
    " o.not_the_holder, COALESCE(o.started_at, 0),"
    " COALESCE((SELECT max(u.started_at, COALESCE(u.ended_at, u.started_at))"
    " FROM usage_sessions u WHERE u.device_id = d.id"
    " ORDER BY u.started_at DESC, u.id DESC LIMIT 1), 0)"
    " FROM devices d"
    " LEFT JOIN allocations a ON a.device_id = d.id AND a.ended_at IS NULL"
    " LEFT JOIN device_status s ON s.device_id = d.id"
    " LEFT JOIN usage_sessions o ON o.device_id = d.id AND o.ended_at IS NULL";

}  // namespace

Status ScanDeviceFacts(Connection& db, const std::vector<std::string>& serials,
                       const RowSink<DeviceFacts>& sink) {
  // The usage columns follow telemetry_writes.cc: at most one open session per
  // device; the latest-started session holds the latest boundary.
  Where where;
  where.In({"d.serial"}, serials);
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare(std::string(kDeviceFacts) + where.Sql() + " ORDER BY d.id"));
  st.BindAll(kEnrolled);
  st.BindList(2, where.values());
  return Each(st, sink, [](const Statement& s) {
    return DeviceFacts{.id = s.Int(0),
                       .kind = static_cast<v1::DeviceKind>(s.Int(1)),
                       .lifecycle = static_cast<v1::Lifecycle>(s.Int(2)),
                       .department = s.Text(3),
                       .site = s.Text(4),
                       .enrolled = s.Int(5) != 0,
                       .allocation = static_cast<v1::AllocationKind>(s.Int(6)),
                       .checked_in = s.Int(7) != 0,
                       .last_seen = s.Int(8),
                       .last_sequence = s.Int(9),
                       .battery_percent = s.Int(10),
                       .storage_free = s.Int(11),
                       .storage_total = s.Int(12),
                       .os_version = s.Text(13),
                       .agent_version = s.Text(14),
                       .session_open = !s.IsNull(15),
                       .foreign_use = !s.IsNull(15) && s.Int(15) != 0,
                       .session_started = s.Int(16),
                       .usage_boundary = s.Int(17)};
  });
}

Status ScanAgentFacts(Connection& db, const std::vector<std::string>& employee_numbers,
                      const RowSink<AgentFacts>& sink) {
  // Every agent named, targeted or not; without names, the targeted ones.
  Where where;
  if (employee_numbers.empty()) {
    where.Add(kTargeted, {kActive});
  } else {
    where.In({"ag.employee_number"}, employee_numbers);
  }
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare(std::string("SELECT ag.id, ag.department, ag.site, ag.advisor, ag.wave,"
                             " EXISTS (SELECT 1 FROM allocations a WHERE a.agent_id = ag.id"
                             " AND a.ended_at IS NULL AND a.kind IN (?, ?)),"
                             " t.tier IS NOT NULL, COALESCE(t.tier, ''), ") +
                 std::string(kTargeted) +
                 " FROM agents ag"
                 " LEFT JOIN agent_tiers t ON t.employee_number = ag.employee_number" +
                 where.Sql() + " ORDER BY ag.id"));
  st.BindAll(kPersonal, kLoan, kActive);
  st.BindList(4, where.values());
  return Each(st, sink, [](const Statement& s) {
    return AgentFacts{.id = s.Int(0),
                      .department = s.Text(1),
                      .site = s.Text(2),
                      .advisor = s.Text(3),
                      .wave = s.Text(4),
                      .equipped = s.Int(5) != 0,
                      .assessed = s.Int(6) != 0,
                      .tier = s.Text(7),
                      .targeted = s.Int(8) != 0};
  });
}

Expected<int64_t> LatestAuditId(Connection& db) {
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT COALESCE(max(id), 0) FROM audit_events"));
  PARC_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Expected<std::vector<std::string>> LatestHolders(Connection& db,
                                                 const std::vector<std::string>& serials) {
  std::vector<std::string> out;
  if (serials.empty()) return out;
  Where where;
  where.In({"d.serial"}, serials);
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("SELECT ag.employee_number FROM devices d"
                                   " JOIN allocations a ON a.id = (SELECT max(id) FROM allocations"
                                   " WHERE device_id = d.id) JOIN agents ag ON ag.id = a.agent_id" +
                                   where.Sql()));
  st.BindList(1, where.values());
  return Collect(st, [](const Statement& s) { return s.Text(0); });
}

Status ScanOverdueCandidates(Connection& db, const RowSink<LoanFacts>& sink) {
  // due_date > '' is due_date <> '' as a range: the open-loans index
  // (allocations_open_loans) answers it instead of every open allocation.
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("SELECT ag.department, ag.site, ag.advisor, ag.wave, d.kind, a.due_date"
                 " FROM allocations a JOIN agents ag ON ag.id = a.agent_id"
                 " JOIN devices d ON d.id = a.device_id"
                 " WHERE a.ended_at IS NULL AND a.kind = ? AND a.due_date > ''"));
  st.BindAll(kLoan);
  return Each(st, sink, [](const Statement& s) {
    return LoanFacts{.department = s.Text(0),
                     .site = s.Text(1),
                     .advisor = s.Text(2),
                     .wave = s.Text(3),
                     .kind = static_cast<v1::DeviceKind>(s.Int(4)),
                     .due_date = s.Text(5)};
  });
}

Status ScanPublishedAssignments(Connection& db, const RowSink<AssignmentFacts>& sink) {
  PARC_ASSIGN_OR_RETURN(
      Statement st, db.Prepare("SELECT a.module_code, a.target_kind, a.target, COALESCE(ag.id, 0)"
                               " FROM module_assignments a LEFT JOIN agents ag"
                               " ON a.target_kind = 'agent' AND ag.employee_number = a.target"
                               " WHERE a.module_code IN (SELECT code FROM modules WHERE state = ?)"
                               " ORDER BY a.id"));
  st.BindAll(kPublished);
  return Each(st, sink, [](const Statement& s) {
    return AssignmentFacts{.module_code = s.Text(0),
                           .target_kind = s.Text(1),
                           .target = s.Text(2),
                           .agent_id = s.Int(3)};
  });
}

Status ScanProgressFacts(Connection& db, const std::vector<std::string>& employee_numbers,
                         const RowSink<ProgressFacts>& sink) {
  Where where;
  where.Add(kTargeted, {kActive});
  where.In({"p.employee_number"}, employee_numbers);
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("SELECT ag.id, p.module_code, p.opened_at IS NOT NULL,"
                                   " p.completed_at IS NOT NULL FROM module_progress p"
                                   " JOIN agents ag ON ag.employee_number = p.employee_number" +
                                   where.Sql()));
  st.BindList(1, where.values());
  return Each(st, sink, [](const Statement& s) {
    return ProgressFacts{.agent_id = s.Int(0),
                         .module_code = s.Text(1),
                         .opened = s.Int(2) != 0,
                         .completed = s.Int(3) != 0};
  });
}

}  // namespace parc::store::sqlite::queries
