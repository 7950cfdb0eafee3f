// Who may try to authenticate or enroll, and how often: parcd's rate limits
// (rate_limiter.h) in one place. Only what costs a look-up in the store is
// limited: the Gate lets a device credential its cache already knows through
// without asking (credential_cache.h), so a fleet behind one NAT address is
// not blocked by one broken device among it.
//
// A refusal is RESOURCE_EXHAUSTED saying when to retry, and the same delay in
// whole seconds (at least 1) goes to the client as the trailing metadata
// `retry-after-seconds` (kRetryAfterTrailer, Tell): parc-agent waits that
// long, and the HTTP side answers 429 with a Retry-After header (from the
// trailer, or from the delay itself when it calls without gRPC). Never blocks
// a thread.
//
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "daemon/service/rate_limiter.h"

namespace grpc {
class ServerContextBase;
}

namespace parc::service {

inline constexpr std::string_view kRetryAfterTrailer = "retry-after-seconds";

class Admission {
 public:
  // Borrows `clock`, which must outlive this object.
  Admission(const Clock& clock, const RateLimits& limits);

  // The key of a presented secret (credential or enrollment token) for the
  // per-token limits: part of its SHA-256, never the secret; "" for "".
  static std::string TokenKey(std::string_view secret);

  // Before a credential is looked up in the store: refused while the
  // caller's address or this credential (`token_key`, "" for none) has used
  // up its failed authentications. A refusal sets *retry_after_s.
  Status BeforeCredentialCheck(std::string_view peer, std::string_view token_key,
                               int64_t* retry_after_s);
  // Before an Enroll: the same, then counts the attempt against the address's
  // and the token's enrollment attempts (refused once they are used up).
  Status BeforeEnroll(std::string_view peer, std::string_view token_key, int64_t* retry_after_s);
  // Adds the trailer retry-after-seconds to a gRPC call when `retry_after_s` > 0.
  static void Tell(grpc::ServerContextBase& ctx, int64_t retry_after_s);
  // A failed authentication or enrollment from `peer` with `token_key`.
  void Failed(std::string_view peer, std::string_view token_key);

 private:
  // RESOURCE_EXHAUSTED "<what>; retry in N s", N also in *retry_after_s.
  static Status Refuse(std::string_view what, int64_t wait_ms, int64_t* retry_after_s);

  RateLimiter failures_per_peer_;
  RateLimiter failures_per_token_;
  RateLimiter enroll_per_peer_;
  RateLimiter enroll_per_token_;
};

}  // namespace parc::service
