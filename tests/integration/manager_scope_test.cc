// Issue 20 item 5: a manager filtering any list on a department outside their
// scope is refused (PERMISSION_DENIED), as the dashboards refuse it, instead of
// answered with an empty list.
#include "parc/v1/dashboard.grpc.pb.h"
#include "parc/v1/training.grpc.pb.h"
#include "tests/integration/service_fixture.h"

namespace parc::testing {
namespace {

using grpc::StatusCode;

class ManagerScopeTest : public ServiceTest {
 protected:
  ManagerScopeTest()
      : training_(v1::TrainingService::NewStub(server_.Channel())),
        dashboard_(v1::DashboardService::NewStub(server_.Channel())) {
    AddAgent("E-PARC", "ESPACES-VERTS");
    AddAgent("E-RUE", "PROPRETE");
    manager_ = server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"});
  }

  // Every department-filtered list and dashboard, asked for `department`.
  std::vector<std::pair<std::string, grpc::Status>> AskEverywhere(const std::string& department) {
    std::vector<std::pair<std::string, grpc::Status>> out;
    {
      v1::ListAgentsRequest r;
      r.set_department(department);
      v1::ListAgentsResponse o;
      out.emplace_back("ListAgents", inventory_->ListAgents(As(manager_).get(), r, &o));
    }
    {
      v1::ListDevicesRequest r;
      r.set_department(department);
      v1::ListDevicesResponse o;
      out.emplace_back("ListDevices", inventory_->ListDevices(As(manager_).get(), r, &o));
    }
    {
      v1::ListAllocationsRequest r;
      r.set_department(department);
      v1::ListAllocationsResponse o;
      out.emplace_back("ListAllocations", allocation_->ListAllocations(As(manager_).get(), r, &o));
    }
    {
      v1::ListProgressRequest r;
      r.set_department(department);
      v1::ListProgressResponse o;
      out.emplace_back("ListProgress", training_->ListProgress(As(manager_).get(), r, &o));
    }
    {
      v1::ListSkillAssessmentsRequest r;
      r.set_department(department);
      v1::ListSkillAssessmentsResponse o;
      out.emplace_back("ListSkillAssessments",
                       training_->ListSkillAssessments(As(manager_).get(), r, &o));
    }
    {
      v1::DashboardRequest r;
      r.set_department(department);
      v1::CoverageResponse o;
      out.emplace_back("Coverage", dashboard_->Coverage(As(manager_).get(), r, &o));
    }
    return out;
  }

  std::unique_ptr<v1::TrainingService::Stub> training_;
  std::unique_ptr<v1::DashboardService::Stub> dashboard_;
  std::string manager_;
};

TEST_F(ManagerScopeTest, EveryListRefusesADepartmentOutsideTheManagersScope) {
  for (const auto& [rpc, status] : AskEverywhere("proprete")) {
    EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << rpc;
    EXPECT_EQ(status.error_message(), "department: PROPRETE is outside your departments") << rpc;
  }
}

TEST_F(ManagerScopeTest, EveryListAnswersForTheManagersOwnDepartment) {
  for (const auto& [rpc, status] : AskEverywhere("ESPACES-VERTS")) {
    EXPECT_TRUE(status.ok()) << rpc << ": " << status.error_message();
  }
}

}  // namespace
}  // namespace parc::testing
