// The rules every agent, device and site record obeys, wherever it comes from
// (an RPC, a CSV import, the demo generator). Pure functions, no I/O.
#pragma once

#include <string_view>

#include "common/error.h"
#include "parc/v1/types.pb.h"

namespace parc::domain {

// Trims surrounding whitespace from every string field and upper-cases codes
// (department, site); fills defaults (status active).
void Normalize(v1::Agent& agent);
void Normalize(v1::Device& device);
void Normalize(v1::Site& site);

// INVALID_ARGUMENT naming the first bad field ("employee_number: required").
Status Validate(const v1::Agent& agent);
Status Validate(const v1::Device& device);
Status Validate(const v1::Site& site);

// Names used on the command line, in CSV files and in messages.
std::string_view KindName(v1::DeviceKind kind);          // "tablet"
std::string_view LifecycleName(v1::Lifecycle lifecycle);  // "in_stock"
std::string_view RoleName(v1::Role role);                 // "logistics"
std::string_view AllocationKindName(v1::AllocationKind kind);  // "personal"
// Accept the names above, French ones ("tablette", "smartphone", "pc partagé",
// "en stock", "en réparation", "perdu", "réformé") and any case.
Expected<v1::DeviceKind> ParseKind(std::string_view text);
Expected<v1::Lifecycle> ParseLifecycle(std::string_view text);
Expected<v1::Role> ParseRole(std::string_view text);

}  // namespace parc::domain
