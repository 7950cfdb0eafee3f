// The names parcctl uses on the command line and in CSV files for the enums of
// the v1 API ("tablet", "in_repair", "logistics", ...). A mapping of its own so
// that the command line does not link the daemon; it matches the names of
// daemon/domain/records.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parc/v1/types.pb.h"

namespace parc::cli {

// Empty for the UNSPECIFIED value.
std::string_view KindName(v1::DeviceKind kind);
std::string_view LifecycleName(v1::Lifecycle lifecycle);
std::string_view RoleName(v1::Role role);
std::string_view AllocationKindName(v1::AllocationKind kind);
std::string_view AgentStatusName(v1::AgentStatus status);
// "no", "yes", "revoked", "may re-enroll" (never empty).
std::string_view EnrollmentName(v1::EnrollmentState state);

// Exact names only (the command line validates them first); nullopt otherwise.
std::optional<v1::DeviceKind> ParseKind(std::string_view name);
std::optional<v1::Lifecycle> ParseLifecycle(std::string_view name);
std::optional<v1::Role> ParseRole(std::string_view name);
std::optional<v1::AgentStatus> ParseAgentStatus(std::string_view name);

// Every accepted name, for CLI11's IsMember check and help text.
std::vector<std::string> KindNames();
std::vector<std::string> LifecycleNames();
std::vector<std::string> RoleNames();

}  // namespace parc::cli
