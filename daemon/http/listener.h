// parcd's HTTP listener: Boost.Beast on the daemon's Asio loop. The loop only
// accepts, reads and writes; each request is answered by Api::Handle on a small
// pool of worker threads (the answers call gRPC in-process and read the
// database), then written back from the loop. Stop() closes the listening
// socket and every idle connection; a request being answered is finished
// first, without keep-alive.
//
// Bounded everywhere (ListenerOptions, from the http_* keys of the
// configuration; their reasons are in deploy/parcd.toml):
//  - open connections: more are closed as soon as they are accepted;
//  - request headers (431) and body (413; larger under /api/v1/device/, and
//    4 MiB for a signed receipt at the desk, DeskRoutes::kReceiptBodyLimit);
//  - requests per connection: the last one is answered with Connection: close;
//  - time, per phase of a request, each with its own deadline (Beast's
//    tcp_stream expiry; a passed deadline closes the connection without an
//    answer): waiting for the first byte of a request (idle), the rest of
//    the headers from that byte (so a client sending them a byte at a time
//    is cut off), the body once the headers are read, and writing the answer.
//    Nothing bounds the worker's answer itself: its gRPC call has a deadline.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/error.h"
#include "common/trusted_proxies.h"
#include "daemon/http/api.h"

namespace parc::http {

struct ListenerOptions {
  size_t max_connections = 1024;
  size_t header_limit_bytes = 8 * 1024;
  size_t body_limit_bytes = 16 * 1024;
  // Under /api/v1/device/ (device_routes.h): a check-in of 500 reports in JSON.
  size_t device_body_limit_bytes = 1024 * 1024;
  size_t max_requests_per_connection = 1000;
  std::chrono::seconds idle_timeout{30};    // until a request's first byte
  std::chrono::seconds header_timeout{10};  // from its first byte to the end of its headers
  std::chrono::seconds body_timeout{30};    // from the end of its headers to the end of its body
  std::chrono::seconds write_timeout{30};
  int worker_threads = 4;
  // Reverse proxies whose X-Forwarded-For names the client (config
  // trusted_proxies); from anyone else the header is ignored.
  TrustedProxies trusted_proxies;
};

class HttpServer {
 public:
  // Listens on `address` ("127.0.0.1:8080", "[::1]:0", "localhost:8080"; port
  // 0 picks a free one) and serves on `io`, which must outlive this object and
  // be run by the caller. UNAVAILABLE when the address cannot be bound.
  static Expected<std::unique_ptr<HttpServer>> Start(boost::asio::io_context& io,
                                                     const std::string& address,
                                                     std::shared_ptr<Api> api,
                                                     const ListenerOptions& options = {});
  ~HttpServer();  // Stop(), then waits for the workers
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  std::string host() const;  // as bound, e.g. "127.0.0.1"

  // Stops accepting and closes idle connections. Safe from any thread;
  // idempotent.
  void Stop();

  struct State;  // internal, shared with the connections

 private:
  explicit HttpServer(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace parc::http
