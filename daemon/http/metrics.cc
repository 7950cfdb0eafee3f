#include "daemon/http/metrics.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "daemon/domain/dashboard.h"
#include "daemon/domain/records.h"
#include "daemon/http/status_map.h"
#include "daemon/service/gate.h"

namespace parc::http {
namespace {

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// Prometheus float text: shortest round-trip form.
std::string Float(double v) { return fmt::format("{}", v); }

uint64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(size);
}

}  // namespace

Expected<std::string> RenderMetrics(store::Store& store, const Clock& clock,
                                    const MetricsInput& input) {
  std::map<std::string, int64_t> by_lifecycle;
  int64_t enrolled = 0, stale = 0;
  const int64_t now = clock.NowMs();
  const int64_t stale_before = now - int64_t{domain::kDefaultStaleDays} * 24 * 3600 * 1000;
  for (int l = v1::Lifecycle_MIN; l <= v1::Lifecycle_MAX; ++l) {
    if (v1::Lifecycle_IsValid(l) && l != v1::LIFECYCLE_UNSPECIFIED) {
      by_lifecycle[std::string(domain::LifecycleName(static_cast<v1::Lifecycle>(l)))] = 0;
    }
  }
  store::FleetGauges fleet;
  if (input.fleet_gauges) {
    PARC_ASSIGN_OR_RETURN(fleet, input.fleet_gauges(stale_before));
  } else {
    PARC_TRY(store.Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(fleet, r.dashboard().CountFleet(stale_before));
      return Ok();
    }));
  }
  for (const auto& [lifecycle, n] : fleet.by_lifecycle) {
    by_lifecycle[std::string(domain::LifecycleName(lifecycle))] += n;
  }
  enrolled = fleet.enrolled;
  stale = fleet.stale;

  std::string out;
  const auto& c = input.checkin;
  Header(out, "parc_checkins_received_total", "counter", "Check-in calls answered.");
  out += fmt::format("parc_checkins_received_total {}\n", c.calls);
  Header(out, "parc_checkin_reports_total", "counter", "Device reports stored by check-ins.");
  out += fmt::format("parc_checkin_reports_total {}\n", c.reports);
  Header(out, "parc_checkin_batches_total", "counter", "Group commits of check-ins, by result.");
  out +=
      fmt::format("parc_checkin_batches_total{{result=\"ok\"}} {}\n", c.batches - c.failed_batches);
  out += fmt::format("parc_checkin_batches_total{{result=\"failed\"}} {}\n", c.failed_batches);
  Header(out, "parc_checkin_rejected_total", "counter",
         "Check-ins refused because the queue was full.");
  out += fmt::format("parc_checkin_rejected_total {}\n", c.rejected_full);
  Header(out, "parc_checkin_latency_seconds", "histogram",
         "Time from a check-in's arrival to its answer (queue and commit).");
  for (size_t i = 0; i < LatencyHistogram::kBounds.size(); ++i) {
    out += fmt::format("parc_checkin_latency_seconds_bucket{{le=\"{}\"}} {}\n",
                       Float(LatencyHistogram::kBounds[i]), c.latency.cumulative[i]);
  }
  out += fmt::format("parc_checkin_latency_seconds_bucket{{le=\"+Inf\"}} {}\n", c.latency.count);
  out += fmt::format("parc_checkin_latency_seconds_sum {}\n", Float(c.latency.sum_seconds));
  out += fmt::format("parc_checkin_latency_seconds_count {}\n", c.latency.count);

  Header(out, "parc_devices", "gauge", "Devices by lifecycle.");
  for (const auto& [lifecycle, n] : by_lifecycle) {
    out += fmt::format("parc_devices{{lifecycle=\"{}\"}} {}\n", lifecycle, n);
  }
  Header(out, "parc_devices_enrolled", "gauge", "Devices with an active enrollment.");
  out += fmt::format("parc_devices_enrolled {}\n", enrolled);
  Header(out, "parc_devices_stale", "gauge",
         "Enrolled devices silent for the given number of days, or never seen.");
  out += fmt::format("parc_devices_stale{{days=\"{}\"}} {}\n", domain::kDefaultStaleDays, stale);
  if (!input.database_path.empty()) {
    Header(out, "parc_database_size_bytes", "gauge", "Size of the database and its WAL file.");
    out += fmt::format("parc_database_size_bytes {}\n",
                       FileSize(input.database_path) + FileSize(input.database_path + "-wal"));
  }

  Header(out, "parc_grpc_requests_total", "counter", "gRPC calls finished, by status code.");
  auto calls = service::Gate::CallsByCode();
  for (size_t i = 0; i < calls.size(); ++i) {
    out += fmt::format("parc_grpc_requests_total{{code=\"{}\"}} {}\n",
                       GrpcCodeName(static_cast<grpc::StatusCode>(i)), calls[i]);
  }
  Header(out, "parc_http_requests_total", "counter", "HTTP requests answered, by status.");
  if (input.http) {
    for (unsigned status = 100; status < 600; ++status) {
      uint64_t n = input.http->Get(status);
      if (n > 0) out += fmt::format("parc_http_requests_total{{code=\"{}\"}} {}\n", status, n);
    }
  }
  Header(out, "parc_http_sessions", "gauge", "Signed-in dashboard sessions.");
  out += fmt::format("parc_http_sessions {}\n", input.sessions);
  return out;
}

}  // namespace parc::http
