#include "agent_client/commands.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <cctype>
#include <ostream>
#include <random>

#include "agent_client/collect/linux/linux_collector.h"
#include "agent_client/content/background.h"
#include "agent_client/content/content_store.h"
#include "agent_client/content/content_sync.h"
#include "agent_client/grpc_transport.h"
#include "agent_client/loop.h"
#include "agent_client/progress/progress_queue.h"
#include "agent_client/queue/report_queue.h"
#include "agent_client/state.h"
#include "agent_client/wake.h"
#include "common/clock.h"
#include "common/enrollment_url.h"
#include "common/i18n.h"
#include "common/logging.h"
#include "common/time.h"

namespace parc::agent {
namespace {

v1::DeviceKind KindOf(const std::string& name) {
  if (name == "tablet") return v1::DEVICE_KIND_TABLET;
  if (name == "smartphone") return v1::DEVICE_KIND_SMARTPHONE;
  if (name == "shared_pc") return v1::DEVICE_KIND_SHARED_PC;
  return v1::DEVICE_KIND_UNSPECIFIED;
}

Expected<v1::EnrollRequest> EnrollRequestFor(const Globals& globals, const EnrollOptions& options) {
  // The raw token, or the enrollment URL its QR code holds.
  const std::string token = EnrollmentTokenOf(options.token);
  if (token.empty()) {
    return InvalidArgument("token", "required: pass --token or set PARC_AGENT_TOKEN");
  }
  DeviceIdentity identity = ReadIdentity(globals.root);
  if (!options.serial.empty()) identity.serial = options.serial;
  if (identity.serial.empty()) {
    return InvalidArgument("serial", "none found in dmi or machine-id: pass --serial");
  }
  v1::EnrollRequest request;
  request.set_token(token);
  request.set_serial(identity.serial);
  request.set_model(identity.model);
  request.set_os(identity.os);
  request.set_kind(KindOf(options.kind));
  request.set_hostname(identity.hostname);
  return request;
}

Status RefuseIfEnrolled(const StateDir& state) {
  auto existing = state.LoadEnrollment();
  if (!existing) return Ok();
  return FailedPrecondition(
      fmt::format("already enrolled as device {} with {}: pass --force to enroll again",
                  existing->device_id, existing->server));
}

bool IsValidEmployeeNumber(const std::string& text) {
  if (text.empty() || text.size() > 64) return false;
  for (unsigned char c : text) {
    if (c <= ' ' || c == 0x7f) return false;
  }
  return true;
}

// Asks the server whether `employee_number` is someone, so that a mistyped
// badge number is said at once instead of recorded against nobody. Answers
// NOT_FOUND for an unknown number; Ok (with a greeting printed) for a known
// one, and Ok when the question cannot be asked (not enrolled, offline): the
// login is then queued as before and the server flags an unknown number when
// it arrives (UsageSession.unknown_person).
constexpr std::chrono::seconds kLookUpTimeout{3};

Status CheckPerson(StateDir& state, const std::string& employee_number, Io& io) {
  auto enrollment = state.LoadEnrollment();
  if (!enrollment) return Ok();
  auto transport =
      GrpcTransport::Connect(enrollment->server, enrollment->ca_path, enrollment->credential);
  if (!transport) return Ok();
  auto answer = (*transport)->LookUpPerson(employee_number, kLookUpTimeout);
  if (!answer) {
    io.out << Tr("(the server did not answer: the number is checked when it does)") << '\n';
    return Ok();
  }
  if (!answer->known()) {
    return NotFound(
        TrF("{}: no one has this employee number. Check the number on your badge. "
            "Nothing was recorded.",
            employee_number));
  }
  io.out << TrF("Hello {}.", answer->first_name()) << '\n';
  return Ok();
}

Expected<uint64_t> QueueUsage(ReportQueue& queue, const std::string& employee_number, bool login) {
  v1::Report report;
  report.mutable_usage()->set_employee_number(employee_number);
  report.mutable_usage()->set_login(login);
  return queue.Append(std::move(report));
}

}  // namespace

Status Enroll(const Globals& globals, const EnrollOptions& options, Io& io) {
  StateDir state(globals.state_dir);
  if (!options.force) PARC_TRY(RefuseIfEnrolled(state));
  PARC_ASSIGN_OR_RETURN(v1::EnrollRequest request, EnrollRequestFor(globals, options));
  std::string ca = options.ca.empty() ? "" : std::filesystem::absolute(options.ca).string();
  PARC_ASSIGN_OR_RETURN(auto transport, GrpcTransport::Connect(options.server, ca, ""));
  auto response = transport->Enroll(request);
  if (!response) {
    return Fail(response.error().code, TrF("{0}: {1}", Tr("enrollment"), response.error().message));
  }
  PARC_TRY(
      state.SaveEnrollment({options.server, response->device_id(), ca, response->credential()}));
  Logger("agent")->info("enrolled device_id={} serial={} server={}", response->device_id(),
                        request.serial(), options.server);
  io.out << response->device_id() << '\n';
  return Ok();
}

Status Run(const Globals& globals, const RunOptions& options, Io& io) {
  StateDir state(globals.state_dir);
  PARC_ASSIGN_OR_RETURN(Enrollment enrollment, state.LoadEnrollment());
  SystemClock clock;
  PARC_ASSIGN_OR_RETURN(auto queue, ReportQueue::Open(state.queue_dir(), clock));
  PARC_ASSIGN_OR_RETURN(auto progress, ProgressQueue::Open(state.progress_dir()));
  ContentStore content(state.content_dir());
  PARC_TRY(content.Create());
  LinuxCollector collector({globals.root, globals.root, PARC_VERSION});
  SeededRandom random(std::random_device{}());
  // Before the transport: its destructor waits for replies that post here.
  boost::asio::io_context io_context(1);
  PARC_ASSIGN_OR_RETURN(
      auto transport,
      GrpcTransport::Connect(enrollment.server, enrollment.ca_path, enrollment.credential));
  CheckInLoop loop(io_context, {collector, *queue, *transport, state, clock, random});
  ContentSync sync(content, *transport, clock,
                   {options.max_downloads, options.bytes_per_second, 3,
                    std::chrono::seconds(options.verify_seconds)});
  // Declared after the transport: stopped (its threads joined) before it goes.
  Background background(sync, *progress, *transport);
  loop.OnCheckIn([&background](const v1::CheckInResponse& response) {
    background.OnCheckIn(response.content_revision());
  });
  auto wake = WakeWatcher::Watch(io_context, state.path(), [&loop] { loop.SendSoon(); });
  if (!wake) Logger("agent")->warn("no early check-in on login error={}", wake.error().message);
  loop.OnStop([&wake, &background] {
    if (wake) (*wake)->Stop();
    background.Stop();
  });
  Logger("agent")->info(
      "running version={} device_id={} server={} state_dir={} max_downloads={} bandwidth={}",
      PARC_VERSION, enrollment.device_id, enrollment.server, globals.state_dir.string(),
      options.max_downloads, options.bytes_per_second);
  background.Start();
  RunUntilSignal(io_context, loop);
  background.Stop();
  Logger("agent")->info("stopped");
  return Ok();
}

Status PrintStatus(const Globals& globals, Io& io) {
  StateDir state(globals.state_dir);
  auto enrollment = state.LoadEnrollment();
  if (enrollment) {
    io.out << "server: " << enrollment->server << '\n'
           << "device id: " << enrollment->device_id << '\n';
  } else {
    io.out << "enrolled: no (" << enrollment.error().message << ")\n";
  }
  LastCheckIn last = state.LoadLastCheckIn();
  if (last.at_ms == 0) {
    io.out << "last check-in: never\n";
  } else {
    io.out << "last check-in: " << FormatInstant(last.at_ms)
           << (last.ok ? " ok" : " failed: " + last.message) << '\n';
  }
  io.out << "current user: " << state.LoadCurrentUser().value_or("(none)") << '\n';
  SystemClock clock;
  PARC_ASSIGN_OR_RETURN(auto queue, ReportQueue::Open(state.queue_dir(), clock));
  PARC_ASSIGN_OR_RETURN(QueueStats stats, queue->Stats());
  io.out << "queue length: " << stats.length << '\n'
         << "dropped: " << stats.dropped << '\n'
         << "next sequence: " << stats.next_sequence << '\n';
  ContentStore content(state.content_dir());
  SyncState synced = content.LoadSyncState();
  io.out << "content revision: " << synced.revision << '\n';
  if (auto list = content.LoadModules(); list && *list) {
    int items = 0, cached = 0;
    for (const auto& module : (*list)->modules()) {
      for (const auto& item : module.items()) {
        ++items;
        cached += content.IsCached(item) ? 1 : 0;
      }
    }
    io.out << "modules: " << (*list)->modules_size() << " (" << cached << " of " << items
           << " items downloaded)\n";
  }
  PARC_ASSIGN_OR_RETURN(auto progress, ProgressQueue::Open(state.progress_dir()));
  PARC_ASSIGN_OR_RETURN(size_t waiting, progress->Length());
  io.out << "progress events waiting: " << waiting << '\n';
  return Ok();
}

Status RecordUsage(const Globals& globals, std::optional<std::string> employee_number, Io& io) {
  // Employee numbers are upper case everywhere (the server normalizes them so).
  if (employee_number) {
    for (char& c : *employee_number)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (employee_number && !IsValidEmployeeNumber(*employee_number)) {
    return InvalidArgument("EMPLOYEE_NUMBER", "1 to 64 characters, no spaces");
  }
  StateDir state(globals.state_dir);
  PARC_TRY(state.Create());
  std::optional<std::string> current = state.LoadCurrentUser();
  if (employee_number && current != employee_number) {
    PARC_TRY(CheckPerson(state, *employee_number, io));
  }
  SystemClock clock;
  PARC_ASSIGN_OR_RETURN(auto queue, ReportQueue::Open(state.queue_dir(), clock));
  if (!employee_number && !current) return FailedPrecondition("nobody is logged in");
  // A login over someone else's session closes theirs first.
  if (current && current != employee_number) {
    PARC_ASSIGN_OR_RETURN(uint64_t sequence, QueueUsage(*queue, *current, false));
    io.out << fmt::format("logout of {} queued (sequence {})\n", *current, sequence);
  }
  if (employee_number && current != employee_number) {
    PARC_ASSIGN_OR_RETURN(uint64_t sequence, QueueUsage(*queue, *employee_number, true));
    io.out << fmt::format("login of {} queued (sequence {})\n", *employee_number, sequence);
  }
  PARC_TRY(state.SaveCurrentUser(employee_number));
  TouchWakeFile(state.path());  // the running agent sends it now
  return Ok();
}

}  // namespace parc::agent
