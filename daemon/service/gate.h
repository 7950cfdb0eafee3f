// Every unary RPC goes through the Gate: it authenticates the caller from the
// `authorization: Bearer <secret>` metadata, checks the one permission table
// (permissions.h), runs the handler, maps the result to a grpc::Status in one
// place, logs one line, and finishes the reactor. Thread-safe.
//
// Every request passes its method's size limit (message_limits.h) first,
// before authentication, and CheckStringLimits (field_limits.h) once its
// caller is authorized and before its handler runs: no string field of any RPC
// reaches a handler, or a storage engine, longer than its documented limit.
//
// Two kinds of callers, told apart by the secret's prefix: operators ("parc_",
// an API token) and devices ("parcdev_", a device credential). A secret that
// does not resolve is UNAUTHENTICATED; a resolved caller outside the table's
// permission is PERMISSION_DENIED: operator tokens on DeviceService RPCs and
// device credentials on every other service alike. Enroll is open (the
// enrollment token inside the request is the proof; see IsOpenMethod).
#pragma once

#include <grpcpp/grpcpp.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "daemon/domain/principal.h"
#include "daemon/service/admission.h"
#include "daemon/service/call_deadlines.h"
#include "daemon/service/message_limits.h"
#include "daemon/store/store.h"

namespace google::protobuf {
class Message;
}

namespace parc::service {

class CredentialCache;  // credential_cache.h

// A device call: which enrolled device asks, and when.
struct DeviceCall {
  int64_t device_id = 0;
  int64_t now_ms = 0;
};

class Gate {
 public:
  // Server limits the Gate applies to every call (issue 18).
  struct Limits {
    MessageLimits messages;  // checked before authentication
    RateLimits rates;        // failed authentications, enrollments (admission.h)
  };

  // Borrows store, clock, credentials and deadlines; they must outlive the
  // Gate. `credentials` must observe `store` (store::ObservedStore) so that
  // writes make it forget.
  Gate(store::Store& store, const Clock& clock, CredentialCache& credentials, const Limits& limits,
       CallDeadlines& deadlines)
      : store_(store),
        clock_(clock),
        credentials_(credentials),
        limits_(limits),
        deadlines_(deadlines),
        admission_(clock, limits.rates) {}

  using Handler = std::function<Status(const domain::Call&)>;
  using DeviceHandler = std::function<Status(const DeviceCall&)>;
  using OpenHandler = std::function<Status(int64_t now_ms)>;
  using Start = std::chrono::steady_clock::time_point;

  // `method` is the full gRPC method name ("/parc.v1.InventoryService/GetAgent").
  // `request` is the call's request, checked against field_limits.h.
  // Operator RPCs.
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* ctx, std::string_view method,
                                  const google::protobuf::Message& request, const Handler& handler);
  // DeviceService RPCs that carry a device credential.
  grpc::ServerUnaryReactor* DeviceUnary(grpc::CallbackServerContext* ctx, std::string_view method,
                                        const google::protobuf::Message& request,
                                        const DeviceHandler& handler);
  // Open RPCs (IsOpenMethod): no bearer is read; `actor` names the caller in
  // the log (e.g. its peer address).
  grpc::ServerUnaryReactor* OpenUnary(grpc::CallbackServerContext* ctx, std::string_view method,
                                      std::string_view actor,
                                      const google::protobuf::Message& request,
                                      const OpenHandler& handler);

  // For device calls answered later (CheckIn through the pipeline): the
  // authenticated, authorized device id, or why not. The caller then finishes
  // the call with Finish. With `request`, it is checked against
  // field_limits.h too (FetchContent, whose request arrives as bytes, checks
  // its own once parsed).
  Expected<int64_t> AuthenticateDevice(grpc::CallbackServerContext* ctx, std::string_view method,
                                       const google::protobuf::Message* request = nullptr);
  // The same for a device call that did not come through gRPC (the learner
  // app's JSON check-in, DeviceService::CheckInDirect): `secret` is its bearer,
  // `origin` its client address; a refusal by a rate limit (admission.h) sets
  // *retry_after_s (whole seconds) for the answer's Retry-After.
  Expected<int64_t> AuthenticateDevice(std::string_view secret, const Origin& origin,
                                       std::string_view method,
                                       const google::protobuf::Message* request,
                                       int64_t* retry_after_s);
  // For operator streaming calls (UploadContent): the authenticated,
  // authorized operator, or why not; the stream checks each message it reads
  // with CheckStringLimits. The caller finishes the stream itself
  // and logs it with Log.
  Expected<domain::Principal> AuthenticateOperator(grpc::CallbackServerContext* ctx,
                                                   std::string_view method);
  // Maps `result`, logs the call (`start`: when it arrived) and finishes
  // `reactor`. Safe from any thread.
  static void Finish(grpc::ServerUnaryReactor* reactor, std::string_view method,
                     std::string_view actor, const Status& result, Start start);
  // Logs one line for a call finished elsewhere (streaming calls).
  static void Log(std::string_view method, std::string_view actor, const grpc::Status& status,
                  Start start);

  // Calls finished so far (through Log), by grpc::StatusCode (0..16), over
  // every Gate of the process; for /metrics.
  static std::array<uint64_t, 17> CallsByCode();

  store::Store& store() { return store_; }
  const Clock& clock() const { return clock_; }
  const Limits& limits() const { return limits_; }
  // For the calls that wait on their client or the pipeline: bounds them to
  // grpc_max_call_seconds (call_deadlines.h).
  CallDeadlines& deadlines() { return deadlines_; }
  // The rate limits; Enroll applies them itself (its token is in the request).
  Admission& admission() { return admission_; }

 private:
  struct Caller {
    std::optional<domain::Principal> op;  // set for operators
    int64_t device_id = 0;                // set for devices
    std::string actor() const;
  };
  using CallerHandler = std::function<Status(const Caller&)>;

  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* ctx, std::string_view method,
                                  const google::protobuf::Message& request,
                                  const CallerHandler& handler);
  // A device credential known to the cache passes at once; any other
  // credential (or none) is first checked against the rate limits
  // (admission.h), then looked up in the store, and an UNAUTHENTICATED
  // answer counts as a failure of the caller's address and of the credential.
  // A refusal by a rate limit sets *retry_after_s.
  Expected<Caller> Authenticate(std::string_view secret, const Origin& origin,
                                int64_t* retry_after_s);
  // The same for a gRPC call: its bearer and origin, the delay as a trailer.
  Expected<Caller> Authenticate(grpc::CallbackServerContext* ctx);
  Status LookUp(std::string_view secret, const std::string& hash, Caller& caller);
  static Status Authorize(const Caller& who, std::string_view method);

  store::Store& store_;
  const Clock& clock_;
  CredentialCache& credentials_;
  const Limits limits_;
  CallDeadlines& deadlines_;
  Admission admission_;
};

std::string DeviceActor(int64_t device_id);  // "device:42"

}  // namespace parc::service
