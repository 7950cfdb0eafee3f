// Helpers shared by the query files.
#include <string>

#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

Value TimeValue(bool has, const google::protobuf::Timestamp& ts) {
  if (!has) return nullptr;
  int64_t ms = FromTimestamp(ts);
  if (ms == 0) return nullptr;
  return ms;
}

Expected<Statement> PrepareList(Connection& db, std::string_view select, const Where& where,
                                std::string_view order, int64_t limit) {
  PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare(std::string(select) + where.Sql() +
                                                 std::string(order) + " LIMIT ?"));
  st.BindList(1, where.values());
  st.Bind(static_cast<int>(where.values().size()) + 1, limit);
  return st;
}

Error NameDuplicate(Error error, FieldValues fields) {
  if (error.code != ErrorCode::kAlreadyExists) return error;
  for (const auto& [field, value] : fields) {
    if (error.message == std::string(field) + ": already exists") {
      if (!value.empty()) error.message += ": " + std::string(value);
      break;
    }
  }
  return error;
}

Expected<int64_t> InsertRow(Connection& db, Statement& st, FieldValues fields) {
  if (auto ran = st.Run(); !ran) return std::unexpected(NameDuplicate(ran.error(), fields));
  return db.LastInsertId();
}

Status UpdateRow(Connection& db, Statement& st, std::string_view what, int64_t id,
                 FieldValues fields) {
  if (auto ran = st.Run(); !ran) return std::unexpected(NameDuplicate(ran.error(), fields));
  if (db.Changes() == 0)
    return NotFound(std::string(what) + " " + std::to_string(id) + ": not found");
  return Ok();
}

}  // namespace parc::store::sqlite::queries
