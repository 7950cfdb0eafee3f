#include "daemon/limits/descriptor_limit.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>

#include "common/logging.h"

namespace parc::limits {

int64_t FitDescriptorLimit(const Config& config) {
  static const auto log = Logger("main");
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  const int64_t need = config.grpc_max_connections == 0
                           ? static_cast<int64_t>(limit.rlim_max)
                           : config.grpc_max_connections + config.http_max_connections +
                                 kSpareDescriptors;
  if (static_cast<int64_t>(limit.rlim_cur) < need && limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = static_cast<rlim_t>(std::min<int64_t>(need, static_cast<int64_t>(limit.rlim_max)));
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (config.grpc_max_connections == 0 || static_cast<int64_t>(limit.rlim_cur) < need) {
    log->warn(
        "descriptor limit nofile={} is below what grpc_max_connections={} and "
        "http_max_connections={} need ({}): past it, connections fail at accept; raise "
        "LimitNOFILE or lower the limits",
        limit.rlim_cur, config.grpc_max_connections, config.http_max_connections,
        config.grpc_max_connections == 0 ? std::string("no limit") : std::to_string(need));
  }
  return static_cast<int64_t>(limit.rlim_cur);
}

}  // namespace parc::limits
