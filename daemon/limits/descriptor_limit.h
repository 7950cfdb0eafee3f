// The process's descriptor limit against the configured connection limits:
// every connection is a descriptor, and a parcd out of descriptors can accept
// nothing, not even an operator's. At start-up the soft limit is raised to
// the hard one when the connection limits need it (ulimit -n is often 1024;
// parcd.service sets LimitNOFILE=65536), and a warning names the keys when
// even the hard limit is too low.
#pragma once

#include "daemon/config.h"

namespace parc::limits {

// Descriptors parcd needs besides connections: database, content files being
// served, logs, gRPC's own.
inline constexpr int64_t kSpareDescriptors = 256;

// Raises RLIMIT_NOFILE's soft limit as far as grpc_max_connections +
// http_max_connections + kSpareDescriptors (no further than the hard limit);
// logs one warning when that is not enough (or when grpc_max_connections is 0,
// no limit). Returns the soft limit now in force.
int64_t FitDescriptorLimit(const Config& config);

}  // namespace parc::limits
