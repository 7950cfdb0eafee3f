// What parcd answers over HTTP, one request at a time (listener.h owns the
// sockets). Runs on the listener's worker threads, never on the Asio loop: the
// data calls go to the gRPC services IN-PROCESS (grpc::Server::InProcessChannel)
// with the caller's operator token as the bearer, so authentication, the
// permission table, a manager's scope, validation and logging are the gRPC
// code itself; a gRPC status becomes the HTTP status and a JSON error.
//
//   GET  /, /index.html, /assets/..., any other embedded file  the page (ETag)
//   POST /api/v1/session      sign in: form or JSON field `token` -> 204 and the
//                             parc_session cookie (HttpOnly, SameSite=Strict)
//   DELETE /api/v1/session    sign out (204, cookie cleared)
//   GET  /api/v1/whoami       AdminService.WhoAmI (Operator)
//   GET  /api/v1/departments  InventoryService.ListDepartments (names by code)
//   GET  /api/v1/dashboard/allocation-summary | coverage | stale-devices |
//        fleet-health | training-funnel | overdue-loans
//                             DashboardService, query parameters = request
//                             fields (department, site, kind, wave, advisor,
//                             days, limit); protobuf JSON mapping (camelCase,
//                             zeros printed, int64 as strings, enums by name)
//   GET  the same + ".csv"    one table as CSV (csv_tables.h; `by` chooses)
//   /api/v1/device/...        the device API for the learner app, with the
//                             device credential as bearer (device_routes.h)
//   GET  /metrics             Prometheus text (metrics.h), no sign-in
//   GET  /healthz             200 "ok" when the store answers a read, else 503
//
// /api/v1 data needs the session cookie or `Authorization: Bearer <token>`;
// without either: 401. Tokens and session ids are never logged. Thread-safe.
#pragma once

#include <grpcpp/channel.h>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "daemon/checkin/pipeline.h"
#include "daemon/http/metrics.h"
#include "daemon/http/sessions.h"
#include "daemon/store/store.h"

namespace parc::service {
class DeviceService;  // daemon/service/device_service.h
}

namespace parc::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct ApiOptions {
  // A channel to the gRPC server of this process (GrpcServer::InProcessChannel).
  std::shared_ptr<grpc::Channel> channel;
  // That server's DeviceService (Services::device_service), which answers the
  // learner app's check-ins without the in-process call; required.
  service::DeviceService* device_service = nullptr;
  // For /metrics: the check-in pipeline's counters; may be empty.
  std::function<checkin::PipelineCounters()> checkin_counters;
  // For parc_database_size_bytes; "" leaves it out.
  std::string database_path;
  // Adds Secure to the session cookie (also added when the request came
  // through a proxy saying X-Forwarded-Proto: https).
  bool secure_cookies = false;
  Sessions::Options sessions;
  // Deadline of each in-process gRPC call.
  std::chrono::seconds call_timeout{30};
  // For /metrics: the fleet gauges from the dashboards' in-memory index; may
  // be empty (then read from the store).
  std::function<Expected<store::FleetGauges>(int64_t)> fleet_gauges;
};

class Api {
 public:
  // Borrows `store` and `clock` (for /metrics and /healthz), which must outlive
  // this object.
  Api(store::Store& store, const Clock& clock, ApiOptions options);
  ~Api();

  // The complete answer to `request` (status, headers, body; keep-alive and
  // payload size are left to the caller). Counts the status for /metrics.
  Response Handle(const Request& request);
  // The same, answered by calling `done` once, maybe later on another thread:
  // a device check-in waits for its group commit without holding the
  // caller's thread. `request` need not outlive this call.
  void HandleAsync(const Request& request, std::function<void(Response)> done);

  // Counts an answer made elsewhere (the listener's 413 and 431).
  HttpCounters& counters() { return counters_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  HttpCounters counters_;
};

}  // namespace parc::http
