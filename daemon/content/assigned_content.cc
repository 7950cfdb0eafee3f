#include "daemon/content/assigned_content.h"

#include <algorithm>

#include "daemon/domain/training.h"

namespace parc::content {

namespace {

// Audit events read at once after a write; more (a bulk import) invalidate.
constexpr int kAuditScan = 64;

// The newest audit events, newest first.
Expected<std::vector<v1::AuditEvent>> NewestAuditEvents(store::Store& store) {
  std::vector<v1::AuditEvent> events;
  PARC_TRY(store.Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(events, r.ListAuditEvents({.page = {.limit = kAuditScan}}));
    return Ok();
  }));
  return events;
}

}  // namespace

AssignedContent::AssignedContent(store::Store& store, const Clock& clock, const Options& options)
    : store_(store), clock_(clock), options_(options) {
  // The events already there were made before any set was cached.
  if (auto events = NewestAuditEvents(store_); events && !events->empty()) {
    audit_seen_ = events->front().id();
  }
}

bool AssignedContent::ContentNeutral(std::string_view action) {
  // What a set depends on: agents (department, wave, status), open
  // allocations, usage sessions, tiers, modules and assignments. None of these
  // actions writes any of them (device lifecycle changes refuse assigned
  // devices; allocations are their own actions). Anything else, including
  // actions added later, outdates every set.
  static constexpr std::string_view kNeutral[] = {
      "device.create", "device.update", "device.lifecycle",        "device.retire",
      "device.enroll", "device.revoke", "device.allow_enrollment", "enrollment_token.create",
      "site.create",   "site.update",   "operator.create",         "operator.disable",
      "token.create",  "token.revoke",  "content.upload",
  };
  for (std::string_view neutral : kNeutral) {
    if (action == neutral) return true;
  }
  return false;
}

void AssignedContent::Written() {
  std::lock_guard lock(written_mu_);
  auto events = NewestAuditEvents(store_);
  if (!events) {
    InvalidateAll();
    return;
  }
  bool neutral = true;
  bool reached_seen = events->size() < static_cast<size_t>(kAuditScan);
  int64_t newest = audit_seen_;
  for (const v1::AuditEvent& event : *events) {
    if (event.id() <= audit_seen_) {
      reached_seen = true;
      break;
    }
    newest = std::max(newest, event.id());
    neutral = neutral && ContentNeutral(event.action());
  }
  if (!neutral || !reached_seen) InvalidateAll();
  audit_seen_ = newest;
}

bool DeviceSet::Holds(std::string_view sha256) const {
  return std::any_of(modules.begin(), modules.end(), [&](const v1::AssignedModule& m) {
    return std::any_of(m.items().begin(), m.items().end(),
                       [&](const auto& item) { return item.sha256() == sha256; });
  });
}

AssignedContent::Slot* AssignedContent::SlotOf(int64_t device_id) {
  if (device_id < 0 || device_id >= kMaxCachedId) return nullptr;
  const auto block = static_cast<size_t>(device_id >> kBlockBits);
  if (block >= blocks_.size()) blocks_.resize(block + 1);
  if (!blocks_[block]) blocks_[block] = std::make_unique<Slot[]>(size_t{1} << kBlockBits);
  return &blocks_[block][static_cast<size_t>(device_id & ((int64_t{1} << kBlockBits) - 1))];
}

void AssignedContent::InvalidateDevice(int64_t device_id) {
  std::lock_guard lock(mu_);
  if (Slot* slot = SlotOf(device_id)) {
    ++slot->epoch;
    slot->generation = 0;
  }
}

Expected<uint64_t> AssignedContent::Revision(int64_t device_id) {
  const int64_t now_ms = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    const Slot* slot = SlotOf(device_id);
    if (slot != nullptr && slot->generation == generation_.load() &&
        now_ms < slot->valid_until_ms) {
      return slot->revision;
    }
  }
  PARC_ASSIGN_OR_RETURN(DeviceSet set, For(device_id));
  return set.revision;
}

Expected<DeviceSet> AssignedContent::For(int64_t device_id) {
  const int64_t now_ms = clock_.NowMs();
  const uint64_t generation = generation_.load();
  uint64_t epoch = 0;
  {
    std::lock_guard lock(mu_);
    if (Slot* slot = SlotOf(device_id)) epoch = slot->epoch;
  }
  // Resolved outside the lock, from a snapshot taken after reading the numbers.
  DeviceSet set;
  int64_t valid_until_ms = 0;
  PARC_TRY(store_.Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(auto resolved, domain::ResolveDeviceContent(
                                             r, device_id, now_ms, options_.usage_window_ms,
                                             [&](store::Reader& reader, const std::string& code) {
                                               return FindPublished(reader, code, generation);
                                             }));
    set.modules = std::move(resolved.modules);
    valid_until_ms = resolved.valid_until_ms;
    return Ok();
  }));
  ++resolutions_;
  set.revision = domain::ContentRevision(set.modules);  // 0: nothing assigned
  std::lock_guard lock(mu_);
  // Cache the revision only if nothing it depends on moved meanwhile (a newer
  // answer may already be there, or the next call recomputes).
  Slot* slot = SlotOf(device_id);
  if (slot != nullptr && slot->epoch == epoch && generation_.load() == generation) {
    slot->generation = generation;
    slot->revision = set.revision;
    slot->valid_until_ms = valid_until_ms;
  }
  return set;
}

// Read from a snapshot taken after `generation` was read, like the sets: kept
// while that generation is current, never used after.
Expected<std::shared_ptr<const v1::Module>> AssignedContent::FindPublished(store::Reader& r,
                                                                           const std::string& code,
                                                                           uint64_t generation) {
  {
    std::lock_guard lock(modules_mu_);
    if (modules_generation_ < generation) {
      modules_.clear();
      modules_generation_ = generation;
    }
    if (modules_generation_ == generation) {
      if (auto it = modules_.find(code); it != modules_.end()) return it->second;
    }
  }
  PARC_ASSIGN_OR_RETURN(auto module, domain::PublishedModule(r, code));
  std::lock_guard lock(modules_mu_);
  if (modules_generation_ == generation) modules_.emplace(code, module);
  return module;
}

void AssignedContent::ReportsRecorded(const std::vector<store::DeviceReports>& batch,
                                      int64_t /*now_ms*/) {
  for (const store::DeviceReports& entry : batch) {
    if (entry.request == nullptr) continue;
    for (const v1::Report& report : entry.request->reports()) {
      if (report.has_usage()) {
        InvalidateDevice(entry.device_id);
        break;
      }
    }
  }
}

}  // namespace parc::content
