// The device API over HTTP (daemon/http/device_routes.h) against a real parcd
// HTTP listener: every route's happy path, and bad input (unknown, revoked or
// operator credentials, another device's content, too large, malformed JSON,
// a Range past the end) answered with the mapped status and changing nothing
// in the store.
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "common/crypto.h"
#include "daemon/http/device_routes.h"
#include "daemon/service/gate.h"
#include "parc/v1/training.grpc.pb.h"
#include "tests/integration/device_fixture.h"
#include "tests/integration/http_client.h"

namespace parc::testing {
namespace {

namespace bh = boost::beast::http;

std::string PatternBytes(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
  return out;
}

template <typename Message>
Message FromJson(const HttpResponse& resp) {
  Message out;
  auto status = google::protobuf::util::JsonStringToMessage(resp.body(), &out);
  EXPECT_TRUE(status.ok()) << status.message() << ": " << resp.body();
  return out;
}

class DeviceHttpTest : public DeviceTest {
 protected:
  void SetUp() override {
    port_ = server_.StartHttp();
    ASSERT_NE(port_, 0);
  }

  HttpResponse Post(const std::string& route, const std::string& body,
                    const std::string& credential = "",
                    const std::string& type = "application/json") {
    HttpHeaders headers = {{"Content-Type", type}};
    if (!credential.empty()) headers.emplace_back("Authorization", "Bearer " + credential);
    return HttpClient(port_).Send(bh::verb::post, "/api/v1/device/" + route, headers, body);
  }
  HttpResponse Get(const std::string& route, const std::string& credential,
                   const std::string& range = "") {
    HttpHeaders headers = {{"Authorization", "Bearer " + credential}};
    if (!range.empty()) headers.emplace_back("Range", range);
    return HttpClient(port_).Send(bh::verb::get, "/api/v1/device/" + route, headers);
  }

  // Enrolls `serial` over HTTP with a fresh token; returns the credential.
  std::string EnrolledOverHttp(const std::string& serial) {
    HttpResponse resp = Post("enroll", R"({"token":")" + Token() + R"(","serial":")" + serial +
                                           R"(","model":"Chrome on Android","os":"Android 14",)"
                                           R"("kind":"DEVICE_KIND_TABLET"})");
    EXPECT_EQ(resp.result_int(), 200) << resp.body();
    return FromJson<v1::EnrollResponse>(resp).credential();
  }

  // A published module holding `bytes`, assigned to `employee`; its hash.
  std::string Published(const std::string& code, const std::string& bytes,
                        const std::string& employee) {
    auto training = v1::TrainingService::NewStub(server_.Channel());
    v1::UploadContentResponse uploaded;
    {
      auto ctx = Admin();
      auto writer = training->UploadContent(ctx.get(), &uploaded);
      for (size_t at = 0; at < bytes.size(); at += 1 << 20) {
        v1::UploadContentChunk chunk;
        if (at == 0) {
          chunk.set_sha256(Sha256Hex(bytes));
          chunk.set_size(static_cast<int64_t>(bytes.size()));
          chunk.set_file_name("video.mp4");
        }
        chunk.set_data(bytes.substr(at, 1 << 20));
        if (!writer->Write(chunk)) break;
      }
      writer->WritesDone();
      grpc::Status status = writer->Finish();
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    v1::CreateModuleRequest create;
    create.set_code(code);
    create.set_title("Regarder une vidéo");
    v1::Module module;
    EXPECT_TRUE(training->CreateModule(Admin().get(), create, &module).ok());
    v1::AddModuleItemsRequest add;
    add.set_code(code);
    add.add_items()->set_file_name("video.mp4");
    add.mutable_items(0)->set_sha256(uploaded.sha256());
    EXPECT_TRUE(training->AddModuleItems(Admin().get(), add, &module).ok());
    v1::ModuleRef ref;
    ref.set_code(code);
    EXPECT_TRUE(training->PublishModule(Admin().get(), ref, &module).ok());
    v1::AssignModuleRequest assign;
    assign.set_module_code(code);
    assign.set_employee_number(employee);
    v1::ModuleAssignment assignment;
    grpc::Status assigned = training->AssignModule(Admin().get(), assign, &assignment);
    EXPECT_TRUE(assigned.ok()) << assigned.error_message();
    return uploaded.sha256();
  }

  // A tablet enrolled over HTTP and lent to `employee` (a new agent).
  std::string TabletOf(const std::string& employee, const std::string& serial) {
    AddAgent(employee, "PROPRETE");
    std::string credential = EnrolledOverHttp(serial);
    grpc::Status assigned = Assign(serial, employee);
    EXPECT_TRUE(assigned.ok()) << assigned.error_message();
    return credential;
  }

  static std::string BrowserCheckIn(int sequence, int battery) {
    return fmt::format(
        R"({{"reports":[{{"sequence":"{}","collectedAt":"2026-05-28T08:00:00Z","status":{{)"
        R"("batteryPercent":{},"charging":false,"storageTotalBytes":"2000000000",)"
        R"("storageFreeBytes":"1500000000","osName":"Android","osVersion":"14",)"
        R"("agentVersion":"apprendre 1.0","browser":"Chrome 120.0","networkType":"wifi",)"
        R"("currentUser":""}}}}]}})",
        sequence, battery);
  }

  int port_ = 0;
};

TEST_F(DeviceHttpTest, BrowserEnrollsAndChecksInOnceDurably) {
  std::string credential = EnrolledOverHttp("web-3f9a");
  ASSERT_FALSE(credential.empty());

  HttpResponse first = Post("check-in", BrowserCheckIn(1, 64), credential);
  ASSERT_EQ(first.result_int(), 200) << first.body();
  EXPECT_EQ(HeaderOf(first, bh::field::content_type), "application/json; charset=utf-8");
  auto answer = FromJson<v1::CheckInResponse>(first);
  EXPECT_EQ(answer.acknowledged_through(), 1u);
  EXPECT_EQ(answer.next_interval_seconds(), 300);
  EXPECT_NE(first.body().find("\"acknowledgedThrough\":\"1\""), std::string::npos) << first.body();
  // The same sequence again (a retry after a lost answer) is stored once.
  ASSERT_EQ(Post("check-in", BrowserCheckIn(1, 64), credential).result_int(), 200);

  v1::GetDeviceStatusResponse status = Status("web-3f9a");
  EXPECT_EQ(status.device().model(), "Chrome on Android");
  EXPECT_EQ(status.status().battery_percent(), 64);
  EXPECT_EQ(status.status().agent_version(), "apprendre 1.0");
  EXPECT_EQ(status.status().storage_free_bytes(), 1'500'000'000);
  ASSERT_EQ(status.recent_size(), 1);
  EXPECT_EQ(status.recent(0).status().browser(), "Chrome 120.0");
  EXPECT_EQ(status.recent(0).status().network_type(), "wifi");
}

TEST_F(DeviceHttpTest, UsageAndProgressAreStoredOnce) {
  std::string credential = TabletOf("E000001", "web-1");
  AddAgent("E000002", "PROPRETE");
  std::string sha = Published("VIDEO-1", PatternBytes(1000), "E000001");
  HttpResponse usage =
      Post("usage",
           R"({"reports":[{"sequence":"1","usage":{"employeeNumber":"E000002","login":true}}]})",
           credential);
  ASSERT_EQ(usage.result_int(), 200) << usage.body();
  EXPECT_EQ(FromJson<v1::ReportUsageResponse>(usage).acknowledged_through(), 1u);
  v1::GetDeviceStatusResponse status = Status("web-1");
  ASSERT_EQ(status.sessions_size(), 1);
  EXPECT_EQ(status.sessions(0).employee_number(), "E000002");
  EXPECT_TRUE(status.sessions(0).not_the_holder());

  const std::string event =
      R"({"events":[{"id":"0b6f-1","employeeNumber":"E000001","moduleCode":"VIDEO-1",)"
      R"("moduleVersion":1,"kind":"PROGRESS_KIND_MODULE_COMPLETED","at":"2026-05-28T09:00:00Z"}]})";
  HttpResponse progress = Post("progress", event, credential);
  ASSERT_EQ(progress.result_int(), 200) << progress.body();
  EXPECT_EQ(FromJson<v1::ReportProgressResponse>(progress).accepted(), 1);
  HttpResponse again = Post("progress", event, credential);
  ASSERT_EQ(again.result_int(), 200) << again.body();
  EXPECT_EQ(FromJson<v1::ReportProgressResponse>(again).duplicates(), 1);
  EXPECT_FALSE(sha.empty());
}

TEST_F(DeviceHttpTest, TheKeypadLearnsWhetherANumberIsSomeone) {
  std::string credential = TabletOf("E000001", "web-1");
  HttpResponse known = Post("person", R"({"employeeNumber":"e000001"})", credential);
  ASSERT_EQ(known.result_int(), 200) << known.body();
  auto person = FromJson<v1::LookUpPersonResponse>(known);
  EXPECT_TRUE(person.known());
  EXPECT_EQ(person.first_name(), "Hélène");
  HttpResponse unknown = Post("person", R"({"employeeNumber":"000999"})", credential);
  ASSERT_EQ(unknown.result_int(), 200) << unknown.body();
  EXPECT_FALSE(FromJson<v1::LookUpPersonResponse>(unknown).known());
  EXPECT_EQ(Post("person", R"({"employeeNumber":"E000001"})", "dev_unknown").result_int(), 401);
  HttpResponse empty = Post("person", "{}", credential);
  EXPECT_EQ(empty.result_int(), 400) << empty.body();
  EXPECT_NE(empty.body().find("employee_number"), std::string::npos) << empty.body();
}

TEST_F(DeviceHttpTest, APoolTabletIsSharedAndHasNoHolder) {
  std::string credential = EnrolledOverHttp("web-pool");
  HttpResponse list = Get("content", credential);
  ASSERT_EQ(list.result_int(), 200) << list.body();
  auto set = FromJson<v1::ListAssignedContentResponse>(list);
  EXPECT_TRUE(set.shared());
  EXPECT_FALSE(set.has_holder());
}

TEST_F(DeviceHttpTest, ContentIsListedAndServedByRange) {
  std::string credential = TabletOf("E000001", "web-1");
  const std::string bytes = PatternBytes(3 * 1024 * 1024 + 17);
  const std::string sha = Published("VIDEO-1", bytes, "E000001");
  const std::string size = std::to_string(bytes.size());

  HttpResponse list = Get("content", credential);
  ASSERT_EQ(list.result_int(), 200) << list.body();
  auto set = FromJson<v1::ListAssignedContentResponse>(list);
  ASSERT_EQ(set.modules_size(), 1);
  EXPECT_EQ(set.modules(0).items(0).sha256(), sha);
  EXPECT_EQ(set.modules(0).people(0).employee_number(), "E000001");
  EXPECT_FALSE(set.shared());
  EXPECT_EQ(set.holder().employee_number(), "E000001");
  EXPECT_EQ(set.holder().display_name(), "Hélène Le Goff");

  // A piece across FetchContent's 1 MiB chunks.
  HttpResponse piece = Get("content/" + sha, credential, "bytes=1000000-2100000");
  ASSERT_EQ(piece.result_int(), 206) << piece.body();
  EXPECT_EQ(HeaderOf(piece, bh::field::content_range), "bytes 1000000-2100000/" + size);
  EXPECT_EQ(piece.body(), bytes.substr(1'000'000, 1'100'001));
  HttpResponse tail = Get("content/" + sha, credential, "bytes=-10");
  ASSERT_EQ(tail.result_int(), 206);
  EXPECT_EQ(tail.body(), bytes.substr(bytes.size() - 10));
  HttpResponse rest = Get("content/" + sha, credential, "bytes=3145700-");
  ASSERT_EQ(rest.result_int(), 206);
  EXPECT_EQ(rest.body(), bytes.substr(3'145'700));
  HttpResponse whole = Get("content/" + sha, credential);
  ASSERT_EQ(whole.result_int(), 200);
  EXPECT_EQ(whole.body(), bytes);
  EXPECT_EQ(HeaderOf(whole, bh::field::accept_ranges), "bytes");

  HttpResponse past = Get("content/" + sha, credential, "bytes=" + size + "-");
  EXPECT_EQ(past.result_int(), 416) << past.body();
  EXPECT_EQ(HeaderOf(past, bh::field::content_range), "bytes */" + size);
}

TEST_F(DeviceHttpTest, AnotherDevicesContentIsRefused) {
  std::string mine = TabletOf("E000001", "web-1");
  std::string other = TabletOf("E000002", "web-2");
  const std::string sha = Published("VIDEO-2", PatternBytes(5000), "E000002");
  EXPECT_EQ(Get("content/" + sha, other, "bytes=0-99").result_int(), 206);
  HttpResponse refused = Get("content/" + sha, mine, "bytes=0-99");
  EXPECT_EQ(refused.result_int(), 403) << refused.body();
  EXPECT_NE(refused.body().find("\"code\":\"PERMISSION_DENIED\""), std::string::npos);
  EXPECT_EQ(refused.body().find(std::string(100, '\0')), std::string::npos);
  EXPECT_EQ(Get("content/NOT-A-HASH", mine).result_int(), 400);
}

TEST_F(DeviceHttpTest, UnknownRevokedAndOperatorCredentialsChangeNothing) {
  std::string credential = EnrolledOverHttp("web-1");
  ASSERT_EQ(Post("check-in", BrowserCheckIn(1, 50), credential).result_int(), 200);

  HttpResponse unknown = Post("check-in", BrowserCheckIn(2, 10), "parcdev_nobody");
  EXPECT_EQ(unknown.result_int(), 401) << unknown.body();
  EXPECT_NE(unknown.body().find("\"code\":\"UNAUTHENTICATED\""), std::string::npos);
  EXPECT_EQ(HeaderOf(unknown, bh::field::www_authenticate), "Bearer");
  EXPECT_EQ(Post("check-in", BrowserCheckIn(2, 10)).result_int(), 401);  // no bearer
  EXPECT_EQ(Get("content", "parcdev_nobody").result_int(), 401);
  HttpResponse op = Post("check-in", BrowserCheckIn(2, 10), server_.admin_token());
  EXPECT_EQ(op.result_int(), 403) << op.body();

  v1::RevokeDeviceRequest revoke;
  revoke.set_device("web-1");
  v1::Device revoked;
  ASSERT_TRUE(inventory_->RevokeDevice(Admin().get(), revoke, &revoked).ok());
  HttpResponse after = Post("check-in", BrowserCheckIn(2, 10), credential);
  EXPECT_EQ(after.result_int(), 401) << after.body();
  EXPECT_EQ(Get("content", credential).result_int(), 401);

  v1::GetDeviceStatusResponse status = Status("web-1");
  EXPECT_EQ(status.status().last_sequence(), 1u);
  EXPECT_EQ(status.status().battery_percent(), 50);
  EXPECT_EQ(status.recent_size(), 1);
}

// Answered without the in-process gRPC call (DeviceService::CheckInDirect),
// a check-in still goes through the Gate's log and call counts (/metrics).
TEST_F(DeviceHttpTest, CheckInsAreCountedAsGrpcCheckInsAre) {
  std::string credential = EnrolledOverHttp("web-1");
  auto before = service::Gate::CallsByCode();
  ASSERT_EQ(Post("check-in", BrowserCheckIn(1, 50), credential).result_int(), 200);
  ASSERT_EQ(Post("check-in", BrowserCheckIn(2, 50), "parcdev_nobody").result_int(), 401);
  auto after = service::Gate::CallsByCode();
  EXPECT_EQ(after[grpc::StatusCode::OK] - before[grpc::StatusCode::OK], 1u);
  EXPECT_EQ(after[grpc::StatusCode::UNAUTHENTICATED] - before[grpc::StatusCode::UNAUTHENTICATED],
            1u);
}

TEST_F(DeviceHttpTest, BadBodiesAreRefusedAndChangeNothing) {
  std::string credential = EnrolledOverHttp("web-1");
  HttpResponse broken = Post("check-in", R"({"reports":[{"sequence":)", credential);
  EXPECT_EQ(broken.result_int(), 400) << broken.body();
  EXPECT_NE(broken.body().find("\"code\":\"INVALID_ARGUMENT\""), std::string::npos);
  EXPECT_NE(broken.body().find("body: "), std::string::npos) << broken.body();
  HttpResponse typo = Post("check-in", R"({"raports":[]})", credential);
  EXPECT_EQ(typo.result_int(), 400) << typo.body();
  EXPECT_NE(typo.body().find("raports"), std::string::npos) << typo.body();
  HttpResponse battery = Post("check-in", BrowserCheckIn(1, 150), credential);
  EXPECT_EQ(battery.result_int(), 400) << battery.body();
  EXPECT_NE(battery.body().find("battery_percent"), std::string::npos) << battery.body();
  EXPECT_EQ(Post("check-in", "", credential).result_int(), 400);
  EXPECT_EQ(Post("check-in", BrowserCheckIn(1, 5), credential, "text/plain").result_int(), 415);

  // 501 reports: over check-in's own limit (413, not 429: retrying will not help).
  std::string many = R"({"reports":[)";
  for (int i = 1; i <= 501; ++i) {
    many += fmt::format(R"({}{{"sequence":"{}","status":{{"batteryPercent":5}}}})",
                        i > 1 ? "," : "", i);
  }
  many += "]}";
  HttpResponse too_many = Post("check-in", many, credential);
  EXPECT_EQ(too_many.result_int(), 413) << too_many.body();
  // A body over the listener's 1 MiB device limit.
  std::string huge = R"({"reports":[{"sequence":"1","status":{"osName":")" +
                     std::string(1100 * 1024, 'x') + R"("}}]})";
  EXPECT_EQ(Post("check-in", huge, credential).result_int(), 413);

  EXPECT_EQ(HttpClient(port_).Send(bh::verb::get, "/api/v1/device/check-in").result_int(), 405);
  EXPECT_EQ(Post("nothing-here", "{}", credential).result_int(), 404);

  v1::GetDeviceStatusResponse status = Status("web-1");
  EXPECT_FALSE(status.has_status()) << status.status().DebugString();
  EXPECT_EQ(status.recent_size(), 0);
}

// Guessed tokens are limited per client address, as over gRPC, not per
// "inproc" (the listener's own in-process calls): another tablet still enrolls.
TEST_F(DeviceHttpTest, FailedEnrollmentsAreLimitedPerClientAddress) {
  auto enroll = [&](const std::string& source, const std::string& token) {
    return HttpClient(port_, source)
        .Send(bh::verb::post, "/api/v1/device/enroll",
              {{"Content-Type", "application/json"}, {std::string(http::kPeerHeader), "10.9.9.9"}},
              R"({"token":")" + token + R"(","serial":"web-guess","kind":"DEVICE_KIND_TABLET"})")
        .result_int();
  };
  int last = 0;
  // A different wrong token each time: the per-token limit stays out of it.
  for (int i = 0; i < 12 && last != 429; ++i) {
    last = enroll("127.0.0.2", "parcenroll_wrong" + std::to_string(i));
  }
  EXPECT_EQ(last, 429) << "ten failures from 127.0.0.2 block it";
  // The header a client sends is replaced by the listener: 127.0.0.3 is not blocked.
  EXPECT_EQ(enroll("127.0.0.3", "parcenroll_other1") / 100, 4);
  EXPECT_NE(enroll("127.0.0.3", "parcenroll_other2"), 429);
}

TEST_F(DeviceHttpTest, WrongEnrollmentTokenEnrollsNothing) {
  HttpResponse resp = Post("enroll", R"({"token":"parcenroll_wrong","serial":"web-x"})");
  EXPECT_EQ(resp.result_int() / 100, 4) << resp.body();
  v1::GetDeviceRequest request;
  request.set_device("web-x");
  v1::Device device;
  EXPECT_EQ(inventory_->GetDevice(Admin().get(), request, &device).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace parc::testing
