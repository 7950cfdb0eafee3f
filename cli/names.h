// The names parcctl uses on the command line and in tables for the enums of
// the v1 API ("tablet", "in_repair", "logistics", ...): common/vocabulary.h's,
// the daemon's too, so that every spelling a file accepts a command accepts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/vocabulary.h"
#include "parc/v1/types.pb.h"

namespace parc::cli {

// Empty for the UNSPECIFIED value.
using parc::AgentStatusName;
using parc::AllocationKindName;
using parc::KindName;
using parc::LifecycleName;
using parc::RoleName;
// "no", "yes", "revoked", "may re-enroll" (never empty).
std::string_view EnrollmentName(v1::EnrollmentState state);

// Any spelling of the vocabulary, English or French ("en réparation"); nullopt
// otherwise.
std::optional<v1::DeviceKind> ParseKind(std::string_view name);
std::optional<v1::Lifecycle> ParseLifecycle(std::string_view name);
std::optional<v1::Role> ParseRole(std::string_view name);
std::optional<v1::AgentStatus> ParseAgentStatus(std::string_view name);

// The canonical names, for validators and help text.
using parc::KindNames;
using parc::LifecycleNames;
using parc::RoleNames;

}  // namespace parc::cli
