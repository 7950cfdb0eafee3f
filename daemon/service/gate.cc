#include "daemon/service/gate.h"

#include <fmt/format.h>
#include <google/protobuf/message.h>
#include <spdlog/spdlog.h>

#include <atomic>

#include "common/crypto.h"
#include "common/logging.h"
#include "daemon/domain/enrollment.h"
#include "daemon/domain/operators.h"
#include "daemon/domain/records.h"
#include "daemon/service/credential_cache.h"
#include "daemon/service/field_limits.h"
#include "daemon/service/permissions.h"
#include "daemon/service/rate_limiter.h"
#include "daemon/service/status.h"

namespace parc::service {
namespace {

// The bearer secret from the call's metadata, or empty.
std::string_view BearerToken(const grpc::CallbackServerContext* ctx) {
  const auto& metadata = ctx->client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return {};
  std::string_view value(it->second.data(), it->second.size());
  constexpr std::string_view kBearer = "Bearer ";
  if (!value.starts_with(kBearer)) return {};
  return value.substr(kBearer.size());
}

std::string_view ShortName(std::string_view method) { return method.substr(method.rfind('/') + 1); }

std::array<std::atomic<uint64_t>, 17> calls_by_code{};

}  // namespace

std::string DeviceActor(int64_t device_id) { return fmt::format("device:{}", device_id); }

std::string Gate::Caller::actor() const { return op ? op->name : DeviceActor(device_id); }

Expected<Gate::Caller> Gate::Authenticate(grpc::CallbackServerContext* ctx) {
  int64_t retry_after_s = 0;
  auto caller = Authenticate(BearerToken(ctx), Origin{.ctx = ctx}, &retry_after_s);
  Admission::Tell(*ctx, retry_after_s);
  return caller;
}

Expected<Gate::Caller> Gate::Authenticate(std::string_view secret, const Origin& origin,
                                          int64_t* retry_after_s) {
  const std::string hash = Sha256Hex(secret);
  Caller caller;
  if (secret.starts_with(domain::kDeviceCredentialPrefix)) {
    if (auto device = credentials_.Find(hash)) {
      caller.device_id = *device;
      return caller;
    }
  }
  // Only a look-up in the store is limited: a credential the cache knows is
  // no guess.
  const std::string peer = origin.Address(limits_.rates.trusted_proxies);
  const std::string token_key = Admission::TokenKey(secret);
  PARC_TRY(admission_.BeforeCredentialCheck(peer, token_key, retry_after_s));
  Status found = LookUp(secret, hash, caller);
  if (!found && found.error().code == ErrorCode::kUnauthenticated) {
    admission_.Failed(peer, token_key);
  }
  PARC_TRY(found);
  return caller;
}

Status Gate::LookUp(std::string_view secret, const std::string& hash, Caller& caller) {
  if (!secret.starts_with(domain::kDeviceCredentialPrefix)) {
    return store_.Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(caller.op, domain::Authenticate(r, secret, clock_.NowMs()));
      return Ok();
    });
  }
  const uint64_t generation = credentials_.Generation();
  PARC_TRY(store_.Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(caller.device_id, domain::AuthenticateDeviceHash(r, hash));
    return Ok();
  }));
  credentials_.Remember(hash, caller.device_id, generation);
  return Ok();
}

Status Gate::Authorize(const Caller& who, std::string_view method) {
  auto permission = PermissionFor(method);
  if (!permission || IsOpenMethod(method)) {
    return Fail(ErrorCode::kPermissionDenied, fmt::format("{} is not open to anyone", method));
  }
  if (!who.op) {
    if (*permission == Permission::kDevice) return Ok();
    return Fail(ErrorCode::kPermissionDenied,
                fmt::format("a device may not call {}", ShortName(method)));
  }
  if (!RoleHas(who.op->role, *permission)) {
    return Fail(
        ErrorCode::kPermissionDenied,
        fmt::format("role {} may not call {}", domain::RoleName(who.op->role), ShortName(method)));
  }
  return Ok();
}

grpc::ServerUnaryReactor* Gate::Serve(grpc::CallbackServerContext* ctx, std::string_view method,
                                      const google::protobuf::Message& request,
                                      const CallerHandler& handler) {
  Start start = std::chrono::steady_clock::now();
  // An oversized request costs no credential lookup (message_limits.h).
  Status result = limits_.messages.Check(method, request.ByteSizeLong());
  Expected<Caller> caller = result ? Authenticate(ctx) : std::unexpected(result.error());
  if (result) result = caller ? Authorize(*caller, method) : std::unexpected(caller.error());
  if (result) result = CheckStringLimits(request);
  if (result) result = handler(*caller);
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();  // may be taken only once
  Finish(reactor, method, caller ? caller->actor() : "-", result, start);
  return reactor;
}

grpc::ServerUnaryReactor* Gate::Unary(grpc::CallbackServerContext* ctx, std::string_view method,
                                      const google::protobuf::Message& request,
                                      const Handler& handler) {
  return Serve(ctx, method, request, [&](const Caller& caller) {
    return handler(domain::Call{*caller.op, clock_.NowMs()});
  });
}

grpc::ServerUnaryReactor* Gate::DeviceUnary(grpc::CallbackServerContext* ctx,
                                            std::string_view method,
                                            const google::protobuf::Message& request,
                                            const DeviceHandler& handler) {
  return Serve(ctx, method, request, [&](const Caller& caller) {
    return handler(DeviceCall{caller.device_id, clock_.NowMs()});
  });
}

grpc::ServerUnaryReactor* Gate::OpenUnary(grpc::CallbackServerContext* ctx, std::string_view method,
                                          std::string_view actor,
                                          const google::protobuf::Message& request,
                                          const OpenHandler& handler) {
  Start start = std::chrono::steady_clock::now();
  Status result = IsOpenMethod(method)
                      ? limits_.messages.Check(method, request.ByteSizeLong())
                      : Fail(ErrorCode::kPermissionDenied,
                             fmt::format("{} needs authorization", ShortName(method)));
  if (result) result = CheckStringLimits(request);
  if (result) result = handler(clock_.NowMs());
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  Finish(reactor, method, actor, result, start);
  return reactor;
}

Expected<int64_t> Gate::AuthenticateDevice(grpc::CallbackServerContext* ctx,
                                           std::string_view method,
                                           const google::protobuf::Message* request) {
  int64_t retry_after_s = 0;
  auto device =
      AuthenticateDevice(BearerToken(ctx), Origin{.ctx = ctx}, method, request, &retry_after_s);
  Admission::Tell(*ctx, retry_after_s);
  return device;
}

Expected<int64_t> Gate::AuthenticateDevice(std::string_view secret, const Origin& origin,
                                           std::string_view method,
                                           const google::protobuf::Message* request,
                                           int64_t* retry_after_s) {
  if (request) PARC_TRY(limits_.messages.Check(method, request->ByteSizeLong()));
  PARC_ASSIGN_OR_RETURN(Caller caller, Authenticate(secret, origin, retry_after_s));
  PARC_TRY(Authorize(caller, method));
  if (caller.op) return Fail(ErrorCode::kPermissionDenied, "operators may not call devices' RPCs");
  if (request) PARC_TRY(CheckStringLimits(*request));
  return caller.device_id;
}

Expected<domain::Principal> Gate::AuthenticateOperator(grpc::CallbackServerContext* ctx,
                                                       std::string_view method) {
  PARC_ASSIGN_OR_RETURN(Caller caller, Authenticate(ctx));
  PARC_TRY(Authorize(caller, method));
  if (!caller.op) return Fail(ErrorCode::kPermissionDenied, "devices may not call operators' RPCs");
  return *caller.op;
}

void Gate::Finish(grpc::ServerUnaryReactor* reactor, std::string_view method,
                  std::string_view actor, const Status& result, Start start) {
  grpc::Status status = ToGrpcStatus(result);
  Log(method, actor, status, start);
  reactor->Finish(status);
}

void Gate::Log(std::string_view method, std::string_view actor, const grpc::Status& status,
               Start start) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  static const auto log = Logger("grpc");
  auto code = static_cast<size_t>(status.error_code());
  if (code < calls_by_code.size()) calls_by_code[code].fetch_add(1, std::memory_order_relaxed);
  if (status.ok()) {
    log->debug("rpc method={} actor={} code=OK us={}", method, actor, micros);
    return;
  }
  // A caller that stops reading (the learner app takes content in Range
  // pieces, a device goes away) is no event: debug, like a success.
  auto level = status.error_code() == grpc::StatusCode::INTERNAL ||
                       status.error_code() == grpc::StatusCode::UNAVAILABLE
                   ? spdlog::level::warn
               : status.error_code() == grpc::StatusCode::CANCELLED ? spdlog::level::debug
                                                                    : spdlog::level::info;
  log->log(level, "rpc method={} actor={} code={} us={} error=\"{}\"", method, actor,
           static_cast<int>(status.error_code()), micros, status.error_message());
}

std::array<uint64_t, 17> Gate::CallsByCode() {
  std::array<uint64_t, 17> out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = calls_by_code[i].load(std::memory_order_relaxed);
  return out;
}

}  // namespace parc::service
