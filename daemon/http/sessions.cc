#include "daemon/http/sessions.h"

#include <iterator>

#include "common/crypto.h"

namespace parc::http {

Expected<std::string> Sessions::Create(std::string token) {
  PARC_ASSIGN_OR_RETURN(std::string id, NewSecret(""));
  const int64_t now = clock_.NowMs();
  std::lock_guard lock(mu_);
  if (by_hash_.size() >= options_.max_sessions) DropExpired(now);
  if (by_hash_.size() >= options_.max_sessions) {
    return Fail(ErrorCode::kResourceExhausted, "too many open sessions; try again later");
  }
  by_hash_[Sha256Hex(id)] =
      Session{.token = std::move(token), .expires_ms = now + options_.lifetime_seconds * 1000};
  return id;
}

std::optional<std::string> Sessions::Resolve(std::string_view id) {
  if (id.empty()) return std::nullopt;
  const std::string hash = Sha256Hex(id);
  const int64_t now = clock_.NowMs();
  std::lock_guard lock(mu_);
  auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) return std::nullopt;
  if (it->second.expires_ms <= now) {
    by_hash_.erase(it);
    return std::nullopt;
  }
  return it->second.token;
}

void Sessions::End(std::string_view id) {
  if (id.empty()) return;
  const std::string hash = Sha256Hex(id);
  std::lock_guard lock(mu_);
  by_hash_.erase(hash);
}

size_t Sessions::size() {
  std::lock_guard lock(mu_);
  DropExpired(clock_.NowMs());
  return by_hash_.size();
}

void Sessions::DropExpired(int64_t now_ms) {
  std::erase_if(by_hash_, [&](const auto& entry) { return entry.second.expires_ms <= now_ms; });
}

}  // namespace parc::http
