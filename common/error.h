// One error style for all of Parc: functions that can fail return Expected<T>,
// holding either a value or an Error{code, message}. Errors gain context as
// they travel up (Error::Wrap) and become a grpc::Status in exactly one place
// (daemon/service/status.h). Third-party exceptions are caught at the edge.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace parc {

// Mirrors the gRPC codes Parc uses, so that the domain and the store need not
// depend on gRPC. Values equal grpc::StatusCode.
enum class ErrorCode {
  kCancelled = 1,        // the caller went away (a broken stream)
  kInvalidArgument = 3,  // bad input; the message names the field
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,   // a limit was hit
  kFailedPrecondition = 9,  // a forbidden state change
  kAborted = 10,            // a conflict; retrying may succeed
  kOutOfRange = 11,         // past the end (a content offset beyond its size)
  kUnimplemented = 12,
  kInternal = 13,     // a bug or corrupt data
  kUnavailable = 14,  // storage could not commit; retrying may succeed
  kUnauthenticated = 16,
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  // Returns this error with `context` prepended: "context: message".
  Error Wrap(std::string_view context) const {
    return Error{code, std::string(context) + ": " + message};
  }
};

template <typename T>
using Expected = std::expected<T, Error>;

// Shorthands for the common failures. Each returns an unexpected value that
// converts to any Expected<T>.
inline std::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return std::unexpected(Error{code, std::move(message)});
}
inline std::unexpected<Error> InvalidArgument(std::string_view field, std::string_view reason) {
  return Fail(ErrorCode::kInvalidArgument, std::string(field) + ": " + std::string(reason));
}
inline std::unexpected<Error> NotFound(std::string message) {
  return Fail(ErrorCode::kNotFound, std::move(message));
}
inline std::unexpected<Error> FailedPrecondition(std::string message) {
  return Fail(ErrorCode::kFailedPrecondition, std::move(message));
}

// Expected<void> for operations with no result.
using Status = Expected<void>;
inline Status Ok() { return {}; }

}  // namespace parc

// Evaluates `expr` (an Expected); on error returns the error from the enclosing
// function, otherwise yields nothing. Keeps the happy path flat.
#define PARC_TRY(expr)                                             \
  do {                                                             \
    if (auto parc_try_result_ = (expr); !parc_try_result_) {       \
      return std::unexpected(std::move(parc_try_result_).error()); \
    }                                                              \
  } while (false)

// Declares `lhs` from the value of `expr` (an Expected), or returns its error.
#define PARC_ASSIGN_OR_RETURN(lhs, expr) \
  PARC_ASSIGN_OR_RETURN_IMPL_(PARC_CONCAT_(parc_v_, __LINE__), lhs, expr)
#define PARC_CONCAT_INNER_(a, b) a##b
#define PARC_CONCAT_(a, b) PARC_CONCAT_INNER_(a, b)
#define PARC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)         \
  auto tmp = (expr);                                        \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
