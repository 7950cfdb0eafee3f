#include "daemon/domain/scope.h"

namespace parc::domain {

Expected<std::vector<std::string>> DepartmentScope(const Principal& who,
                                                   const std::string& department) {
  if (!who.Scoped()) return std::vector<std::string>{};
  if (who.departments.empty()) {
    return Fail(ErrorCode::kPermissionDenied, "this manager account has no department");
  }
  if (!department.empty() && !who.InScope(department)) {
    return Fail(ErrorCode::kPermissionDenied,
                "department: " + department + " is outside your departments");
  }
  return who.departments;
}

}  // namespace parc::domain
