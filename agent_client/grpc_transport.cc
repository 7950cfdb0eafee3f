#include "agent_client/grpc_transport.h"

#include <fmt/format.h>

#include <charconv>

#include "agent_client/durable_file.h"
#include "common/i18n.h"

namespace parc::agent {
namespace {

std::optional<std::chrono::seconds> RetryAfter(const grpc::ClientContext& context) {
  const auto& trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find("retry-after-seconds");
  if (it == trailers.end()) return std::nullopt;
  int64_t seconds = 0;
  auto [end, ec] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), seconds);
  if (ec != std::errc() || seconds < 0) return std::nullopt;
  return std::chrono::seconds(seconds);
}

}  // namespace

struct GrpcTransport::Call {
  grpc::ClientContext context;
  v1::CheckInRequest request;
  v1::CheckInResponse response;
  CheckInDone done;
};

Error CallError(const grpc::Status& status, const std::string& server) {
  std::string detail = status.error_message().empty() ? Tr("(no message)") : status.error_message();
  std::string_view sentence = CodeSentence(status.error_code());
  std::string message = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                                status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
                            ? TrF("{0}: {1} (server {2})", sentence, detail, server)
                            : TrF("{0}: {1}", sentence, detail);
  auto code = status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
                  ? ErrorCode::kUnavailable
                  : static_cast<ErrorCode>(status.error_code());
  return Error{code, std::move(message)};
}

Expected<std::unique_ptr<GrpcTransport>> GrpcTransport::Connect(const std::string& server,
                                                                const std::string& ca_path,
                                                                std::string credential) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!ca_path.empty()) {
    auto pem = ReadWholeFile(ca_path);
    if (!pem) return InvalidArgument("ca", fmt::format("cannot read {}", ca_path));
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = std::move(*pem);
    credentials = grpc::SslCredentials(options);
  }
  // Content arrives no faster than the agent writes it (or its bandwidth cap
  // lets it): a fixed HTTP/2 window instead of one grown by BDP probing keeps
  // what gRPC buffers, and so the agent's memory, to about kWindowBytes.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, kWindowBytes);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, kInitialReconnectBackoffMs);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, kMaxReconnectBackoffMs);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, kMinConnectTimeoutMs);
  auto channel = grpc::CreateCustomChannel(server, credentials, args);
  return std::make_unique<GrpcTransport>(v1::DeviceService::NewStub(channel), server,
                                         std::move(credential));
}

GrpcTransport::~GrpcTransport() {
  CancelAll();
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return pending_ == 0; });
}

Expected<v1::EnrollResponse> GrpcTransport::Enroll(const v1::EnrollRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kDeadline);
  v1::EnrollResponse response;
  grpc::Status status = stub_->Enroll(&context, request, &response);
  if (!status.ok()) return std::unexpected(CallError(status, server_));
  return response;
}

Expected<v1::LookUpPersonResponse> GrpcTransport::LookUpPerson(const std::string& employee_number,
                                                               std::chrono::milliseconds timeout) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + credential_);
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  v1::LookUpPersonRequest request;
  request.set_employee_number(employee_number);
  v1::LookUpPersonResponse response;
  grpc::Status status = stub_->LookUpPerson(&context, request, &response);
  if (!status.ok()) return std::unexpected(CallError(status, server_));
  return response;
}

void GrpcTransport::CheckIn(const v1::CheckInRequest& request, CheckInDone done) {
  auto* call = new Call;  // owned by the callback below, which deletes it
  call->request = request;
  call->done = std::move(done);
  call->context.AddMetadata("authorization", "Bearer " + credential_);
  call->context.set_deadline(std::chrono::system_clock::now() + kDeadline);
  {
    std::lock_guard lock(mutex_);
    in_flight_.insert(call);
    ++pending_;
  }
  stub_->async()->CheckIn(&call->context, &call->request, &call->response,
                          [this, call](grpc::Status status) { Finish(call, status); });
}

void GrpcTransport::Finish(Call* call, const grpc::Status& status) {
  std::unique_ptr<Call> owned(call);
  {
    std::lock_guard lock(mutex_);
    in_flight_.erase(call);  // CancelAll() no longer reaches it
  }
  CheckInReply reply{call->response, std::nullopt};
  if (!status.ok()) {
    reply.response = std::unexpected(CallError(status, server_));
    reply.retry_after = RetryAfter(call->context);
  }
  call->done(std::move(reply));
  owned.reset();
  std::lock_guard lock(mutex_);
  --pending_;
  idle_.notify_all();
}

bool GrpcTransport::BeginContentCall(grpc::ClientContext& context, std::chrono::seconds deadline) {
  context.AddMetadata("authorization", "Bearer " + credential_);
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  std::lock_guard lock(mutex_);
  if (content_cancelled_) return false;
  content_calls_.insert(&context);
  return true;
}

void GrpcTransport::EndContentCall(grpc::ClientContext& context) {
  std::lock_guard lock(mutex_);
  content_calls_.erase(&context);
}

Expected<v1::ListAssignedContentResponse> GrpcTransport::ListAssignedContent() {
  grpc::ClientContext context;
  if (!BeginContentCall(context, kDeadline)) return Fail(ErrorCode::kUnavailable, "agent stopping");
  v1::ListAssignedContentResponse response;
  grpc::Status status =
      stub_->ListAssignedContent(&context, v1::ListAssignedContentRequest(), &response);
  EndContentCall(context);
  if (!status.ok()) return std::unexpected(CallError(status, server_));
  return response;
}

Status GrpcTransport::FetchContent(const std::string& sha256, int64_t offset,
                                   std::chrono::seconds timeout, const ChunkSink& sink) {
  grpc::ClientContext context;
  if (!BeginContentCall(context, timeout)) return Fail(ErrorCode::kUnavailable, "agent stopping");
  v1::FetchContentRequest request;
  request.set_sha256(sha256);
  request.set_offset(offset);
  auto reader = stub_->FetchContent(&context, request);
  v1::ContentChunk chunk;
  Status sunk = Ok();
  while (reader->Read(&chunk)) {
    sunk = sink(chunk);
    if (!sunk) {
      context.TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  EndContentCall(context);
  if (!sunk) return sunk;
  if (!status.ok()) return std::unexpected(CallError(status, server_));
  return Ok();
}

Expected<v1::ReportProgressResponse> GrpcTransport::ReportProgress(
    const v1::ReportProgressRequest& request) {
  grpc::ClientContext context;
  if (!BeginContentCall(context, kDeadline)) return Fail(ErrorCode::kUnavailable, "agent stopping");
  v1::ReportProgressResponse response;
  grpc::Status status = stub_->ReportProgress(&context, request, &response);
  EndContentCall(context);
  if (!status.ok()) return std::unexpected(CallError(status, server_));
  return response;
}

void GrpcTransport::CancelContent() {
  std::lock_guard lock(mutex_);
  content_cancelled_ = true;
  for (grpc::ClientContext* context : content_calls_) context->TryCancel();
}

void GrpcTransport::CancelAll() {
  std::lock_guard lock(mutex_);
  for (Call* call : in_flight_) call->context.TryCancel();
}

}  // namespace parc::agent
