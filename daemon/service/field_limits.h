// The bound on every string field of every request, checked in one place (the
// Gate, before any handler runs) by walking the request with protobuf
// reflection, so that a new RPC or field is bounded without code of its own.
//
// The limits, in bytes of UTF-8, by field name wherever the field appears:
//
//   | field                                   | max bytes |
//   |-----------------------------------------|-----------|
//   | notes, description, address             | 4000      |
//   | reason, condition                       | 1000      |
//   | query (every free-text filter)          | 256       |
//   | every other string field                | 256       |
//
// The domain keeps narrower limits of its own on some record fields (names,
// codes: 200 bytes, daemon/domain/records.cc; device report texts: 256,
// daemon/checkin/validate.h); this is the bound no field of any request passes.
// Repeated strings bound each element; at most 1000 elements per repeated
// field. bytes fields (CSV files, content chunks) are bounded by the gRPC
// message size instead. A longer value is INVALID_ARGUMENT naming the field's
// path in the request ("agent.first_name", "reports[2].status.kernel").
#pragma once

#include <cstddef>
#include <string_view>

#include "common/error.h"

namespace google::protobuf {
class Message;
}

namespace parc::service {

inline constexpr size_t kMaxStringBytes = 256;
inline constexpr size_t kMaxRepeated = 1000;

// The limit for a string field named `field_name` (the table above).
size_t StringLimit(std::string_view field_name);

// Ok when every string field of `request`, nested messages included, is within
// its limit; otherwise INVALID_ARGUMENT naming the first field over it.
Status CheckStringLimits(const google::protobuf::Message& request);

}  // namespace parc::service
