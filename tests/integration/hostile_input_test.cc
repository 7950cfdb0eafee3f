// Issue 18, the anchors' vulnerability classes (hostile input): SQL
// metacharacters in every string field of every unary RPC, LIKE wildcards in
// searches and filters, path traversal in content and receipt names (gRPC and
// HTTP). A real parcd on a real SQLite file; each test says what it would
// catch.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>
#include <set>

#include "common/crypto.h"
#include "parc/v1/training.grpc.pb.h"
#include "tests/integration/device_fixture.h"
#include "tests/integration/http_client.h"
#include "tests/support/csv_formulas.h"

namespace parc::testing {
namespace {

namespace bh = boost::beast::http;
namespace pb = google::protobuf;
using grpc::StatusCode;

// Each is a classic: closing a quote, a statement after it, a comment, LIKE
// wildcards, and a quote of the other kind.
const std::vector<std::string> kPayloads = {
    "' OR '1'='1", "x'); DROP TABLE agents; --", "%", "_", "\" OR 1=1 /*",
};

const std::vector<std::string> kServices = {
    "parc.v1.InventoryService", "parc.v1.AllocationService", "parc.v1.AdminService",
    "parc.v1.DeviceService",    "parc.v1.TrainingService",   "parc.v1.DashboardService",
};

// Every string field reachable from `type` (nested messages, one element of
// repeated ones), as paths of field descriptors; `depth` bounds recursion.
void StringPaths(const pb::Descriptor* type, std::vector<const pb::FieldDescriptor*>& prefix,
                 std::vector<std::vector<const pb::FieldDescriptor*>>& out, int depth = 0) {
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* field = type->field(i);
    prefix.push_back(field);
    if (field->type() == pb::FieldDescriptor::TYPE_STRING) {
      out.push_back(prefix);
    } else if (field->type() == pb::FieldDescriptor::TYPE_MESSAGE && depth < 3 &&
               field->message_type()->file()->package() == "parc.v1") {
      StringPaths(field->message_type(), prefix, out, depth + 1);
    }
    prefix.pop_back();
  }
}

// Sets the string at `path` in `message` to `value`.
void SetPath(pb::Message& message, const std::vector<const pb::FieldDescriptor*>& path,
             const std::string& value) {
  pb::Message* at = &message;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    const pb::Reflection* r = at->GetReflection();
    at = path[i]->is_repeated() ? r->AddMessage(at, path[i]) : r->MutableMessage(at, path[i]);
  }
  const pb::Reflection* r = at->GetReflection();
  if (path.back()->is_repeated()) {
    r->AddString(at, path.back(), value);
  } else {
    r->SetString(at, path.back(), value);
  }
}

std::string PathName(const std::vector<const pb::FieldDescriptor*>& path) {
  std::string out;
  for (const auto* f : path) out += (out.empty() ? "" : ".") + f->name();
  return out;
}

class HostileInputTest : public DeviceTest {
 protected:
  // Calls `method` with `request` serialized; the status and the answer's bytes.
  grpc::Status Call(const std::string& method, const pb::Message& request, const std::string& token,
                    std::string* answer) {
    grpc::GenericStub stub(server_.Channel());
    auto ctx = TestServer::Context(token);
    std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer in(&slice, 1), out;
    std::promise<grpc::Status> done;
    stub.UnaryCall(ctx.get(), method, {}, &in, &out,
                   [&](grpc::Status status) { done.set_value(std::move(status)); });
    grpc::Status status = done.get_future().get();
    std::vector<grpc::Slice> slices;
    answer->clear();
    if (status.ok() && out.Dump(&slices).ok()) {
      for (const auto& s : slices)
        answer->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    return status;
  }

  // SQL run by the test on the server's file: the first column of the first row.
  std::string Query(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(
        sqlite3_open_v2((server_.dir() / "parc.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
        SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }
};

// Would catch: a string concatenated into SQL (a syntax error is INTERNAL, a
// dropped table breaks later calls, "' OR '1'='1" returns rows it should not),
// or a LIKE pattern built from input without escaping ("%" matching everyone).
TEST_F(HostileInputTest, SqlMetacharactersInEveryStringOfEveryRpcAreJustText) {
  AddAgent("E000001", "PROPRETE");
  AddDevice("SN-SEEDED", "A-SEEDED");
  const std::string credential = Enrolled("SN-DEVICE");
  const std::string tables = Query("SELECT group_concat(name) FROM sqlite_master");
  const pb::DescriptorPool* pool = pb::DescriptorPool::generated_pool();
  pb::DynamicMessageFactory factory(pool);
  int calls = 0;
  for (const std::string& service_name : kServices) {
    const pb::ServiceDescriptor* service = pool->FindServiceByName(service_name);
    ASSERT_NE(service, nullptr) << service_name;
    for (int m = 0; m < service->method_count(); ++m) {
      const pb::MethodDescriptor* method = service->method(m);
      if (method->client_streaming() || method->server_streaming()) continue;  // below
      const std::string name = "/" + service_name + "/" + method->name();
      const bool device = service_name == "parc.v1.DeviceService";
      std::vector<std::vector<const pb::FieldDescriptor*>> paths;
      std::vector<const pb::FieldDescriptor*> prefix;
      StringPaths(method->input_type(), prefix, paths);
      for (const auto& path : paths) {
        for (const std::string& payload : kPayloads) {
          std::unique_ptr<pb::Message> request(factory.GetPrototype(method->input_type())->New());
          SetPath(*request, path, payload);
          std::string answer;
          grpc::Status status =
              Call(name, *request, device ? credential : server_.admin_token(), &answer);
          ++calls;
          // A payload as an enrollment token is a failed authentication of
          // this address: a minute later, the rate limit has forgotten it.
          if (method->name() == "Enroll" || status.error_code() == StatusCode::UNAUTHENTICATED) {
            server_.clock().Advance(60'000);
          }
          const std::string where = name + " " + PathName(path) + "=" + payload;
          EXPECT_NE(status.error_code(), StatusCode::INTERNAL)
              << where << ": " << status.error_message();
          EXPECT_NE(status.error_code(), StatusCode::UNKNOWN) << where;
          EXPECT_NE(status.error_code(), StatusCode::UNAVAILABLE)
              << where << ": " << status.error_message();
          // A lookup or a filter by this text finds nothing: no seeded record
          // comes back. (Writes may echo the payload; they hold no seeded data.)
          if (status.ok() && (method->name().starts_with("Get") ||
                              method->name().starts_with("List") || method->name() == "Search")) {
            EXPECT_EQ(answer.find("E000001"), std::string::npos) << where << " leaked an agent";
            EXPECT_EQ(answer.find("SN-SEEDED"), std::string::npos) << where << " leaked a device";
          }
        }
      }
    }
  }
  EXPECT_GT(calls, 500) << "every string of every unary RPC";
  EXPECT_EQ(Query("SELECT group_concat(name) FROM sqlite_master"), tables) << "no table dropped";
  EXPECT_EQ(Query("PRAGMA integrity_check"), "ok");
  v1::GetAgentRequest get;
  get.set_employee_number("E000001");
  v1::Agent agent;
  EXPECT_TRUE(inventory_->GetAgent(Admin().get(), get, &agent).ok()) << "still there";
}

// Would catch: a search whose LIKE pattern or FTS query is built from input
// ("%" or "*" matching everyone, a quote breaking the query).
TEST_F(HostileInputTest, SearchTreatsWildcardsAndQuotesAsText) {
  AddAgent("E000001", "PROPRETE");
  AddDevice("SN-SEEDED", "A-SEEDED");
  for (const std::string query :
       {"%", "_", "*", "\"", "'", "E0%", "SN-*", "NEAR(E0 SN)", "a OR b"}) {
    v1::SearchRequest request;
    request.set_query(query);
    v1::SearchResponse out;
    grpc::Status status = inventory_->Search(Admin().get(), request, &out);
    EXPECT_TRUE(status.ok() || status.error_code() == StatusCode::INVALID_ARGUMENT)
        << query << ": " << status.error_message();
    EXPECT_EQ(out.agents_size() + out.devices_size(), 0) << query;
  }
  v1::SearchRequest request;
  request.set_query("E000001");
  v1::SearchResponse out;
  ASSERT_TRUE(inventory_->Search(Admin().get(), request, &out).ok());
  EXPECT_EQ(out.agents_size(), 1) << "the search itself works";
}

// Would catch: a content or receipt name used as a path ("../../parc.db"),
// over gRPC and over the learner app's and the desk's HTTP routes.
TEST_F(HostileInputTest, ContentAndReceiptNamesNeverLeaveTheirDirectory) {
  auto training = v1::TrainingService::NewStub(server_.Channel());
  const std::string bytes = "a training sheet";
  for (const auto& [sha, name, want] :
       {std::tuple{std::string("../../parc.db"), std::string("x.pdf"),
                   StatusCode::INVALID_ARGUMENT},
        {std::string("../") + std::string(61, 'a'), std::string("x.pdf"),
         StatusCode::INVALID_ARGUMENT},
        {Sha256Hex(bytes), std::string("../../../escaped.pdf"), StatusCode::INVALID_ARGUMENT},
        {Sha256Hex(bytes), std::string("..\\..\\escaped.pdf"), StatusCode::OK}}) {
    auto ctx = Admin();
    v1::UploadContentResponse out;
    auto writer = training->UploadContent(ctx.get(), &out);
    v1::UploadContentChunk chunk;
    chunk.set_sha256(sha);
    chunk.set_size(static_cast<int64_t>(bytes.size()));
    chunk.set_file_name(name);
    chunk.set_data(bytes);
    writer->Write(chunk);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), want) << sha << " " << name;
  }
  // Only files named by their hash, all under content/ (and the database's).
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(server_.dir(), ec)) {
    if (!e.is_regular_file()) continue;
    std::string file = e.path().filename().string();
    EXPECT_EQ(file.find("escaped"), std::string::npos) << e.path();
    if (e.path().parent_path().parent_path() == server_.dir() / "content") {
      EXPECT_EQ(file, Sha256Hex(bytes)) << e.path();
    }
  }
  EXPECT_FALSE(std::filesystem::exists(server_.dir().parent_path() / "escaped.pdf"));

  const std::string credential = Enrolled("SN-1");
  v1::FetchContentRequest fetch;
  fetch.set_sha256("../../parc.db");
  auto ctx = As(credential);
  auto reader = device_->FetchContent(ctx.get(), fetch);
  v1::ContentChunk chunk;
  EXPECT_FALSE(reader->Read(&chunk));
  EXPECT_NE(reader->Finish().error_code(), StatusCode::OK);

  v1::GetReceiptFileRequest receipt;
  receipt.set_sha256("../parc.db");
  v1::ReceiptFile file;
  EXPECT_EQ(allocation_->GetReceiptFile(Admin().get(), receipt, &file).error_code(),
            StatusCode::INVALID_ARGUMENT);

  int port = server_.StartHttp();
  auto get = [&](const std::string& target, const std::string& bearer) {
    return HttpClient(port).Send(bh::verb::get, target, {{"Authorization", "Bearer " + bearer}});
  };
  for (const std::string target :
       {"/api/v1/device/content/..%2F..%2Fparc.db", "/api/v1/device/content/../../parc.db",
        "/api/v1/device/content/%2e%2e%2fparc.db"}) {
    HttpResponse resp = get(target, credential);
    EXPECT_EQ(resp.result_int() / 100, 4) << target;
    EXPECT_EQ(resp.body().find("SQLite format"), std::string::npos) << target;
  }
  for (const std::string target :
       {"/../parc.db", "/assets/../../parc.db", "/%2e%2e/parc.db", "/apprendre/../../parc.db",
        "/api/v1/desk/receipt-file?sha256=..%2Fparc.db"}) {
    HttpResponse resp = get(target, server_.admin_token());
    EXPECT_EQ(resp.result_int() / 100, 4) << target;
    EXPECT_EQ(resp.body().find("SQLite format"), std::string::npos) << target;
  }
}

// Would catch: a CSV download writing a cell a spreadsheet runs as a formula
// (=, +, -, @, tab, CR first) from text people or devices typed. Every
// dashboard table, every breakdown; parcctl's exports: cli_formula_test.cc.
TEST_F(HostileInputTest, EveryCsvDownloadGuardsFormulas) {
  v1::CreateAgentRequest agent;
  agent.mutable_agent()->set_employee_number("E000001");
  agent.mutable_agent()->set_first_name("=HYPERLINK(\"http://evil.example\";\"x\")");
  agent.mutable_agent()->set_last_name("+SUM(A1:A9)");
  agent.mutable_agent()->set_department("@PROPRETE");
  agent.mutable_agent()->set_site("=SITE");
  agent.mutable_agent()->set_advisor("-2+3");
  agent.mutable_agent()->set_wave("@wave");
  v1::Agent created;
  grpc::Status status = inventory_->CreateAgent(Admin().get(), agent, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::CreateDeviceRequest device;
  device.mutable_device()->set_serial("=SN1");
  device.mutable_device()->set_asset_tag("+TAG1");
  device.mutable_device()->set_model("=cmd|' /C calc'!A0");
  device.mutable_device()->set_kind(v1::DEVICE_KIND_TABLET);
  device.mutable_device()->set_site("=SITE");
  v1::Device made;
  status = inventory_->CreateDevice(Admin().get(), device, &made);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(Assign("=SN1", "E000001", "2026-06-01").ok());
  const std::string credential = Enrolled("-SN2");
  ASSERT_TRUE(CheckIn(credential, {StatusReport(1, 5)}).ok());
  server_.clock().Advance(30LL * 24 * 3600 * 1000);

  int port = server_.StartHttp();
  int guarded = 0;
  for (const auto& [table, breakdowns] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"allocation-summary", {"department", "site", "kind"}},
           {"coverage", {"department", "site"}},
           {"stale-devices", {""}},
           {"fleet-health", {"department", "foreign-use"}},
           {"training-funnel", {"department", "advisor", "wave", "tier"}},
           {"overdue-loans", {""}}}) {
    for (const std::string& by : breakdowns) {
      std::string target = "/api/v1/dashboard/" + table + ".csv" + (by.empty() ? "" : "?by=" + by);
      HttpResponse resp = HttpClient(port).Send(
          bh::verb::get, target, {{"Authorization", "Bearer " + server_.admin_token()}});
      ASSERT_EQ(resp.result_int(), 200) << target << ": " << resp.body();
      EXPECT_EQ(FormulaCells(resp.body()), std::vector<std::string>{}) << target;
      guarded += GuardedCells(resp.body());
    }
  }
  EXPECT_GT(guarded, 3) << "the seeded formulas reached the tables";
}

}  // namespace
}  // namespace parc::testing
