// What `parcd init` does to a new database.
#pragma once

#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "daemon/store/store.h"

namespace parc::domain {

// Creates the first `admin` operator named `admin_name` and one API token for
// it, with an audit row, in one transaction. Returns the token secret (to be
// shown once). FAILED_PRECONDITION when any operator already exists.
Expected<std::string> Bootstrap(store::Store& store, const Clock& clock,
                                const std::string& admin_name);

}  // namespace parc::domain
