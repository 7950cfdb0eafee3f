// Who the client is behind a reverse proxy (config trusted_proxies): nginx or
// HAProxy in front of parcd makes every connection come from the proxy, so
// the per-address rate limits and the logs would see one client. A proxy
// named here is believed about the client it forwards for: the
// X-Forwarded-For header (HTTP) or x-forwarded-for metadata (gRPC), read from
// its right end, skipping the trusted proxies, as each hop appends the
// address it received the request from. Any other peer is the client itself,
// whatever it sends.
//
// Immutable once parsed; safe to share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace parc {

class TrustedProxies {
 public:
  TrustedProxies() = default;  // none: every peer is the client

  // "10.0.0.5, 10.1.0.0/16, fd00::/8": addresses and networks, separated by
  // commas or spaces. INVALID_ARGUMENT naming the entry that is neither.
  static Expected<TrustedProxies> Parse(std::string_view list);

  bool empty() const { return networks_.empty(); }
  // Whether `address` (an IP address as text, no port) is a trusted proxy.
  bool Trusts(std::string_view address) const;
  // The client's address: `peer` (the connection's address, no port) unless
  // it is a trusted proxy that sent `forwarded_for`; then the right-most
  // address of that list that is not a trusted proxy (or its left-most one
  // when all are). An entry that is not an address ends the walk: the hop
  // to its right, which a trusted proxy vouched for, is the client.
  std::string ClientOf(std::string_view peer, std::string_view forwarded_for) const;

 private:
  // An address or network as 16 bytes (IPv4 as IPv4-mapped IPv6) and the
  // number of leading bits that must match.
  struct Network {
    std::array<uint8_t, 16> bytes{};
    int prefix_bits = 128;
  };
  std::vector<Network> networks_;
};

}  // namespace parc
