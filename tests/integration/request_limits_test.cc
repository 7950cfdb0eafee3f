// Issue 20 item 4: every string field of every request is bounded
// (daemon/service/field_limits.h) and storage engines' words never reach a
// client (daemon/service/status.h).
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/generic/generic_stub.h>

#include <future>

#include "daemon/service/field_limits.h"
#include "daemon/service/status.h"
#include "tests/integration/device_fixture.h"

namespace parc::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using grpc::StatusCode;

// Past every limit of the table (4000 at most), and within every method's
// message size limit (64 KiB for the device RPCs, message_limits.h), which is
// checked first and answers RESOURCE_EXHAUSTED.
constexpr size_t kOversized = 8 * 1024;

// One request on any method (unary or streaming), as raw bytes.
class OneCall final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  grpc::Status Run(grpc::GenericStub& stub, grpc::ClientContext* ctx, const std::string& method,
                   const Message& request) {
    std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    request_ = grpc::ByteBuffer(&slice, 1);
    stub.PrepareBidiStreamingCall(ctx, method, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
    return done_.get_future().get();
  }
  void OnReadDone(bool ok) override {
    if (ok) StartRead(&response_);
  }
  void OnDone(const grpc::Status& status) override { done_.set_value(status); }

 private:
  grpc::ByteBuffer request_, response_;
  std::promise<grpc::Status> done_;
};

// The paths of every string field reachable in `type` ("agent.first_name",
// "reports[0].status.kernel"), nested messages to a few levels.
void StringPaths(const Descriptor& type, const std::string& prefix, int depth,
                 std::vector<std::string>* out) {
  if (depth > 3) return;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    std::string path = prefix + field.name() + (field.is_repeated() ? "[0]" : "");
    if (field.type() == FieldDescriptor::TYPE_STRING) out->push_back(path);
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field.is_map()) {
      StringPaths(*field.message_type(), path + ".", depth + 1, out);
    }
  }
}

// Sets the string at `path` (as StringPaths writes it) to `value`.
void SetPath(Message* message, std::string_view path, const std::string& value) {
  size_t dot = path.find('.');
  std::string_view head = path.substr(0, dot);
  bool repeated = head.ends_with("[0]");
  if (repeated) head.remove_suffix(3);
  const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(std::string(head));
  ASSERT_NE(field, nullptr) << path;
  const auto* reflection = message->GetReflection();
  if (dot == std::string_view::npos) {
    if (repeated) {
      reflection->AddString(message, field, value);
    } else {
      reflection->SetString(message, field, value);
    }
    return;
  }
  Message* child = repeated ? reflection->AddMessage(message, field)
                            : reflection->MutableMessage(message, field);
  SetPath(child, path.substr(dot + 1), value);
}

// "reports[0].status.kernel" names itself that way in the error message.
class RequestLimitsTest : public DeviceTest {};

TEST_F(RequestLimitsTest, EveryStringFieldOfEveryRpcIsBoundedAndNamed) {
  const std::string device = Enrolled("SN-LIMITS");
  grpc::GenericStub stub(server_.Channel());
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  int checked = 0;
  for (const char* name :
       {"parc.v1.AdminService", "parc.v1.AllocationService", "parc.v1.DashboardService",
        "parc.v1.DeviceService", "parc.v1.InventoryService", "parc.v1.TrainingService"}) {
    const auto* service = pool->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    const bool for_devices = std::string_view(name) == "parc.v1.DeviceService";
    for (int m = 0; m < service->method_count(); ++m) {
      const auto* method = service->method(m);
      std::vector<std::string> paths;
      StringPaths(*method->input_type(), "", 0, &paths);
      for (const std::string& path : paths) {
        std::unique_ptr<Message> request(factory->GetPrototype(method->input_type())->New());
        SetPath(request.get(), path, std::string(kOversized, 'x'));
        auto ctx = As(for_devices ? device : server_.admin_token());
        OneCall call;
        grpc::Status status =
            call.Run(stub, ctx.get(), "/" + service->full_name() + "/" + method->name(), *request);
        EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT)
            << method->full_name() << " " << path << ": " << status.error_message();
        EXPECT_TRUE(status.error_message().starts_with(path + ":"))
            << method->full_name() << " " << path << ": " << status.error_message();
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 150);
}

TEST_F(RequestLimitsTest, AMebibyteSearchTextIsAnInvalidQueryNotAnInternalError) {
  const std::string mib(1 << 20, 'a');
  v1::ListAgentsRequest agents;
  agents.set_query(mib);
  v1::ListAgentsResponse agents_out;
  grpc::Status status = inventory_->ListAgents(Admin().get(), agents, &agents_out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "query: longer than 256 bytes");

  v1::ListDevicesRequest devices;
  devices.set_query(mib);
  v1::ListDevicesResponse devices_out;
  status = inventory_->ListDevices(Admin().get(), devices, &devices_out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "query: longer than 256 bytes");

  v1::ListSitesRequest sites;
  sites.set_query(mib);
  v1::ListSitesResponse sites_out;
  status = inventory_->ListSites(Admin().get(), sites, &sites_out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "query: longer than 256 bytes");
}

TEST_F(RequestLimitsTest, AStringAtItsLimitPasses) {
  v1::ListAgentsRequest request;
  request.set_query(std::string(service::StringLimit("query"), 'a'));
  v1::ListAgentsResponse out;
  grpc::Status status = inventory_->ListAgents(Admin().get(), request, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST(StatusMappingTest, AStorageEnginesMessageNeverReachesTheClient) {
  for (ErrorCode code :
       {ErrorCode::kInternal, ErrorCode::kUnavailable, ErrorCode::kFailedPrecondition}) {
    grpc::Status status =
        service::ToGrpcStatus(Fail(code, "list agents: sqlite: LIKE or GLOB pattern too complex"));
    EXPECT_EQ(static_cast<int>(status.error_code()), static_cast<int>(code));
    EXPECT_EQ(status.error_message().find("sqlite"), std::string::npos) << status.error_message();
    EXPECT_EQ(status.error_message().find("GLOB"), std::string::npos) << status.error_message();
  }
  grpc::Status bug = service::ToGrpcStatus(Fail(ErrorCode::kInternal, "allocation vanished"));
  EXPECT_EQ(bug.error_message(), "internal error (details in the server log)");
  // Parc's own words pass as they are.
  grpc::Status named = service::ToGrpcStatus(InvalidArgument("serial", "required"));
  EXPECT_EQ(named.error_message(), "serial: required");
  grpc::Status retry =
      service::ToGrpcStatus(Fail(ErrorCode::kUnavailable, "server is stopping; retry later"));
  EXPECT_EQ(retry.error_message(), "server is stopping; retry later");
}

}  // namespace
}  // namespace parc::testing
