#include "daemon/store/sqlite/search_terms.h"
#include "daemon/store/sqlite/sqlite_store.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>

#include "common/clock.h"
#include "common/logging.h"
#include "daemon/store/sqlite/db.h"
#include "daemon/store/sqlite/migrations.h"
#include "daemon/store/sqlite/read_pool.h"
#include "daemon/store/sqlite/transaction_views.h"

namespace parc::store::sqlite {

namespace {

// Copies the WAL back into the database file on its own thread and
// connection. SQLite's automatic checkpoint runs inside the commit that crosses
// wal_autocheckpoint pages: megabytes copied and an fsync of the database file
// on the check-in path, tens of milliseconds that every call of the batch and
// of the batches queued behind it waits for. The writer's automatic checkpoint
// is off (set in Open, after the migrations); a PASSIVE checkpoint here
// never blocks the writer or the readers, and like the automatic one it lets
// the writer start the WAL over once everything was copied. Durability is the
// commits' (WAL + fsync), not the checkpoints'.
class Checkpointer {
 public:
  static constexpr std::chrono::milliseconds kPeriod{100};

  explicit Checkpointer(std::unique_ptr<Connection> db)
      : db_(std::move(db)), thread_([this] { Run(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  void Run() {
    static const auto log = Logger("store");
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, kPeriod, [this] { return stop_; })) {
      lock.unlock();
      int wal_frames = 0, copied = 0;
      int rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                         &wal_frames, &copied);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        log->warn("checkpoint failed error=\"{}\"", sqlite3_errstr(rc));
      }
      lock.lock();
    }
  }

  const std::unique_ptr<Connection> db_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

// One writer connection, serialized by write_mu_, a pool of WAL readers that
// never wait for it, and the checkpointer.
class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Connection> writer, std::vector<std::unique_ptr<Connection>> readers,
              std::unique_ptr<Connection> checkpoints, int schema_version, const Options& options)
      : restart_frames_(options.wal_restart_frames),
        busy_timeout_ms_(options.busy_timeout_ms),
        next_restart_frames_(restart_frames_),
        writer_(std::move(writer)),
        readers_(std::move(readers)),
        schema_version_(schema_version),
        checkpointer_(std::move(checkpoints)) {
    sqlite3_wal_hook(writer_->handle(), &SqliteStore::Committed, this);
  }

  Status Read(const std::function<Status(Reader&)>& fn) override {
    ReadPool::Lease lease = readers_.Acquire();
    Connection& db = lease.connection();
    PARC_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, "BEGIN"));
    PARC_TRY(StartSnapshot(db));
    SqlReader reader(db);
    PARC_TRY(fn(reader));
    return tx.Commit();
  }

  // The lock spans exactly the transaction: SQLite allows one writer anyway,
  // and holding the mutex keeps the connection's statement cache single-user.
  Status Write(const std::function<Status(Writer&)>& fn) override {
    std::lock_guard lock(write_mu_);
    PARC_ASSIGN_OR_RETURN(Transaction tx, BeginWrite());
    SqlWriter writer(*writer_);
    PARC_TRY(fn(writer));  // on error `tx` rolls back
    if (writer.ChangedWithoutAudit()) {
      return Fail(ErrorCode::kInternal, "change without audit event");
    }
    return tx.Commit();
  }

  // Not through Write: telemetry is not audited. One BEGIN IMMEDIATE ... COMMIT
  // for the whole batch, so one fsync (synchronous=FULL) makes it all durable.
  Expected<std::vector<uint64_t>> RecordReports(const std::vector<DeviceReports>& batch,
                                                int64_t now_ms) override {
    std::lock_guard lock(write_mu_);
    PARC_ASSIGN_OR_RETURN(Transaction tx, BeginWrite());
    auto highest = queries::RecordReports(*writer_, batch, now_ms);
    if (!highest) return std::unexpected(highest.error().Wrap("record reports"));
    if (auto committed = tx.Commit(); !committed) {
      return std::unexpected(committed.error().Wrap("record reports"));
    }
    return highest;
  }

  // Not through Write: progress events are observations, not audited (store.h).
  Expected<ProgressCounts> RecordProgress(int64_t device_id,
                                          const v1::ReportProgressRequest& request,
                                          int64_t now_ms) override {
    std::lock_guard lock(write_mu_);
    PARC_ASSIGN_OR_RETURN(Transaction tx, BeginWrite());
    auto counts = queries::RecordProgress(*writer_, device_id, request, now_ms);
    if (!counts) return std::unexpected(counts.error().Wrap("record progress"));
    if (auto committed = tx.Commit(); !committed) {
      return std::unexpected(committed.error().Wrap("record progress"));
    }
    return counts;
  }

  // In chunks, each its own transaction, so that check-ins are never held
  // back for long by a large retention pass.
  Expected<int64_t> PruneReports(int64_t before_ms) override {
    constexpr int64_t kChunk = 5000;
    int64_t total = 0;
    while (true) {
      int64_t deleted = 0;
      {
        std::lock_guard lock(write_mu_);
        PARC_ASSIGN_OR_RETURN(Transaction tx, BeginWrite());
        PARC_ASSIGN_OR_RETURN(deleted, queries::PruneReportsChunk(*writer_, before_ms, kChunk));
        if (auto committed = tx.Commit(); !committed) {
          return std::unexpected(committed.error().Wrap("prune reports"));
        }
      }
      total += deleted;
      if (deleted < kChunk) return total;
    }
  }

  Expected<int64_t> Backup(const std::string& path) override {
    std::error_code ec;
    if (path.empty()) return InvalidArgument("path", "required");
    if (std::filesystem::exists(path, ec) || ec) {
      return Fail(ErrorCode::kAlreadyExists, "path: already exists: " + path);
    }
    {
      // VACUUM INTO reads one consistent snapshot, from a reader: writers go on.
      ReadPool::Lease lease = readers_.Acquire();
      PARC_ASSIGN_OR_RETURN(Statement st, lease.connection().Prepare("VACUUM INTO ?"));
      if (auto ran = st.BindAll(path).Run(); !ran) {
        return std::unexpected(ran.error().Wrap("backup to " + path));
      }
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return Fail(ErrorCode::kInternal, "backup to " + path + ": " + ec.message());
    return static_cast<int64_t>(size);
  }

  int SchemaVersion() const override { return schema_version_; }

 private:
  // A deferred BEGIN takes its snapshot at the first read; read now so that the
  // whole callback sees the database as of this moment.
  static Status StartSnapshot(Connection& db) {
    PARC_ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT 1 FROM schema_migrations LIMIT 1"));
    return st.Run();
  }

  // The WAL starts over only when a writer begins with every frame copied
  // back and no reader reads from it. The Checkpointer copies them all, but
  // under sustained load a commit always comes first: the WAL then never starts
  // over, grows without end (1.2 GB after minutes of check-ins) and every page
  // read searches a longer wal-index. So once the WAL holds restart_frames_,
  // the writer copies the frames the Checkpointer has not reached yet (a few
  // milliseconds' worth) and waits for the readers still reading the WAL (they
  // are short) before its next transaction, which then starts the WAL over.
  // When one of them lasts longer than kRestartWaitMs, the next attempt comes
  // restart_frames_ / 8 frames later, not at every commit: each attempt costs
  // an fsync of the database file, which every call of the batch waits for.
  Expected<Transaction> BeginWrite() {
    if (wal_frames_ >= next_restart_frames_) {
      writer_->SetBusyTimeout(kRestartWaitMs);
      int rc = sqlite3_wal_checkpoint_v2(writer_->handle(), nullptr, SQLITE_CHECKPOINT_RESTART,
                                         nullptr, nullptr);
      writer_->SetBusyTimeout(busy_timeout_ms_);
      if (rc == SQLITE_OK) {
        next_restart_frames_ = restart_frames_;
        wal_frames_ = 0;  // the next commit says how long the WAL is now
      } else {
        next_restart_frames_ = wal_frames_ + std::max(restart_frames_ / 8, 1);
      }
    }
    return Transaction::Begin(*writer_, "BEGIN IMMEDIATE");
  }

  // sqlite3_wal_hook: after each commit of the writer, the WAL's length.
  static int Committed(void* store, sqlite3*, const char*, int wal_frames) {
    static_cast<SqliteStore*>(store)->wal_frames_ = wal_frames;
    return SQLITE_OK;
  }

  std::mutex write_mu_;
  static constexpr int kRestartWaitMs = 2;
  const int restart_frames_;
  const int busy_timeout_ms_;
  int next_restart_frames_;                   // guarded by write_mu_
  int wal_frames_ = 0;                        // guarded by write_mu_ (commits hold it)
  const std::unique_ptr<Connection> writer_;  // used only under write_mu_
  ReadPool readers_;                          // destroyed before the writer
  const int schema_version_;
  // Stopped first; the writer, closed last, checkpoints what is left.
  Checkpointer checkpointer_;
};

Status ConfigureWriter(Connection& db, const Options& options) {
  db.SetBusyTimeout(options.busy_timeout_ms);
  PARC_TRY(db.Exec("PRAGMA journal_mode=WAL"));
  PARC_ASSIGN_OR_RETURN(Statement mode, db.Prepare("PRAGMA journal_mode"));
  PARC_ASSIGN_OR_RETURN(bool row, mode.Step());
  if (!row || mode.Text(0) != "wal") {
    return FailedPrecondition("journal_mode: WAL could not be enabled");
  }
  // FULL: an acknowledged commit survives power loss, not only a crash.
  PARC_TRY(db.Exec("PRAGMA synchronous=FULL"));
  // The check-in batches touch one device_status leaf and one report-index
  // leaf per device: with SQLite's default 2 MiB cache against 1M-device
  // B-trees most of those are a pread each. 32 MiB (at most ~33 B per device
  // of a 1M fleet, allocated only as pages are touched) holds the hot part.
  PARC_TRY(db.Exec("PRAGMA cache_size=-32768"));
  // A WAL that grew under a burst is cut back when it starts over, to the
  // length at which the writer makes it start over (BeginWrite).
  // A frame: a 4 KiB page (SQLite's default) and its 24-byte header.
  const int64_t wal_bytes = int64_t{options.wal_restart_frames} * (4096 + 24);
  PARC_TRY(db.Exec(("PRAGMA journal_size_limit=" + std::to_string(wal_bytes)).c_str()));
  return db.Exec("PRAGMA foreign_keys=ON");
}

Expected<std::vector<std::unique_ptr<Connection>>> OpenReaders(const Options& options) {
  std::vector<std::unique_ptr<Connection>> readers;
  const int count = options.read_connections > 0 ? options.read_connections : 1;
  for (int i = 0; i < count; ++i) {
    PARC_ASSIGN_OR_RETURN(auto reader, Connection::Open(options.path, SQLITE_OPEN_READONLY));
    reader->SetBusyTimeout(options.busy_timeout_ms);
    readers.push_back(std::move(reader));
  }
  return readers;
}

}  // namespace

Expected<std::unique_ptr<Store>> Open(const Options& options) {
  if (options.path.empty()) return InvalidArgument("path", "required");
  std::error_code ec;
  if (!options.create && !std::filesystem::exists(options.path, ec)) {
    return NotFound("database " + options.path + ": not found");
  }
  int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  PARC_ASSIGN_OR_RETURN(auto writer, Connection::Open(options.path, flags));
  if (auto configured = ConfigureWriter(*writer, options); !configured) {
    return std::unexpected(configured.error().Wrap("open " + options.path));
  }
  auto version = ApplyMigrations(*writer, SystemClock().NowMs());
  if (!version) return std::unexpected(version.error().Wrap("open " + options.path));
  if (auto built = search::BuildIfPending(*writer); !built) {
    return std::unexpected(built.error().Wrap("open " + options.path + ": search index"));
  }
  PARC_ASSIGN_OR_RETURN(auto readers, OpenReaders(options));
  // From now on checkpoints are the Checkpointer's, not the committing writer's.
  PARC_ASSIGN_OR_RETURN(auto checkpoints, Connection::Open(options.path, SQLITE_OPEN_READWRITE));
  checkpoints->SetBusyTimeout(0);
  // A connection opens the file (and learns it is in WAL mode) at its first read.
  if (auto opened = checkpoints->Exec("SELECT count(*) FROM sqlite_master"); !opened) {
    return std::unexpected(opened.error().Wrap("open " + options.path));
  }
  if (auto off = writer->Exec("PRAGMA wal_autocheckpoint=0"); !off) {
    return std::unexpected(off.error().Wrap("open " + options.path));
  }
  return std::make_unique<SqliteStore>(std::move(writer), std::move(readers),
                                       std::move(checkpoints), *version, options);
}

}  // namespace parc::store::sqlite
