// Which device a credential belongs to, remembered from the database so that
// a device's check-ins do not each cost a read transaction (issue 6: the
// credential lookup was a tenth of parcd's CPU per check-in).
//
// Only what the database said is remembered, keyed by the credential's
// SHA-256 (never the secret itself; 16 of its 32 bytes: 24 bytes per device).
// Every committed operator write forgets everything (Written): enrolling,
// revoking or retiring a device are writes, so a revoked credential is
// refused from the moment its revocation is acknowledged. Check-ins and
// progress are not writes: the cache survives them. A lookup that raced with
// a write is not remembered (the generation it started in has passed).
//
// Thread-safe.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "daemon/store/observed_store.h"

namespace parc::service {

class CredentialCache final : public store::StoreObserver {
 public:
  // `hash_hex`: the credential's SHA-256 in hex, as the database keeps it.
  std::optional<int64_t> Find(std::string_view hash_hex) const;
  // Before reading the database: the generation to give Remember.
  uint64_t Generation() const;
  // Remembers what the database said, unless a write committed since `generation`.
  void Remember(std::string_view hash_hex, int64_t device_id, uint64_t generation);
  size_t size() const;

  void Written() override;

 private:
  using Key = std::pair<uint64_t, uint64_t>;
  static std::optional<Key> KeyOf(std::string_view hash_hex);

  mutable std::mutex mu_;
  absl::flat_hash_map<Key, int64_t> devices_;
  uint64_t generation_ = 0;
};

}  // namespace parc::service
