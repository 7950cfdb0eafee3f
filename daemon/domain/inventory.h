// Agents, devices and sites: creation, updates and device lifecycle changes.
// Each operation runs inside the caller's write transaction, checks the rules,
// writes, and appends its audit event. Errors name the field or the rule.
#pragma once

#include <google/protobuf/field_mask.pb.h>

#include "common/error.h"
#include "daemon/domain/principal.h"
#include "daemon/store/store.h"

namespace parc::domain {

Expected<v1::Agent> CreateAgent(store::Writer& w, const Call& call, v1::Agent agent);
// Changes the fields named in `mask` (all writable fields when empty). An agent
// leaving (status left) while still holding devices is refused, listing them.
Expected<v1::Agent> UpdateAgent(store::Writer& w, const Call& call, const v1::Agent& patch,
                                const google::protobuf::FieldMask& mask);

Expected<v1::Device> CreateDevice(store::Writer& w, const Call& call, v1::Device device);
// Lifecycle and serial cannot change here: see SetDeviceLifecycle.
Expected<v1::Device> UpdateDevice(store::Writer& w, const Call& call, const v1::Device& patch,
                                  const google::protobuf::FieldMask& mask);
// Moves between in_stock, in_repair, lost and retired. `assigned` is entered and
// left only through Assign and Return.
Expected<v1::Device> SetDeviceLifecycle(store::Writer& w, const Call& call, std::string_view device,
                                        v1::Lifecycle to, const std::string& reason);

Expected<v1::Site> CreateSite(store::Writer& w, const Call& call, v1::Site site);
Expected<v1::Site> UpdateSite(store::Writer& w, const Call& call, const v1::Site& patch,
                              const google::protobuf::FieldMask& mask);

// The transition rule alone, for SetDeviceLifecycle and its tests.
Status CheckLifecycleChange(v1::Lifecycle from, v1::Lifecycle to);

// Lookups that turn "absent" into NOT_FOUND and "outside a manager's
// departments" into PERMISSION_DENIED.
Expected<v1::Agent> GetAgent(store::Reader& r, const Principal& who,
                             std::string_view employee_number);
Expected<v1::Device> GetDevice(store::Reader& r, const Principal& who, std::string_view device);
Expected<v1::Site> GetSite(store::Reader& r, std::string_view code);

}  // namespace parc::domain
