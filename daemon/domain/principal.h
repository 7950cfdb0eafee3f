// Who is asking: the operator behind an API token (or, later, a device).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "parc/v1/types.pb.h"

namespace parc::domain {

struct Principal {
  int64_t operator_id = 0;
  std::string name;  // written as the actor of audit events
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::vector<std::string> departments;  // a manager's scope; empty for other roles
  int64_t token_expires_ms = 0;          // when the token used expires; 0: never

  // Managers see only their departments; everyone else sees everything.
  bool Scoped() const { return role == v1::ROLE_MANAGER; }
  bool InScope(const std::string& department) const {
    return !Scoped() ||
           std::find(departments.begin(), departments.end(), department) != departments.end();
  }
};

// Everything a domain operation needs to know about the call it serves.
struct Call {
  const Principal& who;
  int64_t now_ms;
};

}  // namespace parc::domain
