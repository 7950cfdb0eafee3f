// A real parcd, in-process: a fresh SQLite file in a temporary directory, every
// service registered on a gRPC server listening on a free loopback port, and a
// bootstrapped admin with its token. For service, CLI and storage-through-API
// tests. Not thread-safe; one per test.
#pragma once

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/clock.h"
#include "daemon/checkin/pipeline.h"
#include "daemon/config.h"
#include "parc/v1/types.pb.h"

namespace parc::testing {

class TestServer {
 public:
  struct Options {
    // Serve TLS with a fresh self-signed certificate for 127.0.0.1 (made with
    // the openssl command); Channel() then trusts exactly that certificate.
    bool tls = false;
    // Told to devices on Enroll and CheckIn.
    int32_t checkin_interval_seconds = 300;
    // The server limits (issue 18: grpc_*, http_*, max_message_bytes) as
    // parcd reads them; listen and tls_* are set by the TestServer.
    Config config;
  };

  TestServer() : TestServer(Options{}) {}
  explicit TestServer(const Options& options);  // the test FAILs if anything cannot start
  ~TestServer();

  std::string address() const;  // "127.0.0.1:PORT"
  const std::string& admin_token() const { return admin_token_; }
  const std::filesystem::path& dir() const { return dir_; }
  ManualClock& clock() { return clock_; }

  // Creates an operator with `role` (and departments for a manager) and returns
  // a fresh token for it.
  std::string TokenFor(const std::string& name, v1::Role role,
                       const std::vector<std::string>& departments = {});

  // gRPC connections counted open, and refused, by the connection limiter
  // (daemon/limits/connection_limiter.h).
  size_t open_connections() const;
  uint64_t refused_connections() const;

  // Batches and reports of the check-in pipeline so far.
  checkin::PipelineCounters checkin_counters() const;

  // Starts parcd's HTTP listener (daemon/http) on a free loopback port, on
  // its own Asio loop, answering through this server in-process; returns the
  // port. Later calls return the same port.
  int StartHttp();

  std::shared_ptr<grpc::Channel> Channel() const;
  // PEM of the certificate the server presents (empty without TLS).
  const std::string& ca_pem() const { return ca_pem_; }
  // A client context carrying `authorization: Bearer <token>`.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::filesystem::path dir_;
  std::string admin_token_;
  std::string ca_pem_;                    // empty: plaintext
  ManualClock clock_{1'780'000'000'000};  // 2026-05-28
};

}  // namespace parc::testing
