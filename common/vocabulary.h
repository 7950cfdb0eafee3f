// One vocabulary for the v1 API's enums, in English and French, for files,
// commands, pages and messages alike: the daemon (imports, requests) and
// parcctl (flags, tables) both read it, so that "en réparation", "en_reparation",
// "In-Repair" and "in_repair" mean the same everywhere. Names are matched after
// folding (common/fold.h: accents and case) with spaces, hyphens and
// apostrophes as '_'. The English name is the canonical one, written in
// tables, CSV exports and JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parc/v1/types.pb.h"

namespace parc {

// Canonical English names; empty for UNSPECIFIED and unknown values.
std::string_view KindName(v1::DeviceKind kind);                // "tablet"
std::string_view LifecycleName(v1::Lifecycle lifecycle);       // "in_stock"
std::string_view RoleName(v1::Role role);                      // "logistics"
std::string_view AllocationKindName(v1::AllocationKind kind);  // "personal"
std::string_view AgentStatusName(v1::AgentStatus status);      // "active"

// The value `text` names in either language; nullopt when it names none.
std::optional<v1::DeviceKind> ParseKindName(std::string_view text);
std::optional<v1::Lifecycle> ParseLifecycleName(std::string_view text);
std::optional<v1::Role> ParseRoleName(std::string_view text);
std::optional<v1::AllocationKind> ParseAllocationKindName(std::string_view text);
std::optional<v1::AgentStatus> ParseAgentStatusName(std::string_view text);

// The canonical names, in enum order (for help texts and messages).
std::vector<std::string> KindNames();
std::vector<std::string> LifecycleNames();
std::vector<std::string> RoleNames();
std::vector<std::string> AgentStatusNames();

// Every accepted spelling of `canonical` (its key form), canonical first; for
// help texts ("in_repair, en_reparation, reparation").
std::vector<std::string> SpellingsOf(std::string_view canonical);

// `text` as the vocabulary compares it: folded, trimmed, spaces, hyphens and
// apostrophes as one '_' ("En réparation" -> "en_reparation").
std::string VocabularyKey(std::string_view text);

}  // namespace parc
