// parcd's HTTP side (daemon/http) over real loopback HTTP with a Beast client:
// sign-in and its cookie, no data without it, JSON equal to the gRPC answers,
// a manager's scope, filters, CSV read back by the CSV parser, /healthz,
// /metrics checked by Prometheus' own promtool, and the listener's limits.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <fstream>
#include <regex>

#include "common/csv.h"
#include "parc/v1/dashboard.grpc.pb.h"
#include "tests/integration/device_fixture.h"

namespace parc::testing {
namespace {

namespace beast = boost::beast;
namespace bh = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using HttpResponse = bh::response<bh::string_body>;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// One HTTP/1.1 client connection to 127.0.0.1:port.
class Client {
 public:
  explicit Client(int port) : stream_(io_) {
    tcp::resolver resolver(io_);
    stream_.connect(resolver.resolve("127.0.0.1", std::to_string(port)));
  }

  HttpResponse Send(bh::verb verb, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    const std::string& body = "") {
    bh::request<bh::string_body> req{verb, target, 11};
    req.set(bh::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    bh::write(stream_, req);
    return Receive();
  }

  HttpResponse Receive() {
    beast::flat_buffer buffer;
    HttpResponse resp;
    beast::error_code ec;
    bh::read(stream_, buffer_, resp, ec);
    (void)buffer;
    if (ec) resp.result(bh::status::unknown);
    return resp;
  }

  beast::tcp_stream& stream() { return stream_; }

 private:
  boost::asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

template <typename Field>
std::string Header(const HttpResponse& resp, Field field) {
  auto it = resp.find(field);
  return it == resp.end() ? std::string() : std::string(it->value());
}

class HttpTest : public DeviceTest {
 protected:
  // PROPRETE: E1 (tablet T1, wave vague-1, advisor Alice), E2 (loan of
  // smartphone L1 due 2026-06-01, wave vague-2), E3 (enrolled EN-1 reporting 10 %
  // battery, vague-1). ESPACES-VERTS: E5 (tablet T2, vague-1). Then ten days.
  void SetUp() override {
    Agent("E000001", "PROPRETE", "vague-1", "Alice");
    Agent("E000002", "PROPRETE", "vague-2", "Bruno");
    Agent("E000003", "PROPRETE", "vague-1", "Bruno");
    Agent("E000005", "ESPACES-VERTS", "vague-1", "Alice");
    AddDevice("T1", "A-T1");
    AddDevice("T2", "A-T2");
    AddDevice("L1", "A-L1", v1::DEVICE_KIND_SMARTPHONE);
    ASSERT_TRUE(Assign("T1", "E000001").ok());
    ASSERT_TRUE(Assign("T2", "E000005").ok());
    ASSERT_TRUE(Assign("L1", "E000002", "2026-06-01").ok());
    std::string en1 = Enrolled("EN-1");
    ASSERT_TRUE(Assign("EN-1", "E000003").ok());
    ASSERT_TRUE(CheckIn(en1, {StatusReport(1, 10)}).ok());
    server_.clock().Advance(10 * kDayMs);
    maud_ = server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"});
    port_ = server_.StartHttp();
    ASSERT_NE(port_, 0);
  }

  void Agent(const std::string& number, const std::string& department, const std::string& wave,
             const std::string& advisor) {
    v1::CreateAgentRequest request;
    auto* a = request.mutable_agent();
    a->set_employee_number(number);
    a->set_first_name("Hélène");
    a->set_last_name("Le Goff");
    a->set_department(department);
    a->set_site("CTM-NORD");
    a->set_wave(wave);
    a->set_advisor(advisor);
    v1::Agent out;
    grpc::Status status = inventory_->CreateAgent(Admin().get(), request, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  HttpResponse Get(const std::string& target,
                   const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return Client(port_).Send(bh::verb::get, target, headers);
  }
  HttpResponse GetAs(const std::string& token, const std::string& target) {
    return Get(target, {{"Authorization", "Bearer " + token}});
  }

  // Signs in with `token`; returns "parc_session=..." for a Cookie header.
  std::string SignIn(const std::string& token) {
    auto resp = Client(port_).Send(bh::verb::post, "/api/v1/session",
                                   {{"Content-Type", "application/x-www-form-urlencoded"}},
                                   "token=" + token);
    EXPECT_EQ(resp.result(), bh::status::no_content);
    std::string cookie = Header(resp, bh::field::set_cookie);
    return cookie.substr(0, cookie.find(';'));
  }

  template <typename Resp>
  Resp FromJson(const HttpResponse& resp) {
    Resp out;
    EXPECT_EQ(resp.result(), bh::status::ok) << resp.body();
    auto status = google::protobuf::util::JsonStringToMessage(resp.body(), &out);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return out;
  }

  int port_ = 0;
  std::string maud_;
};

TEST_F(HttpTest, SignInSetsAnHttpOnlyStrictCookieThatOpensTheData) {
  auto resp = Client(port_).Send(bh::verb::post, "/api/v1/session",
                                 {{"Content-Type", "application/x-www-form-urlencoded"}},
                                 "token=" + server_.admin_token());
  ASSERT_EQ(resp.result(), bh::status::no_content) << resp.body();
  std::string cookie = Header(resp, bh::field::set_cookie);
  EXPECT_TRUE(cookie.starts_with("parc_session=")) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Max-Age=28800"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP on loopback";
  EXPECT_EQ(cookie.find(server_.admin_token()), std::string::npos) << "the token is not the id";
  std::string session = cookie.substr(0, cookie.find(';'));

  auto me = FromJson<v1::Operator>(Get("/api/v1/whoami", {{"Cookie", session}}));
  EXPECT_EQ(me.name(), "admin");

  // JSON body too; then a proxy saying https gets a Secure cookie.
  auto json =
      Client(port_).Send(bh::verb::post, "/api/v1/session",
                         {{"Content-Type", "application/json"}, {"X-Forwarded-Proto", "https"}},
                         "{\"token\": \"" + maud_ + "\"}");
  ASSERT_EQ(json.result(), bh::status::no_content) << json.body();
  EXPECT_NE(Header(json, bh::field::set_cookie).find("; Secure"), std::string::npos);

  // Signing out ends the session server-side, not only in the browser.
  auto out = Client(port_).Send(bh::verb::delete_, "/api/v1/session", {{"Cookie", session}});
  EXPECT_EQ(out.result(), bh::status::no_content);
  EXPECT_NE(Header(out, bh::field::set_cookie).find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/whoami", {{"Cookie", session}}).result(), bh::status::unauthorized);
}

TEST_F(HttpTest, SessionsExpireAndFollowTheToken) {
  std::string session = SignIn(maud_);
  server_.clock().Advance(8 * 3600 * 1000 - 1000);
  EXPECT_EQ(Get("/api/v1/whoami", {{"Cookie", session}}).result(), bh::status::ok);
  server_.clock().Advance(2000);  // 8 h after sign-in: not sliding
  EXPECT_EQ(Get("/api/v1/whoami", {{"Cookie", session}}).result(), bh::status::unauthorized);

  // A session is only as good as its token: disabling the operator ends it.
  std::string again = SignIn(maud_);
  v1::DisableOperatorRequest disable;
  disable.set_name("maud");
  v1::Operator ignored;
  ASSERT_TRUE(admin_->DisableOperator(Admin().get(), disable, &ignored).ok());
  EXPECT_EQ(Get("/api/v1/whoami", {{"Cookie", again}}).result(), bh::status::unauthorized);
}

TEST_F(HttpTest, BadTokensAreRefusedWithAJsonError) {
  auto bad = Client(port_).Send(bh::verb::post, "/api/v1/session",
                                {{"Content-Type", "application/x-www-form-urlencoded"}},
                                "token=parc_nottherightone");
  EXPECT_EQ(bad.result(), bh::status::unauthorized);
  EXPECT_EQ(Header(bad, bh::field::set_cookie), "");
  EXPECT_NE(bad.body().find("\"code\":\"UNAUTHENTICATED\""), std::string::npos) << bad.body();
  auto empty = Client(port_).Send(bh::verb::post, "/api/v1/session",
                                  {{"Content-Type", "application/x-www-form-urlencoded"}}, "x=1");
  EXPECT_EQ(empty.result(), bh::status::bad_request);
  EXPECT_NE(empty.body().find("token"), std::string::npos) << empty.body();
  // A form on another site cannot sign the browser in (login CSRF).
  auto foreign = Client(port_).Send(
      bh::verb::post, "/api/v1/session",
      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", "https://evil.example"}},
      "token=" + server_.admin_token());
  EXPECT_EQ(foreign.result(), bh::status::forbidden);
  EXPECT_EQ(Header(foreign, bh::field::set_cookie), "");
  auto own = Client(port_).Send(bh::verb::post, "/api/v1/session",
                                {{"Content-Type", "application/x-www-form-urlencoded"},
                                 {"Origin", "http://127.0.0.1:" + std::to_string(port_)},
                                 {"Host", "127.0.0.1:" + std::to_string(port_)}},
                                "token=" + server_.admin_token());
  EXPECT_EQ(own.result(), bh::status::no_content);
  auto plain = Client(port_).Send(bh::verb::post, "/api/v1/session",
                                  {{"Content-Type", "text/plain"}}, server_.admin_token());
  EXPECT_EQ(plain.result(), bh::status::unsupported_media_type);
}

TEST_F(HttpTest, NoDataWithoutASession) {
  for (std::string path :
       {"/api/v1/whoami", "/api/v1/dashboard/allocation-summary", "/api/v1/dashboard/coverage",
        "/api/v1/dashboard/stale-devices", "/api/v1/dashboard/fleet-health",
        "/api/v1/dashboard/training-funnel", "/api/v1/dashboard/overdue-loans",
        "/api/v1/dashboard/coverage.csv", "/api/v1/dashboard/overdue-loans.csv"}) {
    // Each path's refusals are failed authentications of this address and
    // token (rate limits, rate_limits_test.cc): a minute apart, they stay under.
    server_.clock().Advance(60'000);
    auto none = Get(path);
    EXPECT_EQ(none.result(), bh::status::unauthorized) << path;
    EXPECT_EQ(none.body().find("PROPRETE"), std::string::npos) << path;
    EXPECT_EQ(Get(path, {{"Cookie", "parc_session=forged"}}).result(), bh::status::unauthorized)
        << path;
    EXPECT_EQ(GetAs("parc_revoked", path).result(), bh::status::unauthorized) << path;
  }
}

TEST_F(HttpTest, JsonEqualsTheGrpcAnswers) {
  auto dashboard = v1::DashboardService::NewStub(server_.Channel());
  std::string session = SignIn(server_.admin_token());
  auto same = [&](const google::protobuf::Message& grpc_answer, const std::string& path,
                  google::protobuf::Message& http_answer) {
    auto resp = Get(path, {{"Cookie", session}});
    ASSERT_EQ(resp.result(), bh::status::ok) << path << ": " << resp.body();
    EXPECT_EQ(Header(resp, bh::field::content_type), "application/json; charset=utf-8");
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(resp.body(), &http_answer).ok());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(grpc_answer, http_answer))
        << path << "\nHTTP: " << http_answer.ShortDebugString()
        << "\ngRPC: " << grpc_answer.ShortDebugString();
  };
  {
    v1::AllocationSummaryResponse g, h;
    ASSERT_TRUE(dashboard->AllocationSummary(Admin().get(), {}, &g).ok());
    EXPECT_EQ(g.totals().total(), 4);
    same(g, "/api/v1/dashboard/allocation-summary", h);
  }
  {
    v1::CoverageResponse g, h;
    ASSERT_TRUE(dashboard->Coverage(Admin().get(), {}, &g).ok());
    same(g, "/api/v1/dashboard/coverage", h);
  }
  {
    v1::StaleDevicesRequest r;
    r.set_days(3);
    v1::StaleDevicesResponse g, h;
    ASSERT_TRUE(dashboard->StaleDevices(Admin().get(), r, &g).ok());
    EXPECT_EQ(g.total(), 1);  // EN-1, silent for ten days
    same(g, "/api/v1/dashboard/stale-devices?days=3", h);
  }
  {
    v1::FleetHealthResponse g, h;
    ASSERT_TRUE(dashboard->FleetHealth(Admin().get(), {}, &g).ok());
    EXPECT_EQ(g.totals().low_battery(), 1);
    same(g, "/api/v1/dashboard/fleet-health", h);
  }
  {
    v1::TrainingFunnelResponse g, h;
    ASSERT_TRUE(dashboard->TrainingFunnel(Admin().get(), {}, &g).ok());
    same(g, "/api/v1/dashboard/training-funnel", h);
  }
  {
    v1::OverdueLoansResponse g, h;
    ASSERT_TRUE(dashboard->OverdueLoans(Admin().get(), {}, &g).ok());
    EXPECT_EQ(g.total(), 1);
    same(g, "/api/v1/dashboard/overdue-loans", h);
  }
  // Zeros are printed, so that the page never reads a missing number.
  auto coverage = Get("/api/v1/dashboard/coverage?department=ESPACES-VERTS", {{"Cookie", session}});
  EXPECT_NE(coverage.body().find("\"notEquipped\":\"0\""), std::string::npos) << coverage.body();
}

TEST_F(HttpTest, AManagerSeesOnlyTheirDepartments) {
  std::string session = SignIn(maud_);
  auto mine = FromJson<v1::AllocationSummaryResponse>(
      Get("/api/v1/dashboard/allocation-summary", {{"Cookie", session}}));
  EXPECT_EQ(mine.totals().total(), 1);  // T2
  ASSERT_EQ(mine.by_department_size(), 1);
  EXPECT_EQ(mine.by_department(0).department(), "ESPACES-VERTS");
  auto other = Get("/api/v1/dashboard/coverage?department=PROPRETE", {{"Cookie", session}});
  EXPECT_EQ(other.result(), bh::status::forbidden);
  EXPECT_NE(other.body().find("\"code\":\"PERMISSION_DENIED\""), std::string::npos);
  EXPECT_EQ(other.body().find("\"targeted\""), std::string::npos);
  auto csv = Get("/api/v1/dashboard/overdue-loans.csv?department=PROPRETE", {{"Cookie", session}});
  EXPECT_EQ(csv.result(), bh::status::forbidden);
  // A bearer header works the same for scripts.
  EXPECT_EQ(GetAs(maud_, "/api/v1/dashboard/fleet-health?department=PROPRETE").result(),
            bh::status::forbidden);
}

TEST_F(HttpTest, FiltersMapToRequestFields) {
  const std::string admin = server_.admin_token();
  auto wave1 =
      FromJson<v1::CoverageResponse>(GetAs(admin, "/api/v1/dashboard/coverage?wave=vague-1"));
  EXPECT_EQ(wave1.totals().targeted(), 3);  // E1, E3, E5
  auto alice = FromJson<v1::TrainingFunnelResponse>(
      GetAs(admin, "/api/v1/dashboard/training-funnel?advisor=Alice&department=PROPRETE"));
  EXPECT_EQ(alice.totals().targeted(), 1);  // E1
  auto phones = FromJson<v1::AllocationSummaryResponse>(
      GetAs(admin, "/api/v1/dashboard/allocation-summary?kind=smartphone"));
  EXPECT_EQ(phones.totals().total(), 1);
  auto tablets = FromJson<v1::AllocationSummaryResponse>(
      GetAs(admin, "/api/v1/dashboard/allocation-summary?kind=DEVICE_KIND_TABLET"));
  EXPECT_EQ(tablets.totals().total(), 3);
  auto loans = FromJson<v1::OverdueLoansResponse>(
      GetAs(admin, "/api/v1/dashboard/overdue-loans?kind=tablet"));
  EXPECT_EQ(loans.total(), 0);
  auto wave2 = FromJson<v1::OverdueLoansResponse>(
      GetAs(admin, "/api/v1/dashboard/overdue-loans?wave=vague-2"));
  EXPECT_EQ(wave2.total(), 1);

  auto bad_kind = GetAs(admin, "/api/v1/dashboard/allocation-summary?kind=toaster");
  EXPECT_EQ(bad_kind.result(), bh::status::bad_request);
  EXPECT_NE(bad_kind.body().find("kind"), std::string::npos);
  auto bad_days = GetAs(admin, "/api/v1/dashboard/stale-devices?days=soon");
  EXPECT_EQ(bad_days.result(), bh::status::bad_request);
  EXPECT_NE(bad_days.body().find("days"), std::string::npos);
  auto too_many = GetAs(admin, "/api/v1/dashboard/stale-devices?days=99999");
  EXPECT_EQ(too_many.result(), bh::status::bad_request);  // the service's own validation
  auto unknown = GetAs(admin, "/api/v1/dashboard/coverage?colour=red");
  EXPECT_EQ(unknown.result(), bh::status::bad_request);
  EXPECT_NE(unknown.body().find("colour"), std::string::npos);
  EXPECT_EQ(GetAs(admin, "/api/v1/dashboard/nothing").result(), bh::status::not_found);
}

TEST_F(HttpTest, CsvDownloadsParseBack) {
  const std::string admin = server_.admin_token();
  auto resp = GetAs(admin, "/api/v1/dashboard/allocation-summary.csv");
  ASSERT_EQ(resp.result(), bh::status::ok) << resp.body();
  EXPECT_EQ(Header(resp, bh::field::content_type), "text/csv; charset=utf-8");
  std::string disposition = Header(resp, bh::field::content_disposition);
  EXPECT_TRUE(std::regex_match(
      disposition,
      std::regex(R"(attachment; filename="parc-appareils-par-service-\d{4}-\d\d-\d\d\.csv")")))
      << disposition;
  ASSERT_TRUE(resp.body().starts_with("\xEF\xBB\xBF"));
  auto table = csv::Parse(resp.body());
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->separator, ';');
  ASSERT_GE(table->header.fields.size(), 2u);
  EXPECT_EQ(table->header.fields[0], "Service");
  EXPECT_EQ(table->header.fields[1], "Total");
  ASSERT_EQ(table->rows.size(), 3u);  // ESPACES-VERTS, PROPRETE, Total
  EXPECT_EQ(table->rows[0].fields[0], "ESPACES-VERTS");
  EXPECT_EQ(table->rows[0].fields[1], "1");
  EXPECT_EQ(table->rows[2].fields[0], "Total");
  EXPECT_EQ(table->rows[2].fields[1], "4");

  auto stale = csv::Parse(GetAs(admin, "/api/v1/dashboard/stale-devices.csv?days=3").body());
  ASSERT_TRUE(stale);
  ASSERT_EQ(stale->rows.size(), 1u);
  EXPECT_EQ(stale->rows[0].fields[0], "EN-1");
  EXPECT_EQ(stale->rows[0].fields[5], "E000003");  // last user: the holder

  auto loans = csv::Parse(GetAs(admin, "/api/v1/dashboard/overdue-loans.csv").body());
  ASSERT_TRUE(loans);
  ASSERT_EQ(loans->rows.size(), 1u);
  EXPECT_EQ(loans->rows[0].fields[1], "Hélène Le Goff");

  auto sites = csv::Parse(GetAs(admin, "/api/v1/dashboard/coverage.csv?by=site").body());
  ASSERT_TRUE(sites);
  EXPECT_EQ(sites->header.fields[0], "Site");
  EXPECT_EQ(sites->rows.back().fields[4], "100,0");  // all 4 equipped, decimal comma
  auto waves = csv::Parse(GetAs(admin, "/api/v1/dashboard/training-funnel.csv?by=wave").body());
  ASSERT_TRUE(waves);
  EXPECT_EQ(waves->header.fields[0], "Vague");
  EXPECT_EQ(waves->rows.size(), 3u);  // vague-1, vague-2, Total
  EXPECT_EQ(GetAs(admin, "/api/v1/dashboard/coverage.csv?by=colour").result(),
            bh::status::bad_request);
}

TEST_F(HttpTest, HealthzAnswersOk) {
  auto resp = Get("/healthz");
  EXPECT_EQ(resp.result(), bh::status::ok);
  EXPECT_EQ(resp.body(), "ok\n");
  EXPECT_EQ(Client(port_).Send(bh::verb::post, "/healthz").result(),
            bh::status::method_not_allowed);
}

// The whole exposition must satisfy `promtool check metrics` (format and
// naming lint); the numbers must be the fleet's.
TEST_F(HttpTest, MetricsPassPromtoolAndCountTheFleet) {
  Get("/api/v1/whoami");  // one 401 to count
  auto resp = Get("/metrics");
  ASSERT_EQ(resp.result(), bh::status::ok);
  EXPECT_EQ(Header(resp, bh::field::content_type), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = resp.body();
  auto has = [&](const std::string& line) {
    EXPECT_NE(text.find("\n" + line + "\n"), std::string::npos) << line << "\n" << text;
  };
  has("parc_checkins_received_total 1");
  has("parc_checkin_reports_total 1");
  has("parc_checkin_latency_seconds_count 1");
  has("parc_checkin_latency_seconds_bucket{le=\"+Inf\"} 1");
  has("parc_devices{lifecycle=\"assigned\"} 4");
  has("parc_devices{lifecycle=\"lost\"} 0");
  has("parc_devices_enrolled 1");
  has("parc_devices_stale{days=\"7\"} 1");
  has("parc_http_requests_total{code=\"401\"} 1");
  EXPECT_NE(text.find("parc_grpc_requests_total{code=\"OK\"} "), std::string::npos);
  EXPECT_NE(text.find("parc_database_size_bytes "), std::string::npos);

  std::string path = (server_.dir() / "metrics.txt").string();
  std::ofstream(path) << text;
  std::string command = "promtool check metrics < " + path + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char chunk[512];
  while (size_t n = std::fread(chunk, 1, sizeof chunk, pipe)) output.append(chunk, n);
  int rc = ::pclose(pipe);
  ASSERT_NE(WEXITSTATUS(rc), 127) << "promtool not found: run deploy/install-deps.sh --test";
  EXPECT_EQ(rc, 0) << "promtool check metrics:\n" << output;
}

TEST_F(HttpTest, ThePageIsServedWithAValidator) {
  auto page = Get("/");
  ASSERT_EQ(page.result(), bh::status::ok);
  EXPECT_TRUE(Header(page, bh::field::content_type).starts_with("text/html"));
  std::string etag = Header(page, bh::field::etag);
  ASSERT_FALSE(etag.empty());
  EXPECT_NE(Header(page, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  auto again = Get("/", {{"If-None-Match", etag}});
  EXPECT_EQ(again.result(), bh::status::not_modified);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(Get("/nothing-here").result(), bh::status::not_found);
}

TEST_F(HttpTest, TheListenerBoundsRequestsAndKeepsConnectionsAlive) {
  Client client(port_);
  EXPECT_EQ(client.Send(bh::verb::get, "/healthz").result(), bh::status::ok);
  EXPECT_EQ(client.Send(bh::verb::get, "/healthz").result(), bh::status::ok);  // same socket

  auto big = Client(port_).Send(bh::verb::post, "/api/v1/session",
                                {{"Content-Type", "application/x-www-form-urlencoded"}},
                                "token=" + std::string(100 * 1024, 'x'));
  EXPECT_EQ(big.result(), bh::status::payload_too_large);
  auto headers =
      Client(port_).Send(bh::verb::get, "/healthz", {{"X-Big", std::string(16 * 1024, 'y')}});
  EXPECT_EQ(headers.result(), bh::status::request_header_fields_too_large);
}

}  // namespace
}  // namespace parc::testing
