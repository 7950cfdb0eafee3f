// What every in-process gRPC call of the HTTP side carries, and what it brings
// back besides its status: the caller's bearer and address (kPeerHeader, which
// the listener stamps on every request: the rate limits count per real client,
// service/admission.h) and a deadline; from a refused call, the retry delay of
// a rate limit (trailer `retry-after-seconds`) as the Retry-After header of the
// 429. Stateless, thread-safe.
#pragma once

#include <grpcpp/client_context.h>

#include <chrono>
#include <string_view>

#include "daemon/http/api.h"

namespace parc::http {

// Sets `authorization: Bearer <bearer>` (none when empty), the x-parc-peer
// metadata from `req` and the deadline now + `timeout` on `ctx`.
void PrepareCall(grpc::ClientContext& ctx, const Request& req, std::string_view bearer,
                 std::chrono::seconds timeout);
// The address the listener stamped on `req` ("" without one).
std::string_view PeerOf(const Request& req);
// Copies the call's retry delay, if it was given one, to `resp` (Retry-After).
void SetRetryAfter(Response& resp, const grpc::ClientContext& ctx);

}  // namespace parc::http
