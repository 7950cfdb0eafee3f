// parc.v1.DeviceService: what the devices themselves call. Enroll is open (the
// enrollment token is the proof) and rate-limited per peer address and per
// token (admission.h); every other RPC authenticates a device credential through the
// Gate. CheckIn and ReportUsage are validated here and answered by the
// check-in pipeline once their reports are durable (group commit). The content
// RPCs serve the device's set from content::AssignedContent (its cache), and
// the CheckIn reply carries that set's revision, read from the cache before
// the call is queued (a login in the same call shows on the next check-in).
// ListAssignedContent also names the device's holder; LookUpPerson tells a
// device whether a typed employee number is someone (issue 20 item 13).
#pragma once

#include "daemon/checkin/pipeline.h"
#include "daemon/content/assigned_content.h"
#include "daemon/content/content_files.h"
#include "daemon/service/gate.h"
#include "daemon/service/rate_limiter.h"
#include "parc/v1/device.grpc.pb.h"

namespace parc::service {

// FetchContent is a raw method (content_streams.h): chunks are serialized
// around the bytes read from disk, without an intermediate message.
class DeviceService final : public v1::DeviceService::WithRawCallbackMethod_FetchContent<
                                v1::DeviceService::CallbackService> {
 public:
  struct Options {
    int32_t checkin_interval_seconds = 300;  // told to devices on Enroll and CheckIn
  };

  // Borrows `gate`, `pipeline`, `files` and `assigned`; they must outlive the
  // service.
  DeviceService(Gate& gate, checkin::Pipeline& pipeline, const Options& options,
                content::ContentFiles& files, content::AssignedContent& assigned)
      : gate_(gate), pipeline_(pipeline), options_(options), files_(files), assigned_(assigned) {}

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* Enroll(Ctx*, const v1::EnrollRequest*, v1::EnrollResponse*) override;
  Reactor* CheckIn(Ctx*, const v1::CheckInRequest*, v1::CheckInResponse*) override;
  Reactor* ReportUsage(Ctx*, const v1::ReportUsageRequest*, v1::ReportUsageResponse*) override;
  Reactor* ListAssignedContent(Ctx*, const v1::ListAssignedContentRequest*,
                               v1::ListAssignedContentResponse*) override;
  Reactor* ReportProgress(Ctx*, const v1::ReportProgressRequest*,
                          v1::ReportProgressResponse*) override;
  Reactor* LookUpPerson(Ctx*, const v1::LookUpPersonRequest*, v1::LookUpPersonResponse*) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* FetchContent(Ctx*, const grpc::ByteBuffer*) override;

  // CheckIn without a gRPC call, for the learner app's JSON route
  // (daemon/http/device_routes.h): `secret` is the device's bearer. The same
  // Gate checks, validation, pipeline, log line and call counts as CheckIn;
  // `done` runs once, with the reply or why not, maybe later on the
  // pipeline's writer thread. An in-process gRPC call cost the route a
  // third of its CPU (bench/run.sh figure 1, HTTP row).
  // `peer` is the client's address as the listener saw it (rate limits);
  // `retry_after_s` is > 0 when a rate limit refused the call (Retry-After).
  using CheckInDone =
      std::function<void(const Status&, const v1::CheckInResponse&, int64_t retry_after_s)>;
  void CheckInDirect(std::string_view secret, std::string_view peer,
                     std::shared_ptr<const v1::CheckInRequest> request, CheckInDone done);

 private:
  // Validates, checks the token in a read, then enrolls in one write.
  Status EnrollDevice(const v1::EnrollRequest& req, v1::EnrollResponse* resp, int64_t now_ms);

  // Called with the acknowledged sequence and the batch's time, just before
  // the call is finished OK.
  using Fill = std::function<void(uint64_t acknowledged_through, int64_t now_ms)>;
  // What a check-in's reply needs before it is queued: `device` and the
  // request valid, and the device's content revision (from the cache).
  Expected<uint64_t> CheckInRevision(const Expected<int64_t>& device,
                                     const v1::CheckInRequest& request);
  // The reply to a check-in acknowledged through `acknowledged` at `now_ms`.
  void FillCheckIn(uint64_t revision, uint64_t acknowledged, int64_t now_ms,
                   v1::CheckInResponse* resp) const;
  // Queues an authenticated, validated call into the pipeline; finishes the
  // call at once when `device` or `valid` is an error or the queue refuses it.
  Reactor* Enqueue(Ctx* ctx, std::string_view method, const Expected<int64_t>& device,
                   const Status& valid, std::shared_ptr<const v1::CheckInRequest> owned,
                   const v1::CheckInRequest* request, Fill fill, Gate::Start start);

  Gate& gate_;
  checkin::Pipeline& pipeline_;
  const Options options_;
  content::ContentFiles& files_;
  content::AssignedContent& assigned_;
};

}  // namespace parc::service
