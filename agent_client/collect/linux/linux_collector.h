// The Linux collector. Every path is read below `root` ("/" on a device, a
// fake tree in tests); storage is measured with statvfs on `storage_path`
// (not under root: statvfs needs a real mount).
#pragma once

#include <filesystem>
#include <string>

#include "agent_client/collect/collector.h"

namespace parc::agent {

class LinuxCollector final : public Collector {
 public:
  struct Options {
    std::filesystem::path root = "/";
    std::filesystem::path storage_path = "/";
    std::string agent_version;
  };

  explicit LinuxCollector(Options options) : options_(std::move(options)) {}

  v1::StatusReport Collect() override;

 private:
  Options options_;
};

// Serial (dmi product_serial, else /etc/machine-id), model (dmi product_name),
// OS (os-release PRETTY_NAME) and hostname, all read below `root`.
DeviceIdentity ReadIdentity(const std::filesystem::path& root);

}  // namespace parc::agent
