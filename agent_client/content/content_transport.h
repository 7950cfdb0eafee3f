// The content and progress calls of DeviceService, as the agent's background
// threads make them: blocking, thread-safe, cancelled together by
// CancelContent(). The gRPC implementation is GrpcTransport
// (grpc_transport.h); tests use a fake.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "common/error.h"
#include "parc/v1/device.pb.h"

namespace parc::agent {

class ContentTransport {
 public:
  // Called for each chunk as it arrives; an error stops the stream and is
  // what FetchContent returns.
  using ChunkSink = std::function<Status(const v1::ContentChunk&)>;

  virtual ~ContentTransport() = default;

  virtual Expected<v1::ListAssignedContentResponse> ListAssignedContent() = 0;

  // Streams content `sha256` from `offset` to its end into `sink`, giving up
  // after `timeout` (the caller resumes from what it got).
  virtual Status FetchContent(const std::string& sha256, int64_t offset,
                              std::chrono::seconds timeout, const ChunkSink& sink) = 0;

  virtual Expected<v1::ReportProgressResponse> ReportProgress(
      const v1::ReportProgressRequest& request) = 0;

  // For shutdown: cancels the calls above that are in flight (they return an
  // error soon) and fails every later one at once.
  virtual void CancelContent() = 0;
};

}  // namespace parc::agent
