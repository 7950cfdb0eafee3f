// The agent's side of DeviceService, behind an interface so that the loop is
// tested against a fake. The gRPC implementation is in grpc_transport.h.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "common/error.h"
#include "parc/v1/device.pb.h"

namespace parc::agent {

struct CheckInReply {
  Expected<v1::CheckInResponse> response;
  // On failure, how long the server asked us to wait (`retry-after-seconds`
  // trailing metadata); nullopt when it gave no hint.
  std::optional<std::chrono::seconds> retry_after;
};

class Transport {
 public:
  using CheckInDone = std::function<void(CheckInReply)>;

  virtual ~Transport() = default;

  // Blocking; for `parc-agent enroll`, never called from the loop.
  virtual Expected<v1::EnrollResponse> Enroll(const v1::EnrollRequest& request) = 0;

  // Starts a check-in and returns at once. `done` runs exactly once, on any
  // thread (the caller posts it back to its own loop). The implementation's
  // destructor waits until every `done` has returned.
  virtual void CheckIn(const v1::CheckInRequest& request, CheckInDone done) = 0;

  // Cancels the calls in flight: their `done` runs soon with an error.
  // Thread-safe.
  virtual void CancelAll() = 0;
};

}  // namespace parc::agent
