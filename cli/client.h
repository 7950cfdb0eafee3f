// parcctl's connection to parcd: one channel, one stub per service, and Call(),
// which runs a unary RPC with the operator's token and a deadline and turns a
// failed grpc::Status into an Error whose message is fit for stderr.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "cli/settings.h"
#include "common/error.h"
#include "parc/v1/admin.grpc.pb.h"
#include "parc/v1/allocation.grpc.pb.h"
#include "parc/v1/dashboard.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"
#include "parc/v1/training.grpc.pb.h"

namespace parc::cli {

struct Stubs {
  std::unique_ptr<v1::InventoryService::StubInterface> inventory;
  std::unique_ptr<v1::AllocationService::StubInterface> allocation;
  std::unique_ptr<v1::AdminService::StubInterface> admin;
  std::unique_ptr<v1::DashboardService::StubInterface> dashboard;
  std::unique_ptr<v1::TrainingService::StubInterface> training;
};

// The error for a failed call: the server's message, plus a hint for the
// failures an operator can fix (a bad token, parcd not running at `addr`).
Error StatusError(const grpc::Status& status, const std::string& addr);

class Client {
 public:
  static constexpr std::chrono::seconds kDeadline{30};

  // Stubs are injected so that a test can hand in mocks.
  Client(Stubs stubs, std::string addr, std::string token)
      : stubs_(std::move(stubs)), addr_(std::move(addr)), token_(std::move(token)) {}

  // A client on a channel to `settings.addr`, TLS when `settings.ca` is set.
  // INVALID_ARGUMENT when the token is missing or the CA file cannot be read.
  static Expected<std::unique_ptr<Client>> Connect(const Settings& settings);

  template <typename Req, typename Resp>
  Expected<Resp> Call(grpc::Status (v1::InventoryService::StubInterface::*method)(
                          grpc::ClientContext*, const Req&, Resp*),
                      const Req& request) const {
    return Invoke(*stubs_.inventory, method, request);
  }
  template <typename Req, typename Resp>
  Expected<Resp> Call(grpc::Status (v1::AllocationService::StubInterface::*method)(
                          grpc::ClientContext*, const Req&, Resp*),
                      const Req& request) const {
    return Invoke(*stubs_.allocation, method, request);
  }
  template <typename Req, typename Resp>
  Expected<Resp> Call(grpc::Status (v1::AdminService::StubInterface::*method)(grpc::ClientContext*,
                                                                              const Req&, Resp*),
                      const Req& request) const {
    return Invoke(*stubs_.admin, method, request);
  }

  template <typename Req, typename Resp>
  Expected<Resp> Call(grpc::Status (v1::DashboardService::StubInterface::*method)(
                          grpc::ClientContext*, const Req&, Resp*),
                      const Req& request) const {
    return Invoke(*stubs_.dashboard, method, request);
  }
  template <typename Req, typename Resp>
  Expected<Resp> Call(grpc::Status (v1::TrainingService::StubInterface::*method)(
                          grpc::ClientContext*, const Req&, Resp*),
                      const Req& request) const {
    return Invoke(*stubs_.training, method, request);
  }

  // For streaming calls: the training stub, and a context carrying the token
  // with no deadline (an upload of gigabytes takes as long as it takes; the
  // caller cancels).
  v1::TrainingService::StubInterface& training() const { return *stubs_.training; }
  std::unique_ptr<grpc::ClientContext> StreamContext() const;

  const std::string& addr() const { return addr_; }

 private:
  void Prepare(grpc::ClientContext& context) const;

  template <typename Stub, typename Req, typename Resp>
  Expected<Resp> Invoke(Stub& stub,
                        grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                        const Req& request) const {
    grpc::ClientContext context;
    Prepare(context);
    Resp response;
    grpc::Status status = (stub.*method)(&context, request, &response);
    if (!status.ok()) return std::unexpected(StatusError(status, addr_));
    return response;
  }

  Stubs stubs_;
  std::string addr_;
  std::string token_;
};

}  // namespace parc::cli
