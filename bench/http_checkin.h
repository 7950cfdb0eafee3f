// bench/http_checkin.h: loadgen checkin --transport http. The very check-ins
// of the gRPC generators — same devices, credentials, sequences and status
// reports — as the learner app sends them: POST /api/v1/device/check-in on
// HTTP/1.1 keep-alive connections, the CheckInRequest in protobuf's JSON
// mapping, the credential as Authorization: Bearer. A call succeeds on HTTP
// 200; errors are counted by HTTP status. HTTP/1.1 has one request in flight
// per connection: --closed M needs --channels >= M (parcd's listener takes
// 256 connections), and the open loop queues arrivals until a connection is
// free (counted as missed past --max-in-flight). One thread, one epoll set.
#pragma once

#include "bench/checkin_load.h"

namespace bench {

LoadResult RunHttpCheckIns(const LoadOptions& o, Fleet& fleet);

}  // namespace bench
