// Training modules, assignments, delivery and progress: the rules. Writes go
// through store::Writer with their audit event in the same transaction; reads
// through store::Reader. No I/O of their own (content files are the service's).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "daemon/domain/principal.h"
#include "daemon/store/store.h"
#include "parc/v1/device.pb.h"
#include "parc/v1/training.pb.h"

namespace parc::domain {

// ---- Modules (training_modules.cc) -------------------------------------------

// A module code as stored: trimmed and upper-cased ("messagerie-1" ->
// "MESSAGERIE-1"). Valid codes are 1..64 of A-Z, 0-9, '-', '_'.
std::string NormalizeModuleCode(std::string_view text);
Status ValidateModuleCode(std::string_view code, std::string_view field);

// The kind of a content file from its name's extension (any case);
// OTHER when unknown.
v1::ContentKind KindFromFileName(std::string_view file_name);

// Creates version 1 as a draft, or a new draft of an existing code (empty
// title, description, tiers and duration are taken from the latest version;
// copy_items copies its items). ALREADY_EXISTS when the code has a draft.
Expected<v1::Module> CreateModule(store::Writer& w, const Call& call,
                                  const v1::CreateModuleRequest& req);
// Appends uploaded content to the code's draft (FAILED_PRECONDITION when it
// has none; NOT_FOUND naming items[i].sha256 when not uploaded).
Expected<v1::Module> AddModuleItems(store::Writer& w, const Call& call,
                                    const v1::AddModuleItemsRequest& req);
// The draft becomes PUBLISHED and the previously published version SUPERSEDED.
Expected<v1::Module> PublishModule(store::Writer& w, const Call& call, std::string_view code);
// Every version becomes ARCHIVED.
Expected<v1::Module> ArchiveModule(store::Writer& w, const Call& call, std::string_view code);
// `version` 0: the latest. NOT_FOUND naming the code.
Expected<v1::Module> GetModule(store::Reader& r, std::string_view code, int32_t version);

// Records a stored (or re-uploaded) content blob, audited.
Status RecordContent(store::Writer& w, const Call& call, const store::ContentBlob& blob,
                     std::string_view file_name, bool already_present);

// ---- Assignments (training_modules.cc) ----------------------------------------

Expected<v1::ModuleAssignment> AssignModule(store::Writer& w, const Call& call,
                                            const v1::AssignModuleRequest& req);
Status RemoveAssignment(store::Writer& w, const Call& call, int64_t id);

// ---- Delivery (training_delivery.cc) -------------------------------------------

// The employee number of the person the device is given or lent to (its open
// allocation is personal or a loan); "" on a site's pool or in stock.
Expected<std::string> HolderOf(store::Reader& r, int64_t device_id);
// "First Last", as the devices show a person.
std::string DisplayName(const v1::Agent& agent);

// Who a device serves. Its holder when its open allocation is personal or a
// loan; otherwise (a site pool, or no allocation) everyone whose usage session
// on it was open within `window_ms` before `now_ms`.
struct ServedPeople {
  std::vector<std::string> employee_numbers;  // sorted
  // When the answer changes by itself (the oldest user leaves the window);
  // INT64_MAX when never.
  int64_t valid_until_ms = INT64_MAX;
};
Expected<ServedPeople> PeopleServedBy(store::Reader& r, int64_t device_id, int64_t now_ms,
                                      int64_t window_ms);

// The device's set: the published version of every module assigned (to the
// person, their department, wave or current tier) to someone it serves, by
// code, with its items and those people (sorted, earliest due date each).
struct DeviceContent {
  std::vector<v1::AssignedModule> modules;
  int64_t valid_until_ms = INT64_MAX;
};
Expected<DeviceContent> ResolveDeviceContent(store::Reader& r, int64_t device_id, int64_t now_ms,
                                             int64_t window_ms);
// The published version of the module `code` (null: none, a draft only or
// archived).
Expected<std::shared_ptr<const v1::Module>> PublishedModule(store::Reader& r,
                                                            const std::string& code);
// The same, finding each code's published version through `find_published`
// (a cache of PublishedModule, content/assigned_content.h) instead of a query.
using FindPublished = std::function<Expected<std::shared_ptr<const v1::Module>>(
    store::Reader& r, const std::string& code)>;
Expected<DeviceContent> ResolveDeviceContent(store::Reader& r, int64_t device_id, int64_t now_ms,
                                             int64_t window_ms,
                                             const FindPublished& find_published);

// A 64-bit number that changes whenever `modules` changes (codes, versions,
// items, people, due dates): the first 8 bytes of the SHA-256 of their
// serialization. 0 for an empty set (and never 0 otherwise).
uint64_t ContentRevision(const std::vector<v1::AssignedModule>& modules);

// ---- Progress (training_delivery.cc) --------------------------------------------

constexpr int kMaxProgressEvents = 500;

// INVALID_ARGUMENT naming the field ("events[2].score: ...").
Status ValidateProgress(const v1::ReportProgressRequest& req);
// INVALID_ARGUMENT naming the field when an event names an agent or a module
// code the server does not know: such an event can never be stored, and the
// agent should drop it rather than retry.
Status CheckProgressSubjects(store::Reader& r, const v1::ReportProgressRequest& req);

}  // namespace parc::domain
