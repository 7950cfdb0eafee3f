// Issue 18: fail-open authentication. The credential look-up fails in the
// real store, by a real SQLite I/O error (tests/support/fault_vfs.h: every
// page read of the database fails): the caller must be answered
// UNAVAILABLE or UNAUTHENTICATED, never OK, over gRPC and HTTP; a store error
// is not a failed authentication (no rate limit counts it); and once the disk
// reads again, the same calls are served.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "parc/v1/admin.grpc.pb.h"
#include "parc/v1/device.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"
#include "tests/integration/http_client.h"
#include "tests/support/fault_vfs.h"
#include "tests/support/test_server.h"

namespace parc::testing {
namespace {

namespace bh = boost::beast::http;
using grpc::StatusCode;

class FailOpenTest : public ::testing::Test {
 protected:
  FailOpenTest() : vfs_(FaultVfs::Install()) {
    Config config;
    config.auth_failures_per_peer = 1;  // a store error counted as a failure would show
    config.auth_failures_per_token = 1;
    server_ = std::make_unique<TestServer>(TestServer::Options{.config = config});
    admin_ = v1::AdminService::NewStub(server_->Channel());
    inventory_ = v1::InventoryService::NewStub(server_->Channel());
    device_ = v1::DeviceService::NewStub(server_->Channel());
  }
  ~FailOpenTest() override { vfs_.Disarm(); }

  grpc::Status WhoAmI(const std::string& token) {
    v1::Operator me;
    return admin_->WhoAmI(TestServer::Context(token).get(), v1::WhoAmIRequest(), &me);
  }
  grpc::Status CheckIn(const std::string& credential) {
    v1::CheckInResponse out;
    return device_->CheckIn(TestServer::Context(credential).get(), v1::CheckInRequest(), &out);
  }
  grpc::Status Enroll(const std::string& token, const std::string& serial,
                      v1::EnrollResponse* out) {
    v1::EnrollRequest request;
    request.set_token(token);
    request.set_serial(serial);
    request.set_kind(v1::DEVICE_KIND_TABLET);
    grpc::ClientContext ctx;
    return device_->Enroll(&ctx, request, out);
  }
  std::string Token(int uses) {
    v1::CreateEnrollmentTokenRequest request;
    request.set_uses(uses);
    v1::CreateEnrollmentTokenResponse out;
    EXPECT_TRUE(inventory_
                    ->CreateEnrollmentToken(TestServer::Context(server_->admin_token()).get(),
                                            request, &out)
                    .ok());
    return out.token();
  }
  // A write: every read connection's page cache is then stale, so the next
  // look-up reads the file (where the faults are).
  void Write(const std::string& code) {
    v1::CreateSiteRequest request;
    request.mutable_site()->set_code(code);
    request.mutable_site()->set_name(code);
    v1::Site out;
    ASSERT_TRUE(
        inventory_->CreateSite(TestServer::Context(server_->admin_token()).get(), request, &out)
            .ok());
  }

  static bool Closed(StatusCode code) {
    return code == StatusCode::UNAVAILABLE || code == StatusCode::UNAUTHENTICATED;
  }

  FaultVfs& vfs_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::InventoryService::Stub> inventory_;
  std::unique_ptr<v1::DeviceService::Stub> device_;
};

TEST_F(FailOpenTest, ACredentialLookUpThatFailsNeverLetsTheCallerIn) {
  const std::string operator_token = server_->TokenFor("lea", v1::ROLE_LOGISTICS);
  v1::EnrollResponse enrolled;
  ASSERT_TRUE(Enroll(Token(1), "SN-1", &enrolled).ok());
  const std::string enroll_token = Token(5);
  const int port = server_->StartHttp();
  int round = 0;
  // Not SQLITE_IOERR_SHORT_READ: to SQLite that is a successful read of zeros
  // past the end, i.e. a disk that lies; it answers "malformed" (INTERNAL,
  // never OK) and a checkpoint may copy the zeros for good.
  for (int code : {SQLITE_IOERR_READ, SQLITE_IOERR, SQLITE_IOERR_NOMEM}) {
    SCOPED_TRACE("code " + std::to_string(code));
    // Should a failing read ever make a credential look unknown, that one
    // is a failed authentication, and is counted.
    bool refused_as_unknown = false;
    auto Closed = [&](StatusCode c) {
      refused_as_unknown |= c == StatusCode::UNAUTHENTICATED;
      return FailOpenTest::Closed(c);
    };
    auto faulty = [&] {
      Write("SITE-" + std::to_string(++round));  // also forgets cached device credentials
      vfs_.Arm(FaultVfs::Op::kRead, 1, code, /*persist=*/true);
    };
    faulty();
    grpc::Status status = WhoAmI(operator_token);
    EXPECT_TRUE(Closed(status.error_code()))
        << status.error_code() << " " << status.error_message();
    EXPECT_GT(vfs_.Fired(), 0) << "the look-up read the file";
    vfs_.Disarm();

    faulty();
    status = CheckIn(enrolled.credential());
    EXPECT_TRUE(Closed(status.error_code()))
        << status.error_code() << " " << status.error_message();
    EXPECT_GT(vfs_.Fired(), 0);
    vfs_.Disarm();

    faulty();
    v1::EnrollResponse out;
    status = Enroll(enroll_token, "SN-X" + std::to_string(round), &out);
    EXPECT_TRUE(Closed(status.error_code()))
        << status.error_code() << " " << status.error_message();
    EXPECT_TRUE(out.credential().empty());
    vfs_.Disarm();

    faulty();
    HttpResponse signin = HttpClient(port).Send(
        bh::verb::post, "/api/v1/session", {{"Content-Type", "application/x-www-form-urlencoded"}},
        "token=" + operator_token);
    EXPECT_TRUE(signin.result_int() == 503 || signin.result_int() == 401) << signin.body();
    refused_as_unknown |= signin.result_int() == 401;
    EXPECT_TRUE(HeaderOf(signin, bh::field::set_cookie).empty());
    HttpResponse check_in =
        HttpClient(port).Send(bh::verb::post, "/api/v1/device/check-in",
                              {{"Content-Type", "application/json"},
                               {"Authorization", "Bearer " + enrolled.credential()}},
                              "{}");
    EXPECT_TRUE(check_in.result_int() == 503 || check_in.result_int() == 401) << check_in.body();
    refused_as_unknown |= check_in.result_int() == 401;
    vfs_.Disarm();
    if (refused_as_unknown) server_->clock().Advance(60'000);

    // The disk reads again: served, and none of the refusals above counted
    // as a failed authentication (the limits are 1 per minute here).
    EXPECT_TRUE(WhoAmI(operator_token).ok());
    EXPECT_TRUE(CheckIn(enrolled.credential()).ok());
  }
  v1::EnrollResponse out;
  EXPECT_TRUE(Enroll(enroll_token, "SN-LAST", &out).ok());
}

}  // namespace
}  // namespace parc::testing
