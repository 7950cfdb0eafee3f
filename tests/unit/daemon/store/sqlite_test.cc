// What only the SQLite backend has: its connection wrapper, its error mapping,
// its open options. Everything a backend promises is in the StoreTest suite.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "daemon/store/sqlite/db.h"
#include "daemon/store/sqlite/migrations.h"
#include "daemon/store/sqlite/sqlite_store.h"
#include "daemon/store/sqlite/where.h"

namespace parc::store::sqlite {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("parc-sqlite-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path() const { return (dir_ / "parc.db").string(); }

  // n audited transactions, each adding a device with a ~300-byte row.
  void CommitDevices(Store& store, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(store.Write([&](Writer& w) -> Status {
        v1::Device device;
        device.set_serial("SN-WAL-" + std::to_string(devices_++));
        device.set_model(std::string(300, 'm'));
        PARC_TRY(w.InsertDevice(device));
        v1::AuditEvent event;
        event.set_action("device.create");
        PARC_TRY(w.AppendAudit(event));
        return Ok();
      }));
    }
  }

  std::filesystem::path dir_;
  int devices_ = 0;
};

TEST_F(SqliteStoreTest, OpenWithoutCreateIsNotFoundWhenTheFileIsMissing) {
  auto opened = Open({.path = Path(), .create = false});
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(Path()));
}

TEST_F(SqliteStoreTest, WriteIsUnavailableWhileAnotherProcessHoldsTheWriteLock) {
  auto store = Open({.path = Path(), .busy_timeout_ms = 50});
  ASSERT_TRUE(store) << store.error().message;
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(Path().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  Status written = (*store)->Write([](Writer&) { return Ok(); });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kUnavailable);
  // Readers are not blocked by a writer (WAL).
  EXPECT_TRUE((*store)->Read([](Reader& r) -> Status {
    PARC_TRY(r.FindAgent("E1"));
    return Ok();
  }));

  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE((*store)->Write([](Writer&) { return Ok(); }));
}

TEST_F(SqliteStoreTest, RecordReportsIsUnavailableAndStoresNothingWhileTheWriteLockIsHeld) {
  auto store = Open({.path = Path(), .busy_timeout_ms = 50});
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->Write([](Writer& w) -> Status {
    v1::Device device;
    device.set_serial("SN1");
    PARC_TRY(w.InsertDevice(device));
    v1::AuditEvent event;
    event.set_action("device.create");
    PARC_TRY(w.AppendAudit(event));
    return Ok();
  }));
  v1::CheckInRequest request;
  request.add_reports()->set_sequence(1);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(Path().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  auto recorded = (*store)->RecordReports({{1, &request, ""}}, 1000);
  ASSERT_FALSE(recorded);
  EXPECT_EQ(recorded.error().code, ErrorCode::kUnavailable);

  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE((*store)->Read([](Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(auto status, r.GetDeviceStatus(1));
    if (status) return Fail(ErrorCode::kInternal, "status stored while locked out");
    return Ok();
  }));
  recorded = (*store)->RecordReports({{1, &request, ""}}, 1000);
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_EQ(recorded->front(), 1u);
}

// A database written before migration 5 (report history clustered by device,
// WITHOUT ROWID) opens with its history intact, and the history keeps its
// guarantees: once per (device, sequence), newest first, pruned by age.
TEST_F(SqliteStoreTest, Migration5KeepsTheReportHistoryOfAnOlderDatabase) {
  {
    auto db = Connection::Open(Path(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(
        (*db)->Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                    " applied_at INTEGER NOT NULL)"));
    for (const Migration& m : KnownMigrations()) {
      if (m.version > 4) break;
      ASSERT_TRUE((*db)->Exec(m.sql)) << m.version;
      auto record = (*db)->Prepare("INSERT INTO schema_migrations VALUES (?, 1)");
      ASSERT_TRUE(record);
      ASSERT_TRUE(record->BindAll(m.version).Run());
    }
    ASSERT_TRUE((*db)->Exec("INSERT INTO devices (id, serial) VALUES (1, 'SN1'), (2, 'SN2')"));
    // (device, sequence, received_at): device 1's reports arrived out of order.
    const int64_t old_reports[][3] = {{1, 2, 100}, {2, 5, 150}, {1, 1, 200}, {1, 3, 300}};
    for (const auto& [device, sequence, received_at] : old_reports) {
      v1::Report report;
      report.set_sequence(static_cast<uint64_t>(sequence));
      report.mutable_status()->set_battery_percent(static_cast<int32_t>(sequence));
      auto insert = (*db)->Prepare(
          "INSERT INTO device_reports (device_id, sequence, received_at, report)"
          " VALUES (?, ?, ?, ?)");
      ASSERT_TRUE(insert);
      insert->BindAll(device, sequence, received_at);
      insert->BindBlob(4, report.SerializeAsString());
      ASSERT_TRUE(insert->Run());
    }
  }
  auto store = Open({.path = Path()});
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->SchemaVersion(), KnownMigrations().back().version);
  auto sequences = [&](int64_t device) {
    std::vector<uint64_t> out;
    EXPECT_TRUE((*store)->Read([&](Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto reports, r.ListRecentReports(device, 10));
      for (const v1::Report& report : reports) {
        EXPECT_EQ(report.status().battery_percent(), static_cast<int32_t>(report.sequence()));
        out.push_back(report.sequence());
      }
      return Ok();
    }));
    return out;
  };
  EXPECT_EQ(sequences(1), (std::vector<uint64_t>{3, 2, 1}));
  EXPECT_EQ(sequences(2), (std::vector<uint64_t>{5}));
  {
    // The history is now in arrival order (rowid), older rows first.
    auto db = Connection::Open(Path(), SQLITE_OPEN_READONLY);
    ASSERT_TRUE(db) << db.error().message;
    auto rows = (*db)->Prepare("SELECT device_id, sequence FROM device_reports ORDER BY id");
    ASSERT_TRUE(rows) << rows.error().message;
    std::vector<std::pair<int64_t, int64_t>> order;
    while (rows->Step().value_or(false)) order.emplace_back(rows->Int(0), rows->Int(1));
    EXPECT_EQ(order, (std::vector<std::pair<int64_t, int64_t>>{{1, 2}, {2, 5}, {1, 1}, {1, 3}}));
  }

  // A report stored before the migration is not stored again; a new one is.
  v1::CheckInRequest again;
  for (uint64_t sequence : {2, 4}) {
    v1::Report* report = again.add_reports();
    report->set_sequence(sequence);
    report->mutable_status()->set_battery_percent(static_cast<int32_t>(sequence));
  }
  auto recorded = (*store)->RecordReports({{1, &again, ""}, {2, &again, ""}}, 1000);
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_EQ(*recorded, (std::vector<uint64_t>{4, 5}));
  EXPECT_EQ(sequences(1), (std::vector<uint64_t>{4, 3, 2, 1}));
  EXPECT_EQ(sequences(2), (std::vector<uint64_t>{5, 4, 2}));

  // Retention still goes by arrival time, whatever the device.
  auto pruned = (*store)->PruneReports(250);
  ASSERT_TRUE(pruned) << pruned.error().message;
  EXPECT_EQ(*pruned, 3);
  EXPECT_EQ(sequences(1), (std::vector<uint64_t>{4, 3}));
  EXPECT_EQ(sequences(2), (std::vector<uint64_t>{4, 2}));
}

// Commits leave the copying of the WAL into the database file to a background
// checkpoint (no commit pays for it), which happens soon after, even for a WAL
// far below SQLite's automatic threshold: the database file alone, without its
// WAL, holds the committed row.
TEST_F(SqliteStoreTest, CommittedWritesReachTheDatabaseFileThroughTheBackgroundCheckpoint) {
  auto store = Open({.path = Path()});
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->Write([](Writer& w) -> Status {
    v1::Device device;
    device.set_serial("SN-CHECKPOINT");
    PARC_TRY(w.InsertDevice(device));
    v1::AuditEvent event;
    event.set_action("device.create");
    PARC_TRY(w.AppendAudit(event));
    return Ok();
  }));
  const std::string copy = (dir_ / "copy.db").string();
  int64_t found = 0;
  for (int attempt = 0; attempt < 50 && found == 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::filesystem::copy_file(Path(), copy, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::remove(copy + "-wal");
    auto db = Connection::Open(copy, SQLITE_OPEN_READWRITE);
    ASSERT_TRUE(db) << db.error().message;
    // Until the first checkpoint the file may not even hold the schema.
    auto st = (*db)->Prepare("SELECT COUNT(*) FROM devices WHERE serial = 'SN-CHECKPOINT'");
    if (st && st->Step().value_or(false)) found = st->Int(0);
  }
  EXPECT_EQ(found, 1);
}

// Under sustained commits the WAL starts over once it holds
// wal_restart_frames, instead of growing as long as the commits keep coming
// (SQLite restarts it only when a writer begins with every frame copied back,
// which the background checkpoint alone rarely leaves it).
TEST_F(SqliteStoreTest, TheWalStartsOverUnderSustainedCommits) {
  constexpr int kRestartFrames = 64;
  auto store = Open({.path = Path(), .wal_restart_frames = kRestartFrames});
  ASSERT_TRUE(store) << store.error().message;
  CommitDevices(**store, 600);
  // The file is as long as the WAL ever was (SQLite reuses it from the start
  // when it starts over): a few threshold's worth, not the ~2,400 frames
  // (~10 MB) of 600 commits without a restart.
  const auto wal_bytes = std::filesystem::file_size(Path() + "-wal");
  EXPECT_LT(wal_bytes, 4u * kRestartFrames * (4096 + 24)) << wal_bytes;
}

// A reader still reading the WAL keeps it from starting over; the commits go
// on meanwhile (the writer waits for readers a few milliseconds at most, and
// tries again later rather than at every commit), and the WAL starts over
// soon after the reader is done.
TEST_F(SqliteStoreTest, TheWalStartsOverOnceALongReaderIsDone) {
  constexpr int kRestartFrames = 64;
  auto store = Open({.path = Path(), .wal_restart_frames = kRestartFrames});
  ASSERT_TRUE(store) << store.error().message;
  CommitDevices(**store, 10);
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open_v2(Path().c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM devices;", nullptr, nullptr, nullptr),
            SQLITE_OK);
  CommitDevices(**store, 400);
  const auto held = std::filesystem::file_size(Path() + "-wal");
  EXPECT_GT(held, 8u * kRestartFrames * (4096 + 24)) << "the reader did not hold the WAL";
  ASSERT_EQ(sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(reader);
  // As many commits again: the WAL would double without a restart.
  CommitDevices(**store, 400);
  const auto after = std::filesystem::file_size(Path() + "-wal");
  EXPECT_LE(after, held) << "the WAL did not start over after the reader";
}

TEST(SqliteErrorTest, MapsResultCodesToParcErrors) {
  EXPECT_EQ(SqliteError(SQLITE_BUSY, "database is locked").code, ErrorCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_IOERR_FSYNC, "disk I/O error").code, ErrorCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_FULL, "database or disk is full").code, ErrorCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_READONLY, "readonly").code, ErrorCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_CORRUPT, "malformed").code, ErrorCode::kInternal);
  Error unique = SqliteError(SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: devices.serial");
  EXPECT_EQ(unique.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(unique.message, "serial: already exists");
  EXPECT_EQ(SqliteError(SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed").code,
            ErrorCode::kFailedPrecondition);
}

TEST(ConnectionTest, NestedUseOfOneStatementTextGetsItsOwnCopy) {
  auto db = Connection::Open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(db);
  for (int round = 0; round < 2; ++round) {  // the second round reuses the cache
    auto outer = (*db)->Prepare("SELECT ?");
    ASSERT_TRUE(outer);
    outer->BindAll(int64_t{1});
    auto inner = (*db)->Prepare("SELECT ?");
    ASSERT_TRUE(inner);
    inner->BindAll(int64_t{2});
    ASSERT_TRUE(outer->Step().value());
    ASSERT_TRUE(inner->Step().value());
    EXPECT_EQ(outer->Int(0), 1);
    EXPECT_EQ(inner->Int(0), 2);
  }
}

TEST(WhereTest, EscapesLikeWildcardsAndBindsInLists) {
  EXPECT_EQ(ContainsPattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
  Where where;
  where.Equal("site", "");
  where.In({"a.department", "d.department"}, {"EAU", "VOIRIE"});
  EXPECT_EQ(where.Sql(), " WHERE (a.department IN (?,?) OR d.department IN (?,?))");
  EXPECT_EQ(where.values().size(), 4u);
}

}  // namespace
}  // namespace parc::store::sqlite
