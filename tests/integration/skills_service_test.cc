// TrainingService's skill assessments through the real API: the Pix Orga
// exports of tests/fixtures/pix/ imported as downloaded, current tiers, history,
// idempotence, line-numbered rejections, dry runs and a manager's scope.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "parc/v1/training.grpc.pb.h"
#include "tests/integration/service_fixture.h"

namespace parc::testing {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(PARC_FIXTURES_DIR) + "/pix/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class SkillsServiceTest : public ServiceTest {
 protected:
  SkillsServiceTest() : training_(v1::TrainingService::NewStub(server_.Channel())) {}

  void SetUp() override {
    AddAgent("E000101", "PROPRETE");
    AddAgent("000123", "ESPACES-VERTS");
    AddAgent("E000104", "PROPRETE");
  }

  grpc::Status Import(const std::string& csv, v1::ImportSkillAssessmentsResponse* out,
                      bool dry_run = false, const std::string& token = "") {
    v1::ImportSkillAssessmentsRequest request;
    request.set_csv(csv);
    request.set_dry_run(dry_run);
    return training_->ImportSkillAssessments(
        As(token.empty() ? server_.admin_token() : token).get(), request, out);
  }

  v1::ImportSkillAssessmentsResponse MustImport(const std::string& fixture) {
    v1::ImportSkillAssessmentsResponse out;
    grpc::Status status = Import(Fixture(fixture), &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(out.problems_size(), 0) << out.DebugString();
    return out;
  }

  std::vector<v1::SkillAssessment> List(v1::ListSkillAssessmentsRequest request,
                                        const std::string& token = "",
                                        grpc::Status* status_out = nullptr) {
    v1::ListSkillAssessmentsResponse out;
    grpc::Status status = training_->ListSkillAssessments(
        As(token.empty() ? server_.admin_token() : token).get(), request, &out);
    if (status_out)
      *status_out = status;
    else
      EXPECT_TRUE(status.ok()) << status.error_message();
    return {out.assessments().begin(), out.assessments().end()};
  }

  // employee number -> current tier.
  std::map<std::string, std::string> CurrentTiers(const std::string& token = "") {
    v1::ListSkillAssessmentsRequest request;
    request.set_latest_only(true);
    std::map<std::string, std::string> tiers;
    for (const auto& a : List(request, token)) tiers[a.employee_number()] = a.tier();
    return tiers;
  }

  std::unique_ptr<v1::TrainingService::Stub> training_;
};

TEST_F(SkillsServiceTest, ImportsAnAssessmentExportAndSetsCurrentTiers) {
  auto result = MustImport("assessment.csv");
  EXPECT_EQ(result.format(), "assessment");
  EXPECT_EQ(result.imported(), 4);
  EXPECT_EQ(result.unchanged(), 0);
  EXPECT_EQ(result.not_shared(), 1);
  EXPECT_TRUE(result.applied());

  // E000101's latest participation (0,67) wins over the earlier one (0,17),
  // although the earlier one comes later in the file.
  EXPECT_EQ(CurrentTiers(), (std::map<std::string, std::string>{{"000123", "autonome"},
                                                                {"E000101", "a-consolider"},
                                                                {"E000104", "illectronisme"}}));

  v1::ListSkillAssessmentsRequest history;
  history.set_employee_number("e000101");
  auto rows = List(history);
  ASSERT_EQ(rows.size(), 2u);  // history kept
  const v1::SkillAssessment* latest = rows[0].mastery() > 0.5 ? &rows[0] : &rows[1];
  EXPECT_DOUBLE_EQ(latest->mastery(), 0.67);
  EXPECT_EQ(latest->campaign_code(), "QWERTY456");
  EXPECT_EQ(latest->campaign_id(), 4512);
  EXPECT_EQ(latest->campaign_kind(), "assessment");
  EXPECT_EQ(latest->source(), "pix");
  EXPECT_EQ(latest->pix_score(), -1);
  EXPECT_EQ(latest->assessed_at().seconds(), 1772717400);  // 05/03/2026 14:30 Paris
  ASSERT_EQ(latest->domains_size(), 2);
  EXPECT_EQ(latest->domains(1).area_code(), 4);
  EXPECT_EQ(latest->domains(1).area_title(), "Protection et sécurité");
  EXPECT_DOUBLE_EQ(latest->domains(1).mastery(), 0.67);

  auto audit = Audit("agent:E000101");
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].action(), "skill.tier");
  EXPECT_EQ(audit[0].summary(), "tier: (none) -> a-consolider");
  auto summary = Audit("campaign:QWERTY456");
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0].action(), "skill.import");
}

TEST_F(SkillsServiceTest, ReimportingTheSameFileChangesNothing) {
  MustImport("assessment.csv");
  auto again = MustImport("assessment.csv");
  EXPECT_TRUE(again.applied());
  EXPECT_EQ(again.imported(), 0);
  EXPECT_EQ(again.unchanged(), 4);
  EXPECT_EQ(List({}).size(), 4u);
  auto audit = Audit("agent:E000101");
  EXPECT_EQ(std::count_if(audit.begin(), audit.end(),
                          [](const auto& e) { return e.action() == "skill.tier"; }),
            1);                                       // the tier moved once
  EXPECT_EQ(Audit("campaign:QWERTY456").size(), 2u);  // each import is recorded
}

TEST_F(SkillsServiceTest, ARowRepeatedInTheFileCountsOnce) {
  std::string csv = Fixture("assessment.csv");
  size_t second = csv.find('\n') + 1;
  std::string row = csv.substr(second, csv.find('\n', second) + 1 - second);
  v1::ImportSkillAssessmentsResponse result;
  ASSERT_TRUE(Import(csv + row, &result).ok());
  EXPECT_EQ(result.problems_size(), 0);
  EXPECT_EQ(result.imported(), 4);
  EXPECT_EQ(result.unchanged(), 1);
  EXPECT_TRUE(result.applied());
}

TEST_F(SkillsServiceTest, ProfilesCollectionTiersComeFromThePixTotal) {
  auto result = MustImport("profiles.csv");
  EXPECT_EQ(result.format(), "profiles_collection");
  EXPECT_EQ(result.imported(), 3);
  EXPECT_EQ(result.not_shared(), 1);
  // 146 pix -> debutant, 496 -> autonome, 32 -> illectronisme.
  EXPECT_EQ(CurrentTiers(),
            (std::map<std::string, std::string>{
                {"000123", "autonome"}, {"E000101", "debutant"}, {"E000104", "illectronisme"}}));
  v1::ListSkillAssessmentsRequest one;
  one.set_employee_number("E000101");
  auto rows = List(one);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].pix_score(), 146);
  EXPECT_EQ(rows[0].mastery(), -1);
  EXPECT_EQ(rows[0].domains_size(), 5);
  EXPECT_EQ(rows[0].domains(0).level(), 1);

  // The assessment shared on 05/03 is later than the profile sent on 02/03:
  // it becomes the current tier; the older profile stays in the history.
  MustImport("assessment.csv");
  EXPECT_EQ(CurrentTiers()["E000101"], "a-consolider");
  EXPECT_EQ(List(one).size(), 3u);
}

TEST_F(SkillsServiceTest, UnknownEmployeeNumberIsRejectedWithItsLine) {
  v1::ImportSkillAssessmentsResponse result;
  std::string csv = Fixture("assessment.csv");
  // E000104 becomes a number no agent has (line 6 of the file).
  csv.replace(csv.find(" e000104 "), 9, "E999999");
  ASSERT_TRUE(Import(csv, &result).ok());
  EXPECT_FALSE(result.applied());
  ASSERT_EQ(result.problems_size(), 1);
  EXPECT_EQ(result.problems(0).line(), 6);
  EXPECT_EQ(result.problems(0).column(), "Matricule agent");
  EXPECT_NE(result.problems(0).reason().find("E999999"), std::string::npos);
  EXPECT_TRUE(List({}).empty());  // all or nothing
  EXPECT_TRUE(Audit("campaign:QWERTY456").empty());
}

TEST_F(SkillsServiceTest, DryRunCountsAndWritesNothing) {
  v1::ImportSkillAssessmentsResponse result;
  ASSERT_TRUE(Import(Fixture("assessment.csv"), &result, /*dry_run=*/true).ok());
  EXPECT_FALSE(result.applied());
  EXPECT_EQ(result.imported(), 4);
  EXPECT_EQ(result.problems_size(), 0);
  EXPECT_TRUE(List({}).empty());
}

TEST_F(SkillsServiceTest, UnreadableOrAmbiguousFilesAreInvalidArgument) {
  v1::ImportSkillAssessmentsResponse result;
  grpc::Status status = Import("matricule;nom\nE000101;Bono\n", &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("Pix Orga"), std::string::npos);

  v1::ImportSkillAssessmentsRequest request;
  request.set_csv(Fixture("assessment.csv"));
  request.set_id_column("Numéro");
  status = training_->ImportSkillAssessments(Admin().get(), request, &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("id_column"), std::string::npos);
}

TEST_F(SkillsServiceTest, AManagerSeesOnlyTheirDepartments) {
  MustImport("assessment.csv");
  std::string maud = server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"});
  EXPECT_EQ(CurrentTiers(maud), (std::map<std::string, std::string>{{"000123", "autonome"}}));

  v1::ListSkillAssessmentsRequest other;
  other.set_department("PROPRETE");
  grpc::Status status;
  List(other, maud, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::ListSkillAssessmentsRequest person;
  person.set_employee_number("E000101");  // someone of PROPRETE: not shown
  EXPECT_TRUE(List(person, maud).empty());

  v1::ImportSkillAssessmentsResponse result;
  EXPECT_EQ(Import(Fixture("profiles.csv"), &result, false, maud).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SkillsServiceTest, ListsFilterByTierAndDepartmentAndPage) {
  MustImport("assessment.csv");
  v1::ListSkillAssessmentsRequest low;
  low.set_tier("illectronisme");
  low.set_latest_only(true);
  auto rows = List(low);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].employee_number(), "E000104");

  v1::ListSkillAssessmentsRequest proprete;
  proprete.set_department("Propreté");
  EXPECT_EQ(List(proprete).size(), 3u);

  v1::ListSkillAssessmentsRequest unknown;
  unknown.set_tier("expert");
  grpc::Status status;
  List(unknown, "", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("illectronisme"), std::string::npos);

  v1::ListSkillAssessmentsRequest paged;
  paged.set_page_size(3);
  v1::ListSkillAssessmentsResponse first, second;
  ASSERT_TRUE(training_->ListSkillAssessments(Admin().get(), paged, &first).ok());
  ASSERT_EQ(first.assessments_size(), 3);
  ASSERT_FALSE(first.next_page_token().empty());
  paged.set_page_token(first.next_page_token());
  ASSERT_TRUE(training_->ListSkillAssessments(Admin().get(), paged, &second).ok());
  EXPECT_EQ(second.assessments_size(), 1);
  EXPECT_TRUE(second.next_page_token().empty());
}

TEST_F(SkillsServiceTest, TiersAreListedLowestFirstWithFrenchNames) {
  v1::ListSkillTiersResponse tiers;
  ASSERT_TRUE(training_->ListSkillTiers(Admin().get(), {}, &tiers).ok());
  ASSERT_EQ(tiers.tiers_size(), 4);
  EXPECT_EQ(tiers.tiers(0).name(), "Illectronisme");
  EXPECT_EQ(tiers.tiers(1).name(), "Débutant");
  EXPECT_EQ(tiers.tiers(2).name(), "À consolider");
  EXPECT_EQ(tiers.tiers(3).code(), "autonome");
  EXPECT_EQ(tiers.tiers(3).min_pix(), 320);
  EXPECT_DOUBLE_EQ(tiers.tiers(3).min_mastery(), 0.75);
}

}  // namespace
}  // namespace parc::testing
