// Issue 20 item 5: parcctl refuses, instead of printing an empty table, a list
// filtered on a department outside a manager's scope.
#include <gtest/gtest.h>

#include "cli_test_util.h"
#include "tests/support/test_server.h"

namespace parc::cli {
namespace {

TEST(CliScopeTest, AManagerListingAnotherDepartmentIsRefused) {
  parc::testing::TestServer server;
  auto run = [&](const std::string& token, const std::vector<std::string>& args) {
    return testing::RunParcctl(args, {{"PARC_ADDR", server.address()}, {"PARC_TOKEN", token}});
  };
  ASSERT_EQ(run(server.admin_token(), {"sites", "add", "CTM-NORD", "--name", "Nord"}).code, 0);
  for (const char* dept : {"PROPRETE", "ESPACES-VERTS"}) {
    auto added = run(server.admin_token(),
                     {"agents", "add", std::string("E-") + dept, "--first-name", "Paul",
                      "--last-name", "Martin", "--department", dept, "--site", "CTM-NORD"});
    ASSERT_EQ(added.code, 0) << added.err;
  }
  std::string manager = server.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"});
  auto refused = run(manager, {"agents", "list", "--department", "PROPRETE"});
  EXPECT_NE(refused.code, 0);
  EXPECT_NE(refused.err.find("PROPRETE is outside your departments"), std::string::npos)
      << refused.err;
  EXPECT_EQ(refused.out, "");
  auto own = run(manager, {"agents", "list", "--department", "espaces-verts"});
  EXPECT_EQ(own.code, 0) << own.err;
  EXPECT_NE(own.out.find("E-ESPACES-VERTS"), std::string::npos) << own.out;
  auto devices = run(manager, {"devices", "list", "--department", "PROPRETE"});
  EXPECT_NE(devices.code, 0);
}

}  // namespace
}  // namespace parc::cli
