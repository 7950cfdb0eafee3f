// bench/loadgen: the load generator of Parc's benchmarks (bench/run.sh).
//
//   loadgen seed --db FILE --devices N --ids FILE
//       Enrolls the first N devices of a stopped parcd's database directly in
//       SQLite (state ENROLLED and a credential whose hash parcd checks, in one
//       transaction with one "bench.seed" audit event) and writes their ids to
//       --ids. Each device's credential is derived from its id
//       (parcdev_bench-<id>), so the generator needs no secret file. Enrolling a
//       million devices through the Enroll RPC would take a transaction each.
//   loadgen checkin --target HOST:PORT --ids FILE [--closed M | --rate R]
//                   [--transport grpc|h2] ...
//       Simulates the devices of --ids checking in: each call carries one
//       realistic status report (~370 bytes) with the device's next sequence.
//       Closed loop keeps M calls in flight; open loop sends Poisson arrivals at
//       R calls/s and measures latency from the scheduled send time (no
//       coordinated omission). --transport grpc (default): gRPC's async API,
//       one completion queue per thread, the channels shared round-robin among
//       them. --transport h2: the same calls as raw HTTP/2 on nghttp2, one
//       thread, far cheaper per call (bench/h2_checkin.h).
//   loadgen dashboard --target HOST:PORT --token TOKEN --calls K [--max-seconds S]
//       Calls every DashboardService RPC K times one after the other (fewer
//       when that RPC has taken S seconds).
//   loadgen ready --target HOST:PORT --ids FILE --since-ns NS
//       Retries one check-in until it succeeds; prints the time since NS
//       (CLOCK_REALTIME nanoseconds, taken when parcd was started).
//   loadgen fetch --target HOST:PORT --ids FILE --sha256 HEX --streams N
//       N concurrent FetchContent downloads by the first device of --ids.
//   loadgen fsync --path FILE [--count N] [--bytes B]
//       N appends of B bytes to FILE, each followed by fdatasync (half a
//       millisecond apart): the disk's floor under every durable
//       acknowledgement, beside figure 2. FILE is removed at the end.
//   loadgen wakeup [--count N]
//       N sleeps of half a millisecond, each timed: how late a sleeping thread
//       runs again (timer, idle CPU woken, scheduler), paid by the open-loop
//       generator's pacing and by every thread a call wakes; beside figure 2.
//
// Every mode prints one JSON object on stdout.
#include <absl/synchronization/mutex.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <grpcpp/grpcpp.h>
#include <malloc.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/checkin_load.h"
#include "bench/h2_checkin.h"
#include "common/crypto.h"
#include "parc/v1/dashboard.grpc.pb.h"
#include "parc/v1/device.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"

namespace {

using namespace bench;
using parc::v1::CheckInRequest;
using parc::v1::CheckInResponse;
using parc::v1::DeviceService;

// --key value flags after the mode.
class Flags {
 public:
  Flags(int argc, char** argv) {
    for (int i = 2; i < argc; ++i) {
      std::string key = argv[i];
      if (!key.starts_with("--") || i + 1 >= argc) Die("expected --key value at '" + key + "'");
      values_[key.substr(2)] = argv[++i];
    }
  }
  std::string Str(const std::string& key, const std::string& fallback = "\x01") {
    auto it = values_.find(key);
    if (it != values_.end()) return it->second;
    if (fallback == "\x01") Die("--" + key + " is required");
    return fallback;
  }
  double Num(const std::string& key, double fallback) {
    auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    char* end = nullptr;
    double v = std::strtod(it->second.c_str(), &end);
    if (end == it->second.c_str() || *end != '\0') Die("--" + key + ": not a number");
    return v;
  }

 private:
  std::map<std::string, std::string> values_;
};

// ---- seed -------------------------------------------------------------------

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Die(fmt::format("seed: {}: {}", what, sqlite3_errmsg(db)));
  }
}

int Seed(Flags& flags) {
  const std::string path = flags.Str("db");
  const auto count = static_cast<int64_t>(flags.Num("devices", 0));
  const std::string ids_path = flags.Str("ids");
  if (count < 1) Die("--devices: at least 1");
  auto start = Clock::now();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    Die("seed: cannot open " + path);
  }
  sqlite3_busy_timeout(db, 10000);
  Check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin");
  std::vector<int64_t> ids;
  {
    sqlite3_stmt* st = nullptr;
    Check(db,
          sqlite3_prepare_v2(db, "SELECT id FROM devices ORDER BY id LIMIT ?", -1, &st, nullptr),
          "select");
    sqlite3_bind_int64(st, 1, count);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) ids.push_back(sqlite3_column_int64(st, 0));
    Check(db, rc, "select");
    sqlite3_finalize(st);
  }
  if (static_cast<int64_t>(ids.size()) < count) {
    Die(fmt::format("seed: the database has {} devices, fewer than --devices {}", ids.size(),
                    count));
  }
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  sqlite3_stmt* state = nullptr;
  sqlite3_stmt* cred = nullptr;
  Check(
      db,
      sqlite3_prepare_v2(db, "UPDATE devices SET enrollment = 1 WHERE id = ?", -1, &state, nullptr),
      "prepare");
  Check(db,
        sqlite3_prepare_v2(db,
                           "INSERT INTO device_credentials (device_id, secret_hash, created_at)"
                           " VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET"
                           " secret_hash = excluded.secret_hash",
                           -1, &cred, nullptr),
        "prepare");
  for (int64_t id : ids) {
    sqlite3_reset(state);
    sqlite3_bind_int64(state, 1, id);
    Check(db, sqlite3_step(state), "update device");
    const std::string hash = parc::Sha256Hex(Credential(id));
    sqlite3_reset(cred);
    sqlite3_bind_int64(cred, 1, id);
    sqlite3_bind_text(cred, 2, hash.data(), static_cast<int>(hash.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(cred, 3, now_ms);
    Check(db, sqlite3_step(cred), "insert credential");
  }
  sqlite3_finalize(state);
  sqlite3_finalize(cred);
  {
    sqlite3_stmt* audit = nullptr;
    Check(db,
          sqlite3_prepare_v2(db,
                             "INSERT INTO audit_events (at, actor, action, target, summary)"
                             " VALUES (?, 'bench', 'bench.seed', 'devices', ?)",
                             -1, &audit, nullptr),
          "prepare");
    const std::string summary = fmt::format("{} devices enrolled for a benchmark", ids.size());
    sqlite3_bind_int64(audit, 1, now_ms);
    sqlite3_bind_text(audit, 2, summary.c_str(), -1, SQLITE_TRANSIENT);
    Check(db, sqlite3_step(audit), "audit");
    sqlite3_finalize(audit);
  }
  Check(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit");
  sqlite3_close(db);
  std::ofstream out(ids_path, std::ios::trunc);
  for (int64_t id : ids) out << id << '\n';
  if (!out.flush()) Die("--ids: cannot write " + ids_path);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << fmt::format(R"({{"mode":"seed","devices":{},"seconds":{:.2f}}})", ids.size(),
                           seconds)
            << std::endl;
  return 0;
}

// ---- checkin ----------------------------------------------------------------

struct Call {
  grpc::ClientContext ctx;
  CheckInRequest req;
  CheckInResponse resp;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<CheckInResponse>> rpc;
  Clock::time_point scheduled;
};

// The check-in generator on gRPC's async API.
class Generator {
 public:
  Generator(const LoadOptions& o, Fleet& fleet) : o_(o), fleet_(fleet) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
    for (int i = 0; i < o.channels; ++i) {
      // A distinct argument per channel: gRPC would otherwise share one
      // subchannel (one TCP connection) among them.
      grpc::ChannelArguments a = args;
      a.SetInt("parc.bench.channel", i);
      stubs_.push_back(DeviceService::NewStub(
          grpc::CreateCustomChannel(o.target, grpc::InsecureChannelCredentials(), a)));
    }
    for (int t = 0; t < o.threads; ++t) {
      workers_.push_back(std::make_unique<Worker>());
    }
  }

  LoadResult Run() {
    window_ = Window::After(Clock::now(), o_);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < workers_.size(); ++t) {
      threads.emplace_back([this, t] { Poll(*workers_[t]); });
    }
    if (o_.closed > 0) {
      for (int i = 0; i < o_.closed; ++i) Start(*workers_[i % workers_.size()], Clock::now());
    } else {
      Pace();
    }
    // Stop starting calls at the window's end, then wait for the rest.
    std::this_thread::sleep_until(window_.end);
    stopping_ = true;
    while (in_flight_.load() > 0 && Clock::now() < window_.end + std::chrono::seconds(30)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    for (auto& w : workers_) w->cq.Shutdown();
    for (auto& t : threads) t.join();
    LoadResult all;
    for (auto& w : workers_) all.Merge(w->result);
    all.missed = missed_.load();
    return all;
  }

 private:
  struct Worker {
    grpc::CompletionQueue cq;
    LoadResult result;
  };

  void Start(Worker& w, Clock::time_point scheduled) {
    auto* call = new Call;
    call->scheduled = scheduled;
    size_t device = fleet_.Pick();
    FillReport(call->req, fleet_.id(device), fleet_.NextSequence(device));
    if (!o_.echo) call->ctx.AddMetadata("authorization", fleet_.bearer(device));
    call->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    auto& stub = *stubs_[stub_cursor_.fetch_add(1, std::memory_order_relaxed) % stubs_.size()];
    in_flight_.fetch_add(1);
    call->rpc = stub.PrepareAsyncCheckIn(&call->ctx, call->req, &w.cq);
    call->rpc->StartCall();
    call->rpc->Finish(&call->resp, &call->status, call);
  }

  void Poll(Worker& w) {
    void* tag = nullptr;
    bool ok = false;
    while (w.cq.Next(&tag, &ok)) {
      auto* call = static_cast<Call*>(tag);
      if (window_.Contains(call->scheduled)) {
        if (call->status.ok()) {
          w.result.Succeeded(call->scheduled, Clock::now());
        } else {
          w.result.Failed(call->status.error_code(), call->status.error_message());
        }
      }
      delete call;
      in_flight_.fetch_sub(1);
      if (o_.closed > 0 && !stopping_) Start(w, Clock::now());
    }
  }

  // Open loop: Poisson arrivals at o_.rate, sent when due, in bursts of
  // whatever became due since the last wake-up.
  void Pace() {
    Arrivals arrivals(o_.rate, window_);
    size_t turn = 0;
    uint64_t missed = 0;
    while (arrivals.pending()) {
      std::this_thread::sleep_until(arrivals.next());
      arrivals.Release(
          Clock::now(),
          [&] { return in_flight_.load(std::memory_order_relaxed) >= o_.max_in_flight; },
          [&](Clock::time_point scheduled) {
            Start(*workers_[turn++ % workers_.size()], scheduled);
          },
          missed);
    }
    missed_ = missed;
  }

  const LoadOptions o_;
  Fleet& fleet_;
  std::vector<std::unique_ptr<DeviceService::Stub>> stubs_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<uint64_t> stub_cursor_{0};
  std::atomic<int64_t> in_flight_{0};
  std::atomic<uint64_t> missed_{0};
  std::atomic<bool> stopping_{false};
  Window window_;
};

int CheckIn(Flags& flags) {
  LoadOptions o;
  o.transport = flags.Str("transport", "grpc");
  o.target = flags.Str("target");
  o.channels = static_cast<int>(flags.Num("channels", 50));
  o.threads = static_cast<int>(flags.Num("threads", 1));
  o.closed = static_cast<int>(flags.Num("closed", 0));
  o.rate = flags.Num("rate", 0);
  o.duration = flags.Num("duration", 10);
  o.warmup = flags.Num("warmup", 2);
  o.max_in_flight = static_cast<int>(flags.Num("max-in-flight", 20000));
  o.echo = flags.Str("echo", "no") == "yes";
  if ((o.closed > 0) == (o.rate > 0)) Die("give exactly one of --closed M and --rate R");
  if (o.channels < 1 || o.threads < 1 || o.duration <= 0)
    Die("bad --channels/--threads/--duration");
  if (o.transport != "grpc" && o.transport != "h2") Die("--transport: grpc or h2");
  if (o.transport == "h2" && o.threads != 1) Die("--threads: the h2 generator runs on one thread");
  Fleet fleet(ReadIds(flags.Str("ids")));
  LoadResult result = o.transport == "h2" ? RunH2CheckIns(o, fleet) : Generator(o, fleet).Run();
  std::cout << ResultJson(o, fleet, result) << std::endl;
  return 0;
}

// ---- dashboard --------------------------------------------------------------

int Dashboard(Flags& flags) {
  auto channel = grpc::CreateChannel(flags.Str("target"), grpc::InsecureChannelCredentials());
  auto stub = parc::v1::DashboardService::NewStub(channel);
  const std::string bearer = "Bearer " + flags.Str("token");
  const int calls = static_cast<int>(flags.Num("calls", 50));
  const int warmup = static_cast<int>(flags.Num("warmup-calls", 3));
  // Per RPC: stop after this long even if fewer than --calls were made (an
  // RPC taking seconds at a million devices would otherwise take many minutes).
  const double max_seconds = flags.Num("max-seconds", 60);
  using Fn = std::function<grpc::Status(grpc::ClientContext*)>;
  const std::vector<std::pair<std::string, Fn>> rpcs = {
      {"AllocationSummary",
       [&](grpc::ClientContext* c) {
         parc::v1::AllocationSummaryResponse r;
         return stub->AllocationSummary(c, {}, &r);
       }},
      {"Coverage",
       [&](grpc::ClientContext* c) {
         parc::v1::CoverageResponse r;
         return stub->Coverage(c, {}, &r);
       }},
      {"StaleDevices",
       [&](grpc::ClientContext* c) {
         parc::v1::StaleDevicesResponse r;
         return stub->StaleDevices(c, {}, &r);
       }},
      {"FleetHealth",
       [&](grpc::ClientContext* c) {
         parc::v1::FleetHealthResponse r;
         return stub->FleetHealth(c, {}, &r);
       }},
      {"TrainingFunnel",
       [&](grpc::ClientContext* c) {
         parc::v1::TrainingFunnelResponse r;
         return stub->TrainingFunnel(c, {}, &r);
       }},
      {"OverdueLoans",
       [&](grpc::ClientContext* c) {
         parc::v1::OverdueLoansResponse r;
         return stub->OverdueLoans(c, {}, &r);
       }},
  };
  std::string out = R"({"mode":"dashboard","rpcs":{)";
  bool first = true;
  for (const auto& [name, fn] : rpcs) {
    std::vector<uint32_t> us;
    std::string error;
    const auto rpc_start = Clock::now();
    for (int i = 0; i < warmup + calls; ++i) {
      if (i > warmup &&
          std::chrono::duration<double>(Clock::now() - rpc_start).count() > max_seconds) {
        break;
      }
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", bearer);
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
      auto t0 = Clock::now();
      grpc::Status s = fn(&ctx);
      auto t = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
      if (!s.ok()) {
        error = fmt::format("{} {}", static_cast<int>(s.error_code()), s.error_message());
        break;
      }
      if (i >= warmup) us.push_back(static_cast<uint32_t>(t));
    }
    Percentiles p = Summarize(us);
    out += fmt::format(R"({}"{}":{{"calls":{},"error":"{}",{}}})", first ? "" : ",", name,
                       us.size(), error, Json(p));
    first = false;
  }
  std::cout << out << "}}" << std::endl;
  return 0;
}

// ---- search -----------------------------------------------------------------

// InventoryService.Search as the desk's search box calls it (limit 10), for
// each kind of query on the demo city; --calls each, latency per query.
int Search(Flags& flags) {
  auto channel = grpc::CreateChannel(flags.Str("target"), grpc::InsecureChannelCredentials());
  auto stub = parc::v1::InventoryService::NewStub(channel);
  const std::string bearer = "Bearer " + flags.Str("token");
  const int calls = static_cast<int>(flags.Num("calls", 50));
  const int warmup = static_cast<int>(flags.Num("warmup-calls", 3));
  // name, query: what a person types (demo_plan.cc and demo_data.h make these).
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"serial", "R52T1"},      {"asset_tag", "RM-TAB-0004"}, {"model", "galaxy"},
      {"name_accents", "Hélène"}, {"name_plain", "quere m"},  {"employee", "E0012"},
      {"department", "voirie"},  {"one_letter", "l"},         {"nothing", "zzzz"}};
  std::string out = R"({"mode":"search","queries":{)";
  bool first = true;
  for (const auto& [name, query] : queries) {
    std::vector<uint32_t> us;
    std::string error;
    size_t found = 0;
    for (int i = 0; i < warmup + calls; ++i) {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", bearer);
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      parc::v1::SearchRequest req;
      req.set_query(query);
      parc::v1::SearchResponse resp;
      auto t0 = Clock::now();
      grpc::Status s = stub->Search(&ctx, req, &resp);
      auto t = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
      if (!s.ok()) {
        error = fmt::format("{} {}", static_cast<int>(s.error_code()), s.error_message());
        break;
      }
      found = static_cast<size_t>(resp.devices_size() + resp.agents_size());
      if (i >= warmup) us.push_back(static_cast<uint32_t>(t));
    }
    out += fmt::format(R"({}"{}":{{"query":"{}","found":{},"calls":{},"error":"{}",{}}})",
                       first ? "" : ",", name, query, found, us.size(), error, Json(Summarize(us)));
    first = false;
  }
  std::cout << out << "}}" << std::endl;
  return 0;
}

// ---- ready ------------------------------------------------------------------

int Ready(Flags& flags) {
  const std::string target = flags.Str("target");
  const auto since_ns = static_cast<int64_t>(flags.Num("since-ns", 0));
  const double timeout_s = flags.Num("timeout", 60);
  Fleet fleet(ReadIds(flags.Str("ids")));
  // Retry the connection every few milliseconds, not after gRPC's default
  // backoff of one second and more: that would be measured as start-up time.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 5);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 5);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 20);
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  auto stub = DeviceService::NewStub(channel);
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
  int attempts = 0;
  std::string last;
  while (Clock::now() < deadline) {
    ++attempts;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", fleet.bearer(0));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    ctx.set_wait_for_ready(true);  // wait for the listener instead of failing at once
    CheckInRequest req;
    FillReport(req, fleet.id(0), fleet.NextSequence(0));
    CheckInResponse resp;
    grpc::Status s = stub->CheckIn(&ctx, req, &resp);
    if (s.ok()) {
      const int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
      std::cout << fmt::format(R"({{"mode":"ready","attempts":{},"seconds":{:.3f}}})", attempts,
                               (now_ns - since_ns) / 1e9)
                << std::endl;
      return 0;
    }
    last = s.error_message();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  Die("ready: no successful check-in before the timeout; last error: " + last);
}

// ---- fetch ------------------------------------------------------------------

// --streams concurrent FetchContent calls of the same content by the device of
// --ids line 1, each on its own connection; aggregate and per-stream MB/s.
int Fetch(Flags& flags) {
  const std::string target = flags.Str("target");
  const std::string sha256 = flags.Str("sha256");
  const int streams = static_cast<int>(flags.Num("streams", 1));
  const auto expect = static_cast<int64_t>(flags.Num("expect-bytes", -1));
  Fleet fleet(ReadIds(flags.Str("ids")));
  std::vector<int64_t> bytes(streams, 0), chunks(streams, 0);
  std::vector<double> seconds(streams, 0);
  std::vector<std::string> errors(streams);
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < streams; ++i) {
    threads.emplace_back([&, i] {
      grpc::ChannelArguments args;
      args.SetInt("parc.bench.channel", i);
      args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
      auto stub = DeviceService::NewStub(
          grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", fleet.bearer(0));
      parc::v1::FetchContentRequest req;
      req.set_sha256(sha256);
      auto t0 = Clock::now();
      auto reader = stub->FetchContent(&ctx, req);
      parc::v1::ContentChunk chunk;
      while (reader->Read(&chunk)) {
        bytes[i] += static_cast<int64_t>(chunk.data().size());
        ++chunks[i];
      }
      grpc::Status status = reader->Finish();
      seconds[i] = std::chrono::duration<double>(Clock::now() - t0).count();
      if (!status.ok()) errors[i] = status.error_message();
    });
  }
  for (auto& t : threads) t.join();
  const double total_s = std::chrono::duration<double>(Clock::now() - start).count();
  int64_t total = 0, all_chunks = 0;
  int failed = 0;
  std::string first_error;
  double slowest = 0;
  for (int i = 0; i < streams; ++i) {
    total += bytes[i];
    all_chunks += chunks[i];
    slowest = std::max(slowest, seconds[i]);
    if (!errors[i].empty() || (expect >= 0 && bytes[i] != expect)) {
      ++failed;
      if (first_error.empty()) {
        first_error =
            errors[i].empty() ? fmt::format("{} bytes, expected {}", bytes[i], expect) : errors[i];
      }
    }
  }
  for (char& c : first_error) {
    if (c == '"' || c == '\\') c = '\'';
  }
  std::cout
      << fmt::format(
             R"({{"mode":"fetch","streams":{},"bytes":{},"chunks":{},"seconds":{:.3f},"slowest_s":{:.3f},"mb_per_s":{:.1f},"failed":{},"first_error":"{}"}})",
             streams, total, all_chunks, total_s, slowest, total / 1e6 / total_s, failed,
             first_error)
      << std::endl;
  return failed == 0 ? 0 : 1;
}

// ---- fsync ------------------------------------------------------------------

int Fsync(Flags& flags) {
  const std::string path = flags.Str("path");
  const int count = static_cast<int>(flags.Num("count", 2000));
  const std::string block(static_cast<size_t>(flags.Num("bytes", 12288)), 'x');
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) Die("fsync: cannot open " + path + ": " + std::strerror(errno));
  std::vector<uint32_t> us;
  us.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    // A WAL's pattern: appends, starting over from the file's start now and then.
    if (i % 256 == 0 && ::lseek(fd, 0, SEEK_SET) < 0) Die("fsync: lseek failed");
    const auto start = Clock::now();
    if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()) ||
        ::fdatasync(fd) != 0) {
      Die("fsync: write or fdatasync failed on " + path + ": " + std::strerror(errno));
    }
    us.push_back(static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count()));
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  ::close(fd);
  ::unlink(path.c_str());
  std::cout << fmt::format(R"({{"mode":"fsync","count":{},"bytes":{},{}}})", count, block.size(),
                           Json(Summarize(us)))
            << std::endl;
  return 0;
}

// ---- wakeup -----------------------------------------------------------------

int Wakeup(Flags& flags) {
  const int count = static_cast<int>(flags.Num("count", 2000));
  constexpr auto kSleep = std::chrono::microseconds(500);
  std::vector<uint32_t> us;
  us.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    const auto start = Clock::now();
    std::this_thread::sleep_for(kSleep);
    const auto late = Clock::now() - start - kSleep;
    us.push_back(static_cast<uint32_t>(
        std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(late).count())));
  }
  std::cout << fmt::format(R"({{"mode":"wakeup","count":{},{}}})", count, Json(Summarize(us)))
            << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // As parcd does (daemon/main.cc): no lock-order checking on every absl::Mutex lock.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (argc < 2)
    Die("usage: loadgen seed|checkin|dashboard|ready|fetch|fsync|wakeup --key value ...");
  const std::string mode = argv[1];
  Flags flags(argc, argv);
  if (mode == "seed") return Seed(flags);
  if (mode == "checkin") return CheckIn(flags);
  if (mode == "dashboard") return Dashboard(flags);
  if (mode == "search") return Search(flags);
  if (mode == "ready") return Ready(flags);
  if (mode == "fsync") return Fsync(flags);
  if (mode == "wakeup") return Wakeup(flags);
  if (mode == "fetch") {
    // The receiving side of megabyte messages: with glibc's default, freed
    // buffers go back to the kernel and fault in again for every message
    // (PERFORMANCE.md: a quarter of nginx's speed). The generator measures
    // parcd, not its own allocator.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return Fetch(flags);
  }
  Die("unknown mode '" + mode + "'");
}
