// Enrollment tokens, device credentials and enrollment states.
#include <string>

#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

namespace {

constexpr std::string_view kSelectToken =
    "SELECT id, secret_hash, uses_total, uses_left, expires_at, site, kind, created_by,"
    " created_at FROM enrollment_tokens";

EnrollmentTokenRecord TokenRow(const Statement& st) {
  EnrollmentTokenRecord t;
  t.id = st.Int(0);
  t.secret_hash = st.Text(1);
  t.uses_total = static_cast<int>(st.Int(2));
  t.uses_left = static_cast<int>(st.Int(3));
  t.expires_at_ms = st.OptionalInt(4).value_or(0);
  t.site = st.Text(5);
  t.kind = static_cast<v1::DeviceKind>(st.Int(6));
  t.created_by = st.Text(7);
  t.created_at_ms = st.OptionalInt(8).value_or(0);
  return t;
}

// NULL for 0 ("not set"), as TimeValue does for Timestamps.
Value MsValue(int64_t ms) { return ms == 0 ? Value(nullptr) : Value(ms); }

Status RemoveCredential(Connection& db, int64_t device_id) {
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("DELETE FROM device_credentials WHERE device_id = ?"));
  return st.BindAll(device_id).Run();
}

}  // namespace

Expected<std::optional<EnrollmentTokenRecord>> FindEnrollmentTokenByHash(
    Connection& db, std::string_view secret_hash) {
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare(std::string(kSelectToken) + " WHERE secret_hash = ?"));
  st.BindAll(secret_hash);
  return FirstRow(st, TokenRow);
}

Expected<std::optional<int64_t>> FindDeviceIdByCredential(Connection& db,
                                                          std::string_view secret_hash) {
  if (secret_hash.empty()) return std::nullopt;
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("SELECT c.device_id FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                 " WHERE c.secret_hash = ? AND d.enrollment = ?"));
  st.BindAll(secret_hash, v1::ENROLLMENT_STATE_ENROLLED);
  return FirstRow(st, [](const Statement& row) { return row.Int(0); });
}

Expected<int64_t> InsertEnrollmentToken(Connection& db, const EnrollmentTokenRecord& t) {
  if (t.secret_hash.empty()) return InvalidArgument("secret_hash", "required");
  if (t.uses_total < 1) return InvalidArgument("uses_total", "must be at least 1");
  if (t.uses_left < 0 || t.uses_left > t.uses_total) {
    return InvalidArgument("uses_left", "must be between 0 and uses_total");
  }
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO enrollment_tokens (secret_hash, uses_total, uses_left, expires_at,"
                 " site, kind, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  st.BindAll(t.secret_hash, t.uses_total, t.uses_left, MsValue(t.expires_at_ms), t.site, t.kind,
             t.created_by, MsValue(t.created_at_ms));
  // The hash is not echoed back: it identifies a credential.
  return InsertRow(db, st, {});
}

Status SetEnrollmentTokenUsesLeft(Connection& db, int64_t id, int uses_left) {
  const std::string what = "enrollment token " + std::to_string(id);
  PARC_ASSIGN_OR_RETURN(Statement total,
                        db.Prepare("SELECT uses_total FROM enrollment_tokens WHERE id = ?"));
  total.BindAll(id);
  PARC_ASSIGN_OR_RETURN(auto uses_total,
                        FirstRow(total, [](const Statement& row) { return row.Int(0); }));
  if (!uses_total) return NotFound(what + ": not found");
  if (uses_left < 0 || uses_left > *uses_total) {
    return InvalidArgument("uses_left", "must be between 0 and " + std::to_string(*uses_total));
  }
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("UPDATE enrollment_tokens SET uses_left = ? WHERE id = ?"));
  st.BindAll(uses_left, id);
  return UpdateRow(db, st, "enrollment token", id, {});
}

Status SetDeviceCredential(Connection& db, int64_t device_id, std::string_view secret_hash,
                           int64_t now_ms) {
  if (secret_hash.empty()) return InvalidArgument("secret_hash", "required");
  PARC_ASSIGN_OR_RETURN(Statement state,
                        db.Prepare("UPDATE devices SET enrollment = ? WHERE id = ?"));
  state.BindAll(v1::ENROLLMENT_STATE_ENROLLED, device_id);
  PARC_TRY(UpdateRow(db, state, "device", device_id, {}));
  PARC_ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO device_credentials (device_id, secret_hash, created_at)"
                 " VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET"
                 " secret_hash = excluded.secret_hash, created_at = excluded.created_at"));
  // A taken hash is "secret_hash: already exists", without the hash itself.
  return st.BindAll(device_id, secret_hash, now_ms).Run();
}

Status SetDeviceEnrollment(Connection& db, int64_t device_id, v1::EnrollmentState state) {
  if (!v1::EnrollmentState_IsValid(state)) {
    return InvalidArgument("enrollment", "unknown state " + std::to_string(state));
  }
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare("UPDATE devices SET enrollment = ? WHERE id = ?"));
  st.BindAll(state, device_id);
  PARC_TRY(UpdateRow(db, st, "device", device_id, {}));
  // A credential lives only while the device is enrolled: any other state
  // (REVOKED above all) kills it, so that re-enabling needs a new enrollment.
  if (state != v1::ENROLLMENT_STATE_ENROLLED) PARC_TRY(RemoveCredential(db, device_id));
  return Ok();
}

}  // namespace parc::store::sqlite::queries
