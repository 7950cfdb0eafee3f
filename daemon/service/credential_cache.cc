#include "daemon/service/credential_cache.h"

#include <charconv>

namespace parc::service {

std::optional<CredentialCache::Key> CredentialCache::KeyOf(std::string_view hash_hex) {
  if (hash_hex.size() < 32) return std::nullopt;
  Key key;
  const char* text = hash_hex.data();
  if (std::from_chars(text, text + 16, key.first, 16).ptr != text + 16 ||
      std::from_chars(text + 16, text + 32, key.second, 16).ptr != text + 32) {
    return std::nullopt;
  }
  return key;
}

std::optional<int64_t> CredentialCache::Find(std::string_view hash_hex) const {
  auto key = KeyOf(hash_hex);
  if (!key) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = devices_.find(*key);
  if (it == devices_.end()) return std::nullopt;
  return it->second;
}

uint64_t CredentialCache::Generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

void CredentialCache::Remember(std::string_view hash_hex, int64_t device_id, uint64_t generation) {
  auto key = KeyOf(hash_hex);
  if (!key) return;
  std::lock_guard lock(mu_);
  if (generation == generation_) devices_.insert_or_assign(*key, device_id);
}

size_t CredentialCache::size() const {
  std::lock_guard lock(mu_);
  return devices_.size();
}

void CredentialCache::Written() {
  std::lock_guard lock(mu_);
  ++generation_;
  devices_.clear();
}

}  // namespace parc::service
