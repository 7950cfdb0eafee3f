// The storage side of training modules, content, assignments and progress.
// Reached through Reader::training() and Writer::training_writer(); lives, like
// the Reader and Writer, only inside a Store::Read / Store::Write callback and
// is not thread-safe. Find* return std::nullopt when nothing matches; errors
// mean storage failed (or, for writes, what store.h says: ALREADY_EXISTS,
// NOT_FOUND naming the field).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "parc/v1/device.pb.h"
#include "parc/v1/training.pb.h"

namespace parc::store {

// A stored content blob (the file is under the content directory).
struct ContentBlob {
  std::string sha256;
  int64_t size = 0;
  int64_t created_at_ms = 0;  // also refreshed when the same bytes are uploaded again
};

// A module version as stored; `module.items` are filled by FindModule only.
struct ModuleRecord {
  int64_t id = 0;
  v1::Module module;
};

// UNSPECIFIED state: the latest version of every code; otherwise every version
// in that state. A non-empty `tier` keeps modules whose target_tiers hold it.
struct ModuleFilter {
  v1::ModuleState state = v1::MODULE_STATE_UNSPECIFIED;
  std::string tier;
};

// What makes an assignment reach a person: their number, department, wave and
// current tier (empty fields reach nothing).
struct PersonKeys {
  std::string employee_number, department, wave, tier;
};

// Assignments in id order. `reaching` set: only those reaching that person.
struct AssignmentFilter {
  std::string module_code;
  std::optional<PersonKeys> reaching;
  int64_t after_id = 0;
  int limit = 100;
};

// Someone who used a device: when their latest session ended, or open.
struct RecentUser {
  std::string employee_number;
  int64_t last_used_ms = 0;  // the session's end; 0 while it is open
  bool open = false;
};

// ListProgress: rows per (agent, module assigned to them with a published
// version), ordered by agent id then module code, after the keyset
// (after_agent_id, after_module_code). Empty strings mean "any"; a non-empty
// `departments` restricts to those (a manager's scope). Agents who left are
// not listed.
struct ProgressFilter {
  std::string employee_number, department, wave, advisor, module_code;
  std::vector<std::string> departments;
  int64_t after_agent_id = 0;
  std::string after_module_code;
  int limit = 100;
  std::string today;  // YYYY-MM-DD, for `overdue`
};
struct ProgressListRow {
  int64_t agent_id = 0;
  v1::ProgressRow row;
};

// Result of RecordProgress.
struct ProgressCounts {
  int accepted = 0;
  int duplicates = 0;
};

class TrainingReader {
 public:
  virtual ~TrainingReader() = default;

  virtual Expected<std::optional<ContentBlob>> FindContent(std::string_view sha256) = 0;
  // Blobs no module item refers to, created before `before_ms`.
  virtual Expected<std::vector<ContentBlob>> ListUnreferencedContent(int64_t before_ms) = 0;
  virtual Expected<std::vector<std::string>> ListContentHashes() = 0;

  // `version` 0: the latest version of the code. Items are filled, in order.
  virtual Expected<std::optional<ModuleRecord>> FindModule(std::string_view code,
                                                           int32_t version) = 0;
  // The published version of the code, with its items.
  virtual Expected<std::optional<ModuleRecord>> FindPublishedModule(std::string_view code) = 0;
  // Code then version order, items filled.
  virtual Expected<std::vector<ModuleRecord>> ListModules(const ModuleFilter& filter) = 0;

  virtual Expected<std::optional<v1::ModuleAssignment>> FindAssignment(int64_t id) = 0;
  virtual Expected<std::vector<v1::ModuleAssignment>> ListAssignments(
      const AssignmentFilter& filter) = 0;
  // Whether some agent has this department or wave ("department" / "wave").
  virtual Expected<bool> AnyAgentWith(std::string_view column, std::string_view value) = 0;
  // The agent's current tier (agent_tiers), "" when never assessed.
  virtual Expected<std::string> FindAgentTier(std::string_view employee_number) = 0;

  // People with a usage session on the device that was open at or after
  // `since_ms`, most recent first.
  virtual Expected<std::vector<RecentUser>> ListRecentUsers(int64_t device_id,
                                                            int64_t since_ms) = 0;

  virtual Expected<std::vector<ProgressListRow>> ListProgress(const ProgressFilter& filter) = 0;
};

// Writes; every one must be audited by the caller in the same transaction
// (Store::Write refuses otherwise).
class TrainingWriter : public TrainingReader {
 public:
  // Inserts the blob, or refreshes created_at when it exists (same size).
  virtual Status PutContent(const ContentBlob& blob) = 0;
  virtual Status DeleteContent(std::string_view sha256) = 0;

  // Inserts a version (items included); returns its id.
  virtual Expected<int64_t> InsertModule(const v1::Module& module) = 0;
  // Appends items at the end of the module's (by id) items.
  virtual Status AppendModuleItems(int64_t module_id, const std::vector<v1::ModuleItem>& items) = 0;
  // Sets the state (and published_at when given) of one version by id.
  virtual Status SetModuleState(int64_t module_id, v1::ModuleState state,
                                std::optional<int64_t> published_at_ms) = 0;

  // ALREADY_EXISTS when the same module already has the same target.
  virtual Expected<int64_t> InsertAssignment(const v1::ModuleAssignment& assignment) = 0;
  virtual Status DeleteAssignment(int64_t id) = 0;

  // What Store::RecordProgress does, inside this audited transaction: for
  // bulk writers (the demo) that batch many devices in one commit.
  virtual Expected<ProgressCounts> InsertProgress(int64_t device_id,
                                                  const v1::ReportProgressRequest& request,
                                                  int64_t now_ms) = 0;
};

}  // namespace parc::store
