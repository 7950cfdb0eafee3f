// parcctl without a server: usage errors, missing settings, unreachable parcd.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_test_util.h"

namespace parc::cli {
namespace {

using testing::RunParcctl;

// A port nothing listens on: connecting is refused at once.
const std::map<std::string, std::string> kUnreachable = {{"PARC_ADDR", "127.0.0.1:1"},
                                                         {"PARC_TOKEN", "secret-token-123"}};

TEST(ParcctlTest, PrintsVersion) {
  auto run = RunParcctl({"--version"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("parcctl "), std::string::npos);
}

TEST(ParcctlTest, PrintsHelpAndExitsZero) {
  auto run = RunParcctl({"--help"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("agents"), std::string::npos);
}

TEST(ParcctlTest, ImportHelpListsTheFrenchHeadersAndIgnoreColumn) {
  auto devices = RunParcctl({"import", "devices", "--help"});
  EXPECT_EQ(devices.code, 0);
  EXPECT_NE(devices.out.find("N° de série"), std::string::npos) << devices.out;
  EXPECT_NE(devices.out.find("Fin de garantie"), std::string::npos) << devices.out;
  EXPECT_NE(devices.out.find("--ignore-column"), std::string::npos) << devices.out;
  auto agents = RunParcctl({"import", "agents", "--help"});
  EXPECT_NE(agents.out.find("Conseiller numérique"), std::string::npos) << agents.out;
}

TEST(ParcctlTest, UnknownVerbIsUsageError) {
  auto run = RunParcctl({"frobnicate"}, kUnreachable);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("frobnicate"), std::string::npos);
}

TEST(ParcctlTest, NoVerbIsUsageError) {
  EXPECT_EQ(RunParcctl({}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"agents"}, kUnreachable).code, 2);
}

TEST(ParcctlTest, MissingArgumentIsUsageError) {
  auto run = RunParcctl({"agents", "show"}, kUnreachable);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("EMPLOYEE"), std::string::npos);
}

TEST(ParcctlTest, MissingRequiredOptionIsUsageError) {
  EXPECT_EQ(RunParcctl({"devices", "add", "SN1"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"assign", "TAB-1"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"history"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"agents", "update", "E1"}, kUnreachable).code, 2);
}

TEST(ParcctlTest, BadNamesAndDatesAreUsageErrors) {
  EXPECT_EQ(RunParcctl({"devices", "add", "SN1", "--kind", "laptop"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"devices", "list", "--lifecycle", "gone"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"assign", "T1", "E1", "--due", "31/02/2026"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"operators", "add", "bob", "--role", "king"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"assign", "T1", "E1", "--site", "S"}, kUnreachable).code, 2);
}

TEST(ParcctlTest, BadEnrollmentArgumentsAreUsageErrors) {
  EXPECT_EQ(RunParcctl({"enroll-token", "create", "--uses", "0"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"enroll-token", "create", "--expires", "soon"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"enroll-token", "create", "--kind", "laptop"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"enroll-token"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"devices", "list", "--stale", "a week"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"devices", "revoke"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"devices", "allow-enroll"}, kUnreachable).code, 2);
  EXPECT_EQ(RunParcctl({"devices", "status", "T1", "--recent", "500"}, kUnreachable).code, 2);
}

TEST(ParcctlTest, MissingTokenIsAnErrorThatSaysWhatToSet) {
  auto run = RunParcctl({"agents", "list"}, {{"PARC_ADDR", "127.0.0.1:1"}});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("PARC_TOKEN"), std::string::npos) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST(ParcctlTest, UnreachableServerGivesHintWithAddress) {
  auto run = RunParcctl({"agents", "list"}, kUnreachable);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("is parcd running at 127.0.0.1:1?"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("secret-token-123"), std::string::npos);
}

TEST(ParcctlTest, FlagBeatsEnvironmentForAddress) {
  auto run = RunParcctl({"--addr", "127.0.0.1:2", "whoami"}, kUnreachable);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("127.0.0.1:2"), std::string::npos) << run.err;
}

TEST(ParcctlTest, GlobalFlagsAreAcceptedAfterTheVerb) {
  auto run = RunParcctl({"agents", "list", "--json", "--addr", "127.0.0.1:3"}, kUnreachable);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("127.0.0.1:3"), std::string::npos) << run.err;
}

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = std::filesystem::temp_directory_path() /
            ("parcctl-home-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(home_ / ".config/parc");
  }
  void TearDown() override { std::filesystem::remove_all(home_); }
  void WriteConfig(const std::string& text) {
    std::ofstream(home_ / ".config/parc/parcctl.toml") << text;
  }
  std::filesystem::path home_;
};

TEST_F(ConfigFileTest, ReadsAddressAndTokenFromConfigFile) {
  WriteConfig("addr = \"127.0.0.1:4\"\ntoken = \"from-file\"\n");
  auto run = RunParcctl({"whoami"}, {{"HOME", home_.string()}});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("127.0.0.1:4"), std::string::npos) << run.err;
}

TEST_F(ConfigFileTest, EnvironmentBeatsConfigFile) {
  WriteConfig("addr = \"127.0.0.1:4\"\ntoken = \"from-file\"\n");
  auto run = RunParcctl({"whoami"}, {{"HOME", home_.string()}, {"PARC_ADDR", "127.0.0.1:5"}});
  EXPECT_NE(run.err.find("127.0.0.1:5"), std::string::npos) << run.err;
}

TEST_F(ConfigFileTest, BrokenConfigFileNamesFileAndLine) {
  WriteConfig("addr = \n");
  auto run = RunParcctl({"whoami"}, {{"HOME", home_.string()}});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("parcctl.toml"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("line 1"), std::string::npos) << run.err;
}

TEST_F(ConfigFileTest, UnreadableCaFileIsAnError) {
  auto run = RunParcctl({"--ca", (home_ / "missing.pem").string(), "whoami"}, kUnreachable);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("missing.pem"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace parc::cli
