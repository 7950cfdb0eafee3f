// Every RPC, called by every role and by callers with no, revoked or expired
// tokens, gets the status the permission table promises. The expected matrix
// is written out here by hand, independently of daemon/service/permissions.cc.
#include "daemon/service/permissions.h"

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <future>
#include <map>

#include "parc/v1/admin.grpc.pb.h"
#include "parc/v1/device.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"
#include "tests/support/test_server.h"

namespace parc {
namespace {

// Roles allowed per method: A admin, L logistics, V advisor, M manager, U auditor.
const std::map<std::string, std::string> kExpected = {
    {"/parc.v1.InventoryService/GetAgent", "ALVMU"},
    {"/parc.v1.InventoryService/ListAgents", "ALVMU"},
    {"/parc.v1.InventoryService/CreateAgent", "AL"},
    {"/parc.v1.InventoryService/UpdateAgent", "AL"},
    {"/parc.v1.InventoryService/ImportAgents", "AL"},
    {"/parc.v1.InventoryService/GetDevice", "ALVMU"},
    {"/parc.v1.InventoryService/ListDevices", "ALVMU"},
    {"/parc.v1.InventoryService/CreateDevice", "AL"},
    {"/parc.v1.InventoryService/UpdateDevice", "AL"},
    {"/parc.v1.InventoryService/SetDeviceLifecycle", "AL"},
    {"/parc.v1.InventoryService/ImportDevices", "AL"},
    {"/parc.v1.InventoryService/GetSite", "ALVMU"},
    {"/parc.v1.InventoryService/ListSites", "ALVMU"},
    {"/parc.v1.InventoryService/ListDepartments", "ALVMU"},
    {"/parc.v1.InventoryService/CreateSite", "AL"},
    {"/parc.v1.InventoryService/UpdateSite", "AL"},
    {"/parc.v1.InventoryService/CreateEnrollmentToken", "AL"},
    {"/parc.v1.InventoryService/RevokeDevice", "AL"},
    {"/parc.v1.InventoryService/AllowEnrollment", "AL"},
    {"/parc.v1.InventoryService/GetDeviceStatus", "ALVMU"},
    {"/parc.v1.InventoryService/Search", "ALVMU"},
    {"/parc.v1.AllocationService/Assign", "AL"},
    {"/parc.v1.AllocationService/Return", "AL"},
    {"/parc.v1.AllocationService/ListAllocations", "ALVMU"},
    {"/parc.v1.AllocationService/GetDeviceHistory", "ALVMU"},
    {"/parc.v1.AllocationService/StoreReceipt", "AL"},
    {"/parc.v1.AllocationService/ListReceipts", "ALU"},
    {"/parc.v1.AllocationService/GetReceiptFile", "ALU"},
    {"/parc.v1.AdminService/WhoAmI", "ALVMU"},
    {"/parc.v1.AdminService/CreateOperator", "A"},
    {"/parc.v1.AdminService/ListOperators", "AU"},
    {"/parc.v1.AdminService/DisableOperator", "A"},
    {"/parc.v1.AdminService/CreateApiToken", "ALVM"},
    {"/parc.v1.AdminService/ListApiTokens", "AU"},
    {"/parc.v1.AdminService/RevokeApiToken", "ALVM"},
    {"/parc.v1.AdminService/ListAuditEvents", "ALU"},
    {"/parc.v1.AdminService/Backup", "A"},
    {"/parc.v1.DashboardService/AllocationSummary", "ALVMU"},
    {"/parc.v1.DashboardService/Coverage", "ALVMU"},
    {"/parc.v1.DashboardService/StaleDevices", "ALVMU"},
    {"/parc.v1.DashboardService/FleetHealth", "ALVMU"},
    {"/parc.v1.DashboardService/TrainingFunnel", "ALVMU"},
    {"/parc.v1.DashboardService/OverdueLoans", "ALVMU"},
    {"/parc.v1.TrainingService/ImportSkillAssessments", "AV"},
    {"/parc.v1.TrainingService/ListSkillAssessments", "ALVMU"},
    {"/parc.v1.TrainingService/ListSkillTiers", "ALVMU"},
    {"/parc.v1.TrainingService/CreateModule", "AV"},
    {"/parc.v1.TrainingService/GetModule", "ALVMU"},
    {"/parc.v1.TrainingService/ListModules", "ALVMU"},
    {"/parc.v1.TrainingService/AddModuleItems", "AV"},
    {"/parc.v1.TrainingService/PublishModule", "AV"},
    {"/parc.v1.TrainingService/ArchiveModule", "AV"},
    {"/parc.v1.TrainingService/UploadContent", "AV"},
    {"/parc.v1.TrainingService/AssignModule", "AV"},
    {"/parc.v1.TrainingService/ListAssignments", "ALVMU"},
    {"/parc.v1.TrainingService/RemoveAssignment", "AV"},
    {"/parc.v1.TrainingService/ListProgress", "ALVMU"},
    // Device credentials only: every operator is refused.
    {"/parc.v1.DeviceService/CheckIn", ""},
    {"/parc.v1.DeviceService/ListAssignedContent", ""},
    {"/parc.v1.DeviceService/ReportProgress", ""},
    {"/parc.v1.DeviceService/ReportUsage", ""},
    {"/parc.v1.DeviceService/LookUpPerson", ""},
};

bool IsDeviceMethod(const std::string& method) {
  return method.starts_with("/parc.v1.DeviceService/");
}

const std::vector<std::string> kServices = {
    "parc.v1.InventoryService", "parc.v1.AllocationService", "parc.v1.AdminService",
    "parc.v1.DeviceService",    "parc.v1.TrainingService",   "parc.v1.DashboardService",
};

// Calls `method` with an empty request and returns the status code.
grpc::StatusCode Call(testing::TestServer& server, const std::string& method,
                      const std::string& token) {
  grpc::GenericStub stub(server.Channel());
  auto ctx = testing::TestServer::Context(token);
  grpc::Slice empty(std::string{});
  grpc::ByteBuffer request(&empty, 1), response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(ctx.get(), method, {}, &request, &response,
                 [&](grpc::Status status) { done.set_value(std::move(status)); });
  return done.get_future().get().error_code();
}

class PermissionsTest : public ::testing::Test {
 protected:
  // Enrolls a device and returns its credential.
  std::string DeviceCredential() {
    auto inventory = v1::InventoryService::NewStub(server_.Channel());
    v1::CreateEnrollmentTokenRequest create;
    v1::CreateEnrollmentTokenResponse token;
    EXPECT_TRUE(
        inventory
            ->CreateEnrollmentToken(server_.Context(server_.admin_token()).get(), create, &token)
            .ok());
    auto device = v1::DeviceService::NewStub(server_.Channel());
    v1::EnrollRequest enroll;
    enroll.set_token(token.token());
    enroll.set_serial("PERM-1");
    enroll.set_kind(v1::DEVICE_KIND_TABLET);
    v1::EnrollResponse enrolled;
    grpc::ClientContext ctx;
    EXPECT_TRUE(device->Enroll(&ctx, enroll, &enrolled).ok());
    return enrolled.credential();
  }

  grpc::StatusCode FetchContent(const std::string& token) {
    auto device = v1::DeviceService::NewStub(server_.Channel());
    auto ctx = server_.Context(token);
    v1::FetchContentRequest request;
    auto reader = device->FetchContent(ctx.get(), request);
    v1::ContentChunk chunk;
    while (reader->Read(&chunk)) {
    }
    return reader->Finish().error_code();
  }

  // Hundreds of refused credentials from one address: rate limits off here
  // (they have their own tests, rate_limits_test.cc).
  testing::TestServer server_{{.config = {.enroll_attempts_per_peer = 0,
                                          .enroll_attempts_per_token = 0,
                                          .auth_failures_per_peer = 0,
                                          .auth_failures_per_token = 0}}};
};

TEST(PermissionTableTest, ListsEveryMethodOfEveryService) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<std::string_view> listed = service::ListedMethods();
  for (const std::string& name : kServices) {
    const auto* service = pool->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      std::string method = "/" + name + "/" + service->method(i)->name();
      EXPECT_TRUE(service::PermissionFor(method).has_value()) << method << " is not in the table";
    }
  }
  EXPECT_EQ(service::PermissionFor("/parc.v1.InventoryService/NoSuchMethod"), std::nullopt);
}

TEST_F(PermissionsTest, EveryRoleGetsExactlyWhatTheTableGrants) {
  const std::map<char, std::string> tokens = {
      {'A', server_.admin_token()},
      {'L', server_.TokenFor("lea", v1::ROLE_LOGISTICS)},
      {'V', server_.TokenFor("victor", v1::ROLE_ADVISOR)},
      {'M', server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"})},
      {'U', server_.TokenFor("ugo", v1::ROLE_AUDITOR)},
  };
  for (const auto& [method, allowed] : kExpected) {
    for (const auto& [role, token] : tokens) {
      grpc::StatusCode code = Call(server_, method, token);
      if (allowed.find(role) == std::string::npos) {
        EXPECT_EQ(code, grpc::StatusCode::PERMISSION_DENIED) << method << " as " << role;
      } else {
        EXPECT_NE(code, grpc::StatusCode::PERMISSION_DENIED) << method << " as " << role;
        EXPECT_NE(code, grpc::StatusCode::UNAUTHENTICATED) << method << " as " << role;
      }
    }
  }
}

TEST_F(PermissionsTest, CallsWithoutAValidTokenAreUnauthenticated) {
  std::string revoked = server_.TokenFor("rita", v1::ROLE_ADMIN);
  {
    auto stub = v1::AdminService::NewStub(server_.Channel());
    v1::ListApiTokensRequest list;
    list.set_operator_name("rita");
    v1::ListApiTokensResponse tokens;
    ASSERT_TRUE(
        stub->ListApiTokens(server_.Context(server_.admin_token()).get(), list, &tokens).ok());
    v1::RevokeApiTokenRequest revoke;
    revoke.set_id(tokens.tokens(0).id());
    v1::ApiToken out;
    ASSERT_TRUE(
        stub->RevokeApiToken(server_.Context(server_.admin_token()).get(), revoke, &out).ok());
  }
  std::string expiring;
  {
    auto stub = v1::AdminService::NewStub(server_.Channel());
    v1::CreateApiTokenRequest request;
    request.set_ttl_seconds(60);
    v1::CreateApiTokenResponse created;
    ASSERT_TRUE(
        stub->CreateApiToken(server_.Context(server_.admin_token()).get(), request, &created).ok());
    expiring = created.token();
    EXPECT_EQ(Call(server_, "/parc.v1.AdminService/WhoAmI", expiring), grpc::StatusCode::OK);
    server_.clock().Advance(61'000);
  }
  const std::string forged = "parc_" + std::string(43, 'A');
  const std::string forged_device = "parcdev_" + std::string(43, 'A');
  for (const auto& [method, allowed] : kExpected) {
    for (const std::string& token :
         {std::string(), forged, forged_device, revoked, expiring, std::string("garbage")}) {
      EXPECT_EQ(Call(server_, method, token), grpc::StatusCode::UNAUTHENTICATED)
          << method << " with token '" << token.substr(0, 8) << "'";
    }
  }
}

TEST_F(PermissionsTest, DeviceCredentialsAreDeniedEverythingButDeviceRpcs) {
  std::string credential = DeviceCredential();
  for (const auto& [method, allowed] : kExpected) {
    grpc::StatusCode code = Call(server_, method, credential);
    if (IsDeviceMethod(method)) {
      EXPECT_NE(code, grpc::StatusCode::PERMISSION_DENIED) << method;
      EXPECT_NE(code, grpc::StatusCode::UNAUTHENTICATED) << method;
    } else {
      EXPECT_EQ(code, grpc::StatusCode::PERMISSION_DENIED) << method;
    }
  }
  EXPECT_EQ(FetchContent(server_.admin_token()), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(PermissionsTest, EnrollIsOpenTheTokenInTheRequestIsTheProof) {
  // An empty request fails on its content, whoever (if anyone) sends it.
  for (const std::string& token : {std::string(), server_.admin_token()}) {
    EXPECT_EQ(Call(server_, "/parc.v1.DeviceService/Enroll", token),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
}

TEST_F(PermissionsTest, ContentRpcsAnswerTheDeviceAndNobodyElse) {
  std::string credential = DeviceCredential();
  EXPECT_EQ(Call(server_, "/parc.v1.DeviceService/ListAssignedContent", credential),
            grpc::StatusCode::OK);
  // Empty requests fail on their content, after authentication.
  EXPECT_EQ(Call(server_, "/parc.v1.DeviceService/ReportProgress", credential),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FetchContent(credential), grpc::StatusCode::INVALID_ARGUMENT);
  for (const std::string method :
       {"/parc.v1.DeviceService/ListAssignedContent", "/parc.v1.DeviceService/ReportProgress"}) {
    EXPECT_EQ(Call(server_, method, ""), grpc::StatusCode::UNAUTHENTICATED) << method;
  }
  EXPECT_EQ(FetchContent(""), grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace parc
