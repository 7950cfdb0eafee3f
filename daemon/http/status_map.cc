#include "daemon/http/status_map.h"

#include <iterator>

namespace parc::http {

namespace bh = boost::beast::http;

std::string_view GrpcCodeName(grpc::StatusCode code) {
  static constexpr std::string_view kNames[] = {"OK",
                                                "CANCELLED",
                                                "UNKNOWN",
                                                "INVALID_ARGUMENT",
                                                "DEADLINE_EXCEEDED",
                                                "NOT_FOUND",
                                                "ALREADY_EXISTS",
                                                "PERMISSION_DENIED",
                                                "RESOURCE_EXHAUSTED",
                                                "FAILED_PRECONDITION",
                                                "ABORTED",
                                                "OUT_OF_RANGE",
                                                "UNIMPLEMENTED",
                                                "INTERNAL",
                                                "UNAVAILABLE",
                                                "DATA_LOSS",
                                                "UNAUTHENTICATED"};
  auto i = static_cast<size_t>(code);
  return i < std::size(kNames) ? kNames[i] : "UNKNOWN";
}

bh::status HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return bh::status::ok;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return bh::status::bad_request;
    case grpc::StatusCode::UNAUTHENTICATED:
      return bh::status::unauthorized;
    case grpc::StatusCode::PERMISSION_DENIED:
      return bh::status::forbidden;
    case grpc::StatusCode::NOT_FOUND:
      return bh::status::not_found;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return bh::status::conflict;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return bh::status::too_many_requests;
    case grpc::StatusCode::UNIMPLEMENTED:
      return bh::status::not_implemented;
    case grpc::StatusCode::UNAVAILABLE:
      return bh::status::service_unavailable;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return bh::status::gateway_timeout;
    default:
      return bh::status::internal_server_error;
  }
}

}  // namespace parc::http
