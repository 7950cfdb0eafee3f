// The rules every agent, device and site record obeys, wherever it comes from
// (an RPC, a CSV import, the demo generator). Pure functions, no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "google/protobuf/message.h"
#include "parc/v1/types.pb.h"

namespace parc::domain {

// A department or site code as stored and compared: trimmed, upper-cased,
// folded (common/fold.h: accents dropped, Œ -> OE, ...) and each run of
// whitespace turned into one '-' ("  Propreté urbaine " -> "PROPRETE-URBAINE").
std::string NormalizeCode(std::string_view text);

// Trims surrounding whitespace from every string field, upper-cases employee
// numbers and asset tags and passes codes (department, site) through
// NormalizeCode; names are only trimmed. Fills defaults (status active,
// lifecycle in_stock).
void Normalize(v1::Agent& agent);
void Normalize(v1::Device& device);
void Normalize(v1::Site& site);

// INVALID_ARGUMENT naming the first bad field ("employee_number: required").
Status Validate(const v1::Agent& agent);
Status Validate(const v1::Device& device);
Status Validate(const v1::Site& site);

// Copies the fields named in `fields` (top-level v1 field names) from `from`
// into `to`, which must be the same message type. Unknown names are ignored.
void MergeFields(const google::protobuf::Message& from, const std::vector<std::string>& fields,
                 google::protobuf::Message* to);

// Names used on the command line, in CSV files and in messages: common/vocabulary.h's
// canonical names, "unspecified" for UNSPECIFIED.
std::string_view KindName(v1::DeviceKind kind);                // "tablet"
std::string_view LifecycleName(v1::Lifecycle lifecycle);       // "in_stock"
std::string_view RoleName(v1::Role role);                      // "logistics"
std::string_view AllocationKindName(v1::AllocationKind kind);  // "personal"
// Accept every spelling of common/vocabulary.h: the names above, French ones
// ("tablette", "pc partagé", "en stock", "en réparation", "perdu", "réformé"),
// any case and accents; INVALID_ARGUMENT listing the canonical names otherwise.
Expected<v1::DeviceKind> ParseKind(std::string_view text);
Expected<v1::Lifecycle> ParseLifecycle(std::string_view text);
Expected<v1::Role> ParseRole(std::string_view text);

}  // namespace parc::domain
