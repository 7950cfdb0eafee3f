// What `parcctl devices show` and `devices status` print about a device's
// reports, without a server.
#include "cli/device_status.h"

#include <gtest/gtest.h>

#include <sstream>

namespace parc::cli {
namespace {

constexpr int64_t kNow = 1'780'000'000;  // 2026-05-28 20:26:40 UTC

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(seconds);
  return ts;
}

v1::GetDeviceStatusResponse Sample() {
  v1::GetDeviceStatusResponse response;
  auto* device = response.mutable_device();
  device->set_serial("SN-TAB-1");
  device->set_holder_employee_number("E000456");
  auto* s = response.mutable_status();
  *s->mutable_last_seen() = At(kNow);
  *s->mutable_collected_at() = At(kNow - 5);
  s->set_last_sequence(42);
  s->set_battery_percent(87);
  s->set_charging(true);
  s->set_storage_free_bytes(12'345'000'000);
  s->set_storage_total_bytes(64'000'000'000);
  s->set_os_version("Debian GNU/Linux 12 (bookworm)");
  s->set_agent_version("0.1.0");
  s->set_current_user("E000123");
  s->set_ip_address("192.168.10.23");
  auto* other = response.add_sessions();
  other->set_employee_number("E000123");
  *other->mutable_started_at() = At(kNow - 600);
  other->set_not_the_holder(true);
  auto* own = response.add_sessions();
  own->set_employee_number("E000456");
  *own->mutable_started_at() = At(kNow - 7200);
  *own->mutable_ended_at() = At(kNow - 3600);
  auto* status = response.add_recent();
  status->set_sequence(42);
  *status->mutable_collected_at() = At(kNow - 5);
  status->mutable_status()->set_battery_percent(87);
  status->mutable_status()->set_storage_free_bytes(12'345'000'000);
  status->mutable_status()->set_current_user("E000123");
  auto* login = response.add_recent();
  login->set_sequence(41);
  *login->mutable_collected_at() = At(kNow - 600);
  login->mutable_usage()->set_employee_number("E000123");
  login->mutable_usage()->set_login(true);
  return response;
}

std::string Print(const v1::GetDeviceStatusResponse& response) {
  std::ostringstream out;
  PrintDeviceStatus(out, response);
  return out.str();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DeviceStatusTest, ShowsTheLatestStatusInUnitsPeopleRead) {
  std::string out = Print(Sample());
  EXPECT_TRUE(Has(out, "last seen        2026-05-28 20:26")) << out;
  EXPECT_TRUE(Has(out, "battery          87% (charging)")) << out;
  EXPECT_TRUE(Has(out, "storage free     12.3 GB of 64.0 GB")) << out;
  EXPECT_TRUE(Has(out, "os version       Debian GNU/Linux 12 (bookworm)")) << out;
  EXPECT_TRUE(Has(out, "agent version    0.1.0")) << out;
  EXPECT_TRUE(Has(out, "ip address       192.168.10.23")) << out;
  EXPECT_TRUE(Has(out, "last sequence    42")) << out;
}

TEST(DeviceStatusTest, FlagsUseBySomeoneOtherThanTheHolder) {
  std::string out = Print(Sample());
  EXPECT_TRUE(Has(out, "current user     E000123  \u26a0 used by E000123, assigned to E000456"))
      << out;
  EXPECT_TRUE(Has(out,
                  "E000123   2026-05-28 20:16  (open)            \u26a0 used by E000123, "
                  "assigned to E000456"))
      << out;
  // The holder's own session carries no warning.
  EXPECT_TRUE(Has(out, "E000456   2026-05-28 18:26  2026-05-28 19:26\n")) << out;
}

TEST(DeviceStatusTest, NoWarningWhenTheHolderUsesIt) {
  auto response = Sample();
  response.mutable_status()->set_current_user("E000456");
  response.mutable_sessions(0)->set_not_the_holder(false);
  EXPECT_FALSE(Has(Print(response), "\u26a0"));
  // A shared PC has no personal holder: nobody is "someone else".
  auto shared = Sample();
  shared.mutable_device()->clear_holder_employee_number();
  shared.mutable_device()->set_holder_site("CTM-NORD");
  EXPECT_EQ(CurrentUserWarning(shared.status(), shared.device()), "");
}

TEST(DeviceStatusTest, ServerFlagWithoutAHolderStillWarns) {
  v1::UsageSession session;
  session.set_employee_number("E000123");
  session.set_not_the_holder(true);
  EXPECT_EQ(UsageWarning(session, ""), "\u26a0 used by E000123, not the holder");
  EXPECT_EQ(UsageWarning(session, "E000456"), "\u26a0 used by E000123, assigned to E000456");
}

TEST(DeviceStatusTest, ListsRecentReportsNewestFirst) {
  std::string out = Print(Sample());
  size_t status =
      out.find("42   2026-05-28 20:26  status  battery 87%, 12.3 GB free, user E000123");
  size_t login = out.find("41   2026-05-28 20:16  usage   login E000123");
  ASSERT_NE(status, std::string::npos) << out;
  ASSERT_NE(login, std::string::npos) << out;
  EXPECT_LT(status, login);
}

TEST(DeviceStatusTest, SaysWhenADeviceNeverCheckedIn) {
  v1::GetDeviceStatusResponse response;
  response.mutable_device()->set_serial("SN-NEW");
  std::string out = Print(response);
  EXPECT_EQ(out.rfind("Status: never checked in\n", 0), 0u) << out;
  EXPECT_TRUE(Has(out, "Recent reports\nSEQ  MEASURED  KIND  DETAILS\n")) << out;
}

TEST(DeviceStatusTest, UnknownValuesReadAsUnknownOrNever) {
  EXPECT_EQ(LastSeen(google::protobuf::Timestamp{}), "never");
  EXPECT_EQ(Gigabytes(-1), "");
  EXPECT_EQ(Gigabytes(0), "0.0 GB");
  EXPECT_EQ(Gigabytes(1'500'000'000), "1.5 GB");
  auto response = Sample();
  response.mutable_status()->set_battery_percent(-1);
  response.mutable_status()->set_storage_free_bytes(-1);
  std::string out = Print(response);
  EXPECT_TRUE(Has(out, "battery          unknown")) << out;
  EXPECT_TRUE(Has(out, "storage free     unknown")) << out;
}

}  // namespace
}  // namespace parc::cli
