// parcctl report ... against a real in-process parcd.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "cli_test_util.h"
#include "parc/v1/dashboard.pb.h"
#include "tests/support/test_server.h"

namespace parc::cli {
namespace {

using testing::CliResult;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// PROPRETE: E000001 with tablet TAB-1, E000002 with a loan of TAB-2 due
// 2026-06-01, E000003 with nothing. ESPACES-VERTS: E000004 with TAB-3. TAB-4
// in stock. Then five days pass (today 2026-06-02).
class CliReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
    const std::vector<std::pair<std::string, std::string>> agents = {{"E000001", "PROPRETE"},
                                                                     {"E000002", "PROPRETE"},
                                                                     {"E000003", "PROPRETE"},
                                                                     {"E000004", "ESPACES-VERTS"}};
    for (const auto& [number, department] : agents) {
      Ok({"agents", "add", number, "--first-name", "Hélène", "--last-name", "Dupré", "--department",
          department, "--site", "CTM-NORD", "--wave", "vague-1"});
    }
    for (const char* tag : {"TAB-1", "TAB-2", "TAB-3", "TAB-4"}) {
      Ok({"devices", "add", std::string("SN-") + tag, "--kind", "tablet", "--asset-tag", tag});
    }
    Ok({"assign", "TAB-1", "E000001"});
    Ok({"assign", "TAB-2", "E000002", "--due", "2026-06-01"});
    Ok({"assign", "TAB-3", "E000004"});
    server_.clock().Advance(5 * kDayMs);
  }

  std::map<std::string, std::string> Env(const std::string& token) {
    return {{"PARC_ADDR", server_.address()}, {"PARC_TOKEN", token}};
  }
  std::string Ok(const std::vector<std::string>& args, const std::string& token = "") {
    CliResult run = testing::RunParcctl(args, Env(token.empty() ? server_.admin_token() : token));
    EXPECT_EQ(run.code, 0) << run.err;
    return run.out;
  }

  parc::testing::TestServer server_;
};

TEST_F(CliReportTest, SummaryPrintsHeadlineAndBreakdowns) {
  std::string out = Ok({"report", "summary"});
  EXPECT_NE(out.find("PERSONAL"), std::string::npos) << out;
  EXPECT_NE(out.find("PROPRETE"), std::string::npos) << out;
  EXPECT_NE(out.find("tablet"), std::string::npos) << out;
  v1::AllocationSummaryResponse r;
  std::string json = Ok({"report", "summary", "--json"});
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &r).ok()) << json;
  EXPECT_EQ(r.totals().total(), 4);
  EXPECT_EQ(r.totals().assigned_personal(), 2);
  EXPECT_EQ(r.totals().on_loan(), 1);
  EXPECT_EQ(r.totals().in_stock(), 1);
}

TEST_F(CliReportTest, CoveragePrintsPercentagesWithOneDecimal) {
  std::string out = Ok({"report", "coverage"});
  EXPECT_NE(out.find("75.0%"), std::string::npos) << out;  // 3 of 4
  std::string proprete = Ok({"report", "coverage", "--department", "PROPRETE"});
  EXPECT_NE(proprete.find("66.7%"), std::string::npos) << proprete;  // 2 of 3
}

TEST_F(CliReportTest, OverdueListsTheLoanWithItsDays) {
  std::string out = Ok({"report", "overdue"});
  EXPECT_NE(out.find("Loans past their due date: 1"), std::string::npos) << out;
  EXPECT_NE(out.find("E000002"), std::string::npos) << out;
  EXPECT_NE(out.find("2026-06-01"), std::string::npos) << out;
  v1::OverdueLoansResponse r;
  std::string json = Ok({"report", "overdue", "--json"});
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &r).ok()) << json;
  ASSERT_EQ(r.loans_size(), 1);
  EXPECT_EQ(r.loans(0).days_overdue(), 1);
}

TEST_F(CliReportTest, StaleHealthAndFunnelRun) {
  EXPECT_NE(Ok({"report", "stale", "--days", "3"}).find("not seen for 3 days: 0"),
            std::string::npos);
  EXPECT_NE(Ok({"report", "health"}).find("ENROLLED"), std::string::npos);
  std::string funnel = Ok({"report", "funnel"});
  EXPECT_NE(funnel.find("vague-1"), std::string::npos) << funnel;
  EXPECT_NE(funnel.find("COMPLETED"), std::string::npos) << funnel;
}

TEST_F(CliReportTest, AManagerSeesOnlyTheirDepartments) {
  std::string maud = server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"});
  for (const char* report : {"summary", "coverage", "stale", "health", "funnel", "overdue"}) {
    std::string out = Ok({"report", report}, maud);
    EXPECT_EQ(out.find("PROPRETE"), std::string::npos) << report << "\n" << out;
    EXPECT_EQ(out.find("E000002"), std::string::npos) << report << "\n" << out;
  }
  CliResult denied =
      testing::RunParcctl({"report", "summary", "--department", "PROPRETE"}, Env(maud));
  EXPECT_NE(denied.code, 0);
  EXPECT_NE(denied.err.find("PROPRETE"), std::string::npos) << denied.err;
}

TEST_F(CliReportTest, BadDaysIsAUsageError) {
  CliResult run = testing::RunParcctl({"report", "stale", "--days", "0"}, Env("x"));
  EXPECT_EQ(run.code, 2) << run.err;
}

}  // namespace
}  // namespace parc::cli
