// Reads of what devices reported: latest status, report history, usage sessions.
#include <string>

#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

namespace {

v1::DeviceStatus StatusRow(const Statement& st) {
  v1::DeviceStatus s;
  s.set_device_id(st.Int(0));
  ReadTime(st, 1, [&] { return s.mutable_last_seen(); });
  ReadTime(st, 2, [&] { return s.mutable_collected_at(); });
  s.set_last_sequence(static_cast<uint64_t>(st.OptionalInt(3).value_or(0)));
  s.set_battery_percent(static_cast<int32_t>(st.Int(4)));
  s.set_charging(st.Int(5) != 0);
  s.set_storage_free_bytes(st.Int(6));
  s.set_storage_total_bytes(st.Int(7));
  s.set_os_version(st.Text(8));
  s.set_agent_version(st.Text(9));
  s.set_current_user(st.Text(10));
  s.set_ip_address(st.Text(11));
  s.set_dropped_reports(static_cast<uint64_t>(st.Int(12)));
  return s;
}

v1::UsageSession SessionRow(const Statement& st) {
  v1::UsageSession u;
  u.set_id(st.Int(0));
  u.set_device_id(st.Int(1));
  u.set_device_serial(st.Text(2));
  u.set_employee_number(st.Text(3));
  ReadTime(st, 4, [&] { return u.mutable_started_at(); });
  ReadTime(st, 5, [&] { return u.mutable_ended_at(); });
  u.set_not_the_holder(st.Int(6) != 0);
  u.set_unknown_person(st.Int(7) != 0);
  return u;
}

}  // namespace

Expected<std::optional<v1::DeviceStatus>> GetDeviceStatus(Connection& db, int64_t device_id) {
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("SELECT device_id, last_seen, collected_at, last_sequence, battery_percent,"
                 " charging, storage_free, storage_total, os_version, agent_version,"
                 " current_employee, ip_address, dropped_reports"
                 " FROM device_status WHERE device_id = ?"));
  st.BindAll(device_id);
  return FirstRow(st, StatusRow);
}

Expected<std::vector<v1::Report>> ListRecentReports(Connection& db, int64_t device_id, int limit) {
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("SELECT sequence, report FROM device_reports"
                                   " WHERE device_id = ? ORDER BY sequence DESC LIMIT ?"));
  st.BindAll(device_id, PageLimit(limit));
  std::vector<v1::Report> reports;
  while (true) {
    PARC_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return reports;
    const std::string_view bytes = st.BlobView(1);
    v1::Report& report = reports.emplace_back();
    if (!report.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return Fail(ErrorCode::kInternal, "device " + std::to_string(device_id) + " report " +
                                            std::to_string(st.Int(0)) + ": unreadable");
    }
  }
}

Expected<std::vector<v1::UsageSession>> ListUsageSessions(Connection& db,
                                                          const UsageFilter& filter) {
  Where where;
  if (filter.device_id != 0) where.Add("u.device_id = ?", {filter.device_id});
  where.Equal("u.employee_number", filter.employee_number);
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      PrepareList(db,
                  "SELECT u.id, u.device_id, d.serial, u.employee_number, u.started_at,"
                  " u.ended_at, u.not_the_holder, u.unknown_person"
                  " FROM usage_sessions u JOIN devices d ON d.id = u.device_id",
                  where, " ORDER BY u.started_at DESC, u.id DESC", PageLimit(filter.limit)));
  return Collect(st, SessionRow);
}

}  // namespace parc::store::sqlite::queries
