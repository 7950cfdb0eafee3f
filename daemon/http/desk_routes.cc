#include "daemon/http/desk_routes.h"

#include <grpcpp/grpcpp.h>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "common/crypto.h"
#include "daemon/http/inprocess_call.h"
#include "daemon/http/proto_json.h"
#include "parc/v1/allocation.grpc.pb.h"
#include "parc/v1/dashboard.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"
#include "parc/v1/training.grpc.pb.h"

namespace parc::http {

namespace bh = boost::beast::http;

struct DeskRoutes::Stubs {
  std::unique_ptr<v1::InventoryService::Stub> inventory;
  std::unique_ptr<v1::AllocationService::Stub> allocation;
  std::unique_ptr<v1::TrainingService::Stub> training;
  std::unique_ptr<v1::DashboardService::Stub> dashboard;
};

namespace {

constexpr std::string_view kCsrfHeader = "X-Parc-Csrf";

std::string_view Header(const Request& req, std::string_view name) {
  auto it = req.find(boost::beast::string_view(name.data(), name.size()));
  if (it == req.end()) return {};
  return {it->value().data(), it->value().size()};
}

Response Forbidden(std::string_view why) {
  return JsonError(bh::status::forbidden, "PERMISSION_DENIED", why);
}

// One in-process call: `request` as built, the caller's token as the bearer.
template <typename Stub, typename Req, typename Resp>
Response Call(Stub& stub, grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*),
              const Req& request, const Request& req, const std::string& token,
              std::chrono::seconds timeout) {
  grpc::ClientContext ctx;
  PrepareCall(ctx, req, token, timeout);
  Resp response;
  grpc::Status status = (stub.*rpc)(&ctx, request, &response);
  if (!status.ok()) return FromGrpc(status, ctx);
  return Json(bh::status::ok, PrintJson(response));
}

// The request of a GET: its query parameters.
template <typename Req>
Expected<Req> FromQuery(const Query& query) {
  Req request;
  PARC_TRY(FillRequest(request, query));
  return request;
}

// The request of a POST: its JSON body (protobuf's mapping; unknown fields refused).
template <typename Req>
Expected<Req> FromBody(const Request& req) {
  Req request;
  std::string_view body = req.body();
  PARC_TRY(ParseJson(body.empty() ? std::string_view("{}") : body, request));
  return request;
}

// A CSV import: the body is the file, ?dry_run=true|false (default true: a
// page must ask explicitly for the writing one).
Expected<v1::ImportRequest> ImportFrom(const Request& req, const Query& query) {
  v1::ImportRequest request;
  request.set_csv(req.body());
  auto dry = query.find("dry_run");
  if (dry == query.end() || dry->second == "true" || dry->second == "1") {
    request.set_dry_run(true);
  } else if (dry->second == "false" || dry->second == "0") {
    request.set_dry_run(false);
  } else {
    return InvalidArgument("dry_run", "true or false");
  }
  return request;
}

// A receipt's file as a download for the paper file: its own type, and a
// file name the server chose (letters, digits, '-', '_' and '.': no quoting
// issue).
Response ReceiptDownload(v1::AllocationService::Stub& stub,
                         const v1::GetReceiptFileRequest& request, const Request& req,
                         const std::string& token, std::chrono::seconds timeout) {
  grpc::ClientContext ctx;
  PrepareCall(ctx, req, token, timeout);
  v1::ReceiptFile file;
  grpc::Status status = stub.GetReceiptFile(&ctx, request, &file);
  if (!status.ok()) return FromGrpc(status, ctx);
  Response resp = Make(bh::status::ok, file.content_type(), std::move(*file.mutable_data()));
  resp.set(bh::field::content_disposition, "attachment; filename=\"" + file.file_name() + "\"");
  resp.set(bh::field::cache_control, "private, no-store");
  return resp;
}

}  // namespace

DeskRoutes::DeskRoutes(std::shared_ptr<grpc::Channel> channel, std::chrono::seconds call_timeout)
    : stubs_(std::make_unique<Stubs>(
          Stubs{v1::InventoryService::NewStub(channel), v1::AllocationService::NewStub(channel),
                v1::TrainingService::NewStub(channel), v1::DashboardService::NewStub(channel)})),
      call_timeout_(call_timeout) {}

DeskRoutes::~DeskRoutes() = default;

std::string DeskRoutes::CsrfFor(std::string_view session_id) {
  return Sha256Hex("parc-desk-csrf\n" + std::string(session_id));
}

Response DeskRoutes::Handle(const Request& req, std::string_view path, const Query& query,
                            const std::string& token, std::string_view session_id) {
  std::string_view name = path.substr(kPrefix.size());
  const bool get = req.method() == bh::verb::get || req.method() == bh::verb::head;
  const bool post = req.method() == bh::verb::post;
  auto& s = *stubs_;
  auto call = [&](auto& stub, auto rpc, const auto& request) {
    return Call(stub, rpc, request, req, token, call_timeout_);
  };
#define PARC_DESK_GET(route, stub, Svc, Rpc, Req)                                            \
  if (name == route) {                                                                       \
    if (!get) return JsonError(bh::status::method_not_allowed, "METHOD_NOT_ALLOWED", "GET"); \
    auto request = FromQuery<v1::Req>(query);                                                \
    if (!request) return BadRequest(request.error());                                        \
    return call(*s.stub, &v1::Svc::Stub::Rpc, *request);                                     \
  }
  if (name == "csrf") {
    if (!get) return JsonError(bh::status::method_not_allowed, "METHOD_NOT_ALLOWED", "GET");
    if (session_id.empty()) return Json(bh::status::ok, "{\"csrf\":\"\"}");
    return Json(bh::status::ok, "{\"csrf\":\"" + CsrfFor(session_id) + "\"}");
  }
  PARC_DESK_GET("search", inventory, InventoryService, Search, SearchRequest)
  PARC_DESK_GET("device", inventory, InventoryService, GetDeviceStatus, GetDeviceStatusRequest)
  PARC_DESK_GET("agent", inventory, InventoryService, GetAgent, GetAgentRequest)
  PARC_DESK_GET("sites", inventory, InventoryService, ListSites, ListSitesRequest)
  PARC_DESK_GET("history", allocation, AllocationService, GetDeviceHistory, GetDeviceHistoryRequest)
  PARC_DESK_GET("allocations", allocation, AllocationService, ListAllocations,
                ListAllocationsRequest)
  PARC_DESK_GET("skills", training, TrainingService, ListSkillAssessments,
                ListSkillAssessmentsRequest)
  PARC_DESK_GET("progress", training, TrainingService, ListProgress, ListProgressRequest)
  PARC_DESK_GET("overdue-loans", dashboard, DashboardService, OverdueLoans, OverdueLoansRequest)
  PARC_DESK_GET("receipts", allocation, AllocationService, ListReceipts, ListReceiptsRequest)
#undef PARC_DESK_GET
  if (name == "receipt-file") {
    if (!get) return JsonError(bh::status::method_not_allowed, "METHOD_NOT_ALLOWED", "GET");
    auto request = FromQuery<v1::GetReceiptFileRequest>(query);
    if (!request) return BadRequest(request.error());
    return ReceiptDownload(*s.allocation, *request, req, token, call_timeout_);
  }

  // Writes.
  if (!post) {
    Response resp = JsonError(bh::status::method_not_allowed, "METHOD_NOT_ALLOWED",
                              "no such endpoint, or POST only");
    resp.set(bh::field::allow, "POST");
    return resp;
  }
  if (!session_id.empty()) {
    if (!SameOrigin(req)) return Forbidden("write from another site refused");
    if (!ConstantTimeEquals(Header(req, kCsrfHeader), CsrfFor(session_id))) {
      return Forbidden("missing or wrong X-Parc-Csrf header; reload the page");
    }
  }
#define PARC_DESK_POST(route, stub, Svc, Rpc, make)      \
  if (name == route) {                                   \
    auto request = make;                                 \
    if (!request) return BadRequest(request.error());    \
    return call(*s.stub, &v1::Svc::Stub::Rpc, *request); \
  }
  PARC_DESK_POST("assign", allocation, AllocationService, Assign, FromBody<v1::AssignRequest>(req))
  PARC_DESK_POST("return", allocation, AllocationService, Return, FromBody<v1::ReturnRequest>(req))
  PARC_DESK_POST("receipt", allocation, AllocationService, StoreReceipt,
                 FromBody<v1::StoreReceiptRequest>(req))
  PARC_DESK_POST("lifecycle", inventory, InventoryService, SetDeviceLifecycle,
                 FromBody<v1::SetDeviceLifecycleRequest>(req))
  PARC_DESK_POST("enrollment-token", inventory, InventoryService, CreateEnrollmentToken,
                 FromBody<v1::CreateEnrollmentTokenRequest>(req))
  PARC_DESK_POST("import-devices", inventory, InventoryService, ImportDevices,
                 ImportFrom(req, query))
  PARC_DESK_POST("import-agents", inventory, InventoryService, ImportAgents, ImportFrom(req, query))
#undef PARC_DESK_POST
  return JsonError(bh::status::not_found, "NOT_FOUND", "no such endpoint");
}

}  // namespace parc::http
