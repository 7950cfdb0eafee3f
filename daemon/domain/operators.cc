#include "daemon/domain/operators.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/crypto.h"
#include "common/time.h"
#include "daemon/domain/audit.h"
#include "daemon/domain/records.h"

namespace parc::domain {
namespace {

constexpr std::string_view kTokenPrefix = "parc_";

Status ValidateOperator(v1::Operator& op) {
  const std::string& name = op.name();
  if (name.size() < 2 || name.size() > 64) return InvalidArgument("name", "2 to 64 characters");
  for (char c : name) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return InvalidArgument("name", "use lowercase letters, digits, '.', '-' or '_'");
    }
  }
  if (op.role() == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(op.role())) {
    return InvalidArgument("role", "admin, logistics, advisor, manager or auditor");
  }
  for (std::string& d : *op.mutable_departments()) {
    d = NormalizeCode(d);
    if (d.empty()) return InvalidArgument("departments", "empty department code");
  }
  if (op.role() == v1::ROLE_MANAGER && op.departments().empty()) {
    return InvalidArgument("departments", "a manager needs at least one department");
  }
  if (op.role() != v1::ROLE_MANAGER && !op.departments().empty()) {
    return InvalidArgument("departments", "only managers are limited to departments");
  }
  return Ok();
}

Expected<v1::Operator> FindOperatorOrFail(store::Reader& r, std::string_view name) {
  PARC_ASSIGN_OR_RETURN(auto op, r.FindOperator(name));
  if (!op) return NotFound(fmt::format("operator: no operator {}", name));
  return std::move(*op);
}

Expected<int> CountEnabledAdmins(store::Reader& r) {
  int admins = 0;
  store::Page page{.after_id = 0, .limit = 1000};
  for (;;) {
    PARC_ASSIGN_OR_RETURN(auto ops, r.ListOperators(page));
    for (const auto& op : ops) admins += op.role() == v1::ROLE_ADMIN && !op.disabled();
    if (static_cast<int>(ops.size()) < page.limit) return admins;
    page.after_id = ops.back().id();
  }
}

}  // namespace

Expected<v1::Operator> CreateOperator(store::Writer& w, const Call& call, v1::Operator op) {
  op.clear_id();
  op.set_disabled(false);
  PARC_TRY(ValidateOperator(op));
  ToTimestamp(call.now_ms, op.mutable_created_at());
  PARC_ASSIGN_OR_RETURN(int64_t id, w.InsertOperator(op));
  op.set_id(id);
  std::string summary(RoleName(op.role()));
  for (const auto& d : op.departments()) summary += " " + d;
  PARC_TRY(Audit(w, call, "operator.create", "operator:" + op.name(), summary));
  return op;
}

Expected<v1::Operator> DisableOperator(store::Writer& w, const Call& call,
                                       const std::string& name) {
  PARC_ASSIGN_OR_RETURN(v1::Operator op, FindOperatorOrFail(w, name));
  if (op.disabled())
    return FailedPrecondition(fmt::format("operator {} is already disabled", name));
  if (op.role() == v1::ROLE_ADMIN) {
    PARC_ASSIGN_OR_RETURN(int admins, CountEnabledAdmins(w));
    if (admins <= 1) return FailedPrecondition("cannot disable the last admin");
  }
  op.set_disabled(true);
  PARC_TRY(w.UpdateOperator(op));
  PARC_ASSIGN_OR_RETURN(auto tokens, w.ListApiTokens(name));
  int revoked = 0;
  for (auto& token : tokens) {
    if (token.has_revoked_at()) continue;
    ToTimestamp(call.now_ms, token.mutable_revoked_at());
    PARC_TRY(w.UpdateApiToken(token));
    ++revoked;
  }
  PARC_TRY(Audit(w, call, "operator.disable", "operator:" + name,
                 fmt::format("disabled, {} token(s) revoked", revoked)));
  return op;
}

Expected<NewToken> CreateApiToken(store::Writer& w, const Call& call,
                                  const v1::CreateApiTokenRequest& request,
                                  int64_t default_ttl_seconds) {
  std::string name = request.operator_name().empty() ? call.who.name : request.operator_name();
  if (name != call.who.name && call.who.role != v1::ROLE_ADMIN) {
    return Fail(ErrorCode::kPermissionDenied, "only an admin creates tokens for someone else");
  }
  if (request.ttl_seconds() < 0) return InvalidArgument("ttl_seconds", "negative");
  if (request.label().size() > 200) return InvalidArgument("label", "longer than 200 bytes");
  PARC_ASSIGN_OR_RETURN(v1::Operator op, FindOperatorOrFail(w, name));
  if (op.disabled()) return FailedPrecondition(fmt::format("operator {} is disabled", name));

  PARC_ASSIGN_OR_RETURN(std::string secret, NewSecret(kTokenPrefix));
  store::TokenRecord record;
  record.operator_id = op.id();
  record.secret_hash = Sha256Hex(secret);
  record.info.set_operator_name(name);
  record.info.set_label(request.label());
  ToTimestamp(call.now_ms, record.info.mutable_created_at());
  const int64_t ttl_seconds =
      request.ttl_seconds() > 0 ? request.ttl_seconds() : default_ttl_seconds;
  if (ttl_seconds > 0) {
    ToTimestamp(call.now_ms + ttl_seconds * 1000, record.info.mutable_expires_at());
  }
  PARC_ASSIGN_OR_RETURN(int64_t id, w.InsertApiToken(record));
  record.info.set_id(id);
  std::string expiry = ttl_seconds > 0
                           ? "expires " + FormatInstant(FromTimestamp(record.info.expires_at()))
                           : "never expires";
  PARC_TRY(Audit(w, call, "token.create", fmt::format("token:{}", id),
                 fmt::format("for {}, {}", name, expiry)));
  return NewToken{std::move(record.info), std::move(secret)};
}

bool TokenExpiresSoon(int64_t expires_ms, int64_t now_ms) {
  return expires_ms > 0 && expires_ms - now_ms <= kTokenWarningDays * 24 * 3600 * 1000;
}

Expected<v1::ApiToken> RevokeApiToken(store::Writer& w, const Call& call, int64_t id) {
  PARC_ASSIGN_OR_RETURN(auto record, w.FindApiTokenById(id));
  if (!record) return NotFound(fmt::format("id: no token {}", id));
  if (record->info.operator_name() != call.who.name && call.who.role != v1::ROLE_ADMIN) {
    return Fail(ErrorCode::kPermissionDenied, "only an admin revokes someone else's token");
  }
  if (record->info.has_revoked_at())
    return FailedPrecondition(fmt::format("token {} is already revoked", id));
  ToTimestamp(call.now_ms, record->info.mutable_revoked_at());
  PARC_TRY(w.UpdateApiToken(record->info));
  PARC_TRY(Audit(w, call, "token.revoke", fmt::format("token:{}", id),
                 "of " + record->info.operator_name()));
  return record->info;
}

Expected<Principal> Authenticate(store::Reader& r, std::string_view secret, int64_t now_ms) {
  auto unauthenticated = [](std::string why) {
    return Fail(ErrorCode::kUnauthenticated, std::move(why));
  };
  if (secret.empty()) return unauthenticated("missing authorization: Bearer <token>");
  if (!secret.starts_with(kTokenPrefix)) return unauthenticated("not a Parc token");
  PARC_ASSIGN_OR_RETURN(auto record, r.FindApiTokenByHash(Sha256Hex(secret)));
  if (!record) return unauthenticated("unknown token");
  if (record->info.has_revoked_at()) return unauthenticated("token revoked");
  if (record->info.has_expires_at() && FromTimestamp(record->info.expires_at()) <= now_ms) {
    return unauthenticated("token expired");
  }
  PARC_ASSIGN_OR_RETURN(auto op, r.FindOperator(record->info.operator_name()));
  if (!op || op->disabled()) return unauthenticated("operator disabled");
  return Principal{.operator_id = op->id(),
                   .name = op->name(),
                   .role = op->role(),
                   .departments = {op->departments().begin(), op->departments().end()},
                   .token_expires_ms = record->info.has_expires_at()
                                           ? FromTimestamp(record->info.expires_at())
                                           : 0};
}

}  // namespace parc::domain
