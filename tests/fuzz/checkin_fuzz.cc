// The check-in validator (daemon/checkin/validate.h) on any request a device
// can send: the bytes are the binary protobuf gRPC hands DeviceService
// (CheckInRequest; or ReportUsageRequest when the first byte is 'U'). A
// request it accepts must respect the limits it promises the pipeline.
#include <cstdint>
#include <cstdlib>

#include "daemon/checkin/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace checkin = parc::checkin;
  if (size > 0 && data[0] == 'U') {
    parc::v1::ReportUsageRequest request;
    if (!request.ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
    parc::Status status = checkin::ValidateUsageReports(request);
    if (status && request.reports_size() > checkin::kMaxReportsPerCall) std::abort();
    return 0;
  }
  parc::v1::CheckInRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  parc::Status status = checkin::ValidateCheckIn(request);
  if (!status) {
    auto code = status.error().code;
    if (code != parc::ErrorCode::kInvalidArgument && code != parc::ErrorCode::kResourceExhausted) {
      std::abort();
    }
    return 0;
  }
  if (request.reports_size() > checkin::kMaxReportsPerCall) std::abort();
  for (const auto& report : request.reports()) {
    if (report.ByteSizeLong() > checkin::kMaxReportBytes) std::abort();
    if (report.sequence() == 0) std::abort();
  }
  return 0;
}
