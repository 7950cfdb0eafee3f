#include <filesystem>

#include "tests/integration/service_fixture.h"

namespace parc::testing {
namespace {

using grpc::StatusCode;

class AdminServiceTest : public ServiceTest {};

TEST_F(AdminServiceTest, DisablingAnOperatorRevokesTheirTokensAtOnce) {
  std::string token = server_.TokenFor("lea", v1::ROLE_LOGISTICS);
  v1::Operator me;
  ASSERT_TRUE(admin_->WhoAmI(As(token).get(), {}, &me).ok());
  EXPECT_EQ(me.name(), "lea");

  v1::DisableOperatorRequest request;
  request.set_name("lea");
  v1::Operator out;
  ASSERT_TRUE(admin_->DisableOperator(Admin().get(), request, &out).ok());
  EXPECT_EQ(admin_->WhoAmI(As(token).get(), {}, &me).error_code(), StatusCode::UNAUTHENTICATED);
  auto events = Audit("operator:lea");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].action(), "operator.disable");
}

TEST_F(AdminServiceTest, TheLastAdminCannotBeDisabled) {
  v1::DisableOperatorRequest request;
  request.set_name("admin");
  v1::Operator out;
  EXPECT_EQ(admin_->DisableOperator(Admin().get(), request, &out).error_code(),
            StatusCode::FAILED_PRECONDITION);
}

TEST_F(AdminServiceTest, AManagerNeedsDepartmentsAndOthersNone) {
  v1::CreateOperatorRequest request;
  request.mutable_operator_()->set_name("marc");
  request.mutable_operator_()->set_role(v1::ROLE_MANAGER);
  v1::Operator out;
  grpc::Status status = admin_->CreateOperator(Admin().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("departments"), std::string::npos);
  request.mutable_operator_()->add_departments("voirie");
  ASSERT_TRUE(admin_->CreateOperator(Admin().get(), request, &out).ok());
  EXPECT_EQ(out.departments(0), "VOIRIE");
  EXPECT_EQ(admin_->CreateOperator(Admin().get(), request, &out).error_code(),
            StatusCode::ALREADY_EXISTS);
}

TEST_F(AdminServiceTest, TokensAreShownOnceAndNeverStoredInClear) {
  v1::CreateApiTokenRequest request;
  request.set_label("laptop");
  v1::CreateApiTokenResponse created;
  ASSERT_TRUE(admin_->CreateApiToken(Admin().get(), request, &created).ok());
  EXPECT_TRUE(created.token().starts_with("parc_"));
  v1::ListApiTokensRequest list;
  v1::ListApiTokensResponse tokens;
  ASSERT_TRUE(admin_->ListApiTokens(Admin().get(), list, &tokens).ok());
  EXPECT_EQ(tokens.tokens_size(), 2);
  EXPECT_EQ(tokens.DebugString().find(created.token()), std::string::npos);
  for (const auto& event : Audit(""))
    EXPECT_EQ(event.summary().find(created.token()), std::string::npos);
}

TEST_F(AdminServiceTest, OnlyAnAdminCreatesTokensForSomeoneElse) {
  std::string token = server_.TokenFor("lea", v1::ROLE_LOGISTICS);
  server_.TokenFor("ugo", v1::ROLE_AUDITOR);
  v1::CreateApiTokenRequest request;
  request.set_operator_name("ugo");
  v1::CreateApiTokenResponse created;
  EXPECT_EQ(admin_->CreateApiToken(As(token).get(), request, &created).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(admin_->CreateApiToken(Admin().get(), request, &created).ok());
}

TEST_F(AdminServiceTest, AuditFiltersByActorActionAndTime) {
  AddAgent("E1", "VOIRIE");
  server_.clock().Advance(3'600'000);
  AddDevice("SN-1", "RM-TAB-1");
  v1::ListAuditEventsRequest request;
  request.set_action("device.");
  v1::ListAuditEventsResponse out;
  ASSERT_TRUE(admin_->ListAuditEvents(Admin().get(), request, &out).ok());
  ASSERT_EQ(out.events_size(), 1);
  EXPECT_EQ(out.events(0).target(), "device:SN-1");

  request.Clear();
  request.set_actor("admin");
  request.mutable_until()->set_seconds(server_.clock().NowMs() / 1000 - 60);
  ASSERT_TRUE(admin_->ListAuditEvents(Admin().get(), request, &out).ok());
  for (const auto& e : out.events()) EXPECT_NE(e.action(), "device.create");
  EXPECT_GE(out.events_size(), 1);
}

TEST_F(AdminServiceTest, BackupWritesAReadableCopy) {
  AddAgent("E1", "VOIRIE");
  v1::BackupResponse out;
  ASSERT_TRUE(admin_->Backup(Admin().get(), {}, &out).ok());
  EXPECT_TRUE(std::filesystem::exists(out.path()));
  EXPECT_GT(out.bytes(), 0);
  EXPECT_EQ(std::filesystem::file_size(out.path()), static_cast<uintmax_t>(out.bytes()));
}

}  // namespace
}  // namespace parc::testing
