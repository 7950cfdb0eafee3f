// Check-ins over gRPC: durable acknowledgement, idempotent sequences, limits
// and garbage, group commit, usage sessions and stale devices.
#include <gtest/gtest.h>

#include <future>

#include "tests/integration/device_fixture.h"

namespace parc::testing {
namespace {

using grpc::StatusCode;

class CheckInTest : public DeviceTest {};

TEST_F(CheckInTest, ReportsAreStoredAndAcknowledged) {
  std::string credential = Enrolled("SN-1");
  v1::CheckInResponse out;
  ASSERT_TRUE(CheckIn(credential, {StatusReport(1, 50), StatusReport(2, 45)}, &out).ok());
  EXPECT_EQ(out.acknowledged_through(), 2u);
  EXPECT_EQ(out.next_interval_seconds(), 300);
  EXPECT_EQ(out.server_time().seconds(), server_.clock().NowMs() / 1000);
  EXPECT_EQ(out.content_revision(), 0u);

  v1::GetDeviceStatusResponse status = Status("SN-1");
  ASSERT_TRUE(status.has_status());
  EXPECT_EQ(status.status().battery_percent(), 45);
  EXPECT_EQ(status.status().last_sequence(), 2u);
  ASSERT_EQ(status.recent_size(), 2);
  EXPECT_EQ(status.recent(0).sequence(), 2u) << "newest first";
  EXPECT_TRUE(status.device().has_last_seen());
}

TEST_F(CheckInTest, DuplicatesAreStoredOnceAndAcknowledgedBothTimes) {
  std::string credential = Enrolled("SN-1");
  v1::CheckInResponse first, second;
  ASSERT_TRUE(CheckIn(credential, {StatusReport(1), StatusReport(2)}, &first).ok());
  ASSERT_TRUE(CheckIn(credential, {StatusReport(2), StatusReport(3)}, &second).ok());
  EXPECT_EQ(first.acknowledged_through(), 2u);
  EXPECT_EQ(second.acknowledged_through(), 3u);
  EXPECT_EQ(Status("SN-1").recent_size(), 3);
}

TEST_F(CheckInTest, OversizedReportIsRefusedAndTheServerKeepsServing) {
  std::string credential = Enrolled("SN-1");
  v1::Report big = StatusReport(1);
  for (int i = 0; i < 100; ++i) big.mutable_status()->add_logged_in_users(std::string(200, 'u'));
  grpc::Status status = CheckIn(credential, {big});
  EXPECT_EQ(status.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("16384"), std::string::npos) << status.error_message();

  std::vector<v1::Report> many;
  for (uint64_t i = 1; i <= 501; ++i) many.push_back(StatusReport(i));
  EXPECT_EQ(CheckIn(credential, many).error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(CheckIn(credential, {StatusReport(1)}).ok());
}

TEST_F(CheckInTest, UnknownCredentialsAndOperatorTokensAreRefused) {
  Enrolled("SN-1");
  EXPECT_EQ(CheckIn("parcdev_" + std::string(43, 'Z'), {StatusReport(1)}).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CheckIn("", {StatusReport(1)}).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CheckIn(server_.admin_token(), {StatusReport(1)}).error_code(),
            StatusCode::PERMISSION_DENIED);
}

// Every string field of a report, set to a control character or to 300 bytes.
TEST_F(CheckInTest, GarbageInEveryStringFieldIsInvalidArgumentNamingIt) {
  std::string credential = Enrolled("SN-1");
  const auto* descriptor = v1::StatusReport::descriptor();
  for (const std::string& garbage : {std::string("bad\x07value"), std::string(300, 'x'),
                                     std::string("line\nbreak"), std::string("\x7f")}) {
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const auto* field = descriptor->field(i);
      if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) continue;
      v1::Report report = StatusReport(1);
      auto* reflection = report.mutable_status()->GetReflection();
      if (field->is_repeated()) {
        reflection->AddString(report.mutable_status(), field, garbage);
      } else {
        reflection->SetString(report.mutable_status(), field, garbage);
      }
      grpc::Status status = CheckIn(credential, {report});
      EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << field->name();
      EXPECT_NE(status.error_message().find(field->name()), std::string::npos)
          << status.error_message();
    }
  }
  grpc::Status usage = CheckIn(credential, {UsageReport(1, "E\x01", true)});
  EXPECT_EQ(usage.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(usage.error_message().find("employee_number"), std::string::npos);
  EXPECT_EQ(CheckIn(credential, {StatusReport(0)}).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(CheckIn(credential, {StatusReport(uint64_t{1} << 63)}).error_code(),
            StatusCode::INVALID_ARGUMENT);
  v1::Report empty;
  empty.set_sequence(1);
  EXPECT_EQ(CheckIn(credential, {empty}).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(CheckIn(credential, {StatusReport(1, 101)}).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(CheckIn(credential, {StatusReport(1)}).ok());
  EXPECT_EQ(Status("SN-1").recent_size(), 1) << "nothing of the refused calls was stored";
}

TEST_F(CheckInTest, ConcurrentCheckInsShareCommits) {
  constexpr int kDevices = 50;
  std::vector<std::string> credentials;
  std::string token = Token(kDevices);
  for (int i = 0; i < kDevices; ++i) {
    v1::EnrollResponse out;
    ASSERT_TRUE(Enroll(token, "SN-" + std::to_string(i), &out).ok());
    credentials.push_back(out.credential());
  }
  auto before = server_.checkin_counters();
  struct Pending {
    std::unique_ptr<grpc::ClientContext> ctx;
    v1::CheckInRequest request;
    v1::CheckInResponse response;
    std::promise<grpc::Status> done;
  };
  std::vector<Pending> calls(kDevices);
  for (int i = 0; i < kDevices; ++i) {
    calls[i].ctx = As(credentials[i]);
    *calls[i].request.add_reports() = StatusReport(1);
    device_->async()->CheckIn(calls[i].ctx.get(), &calls[i].request, &calls[i].response,
                              [&done = calls[i].done](grpc::Status s) { done.set_value(s); });
  }
  for (auto& call : calls) {
    grpc::Status status = call.done.get_future().get();
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(call.response.acknowledged_through(), 1u);
  }
  auto after = server_.checkin_counters();
  EXPECT_EQ(after.calls - before.calls, static_cast<uint64_t>(kDevices));
  EXPECT_EQ(after.reports - before.reports, static_cast<uint64_t>(kDevices));
  RecordProperty("batches", static_cast<int>(after.batches - before.batches));
  EXPECT_LT(after.batches - before.batches, static_cast<uint64_t>(kDevices))
      << "group commit: fewer transactions than calls";
}

// A number typed offline reaches the server later: nobody's number is flagged.
TEST_F(CheckInTest, UsageByAnUnknownNumberIsFlagged) {
  AddAgent("E000001", "PROPRETE");
  AddDevice("SN-U", "PARC-0009");
  std::string credential = Enrolled("SN-U");
  ASSERT_TRUE(
      CheckIn(credential, {UsageReport(1, "E000001", true), UsageReport(2, "E999999", true)}).ok());
  v1::GetDeviceStatusResponse status = Status("SN-U");
  ASSERT_EQ(status.sessions_size(), 2);
  EXPECT_EQ(status.sessions(0).employee_number(), "E999999");
  EXPECT_TRUE(status.sessions(0).unknown_person());
  EXPECT_FALSE(status.sessions(1).unknown_person());
}

TEST_F(CheckInTest, LookUpPersonGreetsKnownNumbersAndNamesNobodyElse) {
  AddAgent("E000001", "PROPRETE");
  AddDevice("SN-L", "PARC-0010");
  std::string credential = Enrolled("SN-L");
  v1::LookUpPersonRequest request;
  request.set_employee_number(" e000001");
  v1::LookUpPersonResponse answer;
  ASSERT_TRUE(device_->LookUpPerson(As(credential).get(), request, &answer).ok());
  EXPECT_TRUE(answer.known());
  EXPECT_EQ(answer.employee_number(), "E000001");
  EXPECT_FALSE(answer.first_name().empty());
  request.set_employee_number("E999999");
  answer.Clear();
  ASSERT_TRUE(device_->LookUpPerson(As(credential).get(), request, &answer).ok());
  EXPECT_FALSE(answer.known());
  EXPECT_EQ(answer.first_name(), "");
  request.set_employee_number("");
  grpc::Status empty = device_->LookUpPerson(As(credential).get(), request, &answer);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(empty.error_message().find("employee_number"), std::string::npos);
  // Operators and strangers are not devices.
  EXPECT_EQ(device_->LookUpPerson(Admin().get(), request, &answer).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CheckInTest, UsageBySomeoneOtherThanTheHolderIsFlagged) {
  AddAgent("E000001", "PROPRETE");
  AddAgent("E000002", "PROPRETE");
  AddDevice("SN-T", "PARC-0001");
  ASSERT_TRUE(Assign("SN-T", "E000001").ok());
  std::string credential = Enrolled("SN-T");
  ASSERT_TRUE(
      CheckIn(credential, {UsageReport(1, "E000001", true), UsageReport(2, "E000001", false),
                           UsageReport(3, "E000002", true)})
          .ok());
  v1::ReportUsageRequest usage;
  *usage.add_reports() = UsageReport(4, "E000002", false);
  v1::ReportUsageResponse ack;
  ASSERT_TRUE(device_->ReportUsage(As(credential).get(), usage, &ack).ok());
  EXPECT_EQ(ack.acknowledged_through(), 4u);

  v1::GetDeviceStatusResponse status = Status("SN-T");
  ASSERT_EQ(status.sessions_size(), 2);
  EXPECT_EQ(status.sessions(0).employee_number(), "E000002");
  EXPECT_TRUE(status.sessions(0).not_the_holder());
  EXPECT_TRUE(status.sessions(0).has_ended_at());
  EXPECT_EQ(status.sessions(1).employee_number(), "E000001");
  EXPECT_FALSE(status.sessions(1).not_the_holder());

  *usage.mutable_reports(0) = StatusReport(5);
  EXPECT_EQ(device_->ReportUsage(As(credential).get(), usage, &ack).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(CheckInTest, StaleDevicesAreListed) {
  std::string fresh = Enrolled("SN-FRESH");
  Enrolled("SN-SILENT");
  AddDevice("SN-NOT-ENROLLED", "PARC-0009");
  ASSERT_TRUE(CheckIn(fresh, {StatusReport(1)}).ok());
  server_.clock().Advance(3600 * 1000);
  ASSERT_TRUE(CheckIn(fresh, {StatusReport(2)}).ok());
  v1::ListDevicesRequest request;
  request.set_stale_seconds(1800);
  v1::ListDevicesResponse out;
  ASSERT_TRUE(inventory_->ListDevices(Admin().get(), request, &out).ok());
  ASSERT_EQ(out.devices_size(), 1);
  EXPECT_EQ(out.devices(0).serial(), "SN-SILENT");
  request.set_stale_seconds(-1);
  EXPECT_EQ(inventory_->ListDevices(Admin().get(), request, &out).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(CheckInTest, DeviceStatusIsLimitedToAManagersDepartments) {
  std::string maud = server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"});
  Enrolled("SN-1");
  v1::GetDeviceStatusRequest request;
  request.set_device("SN-1");
  v1::GetDeviceStatusResponse out;
  EXPECT_EQ(inventory_->GetDeviceStatus(As(maud).get(), request, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  request.set_device("NOPE");
  EXPECT_EQ(inventory_->GetDeviceStatus(Admin().get(), request, &out).error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_FALSE(Status("SN-1").has_status()) << "never checked in";
}

}  // namespace
}  // namespace parc::testing
