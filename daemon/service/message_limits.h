// The largest request each RPC accepts (grpc_max_device_message_bytes,
// grpc_max_report_message_bytes), checked by the Gate before anything else.
//
// Why here: gRPC enforces one receive limit for every method of a server
// (max_message_bytes, GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH), before the
// message is parsed; gRPC 1.51 has no per-method limit on the server side (a
// service config's maxRequestMessageBytes binds clients only). So the global
// cap is the largest any method needs (imports carry whole CSV files), and the
// device RPCs, which anyone reaching the port may call, get a smaller limit
// here: the parsed request's ByteSizeLong() (its size on the wire; proto3
// keeps unknown fields, so padding them in does not hide bytes) against the
// table below, before authentication, so that an oversized request costs no
// credential lookup and never reaches a handler.
//
//   | methods                                        | limit                          |
//   |------------------------------------------------|--------------------------------|
//   | DeviceService: Enroll, ListAssignedContent,    | device_bytes (64 KiB)          |
//   |   FetchContent                                 |                                |
//   | DeviceService: CheckIn, ReportUsage,           | report_bytes (1 MiB)           |
//   |   ReportProgress                               |                                |
//   | any other (operators' RPCs, authenticated)     | gRPC's cap alone (16 MiB)      |
//
// A request over its limit is RESOURCE_EXHAUSTED naming the method and limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"

namespace parc::service {

struct MessageLimits {
  int64_t device_bytes = 64 * 1024;
  int64_t report_bytes = 1024 * 1024;

  // The limit for the full method name `method`; 0 when gRPC's cap alone
  // applies.
  int64_t For(std::string_view method) const;
  // Ok, or RESOURCE_EXHAUSTED when a request of `bytes` is over the limit.
  Status Check(std::string_view method, size_t bytes) const;
};

}  // namespace parc::service
