// parcctl's enrollment and device-status commands against a real in-process
// parcd; the devices are played by DeviceService calls made here.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>

#include "cli_test_util.h"
#include "common/enrollment_url.h"
#include "parc/v1/device.grpc.pb.h"
#include "parc/v1/inventory.pb.h"
#include "tests/support/test_server.h"

namespace parc::cli {
namespace {

using testing::CliResult;

constexpr int64_t kDayMs = 24 * 3600 * 1000;

class CliDeviceTest : public ::testing::Test {
 protected:
  CliResult Parcctl(const std::vector<std::string>& args) {
    return testing::RunParcctl(
        args, {{"PARC_ADDR", server_.address()}, {"PARC_TOKEN", server_.admin_token()}});
  }
  std::string Ok(const std::vector<std::string>& args) {
    CliResult run = Parcctl(args);
    EXPECT_EQ(run.code, 0) << run.err;
    return run.out;
  }
  // A fresh enrollment token from `enroll-token create` (inside the URL on the
  // first stdout line).
  std::string NewToken(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"enroll-token", "create", "--no-qr"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string out = Ok(args);
    return EnrollmentTokenOf(out.substr(0, out.find('\n')));
  }
  grpc::Status Enroll(const std::string& token, const std::string& serial,
                      v1::EnrollResponse* response) {
    v1::EnrollRequest request;
    request.set_token(token);
    request.set_serial(serial);
    request.set_model("Galaxy Tab A8");
    request.set_os("Android 14");
    request.set_kind(v1::DEVICE_KIND_TABLET);
    grpc::ClientContext context;
    return stub_->Enroll(&context, request, response);
  }
  std::string EnrollOk(const std::string& token, const std::string& serial) {
    v1::EnrollResponse response;
    grpc::Status status = Enroll(token, serial, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.credential();
  }
  grpc::Status CheckIn(const std::string& credential, const std::vector<v1::Report>& reports) {
    v1::CheckInRequest request;
    for (const auto& report : reports) *request.add_reports() = report;
    v1::CheckInResponse response;
    auto context = parc::testing::TestServer::Context(credential);
    return stub_->CheckIn(context.get(), request, &response);
  }
  static v1::Report Status(uint64_t sequence, const std::string& user = "") {
    v1::Report report;
    report.set_sequence(sequence);
    report.mutable_collected_at()->set_seconds(1'780'000'000);
    auto* s = report.mutable_status();
    s->set_battery_percent(87);
    s->set_charging(true);
    s->set_storage_total_bytes(64'000'000'000);
    s->set_storage_free_bytes(12'345'000'000);
    s->set_os_name("Android");
    s->set_os_version("14");
    s->set_agent_version("0.1.0");
    s->set_ip_address("192.168.10.23");
    s->set_current_user(user);
    return report;
  }
  static v1::Report Usage(uint64_t sequence, const std::string& employee, bool login) {
    v1::Report report;
    report.set_sequence(sequence);
    report.mutable_collected_at()->set_seconds(1'780'000'000);
    report.mutable_usage()->set_employee_number(employee);
    report.mutable_usage()->set_login(login);
    return report;
  }

  parc::testing::TestServer server_;
  std::unique_ptr<v1::DeviceService::Stub> stub_ = v1::DeviceService::NewStub(server_.Channel());
};

TEST_F(CliDeviceTest, EnrollTokenIsPrintedOnceAsTextQrCodeAndPng) {
  auto png = server_.dir() / "token.png";
  CliResult run =
      Parcctl({"enroll-token", "create", "--uses", "3", "--expires", "7d", "--png", png.string()});
  ASSERT_EQ(run.code, 0) << run.err;
  ASSERT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << run.out;  // the URL alone
  std::string url = run.out.substr(0, run.out.size() - 1);
  ASSERT_TRUE(url.starts_with("http://127.0.0.1:8080/apprendre/?enroll=parcenroll_")) << url;
  std::string token = EnrollmentTokenOf(url);
  EXPECT_NE(run.err.find("3 uses, expires"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("will not be shown again"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("\u2588\u2588\u2588\u2588"), std::string::npos) << run.err;  // the QR
  EXPECT_EQ(run.err.find(token), std::string::npos) << "the secret belongs on stdout only";
  std::ifstream in(png, std::ios::binary);
  std::string signature(8, '\0');
  in.read(signature.data(), 8);
  EXPECT_EQ(signature, std::string("\x89PNG\r\n\x1a\n", 8));
  for (const char* serial : {"SN-1", "SN-2", "SN-3"}) EnrollOk(token, serial);
  v1::EnrollResponse fourth;
  EXPECT_FALSE(Enroll(token, "SN-4", &fourth).ok());
}

TEST_F(CliDeviceTest, JsonTokenCarriesIdUsesAndExpiry) {
  std::string json = Ok({"--json", "enroll-token", "create", "--uses", "2", "--kind", "tablet"});
  v1::CreateEnrollmentTokenResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &response).ok()) << json;
  EXPECT_EQ(response.uses(), 2);
  EXPECT_FALSE(response.token().empty());
  EXPECT_TRUE(response.has_expires_at());
  EXPECT_EQ(response.url(), "http://127.0.0.1:8080/apprendre/?enroll=" + response.token());
}

TEST_F(CliDeviceTest, ListShowsEnrollmentAndLastSeenAndFiltersStale) {
  Ok({"devices", "add", "SN-SHELF", "--kind", "tablet"});
  std::string credential = EnrollOk(NewToken(), "SN-LIVE");
  ASSERT_TRUE(CheckIn(credential, {Status(1)}).ok());
  std::string list = Ok({"devices", "list"});
  EXPECT_NE(list.find("ENROLLED"), std::string::npos) << list;
  EXPECT_NE(list.find("LAST SEEN"), std::string::npos) << list;
  auto line_of = [&](const std::string& serial) {
    size_t at = list.find(serial);
    return at == std::string::npos ? "" : list.substr(at, list.find('\n', at) - at);
  };
  EXPECT_NE(line_of("SN-SHELF").find("  no  "), std::string::npos) << list;
  EXPECT_NE(line_of("SN-SHELF").find("never"), std::string::npos) << list;
  EXPECT_NE(line_of("SN-LIVE").find("  yes  "), std::string::npos) << list;
  EXPECT_NE(line_of("SN-LIVE").find("2026-"), std::string::npos) << list;

  EXPECT_EQ(Ok({"devices", "list", "--stale", "7d"}).find("SN-LIVE"), std::string::npos);
  server_.clock().Advance(8 * kDayMs);
  std::string stale = Ok({"devices", "list", "--stale", "7d"});
  EXPECT_NE(stale.find("SN-LIVE"), std::string::npos) << stale;
  EXPECT_EQ(stale.find("SN-SHELF"), std::string::npos) << "not enrolled: not stale";
}

TEST_F(CliDeviceTest, ShowPrintsStatusSessionsAndFlagsSomeoneElse) {
  Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
  for (const char* employee : {"E000456", "E000123"}) {
    Ok({"agents", "add", employee, "--first-name", "Camille", "--last-name", "Martin",
        "--department", "PROPRETE", "--site", "CTM-NORD"});
  }
  Ok({"devices", "add", "SN-TAB-1", "--kind", "tablet", "--asset-tag", "TAB-0001"});
  Ok({"assign", "TAB-0001", "E000456"});
  std::string credential = EnrollOk(NewToken(), "SN-TAB-1");
  ASSERT_TRUE(CheckIn(credential, {Usage(1, "E000123", true), Status(2, "E000123")}).ok());

  std::string show = Ok({"devices", "show", "TAB-0001"});
  EXPECT_NE(show.find("enrolled      yes"), std::string::npos) << show;
  EXPECT_NE(show.find("battery          87% (charging)"), std::string::npos) << show;
  EXPECT_NE(show.find("storage free     12.3 GB of 64.0 GB"), std::string::npos) << show;
  EXPECT_NE(show.find("agent version    0.1.0"), std::string::npos) << show;
  EXPECT_NE(show.find("ip address       192.168.10.23"), std::string::npos) << show;
  EXPECT_NE(show.find("\u26a0 used by E000123, assigned to E000456"), std::string::npos) << show;
  EXPECT_NE(show.find("login E000123"), std::string::npos) << show;
  EXPECT_NE(show.find("Allocations"), std::string::npos) << show;

  std::string json = Ok({"--json", "devices", "status", "TAB-0001"});
  v1::GetDeviceStatusResponse status;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &status).ok()) << json;
  EXPECT_EQ(status.status().last_sequence(), 2u);
  EXPECT_EQ(status.recent_size(), 2);
  ASSERT_GE(status.sessions_size(), 1);
  EXPECT_TRUE(status.sessions(0).not_the_holder());
}

TEST_F(CliDeviceTest, RevokeStopsTheCredentialAndAllowEnrollLetsItBack) {
  Ok({"devices", "add", "SN-TAB-2", "--kind", "tablet", "--asset-tag", "TAB-0002"});
  std::string credential = EnrollOk(NewToken(), "SN-TAB-2");
  ASSERT_TRUE(CheckIn(credential, {Status(1)}).ok());
  std::string revoked = Ok({"devices", "revoke", "TAB-0002", "--reason", "volée"});
  EXPECT_NE(revoked.find("TAB-0002 revoked"), std::string::npos) << revoked;
  EXPECT_EQ(CheckIn(credential, {Status(2)}).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(Ok({"devices", "show", "TAB-0002"}).find("enrolled      revoked"), std::string::npos);

  v1::EnrollResponse again;
  EXPECT_FALSE(Enroll(NewToken(), "SN-TAB-2", &again).ok()) << "revoked: no re-enrollment";
  std::string allowed = Ok({"devices", "allow-enroll", "TAB-0002"});
  EXPECT_NE(allowed.find("may enroll again"), std::string::npos) << allowed;
  std::string fresh = EnrollOk(NewToken(), "SN-TAB-2");
  EXPECT_TRUE(CheckIn(fresh, {Status(1)}).ok());
}

TEST_F(CliDeviceTest, UnknownDeviceIsAnError) {
  CliResult revoke = Parcctl({"devices", "revoke", "NOPE"});
  EXPECT_EQ(revoke.code, 1);
  EXPECT_NE(revoke.err.find("NOPE"), std::string::npos) << revoke.err;
  EXPECT_EQ(Parcctl({"devices", "status", "NOPE"}).code, 1);
}

}  // namespace
}  // namespace parc::cli
