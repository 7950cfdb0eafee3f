// The gRPC side of parcd: every v1 service, the standard health service and
// server reflection, on one listening address, plaintext or TLS, within the
// configured server limits (daemon/limits/grpc_limits.h).
#pragma once

#include <grpcpp/server.h>

#include <chrono>
#include <memory>

#include "common/error.h"
#include "daemon/config.h"
#include "daemon/http/listener.h"
#include "daemon/limits/connection_limiter.h"
#include "daemon/service/services.h"

namespace parc {

class GrpcServer {
 public:
  // Builds and starts the server on config.listen (port 0 picks a free one).
  // `services` must outlive the server. UNAVAILABLE when the address cannot be
  // bound; INVALID_ARGUMENT naming tls_cert/tls_key when they cannot be read.
  static Expected<std::unique_ptr<GrpcServer>> Start(const Config& config,
                                                     service::Services& services);

  int port() const { return port_; }

  // A channel to this server that skips the network (for the HTTP side, which
  // calls the services with the caller's token). Usable until Shutdown.
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Stops accepting calls and waits for in-flight ones until `grace` has
  // passed, then cancels what remains. Idempotent; safe from any thread.
  void Shutdown(std::chrono::milliseconds grace);

  // Blocks until the server has shut down.
  void Wait() { server_->Wait(); }

  // Open gRPC connections and those refused by grpc_max_connections(_per_peer)
  // (daemon/limits/connection_limiter.h).
  limits::ConnectionLimiter& connections() { return *connections_; }

 private:
  GrpcServer(std::unique_ptr<grpc::Server> server, int port,
             std::shared_ptr<limits::ConnectionLimiter> connections)
      : server_(std::move(server)), port_(port), connections_(std::move(connections)) {}

  std::unique_ptr<grpc::Server> server_;
  int port_;
  std::shared_ptr<limits::ConnectionLimiter> connections_;
};

// The configuration's per-method request limits (service/message_limits.h)
// and HTTP listener limits (http/listener.h).
service::MessageLimits MessageLimitsFrom(const Config& config);
// The configuration's rate limits (service/admission.h).
service::RateLimits RateLimitsFrom(const Config& config);
http::ListenerOptions ListenerOptionsFrom(const Config& config);

// `parcd serve`: opens the database, serves until SIGTERM or SIGINT, then stops
// gracefully (config.shutdown_grace_seconds) and closes the database.
Status Serve(const Config& config);

}  // namespace parc
