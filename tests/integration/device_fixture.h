// Shared set-up for device tests: a ServiceTest plus a DeviceService stub and
// builders for enrollment tokens, enrollments and reports.
#pragma once

#include <sqlite3.h>

#include "parc/v1/device.grpc.pb.h"
#include "tests/integration/service_fixture.h"

namespace parc::testing {

class DeviceTest : public ServiceTest {
 protected:
  DeviceTest() : device_(v1::DeviceService::NewStub(server_.Channel())) {}

  // Gives `employee` the current skill tier `tier`, as a Pix import would
  // (skill_assessments + agent_tiers), written straight into the database.
  void Tier(const std::string& employee, const std::string& tier) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((server_.dir() / "parc.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    for (const char* sql :
         {"INSERT INTO skill_assessments (employee_number, assessed_at, campaign_kind, tier,"
          " imported_at) VALUES (?1, 1, 'assessment', ?2, 1)",
          "INSERT OR REPLACE INTO agent_tiers (employee_number, tier, assessment_id, assessed_at)"
          " VALUES (?1, ?2, last_insert_rowid(), 1)"}) {
      sqlite3_stmt* st = nullptr;
      EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
      sqlite3_bind_text(st, 1, employee.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 2, tier.c_str(), -1, SQLITE_TRANSIENT);
      EXPECT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db);
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
  }

  // A fresh enrollment token secret; the test fails when it cannot be made.
  std::string Token(int uses = 1, int64_t ttl_seconds = 0, const std::string& site = "",
                    v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED) {
    v1::CreateEnrollmentTokenRequest request;
    request.set_uses(uses);
    request.set_ttl_seconds(ttl_seconds);
    request.set_site(site);
    request.set_kind(kind);
    v1::CreateEnrollmentTokenResponse out;
    grpc::Status status = inventory_->CreateEnrollmentToken(Admin().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.token();
  }

  grpc::Status Enroll(const std::string& token, const std::string& serial,
                      v1::EnrollResponse* out = nullptr,
                      v1::DeviceKind kind = v1::DEVICE_KIND_TABLET) {
    v1::EnrollRequest request;
    request.set_token(token);
    request.set_serial(serial);
    request.set_model("Samsung Galaxy Tab A8");
    request.set_os("Android 14");
    request.set_kind(kind);
    v1::EnrollResponse ignored;
    grpc::ClientContext ctx;
    return device_->Enroll(&ctx, request, out ? out : &ignored);
  }

  // Enrolls `serial` with a fresh one-use token; returns the credential.
  std::string Enrolled(const std::string& serial, int64_t* device_id = nullptr) {
    v1::EnrollResponse out;
    grpc::Status status = Enroll(Token(), serial, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (device_id) *device_id = out.device_id();
    return out.credential();
  }

  static v1::Report StatusReport(uint64_t sequence, int battery = 80) {
    v1::Report report;
    report.set_sequence(sequence);
    report.mutable_collected_at()->set_seconds(1'780'000'000);
    auto* s = report.mutable_status();
    s->set_battery_percent(battery);
    s->set_storage_total_bytes(64LL << 30);
    s->set_storage_free_bytes(20LL << 30);
    s->set_os_name("Android");
    s->set_os_version("14");
    s->set_agent_version("0.1.0");
    s->set_ip_address("10.20.30.40");
    return report;
  }

  static v1::Report UsageReport(uint64_t sequence, const std::string& employee, bool login) {
    v1::Report report;
    report.set_sequence(sequence);
    report.mutable_collected_at()->set_seconds(1'780'000'000);
    report.mutable_usage()->set_employee_number(employee);
    report.mutable_usage()->set_login(login);
    return report;
  }

  grpc::Status CheckIn(const std::string& credential, const std::vector<v1::Report>& reports,
                       v1::CheckInResponse* out = nullptr) {
    v1::CheckInRequest request;
    for (const auto& r : reports) *request.add_reports() = r;
    v1::CheckInResponse ignored;
    return device_->CheckIn(As(credential).get(), request, out ? out : &ignored);
  }

  v1::GetDeviceStatusResponse Status(const std::string& device) {
    v1::GetDeviceStatusRequest request;
    request.set_device(device);
    v1::GetDeviceStatusResponse out;
    grpc::Status status = inventory_->GetDeviceStatus(Admin().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  std::unique_ptr<v1::DeviceService::Stub> device_;
};

}  // namespace parc::testing
