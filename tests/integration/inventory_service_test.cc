#include <google/protobuf/util/json_util.h>

#include "tests/integration/service_fixture.h"

namespace parc::testing {
namespace {

using grpc::StatusCode;

class InventoryServiceTest : public ServiceTest {};

TEST_F(InventoryServiceTest, CreatesAgentWithoutEmailAndReadsItBack) {
  AddAgent("e004512", "proprete");
  v1::GetAgentRequest request;
  request.set_employee_number("E004512");
  v1::Agent agent;
  ASSERT_TRUE(inventory_->GetAgent(Admin().get(), request, &agent).ok());
  EXPECT_EQ(agent.department(), "PROPRETE");
  EXPECT_FALSE(agent.has_email());
  EXPECT_EQ(agent.status(), v1::AGENT_STATUS_ACTIVE);
  ASSERT_EQ(Audit("agent:E004512").size(), 1u);
  EXPECT_EQ(Audit("agent:E004512")[0].actor(), "admin");
}

TEST_F(InventoryServiceTest, RefusesAgentWithoutNameNamingTheField) {
  v1::CreateAgentRequest request;
  request.mutable_agent()->set_employee_number("E1");
  request.mutable_agent()->set_department("VOIRIE");
  v1::Agent out;
  grpc::Status status = inventory_->CreateAgent(Admin().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("last_name"), std::string::npos) << status.error_message();
}

TEST_F(InventoryServiceTest, RefusesDuplicateSerialAndAssetTag) {
  AddDevice("SN-1", "RM-TAB-1");
  v1::CreateDeviceRequest request;
  request.mutable_device()->set_serial("SN-1");
  request.mutable_device()->set_kind(v1::DEVICE_KIND_TABLET);
  v1::Device out;
  grpc::Status status = inventory_->CreateDevice(Admin().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_NE(status.error_message().find("serial"), std::string::npos) << status.error_message();

  request.mutable_device()->set_serial("SN-2");
  request.mutable_device()->set_asset_tag("rm-tab-1");
  status = inventory_->CreateDevice(Admin().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_NE(status.error_message().find("asset_tag"), std::string::npos) << status.error_message();
}

TEST_F(InventoryServiceTest, UnknownDeviceIsNotFound) {
  v1::GetDeviceRequest request;
  request.set_device("NOPE");
  v1::Device out;
  EXPECT_EQ(inventory_->GetDevice(Admin().get(), request, &out).error_code(),
            StatusCode::NOT_FOUND);
}

TEST_F(InventoryServiceTest, ListsPageByPageWithoutGapsOrRepeats) {
  for (int i = 0; i < 25; ++i) AddAgent("E" + std::to_string(100 + i), i % 2 ? "VOIRIE" : "EAU");
  std::set<std::string> seen;
  v1::ListAgentsRequest request;
  request.set_page_size(10);
  int pages = 0;
  do {
    v1::ListAgentsResponse page;
    ASSERT_TRUE(inventory_->ListAgents(Admin().get(), request, &page).ok());
    for (const auto& a : page.agents()) EXPECT_TRUE(seen.insert(a.employee_number()).second);
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty());
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(pages, 3);
}

TEST_F(InventoryServiceTest, FiltersByDepartmentAndFreeText) {
  AddAgent("E1", "VOIRIE");
  AddAgent("E2", "EAU");
  v1::ListAgentsRequest request;
  request.set_department(" eau ");  // typed as people type it
  v1::ListAgentsResponse out;
  ASSERT_TRUE(inventory_->ListAgents(Admin().get(), request, &out).ok());
  ASSERT_EQ(out.agents_size(), 1);
  EXPECT_EQ(out.agents(0).employee_number(), "E2");

  AddDevice("R52T1", "RM-TAB-1");
  AddDevice("R52T2", "RM-PHN-2", v1::DEVICE_KIND_SMARTPHONE);
  v1::ListDevicesRequest devices;
  devices.set_query("PHN");
  v1::ListDevicesResponse found;
  ASSERT_TRUE(inventory_->ListDevices(Admin().get(), devices, &found).ok());
  ASSERT_EQ(found.devices_size(), 1);
  EXPECT_EQ(found.devices(0).serial(), "R52T2");
}

TEST_F(InventoryServiceTest, RejectsAForgedPageToken) {
  v1::ListDevicesRequest request;
  request.set_page_token("'; DROP TABLE devices; --");
  v1::ListDevicesResponse out;
  grpc::Status status = inventory_->ListDevices(Admin().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("page_token"), std::string::npos);
}

TEST_F(InventoryServiceTest, ManagerSeesOnlyTheirDepartments) {
  AddAgent("E-PARC", "ESPACES-VERTS");
  AddAgent("E-RUE", "PROPRETE");
  std::string manager = server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"});

  v1::ListAgentsRequest list;
  v1::ListAgentsResponse out;
  ASSERT_TRUE(inventory_->ListAgents(As(manager).get(), list, &out).ok());
  ASSERT_EQ(out.agents_size(), 1);
  EXPECT_EQ(out.agents(0).employee_number(), "E-PARC");

  list.set_department("PROPRETE");  // outside the scope: refused (manager_scope_test.cc)
  EXPECT_EQ(inventory_->ListAgents(As(manager).get(), list, &out).error_code(),
            StatusCode::PERMISSION_DENIED);

  v1::GetAgentRequest get;
  get.set_employee_number("E-RUE");
  v1::Agent agent;
  EXPECT_EQ(inventory_->GetAgent(As(manager).get(), get, &agent).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(InventoryServiceTest, UpdatesOnlyTheMaskedFieldsAndAuditsTheChange) {
  AddAgent("E7", "VOIRIE");
  v1::UpdateAgentRequest request;
  request.mutable_agent()->set_employee_number("E7");
  request.mutable_agent()->set_wave("vague-1");
  request.mutable_agent()->set_last_name("ignored");
  request.mutable_update_mask()->add_paths("wave");
  v1::Agent out;
  ASSERT_TRUE(inventory_->UpdateAgent(Admin().get(), request, &out).ok());
  EXPECT_EQ(out.wave(), "vague-1");
  EXPECT_EQ(out.last_name(), "Le Goff");
  auto events = Audit("agent:E7");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].action(), "agent.update");
  EXPECT_NE(events[0].summary().find("wave: '' -> 'vague-1'"), std::string::npos)
      << events[0].summary();

  request.mutable_update_mask()->set_paths(0, "employee_number");
  EXPECT_EQ(inventory_->UpdateAgent(Admin().get(), request, &out).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(InventoryServiceTest, EnforcesLifecycleTransitions) {
  AddDevice("SN-9", "RM-TAB-9");
  v1::SetDeviceLifecycleRequest request;
  request.set_device("RM-TAB-9");
  request.set_lifecycle(v1::LIFECYCLE_IN_REPAIR);
  v1::Device out;
  ASSERT_TRUE(inventory_->SetDeviceLifecycle(Admin().get(), request, &out).ok());
  EXPECT_EQ(out.lifecycle(), v1::LIFECYCLE_IN_REPAIR);

  request.set_lifecycle(v1::LIFECYCLE_ASSIGNED);
  EXPECT_EQ(inventory_->SetDeviceLifecycle(Admin().get(), request, &out).error_code(),
            StatusCode::FAILED_PRECONDITION);

  request.set_lifecycle(v1::LIFECYCLE_RETIRED);
  ASSERT_TRUE(inventory_->SetDeviceLifecycle(Admin().get(), request, &out).ok());
  request.set_lifecycle(v1::LIFECYCLE_IN_STOCK);
  grpc::Status status = inventory_->SetDeviceLifecycle(Admin().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("retired"), std::string::npos);
}

TEST_F(InventoryServiceTest, ImportsAFrenchSpreadsheetAllOrNothing) {
  const std::string good =
      "\xEF\xBB\xBFMatricule;Prénom;Nom;Service;Site;Email\n"
      "E10;Jean;Martin;VOIRIE;CTM-SUD;non\n"
      "E11;\"Anne; Marie\";Durand;EAU;CTM-NORD;oui\n";
  v1::ImportRequest request;
  request.set_csv(good);
  v1::ImportResult result;
  ASSERT_TRUE(inventory_->ImportAgents(Admin().get(), request, &result).ok());
  EXPECT_TRUE(result.applied());
  EXPECT_EQ(result.created(), 2);

  ASSERT_TRUE(inventory_->ImportAgents(Admin().get(), request, &result).ok());
  EXPECT_EQ(result.created(), 0);
  EXPECT_EQ(result.unchanged(), 2);

  request.set_csv("Matricule;Nom;Service\nE12;Petit;VOIRIE\nE13;;EAU\n");
  ASSERT_TRUE(inventory_->ImportAgents(Admin().get(), request, &result).ok());
  EXPECT_FALSE(result.applied());
  ASSERT_EQ(result.problems_size(), 1);
  EXPECT_EQ(result.problems(0).line(), 3);
  EXPECT_EQ(result.problems(0).column(), "Nom");
  v1::GetAgentRequest get;
  get.set_employee_number("E12");
  v1::Agent agent;
  EXPECT_EQ(inventory_->GetAgent(Admin().get(), get, &agent).error_code(), StatusCode::NOT_FOUND)
      << "a file with a bad line must write nothing";
}

TEST_F(InventoryServiceTest, UnknownColumnStopsTheImportUnlessIgnored) {
  v1::ImportRequest request;
  request.set_csv("N° de série;num_inventaire;Type\nSN-40;INV-40;tablette\n");
  v1::ImportResult result;
  ASSERT_TRUE(inventory_->ImportDevices(Admin().get(), request, &result).ok());
  EXPECT_FALSE(result.applied());
  ASSERT_EQ(result.problems_size(), 1);
  EXPECT_EQ(result.problems(0).line(), 1);
  EXPECT_EQ(result.problems(0).column(), "num_inventaire");
  EXPECT_NE(result.problems(0).reason().find("did you mean asset_tag?"), std::string::npos)
      << result.problems(0).reason();
  request.add_ignore_columns("NUM INVENTAIRE");
  ASSERT_TRUE(inventory_->ImportDevices(Admin().get(), request, &result).ok());
  EXPECT_TRUE(result.applied());
  EXPECT_EQ(result.created(), 1);
}

TEST_F(InventoryServiceTest, ReimportReportsEachChangedField) {
  v1::ImportRequest request;
  request.set_csv("N° de série;N° d'inventaire;Type\nSN-41;INV-41;tablette\n");
  v1::ImportResult result;
  ASSERT_TRUE(inventory_->ImportDevices(Admin().get(), request, &result).ok());
  ASSERT_TRUE(result.applied());
  request.set_csv("N° de série;N° d'inventaire;Type\nSN-41;INV-99;tablette\n");
  request.set_dry_run(true);
  ASSERT_TRUE(inventory_->ImportDevices(Admin().get(), request, &result).ok());
  ASSERT_EQ(result.changes_size(), 1);
  EXPECT_EQ(result.changes(0).line(), 2);
  EXPECT_EQ(result.changes(0).key(), "SN-41");
  EXPECT_EQ(result.changes(0).field(), "asset_tag");
  EXPECT_EQ(result.changes(0).old_value(), "INV-41");
  EXPECT_EQ(result.changes(0).new_value(), "INV-99");
}

TEST_F(InventoryServiceTest, AnAgentNamingANewSiteCreatesItForEnrollmentTokens) {
  v1::CreateAgentRequest create;
  create.mutable_agent()->set_employee_number("E50");
  create.mutable_agent()->set_last_name("Le Goff");
  create.mutable_agent()->set_department("ÉTAT CIVIL");
  create.mutable_agent()->set_site("Mairie annexe Sud");
  v1::Agent agent;
  ASSERT_TRUE(inventory_->CreateAgent(Admin().get(), create, &agent).ok());
  EXPECT_EQ(agent.site(), "MAIRIE-ANNEXE-SUD");
  auto created = Audit("site:MAIRIE-ANNEXE-SUD");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].action(), "site.create");
  EXPECT_EQ(created[0].summary(), "Mairie annexe Sud (named by agent:E50)");
  v1::CreateEnrollmentTokenRequest token;
  token.set_site("mairie annexe sud");
  v1::CreateEnrollmentTokenResponse out;
  grpc::Status status = inventory_->CreateEnrollmentToken(Admin().get(), token, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(InventoryServiceTest, GarbageInStringFieldsIsRefusedAndTheServerKeepsServing) {
  v1::CreateAgentRequest request;
  request.mutable_agent()->set_employee_number(std::string("E\0\x01", 3));
  request.mutable_agent()->set_last_name(std::string(100000, 'x'));
  request.mutable_agent()->set_department("VOIRIE");
  v1::Agent out;
  EXPECT_EQ(inventory_->CreateAgent(Admin().get(), request, &out).error_code(),
            StatusCode::INVALID_ARGUMENT);
  AddAgent("E-OK", "VOIRIE");
}

}  // namespace
}  // namespace parc::testing
