// The SQLite schema as numbered migrations. Each is applied once, in its own
// transaction, and recorded in schema_migrations(version, applied_at). A
// migration, once released, is never edited: changes go in a new one.
#pragma once

#include <cstdint>
#include <span>

#include "common/error.h"
#include "daemon/store/sqlite/db.h"

namespace parc::store::sqlite {

struct Migration {
  int version;
  const char* sql;  // constant DDL, no values
};

// Every migration this build knows, in ascending version order.
std::span<const Migration> KnownMigrations();

// Applies the pending migrations to the writer connection and returns the
// resulting schema version. FAILED_PRECONDITION when the database holds a
// version newer than any this build knows (it was written by a newer parcd).
Expected<int> ApplyMigrations(Connection& db, int64_t now_ms);

}  // namespace parc::store::sqlite
