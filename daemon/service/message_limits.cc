#include "daemon/service/message_limits.h"

#include <fmt/format.h>

#include <array>

namespace parc::service {
namespace {

constexpr std::string_view kDevicePrefix = "/parc.v1.DeviceService/";
constexpr std::array<std::string_view, 3> kReportMethods = {"CheckIn", "ReportUsage",
                                                            "ReportProgress"};

}  // namespace

int64_t MessageLimits::For(std::string_view method) const {
  if (!method.starts_with(kDevicePrefix)) return 0;
  std::string_view name = method.substr(kDevicePrefix.size());
  for (std::string_view report : kReportMethods) {
    if (name == report) return report_bytes;
  }
  return device_bytes;  // every other device RPC, present and future
}

Status MessageLimits::Check(std::string_view method, size_t bytes) const {
  const int64_t limit = For(method);
  if (limit <= 0 || bytes <= static_cast<size_t>(limit)) return Ok();
  return Fail(ErrorCode::kResourceExhausted,
              fmt::format("request: {} bytes is over the {} bytes {} accepts", bytes, limit,
                          method.substr(method.rfind('/') + 1)));
}

}  // namespace parc::service
