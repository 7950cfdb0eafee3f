// Issue 18: storage faults, SQLite's own way (tests/support/fault_vfs.h). A
// short scenario of operator writes, a device check-in and reads runs once per
// N, with the Nth read, write or sync of the database failing (SQLITE_IOERR_*,
// SQLITE_FULL), for every N the scenario reaches. After each run: every call
// was answered OK or UNAVAILABLE (a step whose input failed is skipped), what
// was acknowledged is there, what was refused is not (nothing half-written),
// a check-in resent after a refusal is stored once, the same parcd serves
// again, and at the end PRAGMA integrity_check is ok.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>

#include "tests/integration/device_fixture.h"
#include "tests/support/fault_vfs.h"

namespace parc::testing {
namespace {

using grpc::StatusCode;

// Installed before any database is opened by the fixture's TestServer.
class StorageFaultsTest : public DeviceTest {
 public:
  static void SetUpTestSuite() { FaultVfs::Install(); }

 protected:
  FaultVfs& vfs_ = FaultVfs::Install();
};

bool Answered(const grpc::Status& s) { return s.ok() || s.error_code() == StatusCode::UNAVAILABLE; }

struct Outcome {
  std::string agent, device;
  grpc::Status agent_created, device_created, checked_in;
  grpc::Status assigned{StatusCode::UNAVAILABLE, "skipped: its agent or device failed"};
  uint64_t sequence = 0;
};

TEST_F(StorageFaultsTest, EveryFailedReadWriteOrSyncIsUnavailableAndLeavesNothingHalfDone) {
  const std::string credential = Enrolled("SN-REPORTER");
  uint64_t sequence = 0;
  int round = 0;
  // One scenario; `label` names the run in failure messages.
  auto scenario = [&](const std::string& label) {
    SCOPED_TRACE(label);
    Outcome o;
    ++round;
    o.agent = "E" + std::to_string(100000 + round);
    o.device = "SN-" + std::to_string(round);
    v1::CreateAgentRequest agent;
    agent.mutable_agent()->set_employee_number(o.agent);
    agent.mutable_agent()->set_last_name("Le Goff");
    agent.mutable_agent()->set_department("PROPRETE");
    v1::Agent a;
    o.agent_created = inventory_->CreateAgent(Admin().get(), agent, &a);
    v1::CreateDeviceRequest device;
    device.mutable_device()->set_serial(o.device);
    device.mutable_device()->set_kind(v1::DEVICE_KIND_TABLET);
    v1::Device d;
    o.device_created = inventory_->CreateDevice(Admin().get(), device, &d);
    if (o.agent_created.ok() && o.device_created.ok()) o.assigned = Assign(o.device, o.agent);
    o.sequence = ++sequence;
    o.checked_in = CheckIn(credential, {StatusReport(o.sequence)});
    for (const grpc::Status* s :
         {&o.agent_created, &o.device_created, &o.assigned, &o.checked_in}) {
      EXPECT_TRUE(Answered(*s)) << s->error_code() << " " << s->error_message();
    }
    v1::ListAgentsRequest list;
    v1::ListAgentsResponse agents;
    EXPECT_TRUE(Answered(inventory_->ListAgents(Admin().get(), list, &agents)));
    return o;
  };
  // After a run, with the disk healthy again: acknowledged writes are there,
  // refused ones are not; a refused check-in resent is stored once.
  auto check = [&](const Outcome& o, const std::string& label) {
    SCOPED_TRACE(label);
    v1::GetAgentRequest get;
    get.set_employee_number(o.agent);
    v1::Agent a;
    grpc::Status found = inventory_->GetAgent(Admin().get(), get, &a);
    EXPECT_EQ(found.ok(), o.agent_created.ok()) << found.error_message();
    v1::GetDeviceRequest get_device;
    get_device.set_device(o.device);
    v1::Device d;
    found = inventory_->GetDevice(Admin().get(), get_device, &d);
    EXPECT_EQ(found.ok(), o.device_created.ok()) << found.error_message();
    if (found.ok()) {
      EXPECT_EQ(d.lifecycle() == v1::LIFECYCLE_ASSIGNED, o.assigned.ok());
      EXPECT_EQ(d.holder_employee_number(), o.assigned.ok() ? o.agent : "");
    }
    v1::CheckInResponse ack;
    ASSERT_TRUE(CheckIn(credential, {StatusReport(o.sequence)}, &ack).ok())
        << "served again once the fault is gone";
    EXPECT_EQ(ack.acknowledged_through(), o.sequence);
  };

  // The scenario's I/O without faults, to know how far N must go.
  std::array<int64_t, 3> before{};
  for (auto op : {FaultVfs::Op::kRead, FaultVfs::Op::kWrite, FaultVfs::Op::kSync}) {
    before[static_cast<int>(op)] = vfs_.Count(op);
  }
  check(scenario("no fault"), "no fault");
  std::array<int64_t, 3> reach{};  // the I/O of one scenario, without faults
  for (auto op : {FaultVfs::Op::kRead, FaultVfs::Op::kWrite, FaultVfs::Op::kSync}) {
    // At most 40 per kind: seconds, not minutes, under ASan.
    reach[static_cast<int>(op)] =
        std::min<int64_t>(40, vfs_.Count(op) - before[static_cast<int>(op)]);
  }
  int runs = 0;
  int64_t fired = 0;
  for (auto [op, code, name] : {std::tuple{FaultVfs::Op::kWrite, SQLITE_IOERR_WRITE, "write"},
                                {FaultVfs::Op::kWrite, SQLITE_FULL, "write (disk full)"},
                                {FaultVfs::Op::kSync, SQLITE_IOERR_FSYNC, "sync"},
                                {FaultVfs::Op::kRead, SQLITE_IOERR_READ, "read"}}) {
    for (int64_t n = 1; n <= reach[static_cast<int>(op)] + 1; ++n) {
      const std::string label = std::string(name) + " #" + std::to_string(n);
      vfs_.Arm(op, n, code);
      Outcome o = scenario(label);
      fired += vfs_.Fired();
      vfs_.Disarm();
      check(o, label);
      ++runs;
      if (::testing::Test::HasFailure()) return;  // one clear failure, not hundreds
    }
  }
  EXPECT_GT(fired, runs / 2) << "the faults reached the database";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((server_.dir() / "parc.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
  sqlite3_finalize(st);
  sqlite3_close(db);
  std::cout << "storage faults: " << runs << " runs, " << fired << " faults hit\n";
}

}  // namespace
}  // namespace parc::testing
