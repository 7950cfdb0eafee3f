// The storage test suite: one fixture, parameterized over every backend
// (backends.cc), so that SQLite and later PostgreSQL obey the same contract.
// Each test gets a fresh database in its own temporary directory.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "common/error.h"
#include "common/time.h"
#include "daemon/store/store.h"

namespace parc::store::testing {

struct Backend {
  std::string name;
  // Opens (creating on first use) the database kept in directory `dir`.
  std::function<Expected<std::unique_ptr<Store>>(const std::filesystem::path& dir)> open;
  // Runs SQL straight against that database, bypassing the store: for checking
  // what the schema itself enforces.
  std::function<Status(const std::filesystem::path& dir, const std::string& sql)> exec_raw;
  // The first column of the first row of `sql`, run straight against the database.
  std::function<Expected<int64_t>(const std::filesystem::path& dir, const std::string& sql)>
      query_int;
};

// Names the backend in test output.
inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  const std::filesystem::path& dir() const { return dir_; }
  // Closes and reopens the store on the same database.
  void Reopen();
  Status ExecRaw(const std::string& sql) { return GetParam().exec_raw(dir_, sql); }
  Expected<int64_t> QueryInt(const std::string& sql) { return GetParam().query_int(dir_, sql); }

  // Runs `fn` in a write transaction that also appends an audit event.
  Status Audited(const std::function<Status(Writer&)>& fn);
  // Inserts in audited transactions and returns the new id (fails the test on error).
  int64_t Add(const v1::Agent& agent);
  int64_t Add(const v1::Device& device);
  int64_t Add(const v1::Site& site);
  int64_t Add(const v1::Allocation& allocation);

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

// A fixed instant, so that tests never depend on the wall clock.
inline constexpr int64_t kNowMs = 1'780'000'000'000;

v1::Agent MakeAgent(const std::string& employee_number, const std::string& department = "PROPRETE");
v1::Device MakeDevice(const std::string& serial, const std::string& asset_tag = "",
                      const std::string& department = "");
v1::Allocation MakePersonal(int64_t device_id, const std::string& employee_number);
v1::Allocation MakeLoan(int64_t device_id, const std::string& employee_number,
                        const std::string& due_date);
v1::AuditEvent MakeEvent(const std::string& actor, const std::string& action,
                         const std::string& target, int64_t at_ms = kNowMs);
void SetTime(google::protobuf::Timestamp* ts, int64_t ms);

// Drops the value of `result`, keeping only success or the error.
template <typename T>
Status Discard(const Expected<T>& result) {
  if (!result) return std::unexpected(result.error());
  return Ok();
}

// The value `fn` reads in one Store::Read (the test fails on error).
template <typename T>
inline T Get(Store& store, const std::function<Expected<T>(Reader&)>& fn) {
  T out{};
  Status read = store.Read([&](Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(out, fn(r));
    return Ok();
  });
  EXPECT_TRUE(read) << read.error().message;
  return out;
}

}  // namespace parc::store::testing
