// Modules, their versions and items, content records and assignments.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "common/crypto.h"
#include "common/time.h"
#include "daemon/domain/audit.h"
#include "daemon/domain/records.h"
#include "daemon/domain/training.h"

namespace parc::domain {

namespace {

constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxDescription = 4000;
constexpr size_t kMaxFileName = 255;

std::string Trim(std::string_view text) {
  const auto* space = " \t\r\n";
  size_t first = text.find_first_not_of(space);
  if (first == text.npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(space) - first + 1));
}

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n'; });
}

// A tier code as the skills side writes them ("a-consolider"): lowercase
// letters, digits and '-'.
Expected<std::string> TierCode(std::string_view text, std::string_view field) {
  std::string code = Trim(text);
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  bool ok = !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!ok) return InvalidArgument(field, fmt::format("'{}' is not a skill tier code", text));
  return code;
}

std::string ModuleTarget(std::string_view code) { return fmt::format("module:{}", code); }

Expected<store::ModuleRecord> RequireModule(store::Reader& r, std::string_view code,
                                            std::string_view field) {
  PARC_TRY(ValidateModuleCode(code, field));
  PARC_ASSIGN_OR_RETURN(auto found, r.training().FindModule(code, 0));
  if (!found) return NotFound(fmt::format("{}: no module {}", field, code));
  return std::move(*found);
}

Status ValidateText(const v1::Module& m) {
  if (m.title().empty()) return InvalidArgument("title", "required");
  if (m.title().size() > kMaxTitle || HasControl(m.title())) {
    return InvalidArgument("title", fmt::format("at most {} characters, on one line", kMaxTitle));
  }
  if (m.description().size() > kMaxDescription || HasControl(m.description())) {
    return InvalidArgument("description",
                           fmt::format("at most {} characters of text", kMaxDescription));
  }
  if (m.estimated_minutes() < 0 || m.estimated_minutes() > 100000) {
    return InvalidArgument("estimated_minutes", "between 0 and 100000");
  }
  return Ok();
}

// The title of an item named only by its file: the name without extension.
std::string TitleFromFileName(std::string_view file_name) {
  size_t dot = file_name.rfind('.');
  return std::string(dot == 0 || dot == file_name.npos ? file_name : file_name.substr(0, dot));
}

}  // namespace

std::string NormalizeModuleCode(std::string_view text) {
  std::string code = Trim(text);
  for (char& c : code) {
    c = c == ' ' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return code;
}

Status ValidateModuleCode(std::string_view code, std::string_view field) {
  if (code.empty()) return InvalidArgument(field, "required");
  bool ok = code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char c) {
              return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            });
  if (!ok) {
    return InvalidArgument(field,
                           fmt::format("'{}': at most 64 letters, digits, '-' or '_'", code));
  }
  return Ok();
}

v1::ContentKind KindFromFileName(std::string_view file_name) {
  size_t dot = file_name.rfind('.');
  if (dot == file_name.npos) return v1::CONTENT_KIND_OTHER;
  std::string ext(file_name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::pair<std::string_view, v1::ContentKind> kKinds[] = {
      {"pdf", v1::CONTENT_KIND_PDF},    {"mp4", v1::CONTENT_KIND_VIDEO},
      {"webm", v1::CONTENT_KIND_VIDEO}, {"mkv", v1::CONTENT_KIND_VIDEO},
      {"mov", v1::CONTENT_KIND_VIDEO},  {"avi", v1::CONTENT_KIND_VIDEO},
      {"zip", v1::CONTENT_KIND_HTML},   {"html", v1::CONTENT_KIND_HTML},
      {"htm", v1::CONTENT_KIND_HTML},   {"png", v1::CONTENT_KIND_IMAGE},
      {"jpg", v1::CONTENT_KIND_IMAGE},  {"jpeg", v1::CONTENT_KIND_IMAGE},
      {"gif", v1::CONTENT_KIND_IMAGE},  {"webp", v1::CONTENT_KIND_IMAGE},
      {"svg", v1::CONTENT_KIND_IMAGE},  {"mp3", v1::CONTENT_KIND_AUDIO},
      {"ogg", v1::CONTENT_KIND_AUDIO},  {"m4a", v1::CONTENT_KIND_AUDIO},
      {"wav", v1::CONTENT_KIND_AUDIO},  {"opus", v1::CONTENT_KIND_AUDIO},
  };
  for (const auto& [name, kind] : kKinds) {
    if (ext == name) return kind;
  }
  return v1::CONTENT_KIND_OTHER;
}

Expected<v1::Module> GetModule(store::Reader& r, std::string_view code, int32_t version) {
  std::string normalized = NormalizeModuleCode(code);
  PARC_TRY(ValidateModuleCode(normalized, "code"));
  if (version < 0) return InvalidArgument("version", "negative");
  PARC_ASSIGN_OR_RETURN(auto found, r.training().FindModule(normalized, version));
  if (!found) {
    if (version == 0) return NotFound(fmt::format("code: no module {}", normalized));
    return NotFound(fmt::format("version: module {} has no version {}", normalized, version));
  }
  return std::move(found->module);
}

Expected<v1::Module> CreateModule(store::Writer& w, const Call& call,
                                  const v1::CreateModuleRequest& req) {
  v1::Module m;
  m.set_code(NormalizeModuleCode(req.code()));
  PARC_TRY(ValidateModuleCode(m.code(), "code"));
  PARC_ASSIGN_OR_RETURN(auto latest, w.training().FindModule(m.code(), 0));
  if (latest && latest->module.state() == v1::MODULE_STATE_DRAFT) {
    return Fail(ErrorCode::kAlreadyExists,
                fmt::format("code: module {} already has a draft (version {})", m.code(),
                            latest->module.version()));
  }
  if (req.copy_items() && !latest) {
    return InvalidArgument("copy_items", fmt::format("no earlier version of {}", m.code()));
  }
  m.set_version(latest ? latest->module.version() + 1 : 1);
  m.set_state(v1::MODULE_STATE_DRAFT);
  m.set_title(Trim(req.title()));
  m.set_description(Trim(req.description()));
  m.set_estimated_minutes(req.estimated_minutes());
  for (int i = 0; i < req.target_tiers_size(); ++i) {
    PARC_ASSIGN_OR_RETURN(std::string tier,
                          TierCode(req.target_tiers(i), fmt::format("target_tiers[{}]", i)));
    m.add_target_tiers(tier);
  }
  if (latest) {  // a new version keeps what it does not change
    const v1::Module& before = latest->module;
    if (m.title().empty()) m.set_title(before.title());
    if (m.description().empty()) m.set_description(before.description());
    if (m.target_tiers().empty()) *m.mutable_target_tiers() = before.target_tiers();
    if (m.estimated_minutes() == 0) m.set_estimated_minutes(before.estimated_minutes());
    if (req.copy_items()) *m.mutable_items() = before.items();
  }
  PARC_TRY(ValidateText(m));
  m.set_created_by(call.who.name);
  ToTimestamp(call.now_ms, m.mutable_created_at());
  PARC_TRY(w.training_writer().InsertModule(m));
  PARC_TRY(Audit(w, call, "module.create", ModuleTarget(m.code()),
                 fmt::format("version {} (draft): {}{}", m.version(), m.title(),
                             m.items_size() ? fmt::format(", {} items copied", m.items_size())
                                            : std::string())));
  return m;
}

Expected<v1::Module> AddModuleItems(store::Writer& w, const Call& call,
                                    const v1::AddModuleItemsRequest& req) {
  std::string code = NormalizeModuleCode(req.code());
  PARC_ASSIGN_OR_RETURN(auto draft, RequireModule(w, code, "code"));
  if (draft.module.state() != v1::MODULE_STATE_DRAFT) {
    return FailedPrecondition(fmt::format(
        "module {} has no draft: create a new version first (parcctl modules add {})", code, code));
  }
  if (req.items().empty()) return InvalidArgument("items", "at least one item");
  std::vector<v1::ModuleItem> items;
  for (int i = 0; i < req.items_size(); ++i) {
    const v1::ModuleItem& in = req.items(i);
    const std::string field = fmt::format("items[{}]", i);
    v1::ModuleItem item;
    item.set_file_name(Trim(in.file_name()));
    if (item.file_name().empty() || item.file_name().size() > kMaxFileName ||
        HasControl(item.file_name()) || item.file_name().find('/') != std::string::npos) {
      return InvalidArgument(field + ".file_name",
                             "required: a file name without '/', at most 255 characters");
    }
    item.set_title(Trim(in.title()).empty() ? TitleFromFileName(item.file_name())
                                            : Trim(in.title()));
    if (item.title().size() > kMaxTitle || HasControl(item.title())) {
      return InvalidArgument(field + ".title", "at most 200 characters, on one line");
    }
    if (!IsSha256Hex(in.sha256())) {
      return InvalidArgument(field + ".sha256", "64 lowercase hex digits");
    }
    PARC_ASSIGN_OR_RETURN(auto blob, w.training().FindContent(in.sha256()));
    if (!blob) {
      return NotFound(
          fmt::format("{}.sha256: {} was not uploaded (or was collected): upload it first", field,
                      in.sha256()));
    }
    item.set_sha256(in.sha256());
    item.set_size(blob->size);
    item.set_kind(KindFromFileName(item.file_name()));
    items.push_back(std::move(item));
  }
  PARC_TRY(w.training_writer().AppendModuleItems(draft.id, items));
  std::string names;
  for (const auto& item : items) names += (names.empty() ? "" : ", ") + item.file_name();
  PARC_TRY(Audit(
      w, call, "module.add_items", ModuleTarget(code),
      fmt::format("version {}: {} items added: {}", draft.module.version(), items.size(), names)));
  return GetModule(w, code, draft.module.version());
}

Expected<v1::Module> PublishModule(store::Writer& w, const Call& call, std::string_view code_in) {
  std::string code = NormalizeModuleCode(code_in);
  PARC_ASSIGN_OR_RETURN(auto draft, RequireModule(w, code, "code"));
  if (draft.module.state() != v1::MODULE_STATE_DRAFT) {
    return FailedPrecondition(fmt::format("module {} has no draft to publish", code));
  }
  if (draft.module.items().empty()) {
    return FailedPrecondition(
        fmt::format("module {} version {} has no items: add content before publishing", code,
                    draft.module.version()));
  }
  PARC_ASSIGN_OR_RETURN(auto published, w.training().FindPublishedModule(code));
  std::string summary = fmt::format("version {} published", draft.module.version());
  if (published) {
    PARC_TRY(w.training_writer().SetModuleState(published->id, v1::MODULE_STATE_SUPERSEDED,
                                                std::nullopt));
    summary += fmt::format(", version {} superseded", published->module.version());
  }
  PARC_TRY(w.training_writer().SetModuleState(draft.id, v1::MODULE_STATE_PUBLISHED, call.now_ms));
  PARC_TRY(Audit(w, call, "module.publish", ModuleTarget(code), summary));
  return GetModule(w, code, draft.module.version());
}

Expected<v1::Module> ArchiveModule(store::Writer& w, const Call& call, std::string_view code_in) {
  std::string code = NormalizeModuleCode(code_in);
  PARC_ASSIGN_OR_RETURN(auto latest, RequireModule(w, code, "code"));
  if (latest.module.state() == v1::MODULE_STATE_ARCHIVED) {
    return FailedPrecondition(fmt::format("module {} is already archived", code));
  }
  int archived = 0;
  for (int32_t version = 1; version <= latest.module.version(); ++version) {
    PARC_ASSIGN_OR_RETURN(auto found, w.training().FindModule(code, version));
    if (!found || found->module.state() == v1::MODULE_STATE_ARCHIVED) continue;
    PARC_TRY(
        w.training_writer().SetModuleState(found->id, v1::MODULE_STATE_ARCHIVED, std::nullopt));
    ++archived;
  }
  PARC_TRY(Audit(w, call, "module.archive", ModuleTarget(code),
                 fmt::format("{} versions archived: delivered to no one", archived)));
  return GetModule(w, code, latest.module.version());
}

Status RecordContent(store::Writer& w, const Call& call, const store::ContentBlob& blob,
                     std::string_view file_name, bool already_present) {
  PARC_TRY(w.training_writer().PutContent(blob));
  return Audit(w, call, "content.upload", "content:" + blob.sha256,
               fmt::format("{}, {} bytes{}", file_name.empty() ? "(no name)" : file_name, blob.size,
                           already_present ? " (already stored)" : ""));
}

Expected<v1::ModuleAssignment> AssignModule(store::Writer& w, const Call& call,
                                            const v1::AssignModuleRequest& req) {
  v1::ModuleAssignment a;
  a.set_module_code(NormalizeModuleCode(req.module_code()));
  PARC_ASSIGN_OR_RETURN(auto module, RequireModule(w, a.module_code(), "module_code"));
  if (module.module.state() == v1::MODULE_STATE_ARCHIVED) {
    return FailedPrecondition(fmt::format("module {} is archived", a.module_code()));
  }
  std::string to;
  switch (req.to_case()) {
    case v1::AssignModuleRequest::kEmployeeNumber: {
      std::string number = Trim(req.employee_number());
      std::transform(number.begin(), number.end(), number.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      PARC_ASSIGN_OR_RETURN(auto agent, w.FindAgent(number));
      if (!agent) return NotFound(fmt::format("employee_number: no agent {}", number));
      a.set_employee_number(number);
      to = "agent " + number;
      break;
    }
    case v1::AssignModuleRequest::kDepartment: {
      std::string department = NormalizeCode(req.department());
      PARC_ASSIGN_OR_RETURN(bool known, w.training().AnyAgentWith("department", department));
      if (!known)
        return NotFound(fmt::format("department: no agent in department '{}'", department));
      a.set_department(department);
      to = "department " + department;
      break;
    }
    case v1::AssignModuleRequest::kWave: {
      std::string wave = Trim(req.wave());
      PARC_ASSIGN_OR_RETURN(bool known, w.training().AnyAgentWith("wave", wave));
      if (wave.empty() || !known) return NotFound(fmt::format("wave: no agent in wave '{}'", wave));
      a.set_wave(wave);
      to = "wave " + wave;
      break;
    }
    case v1::AssignModuleRequest::kSkillTier: {
      PARC_ASSIGN_OR_RETURN(std::string tier, TierCode(req.skill_tier(), "skill_tier"));
      a.set_skill_tier(tier);
      to = "tier " + tier;
      break;
    }
    default:
      return InvalidArgument("to", "one of employee_number, department, wave, skill_tier");
  }
  if (!Trim(req.due_date()).empty()) {
    auto due = ParseDate(Trim(req.due_date()));
    if (!due) return InvalidArgument("due_date", due.error().message);
    a.set_due_date(*due);
  }
  a.set_assigned_by(call.who.name);
  ToTimestamp(call.now_ms, a.mutable_assigned_at());
  PARC_ASSIGN_OR_RETURN(int64_t id, w.training_writer().InsertAssignment(a));
  a.set_id(id);
  PARC_TRY(Audit(w, call, "module.assign", ModuleTarget(a.module_code()),
                 fmt::format("assignment {} to {}{}", id, to,
                             a.due_date().empty() ? "" : ", due " + a.due_date())));
  return a;
}

Status RemoveAssignment(store::Writer& w, const Call& call, int64_t id) {
  if (id <= 0) return InvalidArgument("id", "required");
  PARC_ASSIGN_OR_RETURN(auto found, w.training().FindAssignment(id));
  if (!found) return NotFound(fmt::format("id: no assignment {}", id));
  PARC_TRY(w.training_writer().DeleteAssignment(id));
  return Audit(w, call, "module.unassign", ModuleTarget(found->module_code()),
               fmt::format("assignment {} removed", id));
}

}  // namespace parc::domain
