#include "common/time.h"
#include "parc/v1/dashboard.grpc.pb.h"
#include "tests/integration/service_fixture.h"

namespace parc::testing {
namespace {

using grpc::StatusCode;

class AllocationServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    AddAgent("E1", "ESPACES-VERTS");
    AddAgent("E2", "PROPRETE");
    AddDevice("SN-1", "RM-TAB-1");
  }
};

TEST_F(AllocationServiceTest, AssignsThenReturnsAndKeepsTheHistory) {
  v1::Allocation allocation;
  ASSERT_TRUE(Assign("RM-TAB-1", "E1", "", &allocation).ok());
  EXPECT_EQ(allocation.kind(), v1::ALLOCATION_KIND_PERSONAL);
  EXPECT_EQ(allocation.employee_number(), "E1");
  v1::Device device = GetDevice("RM-TAB-1");
  EXPECT_EQ(device.lifecycle(), v1::LIFECYCLE_ASSIGNED);
  EXPECT_EQ(device.holder_employee_number(), "E1");
  EXPECT_EQ(device.department(), "ESPACES-VERTS");

  ASSERT_TRUE(Return("RM-TAB-1", v1::LIFECYCLE_IN_REPAIR, "écran fissuré").ok());
  EXPECT_EQ(GetDevice("RM-TAB-1").lifecycle(), v1::LIFECYCLE_IN_REPAIR);

  v1::GetDeviceHistoryRequest request;
  request.set_device("SN-1");
  v1::GetDeviceHistoryResponse history;
  ASSERT_TRUE(allocation_->GetDeviceHistory(Admin().get(), request, &history).ok());
  ASSERT_EQ(history.allocations_size(), 1);
  EXPECT_EQ(history.allocations(0).return_condition(), "écran fissuré");
  EXPECT_EQ(history.allocations(0).returned_to(), v1::LIFECYCLE_IN_REPAIR);
  EXPECT_TRUE(history.allocations(0).has_ended_at());
  std::vector<std::string> actions;
  for (const auto& e : history.events()) actions.push_back(e.action());
  EXPECT_EQ(actions,
            (std::vector<std::string>{"allocation.return", "allocation.assign", "device.create"}));
}

// A paper record from before Parc: started 2025-09-01, due 2026-01-31 (the
// server's today is 2026-05-28).
v1::AssignRequest BackDated(const std::string& device, const std::string& employee,
                            const std::string& since, const std::string& due) {
  v1::AssignRequest request;
  request.set_device(device);
  request.set_employee_number(employee);
  request.set_due_date(due);
  ToTimestamp(DateMs(since), request.mutable_started_at());
  return request;
}

TEST_F(AllocationServiceTest, RecordsABackDatedLoanThatIsOverdueAtOnce) {
  v1::Allocation allocation;
  grpc::Status status = allocation_->Assign(
      Admin().get(), BackDated("RM-TAB-1", "E1", "2025-09-01", "2026-01-31"), &allocation);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(FormatDate(FromTimestamp(allocation.started_at())), "2025-09-01");
  EXPECT_EQ(allocation.kind(), v1::ALLOCATION_KIND_LOAN);
  auto events = Audit("device:SN-1");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].action(), "allocation.assign");
  EXPECT_NE(events[0].summary().find("back-dated: started 2025-09-01T00:00:00Z, due 2026-01-31"),
            std::string::npos)
      << events[0].summary();
  auto dashboard = v1::DashboardService::NewStub(server_.Channel());
  v1::OverdueLoansResponse overdue;
  ASSERT_TRUE(dashboard->OverdueLoans(Admin().get(), v1::OverdueLoansRequest(), &overdue).ok());
  ASSERT_EQ(overdue.loans_size(), 1);
  EXPECT_GT(overdue.loans(0).days_overdue(), 100);
}

TEST_F(AllocationServiceTest, RefusesABackDatedStartThatWouldRewriteHistory) {
  v1::Allocation out;
  auto refused = [&](const v1::AssignRequest& request, const std::string& field) {
    grpc::Status status = allocation_->Assign(Admin().get(), request, &out);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_NE(status.error_message().find(field), std::string::npos) << status.error_message();
    return status.error_message();
  };
  refused(BackDated("RM-TAB-1", "E1", "2026-07-01", ""), "started_at");          // in the future
  refused(BackDated("RM-TAB-1", "E1", "2025-09-01", "2025-08-31"), "due_date");  // before start
  refused(BackDated("RM-TAB-1", "E1", "2025-09-01", "2025-09-01"), "due_date");
  // Given and taken back today: an earlier start would overlap that allocation.
  ASSERT_TRUE(Assign("RM-TAB-1", "E2").ok());
  ASSERT_TRUE(Return("RM-TAB-1").ok());
  std::string message = refused(BackDated("RM-TAB-1", "E1", "2025-09-01", ""), "started_at");
  EXPECT_NE(message.find("previous allocation"), std::string::npos) << message;
  // Without a start the due date may still not be past.
  EXPECT_EQ(Assign("RM-TAB-1", "E1", "2026-01-31").error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(AllocationServiceTest, RefusesASecondAssignmentOfTheSameDevice) {
  ASSERT_TRUE(Assign("RM-TAB-1", "E1").ok());
  grpc::Status status = Assign("RM-TAB-1", "E2");
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("already assigned to E1"), std::string::npos)
      << status.error_message();
}

TEST_F(AllocationServiceTest, RefusesToAssignDevicesInRepairLostOrRetired) {
  for (v1::Lifecycle state : {v1::LIFECYCLE_IN_REPAIR, v1::LIFECYCLE_LOST, v1::LIFECYCLE_RETIRED}) {
    std::string serial = "SN-STATE-" + std::to_string(state);
    AddDevice(serial, "");
    v1::SetDeviceLifecycleRequest request;
    request.set_device(serial);
    request.set_lifecycle(state);
    v1::Device out;
    ASSERT_TRUE(inventory_->SetDeviceLifecycle(Admin().get(), request, &out).ok());
    EXPECT_EQ(Assign(serial, "E1").error_code(), StatusCode::FAILED_PRECONDITION) << state;
  }
}

TEST_F(AllocationServiceTest, RetiringAnAssignedDeviceRequiresReturningItFirst) {
  ASSERT_TRUE(Assign("RM-TAB-1", "E1").ok());
  v1::SetDeviceLifecycleRequest request;
  request.set_device("RM-TAB-1");
  request.set_lifecycle(v1::LIFECYCLE_RETIRED);
  v1::Device out;
  grpc::Status status = inventory_->SetDeviceLifecycle(Admin().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("return it first"), std::string::npos);
  ASSERT_TRUE(Return("RM-TAB-1").ok());
  EXPECT_TRUE(inventory_->SetDeviceLifecycle(Admin().get(), request, &out).ok());
}

TEST_F(AllocationServiceTest, AnAgentLeavingWithDevicesIsRefusedWithTheList) {
  AddDevice("SN-2", "RM-PHN-2", v1::DEVICE_KIND_SMARTPHONE);
  ASSERT_TRUE(Assign("RM-TAB-1", "E1").ok());
  ASSERT_TRUE(Assign("RM-PHN-2", "E1").ok());
  v1::UpdateAgentRequest request;
  request.mutable_agent()->set_employee_number("E1");
  request.mutable_agent()->set_status(v1::AGENT_STATUS_LEFT);
  request.mutable_update_mask()->add_paths("status");
  v1::Agent out;
  grpc::Status status = inventory_->UpdateAgent(Admin().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("RM-TAB-1"), std::string::npos) << status.error_message();
  EXPECT_NE(status.error_message().find("RM-PHN-2"), std::string::npos) << status.error_message();

  ASSERT_TRUE(Return("RM-TAB-1").ok());
  ASSERT_TRUE(Return("RM-PHN-2").ok());
  EXPECT_TRUE(inventory_->UpdateAgent(Admin().get(), request, &out).ok());
  EXPECT_EQ(Assign("RM-TAB-1", "E1").error_code(), StatusCode::FAILED_PRECONDITION);
}

TEST_F(AllocationServiceTest, AssignsToASitePoolOnlyForAKnownSite) {
  AddDevice("PC-1", "RM-PC-1", v1::DEVICE_KIND_SHARED_PC);
  v1::AssignRequest request;
  request.set_device("RM-PC-1");
  // CTM-SUD: no agent or device names it (the fixture's agents made CTM-NORD).
  request.set_site("CTM-SUD");
  v1::Allocation out;
  EXPECT_EQ(allocation_->Assign(Admin().get(), request, &out).error_code(), StatusCode::NOT_FOUND);

  v1::CreateSiteRequest site;
  site.mutable_site()->set_code("ctm-sud");
  site.mutable_site()->set_name("Centre technique municipal Sud");
  v1::Site created;
  ASSERT_TRUE(inventory_->CreateSite(Admin().get(), site, &created).ok());
  ASSERT_TRUE(allocation_->Assign(Admin().get(), request, &out).ok());
  EXPECT_EQ(out.kind(), v1::ALLOCATION_KIND_SITE);
  EXPECT_EQ(GetDevice("RM-PC-1").holder_site(), "CTM-SUD");
}

TEST_F(AllocationServiceTest, LoansPastTheirDueDateAreListedAsOverdue) {
  AddDevice("SN-3", "RM-TAB-3");
  ASSERT_TRUE(Assign("RM-TAB-1", "E1", "2026-06-01").ok());  // the test clock is 2026-05-28
  ASSERT_TRUE(Assign("RM-TAB-3", "E2", "2026-07-01").ok());
  EXPECT_EQ(Assign("SN-3", "E2", "2020-01-01").error_code(), StatusCode::FAILED_PRECONDITION);
  server_.clock().Advance(10LL * 86400 * 1000);  // 2026-06-07

  v1::ListAllocationsRequest request;
  request.set_overdue_only(true);
  v1::ListAllocationsResponse out;
  ASSERT_TRUE(allocation_->ListAllocations(Admin().get(), request, &out).ok());
  ASSERT_EQ(out.allocations_size(), 1);
  EXPECT_EQ(out.allocations(0).device_asset_tag(), "RM-TAB-1");
  EXPECT_EQ(out.allocations(0).kind(), v1::ALLOCATION_KIND_LOAN);
}

TEST_F(AllocationServiceTest, PastDueDatesAndUnknownAgentsAreRefused) {
  EXPECT_EQ(Assign("RM-TAB-1", "E1", "2020-01-01").error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Assign("RM-TAB-1", "E1", "demain").error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Assign("RM-TAB-1", "E404").error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(Assign("NOPE", "E1").error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(Return("RM-TAB-1").error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(GetDevice("RM-TAB-1").lifecycle(), v1::LIFECYCLE_IN_STOCK);
}

TEST_F(AllocationServiceTest, HistoryPerAgentListsEveryAllocationNewestFirst) {
  AddDevice("SN-2", "RM-TAB-2");
  ASSERT_TRUE(Assign("RM-TAB-1", "E1").ok());
  ASSERT_TRUE(Return("RM-TAB-1").ok());
  ASSERT_TRUE(Assign("RM-TAB-2", "E1").ok());
  v1::ListAllocationsRequest request;
  request.set_employee_number("e1");
  v1::ListAllocationsResponse out;
  ASSERT_TRUE(allocation_->ListAllocations(Admin().get(), request, &out).ok());
  ASSERT_EQ(out.allocations_size(), 2);
  EXPECT_EQ(out.allocations(0).device_asset_tag(), "RM-TAB-2");
  EXPECT_FALSE(out.allocations(0).has_ended_at());
  EXPECT_TRUE(out.allocations(1).has_ended_at());
}

TEST_F(AllocationServiceTest, ManagerCannotReadAnotherDepartmentsDeviceHistory) {
  ASSERT_TRUE(Assign("RM-TAB-1", "E2").ok());  // PROPRETE
  std::string manager = server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"});
  v1::GetDeviceHistoryRequest request;
  request.set_device("RM-TAB-1");
  v1::GetDeviceHistoryResponse out;
  EXPECT_EQ(allocation_->GetDeviceHistory(As(manager).get(), request, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::ListAllocationsRequest list;
  v1::ListAllocationsResponse all;
  ASSERT_TRUE(allocation_->ListAllocations(As(manager).get(), list, &all).ok());
  EXPECT_EQ(all.allocations_size(), 0);
}

}  // namespace
}  // namespace parc::testing
