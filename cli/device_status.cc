#include "cli/device_status.h"

#include <fmt/format.h>

#include <vector>

#include "cli/commands/command.h"
#include "cli/table.h"

namespace parc::cli {
namespace {

constexpr std::string_view kWarning = "\u26a0";  // ⚠

std::string Battery(const v1::DeviceStatus& s) {
  if (s.battery_percent() < 0) return "unknown";
  return fmt::format("{}%{}", s.battery_percent(), s.charging() ? " (charging)" : "");
}

std::string Storage(const v1::DeviceStatus& s) {
  std::string free = Gigabytes(s.storage_free_bytes());
  if (free.empty()) return "unknown";
  std::string total = Gigabytes(s.storage_total_bytes());
  return total.empty() || s.storage_total_bytes() == 0 ? free : free + " of " + total;
}

std::string Warned(std::string text, const std::string& warning) {
  return warning.empty() ? text : text + "  " + warning;
}

void PrintStatus(std::ostream& out, const v1::GetDeviceStatusResponse& response) {
  if (!response.has_status()) {
    out << "Status: never checked in\n";
    return;
  }
  const v1::DeviceStatus& s = response.status();
  out << "Status\n";
  Table table({"FIELD", "VALUE"});
  table.AddRow({"last seen", LastSeen(s.last_seen())});
  table.AddRow({"measured", When(s.collected_at())});
  table.AddRow({"battery", Battery(s)});
  table.AddRow({"storage free", Storage(s)});
  table.AddRow({"os version", s.os_version()});
  table.AddRow({"agent version", s.agent_version()});
  table.AddRow(
      {"current user", Warned(s.current_user(), CurrentUserWarning(s, response.device()))});
  table.AddRow({"ip address", s.ip_address()});
  table.AddRow({"last sequence", std::to_string(s.last_sequence())});
  table.AddRow({"dropped reports", std::to_string(s.dropped_reports())});
  table.Print(out);
}

void PrintSessions(std::ostream& out, const v1::GetDeviceStatusResponse& response) {
  out << "\nUsage sessions\n";
  Table table({"EMPLOYEE", "STARTED", "ENDED", "NOTE"});
  const std::string& holder = response.device().holder_employee_number();
  for (const auto& session : response.sessions()) {
    table.AddRow({session.employee_number(), When(session.started_at()),
                  session.has_ended_at() ? When(session.ended_at()) : "(open)",
                  UsageWarning(session, holder)});
  }
  table.Print(out);
}

std::string ReportDetails(const v1::Report& report) {
  if (report.has_usage()) {
    return fmt::format("{} {}", report.usage().login() ? "login" : "logout",
                       report.usage().employee_number());
  }
  if (!report.has_status()) return {};
  const v1::StatusReport& s = report.status();
  std::vector<std::string> parts;
  parts.push_back(s.battery_percent() < 0 ? "battery unknown"
                                          : fmt::format("battery {}%", s.battery_percent()));
  if (std::string free = Gigabytes(s.storage_free_bytes()); !free.empty()) {
    parts.push_back(free + " free");
  }
  if (!s.ip_address().empty()) parts.push_back(s.ip_address());
  if (!s.current_user().empty()) parts.push_back("user " + s.current_user());
  return fmt::format("{}", fmt::join(parts, ", "));
}

void PrintReports(std::ostream& out, const v1::GetDeviceStatusResponse& response) {
  out << "\nRecent reports\n";
  Table table({"SEQ", "MEASURED", "KIND", "DETAILS"});
  for (const auto& report : response.recent()) {
    std::string kind = report.has_usage() ? "usage" : report.has_status() ? "status" : "?";
    table.AddRow({std::to_string(report.sequence()), When(report.collected_at()), kind,
                  ReportDetails(report)});
  }
  table.Print(out);
}

}  // namespace

std::string LastSeen(const google::protobuf::Timestamp& ts) {
  std::string when = When(ts);
  return when.empty() ? "never" : when;
}

std::string Gigabytes(int64_t bytes) {
  if (bytes < 0) return {};
  return fmt::format("{:.1f} GB", static_cast<double>(bytes) / 1e9);
}

std::string UsageWarning(const v1::UsageSession& session, const std::string& holder) {
  if (!session.not_the_holder()) return {};
  if (holder.empty() || holder == session.employee_number()) {
    return fmt::format("{} used by {}, not the holder", kWarning, session.employee_number());
  }
  return fmt::format("{} used by {}, assigned to {}", kWarning, session.employee_number(), holder);
}

std::string CurrentUserWarning(const v1::DeviceStatus& status, const v1::Device& device) {
  const std::string& holder = device.holder_employee_number();
  if (status.current_user().empty() || holder.empty() || status.current_user() == holder) {
    return {};
  }
  return fmt::format("{} used by {}, assigned to {}", kWarning, status.current_user(), holder);
}

void PrintDeviceStatus(std::ostream& out, const v1::GetDeviceStatusResponse& response) {
  PrintStatus(out, response);
  PrintSessions(out, response);
  PrintReports(out, response);
}

}  // namespace parc::cli
