// The logistics desk's routes (/api/v1/desk/...), mapped from the gRPC services
// exactly as the dashboard's: each is one in-process call with the caller's
// operator token as the bearer, so the Gate, the permission table (logistics
// and admin write; others get 403), validation and audit are the services'
// own. Nothing here touches the store.
//
//   GET  csrf                  {"csrf": token of this cookie session}
//   GET  search?query=&limit=  InventoryService.Search
//   GET  device?device=        InventoryService.GetDeviceStatus
//   GET  history?device=       AllocationService.GetDeviceHistory
//   GET  agent?employee_number=  InventoryService.GetAgent
//   GET  allocations?...       AllocationService.ListAllocations
//   GET  sites?...             InventoryService.ListSites
//   GET  skills?employee_number=    TrainingService.ListSkillAssessments
//   GET  progress?employee_number=  TrainingService.ListProgress
//   GET  overdue-loans?...     DashboardService.OverdueLoans
//   GET  receipts?device=      AllocationService.ListReceipts
//   GET  receipt-file?sha256=  AllocationService.GetReceiptFile, as the file itself
//                              (Content-Disposition: attachment, its French name)
//   POST assign                AllocationService.Assign (JSON AssignRequest)
//   POST return                AllocationService.Return (JSON ReturnRequest)
//   POST receipt               AllocationService.StoreReceipt (JSON, files in base64;
//                              the listener allows this route a larger body)
//   POST lifecycle             InventoryService.SetDeviceLifecycle (retire, repair...)
//   POST enrollment-token      InventoryService.CreateEnrollmentToken
//   POST import-devices?dry_run=true|false   ImportDevices, body: the CSV itself
//   POST import-agents?dry_run=true|false    ImportAgents, body: the CSV itself
//
// CSRF: a write made with the session cookie must carry X-Parc-Csrf equal to
// the session's CSRF token (GET csrf; derived from the secret session id, so a
// page of another site can neither read nor guess it) and, when the browser
// sends one, an Origin naming this server; otherwise 403 and nothing is
// called. A write with an Authorization header needs neither: browsers never
// add that header by themselves. Thread-safe.
#pragma once

#include <grpcpp/channel.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/http/api.h"
#include "daemon/http/api_helpers.h"

namespace parc::http {

class DeskRoutes {
 public:
  static constexpr std::string_view kPrefix = "/api/v1/desk/";
  // The one desk route with a large body: a signed receipt (a PDF of at most
  // 2 MiB and a PNG of at most 512 KiB, in base64 inside JSON).
  static constexpr std::string_view kReceiptPath = "/api/v1/desk/receipt";
  // A staff or device file dropped on the desk: the city's 6,500 staff are
  // ~0.5 MB of CSV; 8 MiB stays under gRPC's message cap (max_message_bytes).
  static constexpr std::string_view kImportPrefix = "/api/v1/desk/import-";
  static constexpr size_t kImportBodyLimit = size_t{8} * 1024 * 1024;
  static constexpr size_t kReceiptBodyLimit = size_t{4} * 1024 * 1024;

  DeskRoutes(std::shared_ptr<grpc::Channel> channel, std::chrono::seconds call_timeout);
  ~DeskRoutes();

  // `path` starts with kPrefix; `token` is the caller's (already resolved);
  // `session_id` is the cookie session's id when the token came from the
  // cookie, "" when it came from an Authorization header.
  Response Handle(const Request& req, std::string_view path, const Query& query,
                  const std::string& token, std::string_view session_id);

  // The CSRF token of session `session_id`.
  static std::string CsrfFor(std::string_view session_id);

 private:
  struct Stubs;
  std::unique_ptr<Stubs> stubs_;
  std::chrono::seconds call_timeout_;
};

}  // namespace parc::http
