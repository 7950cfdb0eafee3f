// A failed gRPC call as parc-agent words it: a sentence for the code (no raw
// "grpc code=N"), the server's message, in English or French.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "agent_client/agent.h"
#include "agent_client/grpc_transport.h"
#include "common/i18n.h"
#include "tests/support/temp_dir.h"

namespace parc::agent {
namespace {

TEST(CallErrorTest, SaysWhatTheCodeMeansInEnglish) {
  Error denied =
      CallError(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "enrollment token used up"),
                "parc.example:7443");
  EXPECT_EQ(denied.code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(denied.message,
            "permission denied, the server does not allow this: enrollment token used up");
  Error down = CallError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                         "parc.example:7443");
  EXPECT_EQ(down.message,
            "the server cannot be reached: connection refused (server parc.example:7443)");
  Error revoked = CallError(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, ""), "s");
  EXPECT_EQ(revoked.message, "the server refused the credentials: (no message)");
}

TEST(CallErrorTest, SaysWhatTheCodeMeansInFrench) {
  ScopedLanguage french(Language::kFrench);
  Error denied = CallError(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "used up"), "s");
  EXPECT_EQ(denied.message, "action refusée, le serveur ne l'autorise pas : used up");
  Error late = CallError(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"),
                         "parc.example:7443");
  EXPECT_EQ(late.code, ErrorCode::kUnavailable);
  EXPECT_EQ(late.message,
            "le serveur n'a pas répondu à temps : Deadline Exceeded (serveur parc.example:7443)");
}

TEST(CallErrorTest, NoRawCodeForAnyStatus) {
  for (int code = 1; code <= 16; ++code) {
    Error error = CallError(grpc::Status(static_cast<grpc::StatusCode>(code), "m"), "s");
    EXPECT_EQ(error.message.find("code="), std::string::npos) << error.message;
    EXPECT_EQ(error.message.find("grpc"), std::string::npos) << error.message;
  }
}

TEST(CallErrorTest, EnrollingAgainstNothingSaysSoInTheDeviceLanguage) {
  parc::testing::TempDir dir;
  std::map<std::string, std::string> env = {{"PARC_AGENT_STATE_DIR", dir.path().string()},
                                            {"PARC_AGENT_TOKEN", "tok"},
                                            {"LANG", "fr_FR.UTF-8"}};
  std::ostringstream out, err;
  Io io{out, err, [&env](const std::string& name) -> std::optional<std::string> {
          auto it = env.find(name);
          if (it == env.end()) return std::nullopt;
          return it->second;
        }};
  std::vector<std::string> args = {"enroll", "--server", "127.0.0.1:1", "--serial", "SN1"};
  EXPECT_EQ(AgentMain(args, io), 1);
  EXPECT_NE(err.str().find("parc-agent : erreur : inscription : le serveur est injoignable : "),
            std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("(serveur 127.0.0.1:1)"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace parc::agent
