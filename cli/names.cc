#include "cli/names.h"

#include <array>
#include <utility>

namespace parc::cli {
namespace {

template <typename E, size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<v1::DeviceKind, 3> kKinds{{
    {v1::DEVICE_KIND_TABLET, "tablet"},
    {v1::DEVICE_KIND_SMARTPHONE, "smartphone"},
    {v1::DEVICE_KIND_SHARED_PC, "shared_pc"},
}};
constexpr NameTable<v1::Lifecycle, 5> kLifecycles{{
    {v1::LIFECYCLE_IN_STOCK, "in_stock"},
    {v1::LIFECYCLE_ASSIGNED, "assigned"},
    {v1::LIFECYCLE_IN_REPAIR, "in_repair"},
    {v1::LIFECYCLE_LOST, "lost"},
    {v1::LIFECYCLE_RETIRED, "retired"},
}};
constexpr NameTable<v1::Role, 5> kRoles{{
    {v1::ROLE_ADMIN, "admin"},
    {v1::ROLE_LOGISTICS, "logistics"},
    {v1::ROLE_ADVISOR, "advisor"},
    {v1::ROLE_MANAGER, "manager"},
    {v1::ROLE_AUDITOR, "auditor"},
}};
constexpr NameTable<v1::AllocationKind, 3> kAllocationKinds{{
    {v1::ALLOCATION_KIND_PERSONAL, "personal"},
    {v1::ALLOCATION_KIND_SITE, "site"},
    {v1::ALLOCATION_KIND_LOAN, "loan"},
}};
constexpr NameTable<v1::AgentStatus, 2> kStatuses{{
    {v1::AGENT_STATUS_ACTIVE, "active"},
    {v1::AGENT_STATUS_LEFT, "left"},
}};
constexpr NameTable<v1::EnrollmentState, 4> kEnrollments{{
    {v1::ENROLLMENT_STATE_NOT_ENROLLED, "no"},
    {v1::ENROLLMENT_STATE_ENROLLED, "yes"},
    {v1::ENROLLMENT_STATE_REVOKED, "revoked"},
    {v1::ENROLLMENT_STATE_REENROLL_ALLOWED, "may re-enroll"},
}};

template <typename E, size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return {};
}

template <typename E, size_t N>
std::optional<E> ValueOf(const NameTable<E, N>& table, std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::vector<std::string> NamesOf(const NameTable<E, N>& table) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.emplace_back(entry.second);
  return names;
}

}  // namespace

std::string_view KindName(v1::DeviceKind kind) { return NameOf(kKinds, kind); }
std::string_view LifecycleName(v1::Lifecycle lifecycle) { return NameOf(kLifecycles, lifecycle); }
std::string_view RoleName(v1::Role role) { return NameOf(kRoles, role); }
std::string_view AllocationKindName(v1::AllocationKind kind) {
  return NameOf(kAllocationKinds, kind);
}
std::string_view AgentStatusName(v1::AgentStatus status) { return NameOf(kStatuses, status); }
std::string_view EnrollmentName(v1::EnrollmentState state) {
  std::string_view name = NameOf(kEnrollments, state);
  return name.empty() ? "?" : name;
}

std::optional<v1::DeviceKind> ParseKind(std::string_view name) { return ValueOf(kKinds, name); }
std::optional<v1::Lifecycle> ParseLifecycle(std::string_view name) {
  return ValueOf(kLifecycles, name);
}
std::optional<v1::Role> ParseRole(std::string_view name) { return ValueOf(kRoles, name); }
std::optional<v1::AgentStatus> ParseAgentStatus(std::string_view name) {
  return ValueOf(kStatuses, name);
}

std::vector<std::string> KindNames() { return NamesOf(kKinds); }
std::vector<std::string> LifecycleNames() { return NamesOf(kLifecycles); }
std::vector<std::string> RoleNames() { return NamesOf(kRoles); }

}  // namespace parc::cli
