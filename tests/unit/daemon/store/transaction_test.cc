// Transactions, the audit rule, migrations, backup and read snapshots.
#include <future>
#include <thread>

#include "tests/unit/daemon/store/store_test.h"

namespace parc::store::testing {
namespace {

std::optional<v1::Agent> FindAgent(Store& store, const std::string& number) {
  return Get<std::optional<v1::Agent>>(store, [&](Reader& r) { return r.FindAgent(number); });
}

TEST_P(StoreTest, RollsBackChangeWithoutAuditEvent) {
  Status written = store().Write([](Writer& w) { return Discard(w.InsertAgent(MakeAgent("E1"))); });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kInternal);
  EXPECT_EQ(written.error().message, "change without audit event");
  EXPECT_FALSE(FindAgent(store(), "E1"));
}

TEST_P(StoreTest, WriteThatOnlyReadsNeedsNoAuditEvent) {
  EXPECT_TRUE(store().Write([](Writer& w) { return Discard(w.FindAgent("E1")); }));
}

TEST_P(StoreTest, ErrorInsideWriteRollsBackEveryChange) {
  Status written = store().Write([](Writer& w) -> Status {
    PARC_TRY(w.InsertAgent(MakeAgent("E1")));
    PARC_TRY(w.InsertDevice(MakeDevice("SN1")));
    PARC_TRY(w.AppendAudit(MakeEvent("paul", "agent.create", "agent:E1")));
    return FailedPrecondition("changed my mind");
  });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().message, "changed my mind");
  EXPECT_FALSE(FindAgent(store(), "E1"));
  EXPECT_TRUE(Get<std::vector<v1::AuditEvent>>(store(), [](Reader& r) {
                return r.ListAuditEvents({});
              }).empty());
  // The writer is usable afterwards.
  EXPECT_GT(Add(MakeAgent("E1")), 0);
}

TEST_P(StoreTest, RecordsMigrationsAndReopensIdempotently) {
  const int version = store().SchemaVersion();
  EXPECT_GE(version, 1);
  Add(MakeAgent("E1"));
  Reopen();
  Reopen();
  EXPECT_EQ(store().SchemaVersion(), version);
  EXPECT_TRUE(FindAgent(store(), "E1"));
  // Exactly one row per migration: inserting the current version again collides.
  EXPECT_FALSE(ExecRaw("INSERT INTO schema_migrations (version, applied_at) VALUES (" +
                       std::to_string(version) + ", 0)"));
  auto recorded = QueryInt("SELECT COUNT(*) FROM schema_migrations");
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_EQ(*recorded, version);
  auto stamped = QueryInt("SELECT COUNT(*) FROM schema_migrations WHERE applied_at > 0");
  ASSERT_TRUE(stamped);
  EXPECT_EQ(*stamped, version);
}

TEST_P(StoreTest, RefusesDatabaseWrittenByNewerSchema) {
  ASSERT_TRUE(ExecRaw("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)"));
  auto reopened = GetParam().open(dir());
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(reopened.error().message.find("9999"), std::string::npos);
}

TEST_P(StoreTest, BackupProducesReadableCopy) {
  Add(MakeAgent("E1"));
  const auto copy_dir = dir() / "copy";
  std::filesystem::create_directories(copy_dir);
  const std::string path = (copy_dir / "parc.db").string();
  auto size = store().Backup(path);
  ASSERT_TRUE(size) << size.error().message;
  EXPECT_GT(*size, 0);
  EXPECT_EQ(static_cast<uintmax_t>(*size), std::filesystem::file_size(path));

  auto copy = GetParam().open(copy_dir);
  ASSERT_TRUE(copy) << copy.error().message;
  EXPECT_TRUE(FindAgent(**copy, "E1"));

  auto again = store().Backup(path);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_P(StoreTest, ReadDuringWriteSeesTheOldSnapshot) {
  std::promise<void> inserted, read_done;
  std::thread writer([&] {
    Status written = Audited([&](Writer& w) -> Status {
      PARC_TRY(w.InsertAgent(MakeAgent("E1")));
      inserted.set_value();
      read_done.get_future().wait();
      return Ok();
    });
    EXPECT_TRUE(written);
  });
  inserted.get_future().wait();
  EXPECT_FALSE(FindAgent(store(), "E1"));  // not blocked, not dirty
  read_done.set_value();
  writer.join();
  EXPECT_TRUE(FindAgent(store(), "E1"));
}

TEST_P(StoreTest, ReadKeepsItsSnapshotWhileAWriteCommits) {
  std::promise<void> reading, committed;
  std::thread writer([&] {
    reading.get_future().wait();
    Add(MakeAgent("E1"));
    committed.set_value();
  });
  Status read = store().Read([&](Reader& r) -> Status {
    reading.set_value();
    committed.get_future().wait();
    PARC_ASSIGN_OR_RETURN(auto agent, r.FindAgent("E1"));
    EXPECT_FALSE(agent);
    return Ok();
  });
  writer.join();
  EXPECT_TRUE(read);
  EXPECT_TRUE(FindAgent(store(), "E1"));
}

}  // namespace
}  // namespace parc::store::testing
