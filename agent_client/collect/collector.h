// What the device reports about itself. The interface sits here; the platform
// code beside it (collect/linux/).
#pragma once

#include <string>

#include "parc/v1/device.pb.h"

namespace parc::agent {

class Collector {
 public:
  virtual ~Collector() = default;
  // A snapshot of the device now. Never fails: what cannot be read is left at
  // "unknown" (-1 for numbers, empty for strings), as device.proto says.
  virtual v1::StatusReport Collect() = 0;
};

// Who the device is, for enrollment.
struct DeviceIdentity {
  std::string serial;  // empty when none could be found
  std::string model;
  std::string os;  // "Debian GNU/Linux 12 (bookworm)"
  std::string hostname;
};

}  // namespace parc::agent
