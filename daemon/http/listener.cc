#include "daemon/http/listener.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <list>
#include <optional>
#include <vector>

#include "common/logging.h"
#include "daemon/http/desk_routes.h"
#include "daemon/http/device_routes.h"

namespace parc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;
using tcp = asio::ip::tcp;

class Connection;

}  // namespace

// Everything the loop and the workers share. Members other than `pool`, `api`
// and `options` are touched only on the loop thread.
struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
  asio::io_context& io;
  tcp::acceptor acceptor;
  std::shared_ptr<Api> api;
  ListenerOptions options;
  asio::thread_pool pool;
  std::list<std::weak_ptr<Connection>> connections;  // loop thread only
  bool stopping = false;                             // loop thread only

  State(asio::io_context& io_context, std::shared_ptr<Api> a, const ListenerOptions& o)
      : io(io_context),
        acceptor(io_context),
        api(std::move(a)),
        options(o),
        pool(static_cast<size_t>(o.worker_threads)) {}

  void Accept();
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // Bytes asked for when waiting for a request's first byte: a whole small
  // request usually.
  static constexpr size_t kFirstRead = 4096;

  Connection(tcp::socket socket, std::shared_ptr<HttpServer::State> state)
      : peer_(RemoteAddress(socket)), stream_(std::move(socket)), state_(std::move(state)) {}

  void Start(std::list<std::weak_ptr<Connection>>::iterator self_entry) {
    entry_ = self_entry;
    Read();
  }

  ~Connection() {
    // Only the loop thread creates and drops connections (or the loop's
    // destructor, when nothing else runs).
    state_->connections.erase(entry_);
  }

  // Loop thread: closes an idle connection; a busy one closes after its answer.
  void Close() {
    if (busy_) return;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

 private:
  // Waits for the first byte of the next request (idle_timeout), unless it
  // is already buffered.
  void Read() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(state_->options.header_limit_bytes));
    // Beast checks a Content-Length against this while it parses the
    // headers, before the route is known: the largest any route takes here,
    // narrowed to the route's own in OnHeader.
    parser_->body_limit(
        std::max({state_->options.body_limit_bytes, state_->options.device_body_limit_bytes,
                  DeskRoutes::kReceiptBodyLimit, DeskRoutes::kImportBodyLimit}));
    if (buffer_.size() > 0) return ReadHeader();
    stream_.expires_after(state_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstRead),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return;  // closed, timed out: drop the connection
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  // The rest of the headers, within header_timeout of their first byte.
  void ReadHeader() {
    stream_.expires_after(state_->options.header_timeout);
    bh::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  // The body's limit for `target`: device reports, signed receipts and files
  // imported at the desk are larger than anything else the page sends.
  size_t BodyLimitFor(std::string_view target) const {
    if (target.starts_with(kDevicePrefix)) return state_->options.device_body_limit_bytes;
    if (target.substr(0, target.find('?')) == DeskRoutes::kReceiptPath) {
      return DeskRoutes::kReceiptBodyLimit;
    }
    if (target.starts_with(DeskRoutes::kImportPrefix)) return DeskRoutes::kImportBodyLimit;
    return state_->options.body_limit_bytes;
  }

  // The body, within body_timeout. Its limit depends on the route: a declared
  // Content-Length is checked here, a chunked body as it arrives.
  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    const auto& target = parser_->get().target();
    const size_t limit = BodyLimitFor(std::string_view(target.data(), target.size()));
    parser_->body_limit(limit);
    if (auto length = parser_->content_length(); length && *length > limit) {
      return OnRead(bh::error::body_limit);
    }
    stream_.expires_after(state_->options.body_timeout);
    bh::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bh::error::body_limit || ec == bh::error::header_limit) {
      const bool body = ec == bh::error::body_limit;
      Response resp{
          body ? bh::status::payload_too_large : bh::status::request_header_fields_too_large, 11};
      resp.set(bh::field::content_type, "text/plain; charset=utf-8");
      resp.body() = body ? "request body too large\n" : "request headers too large\n";
      state_->api->counters().Count(resp.result_int());
      Write(std::move(resp), /*keep_alive=*/false);
      return;
    }
    if (ec) return;  // closed, timed out or garbage: drop the connection
    busy_ = true;
    stream_.expires_never();  // the workers' calls have their own deadline
    // The last request a connection may carry is answered without keep-alive.
    const bool last = ++requests_ >= state_->options.max_requests_per_connection;
    auto request = std::make_shared<Request>(parser_->release());
    // Replaces whatever the client sent: its address, or behind a trusted
    // proxy the client the proxy forwards for.
    const auto forwarded = (*request)["X-Forwarded-For"];
    const std::string client = state_->options.trusted_proxies.ClientOf(
        peer_, std::string_view(forwarded.data(), forwarded.size()));
    request->set(beast::string_view(kPeerHeader.data(), kPeerHeader.size()), client);
    asio::post(state_->pool, [self = shared_from_this(), request, last] {
      // `done` may run later on a gRPC thread (device check-ins): the answer
      // is written from the loop either way.
      self->state_->api->HandleAsync(
          *request, [self, version = request->version(),
                     keep_alive = request->keep_alive() && !last](Response resp) {
            resp.version(version);
            asio::post(self->stream_.get_executor(),
                       [self, resp = std::move(resp), keep_alive]() mutable {
                         self->busy_ = false;
                         self->Write(std::move(resp), keep_alive && !self->state_->stopping);
                       });
          });
    });
  }

  void Write(Response resp, bool keep_alive) {
    auto out = std::make_shared<Response>(std::move(resp));
    out->keep_alive(keep_alive);
    out->prepare_payload();
    stream_.expires_after(state_->options.write_timeout);
    bh::async_write(stream_, *out,
                    [self = shared_from_this(), out, keep_alive](beast::error_code ec, size_t) {
                      if (ec) return;
                      if (!keep_alive || self->state_->stopping) {
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                        return;
                      }
                      self->Read();
                    });
  }

  static std::string RemoteAddress(const tcp::socket& socket) {
    beast::error_code ec;
    auto remote = socket.remote_endpoint(ec);
    return ec ? std::string() : remote.address().to_string();
  }

  const std::string peer_;  // the client's address, for kPeerHeader
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bh::request_parser<bh::string_body>> parser_;
  std::shared_ptr<HttpServer::State> state_;
  std::list<std::weak_ptr<Connection>>::iterator entry_;
  size_t requests_ = 0;  // read on this connection so far
  bool busy_ = false;
};

// "host:port" or "[v6]:port".
bool SplitHostPort(const std::string& address, std::string& host, std::string& port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  host = address.substr(0, colon);
  port = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return !host.empty() && !port.empty();
}

}  // namespace

void HttpServer::State::Accept() {
  acceptor.async_accept(io, [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (self->stopping || !self->acceptor.is_open()) return;
    if (!ec) {
      if (self->connections.size() >= self->options.max_connections) {
        static const auto log = Logger("http");
        log->warn("http connection refused: {} open already", self->connections.size());
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        auto connection = std::make_shared<Connection>(std::move(socket), self);
        self->connections.push_front(connection);
        connection->Start(self->connections.begin());
      }
    } else {
      // Out of file descriptors, most likely: wait a little instead of
      // spinning on the same error.
      static const auto log = Logger("http");
      log->warn("http accept failed: {}", ec.message());
      auto timer = std::make_shared<asio::steady_timer>(self->io, std::chrono::milliseconds(100));
      timer->async_wait([self, timer](beast::error_code) {
        if (!self->stopping) self->Accept();
      });
      return;
    }
    self->Accept();
  });
}

Expected<std::unique_ptr<HttpServer>> HttpServer::Start(asio::io_context& io,
                                                        const std::string& address,
                                                        std::shared_ptr<Api> api,
                                                        const ListenerOptions& options) {
  std::string host, port;
  if (!SplitHostPort(address, host, port)) {
    return InvalidArgument("http_listen", "'" + address + "' is not HOST:PORT");
  }
  auto state = std::make_shared<State>(io, std::move(api), options);
  beast::error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(host, port, tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Fail(ErrorCode::kUnavailable,
                "http_listen: cannot resolve " + address + ": " + ec.message());
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  state->acceptor.open(endpoint.protocol(), ec);
  if (!ec) state->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(endpoint, ec);
  if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                "http_listen: cannot listen on " + address + ": " + ec.message());
  }
  state->Accept();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(state)));
}

HttpServer::~HttpServer() {
  Stop();
  // Workers finish what they answer (bounded by the gRPC deadline); what they
  // post back to the loop is dropped with the loop if it no longer runs.
  state_->pool.join();
}

int HttpServer::port() const {
  beast::error_code ec;
  auto endpoint = state_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

std::string HttpServer::host() const {
  beast::error_code ec;
  auto endpoint = state_->acceptor.local_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

void HttpServer::Stop() {
  asio::post(state_->io, [state = state_] {
    if (state->stopping) return;
    state->stopping = true;
    beast::error_code ignored;
    state->acceptor.close(ignored);
    // Copied first: a closed connection may drop its own entry.
    std::vector<std::shared_ptr<Connection>> open;
    for (auto& weak : state->connections) {
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    }
    for (auto& connection : open) connection->Close();
  });
}

}  // namespace parc::http
