#include "daemon/service/status.h"

#include <spdlog/spdlog.h>

#include <array>
#include <string_view>

#include "common/logging.h"

namespace parc::service {
namespace {

// What a storage engine's own messages start with, wherever context put them.
constexpr std::array<std::string_view, 2> kEngineMarks = {"sqlite: ", "postgres: "};

bool FromEngine(std::string_view message) {
  for (std::string_view mark : kEngineMarks) {
    if (message.find(mark) != std::string_view::npos) return true;
  }
  return false;
}

std::string GenericMessage(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUnavailable:
      return "storage is unavailable; retry later";
    case ErrorCode::kAlreadyExists:
      return "already exists";
    case ErrorCode::kFailedPrecondition:
      return "the change conflicts with stored records";
    case ErrorCode::kInvalidArgument:
      return "invalid request";
    default:
      return "internal error (details in the server log)";
  }
}

}  // namespace

grpc::Status ToGrpcStatus(const Status& status) {
  if (status) return grpc::Status::OK;
  const Error& error = status.error();
  const auto code = static_cast<grpc::StatusCode>(error.code);
  const bool redact = error.code == ErrorCode::kInternal || FromEngine(error.message);
  if (!redact) return grpc::Status(code, error.message);
  static const auto log = Logger("status");
  std::string generic = GenericMessage(error.code);
  log->warn("error code={} detail=\"{}\" sent=\"{}\"", static_cast<int>(error.code), error.message,
            generic);
  return grpc::Status(code, generic);
}

}  // namespace parc::service
