#include "daemon/service/permissions.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace parc::service {
namespace {

using enum Permission;

constexpr std::pair<std::string_view, Permission> kMethods[] = {
    {"/parc.v1.InventoryService/GetAgent", kInventoryRead},
    {"/parc.v1.InventoryService/ListAgents", kInventoryRead},
    {"/parc.v1.InventoryService/CreateAgent", kInventoryWrite},
    {"/parc.v1.InventoryService/UpdateAgent", kInventoryWrite},
    {"/parc.v1.InventoryService/ImportAgents", kInventoryWrite},
    {"/parc.v1.InventoryService/GetDevice", kInventoryRead},
    {"/parc.v1.InventoryService/ListDevices", kInventoryRead},
    {"/parc.v1.InventoryService/CreateDevice", kInventoryWrite},
    {"/parc.v1.InventoryService/UpdateDevice", kInventoryWrite},
    {"/parc.v1.InventoryService/SetDeviceLifecycle", kInventoryWrite},
    {"/parc.v1.InventoryService/ImportDevices", kInventoryWrite},
    {"/parc.v1.InventoryService/GetSite", kInventoryRead},
    {"/parc.v1.InventoryService/ListSites", kInventoryRead},
    {"/parc.v1.InventoryService/CreateSite", kInventoryWrite},
    {"/parc.v1.InventoryService/UpdateSite", kInventoryWrite},
    {"/parc.v1.InventoryService/CreateEnrollmentToken", kInventoryWrite},
    {"/parc.v1.InventoryService/RevokeDevice", kInventoryWrite},
    {"/parc.v1.InventoryService/AllowEnrollment", kInventoryWrite},
    {"/parc.v1.InventoryService/GetDeviceStatus", kInventoryRead},
    {"/parc.v1.InventoryService/Search", kInventoryRead},

    {"/parc.v1.AllocationService/Assign", kAllocationWrite},
    {"/parc.v1.AllocationService/Return", kAllocationWrite},
    {"/parc.v1.AllocationService/ListAllocations", kAllocationRead},
    {"/parc.v1.AllocationService/GetDeviceHistory", kAllocationRead},
    {"/parc.v1.AllocationService/StoreReceipt", kAllocationWrite},
    {"/parc.v1.AllocationService/ListReceipts", kReceiptRead},
    {"/parc.v1.AllocationService/GetReceiptFile", kReceiptRead},

    {"/parc.v1.AdminService/WhoAmI", kSelf},
    {"/parc.v1.AdminService/CreateOperator", kOperatorsWrite},
    {"/parc.v1.AdminService/ListOperators", kOperatorsRead},
    {"/parc.v1.AdminService/DisableOperator", kOperatorsWrite},
    {"/parc.v1.AdminService/CreateApiToken", kOwnTokens},
    {"/parc.v1.AdminService/ListApiTokens", kOperatorsRead},
    {"/parc.v1.AdminService/RevokeApiToken", kOwnTokens},
    {"/parc.v1.AdminService/ListAuditEvents", kAuditRead},
    {"/parc.v1.AdminService/Backup", kBackup},

    {"/parc.v1.DeviceService/Enroll", kDevice},
    {"/parc.v1.DeviceService/CheckIn", kDevice},
    {"/parc.v1.DeviceService/ListAssignedContent", kDevice},
    {"/parc.v1.DeviceService/FetchContent", kDevice},
    {"/parc.v1.DeviceService/ReportProgress", kDevice},
    {"/parc.v1.DeviceService/ReportUsage", kDevice},

    {"/parc.v1.TrainingService/ImportSkillAssessments", kTrainingWrite},
    {"/parc.v1.TrainingService/ListSkillAssessments", kTrainingRead},
    {"/parc.v1.TrainingService/ListSkillTiers", kTrainingRead},
    {"/parc.v1.TrainingService/CreateModule", kTrainingWrite},
    {"/parc.v1.TrainingService/GetModule", kTrainingRead},
    {"/parc.v1.TrainingService/ListModules", kTrainingRead},
    {"/parc.v1.TrainingService/AddModuleItems", kTrainingWrite},
    {"/parc.v1.TrainingService/PublishModule", kTrainingWrite},
    {"/parc.v1.TrainingService/ArchiveModule", kTrainingWrite},
    {"/parc.v1.TrainingService/UploadContent", kTrainingWrite},
    {"/parc.v1.TrainingService/AssignModule", kTrainingWrite},
    {"/parc.v1.TrainingService/ListAssignments", kTrainingRead},
    {"/parc.v1.TrainingService/RemoveAssignment", kTrainingWrite},
    {"/parc.v1.TrainingService/ListProgress", kTrainingRead},

    {"/parc.v1.DashboardService/AllocationSummary", kDashboardRead},
    {"/parc.v1.DashboardService/Coverage", kDashboardRead},
    {"/parc.v1.DashboardService/StaleDevices", kDashboardRead},
    {"/parc.v1.DashboardService/FleetHealth", kDashboardRead},
    {"/parc.v1.DashboardService/TrainingFunnel", kDashboardRead},
    {"/parc.v1.DashboardService/OverdueLoans", kDashboardRead},
};

// What each role may do. Managers are further limited to their departments by
// the domain; auditors read everything and change nothing.
bool Has(std::initializer_list<Permission> granted, Permission p) {
  return std::find(granted.begin(), granted.end(), p) != granted.end();
}

}  // namespace

std::optional<Permission> PermissionFor(std::string_view method) {
  for (const auto& [name, permission] : kMethods) {
    if (name == method) return permission;
  }
  return std::nullopt;
}

bool RoleHas(v1::Role role, Permission p) {
  switch (role) {
    case v1::ROLE_ADMIN:
      return p != kDevice;
    case v1::ROLE_LOGISTICS:
      return Has({kSelf, kOwnTokens, kInventoryRead, kInventoryWrite, kAllocationRead,
                  kAllocationWrite, kReceiptRead, kTrainingRead, kDashboardRead, kAuditRead},
                 p);
    case v1::ROLE_ADVISOR:
      return Has({kSelf, kOwnTokens, kInventoryRead, kAllocationRead, kTrainingRead, kTrainingWrite,
                  kDashboardRead},
                 p);
    case v1::ROLE_MANAGER:
      return Has(
          {kSelf, kOwnTokens, kInventoryRead, kAllocationRead, kTrainingRead, kDashboardRead}, p);
    case v1::ROLE_AUDITOR:
      return Has({kSelf, kInventoryRead, kAllocationRead, kReceiptRead, kTrainingRead,
                  kDashboardRead, kOperatorsRead, kAuditRead},
                 p);
    default:
      return false;
  }
}

bool IsOpenMethod(std::string_view method) { return method == "/parc.v1.DeviceService/Enroll"; }

std::vector<std::string_view> ListedMethods() {
  std::vector<std::string_view> out;
  for (const auto& entry : kMethods) out.push_back(entry.first);
  return out;
}

}  // namespace parc::service
