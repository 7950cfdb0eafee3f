// Enrollment over gRPC: tokens, linking and creating devices, revocation, the
// failure rate limit, and how device credentials meet the permission table.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "tests/integration/device_fixture.h"

namespace parc::testing {
namespace {

using grpc::StatusCode;

class EnrollmentTest : public DeviceTest {};

TEST_F(EnrollmentTest, ThreeUseTokenEnrollsThreeDevicesAndRefusesAFourth) {
  std::string token = Token(3);
  EXPECT_TRUE(token.starts_with("parcenroll_"));
  std::set<int64_t> ids;
  for (const char* serial : {"SN-A", "SN-B", "SN-C"}) {
    v1::EnrollResponse out;
    ASSERT_TRUE(Enroll(token, serial, &out).ok()) << serial;
    EXPECT_TRUE(out.credential().starts_with("parcdev_"));
    EXPECT_EQ(out.checkin_interval_seconds(), 300);
    ids.insert(out.device_id());
  }
  EXPECT_EQ(ids.size(), 3u);
  grpc::Status fourth = Enroll(token, "SN-D");
  EXPECT_EQ(fourth.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(fourth.error_message(), "enrollment token used up");
  v1::Device created = GetDevice("SN-B");
  EXPECT_EQ(created.lifecycle(), v1::LIFECYCLE_IN_STOCK);
  EXPECT_EQ(created.enrollment(), v1::ENROLLMENT_STATE_ENROLLED);
  auto audit = Audit("device:SN-B");
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front().action(), "device.enroll");
  EXPECT_TRUE(audit.front().actor().starts_with("enrollment-token:"));
  EXPECT_EQ(audit.front().summary().find("parcdev_"), std::string::npos);
}

TEST_F(EnrollmentTest, UnknownAndExpiredTokensAreUnauthenticated) {
  grpc::Status unknown = Enroll("parcenroll_" + std::string(43, 'x'), "SN-1");
  EXPECT_EQ(unknown.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_message(), "unknown enrollment token");
  EXPECT_EQ(Enroll("", "SN-1").error_code(), StatusCode::UNAUTHENTICATED);

  std::string token = Token(1, 3600);
  server_.clock().Advance(3601 * 1000);
  grpc::Status expired = Enroll(token, "SN-1");
  EXPECT_EQ(expired.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(expired.error_message(), "enrollment token expired");
}

TEST_F(EnrollmentTest, TokenLimitsAndSiteBindingAreChecked) {
  v1::CreateEnrollmentTokenResponse out;
  for (auto [uses, ttl, site] :
       {std::tuple{10001, 0L, ""}, {-1, 0L, ""}, {1, 91L * 24 * 3600, ""}, {1, -5L, ""}}) {
    v1::CreateEnrollmentTokenRequest request;
    request.set_uses(uses);
    request.set_ttl_seconds(ttl);
    EXPECT_EQ(inventory_->CreateEnrollmentToken(Admin().get(), request, &out).error_code(),
              StatusCode::INVALID_ARGUMENT)
        << uses << " " << ttl;
  }
  v1::CreateEnrollmentTokenRequest request;
  request.set_site("NOWHERE");
  EXPECT_EQ(inventory_->CreateEnrollmentToken(Admin().get(), request, &out).error_code(),
            StatusCode::NOT_FOUND);
  auto audit = Audit("");
  for (const auto& event : audit) EXPECT_EQ(event.summary().find("parcenroll_"), std::string::npos);
}

TEST_F(EnrollmentTest, TokenBindsSiteAndKindOfNewDevices) {
  v1::CreateSiteRequest site;
  site.mutable_site()->set_code("CTM-NORD");
  site.mutable_site()->set_name("Centre technique nord");
  v1::Site created_site;
  ASSERT_TRUE(inventory_->CreateSite(Admin().get(), site, &created_site).ok());
  std::string token = Token(2, 0, "ctm-nord", v1::DEVICE_KIND_SHARED_PC);
  EXPECT_EQ(Enroll(token, "PC-1", nullptr, v1::DEVICE_KIND_TABLET).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Enroll(token, "PC-1", nullptr, v1::DEVICE_KIND_UNSPECIFIED).ok());
  v1::Device pc = GetDevice("PC-1");
  EXPECT_EQ(pc.site(), "CTM-NORD");
  EXPECT_EQ(pc.kind(), v1::DEVICE_KIND_SHARED_PC);
}

TEST_F(EnrollmentTest, KnownSerialIsLinkedAndTheOldCredentialDies) {
  v1::Device known = AddDevice("R52T1234ABC", "PARC-0042");
  v1::EnrollResponse first, second;
  ASSERT_TRUE(Enroll(Token(), "R52T1234ABC", &first).ok());
  EXPECT_EQ(first.device_id(), known.id());
  EXPECT_EQ(first.asset_tag(), "PARC-0042");
  EXPECT_TRUE(CheckIn(first.credential(), {StatusReport(1)}).ok());

  ASSERT_TRUE(Enroll(Token(), "R52T1234ABC", &second).ok());
  EXPECT_EQ(second.device_id(), known.id());
  EXPECT_NE(second.credential(), first.credential());
  EXPECT_EQ(CheckIn(first.credential(), {StatusReport(2)}).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(CheckIn(second.credential(), {StatusReport(2)}).ok());

  v1::ListDevicesRequest list;
  list.set_query("R52T1234ABC");
  v1::ListDevicesResponse devices;
  ASSERT_TRUE(inventory_->ListDevices(Admin().get(), list, &devices).ok());
  EXPECT_EQ(devices.devices_size(), 1);
}

TEST_F(EnrollmentTest, RevokedDeviceIsRefusedAtOnceUntilAnOperatorAllowsIt) {
  std::string credential = Enrolled("SN-R");
  ASSERT_TRUE(CheckIn(credential, {StatusReport(1)}).ok());
  v1::RevokeDeviceRequest revoke;
  revoke.set_device("SN-R");
  revoke.set_reason("stolen");
  v1::Device out;
  ASSERT_TRUE(inventory_->RevokeDevice(Admin().get(), revoke, &out).ok());
  EXPECT_EQ(out.enrollment(), v1::ENROLLMENT_STATE_REVOKED);
  EXPECT_EQ(CheckIn(credential, {StatusReport(2)}).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(inventory_->RevokeDevice(Admin().get(), revoke, &out).error_code(),
            StatusCode::FAILED_PRECONDITION);

  grpc::Status again = Enroll(Token(), "SN-R");
  EXPECT_EQ(again.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(again.error_message(), "device was revoked; an operator must allow enrollment");

  v1::AllowEnrollmentRequest allow;
  allow.set_device("SN-R");
  ASSERT_TRUE(inventory_->AllowEnrollment(Admin().get(), allow, &out).ok());
  EXPECT_EQ(out.enrollment(), v1::ENROLLMENT_STATE_REENROLL_ALLOWED);
  EXPECT_EQ(inventory_->AllowEnrollment(Admin().get(), allow, &out).error_code(),
            StatusCode::FAILED_PRECONDITION);
  v1::EnrollResponse back;
  ASSERT_TRUE(Enroll(Token(), "SN-R", &back).ok());
  EXPECT_TRUE(CheckIn(back.credential(), {StatusReport(3)}).ok());
  EXPECT_EQ(CheckIn(credential, {StatusReport(4)}).error_code(), StatusCode::UNAUTHENTICATED);

  std::vector<std::string> actions;
  for (const auto& e : Audit("device:SN-R")) actions.push_back(e.action());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "device.revoke"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "device.allow_enrollment"), actions.end());
}

TEST_F(EnrollmentTest, BadHardwareIdentityNamesTheField) {
  std::string token = Token();
  grpc::Status missing = Enroll(token, "");
  EXPECT_EQ(missing.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(missing.error_message(), "serial: required");
  EXPECT_EQ(Enroll(token, "SN\n1").error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Enroll(token, std::string(300, 'S')).error_code(), StatusCode::INVALID_ARGUMENT);
  v1::EnrollRequest request;
  request.set_token(token);
  request.set_serial("SN-OK");
  request.set_model(std::string("Tab\x01", 4));
  v1::EnrollResponse out;
  grpc::ClientContext ctx;
  grpc::Status bad_model = device_->Enroll(&ctx, request, &out);
  EXPECT_EQ(bad_model.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(bad_model.error_message().starts_with("model:")) << bad_model.error_message();
  EXPECT_TRUE(Enroll(token, "SN-OK").ok()) << "failed attempts do not spend the token";
}

TEST_F(EnrollmentTest, RepeatedFailuresFromOnePeerAreRateLimited) {
  std::string token = Token();
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Enroll("parcenroll_wrong" + std::to_string(i), "SN-X").error_code(),
              StatusCode::UNAUTHENTICATED);
  }
  grpc::Status limited = Enroll(token, "SN-X");
  EXPECT_EQ(limited.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(limited.error_message(),
            "too many failed authentications from this address; retry in 6 s");
  server_.clock().Advance(61'000);
  EXPECT_TRUE(Enroll(token, "SN-X").ok());
}

}  // namespace
}  // namespace parc::testing
