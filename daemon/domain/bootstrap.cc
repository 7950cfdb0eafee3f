#include "daemon/domain/bootstrap.h"

#include "daemon/domain/operators.h"

namespace parc::domain {

Expected<std::string> Bootstrap(store::Store& store, const Clock& clock,
                                const std::string& admin_name) {
  std::string secret;
  PARC_TRY(store.Write([&](store::Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(auto existing, w.ListOperators(store::Page{.after_id = 0, .limit = 1}));
    if (!existing.empty()) return FailedPrecondition("the database already has operators");
    // The first admin is created by the system itself.
    Principal system{.name = "system", .role = v1::ROLE_ADMIN};
    Call call{system, clock.NowMs()};
    v1::Operator admin;
    admin.set_name(admin_name);
    admin.set_role(v1::ROLE_ADMIN);
    PARC_TRY(CreateOperator(w, call, admin));
    v1::CreateApiTokenRequest request;
    request.set_operator_name(admin_name);
    request.set_label("created by parcd init");
    // No default expiry for this one: it is the key that lets an admin back in
    // (to create the expiring tokens people use), kept in a 0600 file.
    PARC_ASSIGN_OR_RETURN(NewToken token, CreateApiToken(w, call, request));
    secret = std::move(token.secret);
    return Ok();
  }));
  return secret;
}

}  // namespace parc::domain
