#include "daemon/limits/grpc_limits.h"

#include <grpc/grpc.h>
#include <grpcpp/resource_quota.h>

#include <limits>

#include "daemon/limits/socket_gate.h"

namespace parc::limits {
namespace {

int Millis(int64_t seconds) {
  int64_t ms = seconds * 1000;
  return ms > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                              : static_cast<int>(ms);
}

}  // namespace

std::shared_ptr<ConnectionLimiter> ApplyGrpcLimits(const Config& config,
                                                   grpc::ServerBuilder& builder) {
  builder.SetMaxReceiveMessageSize(static_cast<int>(config.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(config.max_message_bytes));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             static_cast<int>(config.grpc_max_concurrent_streams));

  grpc::ResourceQuota quota("parcd");
  quota.Resize(static_cast<size_t>(config.grpc_memory_quota_bytes));
  quota.SetMaxThreads(static_cast<int>(config.grpc_max_threads));
  builder.SetResourceQuota(quota);  // takes its own reference

  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             Millis(config.grpc_min_ping_interval_seconds));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES,
                             static_cast<int>(config.grpc_max_ping_strikes));
  // gRPC reads "never" as the argument being absent (or INT_MAX).
  if (config.grpc_max_connection_idle_seconds > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                               Millis(config.grpc_max_connection_idle_seconds));
  }
  if (config.grpc_max_connection_age_seconds > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               Millis(config.grpc_max_connection_age_seconds));
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               Millis(config.grpc_max_connection_age_grace_seconds));
  }
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                             Millis(config.grpc_handshake_timeout_seconds));

  auto limiter = std::make_shared<ConnectionLimiter>(ConnectionLimiter::Options{
      .max_connections = static_cast<size_t>(config.grpc_max_connections),
      .max_per_peer = static_cast<size_t>(config.grpc_max_connections_per_peer)});
  builder.SetOption(SocketGate(limiter));
  return limiter;
}

}  // namespace parc::limits
