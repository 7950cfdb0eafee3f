// The one mapping from a gRPC status code to an HTTP status, for every JSON
// route parcd serves (the dashboard's and the devices'), and the codes' names
// as gRPC spells them ("PERMISSION_DENIED"), which the error bodies carry.
#pragma once

#include <grpcpp/support/status_code_enum.h>

// clang-format off
// Before Beast's status.hpp, which prints statuses without including it.
#include <ostream>
// clang-format on

#include <boost/beast/http/status.hpp>
#include <string_view>

namespace parc::http {

// UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404, INVALID_ARGUMENT,
// FAILED_PRECONDITION and OUT_OF_RANGE 400, ALREADY_EXISTS and ABORTED 409,
// RESOURCE_EXHAUSTED 429, UNIMPLEMENTED 501, UNAVAILABLE 503,
// DEADLINE_EXCEEDED 504, anything else 500.
boost::beast::http::status HttpStatusOf(grpc::StatusCode code);

// "OK" ... "UNAUTHENTICATED"; "UNKNOWN" for a number gRPC does not define.
std::string_view GrpcCodeName(grpc::StatusCode code);

}  // namespace parc::http
