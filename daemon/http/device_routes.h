// The device API over HTTP, for the learner app (/apprendre/, a browser is the
// device client). Each route is one DeviceService RPC called IN-PROCESS
// (grpc::Server::InProcessChannel) with the request's bearer as the call's
// `authorization`, so the Gate, the permission table, validation, the
// check-in pipeline's group commit, logging and metrics are the gRPC code
// itself. Check-ins, the hot path, skip the in-process call and its thread
// hops: DeviceService::CheckInDirect runs the same code on the request. Bodies are the RPC messages
// in protobuf's JSON mapping (camelCase or snake_case names in, camelCase out, zeros printed,
// 64-bit integers as strings, enums by name; unknown fields refused).
//
//   POST /api/v1/device/enroll     EnrollRequest -> EnrollResponse; no bearer
//                                  (the enrollment token is in the body)
//   POST /api/v1/device/check-in   CheckInRequest -> CheckInResponse, once the
//                                  reports are durable
//   POST /api/v1/device/usage      ReportUsageRequest -> ReportUsageResponse
//   POST /api/v1/device/progress   ReportProgressRequest -> ReportProgressResponse
//   POST /api/v1/device/person     LookUpPersonRequest -> LookUpPersonResponse
//                                  (a POST: employee numbers stay out of URLs)
//   GET  /api/v1/device/content    ListAssignedContentResponse
//   GET  /api/v1/device/content/<sha256>   the file's bytes (device_content.h:
//                                  Range requests, 206 / 416)
//
// Every route but enroll needs `Authorization: Bearer <device credential>`.
// POST bodies must be `application/json` (else 415: a page of another site
// cannot post JSON here without a CORS preflight, which parcd never grants;
// the app is served by this same listener, so it needs no CORS at all).
// Errors: HTTP status from status_map.h and the body
// {"code":"UNAUTHENTICATED","message":"..."}; a missing, unknown or revoked
// credential is 401. Rate limits count per client address (kPeerHeader), and
// their refusals are 429 with Retry-After (inprocess_call.h). Bodies over the listener's device
// limit are 413 there; a request over check-in's own limits (reports per call, bytes per report:
// checkin/validate.h) is 413 too, told apart from RESOURCE_EXHAUSTED for load
// (429) by running the same validator before the call. Credentials are never
// logged. Thread-safe.
#pragma once

#include <grpcpp/channel.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "daemon/http/api.h"

namespace parc::service {
class DeviceService;  // daemon/service/device_service.h
}

namespace parc::http {

inline constexpr std::string_view kDevicePrefix = "/api/v1/device/";
// The client's address as the listener saw it (set by the listener on every
// request, whatever the client sent), passed to the in-process call as the
// metadata of the same name by every in-process call (inprocess_call.h): the
// rate limits count per real client, not per "inproc" (service::CallerAddress).
inline constexpr std::string_view kPeerHeader = "x-parc-peer";

class DeviceRoutes {
 public:
  using Done = std::function<void(Response)>;

  // `channel` reaches this process's gRPC server and `devices` is its
  // DeviceService (borrowed: it must outlive this object), which answers
  // check-ins directly; `call_timeout` bounds each call.
  DeviceRoutes(std::shared_ptr<grpc::Channel> channel, service::DeviceService& devices,
               std::chrono::seconds call_timeout);
  ~DeviceRoutes();
  DeviceRoutes(const DeviceRoutes&) = delete;
  DeviceRoutes& operator=(const DeviceRoutes&) = delete;

  // Answers `request` (its path under kDevicePrefix) by calling `done` exactly
  // once, maybe later and on a gRPC thread (a check-in waits for its group
  // commit without holding the caller's thread). `request` need not outlive
  // this call.
  void Handle(const Request& request, Done done);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parc::http
