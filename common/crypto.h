// Secrets and hashes, on OpenSSL.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace parc {

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// A fresh secret of 256 random bits from the system CSPRNG, as `prefix` followed
// by 43 base64url characters. Fails only when the CSPRNG does.
Expected<std::string> NewSecret(std::string_view prefix);

// Compares two strings in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace parc
