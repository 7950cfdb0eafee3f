// Who may call what: every RPC Parc serves is listed here with the permission
// it needs, and every role with the permissions it has. An RPC missing from the
// table is denied to everyone (default deny); a test checks the table covers
// every method of every parc.v1 service.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "parc/v1/types.pb.h"

namespace parc::service {

enum class Permission {
  kSelf,       // about oneself: WhoAmI
  kOwnTokens,  // create and revoke one's own API tokens
  kInventoryRead,
  kInventoryWrite,
  kAllocationRead,
  kAllocationWrite,
  kReceiptRead,  // signed receipts: the person's signature, so not every reader
  kTrainingRead,
  kTrainingWrite,
  kDashboardRead,
  kOperatorsRead,
  kOperatorsWrite,  // operators, and tokens of others
  kAuditRead,
  kBackup,
  kDevice,  // device credentials only (DeviceService)
};

// The permission `method` ("/parc.v1.InventoryService/CreateAgent") needs, or
// std::nullopt when it is not listed (deny).
std::optional<Permission> PermissionFor(std::string_view method);

bool RoleHas(v1::Role role, Permission permission);

// Methods whose proof travels in the request instead of a bearer secret:
// Enroll (the enrollment token). Listed in the table as kDevice, yet nobody
// is authenticated for them and the Gate serves them only through OpenUnary.
bool IsOpenMethod(std::string_view method);

// Every method listed in the table, for tests.
std::vector<std::string_view> ListedMethods();

}  // namespace parc::service
