#include "daemon/domain/enrollment.h"

#include <fmt/format.h>

#include "common/crypto.h"
#include "common/time.h"
#include "daemon/domain/audit.h"
#include "daemon/domain/inventory.h"
#include "daemon/domain/records.h"

namespace parc::domain {
namespace {

constexpr size_t kMaxIdentityField = 200;

std::unexpected<Error> Unauthenticated(std::string why) {
  return Fail(ErrorCode::kUnauthenticated, std::move(why));
}
std::unexpected<Error> Denied(std::string why) {
  return Fail(ErrorCode::kPermissionDenied, std::move(why));
}

// The token behind `secret`, checked for expiry and remaining uses.
Expected<store::EnrollmentTokenRecord> UsableToken(store::Reader& r, std::string_view secret,
                                                   int64_t now_ms) {
  if (!secret.starts_with(kEnrollmentTokenPrefix))
    return Unauthenticated("unknown enrollment token");
  PARC_ASSIGN_OR_RETURN(auto token, r.FindEnrollmentTokenByHash(Sha256Hex(secret)));
  if (!token) return Unauthenticated("unknown enrollment token");
  if (token->expires_at_ms <= now_ms) return Unauthenticated("enrollment token expired");
  if (token->uses_left <= 0) return Denied("enrollment token used up");
  return std::move(*token);
}

// The kind the device enrolls as: what it says, else what the token binds.
Expected<v1::DeviceKind> EffectiveKind(const store::EnrollmentTokenRecord& token,
                                       v1::DeviceKind asked) {
  if (token.kind == v1::DEVICE_KIND_UNSPECIFIED) return asked;
  if (asked != v1::DEVICE_KIND_UNSPECIFIED && asked != token.kind) {
    return Denied(fmt::format("this enrollment token is for {} devices, not {}",
                              KindName(token.kind), KindName(asked)));
  }
  return token.kind;
}

// Checks whether an existing device may (re-)enroll.
Status CheckLinkable(const v1::Device& device, const store::EnrollmentTokenRecord& token) {
  if (device.enrollment() == v1::ENROLLMENT_STATE_REVOKED) {
    return Denied("device was revoked; an operator must allow enrollment");
  }
  if (device.lifecycle() == v1::LIFECYCLE_RETIRED) {
    return FailedPrecondition(fmt::format("device {} is retired", device.serial()));
  }
  if (token.kind != v1::DEVICE_KIND_UNSPECIFIED && device.kind() != token.kind) {
    return Denied(fmt::format("this enrollment token is for {} devices; {} is a {}",
                              KindName(token.kind), device.serial(), KindName(device.kind())));
  }
  return Ok();
}

// The device with this serial, linked or created. `created` tells which.
Expected<v1::Device> LinkOrCreate(store::Writer& w, const store::EnrollmentTokenRecord& token,
                                  const v1::EnrollRequest& request, int64_t now_ms, bool& created) {
  PARC_ASSIGN_OR_RETURN(auto found, w.FindDevice(request.serial()));
  if (found && found->serial() == request.serial()) {
    PARC_TRY(CheckLinkable(*found, token));
    created = false;
    return std::move(*found);
  }
  PARC_ASSIGN_OR_RETURN(v1::DeviceKind kind, EffectiveKind(token, request.kind()));
  v1::Device device;
  device.set_serial(request.serial());
  device.set_kind(kind);
  device.set_model(request.model());
  device.set_os(request.os());
  device.set_site(token.site);
  device.set_lifecycle(v1::LIFECYCLE_IN_STOCK);
  Normalize(device);
  PARC_TRY(Validate(device));
  ToTimestamp(now_ms, device.mutable_created_at());
  ToTimestamp(now_ms, device.mutable_updated_at());
  PARC_ASSIGN_OR_RETURN(int64_t id, w.InsertDevice(device));
  device.set_id(id);
  created = true;
  return device;
}

Expected<v1::Device> FindForChange(store::Writer& w, const Call& call, std::string_view device) {
  return GetDevice(w, call.who, device);
}

}  // namespace

Status CheckDeviceText(std::string_view field, std::string_view value, size_t max_bytes) {
  if (value.size() > max_bytes) {
    return InvalidArgument(field, fmt::format("longer than {} bytes", max_bytes));
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) return InvalidArgument(field, "contains a control character");
  }
  return Ok();
}

Expected<v1::CreateEnrollmentTokenResponse> CreateEnrollmentToken(
    store::Writer& w, const Call& call, const v1::CreateEnrollmentTokenRequest& request) {
  int uses = request.uses() == 0 ? 1 : request.uses();
  if (uses < 1 || uses > kMaxEnrollmentUses) {
    return InvalidArgument("uses", fmt::format("1 to {}", kMaxEnrollmentUses));
  }
  int64_t ttl = request.ttl_seconds() == 0 ? kDefaultEnrollmentTtlSeconds : request.ttl_seconds();
  if (ttl < 1 || ttl > kMaxEnrollmentTtlSeconds) {
    return InvalidArgument("ttl_seconds", "1 second to 90 days");
  }
  if (!v1::DeviceKind_IsValid(request.kind())) return InvalidArgument("kind", "unknown kind");
  store::EnrollmentTokenRecord record;
  if (!request.site().empty()) {
    record.site = NormalizeCode(request.site());
    PARC_TRY(GetSite(w, record.site));
  }
  PARC_ASSIGN_OR_RETURN(std::string secret, NewSecret(kEnrollmentTokenPrefix));
  record.secret_hash = Sha256Hex(secret);
  record.uses_total = record.uses_left = uses;
  record.expires_at_ms = call.now_ms + ttl * 1000;
  record.kind = request.kind();
  record.created_by = call.who.name;
  record.created_at_ms = call.now_ms;
  PARC_ASSIGN_OR_RETURN(record.id, w.InsertEnrollmentToken(record));

  std::string summary =
      fmt::format("{} use(s), expires {}", uses, FormatInstant(record.expires_at_ms));
  if (!record.site.empty()) summary += ", site " + record.site;
  if (record.kind != v1::DEVICE_KIND_UNSPECIFIED)
    summary += fmt::format(", {}", KindName(record.kind));
  PARC_TRY(Audit(w, call, "enrollment_token.create", fmt::format("enrollment-token:{}", record.id),
                 std::move(summary)));
  v1::CreateEnrollmentTokenResponse response;
  response.set_token(std::move(secret));
  ToTimestamp(record.expires_at_ms, response.mutable_expires_at());
  response.set_id(record.id);
  response.set_uses(uses);
  return response;
}

Status ValidateEnrollRequest(const v1::EnrollRequest& request) {
  if (request.serial().empty()) return InvalidArgument("serial", "required");
  PARC_TRY(CheckDeviceText("serial", request.serial(), kMaxIdentityField));
  PARC_TRY(CheckDeviceText("model", request.model(), kMaxIdentityField));
  PARC_TRY(CheckDeviceText("os", request.os(), kMaxIdentityField));
  PARC_TRY(CheckDeviceText("hostname", request.hostname(), kMaxIdentityField));
  if (!v1::DeviceKind_IsValid(request.kind())) return InvalidArgument("kind", "unknown kind");
  if (request.token().size() > 200) return Unauthenticated("unknown enrollment token");
  return Ok();
}

Status CheckEnrollmentToken(store::Reader& r, std::string_view secret, int64_t now_ms) {
  PARC_TRY(UsableToken(r, secret, now_ms));
  return Ok();
}

Expected<v1::EnrollResponse> Enroll(store::Writer& w, int64_t now_ms,
                                    const v1::EnrollRequest& request,
                                    int32_t checkin_interval_seconds) {
  PARC_TRY(ValidateEnrollRequest(request));
  PARC_ASSIGN_OR_RETURN(store::EnrollmentTokenRecord token,
                        UsableToken(w, request.token(), now_ms));
  bool created = false;
  PARC_ASSIGN_OR_RETURN(v1::Device device, LinkOrCreate(w, token, request, now_ms, created));
  PARC_ASSIGN_OR_RETURN(std::string credential, NewSecret(kDeviceCredentialPrefix));
  PARC_TRY(w.SetDeviceCredential(device.id(), Sha256Hex(credential), now_ms));
  PARC_TRY(w.SetEnrollmentTokenUsesLeft(token.id, token.uses_left - 1));

  Principal actor{.name = fmt::format("enrollment-token:{}", token.id)};
  std::string summary =
      fmt::format("{} {}", created ? "created" : "linked", KindName(device.kind()));
  if (!device.model().empty()) summary += " " + device.model();
  if (!request.os().empty()) summary += ", os " + request.os();
  if (!request.hostname().empty()) summary += ", hostname " + request.hostname();
  summary += fmt::format(", {} use(s) left", token.uses_left - 1);
  PARC_TRY(
      Audit(w, Call{actor, now_ms}, "device.enroll", DeviceTarget(device), std::move(summary)));

  v1::EnrollResponse response;
  response.set_device_id(device.id());
  response.set_credential(std::move(credential));
  response.set_checkin_interval_seconds(checkin_interval_seconds);
  response.set_asset_tag(device.asset_tag());
  return response;
}

Expected<v1::Device> RevokeDevice(store::Writer& w, const Call& call, std::string_view device,
                                  const std::string& reason) {
  PARC_ASSIGN_OR_RETURN(v1::Device d, FindForChange(w, call, device));
  if (d.enrollment() == v1::ENROLLMENT_STATE_REVOKED) {
    return FailedPrecondition(fmt::format("device {} is already revoked", d.serial()));
  }
  PARC_TRY(w.SetDeviceEnrollment(d.id(), v1::ENROLLMENT_STATE_REVOKED));
  d.set_enrollment(v1::ENROLLMENT_STATE_REVOKED);
  std::string summary = "credential revoked";
  if (!reason.empty()) summary += ": " + reason;
  PARC_TRY(Audit(w, call, "device.revoke", DeviceTarget(d), std::move(summary)));
  return d;
}

Expected<v1::Device> AllowEnrollment(store::Writer& w, const Call& call, std::string_view device,
                                     const std::string& reason) {
  PARC_ASSIGN_OR_RETURN(v1::Device d, FindForChange(w, call, device));
  if (d.enrollment() != v1::ENROLLMENT_STATE_REVOKED) {
    return FailedPrecondition(
        fmt::format("device {} is not revoked: nothing to allow", d.serial()));
  }
  PARC_TRY(w.SetDeviceEnrollment(d.id(), v1::ENROLLMENT_STATE_REENROLL_ALLOWED));
  d.set_enrollment(v1::ENROLLMENT_STATE_REENROLL_ALLOWED);
  std::string summary = "may enroll again";
  if (!reason.empty()) summary += ": " + reason;
  PARC_TRY(Audit(w, call, "device.allow_enrollment", DeviceTarget(d), std::move(summary)));
  return d;
}

Expected<int64_t> AuthenticateDevice(store::Reader& r, std::string_view credential) {
  if (credential.empty()) return Unauthenticated("missing authorization: Bearer <credential>");
  if (!credential.starts_with(kDeviceCredentialPrefix)) {
    return Unauthenticated("not a device credential");
  }
  return AuthenticateDeviceHash(r, Sha256Hex(credential));
}

Expected<int64_t> AuthenticateDeviceHash(store::Reader& r, std::string_view secret_hash) {
  PARC_ASSIGN_OR_RETURN(auto id, r.FindDeviceIdByCredential(secret_hash));
  if (!id) return Unauthenticated("unknown or revoked device credential");
  return *id;
}

}  // namespace parc::domain
