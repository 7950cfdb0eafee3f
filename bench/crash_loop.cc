// bench/crash_loop: parcd killed with SIGKILL at random moments while devices
// check in and an operator writes, then restarted, again and again (issue 18).
// At the end: every report parcd acknowledged and every write it answered OK
// is in the database exactly once, with its audit row, and SQLite's
// integrity_check says ok.
//
//   crash_loop --parcd BIN --loadgen BIN [--dir DIR]
//              [--devices 200] [--checkins 10000] [--kills 20] [--seed N]
//
// DIR (default: a new directory under $TMPDIR, removed when every check held)
// must be empty or absent; it receives the data directory (var/), parcd's log
// across every restart (parcd.log) and loadgen seed's ids. Devices are
// enrolled with `loadgen seed` (a credential derived from the id, as the
// benchmarks do). Each device sends, at every check-in, its reports not yet
// acknowledged plus a new one, as parc-agent does; a call that fails is sent
// again later. The operator creates people one after the other (employee
// numbers CRASH000001, ...); a create whose answer was lost and whose retry
// says "already exists" counts as present, not as acknowledged.
//
// Prints one JSON object on stdout; exits 0 when every check held, 1 (each
// failed check on stderr) when one did not, 2 when the run could not be made.
// tests/e2e runs a short loop in ./tests/run.sh; bench/run.sh figure 8 the
// issue's (200 devices, 10,000 check-ins, 20 kills).
#include <fcntl.h>
#include <fmt/format.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/checkin_load.h"
#include "parc/v1/admin.grpc.pb.h"
#include "parc/v1/device.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

[[noreturn]] void Fatal(const std::string& message) {
  std::cerr << "crash_loop: " << message << "\n";
  std::exit(2);
}

// Starts argv with stdout and stderr appended to `log`.
pid_t Spawn(const std::vector<std::string>& argv, const fs::path& log) {
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&files, 1, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &files, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  if (rc != 0) Fatal(fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
  return pid;
}

int WaitExit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) Fatal(fmt::format("waitpid: {}", std::strerror(errno)));
  }
  return status;
}

void RunOrDie(const std::vector<std::string>& argv, const fs::path& log) {
  int status = WaitExit(Spawn(argv, log));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    Fatal(fmt::format("{} {} failed (see {})", argv[0], argv[1], log.string()));
  }
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Fatal("no free loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::string ReadLine(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line) || line.empty()) Fatal("cannot read " + path.string());
  return line;
}

std::shared_ptr<grpc::Channel> Connect(const std::string& target) {
  grpc::ChannelArguments args;
  // parcd comes back within a second: retry the connection as often. (Not the
  // minimum backoff: gRPC also uses it as the connect timeout.)
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
  // A connection of its own (gRPC shares one per target by default, and with
  // it the backoff of the connections that failed while parcd was down).
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // "ipv4:" rather than DNS: no re-resolution delay after a refused connection.
  return grpc::CreateCustomChannel("ipv4:" + target, grpc::InsecureChannelCredentials(), args);
}

void SetDeadline(grpc::ClientContext& ctx, int seconds) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

// What a call gets while parcd is down or restarting: anything else is a finding.
bool WhileRestarting(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
         status.error_code() == grpc::StatusCode::CANCELLED;
}

// parcd, started, killed and restarted on the same data directory and ports.
class Daemon {
 public:
  Daemon(std::string bin, fs::path dir, std::string admin_token)
      : bin_(std::move(bin)), dir_(std::move(dir)), token_(std::move(admin_token)) {
    target_ = fmt::format("127.0.0.1:{}", FreePort());
    http_ = fmt::format("127.0.0.1:{}", FreePort());
  }

  const std::string& target() const { return target_; }

  // Starts parcd and waits until it answers an authenticated call; the time
  // that took. Dies if parcd exits or stays silent for two minutes.
  double Start() {
    const auto begin = Clock::now();
    pid_ = Spawn({bin_, "serve", "--data-dir", (dir_ / "var").string(), "--listen", target_,
                  "--http-listen", http_, "--shutdown-grace-seconds", "5"},
                 dir_ / "parcd.log");
    while (Clock::now() - begin < std::chrono::minutes(2)) {
      // A new channel each time: a failed one waits out gRPC's reconnect backoff.
      auto stub = parc::v1::AdminService::NewStub(Connect(target_));
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        Fatal(fmt::format("parcd exited while starting (start {}, status {}); see {}", starts_ + 1,
                          status, (dir_ / "parcd.log").string()));
      }
      grpc::ClientContext ctx;
      SetDeadline(ctx, 1);
      ctx.AddMetadata("authorization", "Bearer " + token_);
      parc::v1::Operator me;
      if (stub->WhoAmI(&ctx, parc::v1::WhoAmIRequest(), &me).ok()) {
        ++starts_;
        return std::chrono::duration<double>(Clock::now() - begin).count();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Fatal("parcd did not answer within two minutes of its start");
  }

  void Kill() {
    kill(pid_, SIGKILL);
    WaitExit(pid_);
  }

  // SIGTERM; true when parcd exited by itself with status 0.
  bool Stop() {
    kill(pid_, SIGTERM);
    int status = WaitExit(pid_);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

 private:
  std::string bin_;
  fs::path dir_;
  std::string token_;
  std::string target_, http_;
  pid_t pid_ = 0;
  int starts_ = 0;
};

struct Device {
  int64_t id = 0;
  std::string bearer;
  uint64_t base = 0;      // this run's sequences are above it (the demo city has history)
  uint64_t sent = 0;      // highest sequence sent at least once
  uint64_t acked = 0;     // highest acknowledged_through received
  bool retrying = false;  // the last call failed
};

struct Run {
  std::atomic<int64_t> checkins_ok{0}, checkins_failed{0};
  std::atomic<int64_t> writes_failed{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> findings;  // guarded by mu

  void Finding(std::string text) {
    std::lock_guard lock(mu);
    findings.push_back(std::move(text));
  }
};

// Checks in the devices of `mine` in turn until the run stops.
void DeviceLoop(const std::string& target, std::vector<Device>& mine, Run& run) {
  auto stub = parc::v1::DeviceService::NewStub(Connect(target));
  parc::v1::CheckInRequest one, req;
  for (size_t turn = 0; !run.stop.load(); ++turn) {
    Device& d = mine[turn % mine.size()];
    req.Clear();
    // The reports not yet acknowledged, then a new one unless this is a retry
    // (a device measures at its interval, not at every attempt).
    const bool add = !d.retrying && d.sent - d.acked < 500;
    for (uint64_t seq = d.acked + 1; seq <= d.sent + (add ? 1 : 0); ++seq) {
      bench::FillReport(one, d.id, seq);
      req.add_reports()->Swap(one.mutable_reports(0));
    }
    if (add) ++d.sent;
    grpc::ClientContext ctx;
    SetDeadline(ctx, 5);
    ctx.AddMetadata("authorization", d.bearer);
    parc::v1::CheckInResponse resp;
    grpc::Status status = stub->CheckIn(&ctx, req, &resp);
    d.retrying = !status.ok();
    if (!status.ok()) {
      run.checkins_failed.fetch_add(1);
      // Connect again at once, as parc-agent does at its next attempt.
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        stub = parc::v1::DeviceService::NewStub(Connect(target));
      }
      if (!WhileRestarting(status)) {
        run.Finding(fmt::format("device {}: check-in refused with status {}: {}", d.id,
                                static_cast<int>(status.error_code()), status.error_message()));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    if (resp.acknowledged_through() < d.sent) {
      run.Finding(fmt::format("device {}: sent through {}, acknowledged only through {}", d.id,
                              d.sent, resp.acknowledged_through()));
    }
    d.acked = std::max(d.acked, resp.acknowledged_through());
    run.checkins_ok.fetch_add(1);
  }
}

struct Writes {
  std::vector<std::string> acked;    // answered OK
  std::vector<std::string> present;  // answer lost, the retry said ALREADY_EXISTS
};

// Creates people one after the other until the run stops.
Writes OperatorLoop(const std::string& target, const std::string& token,
                    const std::string& department, Run& run) {
  auto stub = parc::v1::InventoryService::NewStub(Connect(target));
  Writes writes;
  bool retry = false;
  for (int n = 1; !run.stop.load();) {
    parc::v1::CreateAgentRequest req;
    auto* agent = req.mutable_agent();
    agent->set_employee_number(fmt::format("CRASH{:06d}", n));
    agent->set_first_name("Camille");
    agent->set_last_name(fmt::format("Essai {}", n));
    agent->set_department(department);
    agent->set_status(parc::v1::AGENT_STATUS_ACTIVE);
    grpc::ClientContext ctx;
    SetDeadline(ctx, 5);
    ctx.AddMetadata("authorization", "Bearer " + token);
    parc::v1::Agent created;
    grpc::Status status = stub->CreateAgent(&ctx, req, &created);
    if (status.ok()) {
      writes.acked.push_back(agent->employee_number());
    } else if (retry && status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      writes.present.push_back(agent->employee_number());
    } else {
      run.writes_failed.fetch_add(1);
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        stub = parc::v1::InventoryService::NewStub(Connect(target));
      }
      if (!WhileRestarting(status)) {
        run.Finding(fmt::format("create {}: refused with status {}: {}", agent->employee_number(),
                                static_cast<int>(status.error_code()), status.error_message()));
      }
      retry = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    retry = false;
    ++n;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return writes;
}

// A read-only view of parcd's database once it has stopped.
class Db {
 public:
  explicit Db(const fs::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      Fatal("cannot open " + path.string());
    }
  }
  ~Db() { sqlite3_close(db_); }

  // The first column of the first row of `sql` with `args` bound (text).
  std::string One(const char* sql, const std::vector<std::string>& args = {}) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) {
      Fatal(fmt::format("{}: {}", sql, sqlite3_errmsg(db_)));
    }
    for (size_t i = 0; i < args.size(); ++i) {
      sqlite3_bind_text(st, static_cast<int>(i + 1), args[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    std::string value;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("kill -9 parcd at random moments under load, then check what it acknowledged");
  std::string parcd, loadgen, dir_text;
  int devices = 200, checkins = 10000, kills = 20;
  unsigned seed = std::random_device()();
  app.add_option("--parcd", parcd, "parcd binary")->required();
  app.add_option("--loadgen", loadgen, "bench/loadgen binary (to enroll the devices)")->required();
  app.add_option("--dir", dir_text, "empty working directory (default: a temporary one)");
  app.add_option("--devices", devices, "devices checking in")->check(CLI::Range(1, 100000));
  app.add_option("--checkins", checkins, "acknowledged check-ins in all")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--kills", kills, "times parcd is killed")->check(CLI::Range(0, 1000));
  app.add_option("--seed", seed, "random seed (printed, to replay a run)");
  CLI11_PARSE(app, argc, argv);

  const bool temporary = dir_text.empty();
  if (temporary) {
    std::string pattern = (fs::temp_directory_path() / "parc-crash-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) Fatal("cannot create a temporary directory");
    dir_text = pattern;
  }
  const fs::path dir = dir_text;
  fs::create_directories(dir);
  if (!fs::is_empty(dir)) Fatal("--dir: " + dir.string() + " is not empty");
  const fs::path log = dir / "parcd.log", var = dir / "var", db_path = var / "parc.db";
  const auto begin = Clock::now();

  // A small demo city whose first `devices` devices are enrolled.
  RunOrDie({parcd, "init", "--data-dir", var.string(), "--demo", "city", "--demo-staff",
            std::to_string(std::max(devices, 100)), "--demo-devices", std::to_string(devices),
            "--demo-sites", "10"},
           log);
  RunOrDie({loadgen, "seed", "--db", db_path.string(), "--devices", std::to_string(devices),
            "--ids", (dir / "ids").string()},
           dir / "seed.log");
  const std::string token = ReadLine(var / "admin.token");
  std::string department = Db(db_path).One("SELECT department FROM agents LIMIT 1");
  if (department.empty()) Fatal("the demo city has no department");

  // Sequences above any of the demo city's, as parc-agent's are (microseconds).
  const auto base = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
  std::vector<Device> fleet;
  for (int64_t id : bench::ReadIds((dir / "ids").string())) {
    fleet.push_back({.id = id,
                     .bearer = "Bearer " + bench::Credential(id),
                     .base = base,
                     .sent = base,
                     .acked = base});
  }

  Daemon daemon(parcd, dir, token);
  std::vector<double> restarts;
  daemon.Start();

  Run run;
  constexpr int kThreads = 4;
  std::vector<std::vector<Device>> shares(kThreads);
  for (size_t i = 0; i < fleet.size(); ++i) shares[i % kThreads].push_back(fleet[i]);
  std::vector<std::thread> threads;
  for (auto& share : shares) {
    if (!share.empty()) {
      threads.emplace_back([&daemon, &share, &run] { DeviceLoop(daemon.target(), share, run); });
    }
  }
  Writes writes;
  std::thread op([&] { writes = OperatorLoop(daemon.target(), token, department, run); });

  // The kills, at random numbers of acknowledged check-ins, each a random few
  // milliseconds later (mid-batch, mid-commit, mid-checkpoint: wherever it falls).
  std::mt19937 rng(seed);
  std::vector<int64_t> at(kills);
  std::uniform_int_distribution<int64_t> when(checkins / 20, checkins - checkins / 20);
  for (auto& a : at) a = when(rng);
  std::sort(at.begin(), at.end());
  std::uniform_int_distribution<int> jitter_ms(0, 40);
  for (int64_t a : at) {
    while (run.checkins_ok.load() < a) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter_ms(rng)));
    daemon.Kill();
    restarts.push_back(daemon.Start());
  }
  while (run.checkins_ok.load() < checkins) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  run.stop = true;
  for (auto& t : threads) t.join();
  op.join();
  const bool clean_stop = daemon.Stop();

  // What parcd acknowledged, against what its database holds.
  Db db(db_path);
  std::vector<std::string> failed = run.findings;
  if (!clean_stop) failed.push_back("parcd did not exit 0 on SIGTERM at the end");
  const std::string integrity = db.One("PRAGMA integrity_check");
  if (integrity != "ok") failed.push_back("integrity_check: " + integrity);
  int64_t acked_reports = 0, stored_reports = 0, report_problems = 0, write_problems = 0;
  for (auto& share : shares) {
    for (const Device& d : share) {
      const std::string id = std::to_string(d.id);
      const int64_t below = std::stoll(
          db.One("SELECT COUNT(*) FROM device_reports WHERE device_id = ?1 AND sequence > ?2"
                 " AND sequence <= ?3",
                 {id, std::to_string(d.base), std::to_string(d.acked)}));
      const int64_t all = std::stoll(
          db.One("SELECT COUNT(*) FROM device_reports WHERE device_id = ?1 AND sequence > ?2",
                 {id, std::to_string(d.base)}));
      const int64_t above_sent = std::stoll(
          db.One("SELECT COUNT(*) FROM device_reports WHERE device_id = ?1 AND sequence > ?2",
                 {id, std::to_string(d.sent)}));
      const auto acked = static_cast<int64_t>(d.acked - d.base);
      acked_reports += acked;
      stored_reports += all;
      if (below != acked || above_sent != 0) ++report_problems;
      if (below != acked) {
        failed.push_back(fmt::format("device {}: {} reports acknowledged, {} of them stored", d.id,
                                     acked, below));
      }
      if (above_sent != 0) {
        failed.push_back(
            fmt::format("device {}: {} stored reports were never sent", d.id, above_sent));
      }
    }
  }
  auto check_person = [&](const std::string& number) {
    const std::string rows =
        db.One("SELECT COUNT(*) FROM agents WHERE employee_number = ?1", {number});
    const std::string audits =
        db.One("SELECT COUNT(*) FROM audit_events WHERE action = 'agent.create' AND target = ?1",
               {"agent:" + number});
    if (rows != "1" || audits != "1") {
      ++write_problems;
      failed.push_back(
          fmt::format("{}: {} rows, {} audit rows (1 and 1 expected)", number, rows, audits));
    }
  };
  for (const std::string& n : writes.acked) check_person(n);
  for (const std::string& n : writes.present) check_person(n);
  // Nothing written without its audit row, acknowledged or not.
  const std::string unaudited = db.One(
      "SELECT COUNT(*) FROM agents a WHERE employee_number LIKE 'CRASH%' AND NOT EXISTS"
      " (SELECT 1 FROM audit_events e WHERE e.action = 'agent.create'"
      "  AND e.target = 'agent:' || a.employee_number)");
  if (unaudited != "0") {
    write_problems += std::stoll(unaudited);
    failed.push_back(unaudited + " people created without an audit row");
  }

  std::sort(restarts.begin(), restarts.end());
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  std::cout
      << fmt::format(
             R"({{"mode":"crash_loop","seed":{},"devices":{},"kills":{},)"
             R"("checkins_ok":{},"checkins_failed":{},"reports_acknowledged":{},)"
             R"("reports_stored":{},"devices_with_report_problems":{},"writes_acknowledged":{},)"
             R"("writes_present_unacknowledged":{},"writes_failed":{},"write_problems":{},)"
             R"("restart_p50_s":{:.3f},"restart_max_s":{:.3f},)"
             R"("integrity":"{}","failed_checks":{},"seconds":{:.1f}}})",
             seed, fleet.size(), kills, run.checkins_ok.load(), run.checkins_failed.load(),
             acked_reports, stored_reports, report_problems, writes.acked.size(),
             writes.present.size(), run.writes_failed.load(), write_problems,
             restarts.empty() ? 0 : restarts[restarts.size() / 2],
             restarts.empty() ? 0 : restarts.back(), integrity, failed.size(), seconds)
      << std::endl;
  for (const std::string& f : failed) std::cerr << "crash_loop: FAILED: " << f << "\n";
  if (!failed.empty()) {
    std::cerr << "crash_loop: the data directory and parcd's log are kept in " << dir << "\n";
    return 1;
  }
  if (temporary) fs::remove_all(dir);
  return 0;
}
