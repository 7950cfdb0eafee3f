#include "daemon/service/admission.h"

#include <fmt/format.h>
#include <grpcpp/server_context.h>

#include "common/crypto.h"

namespace parc::service {

Admission::Admission(const Clock& clock, const RateLimits& limits)
    : failures_per_peer_(clock, limits.For(limits.auth_failures_per_peer)),
      failures_per_token_(clock, limits.For(limits.auth_failures_per_token)),
      enroll_per_peer_(clock, limits.For(limits.enroll_attempts_per_peer)),
      enroll_per_token_(clock, limits.For(limits.enroll_attempts_per_token)) {}

std::string Admission::TokenKey(std::string_view secret) {
  if (secret.empty()) return {};
  return Sha256Hex(secret).substr(0, 32);  // 128 bits tell tokens apart
}

Status Admission::Refuse(std::string_view what, int64_t wait_ms, int64_t* retry_after_s) {
  const int64_t seconds = std::max<int64_t>(1, (wait_ms + 999) / 1000);
  if (retry_after_s) *retry_after_s = seconds;
  return Fail(ErrorCode::kResourceExhausted, fmt::format("{}; retry in {} s", what, seconds));
}

void Admission::Tell(grpc::ServerContextBase& ctx, int64_t retry_after_s) {
  if (retry_after_s <= 0) return;
  ctx.AddTrailingMetadata(std::string(kRetryAfterTrailer), std::to_string(retry_after_s));
}

Status Admission::BeforeCredentialCheck(std::string_view peer, std::string_view token_key,
                                        int64_t* retry_after_s) {
  if (int64_t wait = failures_per_peer_.RetryAfterMs(peer); wait > 0) {
    return Refuse("too many failed authentications from this address", wait, retry_after_s);
  }
  if (token_key.empty()) return Ok();
  if (int64_t wait = failures_per_token_.RetryAfterMs(token_key); wait > 0) {
    return Refuse("too many failed authentications with this credential", wait, retry_after_s);
  }
  return Ok();
}

Status Admission::BeforeEnroll(std::string_view peer, std::string_view token_key,
                               int64_t* retry_after_s) {
  PARC_TRY(BeforeCredentialCheck(peer, token_key, retry_after_s));
  if (int64_t wait = enroll_per_peer_.RetryAfterMs(peer); wait > 0) {
    return Refuse("too many enrollments from this address", wait, retry_after_s);
  }
  if (!token_key.empty()) {
    if (int64_t wait = enroll_per_token_.RetryAfterMs(token_key); wait > 0) {
      return Refuse("too many enrollments with this token", wait, retry_after_s);
    }
    enroll_per_token_.Record(token_key);
  }
  enroll_per_peer_.Record(peer);
  return Ok();
}

void Admission::Failed(std::string_view peer, std::string_view token_key) {
  failures_per_peer_.Record(peer);
  if (!token_key.empty()) failures_per_token_.Record(token_key);
}

}  // namespace parc::service
