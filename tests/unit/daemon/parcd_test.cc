// parcd's command line, run in-process: what `parcd init` puts in a new database.
#include "daemon/parcd.h"

#include <gtest/gtest.h>

#include <sstream>

#include "daemon/store/sqlite/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace parc {
namespace {

class ParcdInitTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    args.insert(args.begin(), "parcd");
    Io io{out_, err_, [](std::string_view) { return std::optional<std::string>(); }};
    return ParcdMain(args, io);
  }
  std::string DataDir() const { return (dir_.path() / "var").string(); }
  // Agents and devices in the database (at most 1000).
  std::pair<size_t, size_t> Counts() {
    auto store = store::sqlite::Open({.path = DataDir() + "/parc.db"});
    EXPECT_TRUE(store.has_value()) << store.error().message;
    size_t agents = 0, devices = 0;
    EXPECT_TRUE((*store)->Read([&](store::Reader& r) -> Status {
      store::AgentFilter af;
      af.page.limit = 1000;
      PARC_ASSIGN_OR_RETURN(auto a, r.ListAgents(af));
      store::DeviceFilter df;
      df.page.limit = 1000;
      PARC_ASSIGN_OR_RETURN(auto d, r.ListDevices(df));
      agents = a.size();
      devices = d.size();
      return Ok();
    }));
    return {agents, devices};
  }
  std::vector<std::string> SmallDemo() {
    return {"--demo", "city", "--demo-staff", "20", "--demo-devices", "12", "--demo-sites", "3"};
  }

  testing::TempDir dir_;
  std::ostringstream out_, err_;
};

TEST_F(ParcdInitTest, WithoutDemoMakesAnEmptyCity) {
  ASSERT_EQ(Run({"init", "--data-dir", DataDir()}), 0) << err_.str();
  EXPECT_EQ(Counts(), std::make_pair(size_t{0}, size_t{0}));
  EXPECT_EQ(out_.str().find("demo data:"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("city:        empty"), std::string::npos) << out_.str();
}

TEST_F(ParcdInitTest, DemoCityIsLoadedWhenAsked) {
  std::vector<std::string> args = {"init", "--data-dir", DataDir()};
  for (auto& a : SmallDemo()) args.push_back(a);
  ASSERT_EQ(Run(args), 0) << err_.str();
  auto [agents, devices] = Counts();
  EXPECT_EQ(agents, 20u);
  EXPECT_EQ(devices, 12u);
}

TEST_F(ParcdInitTest, DemoGoesIntoAnEmptyExistingDatabase) {
  ASSERT_EQ(Run({"init", "--data-dir", DataDir()}), 0) << err_.str();
  std::vector<std::string> args = {"init", "--data-dir", DataDir()};
  for (auto& a : SmallDemo()) args.push_back(a);
  ASSERT_EQ(Run(args), 0) << err_.str();
  EXPECT_EQ(Counts().first, 20u);
}

TEST_F(ParcdInitTest, RefusesDemoOnADatabaseWithRealData) {
  std::vector<std::string> args = {"init", "--data-dir", DataDir()};
  for (auto& a : SmallDemo()) args.push_back(a);
  ASSERT_EQ(Run(args), 0) << err_.str();
  EXPECT_EQ(Run(args), 1);
  EXPECT_NE(err_.str().find("already holds 20 agents and 12 devices"), std::string::npos)
      << err_.str();
  EXPECT_EQ(Counts().first, 20u);  // nothing added
}

TEST_F(ParcdInitTest, RefusesASecondInitWithoutDemo) {
  ASSERT_EQ(Run({"init", "--data-dir", DataDir()}), 0) << err_.str();
  EXPECT_EQ(Run({"init", "--data-dir", DataDir()}), 1);
  EXPECT_NE(err_.str().find("already exists"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace parc
