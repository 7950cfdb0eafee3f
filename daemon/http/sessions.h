// Sign-in sessions of the dashboard page. The page signs in once with an
// operator token (POST /api/v1/session); parcd answers with a random session id
// in an HttpOnly cookie and keeps, in memory only, the id's SHA-256 mapped to
// the token. Each later request's cookie resolves to the token, and the token
// goes through the Gate like any gRPC call, so a revoked token or a disabled
// operator stops working at once, session or not. Sessions expire a fixed time
// after sign-in (not sliding) and vanish when parcd restarts. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/error.h"

namespace parc::http {

class Sessions {
 public:
  struct Options {
    int64_t lifetime_seconds = 8 * 3600;
    size_t max_sessions = 10000;
  };

  // Borrows `clock`, which must outlive this object.
  Sessions(const Clock& clock, const Options& options) : clock_(clock), options_(options) {}

  // A new session for `token` (already authenticated by the caller): its id,
  // to be given to the browser and never logged. RESOURCE_EXHAUSTED when
  // max_sessions live sessions exist.
  Expected<std::string> Create(std::string token);
  // The token of the live session `id`, or nullopt (unknown or expired).
  std::optional<std::string> Resolve(std::string_view id);
  // Ends session `id`; unknown ids are ignored.
  void End(std::string_view id);

  int64_t lifetime_seconds() const { return options_.lifetime_seconds; }
  size_t size();

 private:
  struct Session {
    std::string token;
    int64_t expires_ms = 0;
  };
  void DropExpired(int64_t now_ms);  // mu_ held

  const Clock& clock_;
  const Options options_;
  std::mutex mu_;
  std::unordered_map<std::string, Session> by_hash_;  // SHA-256 hex of the id
};

}  // namespace parc::http
