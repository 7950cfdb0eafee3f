#include "bench/h2_checkin.h"

#include <nghttp2/nghttp2.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <string_view>

#include "parc/v1/device.pb.h"

namespace bench {
namespace {

constexpr int kUnavailable = 14;  // grpc::StatusCode::UNAVAILABLE: no answer on the stream

// One call on one HTTP/2 stream.
struct Call {
  Clock::time_point scheduled;
  std::string body;  // gRPC message frame: compressed flag, 4-byte length, message
  size_t sent = 0;
  int http_status = 0;
  int grpc_status = -1;
  std::string grpc_message;
};

class H2Generator;

struct Connection {
  H2Generator* generator = nullptr;
  int fd = -1;
  nghttp2_session* session = nullptr;
  std::string out;  // frames nghttp2 produced that the socket has not taken yet
  size_t out_sent = 0;
  int restarts = 0;       // closed loop: calls to start once the read is processed
  bool queued = false;    // in the generator's list of connections to flush
  bool want_out = false;  // registered for EPOLLOUT: the socket took only part
};

nghttp2_nv Header(std::string_view name, std::string_view value) {
  return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
}

class H2Generator {
 public:
  H2Generator(const LoadOptions& o, Fleet& fleet) : o_(o), fleet_(fleet) {
    nghttp2_session_callbacks_new(&callbacks_);
    nghttp2_session_callbacks_set_on_header_callback(callbacks_, &OnHeader);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks_, &OnStreamClose);
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) Die(std::string("h2: epoll: ") + std::strerror(errno));
    connections_.resize(static_cast<size_t>(o.channels));
    for (auto& c : connections_) Connect(c);
  }
  ~H2Generator() {
    for (auto& c : connections_) {
      nghttp2_session_del(c.session);
      if (c.fd >= 0) close(c.fd);
    }
    nghttp2_session_callbacks_del(callbacks_);
    close(epoll_);
  }
  H2Generator(const H2Generator&) = delete;
  H2Generator& operator=(const H2Generator&) = delete;

  // One thread, one epoll set: each turn sends the arrivals that became due,
  // hands the connections that have frames to send to their sockets, then
  // sleeps until a socket is ready or the next arrival is due. The cost per
  // call stays that of the call (epoll reports only the ready sockets), so the
  // generator takes as little as it can of the CPU it shares with the server.
  LoadResult Run() {
    window_ = Window::After(Clock::now(), o_);
    if (o_.closed > 0) {
      for (int i = 0; i < o_.closed; ++i) {
        Start(connections_[static_cast<size_t>(i) % connections_.size()], Clock::now());
      }
    }
    std::optional<Arrivals> arrivals;
    if (o_.rate > 0) arrivals.emplace(o_.rate, window_);
    size_t turn = 0;
    std::vector<epoll_event> ready(connections_.size());
    for (;;) {
      const auto now = Clock::now();
      if (arrivals) {  // open loop: send every arrival that became due
        arrivals->Release(
            now, [&] { return in_flight_ >= o_.max_in_flight; },
            [&](Clock::time_point scheduled) {
              Start(connections_[turn++ % connections_.size()], scheduled);
            },
            result_.missed);
      }
      const bool pacing = arrivals && arrivals->pending();
      if (now >= window_.end) stopping_ = true;
      if (stopping_ && (in_flight_ == 0 || now >= window_.end + std::chrono::seconds(30))) break;
      FlushQueued();
      auto until =
          pacing ? arrivals->next() : std::min(now + std::chrono::milliseconds(100), window_.end);
      if (stopping_) until = now + std::chrono::milliseconds(5);
      const int n = WaitReady(epoll_, ready, until, "h2");
      for (int i = 0; i < n; ++i) {
        Connection& c = connections_[ready[i].data.u32];
        if (ready[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) Receive(c);
        Queue(c);  // what the read made nghttp2 answer, or what the socket can now take
      }
    }
    return std::move(result_);
  }

  // nghttp2 callbacks (user_data is the Connection).
  static int OnHeader(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name,
                      size_t name_len, const uint8_t* value, size_t value_len, uint8_t, void*) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    auto* call =
        static_cast<Call*>(nghttp2_session_get_stream_user_data(session, frame->hd.stream_id));
    if (call == nullptr) return 0;
    const std::string_view n(reinterpret_cast<const char*>(name), name_len);
    const std::string_view v(reinterpret_cast<const char*>(value), value_len);
    if (n == ":status") std::from_chars(v.data(), v.data() + v.size(), call->http_status);
    if (n == "grpc-status") std::from_chars(v.data(), v.data() + v.size(), call->grpc_status);
    if (n == "grpc-message") call->grpc_message = v;
    return 0;
  }
  static int OnStreamClose(nghttp2_session* session, int32_t stream_id, uint32_t error_code,
                           void* user_data) {
    auto* call = static_cast<Call*>(nghttp2_session_get_stream_user_data(session, stream_id));
    if (call == nullptr) return 0;
    auto* c = static_cast<Connection*>(user_data);
    c->generator->Finished(*c, call, error_code);
    return 0;
  }
  static ssize_t ReadBody(nghttp2_session*, int32_t, uint8_t* buf, size_t length,
                          uint32_t* data_flags, nghttp2_data_source* source, void*) {
    auto* call = static_cast<Call*>(source->ptr);
    const size_t n = std::min(length, call->body.size() - call->sent);
    std::memcpy(buf, call->body.data() + call->sent, n);
    call->sent += n;
    if (call->sent == call->body.size()) *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

 private:
  void Connect(Connection& c) {
    c.fd = ConnectNonBlocking(o_.target, "h2");
    c.generator = this;
    epoll_event interest{.events = EPOLLIN, .data = {.u32 = Index(c)}};
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &interest) != 0) {
      Die(std::string("h2: epoll_ctl: ") + std::strerror(errno));
    }
    if (nghttp2_session_client_new(&c.session, callbacks_, &c) != 0) Die("h2: nghttp2 session");
    const nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
                                               {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20}};
    nghttp2_submit_settings(c.session, NGHTTP2_FLAG_NONE, settings, std::size(settings));
    Queue(c);
  }

  uint32_t Index(const Connection& c) const {
    return static_cast<uint32_t>(&c - connections_.data());
  }

  // Marks `c` as having frames to send this turn.
  void Queue(Connection& c) {
    if (c.queued) return;
    c.queued = true;
    to_flush_.push_back(Index(c));
  }

  // Flushes every queued connection; one whose socket is full waits for
  // EPOLLOUT, and stops waiting for it once drained.
  void FlushQueued() {
    for (uint32_t i : to_flush_) {
      Connection& c = connections_[i];
      c.queued = false;
      const bool pending = !Flush(c);
      if (pending != c.want_out) {
        c.want_out = pending;
        epoll_event interest{.events = EPOLLIN | (pending ? EPOLLOUT : 0u), .data = {.u32 = i}};
        epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &interest);
      }
    }
    to_flush_.clear();
  }

  void Start(Connection& c, Clock::time_point scheduled) {
    const size_t device = fleet_.Pick();
    FillReport(request_, fleet_.id(device), fleet_.NextSequence(device));
    auto* call = new Call;
    call->scheduled = scheduled;
    const size_t size = request_.ByteSizeLong();
    call->body.resize(5 + size);
    auto* frame = reinterpret_cast<uint8_t*>(call->body.data());
    frame[0] = 0;  // not compressed
    for (int i = 0; i < 4; ++i) frame[1 + i] = static_cast<uint8_t>(size >> (8 * (3 - i)));
    request_.SerializeWithCachedSizesToArray(frame + 5);
    nghttp2_nv headers[] = {
        Header(":method", "POST"),
        Header(":scheme", "http"),
        Header(":path", "/parc.v1.DeviceService/CheckIn"),
        Header(":authority", o_.target),
        Header("content-type", "application/grpc"),
        Header("te", "trailers"),
        Header("authorization", fleet_.bearer(device)),
    };
    nghttp2_data_provider body{};
    body.source.ptr = call;
    body.read_callback = &ReadBody;
    const size_t count = std::size(headers) - (o_.echo ? 1 : 0);
    if (nghttp2_submit_request(c.session, nullptr, headers, count, &body, call) < 0) {
      Die("h2: cannot submit a request");
    }
    ++in_flight_;
    Queue(c);
  }

  void Finished(Connection& c, Call* call, uint32_t h2_error) {
    if (window_.Contains(call->scheduled)) {
      if (h2_error == 0 && call->http_status == 200 && call->grpc_status == 0) {
        result_.Succeeded(call->scheduled, Clock::now());
      } else if (call->grpc_status > 0) {
        result_.Failed(call->grpc_status, call->grpc_message);
      } else {
        result_.Failed(kUnavailable, "HTTP " + std::to_string(call->http_status) +
                                         ", HTTP/2 error " + std::to_string(h2_error) +
                                         ", no grpc-status");
      }
    }
    delete call;
    --in_flight_;
    if (o_.closed > 0 && !stopping_) ++c.restarts;
  }

  void Receive(Connection& c) {
    uint8_t buf[64 * 1024];
    for (;;) {
      const ssize_t n = read(c.fd, buf, sizeof buf);
      if (n > 0) {
        if (nghttp2_session_mem_recv(c.session, buf, static_cast<size_t>(n)) < 0) {
          Die("h2: the server sent what HTTP/2 does not allow");
        }
        if (static_cast<size_t>(n) < sizeof buf) break;  // drained; epoll says when more comes
        continue;
      }
      if (n == 0) Die("h2: the server closed a connection");
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno != EINTR) Die(std::string("h2: read: ") + std::strerror(errno));
    }
    for (; c.restarts > 0; --c.restarts) Start(c, Clock::now());
  }

  // Hands nghttp2's pending frames to the socket, as far as it takes them;
  // false when the socket is full with frames left.
  bool Flush(Connection& c) {
    for (;;) {
      if (c.out_sent == c.out.size()) {
        c.out.clear();
        c.out_sent = 0;
        const uint8_t* data = nullptr;
        ssize_t n;
        while ((n = nghttp2_session_mem_send(c.session, &data)) > 0) {
          c.out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
        }
        if (n < 0) Die("h2: nghttp2 could not frame a request");
        if (c.out.empty()) return true;
      }
      const ssize_t n = write(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
        if (errno != EINTR) Die(std::string("h2: write: ") + std::strerror(errno));
        continue;
      }
      c.out_sent += static_cast<size_t>(n);
    }
  }

  const LoadOptions o_;
  Fleet& fleet_;
  nghttp2_session_callbacks* callbacks_ = nullptr;
  int epoll_ = -1;
  std::vector<Connection> connections_;  // sized once: sessions keep pointers to them
  std::vector<uint32_t> to_flush_;       // indices of the queued connections
  parc::v1::CheckInRequest request_;     // reused: its strings keep their buffers
  Window window_;
  LoadResult result_;
  int64_t in_flight_ = 0;
  bool stopping_ = false;
};

}  // namespace

LoadResult RunH2CheckIns(const LoadOptions& o, Fleet& fleet) { return H2Generator(o, fleet).Run(); }

}  // namespace bench
