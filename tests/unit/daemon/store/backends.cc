// The backends the storage suite runs against, and the fixture they share.
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <vector>

#include "common/time.h"
#include "daemon/store/sqlite/sqlite_store.h"
#include "tests/unit/daemon/store/store_test.h"

namespace parc::store::testing {

namespace {

std::filesystem::path SqlitePath(const std::filesystem::path& dir) { return dir / "parc.db"; }

Backend SqliteBackend() {
  Backend backend;
  backend.name = "SQLite";
  backend.open = [](const std::filesystem::path& dir) {
    sqlite::Options options;
    options.path = SqlitePath(dir).string();
    options.read_connections = 2;
    return sqlite::Open(options);
  };
  backend.exec_raw = [](const std::filesystem::path& dir, const std::string& sql) -> Status {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(SqlitePath(dir).c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_busy_timeout(db, 5000);
      rc = sqlite3_exec(db, "PRAGMA foreign_keys=ON;", nullptr, nullptr, nullptr);
    }
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    std::string message = sqlite3_errmsg(db);
    sqlite3_close_v2(db);
    if (rc != SQLITE_OK) return Fail(ErrorCode::kInternal, message);
    return Ok();
  };
  backend.query_int = [](const std::filesystem::path& dir,
                         const std::string& sql) -> Expected<int64_t> {
    sqlite3* db = nullptr;
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_open_v2(SqlitePath(dir).c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    Expected<int64_t> result = Fail(ErrorCode::kInternal, sqlite3_errmsg(db));
    if (rc == SQLITE_ROW) result = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close_v2(db);
    return result;
  };
  return backend;
}

std::filesystem::path UniqueTempDir() {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string("parc-store-") + std::to_string(::getpid()) + "-" +
                     std::to_string(counter++) + "-" + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return std::filesystem::temp_directory_path() / name;
}

}  // namespace

void StoreTest::SetUp() {
  dir_ = UniqueTempDir();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  auto opened = GetParam().open(dir_);
  ASSERT_TRUE(opened) << opened.error().message;
  store_ = std::move(*opened);
}

void StoreTest::TearDown() {
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void StoreTest::Reopen() {
  store_.reset();
  auto opened = GetParam().open(dir_);
  ASSERT_TRUE(opened) << opened.error().message;
  store_ = std::move(*opened);
}

Status StoreTest::Audited(const std::function<Status(Writer&)>& fn) {
  return store_->Write([&](Writer& w) -> Status {
    PARC_TRY(fn(w));
    PARC_TRY(w.AppendAudit(MakeEvent("test", "test.change", "test")));
    return Ok();
  });
}

namespace {
template <typename Record, typename Insert>
int64_t AddWith(Store& store, const Record& record, Insert insert) {
  int64_t id = 0;
  Status written = store.Write([&](Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(id, (w.*insert)(record));
    PARC_TRY(w.AppendAudit(MakeEvent("test", "test.add", "test")));
    return Ok();
  });
  EXPECT_TRUE(written) << written.error().message;
  return id;
}
}  // namespace

int64_t StoreTest::Add(const v1::Agent& a) { return AddWith(*store_, a, &Writer::InsertAgent); }
int64_t StoreTest::Add(const v1::Device& d) { return AddWith(*store_, d, &Writer::InsertDevice); }
int64_t StoreTest::Add(const v1::Site& s) { return AddWith(*store_, s, &Writer::InsertSite); }
int64_t StoreTest::Add(const v1::Allocation& a) {
  return AddWith(*store_, a, &Writer::InsertAllocation);
}

void SetTime(google::protobuf::Timestamp* ts, int64_t ms) { ToTimestamp(ms, ts); }

v1::Agent MakeAgent(const std::string& employee_number, const std::string& department) {
  v1::Agent a;
  a.set_employee_number(employee_number);
  a.set_first_name("Anne");
  a.set_last_name("Le Goff");
  a.set_department(department);
  a.set_site("CTM-NORD");
  a.set_advisor("yann");
  a.set_wave("vague-1");
  a.set_status(v1::AGENT_STATUS_ACTIVE);
  SetTime(a.mutable_created_at(), kNowMs);
  SetTime(a.mutable_updated_at(), kNowMs);
  return a;
}

v1::Device MakeDevice(const std::string& serial, const std::string& asset_tag,
                      const std::string& department) {
  v1::Device d;
  d.set_serial(serial);
  d.set_asset_tag(asset_tag);
  d.set_kind(v1::DEVICE_KIND_TABLET);
  d.set_model("Galaxy Tab A8");
  d.set_os("Android 14");
  d.set_site("CTM-NORD");
  d.set_department(department);
  d.set_lifecycle(v1::LIFECYCLE_IN_STOCK);
  SetTime(d.mutable_created_at(), kNowMs);
  SetTime(d.mutable_updated_at(), kNowMs);
  return d;
}

v1::Allocation MakePersonal(int64_t device_id, const std::string& employee_number) {
  v1::Allocation a;
  a.set_device_id(device_id);
  a.set_kind(v1::ALLOCATION_KIND_PERSONAL);
  a.set_employee_number(employee_number);
  SetTime(a.mutable_started_at(), kNowMs);
  a.set_started_by("logistique");
  return a;
}

v1::Allocation MakeLoan(int64_t device_id, const std::string& employee_number,
                        const std::string& due_date) {
  v1::Allocation a = MakePersonal(device_id, employee_number);
  a.set_kind(v1::ALLOCATION_KIND_LOAN);
  a.set_due_date(due_date);
  return a;
}

v1::AuditEvent MakeEvent(const std::string& actor, const std::string& action,
                         const std::string& target, int64_t at_ms) {
  v1::AuditEvent e;
  SetTime(e.mutable_at(), at_ms);
  e.set_actor(actor);
  e.set_action(action);
  e.set_target(target);
  e.set_summary(action + " " + target);
  return e;
}

// Every backend the suite runs against. PostgreSQL joins this list.
INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values(SqliteBackend()),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param.name;
                         });

}  // namespace parc::store::testing
