// Parsers for the text files of /proc, /sys and /etc, one per format, and the
// utmp reader. Pure functions of a path or a text, so tests feed them fixtures.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parc::agent::linux_files {

// The first line of `path`, trimmed; nullopt when it cannot be read.
std::optional<std::string> ReadLine(const std::filesystem::path& path);

// KEY=value lines of os-release, with the quotes and escapes removed.
std::map<std::string, std::string> ParseOsRelease(const std::string& text);

// /proc/meminfo values in bytes, by key ("MemTotal", "MemAvailable").
std::map<std::string, int64_t> ParseMeminfo(const std::string& text);

// Whole seconds of the first field of /proc/uptime; nullopt when malformed.
std::optional<int64_t> ParseUptime(const std::string& text);

// The interface of the default route (destination 00000000) in /proc/net/route
// with the lowest metric; nullopt when there is none.
std::optional<std::string> ParseDefaultRouteInterface(const std::string& text);

struct Battery {
  int percent = -1;
  bool charging = false;
};
// The first power supply of type "Battery" under `power_supply_dir`.
std::optional<Battery> ReadBattery(const std::filesystem::path& power_supply_dir);

// Distinct user names of USER_PROCESS records in a utmp file, in file order.
std::vector<std::string> ReadUtmpUsers(const std::filesystem::path& path);

// The first IPv4 address (else IPv6) of `interface`, via getifaddrs; empty
// when it has none. Reads the live system, not a root.
std::string InterfaceAddress(const std::string& interface);

}  // namespace parc::agent::linux_files
