// Secrets and hashes, on OpenSSL.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace parc {

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// SHA-256 of data given in pieces (a file read or received in chunks), so that
// memory stays bounded by one piece. Not copyable; not thread-safe.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(std::string_view data);
  // Lowercase hex of everything given so far; the stream starts over after it.
  std::string FinishHex();

 private:
  ::evp_md_ctx_st* ctx_;  // owned
};

// True when `text` is 64 lowercase hex digits (how Parc writes a SHA-256).
bool IsSha256Hex(std::string_view text);

// A fresh secret of 256 random bits from the system CSPRNG, as `prefix` followed
// by 43 base64url characters. Fails only when the CSPRNG does.
Expected<std::string> NewSecret(std::string_view prefix);

// Compares two strings in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace parc
