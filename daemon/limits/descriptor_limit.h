// The process's descriptor limit against the configured connection limits.
//
// Every connection is a descriptor, and gRPC 1.51 does not survive running
// out of them: when accept4 fails with EMFILE its listener stops for good
// ("Failed accept4: Too many open files" in tcp_server_posix.cc, then nothing
// is accepted until parcd restarts; checked on this machine, see
// /work/notes/limits.md). So the connection limits must leave descriptors
// for everything else. At start-up the soft RLIMIT_NOFILE is raised towards
// the hard one (ulimit -n is often 1024; parcd.service sets
// LimitNOFILE=65536), and if grpc_max_connections + http_max_connections +
// kSpareDescriptors still do not fit, the connection limits in force are
// lowered to fit (a warning names the keys and the values used).
// grpc_max_connections = 0 ("no limit") means as many as descriptors allow.
#pragma once

#include <cstdint>

#include "daemon/config.h"

namespace parc::limits {

// Descriptors parcd needs besides connections: database, content files being
// served, logs, gRPC's own, and connections accepted only to be refused.
inline constexpr int64_t kSpareDescriptors = 256;

// The connection limits that fit `descriptors` (pure arithmetic):
// `config` itself when they fit; otherwise HTTP keeps at most a quarter of
// what is left after kSpareDescriptors, gRPC the rest (at least 1 each).
Config FitConnections(const Config& config, int64_t descriptors);

// Raises the soft RLIMIT_NOFILE as far as the configured limits need (no
// further than the hard limit), then returns FitConnections(config, limit),
// logging a warning when it had to lower them.
Config FitDescriptorLimit(const Config& config);

}  // namespace parc::limits
