#include "daemon/http/device_routes.h"

#include <grpcpp/grpcpp.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "daemon/checkin/validate.h"
#include "daemon/http/device_content.h"
#include "daemon/http/inprocess_call.h"
#include "daemon/http/json_reply.h"
#include "daemon/http/proto_json.h"
#include "daemon/service/device_service.h"
#include "daemon/service/status.h"
#include "parc/v1/device.grpc.pb.h"

namespace parc::http {
namespace {

namespace bh = boost::beast::http;
using Stub = v1::DeviceService::Stub;

template <typename Req, typename Resp>
using AsyncRpc = void (Stub::async::*)(grpc::ClientContext*, const Req*, Resp*,
                                       std::function<void(grpc::Status)>);

std::string_view BearerOf(const Request& req) {
  auto it = req.find(bh::field::authorization);
  if (it == req.end()) return {};
  std::string_view value(it->value().data(), it->value().size());
  constexpr std::string_view kBearer = "Bearer ";
  return value.starts_with(kBearer) ? value.substr(kBearer.size()) : std::string_view();
}

Response NotAllowed(std::string_view allow) {
  Response resp =
      ErrorReply(bh::status::method_not_allowed, "METHOD_NOT_ALLOWED", "method not allowed here");
  resp.set(bh::field::allow, std::string(allow));
  return resp;
}

// The body as `out`, or the answer refusing it.
std::optional<Response> ParseBody(const Request& req, google::protobuf::Message& out) {
  auto type = req.find(bh::field::content_type);
  if (type == req.end() || !std::string_view(type->value().data(), type->value().size())
                                .starts_with("application/json")) {
    return ErrorReply(bh::status::unsupported_media_type, "INVALID_ARGUMENT",
                      "send the body as application/json");
  }
  if (req.body().empty()) {
    return ErrorReply(bh::status::bad_request, "INVALID_ARGUMENT",
                      "body: empty; send a JSON object ({} when there is nothing to say)");
  }
  if (auto parsed = ParseJson(req.body(), out); !parsed) {
    return ErrorReply(bh::status::bad_request, "INVALID_ARGUMENT", parsed.error().message);
  }
  return std::nullopt;
}

// RESOURCE_EXHAUSTED from the request's own limits (validate.h) is the
// request being too large (413), not the server being busy (429).
std::optional<Response> OverLimits(const Status& valid) {
  if (valid || valid.error().code != ErrorCode::kResourceExhausted) return std::nullopt;
  return ErrorReply(bh::status::payload_too_large, "RESOURCE_EXHAUSTED", valid.error().message);
}

}  // namespace

struct DeviceRoutes::Impl {
  std::unique_ptr<Stub> stub;
  service::DeviceService& devices;
  std::chrono::seconds call_timeout;

  // Calls `rpc` asynchronously; `done` gets the answer on gRPC's thread.
  template <typename Req, typename Resp>
  void Call(AsyncRpc<Req, Resp> rpc, std::unique_ptr<Req> request, const Request& req, Done done) {
    struct State {
      grpc::ClientContext ctx;
      std::unique_ptr<Req> request;
      Resp response;
      Done done;
    };
    auto state = std::make_shared<State>();
    state->request = std::move(request);
    state->done = std::move(done);
    PrepareCall(state->ctx, req, BearerOf(req), call_timeout);
    ((*stub->async()).*rpc)(
        &state->ctx, state->request.get(), &state->response, [state](grpc::Status status) {
          state->done(status.ok() ? MessageReply(state->response) : ErrorReply(status, state->ctx));
        });
  }

  // A POST route: parse, check the limits, call.
  template <typename Req, typename Resp>
  void Post(const Request& req, AsyncRpc<Req, Resp> rpc, Done& done,
            Status (*limits)(const Req&) = nullptr) {
    if (req.method() != bh::verb::post) return done(NotAllowed("POST"));
    auto request = std::make_unique<Req>();
    if (auto refused = ParseBody(req, *request)) return done(std::move(*refused));
    if (limits) {
      if (auto refused = OverLimits(limits(*request))) return done(std::move(*refused));
    }
    Call(rpc, std::move(request), req, std::move(done));
  }

  // Check-ins: the route of Post, answered by DeviceService::CheckInDirect.
  void CheckIn(const Request& req, Done& done) {
    if (req.method() != bh::verb::post) return done(NotAllowed("POST"));
    auto request = std::make_shared<v1::CheckInRequest>();
    if (auto refused = ParseBody(req, *request)) return done(std::move(*refused));
    if (auto refused = OverLimits(checkin::ValidateCheckIn(*request))) {
      return done(std::move(*refused));
    }
    devices.CheckInDirect(
        BearerOf(req), PeerOf(req), std::move(request),
        [done = std::move(done)](const Status& result, const v1::CheckInResponse& resp,
                                 int64_t retry_after_s) {
          if (result) return done(MessageReply(resp));
          Response refused = ErrorReply(service::ToGrpcStatus(result));
          if (retry_after_s > 0) refused.set(bh::field::retry_after, std::to_string(retry_after_s));
          done(std::move(refused));
        });
  }
};

DeviceRoutes::DeviceRoutes(std::shared_ptr<grpc::Channel> channel, service::DeviceService& devices,
                           std::chrono::seconds call_timeout)
    : impl_(std::make_unique<Impl>(
          Impl{v1::DeviceService::NewStub(std::move(channel)), devices, call_timeout})) {}

DeviceRoutes::~DeviceRoutes() = default;

void DeviceRoutes::Handle(const Request& req, Done done) {
  std::string_view target(req.target().data(), req.target().size());
  std::string_view path = target.substr(0, target.find('?')).substr(kDevicePrefix.size());
  const bool get = req.method() == bh::verb::get || req.method() == bh::verb::head;
  Impl& impl = *impl_;
  if (path == "enroll") return impl.Post(req, &Stub::async::Enroll, done);
  if (path == "check-in") return impl.CheckIn(req, done);
  if (path == "usage") {
    return impl.Post(req, &Stub::async::ReportUsage, done, &checkin::ValidateUsageReports);
  }
  if (path == "progress") return impl.Post(req, &Stub::async::ReportProgress, done);
  if (path == "person") return impl.Post(req, &Stub::async::LookUpPerson, done);
  if (path == "content") {
    if (!get) return done(NotAllowed("GET"));
    return impl.Call(&Stub::async::ListAssignedContent,
                     std::make_unique<v1::ListAssignedContentRequest>(), req, std::move(done));
  }
  constexpr std::string_view kContent = "content/";
  if (path.starts_with(kContent)) {
    if (!get) return done(NotAllowed("GET"));
    auto range = req.find(bh::field::range);
    std::string_view range_header =
        range == req.end() ? std::string_view()
                           : std::string_view(range->value().data(), range->value().size());
    return done(ServeContent(*impl.stub, req, BearerOf(req), path.substr(kContent.size()),
                             range_header, impl.call_timeout));
  }
  done(ErrorReply(bh::status::not_found, "NOT_FOUND", "no such device route"));
}

}  // namespace parc::http
