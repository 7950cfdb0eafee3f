// Transport over a gRPC channel to parcd, TLS when a CA file is given. Every
// call but Enroll carries `authorization: Bearer <credential>`.
#pragma once

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "agent_client/content/content_transport.h"
#include "agent_client/transport.h"
#include "parc/v1/device.grpc.pb.h"

namespace parc::agent {

// Turns a failed call into an Error: the gRPC code, and a message fit for a
// log line or stderr that says in words (in the current language,
// common/i18n.h) what the code means, then the server's own message.
Error CallError(const grpc::Status& status, const std::string& server);

class GrpcTransport final : public Transport, public ContentTransport {
 public:
  static constexpr std::chrono::seconds kDeadline{30};
  static constexpr int kWindowBytes = 512 * 1024;  // HTTP/2 flow-control window per stream
  // The channel's reconnect backoff (gRPC's default climbs to 120 s, so a
  // device could wait two minutes after its server came back): 1 s, x1.6 per
  // failed attempt, ±20% jitter, at most 5 s. A connection attempt is given at
  // least kMinConnectTimeoutMs (gRPC's GRPC_ARG_MIN_RECONNECT_BACKOFF_MS is
  // that timeout), room for a TLS handshake over a slow mobile network.
  static constexpr int kInitialReconnectBackoffMs = 1'000;
  static constexpr int kMaxReconnectBackoffMs = 5'000;
  static constexpr int kMinConnectTimeoutMs = 10'000;

  // A transport on a new channel to `server`. INVALID_ARGUMENT when the CA
  // file cannot be read. `credential` may be empty (enrollment).
  static Expected<std::unique_ptr<GrpcTransport>> Connect(const std::string& server,
                                                          const std::string& ca_path,
                                                          std::string credential);

  GrpcTransport(std::unique_ptr<v1::DeviceService::StubInterface> stub, std::string server,
                std::string credential)
      : stub_(std::move(stub)), server_(std::move(server)), credential_(std::move(credential)) {}
  ~GrpcTransport() override;  // cancels the calls in flight and waits for them
  GrpcTransport(const GrpcTransport&) = delete;
  GrpcTransport& operator=(const GrpcTransport&) = delete;

  Expected<v1::EnrollResponse> Enroll(const v1::EnrollRequest& request) override;
  // Blocking, for `parc-agent login`: whether the server knows this employee
  // number (DeviceService.LookUpPerson), answered within `timeout`.
  Expected<v1::LookUpPersonResponse> LookUpPerson(const std::string& employee_number,
                                                  std::chrono::milliseconds timeout);
  void CheckIn(const v1::CheckInRequest& request, CheckInDone done) override;
  void CancelAll() override;  // the check-ins only

  Expected<v1::ListAssignedContentResponse> ListAssignedContent() override;
  Status FetchContent(const std::string& sha256, int64_t offset, std::chrono::seconds timeout,
                      const ChunkSink& sink) override;
  Expected<v1::ReportProgressResponse> ReportProgress(
      const v1::ReportProgressRequest& request) override;
  void CancelContent() override;

 private:
  struct Call;
  void Finish(Call* call, const grpc::Status& status);

  std::unique_ptr<v1::DeviceService::StubInterface> stub_;
  std::string server_;
  std::string credential_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::set<Call*> in_flight_;  // guarded by mutex_; owned by the gRPC callbacks
  int pending_ = 0;            // guarded by mutex_; calls whose `done` has not returned
  // The blocking content calls in flight, and whether CancelContent() ran.
  std::set<grpc::ClientContext*> content_calls_;  // guarded by mutex_
  bool content_cancelled_ = false;                // guarded by mutex_

  // Registers `context` (authorization, deadline) as a content call; false
  // once CancelContent() ran.
  bool BeginContentCall(grpc::ClientContext& context, std::chrono::seconds deadline);
  void EndContentCall(grpc::ClientContext& context);
};

}  // namespace parc::agent
