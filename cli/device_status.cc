#include "cli/device_status.h"

#include <fmt/format.h>

#include <vector>

#include "cli/commands/command.h"
#include "cli/table.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

constexpr std::string_view kWarning = "\u26a0";  // ⚠

std::string Battery(const v1::DeviceStatus& s) {
  if (s.battery_percent() < 0) return Tr("unknown");
  return s.charging() ? TrF("{}% (charging)", s.battery_percent())
                      : fmt::format("{}%", s.battery_percent());
}

std::string Storage(const v1::DeviceStatus& s) {
  std::string free = Gigabytes(s.storage_free_bytes());
  if (free.empty()) return Tr("unknown");
  std::string total = Gigabytes(s.storage_total_bytes());
  return total.empty() || s.storage_total_bytes() == 0 ? free : TrF("{0} of {1}", free, total);
}

std::string Warned(std::string text, const std::string& warning) {
  return warning.empty() ? text : text + "  " + warning;
}

void PrintStatus(std::ostream& out, const v1::GetDeviceStatusResponse& response) {
  if (!response.has_status()) {
    out << Tr("Status: never checked in") << '\n';
    return;
  }
  const v1::DeviceStatus& s = response.status();
  out << Tr("Status") << '\n';
  Table table({Tr("FIELD"), Tr("VALUE")});
  table.AddRow({Tr("last seen"), LastSeen(s.last_seen())});
  table.AddRow({Tr("measured"), When(s.collected_at())});
  table.AddRow({Tr("battery"), Battery(s)});
  table.AddRow({Tr("storage free"), Storage(s)});
  table.AddRow({Tr("os version"), s.os_version()});
  table.AddRow({Tr("agent version"), s.agent_version()});
  table.AddRow(
      {Tr("current user"), Warned(s.current_user(), CurrentUserWarning(s, response.device()))});
  table.AddRow({Tr("ip address"), s.ip_address()});
  table.AddRow({Tr("last sequence"), std::to_string(s.last_sequence())});
  table.AddRow({Tr("dropped reports"), std::to_string(s.dropped_reports())});
  table.Print(out);
}

void PrintSessions(std::ostream& out, const v1::GetDeviceStatusResponse& response) {
  out << '\n' << Tr("Usage sessions") << '\n';
  Table table({Tr("EMPLOYEE"), Tr("STARTED"), Tr("ENDED"), Tr("NOTE")});
  const std::string& holder = response.device().holder_employee_number();
  for (const auto& session : response.sessions()) {
    table.AddRow({session.employee_number(), When(session.started_at()),
                  session.has_ended_at() ? When(session.ended_at()) : Tr("(open)"),
                  UsageWarning(session, holder)});
  }
  table.Print(out);
}

std::string ReportDetails(const v1::Report& report) {
  if (report.has_usage()) {
    return report.usage().login() ? TrF("login {}", report.usage().employee_number())
                                  : TrF("logout {}", report.usage().employee_number());
  }
  if (!report.has_status()) return {};
  const v1::StatusReport& s = report.status();
  std::vector<std::string> parts;
  parts.push_back(s.battery_percent() < 0 ? Tr("battery unknown")
                                          : TrF("battery {}%", s.battery_percent()));
  if (std::string free = Gigabytes(s.storage_free_bytes()); !free.empty()) {
    parts.push_back(TrF("{} free", free));
  }
  if (!s.ip_address().empty()) parts.push_back(s.ip_address());
  if (!s.browser().empty()) parts.push_back(s.browser());
  if (!s.network_type().empty()) parts.push_back(TrF("network {}", s.network_type()));
  if (!s.current_user().empty()) parts.push_back(TrF("user {}", s.current_user()));
  return fmt::format("{}", fmt::join(parts, ", "));
}

void PrintReports(std::ostream& out, const v1::GetDeviceStatusResponse& response) {
  out << '\n' << Tr("Recent reports") << '\n';
  Table table({Tr("SEQ"), Tr("MEASURED"), Tr("KIND"), Tr("DETAILS")});
  for (const auto& report : response.recent()) {
    std::string kind = report.has_usage()    ? Tr("@report:usage")
                       : report.has_status() ? Tr("@report:status")
                                             : "?";
    table.AddRow({std::to_string(report.sequence()), When(report.collected_at()), kind,
                  ReportDetails(report)});
  }
  table.Print(out);
}

}  // namespace

std::string LastSeen(const google::protobuf::Timestamp& ts) {
  std::string when = When(ts);
  return when.empty() ? Tr("never") : when;
}

std::string Gigabytes(int64_t bytes) {
  if (bytes < 0) return {};
  return fmt::format("{:.1f} GB", static_cast<double>(bytes) / 1e9);
}

std::string UsageWarning(const v1::UsageSession& session, const std::string& holder) {
  if (session.unknown_person()) {
    return TrF("{0} {1} is no one's employee number", kWarning, session.employee_number());
  }
  if (!session.not_the_holder()) return {};
  if (holder.empty() || holder == session.employee_number()) {
    return TrF("{0} used by {1}, not the holder", kWarning, session.employee_number());
  }
  return TrF("{0} used by {1}, assigned to {2}", kWarning, session.employee_number(), holder);
}

std::string CurrentUserWarning(const v1::DeviceStatus& status, const v1::Device& device) {
  const std::string& holder = device.holder_employee_number();
  if (status.current_user().empty() || holder.empty() || status.current_user() == holder) {
    return {};
  }
  return TrF("{0} used by {1}, assigned to {2}", kWarning, status.current_user(), holder);
}

void PrintDeviceStatus(std::ostream& out, const v1::GetDeviceStatusResponse& response) {
  PrintStatus(out, response);
  PrintSessions(out, response);
  PrintReports(out, response);
}

}  // namespace parc::cli
