#include "daemon/limits/descriptor_limit.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>

#include "common/logging.h"

namespace parc::limits {

Config FitConnections(const Config& config, int64_t descriptors) {
  Config fitted = config;
  const int64_t available = std::max<int64_t>(descriptors - kSpareDescriptors, 2);
  const int64_t grpc = config.grpc_max_connections == 0 ? available : config.grpc_max_connections;
  if (grpc + config.http_max_connections <= available) {
    fitted.grpc_max_connections = grpc;
    return fitted;
  }
  fitted.http_max_connections =
      std::clamp<int64_t>(config.http_max_connections, 1, std::max<int64_t>(available / 4, 1));
  fitted.grpc_max_connections =
      std::clamp<int64_t>(available - fitted.http_max_connections, 1, grpc);
  return fitted;
}

Config FitDescriptorLimit(const Config& config) {
  static const auto log = Logger("main");
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return config;
  const int64_t hard =
      limit.rlim_max == RLIM_INFINITY ? int64_t{1} << 20 : static_cast<int64_t>(limit.rlim_max);
  const int64_t want =
      config.grpc_max_connections == 0
          ? hard
          : config.grpc_max_connections + config.http_max_connections + kSpareDescriptors;
  if (static_cast<int64_t>(limit.rlim_cur) < want) {
    rlimit raised = limit;
    raised.rlim_cur = static_cast<rlim_t>(std::min(want, hard));
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  const int64_t have = static_cast<int64_t>(limit.rlim_cur);
  Config fitted = FitConnections(config, have);
  if (fitted.grpc_max_connections != config.grpc_max_connections ||
      fitted.http_max_connections != config.http_max_connections) {
    log->warn(
        "descriptor limit nofile={} is too low for grpc_max_connections={} and "
        "http_max_connections={}: using grpc_max_connections={} http_max_connections={} (gRPC "
        "stops accepting for good when it runs out of descriptors); raise LimitNOFILE to "
        "serve more",
        have, config.grpc_max_connections, config.http_max_connections, fitted.grpc_max_connections,
        fitted.http_max_connections);
  }
  return fitted;
}

}  // namespace parc::limits
