// How parcctl shows what devices report about themselves (GetDeviceStatus):
// the latest status, the usage sessions and the recent reports, as tables for
// people. Pure functions of the response, so tests need no server.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "parc/v1/inventory.pb.h"

namespace parc::cli {

// "never" for an unset timestamp, otherwise like When(): "2026-05-28 10:15".
std::string LastSeen(const google::protobuf::Timestamp& ts);

// "12.3 GB" (decimal gigabytes, as device makers count); "" when negative
// (unknown).
std::string Gigabytes(int64_t bytes);

// "⚠ used by E000123, assigned to E000456" for a session the server flagged
// (not_the_holder), "⚠ E999 is no one's employee number" for an unknown
// number (unknown_person); "" otherwise. `holder` is the device's current holder.
std::string UsageWarning(const v1::UsageSession& session, const std::string& holder);

// The same warning for the status' current user when the device is assigned
// to someone else (a personal holder, not a site pool); "" otherwise.
std::string CurrentUserWarning(const v1::DeviceStatus& status, const v1::Device& device);

// Three sections: "Status", "Usage sessions", "Recent reports". A device
// that never checked in gets one line saying so instead of the first.
void PrintDeviceStatus(std::ostream& out, const v1::GetDeviceStatusResponse& response);

}  // namespace parc::cli
