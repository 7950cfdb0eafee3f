#include "bench/checkin_load.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>

#include "parc/v1/device.pb.h"

namespace bench {

void Die(const std::string& message) {
  std::cerr << program_invocation_short_name << ": " << message << "\n";
  std::exit(2);
}

int ConnectNonBlocking(const std::string& target, std::string_view who) {
  const std::string prefix(who);
  const auto colon = target.rfind(':');
  if (colon == std::string::npos) Die("--target: expected HOST:PORT");
  const std::string host = target.substr(0, colon), port = target.substr(colon + 1);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    Die(prefix + ": cannot resolve " + target);
  }
  int fd = socket(found->ai_family, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
    freeaddrinfo(found);
    Die(prefix + ": cannot connect to " + target + ": " + std::strerror(errno));
  }
  freeaddrinfo(found);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

std::string Credential(int64_t device_id) { return fmt::format("parcdev_bench-{}", device_id); }

std::vector<int64_t> ReadIds(const std::string& path) {
  std::ifstream in(path);
  if (!in) Die("--ids: cannot read " + path);
  std::vector<int64_t> ids;
  for (int64_t id; in >> id;) ids.push_back(id);
  if (ids.empty()) Die("--ids: no device id in " + path);
  return ids;
}

Fleet::Fleet(std::vector<int64_t> ids)
    : ids_(std::move(ids)), next_(std::make_unique<std::atomic<uint64_t>[]>(ids_.size())) {
  // Larger than any sequence of an earlier run (microseconds since the epoch).
  const auto base = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
  for (size_t i = 0; i < ids_.size(); ++i) next_[i] = base;
  for (int64_t id : ids_) bearers_.push_back("Bearer " + Credential(id));
}

void FillReport(parc::v1::CheckInRequest& req, int64_t device_id, uint64_t sequence) {
  req.Clear();
  auto* report = req.add_reports();
  report->set_sequence(sequence);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  report->mutable_collected_at()->set_seconds(ms / 1000);
  report->mutable_collected_at()->set_nanos(static_cast<int32_t>(ms % 1000) * 1000000);
  auto* s = report->mutable_status();
  const auto h = static_cast<uint64_t>(device_id) * 2654435761u;
  s->set_battery_percent(static_cast<int32_t>(h % 101));
  s->set_charging(h % 3 == 0);
  s->set_storage_total_bytes(128LL * 1000 * 1000 * 1000);
  s->set_storage_free_bytes(static_cast<int64_t>(17'179'869'184 + h % 50'000'000'000));
  s->set_memory_total_bytes(8LL * 1024 * 1024 * 1024);
  s->set_memory_available_bytes(static_cast<int64_t>(2'147'483'648 + h % 3'000'000'000));
  s->set_os_name("Debian GNU/Linux 12 (bookworm) / Parc poste terrain, image 2026.03");
  s->set_os_version("12.7 (debian-12.7.0-amd64, linux-image-6.1.0-26-amd64 6.1.112-1)");
  s->set_kernel("Linux 6.1.0-26-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30) x86_64");
  s->set_uptime_seconds(static_cast<int64_t>(3600 + sequence % 864000));
  s->set_network_interface("wlp2s0");
  s->set_ip_address(fmt::format("10.{}.{}.{}", 16 + h % 16, (h >> 8) % 256, 2 + (h >> 16) % 250));
  s->set_agent_version("0.1.0");
  s->add_logged_in_users("agent-terrain");
  s->add_logged_in_users(fmt::format("ctm-poste-{:05d}", device_id % 100000));
  s->add_logged_in_users("gdm");
  s->add_logged_in_users("maintenance-dsi");
  s->add_logged_in_users(fmt::format("accueil-site-{:03d}", device_id % 400));
  // One device in twenty is a shared PC someone logged in on with `parc-agent login`.
  if (device_id % 20 == 0) s->set_current_user(fmt::format("E{:06d}", device_id % 1000000));
}

Window Window::After(Clock::time_point begin, const LoadOptions& o) {
  Window w;
  w.start = begin + std::chrono::milliseconds(static_cast<int64_t>(o.warmup * 1000));
  w.end = w.start + std::chrono::milliseconds(static_cast<int64_t>(o.duration * 1000));
  return w;
}

Arrivals::Arrivals(double rate, const Window& window)
    : window_(window), gap_(rate), next_(Clock::now()) {}

Clock::duration Arrivals::Gap() {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(gap_(rng_)));
}

void LoadResult::Succeeded(Clock::time_point scheduled, Clock::time_point done) {
  ++ok;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(done - scheduled).count();
  samples.push_back(static_cast<uint32_t>(std::clamp<int64_t>(us, 0, UINT32_MAX)));
}

void LoadResult::Failed(int code, const std::string& message) {
  ++errors[code];
  if (first_error.empty()) first_error = message;
}

void LoadResult::Merge(const LoadResult& other) {
  samples.insert(samples.end(), other.samples.begin(), other.samples.end());
  ok += other.ok;
  for (auto& [code, n] : other.errors) errors[code] += n;
  if (first_error.empty()) first_error = other.first_error;
  missed += other.missed;
}

std::string ResultJson(const LoadOptions& o, const Fleet& fleet, LoadResult& r) {
  uint64_t failed = 0;
  std::string codes;
  for (auto& [code, n] : r.errors) {
    failed += n;
    codes += fmt::format("{}\"{}\":{}", codes.empty() ? "" : ",", code, n);
  }
  Percentiles p = Summarize(r.samples);
  parc::v1::CheckInRequest sample;
  FillReport(sample, fleet.id(0), 1);
  std::string escaped;
  for (char c : r.first_error) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
  }
  return fmt::format(
      R"({{"mode":"checkin","transport":"{}","loop":"{}","in_flight":{},"rate":{:.0f},"devices":{},"channels":{},"threads":{},"request_bytes":{},"seconds":{:.1f},"ok":{},"errors":{},"error_codes":{{{}}},"first_error":"{}","missed":{},"rps":{:.0f},{}}})",
      o.transport, o.closed > 0 ? "closed" : "open", o.closed, o.rate, fleet.size(), o.channels,
      o.threads, sample.ByteSizeLong(), o.duration, r.ok, failed, codes, escaped, r.missed,
      r.ok / o.duration, Json(p));
}

Percentiles Summarize(std::vector<uint32_t>& us) {
  Percentiles p;
  if (us.empty()) return p;
  std::sort(us.begin(), us.end());
  auto at = [&](double q) {
    size_t i = static_cast<size_t>(std::ceil(q * us.size())) - 1;
    return us[std::min(i, us.size() - 1)] / 1000.0;
  };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.p999 = at(0.999);
  p.max = us.back() / 1000.0;
  return p;
}

std::string Json(const Percentiles& p) {
  return fmt::format(
      R"("p50_ms":{:.3f},"p90_ms":{:.3f},"p99_ms":{:.3f},"p999_ms":{:.3f},"max_ms":{:.3f})", p.p50,
      p.p90, p.p99, p.p999, p.max);
}

int WaitReady(int epoll, std::vector<epoll_event>& ready,
              std::chrono::steady_clock::time_point until, std::string_view who) {
  const auto wait = std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             until - std::chrono::steady_clock::now())
                                             .count());
  const timespec timeout{static_cast<time_t>(wait / 1'000'000'000),
                         static_cast<long>(wait % 1'000'000'000)};
  const int n =
      epoll_pwait2(epoll, ready.data(), static_cast<int>(ready.size()), &timeout, nullptr);
  if (n < 0 && errno != EINTR) Die(std::string(who) + ": epoll_pwait2: " + std::strerror(errno));
  return std::max(n, 0);
}

}  // namespace bench
