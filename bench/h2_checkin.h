// bench/h2_checkin.h: loadgen checkin --transport h2. The very calls of the
// gRPC generator — same devices, credentials, sequences and status reports —
// written as gRPC's wire format on raw HTTP/2 with nghttp2 (the library h2load
// is built on): POST /parc.v1.DeviceService/CheckIn, content-type
// application/grpc, te: trailers, the authorization header, the 5-byte
// length-prefixed message; a call succeeds when the answer is HTTP 200 with
// grpc-status 0 (checked on every call, which h2load cannot do).
//
// Why: gRPC's C++ client costs ~65 µs of CPU per call on this machine, more
// than the server it measures; on 2 shared cores it caps every server near
// 12-15k calls/s. This generator costs a few µs per call, one thread, one
// poll() over every connection.
#pragma once

#include "bench/checkin_load.h"

namespace bench {

LoadResult RunH2CheckIns(const LoadOptions& o, Fleet& fleet);

}  // namespace bench
