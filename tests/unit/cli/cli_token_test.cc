// Issue 20 item 7: parcctl shows a new token's expiry and whoami warns when the
// token in use expires within 14 days.
#include <gtest/gtest.h>

#include "cli_test_util.h"
#include "tests/support/test_server.h"

namespace parc::cli {
namespace {

using testing::CliResult;

class CliTokenTest : public ::testing::Test {
 protected:
  CliResult As(const std::string& token, const std::vector<std::string>& args) {
    return testing::RunParcctl(args, {{"PARC_ADDR", server_.address()}, {"PARC_TOKEN", token}});
  }
  // The secret of a new token for admin (stdout's first line), and what was said.
  std::string NewToken(const std::vector<std::string>& extra, std::string* said = nullptr) {
    std::vector<std::string> args = {"tokens", "create"};
    args.insert(args.end(), extra.begin(), extra.end());
    CliResult run = As(server_.admin_token(), args);
    EXPECT_EQ(run.code, 0) << run.err;
    if (said) *said = run.err;
    return run.out.substr(0, run.out.find('\n'));
  }

  parc::testing::TestServer server_;
};

TEST_F(CliTokenTest, ANewTokenExpiresByDefaultAndSaysWhen) {
  std::string said;
  NewToken({}, &said);
  EXPECT_NE(said.find(", expires 2026-08-26"), std::string::npos) << said;  // 2026-05-28 + 90 d
  EXPECT_EQ(said.find("never"), std::string::npos) << said;
}

TEST_F(CliTokenTest, WhoAmIWarnsWhenTheTokenExpiresWithinFourteenDays) {
  CliResult soon = As(NewToken({"--expires", "10d"}), {"whoami"});
  EXPECT_EQ(soon.code, 0) << soon.err;
  EXPECT_NE(soon.err.find("warning: your token expires 2026-06-07"), std::string::npos) << soon.err;
  CliResult later = As(NewToken({"--expires", "30d"}), {"whoami"});
  EXPECT_EQ(later.code, 0) << later.err;
  EXPECT_EQ(later.err.find("warning"), std::string::npos) << later.err;
  EXPECT_NE(later.out.find("token expires 2026-06-27"), std::string::npos) << later.out;
}

TEST_F(CliTokenTest, WhoAmIWarnsInFrench) {
  std::string token = NewToken({"--expires", "3d"});
  CliResult run = testing::RunParcctl(
      {"whoami"},
      {{"PARC_ADDR", server_.address()}, {"PARC_TOKEN", token}, {"LANG", "fr_FR.UTF-8"}});
  EXPECT_NE(run.err.find("attention : votre jeton expire le"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace parc::cli
