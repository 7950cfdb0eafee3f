#include "daemon/domain/records.h"

#include <fmt/format.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/util/field_mask_util.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include "common/fold.h"
#include "common/time.h"
#include "common/vocabulary.h"

namespace parc::domain {
namespace {

void Trim(std::string* s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s->erase(s->begin(), std::find_if(s->begin(), s->end(), not_space));
  s->erase(std::find_if(s->rbegin(), s->rend(), not_space).base(), s->end());
}

void TrimAndUpper(std::string* s) {
  Trim(s);
  for (char& c : *s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

template <typename Enum>
Expected<Enum> ParseName(std::string_view text, std::optional<Enum> value, std::string_view what,
                         const std::vector<std::string>& names) {
  if (value) return *value;
  std::string expected;  // "a, b or c"
  for (size_t i = 0; i < names.size(); ++i) {
    expected += i == 0 ? "" : i + 1 == names.size() ? " or " : ", ";
    expected += names[i];
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("'{}' is not a {} (expected {})", text, what, expected));
}

std::string_view OrUnspecified(std::string_view name) {
  return name.empty() ? std::string_view("unspecified") : name;
}

constexpr size_t kMaxField = 200;
constexpr size_t kMaxNotes = 4000;

Status CheckLength(std::string_view field, const std::string& value, size_t max = kMaxField) {
  if (value.size() > max) return InvalidArgument(field, fmt::format("longer than {} bytes", max));
  for (unsigned char c : value) {
    if (c < 0x20 && c != '\n' && c != '\t')
      return InvalidArgument(field, "contains a control character");
  }
  return Ok();
}

Status Required(std::string_view field, const std::string& value) {
  if (value.empty()) return InvalidArgument(field, "required");
  return CheckLength(field, value);
}

Status OptionalDate(std::string_view field, const std::string& value) {
  if (!value.empty() && !IsIsoDate(value)) return InvalidArgument(field, "not a date (YYYY-MM-DD)");
  return Ok();
}

// A work phone as people write it: "02 99 28 55 55", "+33 6 12 34 56 78",
// "02.99.28.55.55 (poste 412)" is refused (a note, not a number).
Status CheckPhone(const std::string& phone) {
  PARC_TRY(CheckLength("phone", phone, 32));
  int digits = 0;
  for (unsigned char c : phone) {
    if (std::isdigit(c)) {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '.' && c != '-' && c != '(' && c != ')' && c != '/') {
      return InvalidArgument("phone", "only digits, spaces and + . - ( ) /");
    }
  }
  if (!phone.empty() && digits < 3) return InvalidArgument("phone", "not a phone number");
  return Ok();
}

// The manager is named by employee number (what HR exports carry), not by name.
Status CheckManager(const v1::Agent& agent) {
  const std::string& manager = agent.manager();
  PARC_TRY(CheckLength("manager", manager));
  if (std::any_of(manager.begin(), manager.end(),
                  [](unsigned char c) { return std::isspace(c) != 0; })) {
    return InvalidArgument("manager", "the manager's employee number, without spaces (not a name)");
  }
  if (!manager.empty() && manager == agent.employee_number()) {
    return InvalidArgument("manager", "a person is not their own manager");
  }
  return Ok();
}

// Whether `text` has a capital letter: ASCII, Latin-1 (À..Þ) or Œ.
bool HasCapital(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') return true;
    if (i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (c == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) return true;
      if (c == 0xC5 && next == 0x92) return true;
    }
  }
  return false;
}

// "État civil" -> department ETAT-CIVIL named "État civil". A department
// written as its code ("ETAT-CIVIL") or typed in small letters ("état civil",
// "voirie": a code typed quickly, not a name) keeps its name, unless the name
// is another code's (the record moved): a name always folds to its code.
void SplitDepartment(std::string* department, std::string* name) {
  Trim(department);
  Trim(name);
  std::string code = NormalizeCode(*department);
  if (*department != code && HasCapital(*department)) {
    *name = *department;
  } else if (NormalizeCode(*name) != code) {
    name->clear();
  }
  *department = std::move(code);
}

}  // namespace

std::string NormalizeCode(std::string_view text) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  const std::string folded = FoldForSearch(text);
  std::string_view rest = folded;
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  while (!rest.empty() && is_space(rest.back())) rest.remove_suffix(1);
  std::string out;
  out.reserve(rest.size());
  for (size_t i = 0; i < rest.size();) {
    if (is_space(rest[i])) {
      if (out.empty() || out.back() != '-') out.push_back('-');
      while (i < rest.size() && is_space(rest[i])) ++i;
      continue;
    }
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(rest[i++]))));
  }
  return out;
}

void Normalize(v1::Agent& agent) {
  for (std::string* s : {agent.mutable_employee_number(), agent.mutable_first_name(),
                         agent.mutable_last_name(), agent.mutable_advisor(), agent.mutable_wave(),
                         agent.mutable_badge(), agent.mutable_phone()}) {
    Trim(s);
  }
  TrimAndUpper(agent.mutable_employee_number());
  TrimAndUpper(agent.mutable_manager());
  SplitDepartment(agent.mutable_department(), agent.mutable_department_name());
  agent.set_site(NormalizeCode(agent.site()));
  if (agent.status() == v1::AGENT_STATUS_UNSPECIFIED) agent.set_status(v1::AGENT_STATUS_ACTIVE);
}

void Normalize(v1::Device& device) {
  for (std::string* s :
       {device.mutable_serial(), device.mutable_asset_tag(), device.mutable_model(),
        device.mutable_os(), device.mutable_purchase_date(), device.mutable_warranty_end(),
        device.mutable_notes()}) {
    Trim(s);
  }
  TrimAndUpper(device.mutable_asset_tag());
  device.set_site(NormalizeCode(device.site()));
  SplitDepartment(device.mutable_department(), device.mutable_department_name());
  if (device.lifecycle() == v1::LIFECYCLE_UNSPECIFIED) device.set_lifecycle(v1::LIFECYCLE_IN_STOCK);
}

void Normalize(v1::Site& site) {
  site.set_code(NormalizeCode(site.code()));
  Trim(site.mutable_name());
  Trim(site.mutable_address());
}

Status Validate(const v1::Agent& agent) {
  PARC_TRY(Required("employee_number", agent.employee_number()));
  PARC_TRY(Required("last_name", agent.last_name()));
  PARC_TRY(CheckLength("first_name", agent.first_name()));
  PARC_TRY(Required("department", agent.department()));
  for (auto [field, value] : {std::pair{"site", &agent.site()},
                              {"department_name", &agent.department_name()},
                              {"advisor", &agent.advisor()},
                              {"wave", &agent.wave()},
                              {"badge", &agent.badge()}}) {
    PARC_TRY(CheckLength(field, *value));
  }
  PARC_TRY(CheckManager(agent));
  PARC_TRY(CheckPhone(agent.phone()));
  if (!v1::AgentStatus_IsValid(agent.status()) || agent.status() == v1::AGENT_STATUS_UNSPECIFIED) {
    return InvalidArgument("status", "must be active or left");
  }
  return Ok();
}

Status Validate(const v1::Device& device) {
  PARC_TRY(Required("serial", device.serial()));
  if (device.kind() == v1::DEVICE_KIND_UNSPECIFIED || !v1::DeviceKind_IsValid(device.kind())) {
    return InvalidArgument("kind", "required: tablet, smartphone or shared_pc");
  }
  for (auto [field, value] : {std::pair{"asset_tag", &device.asset_tag()},
                              {"model", &device.model()},
                              {"os", &device.os()},
                              {"site", &device.site()},
                              {"department", &device.department()},
                              {"department_name", &device.department_name()}}) {
    PARC_TRY(CheckLength(field, *value));
  }
  PARC_TRY(CheckLength("notes", device.notes(), kMaxNotes));
  PARC_TRY(OptionalDate("purchase_date", device.purchase_date()));
  PARC_TRY(OptionalDate("warranty_end", device.warranty_end()));
  if (!device.purchase_date().empty() && !device.warranty_end().empty() &&
      device.warranty_end() < device.purchase_date()) {
    return InvalidArgument("warranty_end", "before purchase_date");
  }
  if (device.lifecycle() == v1::LIFECYCLE_UNSPECIFIED ||
      !v1::Lifecycle_IsValid(device.lifecycle())) {
    return InvalidArgument("lifecycle", "unknown state");
  }
  return Ok();
}

Status Validate(const v1::Site& site) {
  PARC_TRY(Required("code", site.code()));
  PARC_TRY(Required("name", site.name()));
  PARC_TRY(CheckLength("address", site.address(), kMaxNotes));
  return Ok();
}

void MergeFields(const google::protobuf::Message& from, const std::vector<std::string>& fields,
                 google::protobuf::Message* to) {
  google::protobuf::FieldMask mask;
  for (const std::string& field : fields) mask.add_paths(field);
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(from, mask, options, to);
}

std::string_view KindName(v1::DeviceKind kind) { return OrUnspecified(parc::KindName(kind)); }
std::string_view LifecycleName(v1::Lifecycle lifecycle) {
  return OrUnspecified(parc::LifecycleName(lifecycle));
}
std::string_view RoleName(v1::Role role) { return OrUnspecified(parc::RoleName(role)); }
std::string_view AllocationKindName(v1::AllocationKind kind) {
  return OrUnspecified(parc::AllocationKindName(kind));
}

Expected<v1::DeviceKind> ParseKind(std::string_view text) {
  return ParseName(text, ParseKindName(text), "device kind", KindNames());
}

Expected<v1::Lifecycle> ParseLifecycle(std::string_view text) {
  return ParseName(text, ParseLifecycleName(text), "lifecycle state", LifecycleNames());
}

Expected<v1::Role> ParseRole(std::string_view text) {
  return ParseName(text, ParseRoleName(text), "role", RoleNames());
}

}  // namespace parc::domain
