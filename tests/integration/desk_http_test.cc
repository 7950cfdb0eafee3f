// The logistics desk's routes (daemon/http/desk_routes.h) over loopback HTTP:
// search with folded accents; every write as a manager and as an advisor is
// 403 with nothing written; as logistics over the cookie session each write
// works with the CSRF header and is refused without it (or from another
// Origin); a bearer-token script needs no CSRF header.
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "parc/v1/admin.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"
#include "tests/integration/device_fixture.h"
#include "tests/integration/http_client.h"

namespace parc::testing {
namespace {

namespace bh = boost::beast::http;

struct Write {
  std::string route;  // after /api/v1/desk/
  std::string body;
};

// A StoreReceiptRequest as the page posts it (files in base64), with a PDF
// of `pdf_size` bytes.
std::string ReceiptBody(int64_t allocation_id, size_t pdf_size = 64) {
  v1::StoreReceiptRequest request;
  request.set_allocation_id(allocation_id);
  request.set_kind(v1::RECEIPT_KIND_HANDOVER);
  request.set_signature_png(std::string("\x89PNG\r\n\x1a\n", 8) + "strokes");
  std::string pdf = "%PDF-1.7\nBon de remise D-HELD\n";
  pdf.resize(std::max(pdf_size, pdf.size()), ' ');
  request.set_pdf(pdf);
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(request, &json).ok());
  return json;
}

// One of each write route; each succeeds once for logistics on the fixture.
// The receipt is D-HELD's hand-over: the fixture's only allocation, the
// database's first.
std::vector<Write> Writes() {
  return {
      {"assign", R"({"device":"D-STOCK","employeeNumber":"E000002"})"},
      {"return", R"({"device":"D-HELD","condition":"écran fissuré","to":"LIFECYCLE_IN_REPAIR"})"},
      {"receipt", ReceiptBody(1)},
      {"lifecycle",
       R"({"device":"D-OLD","lifecycle":"LIFECYCLE_RETIRED","reason":"hors d'usage"})"},
      {"enrollment-token", R"({"uses":1,"kind":"DEVICE_KIND_TABLET"})"},
      {"import-devices?dry_run=false", "serial;asset_tag;kind\nNEW-1;A-NEW-1;tablet\n"},
      {"import-agents?dry_run=false", "Matricule;Prénom;Nom;Service\nE000077;Zoé;Lefèvre;VOIRIE\n"},
  };
}

class DeskHttpTest : public DeviceTest {
 protected:
  void SetUp() override {
    AddAgent("E000001", "PROPRETE", false);
    AddAgent("E000002", "PROPRETE", false);
    AddDevice("D-STOCK", "A-STOCK");
    AddDevice("D-HELD", "A-HELD");
    AddDevice("D-OLD", "A-OLD");
    ASSERT_TRUE(Assign("D-HELD", "E000001").ok());
    logistics_ = server_.TokenFor("lea", v1::ROLE_LOGISTICS);
    manager_ = server_.TokenFor("maud", v1::ROLE_MANAGER, {"PROPRETE"});
    advisor_ = server_.TokenFor("alice", v1::ROLE_ADVISOR);
    port_ = server_.StartHttp();
    ASSERT_NE(port_, 0);
  }

  HttpResponse Send(bh::verb verb, const std::string& target, const HttpHeaders& headers,
                    const std::string& body = "") {
    return HttpClient(port_).Send(verb, target, headers, body);
  }

  // "parc_session=..." after signing in with `token`.
  std::string SignIn(const std::string& token) {
    auto resp = Send(bh::verb::post, "/api/v1/session",
                     {{"Content-Type", "application/x-www-form-urlencoded"}}, "token=" + token);
    EXPECT_EQ(resp.result(), bh::status::no_content) << resp.body();
    std::string cookie(resp[bh::field::set_cookie]);
    return cookie.substr(0, cookie.find(';'));
  }

  std::string CsrfOf(const std::string& cookie) {
    auto resp = Send(bh::verb::get, "/api/v1/desk/csrf", {{"Cookie", cookie}});
    EXPECT_EQ(resp.result(), bh::status::ok) << resp.body();
    std::string body = resp.body();
    size_t at = body.find("\"csrf\":\"");
    EXPECT_NE(at, std::string::npos) << body;
    std::string csrf = body.substr(at + 8, 64);
    EXPECT_EQ(csrf.size(), 64u) << body;
    return csrf;
  }

  HttpResponse Post(const Write& w, const HttpHeaders& headers) {
    HttpHeaders all = headers;
    all.emplace_back("Content-Type",
                     w.route.starts_with("import") ? "text/csv" : "application/json");
    return Send(bh::verb::post, "/api/v1/desk/" + w.route, all, w.body);
  }

  // Audit events so far: every committed write appends one.
  int AuditCount() {
    v1::ListAuditEventsRequest request;
    request.set_page_size(1000);
    v1::ListAuditEventsResponse out;
    grpc::Status status = admin_->ListAuditEvents(Admin().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.events_size();
  }

  // The lifecycles of the fixture's devices and who holds them, as one string.
  std::string Inventory() {
    std::string out;
    for (const char* serial : {"D-STOCK", "D-HELD", "D-OLD", "NEW-1"}) {
      v1::GetDeviceRequest request;
      request.set_device(serial);
      v1::Device d;
      grpc::Status status = inventory_->GetDevice(Admin().get(), request, &d);
      out += std::string(serial) + "=" +
             (status.ok() ? v1::Lifecycle_Name(d.lifecycle()) + "/" + d.holder_employee_number()
                          : "absent") +
             " ";
    }
    return out;
  }

  int port_ = 0;
  std::string logistics_, manager_, advisor_;
};

TEST_F(DeskHttpTest, SearchFindsPeopleWithOrWithoutAccentsAndDevicesByTag) {
  auto resp = Send(bh::verb::get, "/api/v1/desk/search?query=HELENE%20le",
                   {{"Authorization", "Bearer " + logistics_}});
  ASSERT_EQ(resp.result(), bh::status::ok) << resp.body();
  v1::SearchResponse found;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(resp.body(), &found).ok());
  EXPECT_EQ(found.agents_size(), 2);
  resp = Send(bh::verb::get, "/api/v1/desk/search?query=a-st",
              {{"Authorization", "Bearer " + logistics_}});
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(resp.body(), &found).ok());
  ASSERT_EQ(found.devices_size(), 1);
  EXPECT_EQ(found.devices(0).serial(), "D-STOCK");
}

TEST_F(DeskHttpTest, ManagersAndAdvisorsGet403AndNothingIsWritten) {
  const std::string before = Inventory();
  const int audit = AuditCount();
  for (const std::string* token : {&manager_, &advisor_}) {
    std::string cookie = SignIn(*token);
    std::string csrf = CsrfOf(cookie);
    for (const Write& w : Writes()) {
      // With the session and its CSRF token, as the page would send it...
      auto resp = Post(w, {{"Cookie", cookie}, {"X-Parc-Csrf", csrf}});
      EXPECT_EQ(resp.result(), bh::status::forbidden) << w.route << ": " << resp.body();
      // ...and as a script with the bearer token.
      resp = Post(w, {{"Authorization", "Bearer " + *token}});
      EXPECT_EQ(resp.result(), bh::status::forbidden) << w.route << ": " << resp.body();
    }
  }
  EXPECT_EQ(Inventory(), before);
  EXPECT_EQ(AuditCount(), audit);
}

TEST_F(DeskHttpTest, WritesOverTheCookieNeedTheCsrfHeaderAndThisOrigin) {
  std::string cookie = SignIn(logistics_);
  std::string csrf = CsrfOf(cookie);
  const std::string before = Inventory();
  const int audit = AuditCount();
  for (const Write& w : Writes()) {
    auto resp = Post(w, {{"Cookie", cookie}});
    EXPECT_EQ(resp.result(), bh::status::forbidden) << w.route << ": " << resp.body();
    resp = Post(w, {{"Cookie", cookie}, {"X-Parc-Csrf", std::string(64, '0')}});
    EXPECT_EQ(resp.result(), bh::status::forbidden) << w.route;
    resp = Post(w, {{"Cookie", cookie}, {"X-Parc-Csrf", csrf}, {"Origin", "https://evil.example"}});
    EXPECT_EQ(resp.result(), bh::status::forbidden) << w.route;
    // Another session's CSRF token does not open this one.
    std::string other = CsrfOf(SignIn(logistics_));
    resp = Post(w, {{"Cookie", cookie}, {"X-Parc-Csrf", other}});
    EXPECT_EQ(resp.result(), bh::status::forbidden) << w.route;
  }
  EXPECT_EQ(Inventory(), before);
  EXPECT_EQ(AuditCount(), audit);
}

TEST_F(DeskHttpTest, LogisticsWritesWorkThroughTheServices) {
  std::string cookie = SignIn(logistics_);
  std::string csrf = CsrfOf(cookie);
  const int audit = AuditCount();
  for (const Write& w : Writes()) {
    auto resp =
        Post(w, {{"Cookie", cookie}, {"X-Parc-Csrf", csrf}, {"Origin", "http://127.0.0.1"}});
    EXPECT_EQ(resp.result(), bh::status::ok) << w.route << ": " << resp.body();
  }
  EXPECT_EQ(Inventory(),
            "D-STOCK=LIFECYCLE_ASSIGNED/E000002 D-HELD=LIFECYCLE_IN_REPAIR/ "
            "D-OLD=LIFECYCLE_RETIRED/ NEW-1=LIFECYCLE_IN_STOCK/ ");
  EXPECT_GE(AuditCount(), audit + static_cast<int>(Writes().size()));
  // The lifecycle rules are the server's: a retired device cannot be handed over.
  auto refused = Post({"assign", R"({"device":"D-OLD","employeeNumber":"E000001"})"},
                      {{"Authorization", "Bearer " + logistics_}});
  EXPECT_EQ(refused.result(), bh::status::bad_request) << refused.body();
  EXPECT_NE(refused.body().find("FAILED_PRECONDITION"), std::string::npos) << refused.body();
}

// A whole city's staff file, dropped on the desk (~0.5 MB here), is read.
TEST_F(DeskHttpTest, AStaffFileOfTheWholeCityCanBeDropped) {
  std::string csv = "Matricule;Prénom;Nom;Service\n";
  for (int i = 0; i < 6500; ++i) {
    csv += fmt::format("E{:06};Prénom{};Nom de famille {};Voirie et espaces publics\n", 100000 + i,
                       i, i);
  }
  ASSERT_GT(csv.size(), 400'000u);
  auto resp = Post({"import-agents", csv}, {{"Authorization", "Bearer " + logistics_}});
  ASSERT_EQ(resp.result(), bh::status::ok) << resp.body().substr(0, 300);
  v1::ImportResult result;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(resp.body(), &result).ok());
  EXPECT_EQ(result.created(), 6500);
  EXPECT_FALSE(result.applied());  // a dry run
}

TEST_F(DeskHttpTest, ADryRunImportWritesNothingAndNamesTheRefusedLine) {
  const int audit = AuditCount();
  auto resp = Post({"import-devices", "serial;asset_tag;kind\nNEW-1;A-NEW-1;tablet\n;A-X;tablet\n"},
                   {{"Authorization", "Bearer " + logistics_}});
  ASSERT_EQ(resp.result(), bh::status::ok) << resp.body();
  v1::ImportResult result;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(resp.body(), &result).ok());
  ASSERT_EQ(result.problems_size(), 1) << resp.body();
  EXPECT_EQ(result.problems(0).line(), 3);
  EXPECT_EQ(AuditCount(), audit);
  EXPECT_NE(Inventory().find("NEW-1=absent"), std::string::npos);
}

TEST_F(DeskHttpTest, ASignedReceiptIsStoredAndDownloadedAsAFrenchNamedPdf) {
  std::string cookie = SignIn(logistics_);
  std::string csrf = CsrfOf(cookie);
  // Larger than the desk's usual 16 KiB body: the receipt route allows 4 MiB.
  auto resp =
      Post({"receipt", ReceiptBody(1, 300 * 1024)}, {{"Cookie", cookie}, {"X-Parc-Csrf", csrf}});
  ASSERT_EQ(resp.result(), bh::status::ok) << resp.body();
  v1::Receipt stored;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(resp.body(), &stored).ok());
  EXPECT_EQ(stored.device_serial(), "D-HELD");

  resp = Send(bh::verb::get, "/api/v1/desk/receipts?device=A-HELD", {{"Cookie", cookie}});
  ASSERT_EQ(resp.result(), bh::status::ok) << resp.body();
  EXPECT_NE(resp.body().find(stored.pdf_sha256()), std::string::npos) << resp.body();

  resp = Send(bh::verb::get, "/api/v1/desk/receipt-file?sha256=" + stored.pdf_sha256(),
              {{"Cookie", cookie}});
  ASSERT_EQ(resp.result(), bh::status::ok) << resp.body();
  EXPECT_EQ(resp[bh::field::content_type], "application/pdf");
  EXPECT_EQ(resp[bh::field::content_disposition],
            "attachment; filename=\"" + stored.file_name() + "\"");
  EXPECT_TRUE(stored.file_name().starts_with("bon-de-remise-D-HELD-")) << stored.file_name();
  EXPECT_TRUE(resp.body().starts_with("%PDF-1.7\nBon de remise D-HELD"));
  EXPECT_EQ(resp.body().size(), 300u * 1024);

  // A manager reads neither the list nor the files.
  resp = Send(bh::verb::get, "/api/v1/desk/receipt-file?sha256=" + stored.pdf_sha256(),
              {{"Authorization", "Bearer " + manager_}});
  EXPECT_EQ(resp.result(), bh::status::forbidden) << resp.body();
  // A PDF over 2 MiB reaches the service (the body fits the route's limit),
  // which names the field.
  resp = Post({"receipt", ReceiptBody(1, 2 * 1024 * 1024 + 1)},
              {{"Cookie", cookie}, {"X-Parc-Csrf", csrf}});
  EXPECT_EQ(resp.result(), bh::status::bad_request);
  EXPECT_NE(resp.body().find("pdf: "), std::string::npos) << resp.body();
}

TEST_F(DeskHttpTest, ReadsNeedASessionAndGetsAreNotWrites) {
  EXPECT_EQ(Send(bh::verb::get, "/api/v1/desk/device?device=D-HELD", {}).result(),
            bh::status::unauthorized);
  auto resp = Send(bh::verb::get, "/api/v1/desk/device?device=D-HELD",
                   {{"Authorization", "Bearer " + logistics_}});
  EXPECT_EQ(resp.result(), bh::status::ok) << resp.body();
  EXPECT_NE(resp.body().find("E000001"), std::string::npos) << resp.body();
  EXPECT_EQ(Send(bh::verb::get, "/api/v1/desk/assign", {{"Authorization", "Bearer " + logistics_}})
                .result(),
            bh::status::method_not_allowed);
}

}  // namespace
}  // namespace parc::testing
