// Enrolling devices: enrollment tokens, turning a token and a hardware identity
// into a device credential, revoking a device and allowing it back, and
// resolving a presented device credential. Secrets (tokens "parcenroll_...",
// credentials "parcdev_...") are shown once and stored only as their SHA-256;
// they never appear in audit events or logs. Every change appends its audit
// event in the caller's write transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "daemon/domain/principal.h"
#include "daemon/store/store.h"
#include "parc/v1/device.pb.h"
#include "parc/v1/inventory.pb.h"

namespace parc::domain {

inline constexpr std::string_view kEnrollmentTokenPrefix = "parcenroll_";
inline constexpr std::string_view kDeviceCredentialPrefix = "parcdev_";

inline constexpr int kMaxEnrollmentUses = 10000;
inline constexpr int64_t kDefaultEnrollmentTtlSeconds = 7 * 24 * 3600;
inline constexpr int64_t kMaxEnrollmentTtlSeconds = 90 * 24 * 3600;

// uses: default 1, at most 10000; ttl: default 7 days, at most 90; the site
// binding must name an existing site (NOT_FOUND otherwise). Returns the secret
// (response.token) and the record's id and expiry. Audit "enrollment_token.create".
Expected<v1::CreateEnrollmentTokenResponse> CreateEnrollmentToken(
    store::Writer& w, const Call& call, const v1::CreateEnrollmentTokenRequest& request);

// Enroll's checks of the hardware identity alone: serial required, every
// string without control characters and of bounded length. INVALID_ARGUMENT
// naming the field.
Status ValidateEnrollRequest(const v1::EnrollRequest& request);

// Spends one use of the token and gives the device a fresh credential (any
// previous one stops working). The device with the same serial is linked; an
// unknown serial creates an in_stock device with the token's site and kind.
//   UNAUTHENTICATED    unknown token ("unknown enrollment token"), expired
//   PERMISSION_DENIED  token used up, kind outside the token's binding, device
//                      revoked (until AllowEnrollment)
//   FAILED_PRECONDITION the device is retired
// The audit actor is "enrollment-token:<id>". `checkin_interval_seconds` is
// copied into the response.
Expected<v1::EnrollResponse> Enroll(store::Writer& w, int64_t now_ms,
                                    const v1::EnrollRequest& request,
                                    int32_t checkin_interval_seconds);

// The token checks of Enroll alone (unknown, expired, used up), for a read
// before the write transaction: guesses never take the writer's lock.
Status CheckEnrollmentToken(store::Reader& r, std::string_view secret, int64_t now_ms);

// Kills the device's credential at once and refuses new enrollments until
// AllowEnrollment. FAILED_PRECONDITION when already revoked.
Expected<v1::Device> RevokeDevice(store::Writer& w, const Call& call, std::string_view device,
                                  const std::string& reason);
// REVOKED -> REENROLL_ALLOWED; any other state is FAILED_PRECONDITION.
Expected<v1::Device> AllowEnrollment(store::Writer& w, const Call& call, std::string_view device,
                                     const std::string& reason);

// The id of the enrolled device holding `credential`. UNAUTHENTICATED when
// the credential is unknown, revoked or not a device credential.
Expected<int64_t> AuthenticateDevice(store::Reader& r, std::string_view credential);
// The same from the SHA-256 (hex) of a device credential.
Expected<int64_t> AuthenticateDeviceHash(store::Reader& r, std::string_view secret_hash);

// Text a device sends: at most `max_bytes`, no control character at all.
// INVALID_ARGUMENT naming `field`.
Status CheckDeviceText(std::string_view field, std::string_view value, size_t max_bytes);

}  // namespace parc::domain
