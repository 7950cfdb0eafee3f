// Protobuf's JSON mapping (proto3) for the messages parcd's HTTP side reads
// and writes, by reflection over simdjson's DOM.
//
// Why not protobuf's own (util/json_util.h)? In protobuf 3.21 (Debian 12) it
// converts through the binary format with a type resolver that describes
// every message type again on every call: on the learner app's check-in it
// was 30% of parcd's CPU (bench/run.sh figure 1, HTTP row). This is the same
// mapping without that detour:
//  - in: field names as JSON names (camelCase) or as declared (snake_case);
//    64-bit integers as numbers or strings, other integers too; enums by
//    name or number; google.protobuf.Timestamp as RFC 3339 text and
//    FieldMask as "a,b.c"; null leaves a field unset; unknown fields are
//    refused, naming them;
//  - out: compact, JSON names, every field without presence printed even
//    at its default (protobuf's always_print_primitive_fields), 64-bit
//    integers as strings, enums by name.
// Messages holding what it does not map (bytes, floating point, maps, other
// well-known types) go through protobuf's converter, so every message gets
// protobuf's mapping either way (tests/unit/daemon/http/proto_json_test.cc
// compares both on every parc.v1 message). Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace google::protobuf {
class Message;
}

namespace parc::http {

// Replaces `out` with `json`. INVALID_ARGUMENT naming the field's path
// ("reports[0].collectedAt: not an RFC 3339 time") or the JSON's fault.
Status ParseJson(std::string_view json, google::protobuf::Message& out);

// `message` as compact JSON.
std::string PrintJson(const google::protobuf::Message& message);

}  // namespace parc::http
