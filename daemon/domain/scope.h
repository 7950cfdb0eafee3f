// A manager's scope: the one rule every list, dashboard and report applies to
// a department filter, so that asking outside one's departments is refused the
// same way everywhere instead of answered with an empty table in some places.
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "daemon/domain/principal.h"

namespace parc::domain {

// The departments a result must be limited to for `who` asking with the
// department filter `department` (a normalized code, "" for none): empty (no
// limit) for roles that see everything; the manager's departments otherwise.
// PERMISSION_DENIED for a manager filtering on a department outside their
// scope ("department: X is outside your departments") or holding none.
Expected<std::vector<std::string>> DepartmentScope(const Principal& who,
                                                   const std::string& department);

}  // namespace parc::domain
