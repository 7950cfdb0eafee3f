#include "daemon/domain/inventory.h"

#include <fmt/format.h>

#include <initializer_list>
#include <string>

#include "common/time.h"
#include "daemon/domain/audit.h"
#include "daemon/domain/records.h"
#include "daemon/domain/sites.h"

namespace parc::domain {

using google::protobuf::FieldMask;

namespace {

// Applies the fields of `patch` named in `mask` to `target`. Only `writable`
// fields may be named; an empty mask means all of them.
Status ApplyMask(const google::protobuf::Message& patch, const FieldMask& mask,
                 std::initializer_list<const char*> writable, google::protobuf::Message* target) {
  std::vector<std::string> fields(writable.begin(), writable.end());
  if (!mask.paths().empty()) {
    for (const std::string& path : mask.paths()) {
      if (std::find(fields.begin(), fields.end(), path) == fields.end()) {
        return InvalidArgument("update_mask",
                               fmt::format("field '{}' cannot be changed here", path));
      }
    }
    fields.assign(mask.paths().begin(), mask.paths().end());
  }
  MergeFields(patch, fields, target);
  return Ok();
}

void StampUpdate(auto& record, const Call& call) {
  ToTimestamp(call.now_ms, record.mutable_updated_at());
}

}  // namespace

Expected<v1::Agent> GetAgent(store::Reader& r, const Principal& who,
                             std::string_view employee_number) {
  v1::Agent key;  // typed as people type it: " e004512" is E004512
  key.set_employee_number(std::string(employee_number));
  Normalize(key);
  PARC_ASSIGN_OR_RETURN(auto agent, r.FindAgent(key.employee_number()));
  if (!agent) return NotFound(fmt::format("employee_number: no agent {}", employee_number));
  if (!who.InScope(agent->department())) {
    return Fail(ErrorCode::kPermissionDenied,
                fmt::format("agent {} is outside your departments", employee_number));
  }
  return std::move(*agent);
}

Expected<v1::Device> GetDevice(store::Reader& r, const Principal& who, std::string_view device) {
  if (device.empty()) return InvalidArgument("device", "required (asset tag or serial)");
  PARC_ASSIGN_OR_RETURN(auto found, r.FindDevice(device));
  if (!found) return NotFound(fmt::format("device: no device with asset tag or serial {}", device));
  if (!who.InScope(found->department())) {
    return Fail(ErrorCode::kPermissionDenied,
                fmt::format("device {} is outside your departments", device));
  }
  return std::move(*found);
}

Expected<v1::Site> GetSite(store::Reader& r, std::string_view code) {
  PARC_ASSIGN_OR_RETURN(auto site, r.FindSite(code));
  if (!site) return NotFound(fmt::format("site: no site {}", code));
  return std::move(*site);
}

Expected<v1::Agent> CreateAgent(store::Writer& w, const Call& call, v1::Agent agent) {
  agent.clear_id();
  std::string site_as_written = agent.site();
  Normalize(agent);
  PARC_TRY(Validate(agent));
  PARC_TRY(
      EnsureSite(w, call.who.name, call.now_ms, site_as_written, "named by " + AgentTarget(agent)));
  ToTimestamp(call.now_ms, agent.mutable_created_at());
  ToTimestamp(call.now_ms, agent.mutable_updated_at());
  PARC_ASSIGN_OR_RETURN(int64_t id, w.InsertAgent(agent));
  agent.set_id(id);
  PARC_TRY(
      Audit(w, call, "agent.create", AgentTarget(agent),
            fmt::format("{} {}, {}", agent.first_name(), agent.last_name(), agent.department())));
  return agent;
}

Expected<v1::Agent> UpdateAgent(store::Writer& w, const Call& call, const v1::Agent& patch,
                                const FieldMask& mask) {
  v1::Agent key = patch;
  Normalize(key);
  PARC_ASSIGN_OR_RETURN(v1::Agent before, GetAgent(w, call.who, key.employee_number()));
  v1::Agent after = before;
  PARC_TRY(ApplyMask(patch, mask,
                     {"first_name", "last_name", "department", "site", "has_email", "advisor",
                      "wave", "status", "badge", "manager", "phone"},
                     &after));
  Normalize(after);
  PARC_TRY(Validate(after));
  std::string diff = Diff(before, after);
  if (diff.empty()) return before;
  if (after.site() != before.site()) {
    PARC_TRY(
        EnsureSite(w, call.who.name, call.now_ms, patch.site(), "named by " + AgentTarget(after)));
  }
  if (after.status() == v1::AGENT_STATUS_LEFT && before.status() != v1::AGENT_STATUS_LEFT) {
    store::AllocationFilter held{.employee_number = after.employee_number(), .open_only = true};
    PARC_ASSIGN_OR_RETURN(auto open, w.ListAllocations(held));
    if (!open.empty()) {
      std::string devices;
      for (const auto& a : open) {
        devices += (devices.empty() ? "" : ", ") +
                   (a.device_asset_tag().empty() ? a.device_serial() : a.device_asset_tag());
      }
      return FailedPrecondition(
          fmt::format("agent {} still holds {}: return them before marking the agent as left",
                      after.employee_number(), devices));
    }
  }
  StampUpdate(after, call);
  PARC_TRY(w.UpdateAgent(after));
  PARC_TRY(Audit(w, call, "agent.update", AgentTarget(after), diff));
  return after;
}

Expected<v1::Device> CreateDevice(store::Writer& w, const Call& call, v1::Device device) {
  device.clear_id();
  device.clear_holder_employee_number();
  device.clear_holder_site();
  std::string site_as_written = device.site();
  Normalize(device);
  if (device.lifecycle() == v1::LIFECYCLE_ASSIGNED) {
    return InvalidArgument("lifecycle",
                           "a new device cannot start assigned: create it, then assign it");
  }
  PARC_TRY(Validate(device));
  PARC_TRY(EnsureSite(w, call.who.name, call.now_ms, site_as_written,
                      "named by " + DeviceTarget(device)));
  ToTimestamp(call.now_ms, device.mutable_created_at());
  ToTimestamp(call.now_ms, device.mutable_updated_at());
  PARC_ASSIGN_OR_RETURN(int64_t id, w.InsertDevice(device));
  device.set_id(id);
  PARC_TRY(Audit(w, call, "device.create", DeviceTarget(device),
                 fmt::format("{} {} {}, {}", KindName(device.kind()), device.model(),
                             device.asset_tag(), LifecycleName(device.lifecycle()))));
  return device;
}

Expected<v1::Device> UpdateDevice(store::Writer& w, const Call& call, const v1::Device& patch,
                                  const FieldMask& mask) {
  PARC_ASSIGN_OR_RETURN(v1::Device before, GetDevice(w, call.who, patch.serial()));
  v1::Device after = before;
  PARC_TRY(ApplyMask(patch, mask,
                     {"asset_tag", "kind", "model", "os", "site", "department", "purchase_date",
                      "warranty_end", "notes"},
                     &after));
  Normalize(after);
  PARC_TRY(Validate(after));
  std::string diff = Diff(before, after);
  if (diff.empty()) return before;
  if (after.site() != before.site()) {
    PARC_TRY(
        EnsureSite(w, call.who.name, call.now_ms, patch.site(), "named by " + DeviceTarget(after)));
  }
  StampUpdate(after, call);
  PARC_TRY(w.UpdateDevice(after));
  PARC_TRY(Audit(w, call, "device.update", DeviceTarget(after), diff));
  return after;
}

Status CheckLifecycleChange(v1::Lifecycle from, v1::Lifecycle to) {
  using enum v1::Lifecycle;
  if (to == LIFECYCLE_UNSPECIFIED || !v1::Lifecycle_IsValid(to)) {
    return InvalidArgument("lifecycle", "required: in_stock, in_repair, lost or retired");
  }
  if (from == to) return FailedPrecondition(fmt::format("device is already {}", LifecycleName(to)));
  if (to == LIFECYCLE_ASSIGNED)
    return FailedPrecondition("a device becomes assigned only through assign");
  if (from == LIFECYCLE_ASSIGNED) {
    return FailedPrecondition(
        to == LIFECYCLE_RETIRED
            ? std::string("device is assigned: return it first, then retire it")
            : fmt::format("device is assigned: return it first (return can send it to {} directly)",
                          LifecycleName(to)));
  }
  if (from == LIFECYCLE_RETIRED) return FailedPrecondition("a retired device stays retired");
  return Ok();  // every other move among in_stock, in_repair, lost and retired is allowed
}

Expected<v1::Device> SetDeviceLifecycle(store::Writer& w, const Call& call, std::string_view device,
                                        v1::Lifecycle to, const std::string& reason) {
  PARC_ASSIGN_OR_RETURN(v1::Device d, GetDevice(w, call.who, device));
  PARC_TRY(CheckLifecycleChange(d.lifecycle(), to));
  v1::Lifecycle from = d.lifecycle();
  d.set_lifecycle(to);
  StampUpdate(d, call);
  PARC_TRY(w.UpdateDevice(d));
  std::string summary = fmt::format("{} -> {}", LifecycleName(from), LifecycleName(to));
  if (!reason.empty()) summary += ": " + reason;
  PARC_TRY(Audit(w, call, to == v1::LIFECYCLE_RETIRED ? "device.retire" : "device.lifecycle",
                 DeviceTarget(d), summary));
  return d;
}

Expected<v1::Site> CreateSite(store::Writer& w, const Call& call, v1::Site site) {
  site.clear_id();
  Normalize(site);
  PARC_TRY(Validate(site));
  PARC_ASSIGN_OR_RETURN(int64_t id, w.InsertSite(site));
  site.set_id(id);
  PARC_TRY(Audit(w, call, "site.create", "site:" + site.code(), site.name()));
  return site;
}

Expected<v1::Site> UpdateSite(store::Writer& w, const Call& call, const v1::Site& patch,
                              const FieldMask& mask) {
  v1::Site key = patch;
  Normalize(key);
  PARC_ASSIGN_OR_RETURN(v1::Site before, GetSite(w, key.code()));
  v1::Site after = before;
  PARC_TRY(ApplyMask(patch, mask, {"name", "address"}, &after));
  Normalize(after);
  PARC_TRY(Validate(after));
  std::string diff = Diff(before, after);
  if (diff.empty()) return before;
  PARC_TRY(w.UpdateSite(after));
  PARC_TRY(Audit(w, call, "site.update", "site:" + after.code(), diff));
  return after;
}

}  // namespace parc::domain
