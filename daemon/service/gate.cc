#include "daemon/service/gate.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "common/logging.h"
#include "daemon/domain/operators.h"
#include "daemon/domain/records.h"
#include "daemon/service/permissions.h"
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

}  // namespace

Expected<domain::Principal> Gate::Authenticate(grpc::CallbackServerContext* ctx) {
  domain::Principal principal;
  PARC_TRY(store_.Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(principal, domain::Authenticate(r, BearerToken(ctx), clock_.NowMs()));
    return Ok();
  }));
  return principal;
}

Status Gate::Authorize(const domain::Principal& who, std::string_view method) {
  auto permission = PermissionFor(method);
  if (!permission) {
    return Fail(ErrorCode::kPermissionDenied, fmt::format("{} is not open to anyone", method));
  }
  if (!RoleHas(who.role, *permission)) {
    return Fail(ErrorCode::kPermissionDenied,
                fmt::format("role {} may not call {}", domain::RoleName(who.role),
                            method.substr(method.rfind('/') + 1)));
  }
  return Ok();
}

grpc::ServerUnaryReactor* Gate::Unary(grpc::CallbackServerContext* ctx, std::string_view method,
                                      const Handler& handler) {
  auto start = std::chrono::steady_clock::now();
  auto principal = Authenticate(ctx);
  Status result = principal ? Authorize(*principal, method) : std::unexpected(principal.error());
  if (result) result = handler(domain::Call{*principal, clock_.NowMs()});
  grpc::Status status = ToGrpcStatus(result);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  static const auto log = Logger("grpc");
  std::string actor = principal ? principal->name : "-";
  if (status.ok()) {
    log->debug("rpc method={} actor={} code=OK us={}", method, actor, micros);
  } else {
    auto level = status.error_code() == grpc::StatusCode::INTERNAL ||
                         status.error_code() == grpc::StatusCode::UNAVAILABLE
                     ? spdlog::level::warn
                     : spdlog::level::info;
    log->log(level, "rpc method={} actor={} code={} us={} error=\"{}\"", method, actor,
             static_cast<int>(status.error_code()), micros, status.error_message());
  }
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace parc::service
