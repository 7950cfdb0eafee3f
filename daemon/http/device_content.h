// GET /api/v1/device/content/<sha256>: a content file's bytes for the learner
// app, with HTTP Range. One path of authorization, the gRPC one: the size
// comes from ListAssignedContent (the device's set, through the Gate; a hash
// outside the set is 403 PERMISSION_DENIED) and the bytes from FetchContent
// (server streaming from the range's first byte; it checks the set again and
// the Gate logs and counts the call), read until the range is full and then
// cancelled. Reading the file here directly would have been a second
// authorization path to keep in step with StartFetch.
//
//   Range: bytes=a-b | a- | -n   206, Content-Range: bytes a-b/size, at most
//                                kMaxContentPiece bytes (a longer range is cut
//                                to that: read Content-Range)
//   a range starting past the end 416, Content-Range: bytes */size
//   no Range (or one this does not read, e.g. several ranges)
//                                200 with the whole file when it is at most
//                                kMaxContentPiece bytes, else 416 saying to
//                                send a Range
// The answer is held in memory (the listener's string bodies), hence the cap.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "daemon/http/api.h"
#include "parc/v1/device.grpc.pb.h"

namespace parc::http {

inline constexpr int64_t kMaxContentPiece = 8 * 1024 * 1024;

// Bytes [first, last] of a file, both included.
struct ByteRange {
  int64_t first = 0;
  int64_t last = -1;
};

// What a Range header asks of a file of `size` bytes. nullopt in `range`
// means the whole file (no header, or one not read); `satisfiable` false
// means 416. The range is cut to at most `max_bytes`.
struct RangeAnswer {
  std::optional<ByteRange> range;
  bool satisfiable = true;
};
RangeAnswer ResolveRange(std::string_view header, int64_t size, int64_t max_bytes);

// Answers the download; `bearer` is the request's credential (may be empty:
// then 401 from the Gate), `req` the request (its caller's address goes
// along: inprocess_call.h). Blocks the calling thread for the calls.
Response ServeContent(v1::DeviceService::StubInterface& stub, const Request& req,
                      std::string_view bearer, std::string_view sha256,
                      std::string_view range_header, std::chrono::seconds call_timeout);

}  // namespace parc::http
