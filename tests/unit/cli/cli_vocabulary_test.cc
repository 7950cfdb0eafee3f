// Issue 20 item 10: parcctl takes the words files take (common/vocabulary.h),
// in both languages, and the audit log finds a device by its asset tag.
#include <gtest/gtest.h>

#include "cli_test_util.h"
#include "tests/support/test_server.h"

namespace parc::cli {
namespace {

using testing::CliResult;

class CliVocabularyTest : public ::testing::Test {
 protected:
  CliResult Parcctl(const std::vector<std::string>& args) {
    return testing::RunParcctl(
        args, {{"PARC_ADDR", server_.address()}, {"PARC_TOKEN", server_.admin_token()}});
  }
  std::string Ok(const std::vector<std::string>& args) {
    CliResult run = Parcctl(args);
    EXPECT_EQ(run.code, 0) << run.err;
    return run.out;
  }
  void AddAgentWithTablet(const std::string& tag) {
    Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
    Ok({"agents", "add", "E000001", "--first-name", "Hélène", "--last-name", "Dupré",
        "--department", "PROPRETE", "--site", "CTM-NORD"});
    Ok({"devices", "add", "SN-" + tag, "--kind", "tablette", "--asset-tag", tag});
  }

  parc::testing::TestServer server_;
};

TEST_F(CliVocabularyTest, ReturnTakesTheStateInEitherLanguage) {
  AddAgentWithTablet("TAB-0001");
  for (const char* to : {"en réparation", "en_reparation", "in_repair", "En-Réparation"}) {
    Ok({"assign", "TAB-0001", "E000001"});
    Ok({"return", "TAB-0001", "--to", to});
    std::string device = Ok({"devices", "show", "TAB-0001"});
    EXPECT_NE(device.find("in_repair"), std::string::npos) << to << "\n" << device;
    Ok({"devices", "update", "TAB-0001", "--lifecycle", "en stock"});
  }
  CliResult wrong = Parcctl({"return", "TAB-0001", "--to", "réformé"});
  EXPECT_NE(wrong.code, 0);
}

TEST_F(CliVocabularyTest, ListsTakeFrenchStatusesKindsAndStates) {
  AddAgentWithTablet("TAB-0002");
  Ok({"agents", "add", "E000002", "--first-name", "Paul", "--last-name", "Martin", "--department",
      "PROPRETE", "--site", "CTM-NORD"});
  Ok({"agents", "update", "E000002", "--left"});
  std::string left = Ok({"agents", "list", "--status", "inactif"});
  EXPECT_NE(left.find("E000002"), std::string::npos) << left;
  EXPECT_EQ(left.find("E000001"), std::string::npos) << left;
  std::string stock = Ok({"devices", "list", "--lifecycle", "en stock", "--kind", "tablette"});
  EXPECT_NE(stock.find("TAB-0002"), std::string::npos) << stock;
}

TEST_F(CliVocabularyTest, TheAuditLogFindsADeviceByAssetTagAsWellAsSerial) {
  AddAgentWithTablet("TAB-0003");
  Ok({"assign", "TAB-0003", "E000001"});
  std::string by_serial = Ok({"audit", "--target", "device:SN-TAB-0003"});
  std::string by_tag = Ok({"audit", "--target", "device:tab-0003"});
  EXPECT_NE(by_tag.find("device.create"), std::string::npos) << by_tag;
  EXPECT_EQ(by_tag, by_serial);
}

}  // namespace
}  // namespace parc::cli
