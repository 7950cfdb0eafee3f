// Operators (people using parcctl or the page), their API tokens, and turning a
// presented token into a Principal. Secrets are 256 random bits, shown once and
// stored only as their SHA-256; they never appear in audit events or logs.
#pragma once

#include <string>

#include "common/error.h"
#include "daemon/domain/principal.h"
#include "daemon/store/store.h"
#include "parc/v1/admin.pb.h"

namespace parc::domain {

// A manager must have at least one department; other roles none.
Expected<v1::Operator> CreateOperator(store::Writer& w, const Call& call, v1::Operator op);

// Disables the operator and revokes every token they hold. Refuses to disable
// the last enabled admin.
Expected<v1::Operator> DisableOperator(store::Writer& w, const Call& call, const std::string& name);

// Creates a token for `request.operator_name()` (the caller when empty). Only an
// admin may create tokens for someone else. A request without ttl_seconds gets
// `default_ttl_seconds` (0: never expires). Returns the record and the secret.
struct NewToken {
  v1::ApiToken info;
  std::string secret;
};
Expected<NewToken> CreateApiToken(store::Writer& w, const Call& call,
                                  const v1::CreateApiTokenRequest& request,
                                  int64_t default_ttl_seconds = 0);

// WhoAmI warns this long before the caller's token expires.
inline constexpr int64_t kTokenWarningDays = 14;
// True when a token expiring at `expires_ms` (0: never) expires within
// kTokenWarningDays of `now_ms`.
bool TokenExpiresSoon(int64_t expires_ms, int64_t now_ms);

// Operators may revoke their own tokens; admins anyone's.
Expected<v1::ApiToken> RevokeApiToken(store::Writer& w, const Call& call, int64_t id);

// Resolves a bearer secret. UNAUTHENTICATED, with the reason, when the token is
// unknown, revoked or expired or its operator is disabled.
Expected<Principal> Authenticate(store::Reader& r, std::string_view secret, int64_t now_ms);

}  // namespace parc::domain
