// The embedded storage backend: one SQLite file in WAL mode.
#pragma once

#include <memory>
#include <string>

#include "common/error.h"
#include "daemon/store/store.h"

namespace parc::store::sqlite {

struct Options {
  std::string path;    // database file; created when missing
  bool create = true;  // false: fail with NOT_FOUND when the file is missing
  int busy_timeout_ms = 5000;
  int read_connections = 4;  // pooled read-only connections (WAL readers)
  // WAL length (4 KiB frames) from which the writer makes the WAL start over
  // before its next transaction (sqlite_store.cc, BeginWrite). 64 MiB.
  int wal_restart_frames = 16384;
};

// Opens (or creates) the database and applies pending migrations, each in its
// own transaction, recording them in table schema_migrations. Fails with
// FAILED_PRECONDITION when the file was written by a newer parcd.
Expected<std::unique_ptr<Store>> Open(const Options& options);

}  // namespace parc::store::sqlite
