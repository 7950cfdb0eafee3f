#include "daemon/http/device_content.h"

#include <fmt/format.h>

#include <boost/beast/http/field.hpp>
#include <charconv>

#include "daemon/http/inprocess_call.h"
#include "daemon/http/json_reply.h"

namespace parc::http {
namespace {

namespace bh = boost::beast::http;

std::optional<int64_t> Number(std::string_view text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 0) {
    return std::nullopt;
  }
  return n;
}

bool IsSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::unique_ptr<grpc::ClientContext> Context(const Request& req, std::string_view bearer,
                                             std::chrono::seconds timeout) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  PrepareCall(*ctx, req, bearer, timeout);
  return ctx;
}

// The bytes [first, last] through FetchContent, or its status.
grpc::Status Read(v1::DeviceService::StubInterface& stub, const Request& req,
                  std::string_view bearer, std::string_view sha256, ByteRange range,
                  std::chrono::seconds timeout, std::string& out) {
  const auto want = static_cast<size_t>(range.last - range.first + 1);
  out.reserve(want);
  v1::FetchContentRequest request;
  request.set_sha256(std::string(sha256));
  request.set_offset(range.first);
  auto ctx = Context(req, bearer, timeout);
  auto reader = stub.FetchContent(ctx.get(), request);
  v1::ContentChunk chunk;
  while (out.size() < want && reader->Read(&chunk)) {
    out.append(chunk.data(), 0, std::min(chunk.data().size(), want - out.size()));
  }
  const bool full = out.size() == want;
  if (full) ctx->TryCancel();  // the rest of the file is not wanted
  while (reader->Read(&chunk)) {
  }
  grpc::Status status = reader->Finish();
  if (full) return grpc::Status::OK;
  if (status.ok()) return {grpc::StatusCode::DATA_LOSS, "content ended before the range did"};
  return status;
}

}  // namespace

RangeAnswer ResolveRange(std::string_view header, int64_t size, int64_t max_bytes) {
  constexpr std::string_view kUnit = "bytes=";
  if (!header.starts_with(kUnit) || header.find(',') != header.npos) return {};
  std::string_view spec = header.substr(kUnit.size());
  size_t dash = spec.find('-');
  if (dash == spec.npos) return {};
  std::string_view from = spec.substr(0, dash), to = spec.substr(dash + 1);
  ByteRange range;
  if (from.empty()) {  // the last n bytes
    auto n = Number(to);
    if (!n) return {};
    if (*n == 0 || size == 0) return {.satisfiable = false};
    range = {std::max<int64_t>(0, size - *n), size - 1};
  } else {
    auto first = Number(from);
    if (!first) return {};
    std::optional<int64_t> last;
    if (!to.empty()) {
      last = Number(to);
      if (!last || *last < *first) return {};  // not a valid range: ignored, as RFC 9110 says
    }
    if (*first >= size) return {.satisfiable = false};
    range = {*first, std::min(last.value_or(size - 1), size - 1)};
  }
  range.last = std::min(range.last, range.first + max_bytes - 1);
  return {.range = range};
}

Response ServeContent(v1::DeviceService::StubInterface& stub, const Request& req,
                      std::string_view bearer, std::string_view sha256,
                      std::string_view range_header, std::chrono::seconds call_timeout) {
  if (!IsSha256Hex(sha256)) {
    return ErrorReply(bh::status::bad_request, "INVALID_ARGUMENT",
                      "sha256: 64 lowercase hexadecimal digits");
  }
  v1::ListAssignedContentResponse set;
  {
    auto ctx = Context(req, bearer, call_timeout);
    grpc::Status status = stub.ListAssignedContent(ctx.get(), {}, &set);
    if (!status.ok()) return ErrorReply(status, *ctx);
  }
  std::optional<int64_t> size;
  for (const auto& module : set.modules()) {
    for (const auto& item : module.items()) {
      if (item.sha256() == sha256) size = item.size();
    }
  }
  if (!size) {
    return ErrorReply(bh::status::forbidden, "PERMISSION_DENIED",
                      fmt::format("content {} is not in this device's set", sha256));
  }
  RangeAnswer answer = ResolveRange(range_header, *size, kMaxContentPiece);
  if (!answer.range && answer.satisfiable && *size > kMaxContentPiece) {
    answer.satisfiable = false;
  }
  if (!answer.satisfiable) {
    Response resp = ErrorReply(
        bh::status::range_not_satisfiable, "OUT_OF_RANGE",
        answer.range || !range_header.empty()
            ? fmt::format("the content has {} bytes", *size)
            : fmt::format("the content has {} bytes: ask for pieces of at most {} with Range",
                          *size, kMaxContentPiece));
    resp.set(bh::field::content_range, fmt::format("bytes */{}", *size));
    return resp;
  }
  ByteRange range = answer.range.value_or(ByteRange{0, *size - 1});
  Response resp{answer.range ? bh::status::partial_content : bh::status::ok, 11};
  if (range.last >= range.first) {
    grpc::Status read = Read(stub, req, bearer, sha256, range, call_timeout, resp.body());
    if (!read.ok()) return ErrorReply(read);
  }
  SetSecurityHeaders(resp);
  resp.set(bh::field::content_type, "application/octet-stream");
  resp.set(bh::field::accept_ranges, "bytes");
  resp.set(bh::field::etag, "\"" + std::string(sha256) + "\"");
  resp.set(bh::field::cache_control, "no-store");
  if (answer.range) {
    resp.set(bh::field::content_range,
             fmt::format("bytes {}-{}/{}", range.first, range.last, *size));
  }
  return resp;
}

}  // namespace parc::http
