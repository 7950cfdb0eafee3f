// The dashboards' grouped counts and short lists (store/dashboard.h). Each
// query is constant SQL plus a Where of bound values; GROUP BY keeps what comes
// back small, the domain does the arithmetic.
#include <string>
#include <tuple>
#include <unordered_map>

#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

namespace {

// Scope on a department column and a site column.
void AddScope(Where& where, const DashboardScope& scope, std::string_view department,
              std::string_view site) {
  where.Equal(department, scope.department);
  where.Equal(site, scope.site);
  where.In({department}, scope.departments);
}

// The device-kind filter on a kind column.
void AddKind(Where& where, const DashboardScope& scope, std::string_view kind) {
  if (scope.kind != v1::DEVICE_KIND_UNSPECIFIED) {
    where.Add(std::string(kind) + " = ?", {static_cast<int64_t>(scope.kind)});
  }
}

// The wave and advisor filters on an agents table alias ("ag").
void AddPeople(Where& where, const DashboardScope& scope) {
  where.Equal("ag.wave", scope.wave);
  where.Equal("ag.advisor", scope.advisor);
}

Expected<Statement> PrepareWhere(Connection& db, std::string_view select, const Where& where,
                                 std::string_view tail) {
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare(std::string(select) + where.Sql() + std::string(tail)));
  st.BindList(1, where.values());
  return st;
}

v1::DepartmentCount DepartmentCountRow(const Statement& st) {
  v1::DepartmentCount c;
  c.set_department(st.Text(0));
  c.set_count(st.Int(1));
  return c;
}

Where StaleWhere(const DashboardScope& scope, int64_t seen_before_ms) {
  Where where;
  where.Add("d.enrollment = ? AND (s.last_seen IS NULL OR s.last_seen < ?)",
            {kEnrolled, seen_before_ms});
  AddScope(where, scope, "d.department", "d.site");
  AddKind(where, scope, "d.kind");
  return where;
}

Where ForeignUseWhere(const DashboardScope& scope) {
  Where where;
  where.Add("u.ended_at IS NULL AND u.not_the_holder = 1");
  AddScope(where, scope, "d.department", "d.site");
  AddKind(where, scope, "d.kind");
  return where;
}

Where OverdueWhere(const DashboardScope& scope, const std::string& today) {
  Where where;
  where.Add("a.ended_at IS NULL AND a.kind = ? AND a.due_date <> '' AND a.due_date < ?",
            {kLoan, today});
  AddScope(where, scope, "ag.department", "ag.site");
  AddPeople(where, scope);
  if (scope.kind != v1::DEVICE_KIND_UNSPECIFIED) {
    where.Add("a.device_id IN (SELECT id FROM devices WHERE kind = ?)",
              {static_cast<int64_t>(scope.kind)});
  }
  return where;
}

// A foreign-use row (ListForeignUse, DescribeForeignUse).
constexpr std::string_view kForeignUseSelect =
    "SELECT d.serial, d.asset_tag, d.department, COALESCE(h.employee_number, ''),"
    " u.employee_number, u.started_at FROM usage_sessions u"
    " JOIN devices d ON d.id = u.device_id"
    " LEFT JOIN allocations a ON a.device_id = d.id AND a.ended_at IS NULL"
    " LEFT JOIN agents h ON h.id = a.agent_id";

v1::ForeignUse ForeignUseRow(const Statement& s) {
  v1::ForeignUse f;
  f.set_serial(s.Text(0));
  f.set_asset_tag(s.Text(1));
  f.set_department(s.Text(2));
  f.set_holder(s.Text(3));
  f.set_used_by(s.Text(4));
  ReadTime(s, 5, [&] { return f.mutable_since(); });
  return f;
}

// A stale-list row (ListStale, DescribeStale); column 12 is the device id.
constexpr std::string_view kStaleSelect =
    "SELECT d.serial, d.asset_tag, d.kind, d.department, d.site, d.lifecycle,"
    " COALESCE(NULLIF(s.current_employee, ''), h.employee_number, ''),"
    " s.last_seen, COALESCE(s.battery_percent, -1), COALESCE(s.os_version, ''),"
    " COALESCE(s.agent_version, ''), c.created_at, d.id FROM devices d"
    " LEFT JOIN device_status s ON s.device_id = d.id"
    " LEFT JOIN allocations a ON a.device_id = d.id AND a.ended_at IS NULL"
    " LEFT JOIN agents h ON h.id = a.agent_id"
    " LEFT JOIN device_credentials c ON c.device_id = d.id";

v1::StaleDevice StaleRow(const Statement& s) {
  v1::StaleDevice d;
  d.set_serial(s.Text(0));
  d.set_asset_tag(s.Text(1));
  d.set_kind(static_cast<v1::DeviceKind>(s.Int(2)));
  d.set_department(s.Text(3));
  d.set_site(s.Text(4));
  d.set_lifecycle(static_cast<v1::Lifecycle>(s.Int(5)));
  d.set_last_user(s.Text(6));
  d.set_never_checked_in(s.IsNull(7));
  ReadTime(s, 7, [&] { return d.mutable_last_seen(); });
  d.set_battery_percent(static_cast<int32_t>(s.Int(8)));
  d.set_os_version(s.Text(9));
  d.set_agent_version(s.Text(10));
  ReadTime(s, 11, [&] { return d.mutable_enrolled_at(); });
  return d;
}

class SqlDashboardReader final : public DashboardReader {
 public:
  explicit SqlDashboardReader(Connection& db) : db_(db) {}

  Expected<std::vector<DeviceGroup>> CountDevices(const DashboardScope& scope) override {
    Where where;
    AddScope(where, scope, "d.department", "d.site");
    AddKind(where, scope, "d.kind");
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        PrepareWhere(db_,
                     "SELECT d.kind, d.lifecycle, d.department, d.site, COALESCE(a.kind, 0),"
                     " COUNT(*) FROM devices d"
                     " LEFT JOIN allocations a ON a.device_id = d.id AND a.ended_at IS NULL",
                     where, " GROUP BY 1, 2, 3, 4, 5"));
    return Collect(st, [](const Statement& s) {
      return DeviceGroup{.kind = static_cast<v1::DeviceKind>(s.Int(0)),
                         .lifecycle = static_cast<v1::Lifecycle>(s.Int(1)),
                         .department = s.Text(2),
                         .site = s.Text(3),
                         .allocation = static_cast<v1::AllocationKind>(s.Int(4)),
                         .devices = s.Int(5)};
    });
  }

  Expected<std::vector<TargetedGroup>> CountTargetedAgents(const DashboardScope& scope) override {
    Where where;
    where.Add(kTargeted, {kActive});
    AddScope(where, scope, "ag.department", "ag.site");
    AddPeople(where, scope);
    PARC_ASSIGN_OR_RETURN(Statement st,
                          db_.Prepare(std::string("SELECT ag.department, ag.site, ag.advisor,"
                                                  " ag.wave, EXISTS (SELECT 1 FROM allocations a"
                                                  " WHERE a.agent_id = ag.id AND a.ended_at IS NULL"
                                                  " AND a.kind IN (?, ?)), COUNT(*)"
                                                  " FROM agents ag") +
                                      where.Sql() + " GROUP BY 1, 2, 3, 4, 5"));
    st.BindAll(kPersonal, kLoan);
    st.BindList(3, where.values());
    return Collect(st, [](const Statement& s) {
      return TargetedGroup{.department = s.Text(0),
                           .site = s.Text(1),
                           .advisor = s.Text(2),
                           .wave = s.Text(3),
                           .equipped = s.Int(4) != 0,
                           .agents = s.Int(5)};
    });
  }

  Expected<std::vector<FunnelGroup>> CountFunnel(const DashboardScope& scope) override {
    return CountFunnelGroups(db_, scope);  // funnel_reads.cc
  }

  Expected<std::vector<HealthGroup>> CountHealth(const DashboardScope& scope,
                                                 const HealthThresholds& limits) override {
    Where where;
    where.Add("d.enrollment = ?", {kEnrolled});
    AddScope(where, scope, "d.department", "d.site");
    AddKind(where, scope, "d.kind");
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare(std::string("SELECT d.department, d.kind, COALESCE(s.os_version, ''),"
                                " COALESCE(s.agent_version, ''), s.device_id IS NOT NULL,"
                                " COALESCE(s.battery_percent >= 0 AND s.battery_percent < ?, 0),"
                                " COALESCE(s.storage_total > 0 AND s.storage_free >= 0"
                                " AND s.storage_free * 100 < s.storage_total * ?, 0), COUNT(*)"
                                " FROM devices d LEFT JOIN device_status s ON s.device_id = d.id") +
                    where.Sql() + " GROUP BY 1, 2, 3, 4, 5, 6, 7"));
    st.BindAll(limits.battery_below, limits.storage_free_percent_below);
    st.BindList(3, where.values());
    return Collect(st, [](const Statement& s) {
      return HealthGroup{.department = s.Text(0),
                         .kind = static_cast<v1::DeviceKind>(s.Int(1)),
                         .os_version = s.Text(2),
                         .agent_version = s.Text(3),
                         .checked_in = s.Int(4) != 0,
                         .low_battery = s.Int(5) != 0,
                         .low_storage = s.Int(6) != 0,
                         .devices = s.Int(7)};
    });
  }

  Expected<FleetGauges> CountFleet(int64_t stale_before_ms) override {
    FleetGauges out;
    PARC_ASSIGN_OR_RETURN(Statement by_lifecycle,
                          db_.Prepare("SELECT lifecycle, COUNT(*) FROM devices GROUP BY 1"));
    PARC_ASSIGN_OR_RETURN(out.by_lifecycle, Collect(by_lifecycle, [](const Statement& s) {
                            return std::pair{static_cast<v1::Lifecycle>(s.Int(0)), s.Int(1)};
                          }));
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("SELECT COUNT(*), COALESCE(SUM(s.last_seen IS NULL OR s.last_seen < ?), 0)"
                    " FROM devices d LEFT JOIN device_status s ON s.device_id = d.id"
                    " WHERE d.enrollment = ?"));
    st.BindAll(stale_before_ms, kEnrolled);
    PARC_ASSIGN_OR_RETURN(auto counts, Collect(st, [](const Statement& s) {
                            return std::pair{s.Int(0), s.Int(1)};
                          }));
    if (!counts.empty()) std::tie(out.enrolled, out.stale) = counts.front();
    return out;
  }

  Expected<std::vector<VersionGroup>> CountVersions() override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("SELECT d.kind, s.os_version, s.agent_version, COUNT(*) FROM devices d"
                    " JOIN device_status s ON s.device_id = d.id WHERE d.enrollment = ?"
                    " GROUP BY 1, 2, 3"));
    st.BindAll(kEnrolled);
    return Collect(st, [](const Statement& s) {
      return VersionGroup{.kind = static_cast<v1::DeviceKind>(s.Int(0)),
                          .os_version = s.Text(1),
                          .agent_version = s.Text(2),
                          .devices = s.Int(3)};
    });
  }

  Expected<std::vector<StaleGroup>> CountStale(const DashboardScope& scope,
                                               int64_t seen_before_ms) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        PrepareWhere(db_,
                     "SELECT d.department, s.last_seen IS NULL, COUNT(*) FROM devices d"
                     " LEFT JOIN device_status s ON s.device_id = d.id",
                     StaleWhere(scope, seen_before_ms), " GROUP BY 1, 2"));
    return Collect(st, [](const Statement& s) {
      return StaleGroup{
          .department = s.Text(0), .never_checked_in = s.Int(1) != 0, .devices = s.Int(2)};
    });
  }

  Expected<std::vector<v1::StaleDevice>> ListStale(const DashboardScope& scope,
                                                   int64_t seen_before_ms, int limit) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st, PrepareList(db_, kStaleSelect, StaleWhere(scope, seen_before_ms),
                                  " ORDER BY s.last_seen IS NOT NULL, s.last_seen, d.id", limit));
    return Collect(st, StaleRow);
  }

  Expected<std::vector<v1::StaleDevice>> DescribeStale(
      const std::vector<int64_t>& device_ids) override {
    std::vector<v1::StaleDevice> out;
    if (device_ids.empty()) return out;
    std::string sql = std::string(kStaleSelect) + " WHERE d.id IN (?";
    for (size_t i = 1; i < device_ids.size(); ++i) sql += ", ?";
    sql += ")";
    PARC_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
    for (size_t i = 0; i < device_ids.size(); ++i) {
      st.Bind(static_cast<int>(i) + 1, device_ids[i]);
    }
    std::unordered_map<int64_t, v1::StaleDevice> by_id;
    while (true) {
      PARC_ASSIGN_OR_RETURN(bool has_row, st.Step());
      if (!has_row) break;
      by_id.emplace(st.Int(12), StaleRow(st));
    }
    out.reserve(by_id.size());
    for (int64_t id : device_ids) {
      if (auto it = by_id.find(id); it != by_id.end()) out.push_back(std::move(it->second));
    }
    return out;
  }

  Status ScanDevices(const RowSink<DeviceFacts>& row) override {
    return ScanDeviceFacts(db_, {}, row);
  }
  Status ScanDevicesBySerial(const std::vector<std::string>& serials,
                             const RowSink<DeviceFacts>& row) override {
    if (serials.empty()) return Ok();
    return ScanDeviceFacts(db_, serials, row);
  }
  Status ScanTargetedAgents(const RowSink<AgentFacts>& row) override {
    return ScanAgentFacts(db_, {}, row);
  }
  Status ScanAgents(const std::vector<std::string>& employee_numbers,
                    const RowSink<AgentFacts>& row) override {
    if (employee_numbers.empty()) return Ok();
    return ScanAgentFacts(db_, employee_numbers, row);
  }
  Expected<int64_t> LatestAuditId() override { return queries::LatestAuditId(db_); }
  Expected<std::vector<std::string>> LatestHolders(
      const std::vector<std::string>& serials) override {
    return queries::LatestHolders(db_, serials);
  }
  Status ScanOverdueCandidates(const RowSink<LoanFacts>& row) override {
    return queries::ScanOverdueCandidates(db_, row);
  }
  Status ScanPublishedAssignments(const RowSink<AssignmentFacts>& row) override {
    return queries::ScanPublishedAssignments(db_, row);
  }
  Status ScanProgress(const std::vector<std::string>& employee_numbers,
                      const RowSink<ProgressFacts>& row) override {
    return ScanProgressFacts(db_, employee_numbers, row);
  }

  Expected<std::vector<v1::DepartmentCount>> CountForeignUse(const DashboardScope& scope) override {
    PARC_ASSIGN_OR_RETURN(Statement st,
                          PrepareWhere(db_,
                                       "SELECT d.department, COUNT(*) FROM usage_sessions u"
                                       " JOIN devices d ON d.id = u.device_id",
                                       ForeignUseWhere(scope), " GROUP BY 1 ORDER BY 1"));
    return Collect(st, DepartmentCountRow);
  }

  Expected<std::vector<v1::ForeignUse>> ListForeignUse(const DashboardScope& scope,
                                                       int limit) override {
    PARC_ASSIGN_OR_RETURN(Statement st, PrepareList(db_, kForeignUseSelect, ForeignUseWhere(scope),
                                                    " ORDER BY u.started_at, u.id", limit));
    return Collect(st, ForeignUseRow);
  }

  Expected<std::vector<v1::ForeignUse>> DescribeForeignUse(const std::vector<int64_t>& device_ids,
                                                           int limit) override {
    if (device_ids.empty()) return std::vector<v1::ForeignUse>{};
    std::string sql = std::string(kForeignUseSelect) +
                      " WHERE u.ended_at IS NULL AND u.not_the_holder = 1 AND u.device_id IN (?";
    for (size_t i = 1; i < device_ids.size(); ++i) sql += ", ?";
    sql += ") ORDER BY u.started_at, u.id LIMIT ?";
    PARC_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
    int at = 1;
    for (int64_t id : device_ids) st.Bind(at++, id);
    st.Bind(at, static_cast<int64_t>(limit));
    return Collect(st, ForeignUseRow);
  }

  Expected<std::vector<v1::DepartmentCount>> CountOverdueLoans(const DashboardScope& scope,
                                                               const std::string& today) override {
    PARC_ASSIGN_OR_RETURN(Statement st,
                          PrepareWhere(db_,
                                       "SELECT ag.department, COUNT(*) FROM allocations a"
                                       " JOIN agents ag ON ag.id = a.agent_id",
                                       OverdueWhere(scope, today), " GROUP BY 1 ORDER BY 1"));
    return Collect(st, DepartmentCountRow);
  }

  Expected<std::vector<v1::OverdueLoan>> ListOverdueLoans(const DashboardScope& scope,
                                                          const std::string& today,
                                                          int limit) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        PrepareList(db_,
                    "SELECT ag.employee_number, ag.first_name, ag.last_name, ag.department,"
                    " d.serial, d.asset_tag, d.kind, a.due_date, a.started_at, ag.site,"
                    " ag.advisor, ag.phone, ag.manager, COALESCE(TRIM(m.first_name || ' ' ||"
                    " m.last_name), ''), COALESCE(m.phone, ''), COALESCE(dn.name, '')"
                    " FROM allocations a"
                    " JOIN agents ag ON ag.id = a.agent_id JOIN devices d ON d.id = a.device_id"
                    " LEFT JOIN agents m ON ag.manager <> '' AND m.employee_number = ag.manager"
                    " LEFT JOIN departments dn ON dn.code = ag.department",
                    OverdueWhere(scope, today), " ORDER BY a.due_date, a.id", limit));
    return Collect(st, [](const Statement& s) {
      v1::OverdueLoan l;
      l.set_employee_number(s.Text(0));
      std::string name = s.Text(1);
      if (!name.empty() && !s.Text(2).empty()) name += ' ';
      l.set_agent_name(name + s.Text(2));
      l.set_department(s.Text(3));
      l.set_serial(s.Text(4));
      l.set_asset_tag(s.Text(5));
      l.set_kind(static_cast<v1::DeviceKind>(s.Int(6)));
      l.set_due_date(s.Text(7));
      ReadTime(s, 8, [&] { return l.mutable_started_at(); });
      l.set_site(s.Text(9));
      l.set_advisor(s.Text(10));
      l.set_phone(s.Text(11));
      l.set_manager(s.Text(12));
      l.set_manager_name(s.Text(13));
      l.set_manager_phone(s.Text(14));
      l.set_department_name(s.Text(15));
      return l;
    });
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<DashboardReader> NewDashboardReader(Connection& db) {
  return std::make_unique<SqlDashboardReader>(db);
}

}  // namespace parc::store::sqlite::queries
