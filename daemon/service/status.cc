#include "daemon/service/status.h"

namespace parc::service {

grpc::Status ToGrpcStatus(const Status& status) {
  if (status) return grpc::Status::OK;
  const Error& error = status.error();
  return grpc::Status(static_cast<grpc::StatusCode>(error.code), error.message);
}

}  // namespace parc::service
