// The one place where a Parc Error becomes a grpc::Status.
#pragma once

#include <grpcpp/support/status.h>

#include "common/error.h"

namespace parc::service {

grpc::Status ToGrpcStatus(const Status& status);

}  // namespace parc::service
