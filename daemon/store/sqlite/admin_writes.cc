// Writes of allocations, operators, API tokens and audit events.
#include <string>

#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

namespace {

// The id of the row `sql` selects with `key`, or nullopt.
template <typename Key>
Expected<std::optional<int64_t>> LookupId(Connection& db, std::string_view sql, const Key& key) {
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(sql));
  st.BindAll(key);
  return FirstRow(st, [](const Statement& row) { return row.Int(0); });
}

// Agent id for an employee number; NULL when the allocation has no agent.
Expected<Value> ResolveAgent(Connection& db, const std::string& employee_number) {
  if (employee_number.empty()) return Value(nullptr);
  PARC_ASSIGN_OR_RETURN(
      auto id, LookupId(db, "SELECT id FROM agents WHERE employee_number = ?", employee_number));
  if (!id) return NotFound("employee_number: unknown agent " + employee_number);
  return Value(*id);
}

Expected<int64_t> ResolveOperator(Connection& db, const TokenRecord& token) {
  std::optional<int64_t> id;
  if (token.operator_id != 0) {
    PARC_ASSIGN_OR_RETURN(id,
                          LookupId(db, "SELECT id FROM operators WHERE id = ?", token.operator_id));
  } else {
    PARC_ASSIGN_OR_RETURN(
        id, LookupId(db, "SELECT id FROM operators WHERE name = ?", token.info.operator_name()));
  }
  if (!id) return NotFound("operator: unknown operator " + token.info.operator_name());
  return *id;
}

Status ReplaceDepartments(Connection& db, const v1::Operator& op, int64_t operator_id) {
  PARC_ASSIGN_OR_RETURN(Statement clear,
                        db.Prepare("DELETE FROM operator_departments WHERE operator_id = ?"));
  PARC_TRY(clear.BindAll(operator_id).Run());
  for (const std::string& department : op.departments()) {
    PARC_ASSIGN_OR_RETURN(Statement add, db.Prepare("INSERT OR IGNORE INTO operator_departments"
                                                    " (operator_id, department) VALUES (?, ?)"));
    PARC_TRY(add.BindAll(operator_id, department).Run());
  }
  return Ok();
}

}  // namespace

Expected<int64_t> InsertAllocation(Connection& db, const v1::Allocation& a) {
  PARC_ASSIGN_OR_RETURN(Value agent_id, ResolveAgent(db, a.employee_number()));
  PARC_ASSIGN_OR_RETURN(auto device,
                        LookupId(db, "SELECT id FROM devices WHERE id = ?", a.device_id()));
  if (!device) return NotFound("device_id: unknown device " + std::to_string(a.device_id()));
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO allocations (device_id, kind, agent_id, site, due_date, started_at,"
                 " started_by, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  st.BindAll(a.device_id(), a.kind(), agent_id, a.site(), a.due_date(),
             FromTimestamp(a.started_at()), a.started_by(), a.notes());
  auto id = InsertRow(db, st, {});
  if (!id && id.error().code == ErrorCode::kAlreadyExists) {
    return FailedPrecondition("device already has an open allocation");
  }
  return id;
}

Status CloseAllocation(Connection& db, const v1::Allocation& a) {
  const int64_t ended_at = FromTimestamp(a.ended_at());
  if (ended_at == 0) return InvalidArgument("ended_at", "required to close an allocation");
  // By allocation id when given, otherwise the device's open allocation.
  const bool by_id = a.id() != 0;
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare(std::string("UPDATE allocations SET ended_at = ?, ended_by = ?,"
                                               " return_condition = ?, returned_to = ? WHERE ") +
                                   (by_id ? "id = ?" : "device_id = ?") + " AND ended_at IS NULL"));
  st.BindAll(ended_at, a.ended_by(), a.return_condition(), a.returned_to(),
             by_id ? a.id() : a.device_id());
  PARC_TRY(st.Run());
  if (db.Changes() == 0) {
    return NotFound(by_id ? "allocation " + std::to_string(a.id()) + ": no open allocation"
                          : "device " + std::to_string(a.device_id()) + ": no open allocation");
  }
  return Ok();
}

Expected<int64_t> InsertOperator(Connection& db, const v1::Operator& op) {
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO operators (name, role, disabled, created_at) VALUES (?, ?, ?, ?)"));
  st.BindAll(op.name(), op.role(), op.disabled(), TimeValue(op.has_created_at(), op.created_at()));
  PARC_ASSIGN_OR_RETURN(int64_t id, InsertRow(db, st, {{"name", op.name()}}));
  PARC_TRY(ReplaceDepartments(db, op, id));
  return id;
}

Status UpdateOperator(Connection& db, const v1::Operator& op) {
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("UPDATE operators SET name = ?, role = ?, disabled = ? WHERE id = ?"));
  st.BindAll(op.name(), op.role(), op.disabled(), op.id());
  PARC_TRY(UpdateRow(db, st, "operator", op.id(), {{"name", op.name()}}));
  return ReplaceDepartments(db, op, op.id());
}

Expected<int64_t> InsertApiToken(Connection& db, const TokenRecord& token) {
  PARC_ASSIGN_OR_RETURN(int64_t operator_id, ResolveOperator(db, token));
  const v1::ApiToken& t = token.info;
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO api_tokens (operator_id, secret_hash, label, created_at, expires_at,"
                 " revoked_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  st.BindAll(
      operator_id, token.secret_hash, t.label(), TimeValue(t.has_created_at(), t.created_at()),
      TimeValue(t.has_expires_at(), t.expires_at()), TimeValue(t.has_revoked_at(), t.revoked_at()),
      TimeValue(t.has_last_used_at(), t.last_used_at()));
  // The hash is not echoed back: it identifies a credential.
  return InsertRow(db, st, {});
}

Status UpdateApiToken(Connection& db, const v1::ApiToken& t) {
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("UPDATE api_tokens SET revoked_at = ?, last_used_at = ? WHERE id = ?"));
  st.BindAll(TimeValue(t.has_revoked_at(), t.revoked_at()),
             TimeValue(t.has_last_used_at(), t.last_used_at()), t.id());
  return UpdateRow(db, st, "api token", t.id(), {});
}

Expected<int64_t> AppendAudit(Connection& db, const v1::AuditEvent& e) {
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("INSERT INTO audit_events (at, actor, action, target, summary)"
                                   " VALUES (?, ?, ?, ?, ?)"));
  st.BindAll(FromTimestamp(e.at()), e.actor(), e.action(), e.target(), e.summary());
  return InsertRow(db, st, {});
}

}  // namespace parc::store::sqlite::queries
