// One rule for sites, whatever the way in (imports, CreateAgent/UpdateAgent,
// CreateDevice/UpdateDevice): a record that names a site not known yet creates
// it, its code from the text as written (NormalizeCode: "CTM Nord" ->
// CTM-NORD) and its name the text itself, with a "site.create" audit row.
// Every later lookup of the site goes through NormalizeCode, so "CTM Nord",
// "ctm nord" and "CTM-NORD" all name it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "daemon/store/store.h"
#include "parc/v1/types.pb.h"

namespace parc::domain {

// The site `written` would create: nullopt when `written` is blank or the
// site already exists. Errors are storage failures.
Expected<std::optional<v1::Site>> MissingSite(store::Reader& r, std::string_view written);

// Inserts `site` (from MissingSite) with its audit row; `why` says which record
// named it ("named by agent:E000101", "import, line 3").
Status CreateNamedSite(store::Writer& w, const std::string& actor, int64_t now_ms,
                       const v1::Site& site, std::string_view why);

// MissingSite then CreateNamedSite when it is missing.
Status EnsureSite(store::Writer& w, const std::string& actor, int64_t now_ms,
                  std::string_view written, std::string_view why);

}  // namespace parc::domain
