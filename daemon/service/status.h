// The one place where a Parc Error becomes a grpc::Status.
#pragma once

#include <grpcpp/support/status.h>

#include "common/error.h"

namespace parc::service {

// The code is kept; the message too, except where it would show the client
// what only the server should know: INTERNAL errors (a bug, corrupt data) and
// any error carrying a storage engine's own words ("sqlite: ...", e.g. a busy
// database's UNAVAILABLE) get a generic message for their code, and the original is logged here
// (logger "status", warn). Parc's own messages (the field named, the record not found) pass.
grpc::Status ToGrpcStatus(const Status& status);

}  // namespace parc::service
