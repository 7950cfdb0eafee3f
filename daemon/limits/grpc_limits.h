// The gRPC server's limits from the configuration (issue 18), and who
// enforces each (gRPC 1.51 as Debian 12 ships it):
//
//   | key                                   | enforced by                                   |
//   |---------------------------------------|-----------------------------------------------|
//   | max_message_bytes                     | gRPC: GRPC_ARG_MAX_{RECEIVE,SEND}_MESSAGE_... |
//   | grpc_max_{device,report}_message_bytes| parcd: the Gate (service/message_limits.h)    |
//   | grpc_max_concurrent_streams           | gRPC: GRPC_ARG_MAX_CONCURRENT_STREAMS         |
//   | grpc_memory_quota_bytes, _max_threads | gRPC: grpc::ResourceQuota                     |
//   | grpc_max_connections(_per_peer)       | parcd: ConnectionLimiter via a socket mutator |
//   | grpc_min_ping_interval_seconds        | gRPC: ..._MIN_RECV_PING_INTERVAL_WITHOUT_DATA |
//   | grpc_max_ping_strikes                 | gRPC: GRPC_ARG_HTTP2_MAX_PING_STRIKES (GOAWAY)|
//   | grpc_max_connection_idle_seconds      | gRPC: GRPC_ARG_MAX_CONNECTION_IDLE_MS         |
//   | grpc_max_connection_age(_grace)_...   | gRPC: GRPC_ARG_MAX_CONNECTION_AGE(_GRACE)_MS  |
//   | grpc_handshake_timeout_seconds        | gRPC: GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS    |
//   | grpc_max_call_seconds                 | parcd: service/call_deadlines.h               |
//
// Idle and age do not apply to the in-process channel the HTTP side uses
// (gRPC removes them for in-process transports).
#pragma once

#include <grpcpp/server_builder.h>

#include <memory>

#include "daemon/config.h"
#include "daemon/limits/connection_limiter.h"

namespace parc::limits {

// Sets every gRPC-enforced limit of `config` on `builder` and installs the
// connection limiter, which it returns (for /metrics and tests).
std::shared_ptr<ConnectionLimiter> ApplyGrpcLimits(const Config& config,
                                                   grpc::ServerBuilder& builder);

}  // namespace parc::limits
