#include "agent_client/state.h"

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <sstream>

#include "agent_client/durable_file.h"

namespace parc::agent {
namespace {

using KeyValues = std::map<std::string, std::string>;

KeyValues ParseKeyValues(const std::string& text) {
  KeyValues values;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return values;
}

std::string Value(const KeyValues& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? std::string() : it->second;
}

int64_t IntValue(const KeyValues& values, const std::string& key) {
  std::string text = Value(values, key);
  int64_t number = 0;
  std::from_chars(text.data(), text.data() + text.size(), number);
  return number;
}

// One line per value: newlines would split a value into two keys.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

std::string Trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

}  // namespace

Status StateDir::Create() const { return EnsureDirectory(dir_); }

Expected<Enrollment> StateDir::LoadEnrollment() const {
  auto config = ReadWholeFile(dir_ / "config");
  if (!config && config.error().code == ErrorCode::kNotFound) {
    return NotFound(fmt::format("not enrolled (no config in {}): run `parc-agent enroll` first",
                                dir_.string()));
  }
  if (!config) return std::unexpected(config.error().Wrap("state"));
  KeyValues values = ParseKeyValues(*config);
  Enrollment enrollment{Value(values, "server"), IntValue(values, "device_id"), Value(values, "ca"),
                        ""};
  if (enrollment.server.empty() || enrollment.device_id <= 0) {
    return Fail(ErrorCode::kInternal,
                fmt::format("{}: server or device_id missing", (dir_ / "config").string()));
  }
  PARC_ASSIGN_OR_RETURN(std::string credential, ReadWholeFile(dir_ / "credential"));
  enrollment.credential = Trim(std::move(credential));
  return enrollment;
}

Status StateDir::SaveEnrollment(const Enrollment& enrollment) const {
  PARC_TRY(Create());
  // The credential first: a config naming a device whose secret is missing
  // would look enrolled and fail every check-in.
  PARC_TRY(WriteFileDurably(dir_ / "credential", enrollment.credential + "\n", 0600));
  return WriteFileDurably(
      dir_ / "config", fmt::format("server={}\ndevice_id={}\nca={}\n", OneLine(enrollment.server),
                                   enrollment.device_id, OneLine(enrollment.ca_path)));
}

LastCheckIn StateDir::LoadLastCheckIn() const {
  auto text = ReadWholeFile(dir_ / "last_checkin");
  if (!text) return {};
  KeyValues values = ParseKeyValues(*text);
  return LastCheckIn{IntValue(values, "at_ms"), IntValue(values, "ok") != 0,
                     Value(values, "message")};
}

Status StateDir::SaveLastCheckIn(const LastCheckIn& last) const {
  return WriteFileDurably(dir_ / "last_checkin",
                          fmt::format("at_ms={}\nok={}\nmessage={}\n", last.at_ms, last.ok ? 1 : 0,
                                      OneLine(last.message)));
}

std::optional<std::string> StateDir::LoadCurrentUser() const {
  auto text = ReadWholeFile(dir_ / "current_user");
  if (!text) return std::nullopt;
  std::string user = Trim(std::move(*text));
  if (user.empty()) return std::nullopt;
  return user;
}

Status StateDir::SaveCurrentUser(const std::optional<std::string>& employee_number) const {
  PARC_TRY(Create());
  return WriteFileDurably(dir_ / "current_user", OneLine(employee_number.value_or("")) + "\n");
}

}  // namespace parc::agent
