#include "daemon/checkin/validate.h"

#include <fmt/format.h>

#include <limits>

#include "daemon/domain/enrollment.h"

namespace parc::checkin {
namespace {

Status Text(const std::string& prefix, std::string_view field, const std::string& value) {
  return domain::CheckDeviceText(prefix + std::string(field), value, kMaxReportText);
}

Status ValidateStatus(const std::string& at, const v1::StatusReport& s) {
  if (s.battery_percent() < -1 || s.battery_percent() > 100) {
    return InvalidArgument(at + "battery_percent", "-1 (unknown) or 0 to 100");
  }
  for (auto [field, value] : {std::pair{"os_name", &s.os_name()},
                              {"os_version", &s.os_version()},
                              {"kernel", &s.kernel()},
                              {"network_interface", &s.network_interface()},
                              {"ip_address", &s.ip_address()},
                              {"agent_version", &s.agent_version()},
                              {"current_user", &s.current_user()},
                              {"browser", &s.browser()},
                              {"network_type", &s.network_type()}}) {
    PARC_TRY(Text(at, field, *value));
  }
  for (int i = 0; i < s.logged_in_users_size(); ++i) {
    PARC_TRY(Text(at, fmt::format("logged_in_users[{}]", i), s.logged_in_users(i)));
  }
  return Ok();
}

Status ValidateReport(int index, const v1::Report& report) {
  std::string at = fmt::format("reports[{}]", index);
  size_t bytes = report.ByteSizeLong();
  if (bytes > kMaxReportBytes) {
    return Fail(ErrorCode::kResourceExhausted,
                fmt::format("{}: {} bytes, over the limit of {} bytes per report", at, bytes,
                            kMaxReportBytes));
  }
  if (report.sequence() == 0) return InvalidArgument(at + ".sequence", "must be positive");
  if (report.sequence() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return InvalidArgument(at + ".sequence", "above 2^63-1");
  }
  switch (report.body_case()) {
    case v1::Report::kStatus:
      return ValidateStatus(at + ".status.", report.status());
    case v1::Report::kUsage:
      if (report.usage().employee_number().empty()) {
        return InvalidArgument(at + ".usage.employee_number", "required");
      }
      return Text(at + ".usage.", "employee_number", report.usage().employee_number());
    default:
      return InvalidArgument(at, "empty: neither status nor usage");
  }
}

template <typename Reports>
Status ValidateReports(const Reports& reports) {
  if (reports.size() > kMaxReportsPerCall) {
    return Fail(ErrorCode::kResourceExhausted,
                fmt::format("reports: {} in one call, over the limit of {}", reports.size(),
                            kMaxReportsPerCall));
  }
  for (int i = 0; i < reports.size(); ++i) PARC_TRY(ValidateReport(i, reports[i]));
  return Ok();
}

}  // namespace

Status ValidateCheckIn(const v1::CheckInRequest& request) {
  return ValidateReports(request.reports());
}

Status ValidateUsageReports(const v1::ReportUsageRequest& request) {
  PARC_TRY(ValidateReports(request.reports()));
  for (int i = 0; i < request.reports_size(); ++i) {
    if (!request.reports(i).has_usage()) {
      return InvalidArgument(fmt::format("reports[{}]", i), "ReportUsage takes usage reports only");
    }
  }
  return Ok();
}

}  // namespace parc::checkin
