// GET /metrics in the Prometheus text format (version 0.0.4). Counters come
// from the process (check-in pipeline, the Gate's calls by code, HTTP answers
// by status); gauges are read from the store at scrape time (one read
// transaction of grouped counts) plus the size of the database files.
//
// Exposed metrics:
//   parc_checkins_received_total            counter  check-in calls answered
//   parc_checkin_reports_total              counter  reports stored
//   parc_checkin_batches_total{result}      counter  group commits, ok/failed
//   parc_checkin_rejected_total             counter  refused, queue full
//   parc_checkin_latency_seconds            histogram submit -> answer
//   parc_devices{lifecycle}                 gauge    devices by lifecycle
//   parc_devices_enrolled                   gauge
//   parc_devices_stale{days="7"}            gauge    enrolled, silent for 7 days
//   parc_database_size_bytes                gauge    database + WAL files
//   parc_grpc_requests_total{code}          counter  RPCs finished, by gRPC code
//   parc_http_requests_total{code}          counter  HTTP answers, by status
//   parc_http_sessions                      gauge    signed-in page sessions
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "daemon/checkin/pipeline.h"
#include "daemon/store/store.h"

namespace parc::http {

// HTTP answers by status code (100..599). Thread-safe.
class HttpCounters {
 public:
  void Count(unsigned status) {
    if (status >= 100 && status < 600) by_status_[status - 100].fetch_add(1);
  }
  uint64_t Get(unsigned status) const {
    return status >= 100 && status < 600 ? by_status_[status - 100].load() : 0;
  }

 private:
  std::array<std::atomic<uint64_t>, 500> by_status_{};
};

struct MetricsInput {
  checkin::PipelineCounters checkin;
  const HttpCounters* http = nullptr;
  size_t sessions = 0;
  std::string database_path;  // "" skips parc_database_size_bytes
  // The fleet gauges from the dashboards' in-memory index; unset: from SQL.
  std::function<Expected<store::FleetGauges>(int64_t stale_before_ms)> fleet_gauges;
};

// The whole exposition; an error when the store cannot be read.
Expected<std::string> RenderMetrics(store::Store& store, const Clock& clock,
                                    const MetricsInput& input);

}  // namespace parc::http
