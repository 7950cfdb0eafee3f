#include "daemon/service/device_service.h"

#include "common/time.h"
#include "daemon/checkin/validate.h"
#include "daemon/domain/enrollment.h"
#include "daemon/domain/records.h"
#include "daemon/domain/training.h"
#include "daemon/service/content_streams.h"
#include "daemon/service/status.h"

namespace parc::service {
namespace {

constexpr std::string_view kEnroll = "/parc.v1.DeviceService/Enroll";
constexpr std::string_view kCheckIn = "/parc.v1.DeviceService/CheckIn";
constexpr std::string_view kReportUsage = "/parc.v1.DeviceService/ReportUsage";
constexpr std::string_view kListAssignedContent = "/parc.v1.DeviceService/ListAssignedContent";
constexpr std::string_view kReportProgress = "/parc.v1.DeviceService/ReportProgress";
constexpr std::string_view kFetchContent = "/parc.v1.DeviceService/FetchContent";
constexpr std::string_view kLookUpPerson = "/parc.v1.DeviceService/LookUpPerson";

// Failures that may be someone guessing or replaying tokens: an unknown,
// expired, used-up or misbound token. A malformed request or storage trouble
// is not one (a per-address failure holds back every caller at that address:
// admission.h).
bool CountsAsFailure(ErrorCode code) {
  return code == ErrorCode::kUnauthenticated || code == ErrorCode::kPermissionDenied;
}

}  // namespace

using Reactor = grpc::ServerUnaryReactor;
using Ctx = grpc::CallbackServerContext;

Status DeviceService::EnrollDevice(const v1::EnrollRequest& req, v1::EnrollResponse* resp,
                                   int64_t now_ms) {
  PARC_TRY(domain::ValidateEnrollRequest(req));
  // Checked in a read first so that guessed tokens never take the writer's
  // lock; Enroll checks again (the token may have been used up meanwhile).
  PARC_TRY(gate_.store().Read(
      [&](store::Reader& r) { return domain::CheckEnrollmentToken(r, req.token(), now_ms); }));
  return gate_.store().Write([&](store::Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(*resp, domain::Enroll(w, now_ms, req, options_.checkin_interval_seconds));
    return Ok();
  });
}

Reactor* DeviceService::Enroll(Ctx* ctx, const v1::EnrollRequest* req, v1::EnrollResponse* resp) {
  std::string peer = CallerAddress(*ctx, gate_.limits().rates.trusted_proxies);
  return gate_.OpenUnary(ctx, kEnroll, peer, *req, [&](int64_t now_ms) -> Status {
    Admission& admission = gate_.admission();
    const std::string token_key = Admission::TokenKey(req->token());
    int64_t retry_after_s = 0;
    Status admitted = admission.BeforeEnroll(peer, token_key, &retry_after_s);
    Admission::Tell(*ctx, retry_after_s);
    PARC_TRY(admitted);
    Status result = EnrollDevice(*req, resp, now_ms);
    if (!result && CountsAsFailure(result.error().code)) admission.Failed(peer, token_key);
    return result;
  });
}

Reactor* DeviceService::Enqueue(Ctx* ctx, std::string_view method, const Expected<int64_t>& device,
                                const Status& valid,
                                std::shared_ptr<const v1::CheckInRequest> owned,
                                const v1::CheckInRequest* request, Fill fill, Gate::Start start) {
  Reactor* reactor = ctx->DefaultReactor();
  std::string actor = device ? DeviceActor(*device) : "-";
  Status queued = device ? valid : std::unexpected(device.error());
  // A queued call waits on the pipeline: bounded (call_deadlines.h), and
  // released before it is finished, while its context still lives.
  auto watch = std::make_shared<CallDeadlines::Watch>();
  if (queued) {
    *watch = gate_.deadlines().Start(ctx, method);
    queued = pipeline_.Submit(
        {.device_id = *device,
         .request = request,
         .done = [reactor, method, actor, start, watch, owned = std::move(owned),
                  fill = std::move(fill)](const Expected<uint64_t>& acknowledged, int64_t now_ms) {
           watch->Release();
           if (acknowledged) fill(*acknowledged, now_ms);
           Status result = acknowledged ? Ok() : std::unexpected(acknowledged.error());
           Gate::Finish(reactor, method, actor, result, start);
         }});
  }
  if (!queued) {
    watch->Release();
    Gate::Finish(reactor, method, actor, queued, start);
  }
  return reactor;
}

Expected<uint64_t> DeviceService::CheckInRevision(const Expected<int64_t>& device,
                                                  const v1::CheckInRequest& request) {
  if (!device) return std::unexpected(device.error());
  PARC_TRY(checkin::ValidateCheckIn(request));
  // From the cache (assigned_content.h): cheap on the hot path. A failure is
  // the call's failure: a wrong 0 would make the agent drop its content.
  return assigned_.Revision(*device);
}

void DeviceService::FillCheckIn(uint64_t revision, uint64_t acknowledged, int64_t now_ms,
                                v1::CheckInResponse* resp) const {
  resp->set_next_interval_seconds(options_.checkin_interval_seconds);
  ToTimestamp(now_ms, resp->mutable_server_time());
  resp->set_content_revision(revision);
  resp->set_acknowledged_through(acknowledged);
}

Reactor* DeviceService::CheckIn(Ctx* ctx, const v1::CheckInRequest* req,
                                v1::CheckInResponse* resp) {
  Gate::Start start = std::chrono::steady_clock::now();
  Expected<int64_t> device = gate_.AuthenticateDevice(ctx, kCheckIn, req);
  Expected<uint64_t> revision = CheckInRevision(device, *req);
  Status valid = revision ? Ok() : std::unexpected(revision.error());
  return Enqueue(
      ctx, kCheckIn, device, valid, nullptr, req,
      [this, resp, revision = revision.value_or(0)](uint64_t acknowledged, int64_t now_ms) {
        FillCheckIn(revision, acknowledged, now_ms, resp);
      },
      start);
}

void DeviceService::CheckInDirect(std::string_view secret, std::string_view peer,
                                  std::shared_ptr<const v1::CheckInRequest> request,
                                  CheckInDone done) {
  Gate::Start start = std::chrono::steady_clock::now();
  int64_t retry_after_s = 0;
  Expected<int64_t> device = gate_.AuthenticateDevice(secret, Origin{.http_peer = peer}, kCheckIn,
                                                      request.get(), &retry_after_s);
  Expected<uint64_t> revision = CheckInRevision(device, *request);
  auto finish = [actor = device ? DeviceActor(*device) : std::string("-"), start, retry_after_s,
                 done = std::move(done)](const Status& result, const v1::CheckInResponse& resp) {
    Gate::Log(kCheckIn, actor, ToGrpcStatus(result), start);
    done(result, resp, retry_after_s);
  };
  if (!revision) return finish(std::unexpected(revision.error()), {});
  const v1::CheckInRequest* reports = request.get();
  Status queued =
      pipeline_.Submit({.device_id = *device,
                        .request = reports,
                        .done = [this, finish, revision = *revision, request = std::move(request)](
                                    const Expected<uint64_t>& acknowledged, int64_t now_ms) {
                          v1::CheckInResponse resp;
                          if (!acknowledged)
                            return finish(std::unexpected(acknowledged.error()), resp);
                          FillCheckIn(revision, *acknowledged, now_ms, &resp);
                          finish(Ok(), resp);
                        }});
  if (!queued) finish(queued, {});
}

Reactor* DeviceService::ReportUsage(Ctx* ctx, const v1::ReportUsageRequest* req,
                                    v1::ReportUsageResponse* resp) {
  Gate::Start start = std::chrono::steady_clock::now();
  Expected<int64_t> device = gate_.AuthenticateDevice(ctx, kReportUsage, req);
  Status valid = device ? checkin::ValidateUsageReports(*req) : Ok();
  // The pipeline stores CheckInRequests: the usage reports travel as one.
  auto owned = std::make_shared<v1::CheckInRequest>();
  if (device && valid) *owned->mutable_reports() = req->reports();
  const v1::CheckInRequest* request = owned.get();
  return Enqueue(
      ctx, kReportUsage, device, valid, std::move(owned), request,
      [resp](uint64_t acknowledged, int64_t) { resp->set_acknowledged_through(acknowledged); },
      start);
}

Reactor* DeviceService::ListAssignedContent(Ctx* ctx, const v1::ListAssignedContentRequest* req,
                                            v1::ListAssignedContentResponse* resp) {
  return gate_.DeviceUnary(ctx, kListAssignedContent, *req, [&](const DeviceCall& call) -> Status {
    PARC_ASSIGN_OR_RETURN(auto set, assigned_.For(call.device_id));
    resp->set_revision(set.revision);
    resp->mutable_modules()->Reserve(static_cast<int>(set.modules.size()));
    for (auto& m : set.modules) *resp->add_modules() = std::move(m);
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(std::string holder, domain::HolderOf(r, call.device_id));
      resp->set_shared(holder.empty());
      if (holder.empty()) return Ok();
      PARC_ASSIGN_OR_RETURN(auto agent, r.FindAgent(holder));
      resp->mutable_holder()->set_employee_number(holder);
      if (agent) resp->mutable_holder()->set_display_name(domain::DisplayName(*agent));
      return Ok();
    });
  });
}

// A first name only: an enrolled device may greet people, not list them.
Reactor* DeviceService::LookUpPerson(Ctx* ctx, const v1::LookUpPersonRequest* req,
                                     v1::LookUpPersonResponse* resp) {
  return gate_.DeviceUnary(ctx, kLookUpPerson, *req, [&](const DeviceCall&) -> Status {
    v1::Agent key;
    key.set_employee_number(req->employee_number());
    domain::Normalize(key);
    if (key.employee_number().empty()) return InvalidArgument("employee_number", "required");
    resp->set_employee_number(key.employee_number());
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto agent, r.FindAgent(key.employee_number()));
      resp->set_known(agent.has_value());
      if (agent) resp->set_first_name(agent->first_name());
      return Ok();
    });
  });
}

// Progress is an observation, like check-ins: stored once per event id, not
// audited (Store::RecordProgress).
Reactor* DeviceService::ReportProgress(Ctx* ctx, const v1::ReportProgressRequest* req,
                                       v1::ReportProgressResponse* resp) {
  return gate_.DeviceUnary(ctx, kReportProgress, *req, [&](const DeviceCall& call) -> Status {
    PARC_TRY(domain::ValidateProgress(*req));
    PARC_TRY(gate_.store().Read(
        [&](store::Reader& r) { return domain::CheckProgressSubjects(r, *req); }));
    PARC_ASSIGN_OR_RETURN(auto counts,
                          gate_.store().RecordProgress(call.device_id, *req, call.now_ms));
    resp->set_accepted(counts.accepted);
    resp->set_duplicates(counts.duplicates);
    return Ok();
  });
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* DeviceService::FetchContent(
    Ctx* ctx, const grpc::ByteBuffer* req) {
  return StartFetch(gate_, files_, assigned_, ctx, *req);
}

}  // namespace parc::service
