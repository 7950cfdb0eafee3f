#include "daemon/domain/sites.h"

#include <fmt/format.h>

#include "common/time.h"
#include "daemon/domain/records.h"

namespace parc::domain {

Expected<std::optional<v1::Site>> MissingSite(store::Reader& r, std::string_view written) {
  v1::Site site;
  site.set_code(std::string(written));
  site.set_name(std::string(written));
  Normalize(site);
  if (site.code().empty()) return std::nullopt;
  PARC_ASSIGN_OR_RETURN(auto found, r.FindSite(site.code()));
  if (found) return std::nullopt;
  return site;
}

Status CreateNamedSite(store::Writer& w, const std::string& actor, int64_t now_ms,
                       const v1::Site& site, std::string_view why) {
  PARC_TRY(Validate(site));
  PARC_TRY(w.InsertSite(site));
  v1::AuditEvent event;
  ToTimestamp(now_ms, event.mutable_at());
  event.set_actor(actor);
  event.set_action("site.create");
  event.set_target("site:" + site.code());
  event.set_summary(fmt::format("{} ({})", site.name(), why));
  PARC_TRY(w.AppendAudit(event));
  return Ok();
}

Status EnsureSite(store::Writer& w, const std::string& actor, int64_t now_ms,
                  std::string_view written, std::string_view why) {
  PARC_ASSIGN_OR_RETURN(auto missing, MissingSite(w, written));
  if (!missing) return Ok();
  return CreateNamedSite(w, actor, now_ms, *missing, why);
}

}  // namespace parc::domain
