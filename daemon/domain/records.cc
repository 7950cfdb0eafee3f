#include "daemon/domain/records.h"

#include <fmt/format.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/util/field_mask_util.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "common/time.h"

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

// The French accented letters found in names and spreadsheets, lower and upper
// case, with the plain lower-case letter each one folds to.
constexpr std::array<std::pair<std::string_view, char>, 26> kAccents = {{
    {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'}, {"É", 'e'}, {"È", 'e'}, {"Ê", 'e'},
    {"Ë", 'e'}, {"à", 'a'}, {"â", 'a'}, {"À", 'a'}, {"Â", 'a'}, {"ô", 'o'}, {"Ô", 'o'},
    {"î", 'i'}, {"ï", 'i'}, {"Î", 'i'}, {"Ï", 'i'}, {"ù", 'u'}, {"û", 'u'}, {"ü", 'u'},
    {"Ù", 'u'}, {"Û", 'u'}, {"Ü", 'u'}, {"ç", 'c'}, {"Ç", 'c'},
}};

// The plain letter `text` starts with when it starts with an accented one, and
// how many bytes that letter takes; {0, 0} otherwise.
std::pair<char, size_t> LeadingAccent(std::string_view text) {
  for (const auto& [from, to] : kAccents) {
    if (text.starts_with(from)) return {to, from.size()};
  }
  return {0, 0};
}

// Lower-cases ASCII and folds the French accented letters names use, so that
// "Réformé" and "reforme" are the same word.
std::string Fold(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (auto [plain, size] = LeadingAccent(text.substr(i)); size > 0) {
      out.push_back(plain);
      i += size;
      continue;
    }
    char c = text[i++];
    out.push_back(c == ' ' || c == '-'
                      ? '_'
                      : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

template <typename Enum, size_t N>
Expected<Enum> ParseName(std::string_view text,
                         const std::array<std::pair<std::string_view, Enum>, N>& names,
                         std::string_view what, std::string_view expected) {
  std::string folded = Fold(text);
  for (const auto& [name, value] : names) {
    if (folded == name) return value;
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("'{}' is not a {} (expected {})", text, what, expected));
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

}  // namespace

std::string NormalizeCode(std::string_view text) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (is_space(text[i])) {
      if (out.empty() || out.back() != '-') out.push_back('-');
      while (i < text.size() && is_space(text[i])) ++i;
      continue;
    }
    if (auto [plain, size] = LeadingAccent(text.substr(i)); size > 0) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(plain))));
      i += size;
      continue;
    }
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++]))));
  }
  return out;
}

void Normalize(v1::Agent& agent) {
  for (std::string* s :
       {agent.mutable_employee_number(), agent.mutable_first_name(), agent.mutable_last_name(),
        agent.mutable_advisor(), agent.mutable_wave(), agent.mutable_badge()}) {
    Trim(s);
  }
  TrimAndUpper(agent.mutable_employee_number());
  agent.set_department(NormalizeCode(agent.department()));
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
  device.set_department(NormalizeCode(device.department()));
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
                              {"advisor", &agent.advisor()},
                              {"wave", &agent.wave()},
                              {"badge", &agent.badge()}}) {
    PARC_TRY(CheckLength(field, *value));
  }
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
                              {"department", &device.department()}}) {
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

std::string_view KindName(v1::DeviceKind kind) {
  switch (kind) {
    case v1::DEVICE_KIND_TABLET:
      return "tablet";
    case v1::DEVICE_KIND_SMARTPHONE:
      return "smartphone";
    case v1::DEVICE_KIND_SHARED_PC:
      return "shared_pc";
    default:
      return "unspecified";
  }
}

std::string_view LifecycleName(v1::Lifecycle lifecycle) {
  switch (lifecycle) {
    case v1::LIFECYCLE_IN_STOCK:
      return "in_stock";
    case v1::LIFECYCLE_ASSIGNED:
      return "assigned";
    case v1::LIFECYCLE_IN_REPAIR:
      return "in_repair";
    case v1::LIFECYCLE_LOST:
      return "lost";
    case v1::LIFECYCLE_RETIRED:
      return "retired";
    default:
      return "unspecified";
  }
}

std::string_view RoleName(v1::Role role) {
  switch (role) {
    case v1::ROLE_ADMIN:
      return "admin";
    case v1::ROLE_LOGISTICS:
      return "logistics";
    case v1::ROLE_ADVISOR:
      return "advisor";
    case v1::ROLE_MANAGER:
      return "manager";
    case v1::ROLE_AUDITOR:
      return "auditor";
    default:
      return "unspecified";
  }
}

std::string_view AllocationKindName(v1::AllocationKind kind) {
  switch (kind) {
    case v1::ALLOCATION_KIND_PERSONAL:
      return "personal";
    case v1::ALLOCATION_KIND_SITE:
      return "site";
    case v1::ALLOCATION_KIND_LOAN:
      return "loan";
    default:
      return "unspecified";
  }
}

Expected<v1::DeviceKind> ParseKind(std::string_view text) {
  static const std::array<std::pair<std::string_view, v1::DeviceKind>, 7> kNames = {{
      {"tablet", v1::DEVICE_KIND_TABLET},
      {"tablette", v1::DEVICE_KIND_TABLET},
      {"smartphone", v1::DEVICE_KIND_SMARTPHONE},
      {"telephone", v1::DEVICE_KIND_SMARTPHONE},
      {"shared_pc", v1::DEVICE_KIND_SHARED_PC},
      {"pc_partage", v1::DEVICE_KIND_SHARED_PC},
      {"poste_partage", v1::DEVICE_KIND_SHARED_PC},
  }};
  return ParseName(text, kNames, "device kind", "tablet, smartphone or shared_pc");
}

Expected<v1::Lifecycle> ParseLifecycle(std::string_view text) {
  static const std::array<std::pair<std::string_view, v1::Lifecycle>, 11> kNames = {{
      {"in_stock", v1::LIFECYCLE_IN_STOCK},
      {"en_stock", v1::LIFECYCLE_IN_STOCK},
      {"assigned", v1::LIFECYCLE_ASSIGNED},
      {"attribue", v1::LIFECYCLE_ASSIGNED},
      {"in_repair", v1::LIFECYCLE_IN_REPAIR},
      {"en_reparation", v1::LIFECYCLE_IN_REPAIR},
      {"lost", v1::LIFECYCLE_LOST},
      {"perdu", v1::LIFECYCLE_LOST},
      {"retired", v1::LIFECYCLE_RETIRED},
      {"reforme", v1::LIFECYCLE_RETIRED},
      {"stock", v1::LIFECYCLE_IN_STOCK},
  }};
  return ParseName(text, kNames, "lifecycle state",
                   "in_stock, assigned, in_repair, lost or retired");
}

Expected<v1::Role> ParseRole(std::string_view text) {
  static const std::array<std::pair<std::string_view, v1::Role>, 10> kNames = {{
      {"admin", v1::ROLE_ADMIN},
      {"administrateur", v1::ROLE_ADMIN},
      {"logistics", v1::ROLE_LOGISTICS},
      {"logistique", v1::ROLE_LOGISTICS},
      {"advisor", v1::ROLE_ADVISOR},
      {"conseiller", v1::ROLE_ADVISOR},
      {"manager", v1::ROLE_MANAGER},
      {"responsable", v1::ROLE_MANAGER},
      {"auditor", v1::ROLE_AUDITOR},
      {"auditeur", v1::ROLE_AUDITOR},
  }};
  return ParseName(text, kNames, "role", "admin, logistics, advisor, manager or auditor");
}

}  // namespace parc::domain
