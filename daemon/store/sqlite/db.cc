#include "daemon/store/sqlite/db.h"

#include <sqlite3.h>

#include <string>

#include "common/fold.h"

namespace parc::store::sqlite {

namespace {

// parc_fold(text): common/fold.h's FoldForSearch inside SQL, for the folded
// search columns (migration 6) and their triggers; NULL stays NULL.
void FoldFunction(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  std::string folded =
      FoldForSearch(std::string_view(text, static_cast<size_t>(sqlite3_value_bytes(argv[0]))));
  sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

// "UNIQUE constraint failed: devices.serial" -> "serial".
std::string ConstraintColumn(std::string_view message) {
  constexpr std::string_view kPrefix = "constraint failed: ";
  size_t at = message.find(kPrefix);
  if (at == std::string_view::npos) return std::string(message);
  std::string_view columns = message.substr(at + kPrefix.size());
  columns = columns.substr(0, columns.find(','));
  if (size_t dot = columns.rfind('.'); dot != std::string_view::npos) {
    columns = columns.substr(dot + 1);
  }
  return std::string(columns);
}

}  // namespace

Error SqliteError(int extended_code, std::string_view sqlite_message) {
  std::string detail = "sqlite: " + std::string(sqlite_message);
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error{ErrorCode::kAlreadyExists,
                   ConstraintColumn(sqlite_message) + ": already exists"};
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_TRIGGER:
      return Error{ErrorCode::kFailedPrecondition, detail};
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:  // also an I/O layer out of memory (SQLITE_IOERR_NOMEM): passes
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      return Error{ErrorCode::kUnavailable, detail};
    default:
      return Error{ErrorCode::kInternal, detail};
  }
}

// ---- Statement ----

Statement::Statement(Connection& connection, sqlite3_stmt* stmt, bool* in_use)
    : connection_(&connection), stmt_(stmt), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

void Statement::Bind(int index, std::nullptr_t) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::Bind(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindBlob(int index, std::string_view bytes) {
  int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::Bind(int index, const Value& value) {
  std::visit([&](const auto& v) { Bind(index, v); }, value);
}

void Statement::Bind(int index, const std::optional<int64_t>& value) {
  if (value) {
    Bind(index, *value);
  } else {
    Bind(index, nullptr);
  }
}

void Statement::BindList(int first, std::span<const Value> values) {
  for (const Value& value : values) Bind(first++, value);
}

Expected<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return std::unexpected(connection_->LastError(bind_rc_));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(connection_->LastError(rc));
}

Status Statement::Run() {
  while (true) {
    PARC_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string_view Statement::BlobView(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return {};
  return std::string_view(static_cast<const char*>(data),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

// ---- Connection ----

Expected<std::unique_ptr<Connection>> Connection::Open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(db ? sqlite3_extended_errcode(db) : rc,
                              db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return std::unexpected(error.Wrap("open " + path));
  }
  sqlite3_extended_result_codes(db, 1);
  rc = sqlite3_create_function_v2(db, "parc_fold", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                  FoldFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(rc, sqlite3_errmsg(db));
    sqlite3_close_v2(db);
    return std::unexpected(error.Wrap("parc_fold on " + path));
  }
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

Expected<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(*this, it->second.stmt, &it->second.in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(LastError(rc).Wrap("prepare"));
  if (it != cache_.end() || cache_.size() >= kMaxCachedStatements) {
    return Statement(*this, stmt, nullptr);
  }
  CachedStatement& cached = cache_[std::string(sql)];
  cached = CachedStatement{stmt, true};
  return Statement(*this, stmt, &cached.in_use);
}

Status Connection::Exec(const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Ok();
  Error error = SqliteError(sqlite3_extended_errcode(db_), message ? message : sqlite3_errstr(rc));
  sqlite3_free(message);
  return std::unexpected(error);
}

Error Connection::LastError(int rc) const {
  int extended = sqlite3_extended_errcode(db_);
  // The connection's last error may be stale for misuse codes; prefer `rc`.
  if ((extended & 0xff) != (rc & 0xff)) extended = rc;
  return SqliteError(extended, sqlite3_errmsg(db_));
}

void Connection::SetBusyTimeout(int ms) { sqlite3_busy_timeout(db_, ms); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

int64_t Connection::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

// ---- Transaction ----

namespace {

// BEGIN and COMMIT from the connection's statement cache: parsed once per
// connection, not once per transaction (sqlite3_exec prepares every time: ~5%
// of the check-in writer's time, and of every short read).
Status RunCached(Connection& connection, const char* sql) {
  PARC_ASSIGN_OR_RETURN(Statement statement, connection.Prepare(sql));
  return statement.Run();
}

}  // namespace

Expected<Transaction> Transaction::Begin(Connection& connection, const char* begin) {
  if (auto begun = RunCached(connection, begin); !begun) {
    return std::unexpected(begun.error().Wrap("begin"));
  }
  return Transaction(connection);
}

Transaction::~Transaction() {
  if (connection_ != nullptr && connection_->InTransaction()) {
    (void)connection_->Exec("ROLLBACK");
  }
}

Status Transaction::Commit() {
  Connection* connection = std::exchange(connection_, nullptr);
  if (auto committed = RunCached(*connection, "COMMIT"); !committed) {
    // A failed COMMIT may leave the transaction open; never leave it dangling.
    if (connection->InTransaction()) (void)connection->Exec("ROLLBACK");
    return std::unexpected(committed.error().Wrap("commit"));
  }
  return Ok();
}

}  // namespace parc::store::sqlite
