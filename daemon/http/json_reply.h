// Answers of the device routes (device_routes.h, device_content.h): protobuf
// messages as JSON and errors as {"code":"...","message":"..."}, with the
// status from status_map.h and the headers every parcd answer carries.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

#include "daemon/http/api.h"
#include "daemon/http/status_map.h"

namespace parc::http {

// nosniff, no referrer, no framing.
void SetSecurityHeaders(Response& resp);

// `message` in protobuf's JSON mapping (zeros printed), 200, no-store.
Response MessageReply(const google::protobuf::Message& message);

// {"code": <code>, "message": <message>} with `status`; UNAUTHENTICATED also
// says WWW-Authenticate: Bearer.
Response ErrorReply(boost::beast::http::status status, std::string_view code,
                    std::string_view message);
// The same for a gRPC status (code name and HTTP status from status_map.h).
Response ErrorReply(const grpc::Status& status);
// The same for an in-process call, with Retry-After when a rate limit gave
// one (inprocess_call.h).
Response ErrorReply(const grpc::Status& status, const grpc::ClientContext& ctx);

}  // namespace parc::http
