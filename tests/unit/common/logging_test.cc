#include "common/logging.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <regex>
#include <sstream>
#include <string>

namespace parc {
namespace {

// Every test sends the logs to its own stream and puts stderr back at the end.
class LoggingTest : public ::testing::Test {
 protected:
  void TearDown() override { ASSERT_TRUE(SetupLogging("info", "text")); }

  void Setup(std::string_view level, std::string_view format) {
    ASSERT_TRUE(
        SetupLogging(level, format, std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)));
  }

  std::ostringstream out_;
};

// The body of a JSON string: no raw quote, backslash or control character.
constexpr char kJsonString[] = R"re("((?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*)")re";

TEST_F(LoggingTest, TextLineHasUtcTimeLevelModuleAndMessage) {
  Setup("info", "text");
  Logger("store")->info("migrated from={} to={}", 3, 4);
  EXPECT_TRUE(std::regex_match(
      out_.str(),
      std::regex(
          R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info  \[store\] migrated from=3 to=4\n)")))
      << out_.str();
}

// Under systemd: journald stamps each line and reads its priority in <N>.
TEST_F(LoggingTest, JournalLineHasThePriorityAndNoTime) {
  Setup("debug", "journal");
  Logger("store")->info("migrated from={} to={}", 3, 4);
  Logger("grpc")->warn("slow");
  Logger("main")->error("stopped\nbadly");
  Logger("http")->debug("answered");
  EXPECT_EQ(out_.str(),
            "<6>info  [store] migrated from=3 to=4\n"
            "<4>warn  [grpc] slow\n"
            "<3>error [main] stopped\\nbadly\n"
            "<7>debug [http] answered\n");
}

TEST_F(LoggingTest, TextLineKeepsOneEventOnOneLine) {
  Setup("info", "text");
  Logger("store")->warn("bad row\nnext");
  EXPECT_NE(out_.str().find(R"(warn  [store] bad row\nnext)"), std::string::npos) << out_.str();
  EXPECT_EQ(out_.str().find('\n'), out_.str().size() - 1);
}

TEST_F(LoggingTest, JsonLineParsesAndEscapesQuotesAndNewlines) {
  Setup("debug", "json");
  Logger("grpc")->debug("peer said \"hi\"\nthen \\left\t{}", "x");
  const std::string line = out_.str();
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one event per line";

  const std::string s = kJsonString;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(line, m,
                               std::regex(R"(\{"ts":)" + s + R"(,"level":)" + s + R"(,"logger":)" +
                                          s + R"(,"msg":)" + s + R"(\}\n)")))
      << line;
  EXPECT_TRUE(
      std::regex_match(m[1].str(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  EXPECT_EQ(m[2], "debug");
  EXPECT_EQ(m[3], "grpc");
  EXPECT_EQ(m[4], R"(peer said \"hi\"\nthen \\left\tx)");
}

TEST_F(LoggingTest, JsonEscapeHandlesControlCharacters) {
  EXPECT_EQ(JsonEscape("a\"b\\c\n\r\t\x01 é"), "a\\\"b\\\\c\\n\\r\\t\\u0001 é");
}

TEST_F(LoggingTest, LevelFiltersLowerEvents) {
  Setup("warn", "text");
  Logger("auth")->info("hidden");
  Logger("auth")->error("shown");
  EXPECT_EQ(out_.str().find("hidden"), std::string::npos);
  EXPECT_NE(out_.str().find("error [auth] shown"), std::string::npos) << out_.str();
}

TEST_F(LoggingTest, LoggersMadeBeforeSetupFollowIt) {
  auto early = Logger("http");
  Setup("info", "json");
  early->info("late");
  EXPECT_NE(out_.str().find(R"("logger":"http","msg":"late")"), std::string::npos) << out_.str();
}

TEST_F(LoggingTest, SameModuleGivesSameLogger) { EXPECT_EQ(Logger("main"), Logger("main")); }

TEST_F(LoggingTest, RefusesUnknownLevel) {
  Status status = SetupLogging("loud", "text");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message,
            "log_level: 'loud' is not one of trace, debug, info, warn, error");
}

TEST_F(LoggingTest, RefusesUnknownFormat) {
  Status status = SetupLogging("info", "xml");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "log_format: 'xml' is not one of text, json, journal");
}

}  // namespace
}  // namespace parc
