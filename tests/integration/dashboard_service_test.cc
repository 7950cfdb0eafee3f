// DashboardService on a small fleet built through the real API: every RPC's
// numbers (the training funnel with modules and progress), and a manager of
// ESPACES-VERTS who never sees PROPRETE.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <utility>
#include <vector>

#include "common/crypto.h"
#include "parc/v1/dashboard.grpc.pb.h"
#include "parc/v1/training.grpc.pb.h"
#include "tests/integration/device_fixture.h"

namespace parc::testing {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

class DashboardServiceTest : public DeviceTest {
 protected:
  DashboardServiceTest() : dashboard_(v1::DashboardService::NewStub(server_.Channel())) {}

  // 2026-05-28. PROPRETE: E1 (tablet T1), E2 (loan of T3 due 2026-06-01), E3
  // (enrolled EN-1, reports battery 10 %; E4 logged in on it), E4 (nothing).
  // ESPACES-VERTS: E5 (tablet T2), E6 (has email, no wave: not targeted;
  // holds enrolled EN-2, never checked in). T4 in stock. Then ten days pass.
  void SetUp() override {
    AddAgent("E000001", "PROPRETE");
    AddAgent("E000002", "PROPRETE");
    AddAgent("E000003", "PROPRETE");
    AddAgent("E000004", "PROPRETE");
    AddAgent("E000005", "ESPACES-VERTS");
    AddAgent("E000006", "ESPACES-VERTS", /*has_email=*/true);
    for (const char* serial : {"T1", "T2", "T3", "T4"})
      AddDevice(serial, std::string("A-") + serial);
    ASSERT_TRUE(Assign("T1", "E000001").ok());
    ASSERT_TRUE(Assign("T2", "E000005").ok());
    ASSERT_TRUE(Assign("T3", "E000002", "2026-06-01").ok());
    en1_ = Enrolled("EN-1");
    Enrolled("EN-2");
    ASSERT_TRUE(Assign("EN-1", "E000003").ok());
    ASSERT_TRUE(Assign("EN-2", "E000006").ok());
    ASSERT_TRUE(CheckIn(en1_, {StatusReport(1, 10), UsageReport(2, "E000004", true)}).ok());
    server_.clock().Advance(10 * kDayMs);
    maud_ = server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"});
  }

  template <typename Req, typename Resp>
  Resp Ask(grpc::Status (v1::DashboardService::Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*),
           const std::string& token, const Req& request = {}) {
    Resp out;
    grpc::Status status = ((*dashboard_).*rpc)(As(token).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  using Stub = v1::DashboardService::Stub;
  std::unique_ptr<Stub> dashboard_;
  std::string maud_;
  std::string en1_;  // EN-1's credential
};

TEST_F(DashboardServiceTest, AllocationSummaryCountsEveryDeviceOnce) {
  auto all = Ask(&Stub::AllocationSummary, server_.admin_token(), v1::DashboardRequest());
  EXPECT_EQ(all.totals().total(), 6);
  EXPECT_EQ(all.totals().assigned_personal(), 4);  // T1, T2, EN-1, EN-2
  EXPECT_EQ(all.totals().on_loan(), 1);
  EXPECT_EQ(all.totals().in_stock(), 1);
  auto mine = Ask(&Stub::AllocationSummary, maud_, v1::DashboardRequest());
  EXPECT_EQ(mine.totals().total(), 2);  // T2, EN-2
  ASSERT_EQ(mine.by_department_size(), 1);
  EXPECT_EQ(mine.by_department(0).department(), "ESPACES-VERTS");
}

TEST_F(DashboardServiceTest, CoverageCountsTargetedStaffWithADevice) {
  auto all = Ask(&Stub::Coverage, server_.admin_token(), v1::DashboardRequest());
  EXPECT_EQ(all.totals().targeted(), 5);  // E1..E5
  EXPECT_EQ(all.totals().equipped(), 4);  // E4 has nothing
  EXPECT_DOUBLE_EQ(all.totals().equipped_percent(), 80.0);
  auto mine = Ask(&Stub::Coverage, maud_, v1::DashboardRequest());
  EXPECT_EQ(mine.totals().targeted(), 1);
  EXPECT_EQ(mine.totals().equipped(), 1);
  ASSERT_EQ(mine.by_department_size(), 1);
  EXPECT_EQ(mine.by_department(0).department(), "ESPACES-VERTS");
}

TEST_F(DashboardServiceTest, StaleDevicesListsSilentAndNeverSeenDevices) {
  auto all = Ask(&Stub::StaleDevices, server_.admin_token(), v1::StaleDevicesRequest());
  EXPECT_EQ(all.days(), 7);
  EXPECT_EQ(all.total(), 2);
  EXPECT_EQ(all.never_checked_in(), 1);
  ASSERT_EQ(all.devices_size(), 2);
  EXPECT_EQ(all.devices(0).serial(), "EN-2");  // never checked in first
  EXPECT_EQ(all.devices(0).last_user(), "E000006");
  EXPECT_EQ(all.devices(0).days_silent(), 10);
  EXPECT_EQ(all.devices(1).serial(), "EN-1");
  EXPECT_EQ(all.devices(1).last_user(), "E000004");  // the open session, not the holder
  EXPECT_EQ(all.devices(1).battery_percent(), 10);
  EXPECT_EQ(all.devices(1).days_silent(), 10);
  v1::StaleDevicesRequest eleven;
  eleven.set_days(11);
  EXPECT_EQ(Ask(&Stub::StaleDevices, server_.admin_token(), eleven).total(), 1);

  auto mine = Ask(&Stub::StaleDevices, maud_, v1::StaleDevicesRequest());
  EXPECT_EQ(mine.total(), 1);
  ASSERT_EQ(mine.devices_size(), 1);
  EXPECT_EQ(mine.devices(0).department(), "ESPACES-VERTS");
}

TEST_F(DashboardServiceTest, FleetHealthFlagsBatterySilenceAndForeignUse) {
  auto all = Ask(&Stub::FleetHealth, server_.admin_token(), v1::DashboardRequest());
  EXPECT_EQ(all.totals().enrolled(), 2);
  EXPECT_EQ(all.totals().low_battery(), 1);
  EXPECT_EQ(all.totals().low_storage(), 0);
  EXPECT_EQ(all.totals().never_checked_in(), 1);
  EXPECT_EQ(all.totals().outdated_agent(), 0);
  EXPECT_EQ(all.reference_agent_version(), "0.1.0");
  EXPECT_EQ(all.totals().used_by_someone_else(), 1);
  ASSERT_EQ(all.used_by_someone_else_size(), 1);
  EXPECT_EQ(all.used_by_someone_else(0).holder(), "E000003");
  EXPECT_EQ(all.used_by_someone_else(0).used_by(), "E000004");
  auto mine = Ask(&Stub::FleetHealth, maud_, v1::DashboardRequest());
  EXPECT_EQ(mine.totals().enrolled(), 1);
  EXPECT_EQ(mine.totals().low_battery(), 0);
  EXPECT_EQ(mine.totals().used_by_someone_else(), 0);
  EXPECT_EQ(mine.used_by_someone_else_size(), 0);
}

// Training on top of the fleet: E000003 assessed "debutant", E000005
// "autonome"; MAIL assigned to PROPRETE (E1..E4), AUTONOMIE to the autonome
// tier (E5); on EN-1, E000003 completes MAIL and E000004 opens it.
TEST_F(DashboardServiceTest, TrainingFunnelFollowsAssessmentsModulesAndProgress) {
  auto training = v1::TrainingService::NewStub(server_.Channel());
  Tier("E000003", "debutant");
  Tier("E000005", "autonome");
  for (const char* code : {"MAIL", "AUTONOMIE"}) {
    const std::string bytes = std::string("contenu de ") + code;
    v1::UploadContentResponse uploaded;
    auto ctx = Admin();
    auto writer = training->UploadContent(ctx.get(), &uploaded);
    v1::UploadContentChunk chunk;
    chunk.set_sha256(Sha256Hex(bytes));
    chunk.set_size(static_cast<int64_t>(bytes.size()));
    chunk.set_file_name("fiche.pdf");
    chunk.set_data(bytes);
    ASSERT_TRUE(writer->Write(chunk));
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
    v1::CreateModuleRequest create;
    create.set_code(code);
    create.set_title(code);
    v1::Module module;
    ASSERT_TRUE(training->CreateModule(Admin().get(), create, &module).ok());
    v1::AddModuleItemsRequest add;
    add.set_code(code);
    add.add_items()->set_file_name("fiche.pdf");
    add.mutable_items(0)->set_sha256(uploaded.sha256());
    ASSERT_TRUE(training->AddModuleItems(Admin().get(), add, &module).ok());
    v1::ModuleRef ref;
    ref.set_code(code);
    ASSERT_TRUE(training->PublishModule(Admin().get(), ref, &module).ok());
  }
  v1::AssignModuleRequest to_proprete, to_autonome;
  to_proprete.set_module_code("MAIL");
  to_proprete.set_department("PROPRETE");
  to_autonome.set_module_code("AUTONOMIE");
  to_autonome.set_skill_tier("autonome");
  v1::ModuleAssignment assignment;
  ASSERT_TRUE(training->AssignModule(Admin().get(), to_proprete, &assignment).ok());
  ASSERT_TRUE(training->AssignModule(Admin().get(), to_autonome, &assignment).ok());
  v1::ReportProgressRequest progress;
  int id = 0;
  for (auto [who, kind] : {std::pair{"E000003", v1::PROGRESS_KIND_OPENED},
                           std::pair{"E000003", v1::PROGRESS_KIND_MODULE_COMPLETED},
                           std::pair{"E000004", v1::PROGRESS_KIND_OPENED}}) {
    v1::ProgressEvent* e = progress.add_events();
    e->set_id("ev-" + std::to_string(++id));
    e->set_employee_number(who);
    e->set_module_code("MAIL");
    e->set_module_version(1);
    e->set_kind(kind);
    e->mutable_at()->set_seconds(server_.clock().NowMs() / 1000);
  }
  v1::ReportProgressResponse reported;
  grpc::Status sent = device_->ReportProgress(As(en1_).get(), progress, &reported);
  ASSERT_TRUE(sent.ok()) << sent.error_message();
  ASSERT_EQ(reported.accepted(), 3);

  using S = std::vector<int64_t>;
  auto stages = [](const v1::FunnelCounts& c) {
    return S{c.targeted(), c.assessed(), c.assigned(), c.started(), c.completed()};
  };
  auto all = Ask(&Stub::TrainingFunnel, server_.admin_token(), v1::DashboardRequest());
  EXPECT_EQ(stages(all.totals()), (S{5, 2, 5, 2, 1}));
  ASSERT_EQ(all.by_department_size(), 2);
  EXPECT_EQ(stages(all.by_department(1).counts()), (S{4, 1, 4, 2, 1}));  // PROPRETE
  ASSERT_EQ(all.by_tier_size(), 3);
  EXPECT_EQ(all.by_tier(0).key(), "debutant");
  EXPECT_EQ(all.by_tier(0).name(), "Débutant");
  EXPECT_EQ(stages(all.by_tier(0).counts()), (S{1, 1, 1, 1, 1}));
  EXPECT_EQ(all.by_tier(1).key(), "autonome");
  EXPECT_EQ(stages(all.by_tier(1).counts()), (S{1, 1, 1, 0, 0}));
  EXPECT_EQ(all.by_tier(2).key(), "");  // never assessed: E1, E2, E4
  EXPECT_EQ(stages(all.by_tier(2).counts()), (S{3, 0, 3, 1, 0}));

  // Maud sees E000005 only, whatever she filters on.
  auto mine = Ask(&Stub::TrainingFunnel, maud_, v1::DashboardRequest());
  EXPECT_EQ(stages(mine.totals()), (S{1, 1, 1, 0, 0}));
  ASSERT_EQ(mine.by_department_size(), 1);
  EXPECT_EQ(mine.by_department(0).key(), "ESPACES-VERTS");
  ASSERT_EQ(mine.by_tier_size(), 1);
  EXPECT_EQ(mine.by_tier(0).key(), "autonome");
  EXPECT_EQ(mine.by_tier(0).name(), "Autonome");
  v1::DashboardRequest site;
  site.set_site("CTM-NORD");
  EXPECT_EQ(stages(Ask(&Stub::TrainingFunnel, maud_, site).totals()), (S{1, 1, 1, 0, 0}));
  v1::DashboardRequest proprete;
  proprete.set_department("PROPRETE");
  v1::TrainingFunnelResponse refused;
  EXPECT_EQ(dashboard_->TrainingFunnel(As(maud_).get(), proprete, &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto filtered = Ask(&Stub::TrainingFunnel, server_.admin_token(), proprete);
  EXPECT_EQ(stages(filtered.totals()), (S{4, 1, 4, 2, 1}));
}

TEST_F(DashboardServiceTest, OverdueLoansShowDaysPastDue) {
  auto all = Ask(&Stub::OverdueLoans, server_.admin_token(), v1::OverdueLoansRequest());
  EXPECT_EQ(all.total(), 1);
  ASSERT_EQ(all.loans_size(), 1);
  EXPECT_EQ(all.loans(0).employee_number(), "E000002");
  EXPECT_EQ(all.loans(0).department(), "PROPRETE");
  EXPECT_EQ(all.loans(0).serial(), "T3");
  EXPECT_EQ(all.loans(0).days_overdue(), 6);  // due 2026-06-01, today 2026-06-07
  auto mine = Ask(&Stub::OverdueLoans, maud_, v1::OverdueLoansRequest());
  EXPECT_EQ(mine.total(), 0);
  EXPECT_EQ(mine.loans_size(), 0);
}

// Issue 15: the overdue list says whom to call: the borrower's phone and site,
// and their manager (set by a single UpdateAgent) with the manager's phone.
TEST_F(DashboardServiceTest, OverdueLoansSayWhoToCallAboutThem) {
  v1::UpdateAgentRequest update;
  update.mutable_agent()->set_employee_number("E000002");
  update.mutable_agent()->set_manager(" e000001 ");
  update.mutable_agent()->set_phone("06 12 34 56 78");
  update.mutable_update_mask()->add_paths("manager");
  update.mutable_update_mask()->add_paths("phone");
  v1::Agent updated;
  ASSERT_TRUE(inventory_->UpdateAgent(Admin().get(), update, &updated).ok());
  EXPECT_EQ(updated.manager(), "E000001") << "typed as people type it";
  update.mutable_agent()->set_employee_number("E000001");
  update.mutable_agent()->set_manager("");
  update.mutable_agent()->set_phone("+33 2 99 28 55 55");
  ASSERT_TRUE(inventory_->UpdateAgent(Admin().get(), update, &updated).ok());

  auto all = Ask(&Stub::OverdueLoans, server_.admin_token(), v1::OverdueLoansRequest());
  ASSERT_EQ(all.loans_size(), 1);
  const v1::OverdueLoan& loan = all.loans(0);
  EXPECT_EQ(loan.phone(), "06 12 34 56 78");
  EXPECT_EQ(loan.site(), "CTM-NORD");
  EXPECT_EQ(loan.manager(), "E000001");
  EXPECT_EQ(loan.manager_name(), "Hélène Le Goff");
  EXPECT_EQ(loan.manager_phone(), "+33 2 99 28 55 55");

  // A manager Parc does not know is shown by number only; a name is refused.
  update.mutable_agent()->set_employee_number("E000002");
  update.mutable_agent()->set_manager("E777777");
  update.mutable_update_mask()->clear_paths();
  update.mutable_update_mask()->add_paths("manager");
  ASSERT_TRUE(inventory_->UpdateAgent(Admin().get(), update, &updated).ok());
  all = Ask(&Stub::OverdueLoans, server_.admin_token(), v1::OverdueLoansRequest());
  ASSERT_EQ(all.loans_size(), 1);
  EXPECT_EQ(all.loans(0).manager(), "E777777");
  EXPECT_EQ(all.loans(0).manager_name(), "");
  update.mutable_agent()->set_manager("Marie Dupont");
  grpc::Status refused = inventory_->UpdateAgent(Admin().get(), update, &updated);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(refused.error_message().starts_with("manager:")) << refused.error_message();
}

TEST_F(DashboardServiceTest, AManagerOfEspacesVertsNeverSeesProprete) {
  std::vector<std::string> answers;
  auto keep = [&](const google::protobuf::Message& m) { answers.push_back(m.DebugString()); };
  keep(Ask(&Stub::AllocationSummary, maud_, v1::DashboardRequest()));
  keep(Ask(&Stub::Coverage, maud_, v1::DashboardRequest()));
  keep(Ask(&Stub::StaleDevices, maud_, v1::StaleDevicesRequest()));
  keep(Ask(&Stub::FleetHealth, maud_, v1::DashboardRequest()));
  keep(Ask(&Stub::TrainingFunnel, maud_, v1::DashboardRequest()));
  keep(Ask(&Stub::OverdueLoans, maud_, v1::OverdueLoansRequest()));
  for (const std::string& answer : answers) {
    EXPECT_EQ(answer.find("PROPRETE"), std::string::npos) << answer;
    for (const char* who : {"E000001", "E000002", "E000003", "E000004"}) {
      EXPECT_EQ(answer.find(who), std::string::npos) << answer;
    }
  }

  // Asking for PROPRETE by name is refused, on every RPC.
  v1::DashboardRequest proprete;
  proprete.set_department("proprete");
  v1::StaleDevicesRequest stale;
  stale.set_department("PROPRETE");
  v1::OverdueLoansRequest overdue;
  overdue.set_department("PROPRETE");
  v1::AllocationSummaryResponse a;
  v1::CoverageResponse c;
  v1::StaleDevicesResponse s;
  v1::FleetHealthResponse h;
  v1::TrainingFunnelResponse f;
  v1::OverdueLoansResponse o;
  const auto denied = grpc::StatusCode::PERMISSION_DENIED;
  EXPECT_EQ(dashboard_->AllocationSummary(As(maud_).get(), proprete, &a).error_code(), denied);
  EXPECT_EQ(dashboard_->Coverage(As(maud_).get(), proprete, &c).error_code(), denied);
  EXPECT_EQ(dashboard_->StaleDevices(As(maud_).get(), stale, &s).error_code(), denied);
  EXPECT_EQ(dashboard_->FleetHealth(As(maud_).get(), proprete, &h).error_code(), denied);
  EXPECT_EQ(dashboard_->TrainingFunnel(As(maud_).get(), proprete, &f).error_code(), denied);
  EXPECT_EQ(dashboard_->OverdueLoans(As(maud_).get(), overdue, &o).error_code(), denied);
}

TEST_F(DashboardServiceTest, FiltersNarrowAndBadArgumentsNameTheField) {
  v1::DashboardRequest proprete;
  proprete.set_department("PROPRETE");
  auto p = Ask(&Stub::AllocationSummary, server_.admin_token(), proprete);
  EXPECT_EQ(p.totals().total(), 3);  // T1, T3, EN-1
  v1::StaleDevicesRequest bad;
  bad.set_days(-1);
  v1::StaleDevicesResponse out;
  grpc::Status status = dashboard_->StaleDevices(Admin().get(), bad, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("days"), std::string::npos);
}

}  // namespace
}  // namespace parc::testing
