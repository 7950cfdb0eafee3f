#include "common/vocabulary.h"

#include <array>
#include <utility>

#include "common/fold.h"

namespace parc {
namespace {

// One row per accepted spelling (its key form); the first row of each value
// holds its canonical English name.
template <typename E>
struct Word {
  E value;
  std::string_view key;
};

constexpr Word<v1::DeviceKind> kKinds[] = {
    {v1::DEVICE_KIND_TABLET, "tablet"},         {v1::DEVICE_KIND_TABLET, "tablette"},
    {v1::DEVICE_KIND_SMARTPHONE, "smartphone"}, {v1::DEVICE_KIND_SMARTPHONE, "telephone"},
    {v1::DEVICE_KIND_SMARTPHONE, "phone"},      {v1::DEVICE_KIND_SHARED_PC, "shared_pc"},
    {v1::DEVICE_KIND_SHARED_PC, "pc_partage"},  {v1::DEVICE_KIND_SHARED_PC, "poste_partage"},
};

constexpr Word<v1::Lifecycle> kLifecycles[] = {
    {v1::LIFECYCLE_IN_STOCK, "in_stock"},    {v1::LIFECYCLE_IN_STOCK, "en_stock"},
    {v1::LIFECYCLE_IN_STOCK, "stock"},       {v1::LIFECYCLE_ASSIGNED, "assigned"},
    {v1::LIFECYCLE_ASSIGNED, "attribue"},    {v1::LIFECYCLE_ASSIGNED, "affecte"},
    {v1::LIFECYCLE_IN_REPAIR, "in_repair"},  {v1::LIFECYCLE_IN_REPAIR, "en_reparation"},
    {v1::LIFECYCLE_IN_REPAIR, "reparation"}, {v1::LIFECYCLE_LOST, "lost"},
    {v1::LIFECYCLE_LOST, "perdu"},           {v1::LIFECYCLE_RETIRED, "retired"},
    {v1::LIFECYCLE_RETIRED, "reforme"},      {v1::LIFECYCLE_RETIRED, "retire"},
};

constexpr Word<v1::Role> kRoles[] = {
    {v1::ROLE_ADMIN, "admin"},           {v1::ROLE_ADMIN, "administrateur"},
    {v1::ROLE_ADMIN, "administratrice"}, {v1::ROLE_LOGISTICS, "logistics"},
    {v1::ROLE_LOGISTICS, "logistique"},  {v1::ROLE_ADVISOR, "advisor"},
    {v1::ROLE_ADVISOR, "conseiller"},    {v1::ROLE_ADVISOR, "conseillere"},
    {v1::ROLE_MANAGER, "manager"},       {v1::ROLE_MANAGER, "responsable"},
    {v1::ROLE_AUDITOR, "auditor"},       {v1::ROLE_AUDITOR, "auditeur"},
    {v1::ROLE_AUDITOR, "auditrice"},
};

constexpr Word<v1::AllocationKind> kAllocationKinds[] = {
    {v1::ALLOCATION_KIND_PERSONAL, "personal"},   {v1::ALLOCATION_KIND_PERSONAL, "personnel"},
    {v1::ALLOCATION_KIND_PERSONAL, "individuel"}, {v1::ALLOCATION_KIND_SITE, "site"},
    {v1::ALLOCATION_KIND_LOAN, "loan"},           {v1::ALLOCATION_KIND_LOAN, "pret"},
};

constexpr Word<v1::AgentStatus> kStatuses[] = {
    {v1::AGENT_STATUS_ACTIVE, "active"},   {v1::AGENT_STATUS_ACTIVE, "actif"},
    {v1::AGENT_STATUS_ACTIVE, "en_poste"}, {v1::AGENT_STATUS_LEFT, "left"},
    {v1::AGENT_STATUS_LEFT, "inactive"},   {v1::AGENT_STATUS_LEFT, "inactif"},
    {v1::AGENT_STATUS_LEFT, "parti"},      {v1::AGENT_STATUS_LEFT, "partie"},
    {v1::AGENT_STATUS_LEFT, "sorti"},      {v1::AGENT_STATUS_LEFT, "sortie"},
    {v1::AGENT_STATUS_LEFT, "depart"},
};

template <typename E, size_t N>
std::string_view NameOf(const Word<E> (&table)[N], E value) {
  for (const auto& word : table) {
    if (word.value == value) return word.key;
  }
  return {};
}

template <typename E, size_t N>
std::optional<E> ValueOf(const Word<E> (&table)[N], std::string_view text) {
  const std::string key = VocabularyKey(text);
  for (const auto& word : table) {
    if (word.key == key) return word.value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::vector<std::string> NamesOf(const Word<E> (&table)[N]) {
  std::vector<std::string> names;
  for (size_t i = 0; i < N; ++i) {
    if (i == 0 || table[i].value != table[i - 1].value) names.emplace_back(table[i].key);
  }
  return names;
}

template <typename E, size_t N>
void SpellingsIn(const Word<E> (&table)[N], std::string_view canonical,
                 std::vector<std::string>* out) {
  std::optional<E> value;
  for (const auto& word : table) {
    if (word.key == canonical && !value) value = word.value;
  }
  if (!value) return;
  for (const auto& word : table) {
    if (word.value == *value) out->emplace_back(word.key);
  }
}

bool IsSeparator(char c) { return c == ' ' || c == '-' || c == '_' || c == '\'' || c == '\t'; }

}  // namespace

std::string VocabularyKey(std::string_view text) {
  std::string folded = FoldForSearch(text);
  std::string key;
  key.reserve(folded.size());
  for (char c : folded) {
    if (IsSeparator(c)) {
      if (!key.empty() && key.back() != '_') key += '_';
    } else {
      key += c;
    }
  }
  while (!key.empty() && key.back() == '_') key.pop_back();
  return key;
}

std::string_view KindName(v1::DeviceKind kind) { return NameOf(kKinds, kind); }
std::string_view LifecycleName(v1::Lifecycle lifecycle) { return NameOf(kLifecycles, lifecycle); }
std::string_view RoleName(v1::Role role) { return NameOf(kRoles, role); }
std::string_view AllocationKindName(v1::AllocationKind kind) {
  return NameOf(kAllocationKinds, kind);
}
std::string_view AgentStatusName(v1::AgentStatus status) { return NameOf(kStatuses, status); }

std::optional<v1::DeviceKind> ParseKindName(std::string_view text) { return ValueOf(kKinds, text); }
std::optional<v1::Lifecycle> ParseLifecycleName(std::string_view text) {
  return ValueOf(kLifecycles, text);
}
std::optional<v1::Role> ParseRoleName(std::string_view text) { return ValueOf(kRoles, text); }
std::optional<v1::AllocationKind> ParseAllocationKindName(std::string_view text) {
  return ValueOf(kAllocationKinds, text);
}
std::optional<v1::AgentStatus> ParseAgentStatusName(std::string_view text) {
  return ValueOf(kStatuses, text);
}

std::vector<std::string> KindNames() { return NamesOf(kKinds); }
std::vector<std::string> LifecycleNames() { return NamesOf(kLifecycles); }
std::vector<std::string> RoleNames() { return NamesOf(kRoles); }
std::vector<std::string> AgentStatusNames() { return NamesOf(kStatuses); }

std::vector<std::string> SpellingsOf(std::string_view canonical) {
  std::vector<std::string> out;
  SpellingsIn(kKinds, canonical, &out);
  SpellingsIn(kLifecycles, canonical, &out);
  SpellingsIn(kRoles, canonical, &out);
  SpellingsIn(kAllocationKinds, canonical, &out);
  SpellingsIn(kStatuses, canonical, &out);
  return out;
}

}  // namespace parc
