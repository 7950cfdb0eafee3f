// parcctl import pix / skills list|tiers against a real in-process parcd, with
// the Pix Orga exports of tests/fixtures/pix/ as downloaded.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli_test_util.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace parc::cli {
namespace {

using testing::CliResult;

std::string FixturePath(const std::string& name) {
  return std::string(PARC_FIXTURES_DIR) + "/pix/" + name;
}

class CliSkillsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
    for (const auto& [number, department] : std::vector<std::pair<std::string, std::string>>{
             {"E000101", "PROPRETE"}, {"000123", "ESPACES-VERTS"}, {"E000104", "PROPRETE"}}) {
      Ok({"agents", "add", number, "--first-name", "Jean", "--last-name", "Bono", "--department",
          department, "--site", "CTM-NORD"});
    }
  }

  CliResult Run(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    return testing::RunParcctl(
        args, {{"PARC_ADDR", server_.address()}, {"PARC_TOKEN", server_.admin_token()}},
        stdin_text);
  }
  std::string Ok(const std::vector<std::string>& args) {
    CliResult run = Run(args);
    EXPECT_EQ(run.code, 0) << run.err;
    return run.out;
  }

  parc::testing::TestServer server_;
};

TEST_F(CliSkillsTest, ImportsAnExportAsDownloadedThenAgainUnchanged) {
  std::string dry = Ok({"import", "pix", FixturePath("assessment.csv"), "--dry-run"});
  EXPECT_EQ(dry,
            "assessment export: imported 4, unchanged 0, not shared 1 (dry run: nothing was "
            "written)\n");
  EXPECT_EQ(Ok({"import", "pix", FixturePath("assessment.csv")}),
            "assessment export: imported 4, unchanged 0, not shared 1\n");
  EXPECT_EQ(Ok({"import", "pix", FixturePath("assessment.csv")}),
            "assessment export: imported 0, unchanged 4, not shared 1\n");

  std::string latest = Ok({"skills", "list", "--latest"});
  EXPECT_NE(latest.find("EMPLOYEE"), std::string::npos) << latest;
  EXPECT_NE(latest.find("a-consolider"), std::string::npos) << latest;
  EXPECT_NE(latest.find("67 %"), std::string::npos) << latest;
  EXPECT_NE(latest.find("QWERTY456"), std::string::npos) << latest;
  EXPECT_EQ(latest.find("17 %"), std::string::npos) << latest;  // the earlier one is history

  std::string history = Ok({"skills", "list", "--agent", "E000101"});
  EXPECT_NE(history.find("17 %"), std::string::npos) << history;
  EXPECT_NE(history.find("2026-03-05 13:30"), std::string::npos) << history;  // 14:30 Paris

  std::string low = Ok({"skills", "list", "--tier", "illectronisme", "--latest"});
  EXPECT_NE(low.find("E000104"), std::string::npos) << low;
  EXPECT_EQ(low.find("E000101"), std::string::npos) << low;
}

TEST_F(CliSkillsTest, ProfilesFromStandardInputWithANamedIdColumn) {
  std::ifstream in(FixturePath("profiles.csv"), std::ios::binary);
  std::stringstream csv;
  csv << in.rdbuf();
  CliResult run = Run({"import", "pix", "-", "--id-column", "Matricule"}, csv.str());
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "profiles_collection export: imported 3, unchanged 0, not shared 1\n");
  std::string list = Ok({"skills", "list", "--department", "ESPACES-VERTS"});
  EXPECT_NE(list.find("496 pix"), std::string::npos) << list;
  EXPECT_NE(list.find("autonome"), std::string::npos) << list;
}

TEST_F(CliSkillsTest, UnknownEmployeeNumberFailsWithItsLine) {
  parc::testing::TempDir dir;
  std::ifstream in(FixturePath("assessment.csv"), std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string csv = buffer.str();
  csv.replace(csv.find(" e000104 "), 9, "E999999");
  dir.Write("Resultats-Evaluation-4512.csv", csv);
  std::string path = (dir.path() / "Resultats-Evaluation-4512.csv").string();

  CliResult run = Run({"import", "pix", path});
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("line 6, column Matricule agent: unknown employee number E999999"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("nothing was written"), std::string::npos) << run.err;
  EXPECT_EQ(Ok({"skills", "list"}).find("E000101"), std::string::npos);
}

TEST_F(CliSkillsTest, TiersShowTheFrenchNames) {
  std::string out = Ok({"skills", "tiers"});
  EXPECT_NE(out.find("Illectronisme"), std::string::npos) << out;
  EXPECT_NE(out.find("À consolider"), std::string::npos) << out;
  EXPECT_NE(out.find("75 %"), std::string::npos) << out;
  EXPECT_NE(out.find("320"), std::string::npos) << out;
}

}  // namespace
}  // namespace parc::cli
