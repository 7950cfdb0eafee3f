#include "cli/names.h"

#include <array>
#include <utility>

namespace parc::cli {
namespace {

constexpr std::array<std::pair<v1::EnrollmentState, std::string_view>, 4> kEnrollments{{
    {v1::ENROLLMENT_STATE_NOT_ENROLLED, "no"},
    {v1::ENROLLMENT_STATE_ENROLLED, "yes"},
    {v1::ENROLLMENT_STATE_REVOKED, "revoked"},
    {v1::ENROLLMENT_STATE_REENROLL_ALLOWED, "may re-enroll"},
}};

}  // namespace

std::string_view EnrollmentName(v1::EnrollmentState state) {
  for (const auto& [e, name] : kEnrollments) {
    if (e == state) return name;
  }
  return "?";
}

std::optional<v1::DeviceKind> ParseKind(std::string_view name) { return ParseKindName(name); }
std::optional<v1::Lifecycle> ParseLifecycle(std::string_view name) {
  return ParseLifecycleName(name);
}
std::optional<v1::Role> ParseRole(std::string_view name) { return ParseRoleName(name); }
std::optional<v1::AgentStatus> ParseAgentStatus(std::string_view name) {
  return ParseAgentStatusName(name);
}

}  // namespace parc::cli
