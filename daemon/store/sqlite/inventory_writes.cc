// Inserts and updates of agents, devices and sites.
#include "daemon/store/sqlite/queries.h"
#include "daemon/store/sqlite/search_terms.h"

namespace parc::store::sqlite::queries {

namespace {

// One name per department code, the latest written (domain::Normalize gives
// a name only when the department was written otherwise than as its code).
Status RememberDepartment(Connection& db, const std::string& code, const std::string& name) {
  if (code.empty() || name.empty()) return Ok();
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("INSERT INTO departments (code, name) VALUES (?, ?)"
                                   " ON CONFLICT (code) DO UPDATE SET name = excluded.name"
                                   " WHERE name <> excluded.name"));
  return st.BindAll(code, name).Run();
}

}  // namespace

Expected<int64_t> InsertAgent(Connection& db, const v1::Agent& a) {
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO agents (employee_number, first_name, last_name, department, site,"
                 " has_email, advisor, wave, status, badge, created_at, updated_at, manager,"
                 " phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.BindAll(a.employee_number(), a.first_name(), a.last_name(), a.department(), a.site(),
             a.has_email(), a.advisor(), a.wave(), a.status(), a.badge(),
             TimeValue(a.has_created_at(), a.created_at()),
             TimeValue(a.has_updated_at(), a.updated_at()), a.manager(), a.phone());
  PARC_ASSIGN_OR_RETURN(int64_t id, InsertRow(db, st, {{"employee_number", a.employee_number()}}));
  PARC_TRY(search::IndexAgent(db, id, {}, a));
  PARC_TRY(RememberDepartment(db, a.department(), a.department_name()));
  return id;
}

Status UpdateAgent(Connection& db, const v1::Agent& a) {
  PARC_ASSIGN_OR_RETURN(std::vector<std::string> before, search::CurrentAgentTerms(db, a.id()));
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("UPDATE agents SET employee_number = ?, first_name = ?, last_name = ?,"
                 " department = ?, site = ?, has_email = ?, advisor = ?, wave = ?, status = ?,"
                 " badge = ?, updated_at = ?, manager = ?, phone = ? WHERE id = ?"));
  st.BindAll(a.employee_number(), a.first_name(), a.last_name(), a.department(), a.site(),
             a.has_email(), a.advisor(), a.wave(), a.status(), a.badge(),
             TimeValue(a.has_updated_at(), a.updated_at()), a.manager(), a.phone(), a.id());
  PARC_TRY(UpdateRow(db, st, "agent", a.id(), {{"employee_number", a.employee_number()}}));
  PARC_TRY(RememberDepartment(db, a.department(), a.department_name()));
  return search::IndexAgent(db, a.id(), before, a);
}

Expected<int64_t> InsertDevice(Connection& db, const v1::Device& d) {
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO devices (serial, asset_tag, kind, model, os, site, department,"
                 " purchase_date, warranty_end, notes, lifecycle, created_at, updated_at)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.BindAll(d.serial(), d.asset_tag(), d.kind(), d.model(), d.os(), d.site(), d.department(),
             d.purchase_date(), d.warranty_end(), d.notes(), d.lifecycle(),
             TimeValue(d.has_created_at(), d.created_at()),
             TimeValue(d.has_updated_at(), d.updated_at()));
  PARC_ASSIGN_OR_RETURN(int64_t id,
                        InsertRow(db, st, {{"serial", d.serial()}, {"asset_tag", d.asset_tag()}}));
  PARC_TRY(search::IndexDevice(db, id, {}, d));
  PARC_TRY(RememberDepartment(db, d.department(), d.department_name()));
  return id;
}

Status UpdateDevice(Connection& db, const v1::Device& d) {
  PARC_ASSIGN_OR_RETURN(std::vector<std::string> before, search::CurrentDeviceTerms(db, d.id()));
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("UPDATE devices SET serial = ?, asset_tag = ?, kind = ?, model = ?, os = ?,"
                 " site = ?, department = ?, purchase_date = ?, warranty_end = ?, notes = ?,"
                 " lifecycle = ?, updated_at = ? WHERE id = ?"));
  st.BindAll(d.serial(), d.asset_tag(), d.kind(), d.model(), d.os(), d.site(), d.department(),
             d.purchase_date(), d.warranty_end(), d.notes(), d.lifecycle(),
             TimeValue(d.has_updated_at(), d.updated_at()), d.id());
  PARC_TRY(
      UpdateRow(db, st, "device", d.id(), {{"serial", d.serial()}, {"asset_tag", d.asset_tag()}}));
  PARC_TRY(RememberDepartment(db, d.department(), d.department_name()));
  return search::IndexDevice(db, d.id(), before, d);
}

Expected<int64_t> InsertSite(Connection& db, const v1::Site& s) {
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("INSERT INTO sites (code, name, address) VALUES (?, ?, ?)"));
  st.BindAll(s.code(), s.name(), s.address());
  return InsertRow(db, st, {{"code", s.code()}});
}

Status UpdateSite(Connection& db, const v1::Site& s) {
  PARC_ASSIGN_OR_RETURN(
      Statement st, db.Prepare("UPDATE sites SET code = ?, name = ?, address = ? WHERE id = ?"));
  st.BindAll(s.code(), s.name(), s.address(), s.id());
  return UpdateRow(db, st, "site", s.id(), {{"code", s.code()}});
}

}  // namespace parc::store::sqlite::queries
