// A small RAII layer over the SQLite C API. A Connection owns one sqlite3
// handle and a cache of prepared statements; a Statement borrows one of them
// for a single execution and resets it when destroyed. Values are only ever
// bound, never spliced into SQL text.
//
// Thread safety: none. A Connection (and every Statement from it) is used by one
// thread at a time; the owner of the Connection provides the locking.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>

#include "common/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace parc::store::sqlite {

// A value to bind: NULL, an integer or text.
using Value = std::variant<std::nullptr_t, int64_t, std::string>;

// Turns an SQLite result code into a Parc error: BUSY, LOCKED, IOERR, FULL,
// READONLY and CANTOPEN are UNAVAILABLE; a unique violation is ALREADY_EXISTS
// with the message "<column>: already exists"; a foreign key violation is
// FAILED_PRECONDITION; anything else INTERNAL.
Error SqliteError(int extended_code, std::string_view sqlite_message);

class Connection;

// One execution of a prepared statement. Bind with 1-based indexes, then Step
// until it returns false. Move-only; resets (or finalizes) the statement when
// destroyed.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  void Bind(int index, std::nullptr_t);
  void Bind(int index, int64_t value);
  void Bind(int index, std::string_view value);
  void Bind(int index, const Value& value);
  void Bind(int index, const std::optional<int64_t>& value);
  template <typename T>
  requires(std::is_integral_v<T> || std::is_enum_v<T>) void Bind(int index, T value) {
    Bind(index, static_cast<int64_t>(value));
  }
  void Bind(int index, const char* value) { Bind(index, std::string_view(value)); }
  void Bind(int index, const std::string& value) { Bind(index, std::string_view(value)); }
  // Binds `bytes` as a BLOB (Bind of a string_view binds TEXT).
  void BindBlob(int index, std::string_view bytes);

  // Binds `values` to parameters 1, 2, ... in order.
  template <typename... Args>
  Statement& BindAll(const Args&... values) {
    int index = 1;
    (Bind(index++, values), ...);
    return *this;
  }
  // Binds `values` starting at parameter `first`.
  void BindList(int first, std::span<const Value> values);

  // True when a row is available, false when done.
  Expected<bool> Step();
  // Steps until done; for statements that return no rows of interest.
  Status Run();
  // Makes the statement ready for another execution with new bindings, so that
  // a hot loop reuses one prepared statement.
  void Reset();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;
  // The bytes of a BLOB (or TEXT) column, valid until the next Step or Reset.
  std::string_view BlobView(int column) const;

 private:
  friend class Connection;
  Statement(Connection& connection, sqlite3_stmt* stmt, bool* in_use);

  Connection* connection_;
  sqlite3_stmt* stmt_;
  bool* in_use_;     // the cache entry's flag; nullptr when not cached (we finalize)
  int bind_rc_ = 0;  // first failed bind, reported by Step
};

class Connection {
 public:
  // Opens `path` with sqlite3_open_v2 `flags` (SQLITE_OPEN_*), with the SQL
  // function parc_fold(text) (common/fold.h) registered.
  static Expected<std::unique_ptr<Connection>> Open(const std::string& path, int flags);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Returns a statement for `sql`, from the cache when possible. A statement
  // already in use (a nested query with the same text) gets a fresh copy.
  Expected<Statement> Prepare(std::string_view sql);

  // Runs constant SQL (possibly several statements) that has no parameters:
  // PRAGMAs, BEGIN/COMMIT, migrations. Never used with values.
  Status Exec(const char* sql);

  // How long a statement waits for another connection's lock before BUSY.
  void SetBusyTimeout(int ms);

  // The error for `rc` with this connection's last message.
  Error LastError(int rc) const;
  bool InTransaction() const;
  int64_t Changes() const;
  int64_t LastInsertId() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  static constexpr size_t kMaxCachedStatements = 256;

  sqlite3* db_;
  // Node-based, so pointers to entries stay valid while the map grows.
  std::unordered_map<std::string, CachedStatement> cache_;
};

// Rolls back the connection's open transaction unless Commit() succeeded.
class Transaction {
 public:
  // `begin` is "BEGIN" or "BEGIN IMMEDIATE".
  static Expected<Transaction> Begin(Connection& connection, const char* begin);
  Transaction(Transaction&& other) noexcept
      : connection_(std::exchange(other.connection_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Connection& connection) : connection_(&connection) {}
  Connection* connection_;  // nullptr once committed or rolled back
};

}  // namespace parc::store::sqlite
