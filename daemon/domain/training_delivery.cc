// Which modules a device must hold, the revision of that set, and the rules
// for progress events.
#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <climits>
#include <map>
#include <set>

#include "common/crypto.h"
#include "daemon/domain/training.h"

namespace parc::domain {

namespace {

bool Printable(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) > 0x20 && c != 0x7f; });
}

}  // namespace

std::string DisplayName(const v1::Agent& agent) {
  std::string name = agent.first_name();
  if (!agent.last_name().empty()) name += (name.empty() ? "" : " ") + agent.last_name();
  return name;
}

Expected<std::string> HolderOf(store::Reader& r, int64_t device_id) {
  PARC_ASSIGN_OR_RETURN(auto open, r.FindOpenAllocation(device_id));
  if (!open || open->kind() == v1::ALLOCATION_KIND_SITE) return std::string();
  return open->employee_number();
}

Expected<ServedPeople> PeopleServedBy(store::Reader& r, int64_t device_id, int64_t now_ms,
                                      int64_t window_ms) {
  ServedPeople out;
  PARC_ASSIGN_OR_RETURN(std::string holder, HolderOf(r, device_id));
  if (!holder.empty()) {
    out.employee_numbers.push_back(std::move(holder));
    return out;
  }
  PARC_ASSIGN_OR_RETURN(auto users, r.training().ListRecentUsers(device_id, now_ms - window_ms));
  std::set<std::string> people;
  for (const store::RecentUser& user : users) {
    if (!people.insert(user.employee_number).second || user.open) continue;
    out.valid_until_ms = std::min(out.valid_until_ms, user.last_used_ms + window_ms);
  }
  out.employee_numbers.assign(people.begin(), people.end());
  return out;
}

Expected<DeviceContent> ResolveDeviceContent(store::Reader& r, int64_t device_id, int64_t now_ms,
                                             int64_t window_ms) {
  return ResolveDeviceContent(r, device_id, now_ms, window_ms, &PublishedModule);
}

Expected<std::shared_ptr<const v1::Module>> PublishedModule(store::Reader& r,
                                                            const std::string& code) {
  PARC_ASSIGN_OR_RETURN(auto published, r.training().FindPublishedModule(code));
  if (!published) return nullptr;
  return std::make_shared<const v1::Module>(std::move(published->module));
}

Expected<DeviceContent> ResolveDeviceContent(store::Reader& r, int64_t device_id, int64_t now_ms,
                                             int64_t window_ms,
                                             const FindPublished& find_published) {
  PARC_ASSIGN_OR_RETURN(ServedPeople people, PeopleServedBy(r, device_id, now_ms, window_ms));
  DeviceContent out;
  out.valid_until_ms = people.valid_until_ms;
  // code -> (employee number -> {display name, earliest due date})
  std::map<std::string, std::map<std::string, v1::AssignedPerson>> wanted;
  for (const std::string& number : people.employee_numbers) {
    PARC_ASSIGN_OR_RETURN(auto agent, r.FindAgent(number));
    if (!agent || agent->status() == v1::AGENT_STATUS_LEFT) continue;
    PARC_ASSIGN_OR_RETURN(std::string tier, r.training().FindAgentTier(number));
    store::AssignmentFilter filter{
        .reaching = store::PersonKeys{.employee_number = agent->employee_number(),
                                      .department = agent->department(),
                                      .wave = agent->wave(),
                                      .tier = tier},
        .limit = INT_MAX};
    PARC_ASSIGN_OR_RETURN(auto assignments, r.training().ListAssignments(filter));
    for (const v1::ModuleAssignment& a : assignments) {
      auto [it, added] = wanted[a.module_code()].try_emplace(number);
      v1::AssignedPerson& person = it->second;
      if (added) {
        person.set_employee_number(number);
        person.set_display_name(DisplayName(*agent));
        person.set_due_date(a.due_date());
      } else if (!a.due_date().empty() &&
                 (person.due_date().empty() || a.due_date() < person.due_date())) {
        person.set_due_date(a.due_date());
      }
    }
  }
  for (auto& [code, people_of] : wanted) {
    PARC_ASSIGN_OR_RETURN(auto published, find_published(r, code));
    if (!published) continue;  // a draft only, or archived: delivered to no one
    const v1::Module& m = *published;
    v1::AssignedModule& out_module = out.modules.emplace_back();
    out_module.set_code(m.code());
    out_module.set_version(m.version());
    out_module.set_title(m.title());
    out_module.set_description(m.description());
    out_module.set_estimated_minutes(m.estimated_minutes());
    for (const v1::ModuleItem& item : m.items()) {
      v1::ContentItem* c = out_module.add_items();
      c->set_position(item.position());
      c->set_title(item.title());
      c->set_file_name(item.file_name());
      c->set_kind(item.kind());
      c->set_sha256(item.sha256());
      c->set_size(item.size());
    }
    for (auto& [number, person] : people_of) *out_module.add_people() = std::move(person);
  }
  return out;
}

uint64_t ContentRevision(const std::vector<v1::AssignedModule>& modules) {
  if (modules.empty()) return 0;
  Sha256Stream hash;
  std::string bytes;
  for (const v1::AssignedModule& m : modules) {
    bytes.clear();
    google::protobuf::io::StringOutputStream raw(&bytes);
    {
      google::protobuf::io::CodedOutputStream coded(&raw);
      coded.SetSerializationDeterministic(true);
      m.SerializeToCodedStream(&coded);
    }
    hash.Update(fmt::format("{}:", bytes.size()));
    hash.Update(bytes);
  }
  std::string hex = hash.FinishHex();
  uint64_t revision = std::stoull(hex.substr(0, 16), nullptr, 16);
  return revision == 0 ? 1 : revision;
}

Status ValidateProgress(const v1::ReportProgressRequest& req) {
  if (req.events().empty()) return InvalidArgument("events", "at least one event");
  if (req.events_size() > kMaxProgressEvents) {
    return InvalidArgument("events", fmt::format("at most {} per call", kMaxProgressEvents));
  }
  for (int i = 0; i < req.events_size(); ++i) {
    const v1::ProgressEvent& e = req.events(i);
    auto field = [i](std::string_view name) { return fmt::format("events[{}].{}", i, name); };
    if (e.id().empty() || e.id().size() > 128 || !Printable(e.id())) {
      return InvalidArgument(field("id"), "required: 1 to 128 visible characters");
    }
    if (e.employee_number().empty() || e.employee_number().size() > 64 ||
        !Printable(e.employee_number())) {
      return InvalidArgument(field("employee_number"), "required");
    }
    PARC_TRY(ValidateModuleCode(e.module_code(), field("module_code")));
    if (e.module_version() < 0) return InvalidArgument(field("module_version"), "negative");
    if (e.kind() == v1::PROGRESS_KIND_UNSPECIFIED || !v1::ProgressKind_IsValid(e.kind())) {
      return InvalidArgument(field("kind"),
                             "opened, item_completed, module_completed or quiz_score");
    }
    if (e.kind() == v1::PROGRESS_KIND_ITEM_COMPLETED && !IsSha256Hex(e.item_sha256())) {
      return InvalidArgument(field("item_sha256"), "the item's SHA-256 (64 lowercase hex digits)");
    }
    if (e.kind() == v1::PROGRESS_KIND_QUIZ_SCORE && (e.score() < 0 || e.score() > 100)) {
      return InvalidArgument(field("score"), fmt::format("{} is not between 0 and 100", e.score()));
    }
    if (e.has_at() && (e.at().seconds() <= 0 || e.at().nanos() < 0)) {
      return InvalidArgument(field("at"), "not a time");
    }
  }
  return Ok();
}

Status CheckProgressSubjects(store::Reader& r, const v1::ReportProgressRequest& req) {
  std::set<std::string> agents, modules;
  for (int i = 0; i < req.events_size(); ++i) {
    const v1::ProgressEvent& e = req.events(i);
    if (agents.insert(e.employee_number()).second) {
      PARC_ASSIGN_OR_RETURN(auto agent, r.FindAgent(e.employee_number()));
      if (!agent) {
        return InvalidArgument(fmt::format("events[{}].employee_number", i),
                               fmt::format("no agent {}", e.employee_number()));
      }
    }
    if (modules.insert(e.module_code()).second) {
      PARC_ASSIGN_OR_RETURN(auto module, r.training().FindModule(e.module_code(), 0));
      if (!module) {
        return InvalidArgument(fmt::format("events[{}].module_code", i),
                               fmt::format("no module {}", e.module_code()));
      }
    }
  }
  return Ok();
}

}  // namespace parc::domain
