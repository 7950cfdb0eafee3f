// Puts a ConnectionLimiter in front of gRPC's listener, as a socket mutator
// (GRPC_ARG_SOCKET_MUTATOR): gRPC calls it on every connection it accepts,
// before it reads a byte. A connection the limiter refuses is shut down there
// (shutdown(2), both ways): gRPC then reads end-of-file and closes it as any
// connection whose client left. The mutator never reports a failure: in gRPC
// 1.51 a failing mutator stops the listener for good (tcp_server_posix.cc).
//
// gRPC's socket mutator structs are not in its installed headers; their
// layout is declared in socket_gate.cc as in gRPC 1.51's
// src/core/lib/iomgr/socket_mutator.h, and the build refuses another minor
// version until someone checks it again.
#pragma once

#include <grpcpp/impl/server_builder_option.h>

#include <memory>

#include "daemon/limits/connection_limiter.h"

namespace parc::limits {

// A ServerBuilder option that installs the mutator; it keeps `limiter` alive
// as long as gRPC holds the mutator.
std::unique_ptr<grpc::ServerBuilderOption> SocketGate(std::shared_ptr<ConnectionLimiter> limiter);

}  // namespace parc::limits
