// Every unary RPC goes through the Gate: it authenticates the caller from the
// `authorization: Bearer <token>` metadata, checks the permission table, runs the
// handler with a domain::Call, maps the result to a grpc::Status in one place,
// logs one line, and finishes the reactor. Thread-safe.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "daemon/domain/principal.h"
#include "daemon/store/store.h"

namespace parc::service {

class Gate {
 public:
  // Borrows both; they must outlive the Gate.
  Gate(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  using Handler = std::function<Status(const domain::Call&)>;

  // `method` is the full gRPC method name ("/parc.v1.InventoryService/GetAgent").
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* ctx, std::string_view method,
                                  const Handler& handler);

  store::Store& store() { return store_; }

 private:
  Expected<domain::Principal> Authenticate(grpc::CallbackServerContext* ctx);
  static Status Authorize(const domain::Principal& who, std::string_view method);

  store::Store& store_;
  const Clock& clock_;
};

}  // namespace parc::service
