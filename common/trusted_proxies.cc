#include "common/trusted_proxies.h"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <optional>

namespace parc {

namespace ip = boost::asio::ip;

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// `text` as an IPv6 address, IPv4 ones mapped ("10.0.0.5" and
// "::ffff:10.0.0.5" are the same client).
std::optional<ip::address_v6> AddressOf(std::string_view text) {
  boost::system::error_code ec;
  ip::address address = ip::make_address(std::string(Trim(text)), ec);
  if (ec) return std::nullopt;
  if (address.is_v4()) return ip::make_address_v6(ip::v4_mapped, address.to_v4());
  return address.to_v6();
}

}  // namespace

Expected<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies out;
  size_t at = 0;
  while (at < list.size()) {
    size_t end = list.find_first_of(", ", at);
    if (end == std::string_view::npos) end = list.size();
    const std::string_view entry = list.substr(at, end - at);
    at = end + 1;
    if (entry.empty()) continue;
    const size_t slash = entry.find('/');
    std::optional<ip::address_v6> address = AddressOf(entry.substr(0, slash));
    const bool v4 = entry.find(':') == std::string_view::npos;
    int bits = v4 ? 32 : 128;
    bool ok = address.has_value();
    if (ok && slash != std::string_view::npos) {
      std::string_view digits = entry.substr(slash + 1);
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
      ok = !digits.empty() && ec == std::errc() && ptr == digits.data() + digits.size() &&
           bits >= 0 && bits <= (v4 ? 32 : 128);
    }
    if (!ok) {
      return InvalidArgument("trusted_proxies", "'" + std::string(entry) +
                                                    "' is not an IP address or a network like "
                                                    "10.0.0.0/24");
    }
    out.networks_.push_back({.bytes = address->to_bytes(), .prefix_bits = v4 ? 96 + bits : bits});
  }
  return out;
}

bool TrustedProxies::Trusts(std::string_view address) const {
  if (empty()) return false;
  std::optional<ip::address_v6> a = AddressOf(address);
  if (!a) return false;
  const std::array<uint8_t, 16> bytes = a->to_bytes();
  for (const Network& net : networks_) {
    int bits = net.prefix_bits;
    size_t i = 0;
    for (; bits >= 8; ++i, bits -= 8) {
      if (bytes[i] != net.bytes[i]) break;
    }
    if (bits >= 8) continue;  // a whole byte differed
    const auto mask = static_cast<uint8_t>(0xff << (8 - bits));
    if (bits == 0 || (bytes[i] & mask) == (net.bytes[i] & mask)) return true;
  }
  return false;
}

std::string TrustedProxies::ClientOf(std::string_view peer, std::string_view forwarded_for) const {
  if (Trim(forwarded_for).empty() || !Trusts(peer)) return std::string(peer);
  std::string client(peer);
  while (true) {
    const size_t comma = forwarded_for.rfind(',');
    std::string_view hop =
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    std::optional<ip::address_v6> address = AddressOf(hop);
    if (!address) return client;  // not an address: the hop a trusted proxy vouched for
    client = address->is_v4_mapped() ? ip::make_address_v4(ip::v4_mapped, *address).to_string()
                                     : address->to_string();
    if (!Trusts(client) || comma == std::string_view::npos) return client;
    forwarded_for = forwarded_for.substr(0, comma);
  }
}

}  // namespace parc
