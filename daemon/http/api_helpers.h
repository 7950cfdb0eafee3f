// What api.cc and desk_routes.cc share to turn HTTP into in-process gRPC calls
// and back: query strings, cookies, JSON replies and the one mapping from a
// gRPC status to an HTTP status and a JSON error. Stateless, thread-safe.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <boost/beast/http/status.hpp>
#include <map>
#include <string>
#include <string_view>

#include "common/error.h"
#include "daemon/http/api.h"

namespace parc::http {

using Query = std::map<std::string, std::string, std::less<>>;

// "a=1&b=x+y" -> {a: 1, b: "x y"}; INVALID_ARGUMENT on a bad %-escape.
Expected<Query> ParsePairs(std::string_view text);
// The value of cookie `name` in the Cookie header, or "".
std::string_view CookieValue(const Request& req, std::string_view name);
// The bearer token of the Authorization header, or "".
std::string_view BearerOf(const Request& req);
// True without an Origin header, or when Origin names the request's Host.
bool SameOrigin(const Request& req);

Response Make(boost::beast::http::status status, std::string_view content_type, std::string body);
// A JSON body, not cached.
Response Json(boost::beast::http::status status, std::string body);
// {"error":{"code":..., "message":...}}
Response JsonError(boost::beast::http::status status, std::string_view code,
                   std::string_view message);
Response FromGrpc(const grpc::Status& status);
// The same for an in-process call: with Retry-After when a rate limit gave
// the call a delay (inprocess_call.h).
Response FromGrpc(const grpc::Status& status, const grpc::ClientContext& ctx);
Response BadRequest(const Error& error);
// Sets the scalar fields of `msg` named by `query` ("by" is skipped);
// INVALID_ARGUMENT names an unknown parameter or a bad value.
Status FillRequest(google::protobuf::Message& msg, const Query& query);

}  // namespace parc::http
