#include "bench/http_checkin.h"

#include <google/protobuf/util/json_util.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <deque>
#include <optional>
#include <string_view>

#include "parc/v1/device.pb.h"

namespace bench {
namespace {

struct Connection {
  int fd = -1;
  bool busy = false;
  Clock::time_point scheduled;
  std::string out;
  size_t out_sent = 0;
  std::string in;
};

// The status and the whole answer's length once `in` holds a complete
// answer (parcd always sends Content-Length), else nullopt.
std::optional<std::pair<int, size_t>> Complete(const std::string& in) {
  const size_t end = in.find("\r\n\r\n");
  if (end == std::string::npos || in.size() < 12) return std::nullopt;
  int status = 0;
  std::from_chars(in.data() + 9, in.data() + 12, status);
  size_t length = 0;
  for (size_t at = in.find("\r\n"); at < end; at = in.find("\r\n", at + 2)) {
    std::string_view line(in.data() + at + 2, std::min(end, in.find("\r\n", at + 2)) - at - 2);
    if (line.size() > 15 && strncasecmp(line.data(), "content-length:", 15) == 0) {
      std::string_view value = line.substr(15);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      std::from_chars(value.data(), value.data() + value.size(), length);
    }
  }
  if (in.size() < end + 4 + length) return std::nullopt;
  return std::pair{status, end + 4 + length};
}

class HttpGenerator {
 public:
  HttpGenerator(const LoadOptions& o, Fleet& fleet) : o_(o), fleet_(fleet) {
    if (o.closed > o.channels) Die("http: --closed needs as many --channels (one call each)");
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) Die(std::string("http: epoll: ") + std::strerror(errno));
    connections_.resize(static_cast<size_t>(o.channels));
    for (auto& c : connections_) Connect(c);
    host_ = o.target;
  }
  ~HttpGenerator() {
    for (auto& c : connections_) close(c.fd);
    close(epoll_);
  }

  LoadResult Run() {
    window_ = Window::After(Clock::now(), o_);
    if (o_.closed > 0) {
      for (int i = 0; i < o_.closed; ++i) Start(connections_[static_cast<size_t>(i)], Clock::now());
    }
    std::optional<Arrivals> arrivals;
    if (o_.rate > 0) arrivals.emplace(o_.rate, window_);
    std::vector<epoll_event> ready(connections_.size());
    for (;;) {
      const auto now = Clock::now();
      if (arrivals) {
        arrivals->Release(
            now, [&] { return in_flight_ + waiting_.size() >= size_t(o_.max_in_flight); },
            [&](Clock::time_point scheduled) { waiting_.push_back(scheduled); }, result_.missed);
        StartWaiting();
      }
      const bool pacing = arrivals && arrivals->pending();
      if (now >= window_.end) stopping_ = true;
      if (stopping_ && ((in_flight_ == 0 && waiting_.empty()) ||
                        now >= window_.end + std::chrono::seconds(30))) {
        break;
      }
      auto until =
          pacing ? arrivals->next() : std::min(now + std::chrono::milliseconds(100), window_.end);
      if (stopping_) until = now + std::chrono::milliseconds(5);
      const int n = WaitReady(epoll_, ready, until, "http");
      for (int i = 0; i < n; ++i) {
        Connection& c = connections_[ready[i].data.u32];
        if (ready[i].events & EPOLLOUT) Flush(c);
        if (ready[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) Receive(c);
      }
    }
    return std::move(result_);
  }

 private:
  void Connect(Connection& c) {
    c.fd = ConnectNonBlocking(o_.target, "http");
    Watch(c, EPOLL_CTL_ADD, EPOLLIN);
  }

  void Watch(Connection& c, int op, uint32_t events) {
    epoll_event interest{.events = events,
                         .data = {.u32 = static_cast<uint32_t>(&c - connections_.data())}};
    if (epoll_ctl(epoll_, op, c.fd, &interest) != 0) {
      Die(std::string("http: epoll_ctl: ") + std::strerror(errno));
    }
  }

  void StartWaiting() {
    for (auto& c : connections_) {
      if (waiting_.empty()) return;
      if (c.busy || c.fd < 0) continue;
      Start(c, waiting_.front());
      waiting_.pop_front();
    }
  }

  void Start(Connection& c, Clock::time_point scheduled) {
    size_t device = fleet_.Pick();
    FillReport(request_, fleet_.id(device), fleet_.NextSequence(device));
    body_.clear();
    if (!google::protobuf::util::MessageToJsonString(request_, &body_).ok()) Die("http: json");
    c.out = "POST /api/v1/device/check-in HTTP/1.1\r\nHost: " + host_ +
            "\r\nContent-Type: application/json\r\nAuthorization: " + fleet_.bearer(device) +
            "\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_;
    c.out_sent = 0;
    c.busy = true;
    c.scheduled = scheduled;
    ++in_flight_;
    Flush(c);
  }

  void Flush(Connection& c) {
    while (c.out_sent < c.out.size()) {
      ssize_t n = send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_sent += static_cast<size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        Watch(c, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
        return;
      } else {
        return Broken(c, "send failed");
      }
    }
    Watch(c, EPOLL_CTL_MOD, EPOLLIN);
  }

  void Receive(Connection& c) {
    char buffer[16384];
    for (;;) {
      ssize_t n = recv(c.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        c.in.append(buffer, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      return Broken(c, "connection closed by parcd");
    }
    auto answer = Complete(c.in);
    if (!answer) return;
    const auto [status, length] = *answer;
    if (window_.Contains(c.scheduled)) {
      if (status == 200) {
        result_.Succeeded(c.scheduled, Clock::now());
      } else {
        const size_t body = c.in.find("\r\n\r\n") + 4;
        result_.Failed(status, c.in.substr(body, std::min<size_t>(length - body, 200)));
      }
    }
    c.in.erase(0, length);
    c.busy = false;
    --in_flight_;
    if (stopping_) return;
    if (o_.closed > 0) {
      Start(c, Clock::now());
    } else if (!waiting_.empty()) {
      Start(c, waiting_.front());
      waiting_.pop_front();
    }
  }

  // A connection parcd closed: its call fails, the connection is not reused.
  void Broken(Connection& c, const char* why) {
    epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
    c.fd = -1;
    if (c.busy) {
      if (window_.Contains(c.scheduled)) result_.Failed(0, why);
      c.busy = false;
      --in_flight_;
    }
  }

  const LoadOptions o_;
  Fleet& fleet_;
  int epoll_ = -1;
  std::string host_;
  std::vector<Connection> connections_;
  std::deque<Clock::time_point> waiting_;  // open loop: arrivals without a free connection
  size_t in_flight_ = 0;
  bool stopping_ = false;
  Window window_;
  LoadResult result_;
  parc::v1::CheckInRequest request_;
  std::string body_;
};

}  // namespace

LoadResult RunHttpCheckIns(const LoadOptions& o, Fleet& fleet) {
  return HttpGenerator(o, fleet).Run();
}

}  // namespace bench
