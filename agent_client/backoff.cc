#include "agent_client/backoff.h"

#include <algorithm>

namespace parc::agent {

Millis JitteredInterval(Millis interval, Random& random) {
  double factor = 0.9 + 0.2 * random.Unit();
  return Millis(static_cast<int64_t>(static_cast<double>(interval.count()) * factor));
}

Millis BackoffDelay(int failures, Millis base, Millis cap, Random& random, Millis floor) {
  // 2^40 * base overflows nothing and is past any sane cap.
  int exponent = std::clamp(failures - 1, 0, 40);
  double ceiling =
      std::min(static_cast<double>(cap.count()),
               static_cast<double>(base.count()) * static_cast<double>(1ULL << exponent));
  auto delay = Millis(static_cast<int64_t>(ceiling * random.Unit()));
  return std::max(delay, std::min(floor, cap));
}

}  // namespace parc::agent
