// The limits every report a device sends must respect, checked before a
// check-in is queued, so that nothing the store later refuses reaches a batch
// (one bad report must never fail the other devices' reports in its batch).
#pragma once

#include <cstddef>

#include "common/error.h"
#include "parc/v1/device.pb.h"

namespace parc::checkin {

inline constexpr int kMaxReportsPerCall = 500;
inline constexpr size_t kMaxReportBytes = 16 * 1024;
inline constexpr size_t kMaxReportText = 256;

// RESOURCE_EXHAUSTED naming the limit for too many reports or a report over
// kMaxReportBytes serialized; INVALID_ARGUMENT naming the field
// ("reports[2].status.kernel: contains a control character") for a zero
// sequence or one above INT64_MAX (the store refuses those), an empty report, a string with a
// control character or longer than kMaxReportText bytes, or a number out of range.
Status ValidateCheckIn(const v1::CheckInRequest& request);

// As ValidateCheckIn, and every report must be a usage event.
Status ValidateUsageReports(const v1::ReportUsageRequest& request);

}  // namespace parc::checkin
