// parc-agent's command line, in-process: usage errors, login/logout queueing,
// status, and enrollment failing cleanly without a server.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "agent_client/agent.h"
#include "agent_client/queue/report_queue.h"
#include "agent_client/state.h"
#include "tests/support/temp_dir.h"

namespace parc::agent {
namespace {

using parc::testing::TempDir;

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

Run RunAgent(const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env = {}) {
  std::ostringstream out, err;
  Io io{out, err, [&env](const std::string& name) -> std::optional<std::string> {
          auto it = env.find(name);
          if (it == env.end()) return std::nullopt;
          return it->second;
        }};
  Run run;
  run.code = AgentMain(args, io);
  run.out = out.str();
  run.err = err.str();
  return run;
}

class AgentCliTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Env() const {
    return {{"PARC_AGENT_STATE_DIR", dir_.path().string()},
            {"PARC_AGENT_ROOT", dir_.path().string()}};
  }
  std::vector<v1::Report> Queued() {
    ManualClock clock(0);
    auto queue = ReportQueue::Open(dir_.path() / "queue", clock).value();
    return queue->Peek(100).value();
  }
  TempDir dir_;
};

TEST_F(AgentCliTest, PrintsVersion) {
  auto run = RunAgent({"--version"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("parc-agent "), std::string::npos);
}

TEST_F(AgentCliTest, NoVerbOrMissingArgumentIsUsageError) {
  EXPECT_EQ(RunAgent({}, Env()).code, 2);
  EXPECT_EQ(RunAgent({"login"}, Env()).code, 2);
  EXPECT_EQ(RunAgent({"enroll", "--token", "t"}, Env()).code, 2);
  EXPECT_EQ(RunAgent({"enroll", "--server", "h:1", "--kind", "laptop"}, Env()).code, 2);
}

TEST_F(AgentCliTest, LoginAndLogoutQueueUsageReportsInOrder) {
  ASSERT_EQ(RunAgent({"login", "E042"}, Env()).code, 0);
  ASSERT_EQ(RunAgent({"login", "e077"}, Env()).code, 0);  // closes E042's session; upper-cased
  auto run = RunAgent({"logout"}, Env());
  ASSERT_EQ(run.code, 0) << run.err;
  auto reports = Queued();
  ASSERT_EQ(reports.size(), 4u);
  EXPECT_EQ(reports[0].usage().employee_number(), "E042");
  EXPECT_TRUE(reports[0].usage().login());
  EXPECT_EQ(reports[1].usage().employee_number(), "E042");
  EXPECT_FALSE(reports[1].usage().login());
  EXPECT_EQ(reports[2].usage().employee_number(), "E077");
  EXPECT_TRUE(reports[2].usage().login());
  EXPECT_EQ(reports[3].usage().employee_number(), "E077");
  EXPECT_FALSE(reports[3].usage().login());
  EXPECT_EQ(RunAgent({"logout"}, Env()).code, 1);  // nobody left
}

TEST_F(AgentCliTest, LoginRefusesABadEmployeeNumber) {
  auto run = RunAgent({"login", "E 1"}, Env());
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("EMPLOYEE_NUMBER"), std::string::npos);
}

TEST_F(AgentCliTest, StatusShowsEnrollmentQueueAndSequence) {
  StateDir state(dir_.path());
  ASSERT_TRUE(state.SaveEnrollment({"parc.example:8443", 17, "", "dev_secret"}));
  ASSERT_EQ(RunAgent({"login", "E1"}, Env()).code, 0);
  auto run = RunAgent({"status"}, Env());
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("server: parc.example:8443"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("device id: 17"), std::string::npos);
  EXPECT_NE(run.out.find("last check-in: never"), std::string::npos);
  EXPECT_NE(run.out.find("queue length: 1"), std::string::npos);
  EXPECT_NE(run.out.find("dropped: 0"), std::string::npos);
  EXPECT_NE(run.out.find("next sequence: 2"), std::string::npos);
  EXPECT_NE(run.out.find("current user: E1"), std::string::npos);
  EXPECT_EQ(run.out.find("dev_secret"), std::string::npos);
}

TEST_F(AgentCliTest, CredentialFileIsPrivate) {
  StateDir state(dir_.path());
  ASSERT_TRUE(state.SaveEnrollment({"h:1", 3, "", "dev_secret"}));
  auto perms = std::filesystem::status(dir_.path() / "credential").permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  auto loaded = state.LoadEnrollment();
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->credential, "dev_secret");
  EXPECT_EQ(loaded->device_id, 3);
}

TEST_F(AgentCliTest, RunWithoutEnrollmentSaysToEnroll) {
  auto run = RunAgent({"run"}, Env());
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("parc-agent enroll"), std::string::npos) << run.err;
}

TEST_F(AgentCliTest, EnrollRefusesToReplaceAnEnrollmentWithoutForce) {
  StateDir state(dir_.path());
  ASSERT_TRUE(state.SaveEnrollment({"h:1", 3, "", "dev_secret"}));
  auto run = RunAgent({"enroll", "--server", "127.0.0.1:1", "--token", "tok"}, Env());
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("--force"), std::string::npos) << run.err;
}

TEST_F(AgentCliTest, EnrollAgainstNothingFailsWithoutLeakingTheToken) {
  auto run = RunAgent(
      {"enroll", "--server", "127.0.0.1:1", "--serial", "SN1"},
      {{"PARC_AGENT_STATE_DIR", dir_.path().string()}, {"PARC_AGENT_TOKEN", "enroll_secret_xyz"}});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("enroll"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("enroll_secret_xyz"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "config"));
}

// What the token's QR code holds: the token is taken out of the URL, and
// neither appears in the error.
TEST_F(AgentCliTest, EnrollTakesTheEnrollmentUrlAndLeaksNeither) {
  const std::string url = "http://10.0.0.5:8080/apprendre/?enroll=parcenroll_secret_xyz";
  auto run = RunAgent({"enroll", "--server", "127.0.0.1:1", "--serial", "SN1", "--token", url},
                      {{"PARC_AGENT_STATE_DIR", dir_.path().string()}});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err.find("parcenroll_secret_xyz"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("enroll=parcenroll"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace parc::agent
