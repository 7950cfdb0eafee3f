#include "agent_client/collect/linux/linux_collector.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "agent_client/collect/linux/proc_files.h"

namespace parc::agent {
namespace {

namespace files = linux_files;

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void CollectStorage(const std::filesystem::path& path, v1::StatusReport& report) {
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) != 0) return;
  report.set_storage_total_bytes(static_cast<int64_t>(fs.f_blocks) *
                                 static_cast<int64_t>(fs.f_frsize));
  report.set_storage_free_bytes(static_cast<int64_t>(fs.f_bavail) *
                                static_cast<int64_t>(fs.f_frsize));
}

void CollectMemory(const std::filesystem::path& root, v1::StatusReport& report) {
  auto meminfo = files::ParseMeminfo(ReadText(root / "proc/meminfo"));
  if (auto it = meminfo.find("MemTotal"); it != meminfo.end()) {
    report.set_memory_total_bytes(it->second);
  }
  if (auto it = meminfo.find("MemAvailable"); it != meminfo.end()) {
    report.set_memory_available_bytes(it->second);
  }
}

void CollectOs(const std::filesystem::path& root, v1::StatusReport& report) {
  auto os = files::ParseOsRelease(ReadText(root / "etc/os-release"));
  report.set_os_name(os.contains("NAME") ? os["NAME"] : os["ID"]);
  report.set_os_version(os.contains("VERSION") ? os["VERSION"] : os["VERSION_ID"]);
  report.set_kernel(files::ReadLine(root / "proc/sys/kernel/osrelease").value_or(""));
  if (auto uptime = files::ParseUptime(ReadText(root / "proc/uptime"))) {
    report.set_uptime_seconds(*uptime);
  }
}

// The interface of the default route; without one, and only on the live
// system, the first non-loopback interface with an address.
void CollectNetwork(const std::filesystem::path& root, v1::StatusReport& report) {
  auto iface = files::ParseDefaultRouteInterface(ReadText(root / "proc/net/route"));
  if (!iface) return;
  report.set_network_interface(*iface);
  if (root == "/") report.set_ip_address(files::InterfaceAddress(*iface));
}

}  // namespace

v1::StatusReport LinuxCollector::Collect() {
  const auto& root = options_.root;
  v1::StatusReport report;
  report.set_battery_percent(-1);
  report.set_storage_total_bytes(-1);
  report.set_storage_free_bytes(-1);
  report.set_memory_total_bytes(-1);
  report.set_memory_available_bytes(-1);
  report.set_uptime_seconds(-1);
  if (auto battery = files::ReadBattery(root / "sys/class/power_supply")) {
    report.set_battery_percent(battery->percent);
    report.set_charging(battery->charging);
  }
  CollectStorage(options_.storage_path, report);
  CollectMemory(root, report);
  CollectOs(root, report);
  CollectNetwork(root, report);
  report.set_agent_version(options_.agent_version);
  for (auto& user : files::ReadUtmpUsers(root / "var/run/utmp")) {
    report.add_logged_in_users(std::move(user));
  }
  return report;
}

DeviceIdentity ReadIdentity(const std::filesystem::path& root) {
  DeviceIdentity identity;
  identity.serial = files::ReadLine(root / "sys/class/dmi/id/product_serial").value_or("");
  // Firmware placeholders are not serials.
  if (identity.serial.empty() || identity.serial == "To be filled by O.E.M." ||
      identity.serial == "Not Specified" || identity.serial == "0") {
    identity.serial = files::ReadLine(root / "etc/machine-id").value_or("");
  }
  identity.model = files::ReadLine(root / "sys/class/dmi/id/product_name").value_or("");
  auto os = files::ParseOsRelease(ReadText(root / "etc/os-release"));
  identity.os = os.contains("PRETTY_NAME") ? os["PRETTY_NAME"] : os["NAME"];
  identity.hostname = files::ReadLine(root / "proc/sys/kernel/hostname").value_or("");
  if (identity.hostname.empty() && root == "/") {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0) identity.hostname = name;
  }
  return identity;
}

}  // namespace parc::agent
