#include "agent_client/collect/linux/proc_files.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <utmp.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace parc::agent::linux_files {
namespace {

std::string Trim(std::string_view text) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// os-release values may be quoted with " or ' and use backslash escapes.
std::string Unquote(std::string_view value) {
  if (value.size() < 2 || (value.front() != '"' && value.front() != '\'') ||
      value.back() != value.front()) {
    return std::string(value);
  }
  value = value.substr(1, value.size() - 2);
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) ++i;
    out += value[i];
  }
  return out;
}

std::string FixedField(const char* field, size_t size) {
  return std::string(field, strnlen(field, size));
}

}  // namespace

std::optional<std::string> ReadLine(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  return Trim(line);
}

std::map<std::string, std::string> ParseOsRelease(const std::string& text) {
  std::map<std::string, std::string> values;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::string trimmed = Trim(line);
    auto eq = trimmed.find('=');
    if (trimmed.empty() || trimmed.front() == '#' || eq == std::string::npos) continue;
    values[trimmed.substr(0, eq)] = Unquote(std::string_view(trimmed).substr(eq + 1));
  }
  return values;
}

std::map<std::string, int64_t> ParseMeminfo(const std::string& text) {
  std::map<std::string, int64_t> values;
  std::istringstream lines(text);
  std::string key;
  int64_t number = 0;
  std::string unit;
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    unit.clear();
    if (!(fields >> key >> number)) continue;
    fields >> unit;
    if (key.ends_with(':')) key.pop_back();
    values[key] = unit == "kB" ? number * 1024 : number;
  }
  return values;
}

std::optional<int64_t> ParseUptime(const std::string& text) {
  std::string trimmed = Trim(text);
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), seconds);
  if (ec != std::errc() || end == trimmed.data()) return std::nullopt;
  return seconds;
}

std::optional<std::string> ParseDefaultRouteInterface(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);  // header
  std::optional<std::string> best;
  long best_metric = 0;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string iface, destination, gateway, flags, refcnt, use;
    long metric = 0;
    if (!(fields >> iface >> destination >> gateway >> flags >> refcnt >> use >> metric)) continue;
    if (destination != "00000000") continue;
    if (!best || metric < best_metric) {
      best = iface;
      best_metric = metric;
    }
  }
  return best;
}

std::optional<Battery> ReadBattery(const std::filesystem::path& power_supply_dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> supplies;
  for (const auto& entry : std::filesystem::directory_iterator(power_supply_dir, ec)) {
    supplies.push_back(entry.path());
  }
  std::sort(supplies.begin(), supplies.end());  // BAT0 before BAT1, whatever readdir says
  for (const auto& supply : supplies) {
    if (ReadLine(supply / "type").value_or("") != "Battery") continue;
    Battery battery;
    std::string capacity = ReadLine(supply / "capacity").value_or("");
    int percent = -1;
    if (std::from_chars(capacity.data(), capacity.data() + capacity.size(), percent).ec ==
            std::errc() &&
        percent >= 0 && percent <= 100) {
      battery.percent = percent;
    }
    std::string status = ReadLine(supply / "status").value_or("");
    battery.charging = status == "Charging" || status == "Full";
    return battery;
  }
  return std::nullopt;
}

std::vector<std::string> ReadUtmpUsers(const std::filesystem::path& path) {
  std::vector<std::string> users;
  std::ifstream in(path, std::ios::binary);
  struct utmp record;
  while (in.read(reinterpret_cast<char*>(&record), sizeof record)) {
    if (record.ut_type != USER_PROCESS) continue;
    std::string user = FixedField(record.ut_user, sizeof record.ut_user);
    if (!user.empty() && std::find(users.begin(), users.end(), user) == users.end()) {
      users.push_back(std::move(user));
    }
  }
  return users;
}

std::string InterfaceAddress(const std::string& interface) {
  struct ifaddrs* addresses = nullptr;
  if (::getifaddrs(&addresses) != 0) return "";
  std::string ipv4, ipv6;
  char text[INET6_ADDRSTRLEN] = {};
  for (auto* it = addresses; it != nullptr; it = it->ifa_next) {
    if (it->ifa_addr == nullptr || interface != it->ifa_name) continue;
    if (it->ifa_addr->sa_family == AF_INET && ipv4.empty()) {
      auto* in = reinterpret_cast<sockaddr_in*>(it->ifa_addr);
      if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text)) ipv4 = text;
    } else if (it->ifa_addr->sa_family == AF_INET6 && ipv6.empty()) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(it->ifa_addr);
      if (::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text)) ipv6 = text;
    }
  }
  ::freeifaddrs(addresses);
  return ipv4.empty() ? ipv6 : ipv4;
}

}  // namespace parc::agent::linux_files
