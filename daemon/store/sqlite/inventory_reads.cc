// Reads of agents, devices and sites.
#include <algorithm>
#include <string>

#include "common/fold.h"
#include "daemon/store/sqlite/queries.h"
#include "daemon/store/sqlite/search_terms.h"

namespace parc::store::sqlite::queries {

namespace {

constexpr std::string_view kSelectAgent =
    "SELECT id, employee_number, first_name, last_name, department, site, has_email, advisor,"
    " wave, status, badge, created_at, updated_at, COALESCE(dn.name, ''), manager, phone"
    " FROM agents LEFT JOIN departments dn ON dn.code = agents.department";

v1::Agent AgentRow(const Statement& st) {
  v1::Agent a;
  a.set_id(st.Int(0));
  a.set_employee_number(st.Text(1));
  a.set_first_name(st.Text(2));
  a.set_last_name(st.Text(3));
  a.set_department(st.Text(4));
  a.set_site(st.Text(5));
  a.set_has_email(st.Int(6) != 0);
  a.set_advisor(st.Text(7));
  a.set_wave(st.Text(8));
  a.set_status(static_cast<v1::AgentStatus>(st.Int(9)));
  a.set_badge(st.Text(10));
  ReadTime(st, 11, [&] { return a.mutable_created_at(); });
  ReadTime(st, 12, [&] { return a.mutable_updated_at(); });
  a.set_department_name(st.Text(13));
  a.set_manager(st.Text(14));
  a.set_phone(st.Text(15));
  return a;
}

// The holder comes from the device's open allocation, if any; last_seen from
// its status row, if it ever checked in.
constexpr std::string_view kSelectDevice =
    "SELECT d.id, d.serial, d.asset_tag, d.kind, d.model, d.os, d.site, d.department,"
    " d.purchase_date, d.warranty_end, d.notes, d.lifecycle, d.created_at, d.updated_at,"
    " COALESCE(h.employee_number, ''), COALESCE(a.site, ''), d.enrollment, s.last_seen,"
    " COALESCE(dn.name, '') FROM devices d"
    " LEFT JOIN departments dn ON dn.code = d.department"
    " LEFT JOIN allocations a ON a.device_id = d.id AND a.ended_at IS NULL"
    " LEFT JOIN agents h ON h.id = a.agent_id"
    " LEFT JOIN device_status s ON s.device_id = d.id";

v1::Device DeviceRow(const Statement& st) {
  v1::Device d;
  d.set_id(st.Int(0));
  d.set_serial(st.Text(1));
  d.set_asset_tag(st.Text(2));
  d.set_kind(static_cast<v1::DeviceKind>(st.Int(3)));
  d.set_model(st.Text(4));
  d.set_os(st.Text(5));
  d.set_site(st.Text(6));
  d.set_department(st.Text(7));
  d.set_purchase_date(st.Text(8));
  d.set_warranty_end(st.Text(9));
  d.set_notes(st.Text(10));
  d.set_lifecycle(static_cast<v1::Lifecycle>(st.Int(11)));
  ReadTime(st, 12, [&] { return d.mutable_created_at(); });
  ReadTime(st, 13, [&] { return d.mutable_updated_at(); });
  d.set_holder_employee_number(st.Text(14));
  d.set_holder_site(st.Text(15));
  d.set_enrollment(static_cast<v1::EnrollmentState>(st.Int(16)));
  ReadTime(st, 17, [&] { return d.mutable_last_seen(); });
  d.set_department_name(st.Text(18));
  return d;
}

constexpr std::string_view kSelectSite = "SELECT id, code, name, address FROM sites";

v1::Site SiteRow(const Statement& st) {
  v1::Site s;
  s.set_id(st.Int(0));
  s.set_code(st.Text(1));
  s.set_name(st.Text(2));
  s.set_address(st.Text(3));
  return s;
}

std::string Sql(std::string_view select, std::string_view where) {
  return std::string(select) + std::string(where);
}

}  // namespace

Expected<std::optional<v1::Agent>> FindAgent(Connection& db, std::string_view employee_number) {
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(Sql(kSelectAgent, " WHERE employee_number = ?")));
  st.BindAll(employee_number);
  return FirstRow(st, AgentRow);
}

Expected<std::vector<v1::Agent>> ListAgents(Connection& db, const AgentFilter& filter) {
  Where where;
  if (filter.page.after_id != 0) where.Add("id > ?", {filter.page.after_id});
  where.Equal("department", filter.department);
  where.Equal("site", filter.site);
  where.Equal("wave", filter.wave);
  where.Equal("advisor", filter.advisor);
  if (filter.status != v1::AGENT_STATUS_UNSPECIFIED) {
    where.Add("status = ?", {static_cast<int64_t>(filter.status)});
  }
  if (filter.without_email_only) where.Add("has_email = 0");
  where.In({"department"}, filter.departments);
  where.Contains({"search_text"}, FoldForSearch(filter.query));
  PARC_ASSIGN_OR_RETURN(Statement st, PrepareList(db, kSelectAgent, where, " ORDER BY id",
                                                  PageLimit(filter.page.limit)));
  return Collect(st, AgentRow);
}

Expected<std::optional<v1::Device>> FindDevice(Connection& db, std::string_view key) {
  if (key.empty()) return std::nullopt;
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare(Sql(kSelectDevice,
                                       " WHERE d.serial_key = ? OR (d.asset_tag_key = ? AND"
                                       " d.asset_tag_key <> '') ORDER BY d.id LIMIT 2")));
  const std::string folded = FoldForSearch(key);
  st.BindAll(folded, folded);
  PARC_ASSIGN_OR_RETURN(std::vector<v1::Device> found, Collect(st, DeviceRow));
  if (found.empty()) return std::nullopt;
  if (found.size() > 1) {
    // The one device whose serial or asset tag is the key exactly wins over a
    // folded twin ("r52t1" and "R52T1"); two exact matches stay ambiguous.
    auto exact = [&](const v1::Device& d) { return d.serial() == key || d.asset_tag() == key; };
    if (std::count_if(found.begin(), found.end(), exact) == 1) {
      return std::move(*std::find_if(found.begin(), found.end(), exact));
    }
    return InvalidArgument("key", "\"" + std::string(key) + "\" is the serial of one device and " +
                                      "the asset tag of another; use the serial");
  }
  return std::move(found.front());
}

Expected<std::optional<v1::Device>> FindDeviceById(Connection& db, int64_t id) {
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(Sql(kSelectDevice, " WHERE d.id = ?")));
  st.BindAll(id);
  return FirstRow(st, DeviceRow);
}

Expected<std::vector<v1::Device>> ListDevices(Connection& db, const DeviceFilter& filter) {
  Where where;
  if (filter.page.after_id != 0) where.Add("d.id > ?", {filter.page.after_id});
  where.Equal("d.department", filter.department);
  where.Equal("d.site", filter.site);
  if (filter.kind != v1::DEVICE_KIND_UNSPECIFIED) {
    where.Add("d.kind = ?", {static_cast<int64_t>(filter.kind)});
  }
  if (filter.lifecycle != v1::LIFECYCLE_UNSPECIFIED) {
    where.Add("d.lifecycle = ?", {static_cast<int64_t>(filter.lifecycle)});
  }
  if (filter.stale_before_ms != 0) {
    where.Add("d.enrollment = ? AND (s.last_seen IS NULL OR s.last_seen < ?)",
              {static_cast<int64_t>(v1::ENROLLMENT_STATE_ENROLLED), filter.stale_before_ms});
  }
  where.In({"d.department"}, filter.departments);
  where.Contains({"d.search_text"}, FoldForSearch(filter.query));
  PARC_ASSIGN_OR_RETURN(Statement st, PrepareList(db, kSelectDevice, where, " ORDER BY d.id",
                                                  PageLimit(filter.page.limit)));
  return Collect(st, DeviceRow);
}

Expected<std::vector<v1::Agent>> SearchAgents(Connection& db, const SearchFilter& filter) {
  PARC_ASSIGN_OR_RETURN(std::vector<int64_t> ids, search::MatchingAgents(db, filter));
  std::vector<v1::Agent> out;
  for (int64_t id : ids) {
    PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(Sql(kSelectAgent, " WHERE id = ?")));
    st.BindAll(id);
    PARC_ASSIGN_OR_RETURN(auto agent, FirstRow(st, AgentRow));
    if (agent) out.push_back(std::move(*agent));
  }
  return out;
}

Expected<std::vector<v1::Device>> SearchDevices(Connection& db, const SearchFilter& filter) {
  PARC_ASSIGN_OR_RETURN(std::vector<int64_t> ids, search::MatchingDevices(db, filter));
  std::vector<v1::Device> out;
  for (int64_t id : ids) {
    PARC_ASSIGN_OR_RETURN(auto device, FindDeviceById(db, id));
    if (device) out.push_back(std::move(*device));
  }
  return out;
}

Expected<std::optional<v1::Site>> FindSite(Connection& db, std::string_view code) {
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(Sql(kSelectSite, " WHERE code = ?")));
  st.BindAll(code);
  return FirstRow(st, SiteRow);
}

Expected<std::vector<v1::Site>> ListSites(Connection& db, const SiteFilter& filter) {
  Where where;
  if (filter.page.after_id != 0) where.Add("id > ?", {filter.page.after_id});
  where.Contains({"search_text"}, FoldForSearch(filter.query));
  PARC_ASSIGN_OR_RETURN(Statement st, PrepareList(db, kSelectSite, where, " ORDER BY id",
                                                  PageLimit(filter.page.limit)));
  return Collect(st, SiteRow);
}

Expected<std::vector<v1::Department>> ListDepartments(Connection& db) {
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("SELECT code, name FROM departments ORDER BY code"));
  return Collect(st, [](const Statement& row) {
    v1::Department d;
    d.set_code(row.Text(0));
    d.set_name(row.Text(1));
    return d;
  });
}

}  // namespace parc::store::sqlite::queries
