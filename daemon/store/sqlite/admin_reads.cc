// Reads of allocations, operators, API tokens and audit events.
#include <string>

#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

namespace {

constexpr std::string_view kSelectAllocation =
    "SELECT a.id, a.device_id, d.serial, d.asset_tag, a.kind, COALESCE(g.employee_number, ''),"
    " COALESCE(TRIM(g.first_name || ' ' || g.last_name), ''), a.site, a.due_date, a.started_at,"
    " a.started_by, a.ended_at, a.ended_by, a.return_condition, a.notes, a.returned_to"
    " FROM allocations a"
    " JOIN devices d ON d.id = a.device_id"
    " LEFT JOIN agents g ON g.id = a.agent_id";

v1::Allocation AllocationRow(const Statement& st) {
  v1::Allocation a;
  a.set_id(st.Int(0));
  a.set_device_id(st.Int(1));
  a.set_device_serial(st.Text(2));
  a.set_device_asset_tag(st.Text(3));
  a.set_kind(static_cast<v1::AllocationKind>(st.Int(4)));
  a.set_employee_number(st.Text(5));
  a.set_agent_name(st.Text(6));
  a.set_site(st.Text(7));
  a.set_due_date(st.Text(8));
  ReadTime(st, 9, [&] { return a.mutable_started_at(); });
  a.set_started_by(st.Text(10));
  ReadTime(st, 11, [&] { return a.mutable_ended_at(); });
  a.set_ended_by(st.Text(12));
  a.set_return_condition(st.Text(13));
  a.set_notes(st.Text(14));
  a.set_returned_to(static_cast<v1::Lifecycle>(st.Int(15)));
  return a;
}

constexpr std::string_view kSelectOperator =
    "SELECT id, name, role, disabled, created_at FROM operators";

v1::Operator OperatorRow(const Statement& st) {
  v1::Operator op;
  op.set_id(st.Int(0));
  op.set_name(st.Text(1));
  op.set_role(static_cast<v1::Role>(st.Int(2)));
  op.set_disabled(st.Int(3) != 0);
  ReadTime(st, 4, [&] { return op.mutable_created_at(); });
  return op;
}

// Operators keep their departments in a child table, in insertion order.
Status LoadDepartments(Connection& db, v1::Operator& op) {
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare(
          "SELECT department FROM operator_departments WHERE operator_id = ? ORDER BY rowid"));
  st.BindAll(op.id());
  PARC_ASSIGN_OR_RETURN(std::vector<std::string> departments,
                        Collect(st, [](const Statement& row) { return row.Text(0); }));
  for (std::string& department : departments) op.add_departments(std::move(department));
  return Ok();
}

constexpr std::string_view kSelectToken =
    "SELECT t.id, o.name, t.label, t.created_at, t.expires_at, t.revoked_at, t.last_used_at,"
    " t.operator_id, t.secret_hash"
    " FROM api_tokens t JOIN operators o ON o.id = t.operator_id";

v1::ApiToken TokenInfoRow(const Statement& st) {
  v1::ApiToken t;
  t.set_id(st.Int(0));
  t.set_operator_name(st.Text(1));
  t.set_label(st.Text(2));
  ReadTime(st, 3, [&] { return t.mutable_created_at(); });
  ReadTime(st, 4, [&] { return t.mutable_expires_at(); });
  ReadTime(st, 5, [&] { return t.mutable_revoked_at(); });
  ReadTime(st, 6, [&] { return t.mutable_last_used_at(); });
  return t;
}

TokenRecord TokenRow(const Statement& st) {
  TokenRecord record;
  record.info = TokenInfoRow(st);
  record.operator_id = st.Int(7);
  record.secret_hash = st.Text(8);
  return record;
}

constexpr std::string_view kSelectAudit =
    "SELECT id, at, actor, action, target, summary FROM audit_events";

v1::AuditEvent AuditRow(const Statement& st) {
  v1::AuditEvent e;
  e.set_id(st.Int(0));
  ReadTime(st, 1, [&] { return e.mutable_at(); });
  e.set_actor(st.Text(2));
  e.set_action(st.Text(3));
  e.set_target(st.Text(4));
  e.set_summary(st.Text(5));
  return e;
}

// "device." matches every action in the family, anything else only itself.
// A range rather than LIKE: case-sensitive and served by the index.
void ActionPrefix(Where& where, const std::string& prefix) {
  if (prefix.empty()) return;
  if (prefix.back() != '.') {
    where.Equal("action", prefix);
    return;
  }
  std::string upper = prefix;
  upper.back() = '.' + 1;
  where.Add("action >= ? AND action < ?", {prefix, upper});
}

}  // namespace

Expected<std::optional<v1::Allocation>> FindOpenAllocation(Connection& db, int64_t device_id) {
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(std::string(kSelectAllocation) +
                                                 " WHERE a.device_id = ? AND a.ended_at IS NULL"));
  st.BindAll(device_id);
  return FirstRow(st, AllocationRow);
}

Expected<std::vector<v1::Allocation>> ListAllocations(Connection& db,
                                                      const AllocationFilter& filter) {
  Where where;
  if (filter.page.after_id != 0) where.Add("a.id < ?", {filter.page.after_id});
  if (filter.id != 0) where.Add("a.id = ?", {filter.id});
  if (filter.device_id != 0) where.Add("a.device_id = ?", {filter.device_id});
  where.Equal("g.employee_number", filter.employee_number);
  where.Equal("a.site", filter.site);
  if (!filter.department.empty()) {
    where.Add("(g.department = ? OR d.department = ?)", {filter.department, filter.department});
  }
  if (filter.open_only) where.Add("a.ended_at IS NULL");
  if (!filter.overdue_before.empty()) {
    // A literal kind, so that the partial index allocations_open_loans applies.
    static_assert(v1::ALLOCATION_KIND_LOAN == 3);
    where.Add("a.ended_at IS NULL AND a.kind = 3 AND a.due_date <> '' AND a.due_date < ?",
              {filter.overdue_before});
  }
  where.In({"g.department", "d.department"}, filter.departments);
  PARC_ASSIGN_OR_RETURN(Statement st,
                        PrepareList(db, kSelectAllocation, where, " ORDER BY a.id DESC",
                                    PageLimit(filter.page.limit)));
  return Collect(st, AllocationRow);
}

Expected<std::optional<v1::Operator>> FindOperator(Connection& db, std::string_view name) {
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(std::string(kSelectOperator) + " WHERE name = ?"));
  st.BindAll(name);
  PARC_ASSIGN_OR_RETURN(std::optional<v1::Operator> op, FirstRow(st, OperatorRow));
  if (op) PARC_TRY(LoadDepartments(db, *op));
  return op;
}

Expected<std::vector<v1::Operator>> ListOperators(Connection& db, const Page& page) {
  Where where;
  if (page.after_id != 0) where.Add("id > ?", {page.after_id});
  PARC_ASSIGN_OR_RETURN(
      Statement st, PrepareList(db, kSelectOperator, where, " ORDER BY id", PageLimit(page.limit)));
  PARC_ASSIGN_OR_RETURN(std::vector<v1::Operator> ops, Collect(st, OperatorRow));
  for (v1::Operator& op : ops) PARC_TRY(LoadDepartments(db, op));
  return ops;
}

Expected<std::optional<TokenRecord>> FindApiTokenByHash(Connection& db,
                                                        std::string_view secret_hash) {
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare(std::string(kSelectToken) + " WHERE t.secret_hash = ?"));
  st.BindAll(secret_hash);
  return FirstRow(st, TokenRow);
}

Expected<std::optional<TokenRecord>> FindApiTokenById(Connection& db, int64_t id) {
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(std::string(kSelectToken) + " WHERE t.id = ?"));
  st.BindAll(id);
  return FirstRow(st, TokenRow);
}

Expected<std::vector<v1::ApiToken>> ListApiTokens(Connection& db, std::string_view operator_name) {
  if (operator_name.empty()) {
    PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(std::string(kSelectToken) + " ORDER BY t.id"));
    return Collect(st, TokenInfoRow);
  }
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare(std::string(kSelectToken) + " WHERE o.name = ? ORDER BY t.id"));
  st.BindAll(operator_name);
  return Collect(st, TokenInfoRow);
}

Expected<std::vector<v1::AuditEvent>> ListAuditEvents(Connection& db, const AuditFilter& filter) {
  Where where;
  if (filter.page.after_id != 0) where.Add("id < ?", {filter.page.after_id});
  where.Equal("actor", filter.actor);
  where.Equal("target", filter.target);
  ActionPrefix(where, filter.action_prefix);
  if (filter.since_ms != 0) where.Add("at >= ?", {filter.since_ms});
  if (filter.until_ms != 0) where.Add("at < ?", {filter.until_ms});
  PARC_ASSIGN_OR_RETURN(Statement st, PrepareList(db, kSelectAudit, where, " ORDER BY id DESC",
                                                  PageLimit(filter.page.limit)));
  return Collect(st, AuditRow);
}

}  // namespace parc::store::sqlite::queries
