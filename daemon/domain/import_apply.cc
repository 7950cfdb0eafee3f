// Applying an ImportPlan to the store; reading one: import.cc.
#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <map>
#include <optional>

#include "common/time.h"
#include "daemon/domain/audit.h"
#include "daemon/domain/import.h"
#include "daemon/domain/records.h"
#include "daemon/domain/sites.h"

namespace parc::domain {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

enum class Action { kCreate, kUpdate, kUnchanged };

// What one row will do, decided before anything is written.
template <typename T>
struct Step {
  const ImportRow<T>* row = nullptr;
  Action action = Action::kUnchanged;
  T record;                          // the full record to insert, or the merged one to update
  std::string diff;                  // "department: PARCS -> VOIRIE; wave: vague-1 -> vague-2"
  std::vector<FieldChange> changes;  // the same, one field at a time
};

// The sites the file names that do not exist yet, by code, first written form kept.
using NewSites = std::map<std::string, v1::Site>;

// Adds the site `step` names to `sites` when it is new.
template <typename T>
Status PlanSite(store::Writer& w, const Step<T>& step, NewSites& sites) {
  if (step.action == Action::kUnchanged || step.record.site().empty() ||
      sites.contains(step.record.site())) {
    return Ok();
  }
  const std::string& written =
      step.row->site_as_written.empty() ? step.record.site() : step.row->site_as_written;
  PARC_ASSIGN_OR_RETURN(auto missing, MissingSite(w, written));
  if (missing && missing->code() == step.record.site()) sites.emplace(missing->code(), *missing);
  return Ok();
}

// Turns a Validate error ("field: reason") into a problem on `line`.
v1::ImportProblem ValidationProblem(int line, const std::map<std::string, std::string>& columns,
                                    const std::string& message) {
  size_t colon = message.find(": ");
  if (colon == std::string::npos) return Problem(line, "", message);
  return Problem(line, ColumnOf(columns, message.substr(0, colon)), message.substr(colon + 2));
}

// Store errors that mean "this row conflicts" rather than "storage failed".
bool IsRowConflict(const Error& e) {
  return e.code == ErrorCode::kAlreadyExists || e.code == ErrorCode::kInvalidArgument ||
         e.code == ErrorCode::kFailedPrecondition || e.code == ErrorCode::kNotFound;
}

void SetTimes(v1::Agent& a, int64_t now_ms, bool create) {
  if (create) ToTimestamp(now_ms, a.mutable_created_at());
  ToTimestamp(now_ms, a.mutable_updated_at());
}
void SetTimes(v1::Device& d, int64_t now_ms, bool create) {
  if (create) ToTimestamp(now_ms, d.mutable_created_at());
  ToTimestamp(now_ms, d.mutable_updated_at());
}

Expected<std::optional<v1::Agent>> FindExisting(store::Writer& w, const v1::Agent& a) {
  return w.FindAgent(a.employee_number());
}

// A device is found by its serial only: a row whose serial is another
// device's asset tag is a conflict, reported by the caller.
Expected<std::optional<v1::Device>> FindExisting(store::Writer& w, const v1::Device& d) {
  PARC_ASSIGN_OR_RETURN(auto found, w.FindDevice(d.serial()));
  if (found && found->serial() != d.serial()) {
    return Fail(ErrorCode::kAlreadyExists, fmt::format("serial: {} is the asset tag of device {}",
                                                       d.serial(), found->serial()));
  }
  return found;
}

// Record-specific checks of a step, beyond Validate.
// The same rule as UpdateAgent: nobody leaves while still holding devices.
Expected<std::optional<std::string>> CheckStep(store::Writer& w, const Step<v1::Agent>& step,
                                               const std::optional<v1::Agent>& existing) {
  if (!existing || step.record.status() != v1::AGENT_STATUS_LEFT ||
      existing->status() == v1::AGENT_STATUS_LEFT) {
    return std::nullopt;
  }
  store::AllocationFilter held;
  held.employee_number = existing->employee_number();
  held.open_only = true;
  PARC_ASSIGN_OR_RETURN(auto open, w.ListAllocations(held));
  if (open.empty()) return std::nullopt;
  std::vector<std::string> devices;
  for (const auto& a : open) {
    devices.push_back(a.device_asset_tag().empty() ? a.device_serial() : a.device_asset_tag());
  }
  return fmt::format("status: still holds {}: return them before marking the agent as left",
                     fmt::join(devices, ", "));
}

Expected<std::optional<std::string>> CheckStep(store::Writer& w, const Step<v1::Device>& step,
                                               const std::optional<v1::Device>& existing) {
  const v1::Device& d = step.record;
  auto from = existing ? existing->lifecycle() : v1::LIFECYCLE_UNSPECIFIED;
  if (from != d.lifecycle()) {
    if (from == v1::LIFECYCLE_ASSIGNED || d.lifecycle() == v1::LIFECYCLE_ASSIGNED) {
      return fmt::format("lifecycle: cannot change {} -> {} by import (assign and return do that)",
                         existing ? LifecycleName(from) : "new", LifecycleName(d.lifecycle()));
    }
    if (from == v1::LIFECYCLE_RETIRED)
      return std::string("lifecycle: a retired device stays retired");
  }
  if (!d.asset_tag().empty() && (!existing || existing->asset_tag() != d.asset_tag())) {
    auto other = w.FindDevice(d.asset_tag());
    if (!other && !IsRowConflict(other.error())) return std::unexpected(other.error());
    if (!other || (*other && (*other)->serial() != d.serial())) {
      return fmt::format("asset_tag: {} already belongs to device {}", d.asset_tag(),
                         other ? (*other)->serial() : std::string("(ambiguous)"));
    }
  }
  return std::nullopt;
}

// Decides what one row does, reading the database; appends problems.
template <typename T>
Expected<Step<T>> Plan(store::Writer& w, const ImportRow<T>& row, const ImportPlan<T>& plan,
                       int64_t now_ms, v1::ImportResult& result) {
  Step<T> step{&row, Action::kCreate, row.record, ""};
  auto found = FindExisting(w, row.record);
  if (!found && !IsRowConflict(found.error())) return std::unexpected(found.error());
  std::optional<T> existing = found ? *found : std::nullopt;
  if (!found) {
    *result.add_problems() = ValidationProblem(row.line, plan.columns, found.error().message);
    return step;
  }
  if (existing) {
    step.record = *existing;
    MergeFields(row.record, row.fields, &step.record);
    step.changes = Changes(*existing, step.record);
    step.diff = Diff(*existing, step.record);
    Normalize(step.record);
    step.action = step.diff.empty() ? Action::kUnchanged : Action::kUpdate;
  }
  if (step.action == Action::kUnchanged) return step;
  SetTimes(step.record, now_ms, step.action == Action::kCreate);
  if (auto valid = Validate(step.record); !valid) {
    *result.add_problems() = ValidationProblem(row.line, plan.columns, valid.error().message);
    return step;
  }
  PARC_ASSIGN_OR_RETURN(auto problem, CheckStep(w, step, existing));
  if (problem) *result.add_problems() = ValidationProblem(row.line, plan.columns, *problem);
  return step;
}

Expected<int64_t> Insert(store::Writer& w, const v1::Agent& a) { return w.InsertAgent(a); }
Expected<int64_t> Insert(store::Writer& w, const v1::Device& d) { return w.InsertDevice(d); }
Status Update(store::Writer& w, const v1::Agent& a) { return w.UpdateAgent(a); }
Status Update(store::Writer& w, const v1::Device& d) { return w.UpdateDevice(d); }
std::string Target(const v1::Agent& a) { return "agent:" + a.employee_number(); }
std::string Target(const v1::Device& d) { return "device:" + d.serial(); }
const std::string& Key(const v1::Agent& a) { return a.employee_number(); }
const std::string& Key(const v1::Device& d) { return d.serial(); }

template <typename T>
void AddChanges(const Step<T>& step, v1::ImportResult& result) {
  for (const FieldChange& c : step.changes) {
    v1::ImportChange* change = result.add_changes();
    change->set_line(step.row->line);
    change->set_key(Key(step.record));
    change->set_field(c.field);
    change->set_old_value(c.old_value);
    change->set_new_value(c.new_value);
  }
}

Status Audit(store::Writer& w, const std::string& actor, int64_t now_ms, std::string action,
             std::string target, std::string summary) {
  v1::AuditEvent event;
  ToTimestamp(now_ms, event.mutable_at());
  event.set_actor(actor);
  event.set_action(std::move(action));
  event.set_target(std::move(target));
  event.set_summary(std::move(summary));
  PARC_TRY(w.AppendAudit(event));
  return Ok();
}

// Writes one step and its audit event; a conflict becomes a problem.
template <typename T>
Status Write(store::Writer& w, const Step<T>& step, std::string_view noun, const std::string& actor,
             int64_t now_ms, v1::ImportResult& result) {
  Status written = Ok();
  if (step.action == Action::kCreate) {
    if (auto id = Insert(w, step.record); !id) written = std::unexpected(id.error());
  } else {
    written = Update(w, step.record);
  }
  if (!written) {
    if (!IsRowConflict(written.error())) return written;
    *result.add_problems() = Problem(step.row->line, "", written.error().message);
    return Ok();
  }
  bool create = step.action == Action::kCreate;
  return Audit(w, actor, now_ms, fmt::format("{}.{}", noun, create ? "create" : "update"),
               Target(step.record),
               create ? fmt::format("imported (line {})", step.row->line) : step.diff);
}

template <typename T>
Expected<v1::ImportResult> Apply(store::Writer& w, const ImportPlan<T>& plan, std::string_view noun,
                                 const std::string& actor, int64_t now_ms, bool dry_run) {
  v1::ImportResult result;
  for (const auto& p : plan.problems) *result.add_problems() = p;
  std::vector<Step<T>> steps;
  NewSites sites;
  std::map<std::string, int> site_lines;  // code -> first line naming it
  for (const ImportRow<T>& row : plan.rows) {
    PARC_ASSIGN_OR_RETURN(Step<T> step, Plan(w, row, plan, now_ms, result));
    size_t before = sites.size();
    PARC_TRY(PlanSite(w, step, sites));
    if (sites.size() > before) site_lines.emplace(step.record.site(), row.line);
    result.set_created(result.created() + (step.action == Action::kCreate));
    result.set_updated(result.updated() + (step.action == Action::kUpdate));
    result.set_unchanged(result.unchanged() + (step.action == Action::kUnchanged));
    if (step.action == Action::kUpdate) AddChanges(step, result);
    steps.push_back(std::move(step));
  }
  for (const auto& [code, site] : sites) *result.add_new_sites() = site;
  if (result.problems_size() == 0 && !dry_run) {
    for (const auto& [code, site] : sites) {
      PARC_TRY(
          CreateNamedSite(w, actor, now_ms, site,
                          fmt::format("named by the {} import, line {}", noun, site_lines[code])));
    }
    for (const Step<T>& step : steps) {
      if (step.action != Action::kUnchanged) PARC_TRY(Write(w, step, noun, actor, now_ms, result));
    }
  }
  auto* problems = result.mutable_problems();
  std::stable_sort(problems->begin(), problems->end(),
                   [](const auto& a, const auto& b) { return a.line() < b.line(); });
  if (result.problems_size() > 0 || dry_run) return result;
  PARC_TRY(Audit(w, actor, now_ms, fmt::format("{}.import", noun), fmt::format("{}s", noun),
                 fmt::format("created={} updated={} unchanged={}{}", result.created(),
                             result.updated(), result.unchanged(),
                             sites.empty() ? "" : fmt::format(" new_sites={}", sites.size()))));
  result.set_applied(true);
  return result;
}

template <typename T, typename ParseFn, typename ApplyFn>
Expected<v1::ImportResult> Run(store::Store& store, std::string_view csv, ParseFn parse,
                               ApplyFn apply, const std::string& actor, int64_t now_ms,
                               bool dry_run, const std::vector<std::string>& ignore_columns) {
  PARC_ASSIGN_OR_RETURN(ImportPlan<T> plan, parse(csv, ignore_columns));
  v1::ImportResult result;
  bool rolled_back = false;
  Status written = store.Write([&](store::Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(result, apply(w, plan, actor, now_ms, dry_run));
    if (result.applied()) return Ok();
    rolled_back = true;  // the error below only undoes the transaction
    return Fail(ErrorCode::kAborted, "import not applied");
  });
  if (!written && !rolled_back) return std::unexpected(written.error());
  return result;
}

}  // namespace

Expected<v1::ImportResult> ApplyAgentsImport(store::Writer& writer,
                                             const ImportPlan<v1::Agent>& plan,
                                             const std::string& actor, int64_t now_ms,
                                             bool dry_run) {
  return Apply(writer, plan, "agent", actor, now_ms, dry_run);
}

Expected<v1::ImportResult> ApplyDevicesImport(store::Writer& writer,
                                              const ImportPlan<v1::Device>& plan,
                                              const std::string& actor, int64_t now_ms,
                                              bool dry_run) {
  return Apply(writer, plan, "device", actor, now_ms, dry_run);
}

Expected<v1::ImportResult> ImportAgents(store::Store& store, std::string_view csv,
                                        const std::string& actor, int64_t now_ms, bool dry_run,
                                        const std::vector<std::string>& ignore_columns) {
  return Run<v1::Agent>(store, csv, ParseAgentsCsv, ApplyAgentsImport, actor, now_ms, dry_run,
                        ignore_columns);
}

Expected<v1::ImportResult> ImportDevices(store::Store& store, std::string_view csv,
                                         const std::string& actor, int64_t now_ms, bool dry_run,
                                         const std::vector<std::string>& ignore_columns) {
  return Run<v1::Device>(store, csv, ParseDevicesCsv, ApplyDevicesImport, actor, now_ms, dry_run,
                         ignore_columns);
}

}  // namespace parc::domain
