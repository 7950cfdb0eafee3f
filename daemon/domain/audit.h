// Audit events: every change records who did what to which record, when, and
// what changed, in the same transaction as the change.
#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "daemon/domain/principal.h"
#include "daemon/store/store.h"

namespace parc::domain {

// Appends one audit event for `call` and logs it (never a secret: summaries
// must not contain tokens).
Status Audit(store::Writer& writer, const Call& call, std::string_view action,
             std::string_view target, std::string summary);

// One field that differs between two versions of a record, as people read it.
struct FieldChange {
  std::string field, old_value, new_value;
};

// Every scalar field that differs, in field order, skipping ids, timestamps and
// the derived holder fields. Empty when equal.
std::vector<FieldChange> Changes(const google::protobuf::Message& before,
                                 const google::protobuf::Message& after);

// "field: 'old' -> 'new'; other: 'old' -> 'new'": Changes as one line.
std::string Diff(const google::protobuf::Message& before, const google::protobuf::Message& after);

// "agent:E004512", "device:R52T1234ABC", "site:CTM-NORD", "operator:marie".
std::string AgentTarget(const v1::Agent& agent);
std::string DeviceTarget(const v1::Device& device);

// The stored target a ListAuditEvents filter `target` means: "device:<serial or
// asset tag>" (folded, as FindDevice) becomes the device's "device:<serial>",
// "agent:e004512" the normalized "agent:E004512"; anything else, or a device
// that does not exist (it may have been renamed), is kept as written.
Expected<std::string> AuditTargetFilter(store::Reader& reader, std::string_view target);

}  // namespace parc::domain
