// The permission table as plain data; tests/integration checks the same rules
// over gRPC for every RPC.
#include "daemon/service/permissions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>

namespace parc::service {
namespace {

using enum Permission;

// Every Permission value. The static_assert catches a value added after kDevice.
constexpr Permission kAll[] = {kSelf,           kOwnTokens,       kInventoryRead, kInventoryWrite,
                               kAllocationRead, kAllocationWrite, kReceiptRead,   kTrainingRead,
                               kTrainingWrite,  kDashboardRead,   kOperatorsRead, kOperatorsWrite,
                               kAuditRead,      kBackup,          kDevice};
static_assert(std::size(kAll) == static_cast<size_t>(kDevice) + 1);

// Everything that changes state or takes data away (a backup is a full copy).
bool IsWrite(Permission p) {
  switch (p) {
    case kOwnTokens:
    case kInventoryWrite:
    case kAllocationWrite:
    case kTrainingWrite:
    case kOperatorsWrite:
    case kBackup:
    case kDevice:
      return true;
    default:
      return false;
  }
}

constexpr v1::Role kOperatorRoles[] = {v1::ROLE_ADMIN, v1::ROLE_LOGISTICS, v1::ROLE_ADVISOR,
                                       v1::ROLE_MANAGER, v1::ROLE_AUDITOR};

TEST(PermissionsTest, AuditorIsGrantedNoWritePermissionAtAll) {
  int granted = 0;
  for (Permission p : kAll) {
    SCOPED_TRACE(static_cast<int>(p));
    if (IsWrite(p)) {
      EXPECT_FALSE(RoleHas(v1::ROLE_AUDITOR, p));
    }
    granted += RoleHas(v1::ROLE_AUDITOR, p);
  }
  EXPECT_GT(granted, 0) << "an auditor still reads";
  EXPECT_TRUE(RoleHas(v1::ROLE_AUDITOR, kAuditRead));
}

TEST(PermissionsTest, AuditorMayCallNoMethodThatNeedsAWritePermission) {
  for (std::string_view method : ListedMethods()) {
    auto p = PermissionFor(method);
    ASSERT_TRUE(p) << method;
    if (IsWrite(*p)) {
      EXPECT_FALSE(RoleHas(v1::ROLE_AUDITOR, *p)) << method;
    }
  }
}

TEST(PermissionsTest, UnspecifiedOrUnknownRoleHasNothing) {
  for (Permission p : kAll) {
    EXPECT_FALSE(RoleHas(v1::ROLE_UNSPECIFIED, p)) << static_cast<int>(p);
    EXPECT_FALSE(RoleHas(static_cast<v1::Role>(42), p)) << static_cast<int>(p);
  }
}

TEST(PermissionsTest, NoOperatorRoleHasTheDevicePermission) {
  for (v1::Role role : kOperatorRoles) {
    EXPECT_FALSE(RoleHas(role, kDevice)) << v1::Role_Name(role);
  }
}

TEST(PermissionsTest, EveryOperatorRoleMayAskWhoItIs) {
  for (v1::Role role : kOperatorRoles) EXPECT_TRUE(RoleHas(role, kSelf)) << v1::Role_Name(role);
}

TEST(PermissionsTest, AdminHasEverythingButTheDevicePermission) {
  for (Permission p : kAll)
    EXPECT_EQ(RoleHas(v1::ROLE_ADMIN, p), p != kDevice) << static_cast<int>(p);
}

TEST(PermissionsTest, UnknownMethodNeedsAPermissionNobodyHas) {
  EXPECT_EQ(PermissionFor("/parc.v1.InventoryService/DropEverything"), std::nullopt);
  EXPECT_EQ(PermissionFor("/parc.v1.inventoryservice/createagent"), std::nullopt);
  EXPECT_EQ(PermissionFor("/parc.v1.InventoryService/CreateAgent/"), std::nullopt);
  EXPECT_EQ(PermissionFor("/parc.v1.InventoryService/"), std::nullopt);
  EXPECT_EQ(PermissionFor(""), std::nullopt);
}

TEST(PermissionsTest, KnownMethodsNeedTheirPermission) {
  EXPECT_EQ(PermissionFor("/parc.v1.InventoryService/CreateAgent"), kInventoryWrite);
  EXPECT_EQ(PermissionFor("/parc.v1.AllocationService/Return"), kAllocationWrite);
  EXPECT_EQ(PermissionFor("/parc.v1.AdminService/ListAuditEvents"), kAuditRead);
  EXPECT_EQ(PermissionFor("/parc.v1.DeviceService/CheckIn"), kDevice);
}

TEST(PermissionsTest, EveryListedMethodIsListedOnce) {
  auto methods = ListedMethods();
  std::sort(methods.begin(), methods.end());
  EXPECT_EQ(std::adjacent_find(methods.begin(), methods.end()), methods.end());
}

}  // namespace
}  // namespace parc::service
