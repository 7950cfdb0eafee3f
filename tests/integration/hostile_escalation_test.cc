// Issue 18, the anchors' vulnerability classes (who may do what): role
// self-escalation (FleetDM CVE-2022-24841: a user changing their own role), a
// manager moving people or devices out of their departments, and a bulk
// import doing what the single call refuses (Snipe-IT GHSA-6f75-…: the
// importer skipped the checks of the form). Each test says what it would
// catch; a refused change is checked in the database, not only in the status.
#include <gtest/gtest.h>

#include "parc/v1/admin.grpc.pb.h"
#include "tests/integration/http_client.h"
#include "tests/integration/service_fixture.h"

namespace parc::testing {
namespace {

namespace bh = boost::beast::http;
using grpc::StatusCode;

class HostileEscalationTest : public ServiceTest {
 protected:
  v1::Operator WhoAmI(const std::string& token) {
    v1::Operator me;
    EXPECT_TRUE(admin_->WhoAmI(As(token).get(), v1::WhoAmIRequest(), &me).ok());
    return me;
  }

  v1::Agent Agent(const std::string& number) {
    v1::GetAgentRequest request;
    request.set_employee_number(number);
    v1::Agent out;
    EXPECT_TRUE(inventory_->GetAgent(Admin().get(), request, &out).ok());
    return out;
  }

  v1::ImportResult Import(bool agents, const std::string& token, const std::string& csv,
                          StatusCode want = StatusCode::OK) {
    v1::ImportRequest request;
    request.set_csv(csv);
    v1::ImportResult out;
    grpc::Status status = agents ? inventory_->ImportAgents(As(token).get(), request, &out)
                                 : inventory_->ImportDevices(As(token).get(), request, &out);
    EXPECT_EQ(status.error_code(), want) << status.error_message();
    return out;
  }
};

// Would catch: an operator giving themselves (or a new account, or a token) a
// higher role, or acting on the admin's tokens.
TEST_F(HostileEscalationTest, NoRoleRaisesItselfOrItsTokens) {
  v1::ListApiTokensRequest list;
  list.set_operator_name("admin");
  v1::ListApiTokensResponse admin_tokens;
  ASSERT_TRUE(admin_->ListApiTokens(Admin().get(), list, &admin_tokens).ok());
  ASSERT_GT(admin_tokens.tokens_size(), 0);
  for (auto [name, role] : {std::pair{"lea", v1::ROLE_LOGISTICS},
                            {"vic", v1::ROLE_ADVISOR},
                            {"max", v1::ROLE_MANAGER},
                            {"ugo", v1::ROLE_AUDITOR}}) {
    const std::string token =
        server_.TokenFor(name, role,
                         role == v1::ROLE_MANAGER ? std::vector<std::string>{"PROPRETE"}
                                                  : std::vector<std::string>{});
    SCOPED_TRACE(name);
    // Their own record, with a higher role; a new admin account.
    for (const std::string target : {std::string(name), std::string("eve")}) {
      v1::CreateOperatorRequest request;
      request.mutable_operator_()->set_name(target);
      request.mutable_operator_()->set_role(v1::ROLE_ADMIN);
      v1::Operator out;
      EXPECT_EQ(admin_->CreateOperator(As(token).get(), request, &out).error_code(),
                StatusCode::PERMISSION_DENIED)
          << target;
    }
    // A token of the admin's, under any spelling of the name.
    for (const std::string target : {"admin", "ADMIN", " admin", "admin "}) {
      v1::CreateApiTokenRequest request;
      request.set_operator_name(target);
      v1::CreateApiTokenResponse out;
      grpc::Status status = admin_->CreateApiToken(As(token).get(), request, &out);
      EXPECT_NE(status.error_code(), StatusCode::OK) << "'" << target << "'";
      EXPECT_TRUE(out.token().empty());
    }
    // Their own new token carries their role, not more.
    v1::CreateApiTokenResponse own;
    if (admin_->CreateApiToken(As(token).get(), v1::CreateApiTokenRequest(), &own).ok()) {
      EXPECT_EQ(WhoAmI(own.token()).role(), role);
    }
    // The admin's token stays the admin's.
    v1::RevokeApiTokenRequest revoke;
    revoke.set_id(admin_tokens.tokens(0).id());
    v1::ApiToken revoked;
    EXPECT_EQ(admin_->RevokeApiToken(As(token).get(), revoke, &revoked).error_code(),
              StatusCode::PERMISSION_DENIED);
    v1::DisableOperatorRequest disable;
    disable.set_name("admin");
    v1::Operator disabled;
    EXPECT_EQ(admin_->DisableOperator(As(token).get(), disable, &disabled).error_code(),
              StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(WhoAmI(token).role(), role) << "still what they were";
  }
  EXPECT_EQ(WhoAmI(server_.admin_token()).role(), v1::ROLE_ADMIN);
  v1::ListOperatorsResponse operators;
  ASSERT_TRUE(admin_->ListOperators(Admin().get(), {}, &operators).ok());
  int admins = 0;
  for (const auto& op : operators.operators()) admins += op.role() == v1::ROLE_ADMIN;
  EXPECT_EQ(admins, 1);
}

// Would catch: a manager changing a person's or a device's department, or
// assigning or importing, by gRPC or through the desk's HTTP routes.
TEST_F(HostileEscalationTest, AManagerMovesNoOneAndNothingOutOfTheirDepartments) {
  AddAgent("E000001", "PROPRETE");
  AddAgent("E000002", "VOIRIE");
  AddDevice("SN-1", "A-1");
  const std::string manager = server_.TokenFor("max", v1::ROLE_MANAGER, {"PROPRETE"});
  {
    v1::UpdateAgentRequest request;
    request.mutable_agent()->set_employee_number("E000001");
    request.mutable_agent()->set_department("VOIRIE");
    request.mutable_update_mask()->add_paths("department");
    v1::Agent out;
    EXPECT_EQ(inventory_->UpdateAgent(As(manager).get(), request, &out).error_code(),
              StatusCode::PERMISSION_DENIED);
    request.mutable_agent()->set_employee_number("E000002");
    request.mutable_agent()->set_department("PROPRETE");
    EXPECT_EQ(inventory_->UpdateAgent(As(manager).get(), request, &out).error_code(),
              StatusCode::PERMISSION_DENIED);
  }
  {
    v1::UpdateDeviceRequest request;
    request.mutable_device()->set_serial("SN-1");
    request.mutable_device()->set_department("VOIRIE");
    request.mutable_update_mask()->add_paths("department");
    v1::Device out;
    EXPECT_EQ(inventory_->UpdateDevice(As(manager).get(), request, &out).error_code(),
              StatusCode::PERMISSION_DENIED);
    v1::AssignRequest assign;
    assign.set_device("SN-1");
    assign.set_employee_number("E000002");
    v1::Allocation allocation;
    EXPECT_EQ(allocation_->Assign(As(manager).get(), assign, &allocation).error_code(),
              StatusCode::PERMISSION_DENIED);
  }
  Import(true, manager, "employee_number;department\nE000001;VOIRIE\n",
         StatusCode::PERMISSION_DENIED);
  Import(false, manager, "serial;department\nSN-1;VOIRIE\n", StatusCode::PERMISSION_DENIED);
  int port = server_.StartHttp();
  for (const auto& [route, body] :
       {std::pair{"assign", R"({"device":"SN-1","employeeNumber":"E000002"})"},
        {"import-agents?dry_run=false", "employee_number;department\nE000001;VOIRIE\n"}}) {
    HttpResponse resp = HttpClient(port).Send(
        bh::verb::post, std::string("/api/v1/desk/") + route,
        {{"Authorization", "Bearer " + manager},
         {"Content-Type", std::string(route) == "assign" ? "application/json" : "text/csv"},
         {"Origin", "http://127.0.0.1"}},
        body);
    EXPECT_EQ(resp.result_int(), 403) << route << ": " << resp.body();
  }
  EXPECT_EQ(Agent("E000001").department(), "PROPRETE");
  EXPECT_EQ(Agent("E000002").department(), "VOIRIE");
  EXPECT_EQ(GetDevice("SN-1").department(), "");
  EXPECT_EQ(GetDevice("SN-1").lifecycle(), v1::LIFECYCLE_IN_STOCK);
}

// Would catch: an import applying a change the single call refuses (a
// lifecycle move that only assign/return may make, leaving while holding a
// device, a field no call may set, a conflict), or applying part of a file.
TEST_F(HostileEscalationTest, AnImportRefusesWhatTheSingleCallRefusesAndAppliesNothing) {
  AddAgent("E000001", "PROPRETE");
  AddDevice("SN-ASSIGNED", "A-1");
  AddDevice("SN-RETIRED", "A-2");
  AddDevice("SN-FREE", "A-3");
  ASSERT_TRUE(Assign("SN-ASSIGNED", "E000001").ok());
  v1::SetDeviceLifecycleRequest retire;
  retire.set_device("SN-RETIRED");
  retire.set_lifecycle(v1::LIFECYCLE_RETIRED);
  v1::Device retired;
  ASSERT_TRUE(inventory_->SetDeviceLifecycle(Admin().get(), retire, &retired).ok());
  const std::string admin = server_.admin_token();

  // The single calls refuse these...
  for (auto [device, to] : {std::pair{"SN-ASSIGNED", v1::LIFECYCLE_LOST},
                            {"SN-RETIRED", v1::LIFECYCLE_IN_STOCK},
                            {"SN-FREE", v1::LIFECYCLE_ASSIGNED}}) {
    v1::SetDeviceLifecycleRequest request;
    request.set_device(device);
    request.set_lifecycle(to);
    v1::Device out;
    EXPECT_EQ(inventory_->SetDeviceLifecycle(Admin().get(), request, &out).error_code(),
              StatusCode::FAILED_PRECONDITION)
        << device;
  }
  v1::UpdateAgentRequest leave;
  leave.mutable_agent()->set_employee_number("E000001");
  leave.mutable_agent()->set_status(v1::AGENT_STATUS_LEFT);
  leave.mutable_update_mask()->add_paths("status");
  v1::Agent left;
  EXPECT_EQ(inventory_->UpdateAgent(Admin().get(), leave, &left).error_code(),
            StatusCode::FAILED_PRECONDITION);
  v1::CreateDeviceRequest duplicate;
  duplicate.mutable_device()->set_serial("SN-OTHER");
  duplicate.mutable_device()->set_asset_tag("A-3");
  duplicate.mutable_device()->set_kind(v1::DEVICE_KIND_TABLET);
  v1::Device dup;
  EXPECT_NE(inventory_->CreateDevice(Admin().get(), duplicate, &dup).error_code(), StatusCode::OK);

  // ... and so does an import of the same, each with a good row beside it
  // (which must not be applied either: all or nothing).
  for (const std::string& csv : std::vector<std::string>{
           "serial;lifecycle\nSN-FREE;in_repair\nSN-ASSIGNED;lost\n",
           "serial;lifecycle\nSN-FREE;in_repair\nSN-RETIRED;in_stock\n",
           "serial;lifecycle\nSN-FREE;assigned\n",
           "serial;kind;lifecycle\nSN-NEW;tablet;assigned\n",
           "serial;kind;asset_tag\nSN-NEW;tablet;A-3\n",
           "serial;holder_employee_number\nSN-FREE;E000001\n",
           "serial;model\nSN-FREE;" + std::string(300, 'm') + "\n",
           "serial;model\nSN-FREE;bad\x01model\n",
       }) {
    v1::ImportResult result = Import(false, admin, csv);
    EXPECT_FALSE(result.applied()) << csv;
    EXPECT_GT(result.problems_size(), 0) << csv;
  }
  for (const std::string& csv : std::vector<std::string>{
           "employee_number;status\nE000001;left\n",
           "employee_number;last_name;department\nE000009;" + std::string(300, 'n') + ";VOIRIE\n",
           "employee_number;department;role\nE000009;VOIRIE;admin\n",
       }) {
    v1::ImportResult result = Import(true, admin, csv);
    EXPECT_FALSE(result.applied()) << csv;
    EXPECT_GT(result.problems_size(), 0) << csv;
  }
  EXPECT_EQ(GetDevice("SN-ASSIGNED").lifecycle(), v1::LIFECYCLE_ASSIGNED);
  EXPECT_EQ(GetDevice("SN-RETIRED").lifecycle(), v1::LIFECYCLE_RETIRED);
  EXPECT_EQ(GetDevice("SN-FREE").lifecycle(), v1::LIFECYCLE_IN_STOCK) << "nothing half-applied";
  EXPECT_EQ(GetDevice("SN-FREE").holder_employee_number(), "");
  EXPECT_EQ(Agent("E000001").status(), v1::AGENT_STATUS_ACTIVE);
  v1::GetDeviceRequest missing;
  missing.set_device("SN-NEW");
  v1::Device none;
  EXPECT_EQ(inventory_->GetDevice(Admin().get(), missing, &none).error_code(),
            StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace parc::testing
