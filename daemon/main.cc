#include <absl/synchronization/mutex.h>

#include <iostream>
#include <string>
#include <vector>

#include "daemon/parcd.h"

int main(int argc, char** argv) {
  // gRPC's absl::Mutex checks the lock order for deadlocks on every lock in
  // Debian's build of absl: ~5% of parcd's CPU under check-ins (perf, bench/).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  std::vector<std::string> args(argv, argv + argc);
  parc::Io io{std::cout, std::cerr, parc::ProcessEnvironment()};
  return parc::ParcdMain(args, io);
}
