#include "common/import_columns.h"

#include <algorithm>
#include <numeric>

#include "common/csv.h"

namespace parc::import_columns {
namespace {

const std::vector<Column> kAgents = {
    {"employee_number",
     Type::kText,
     {"Matricule", "N° de matricule", "Numéro de matricule", "Numéro agent"}},
    {"first_name", Type::kText, {"Prénom"}},
    {"last_name", Type::kText, {"Nom", "Nom de famille"}},
    {"department", Type::kText, {"Service", "Direction", "Département"}},
    {"site", Type::kText, {"Site", "Lieu de travail", "Lieu"}},
    // oui/non, or the address itself as an HR export has it: read as yes (Parc
    // keeps no email address, only whether the person has one).
    {"has_email",
     Type::kBool,
     {"Email", "A un email", "A un email (oui/non)", "Courriel", "Messagerie",
      "Adresse électronique", "Adresse mail", "Adresse e-mail", "E-mail", "Mail"}},
    {"advisor", Type::kText, {"Conseiller", "Conseillère", "Conseiller numérique"}},
    {"wave", Type::kText, {"Vague", "Cohorte"}},
    {"status", Type::kStatus, {"Statut"}},
    {"badge", Type::kText, {"Badge", "N° de badge", "Numéro de badge"}},
    // The manager's employee number, as HR exports name the column.
    {"manager",
     Type::kText,
     {"Responsable", "Matricule responsable", "Matricule du responsable",
      "Responsable hiérarchique", "Matricule N+1", "N+1", "Manager"}},
    {"phone",
     Type::kText,
     {"Téléphone", "Tél", "Téléphone professionnel", "Tél. professionnel", "Tél pro", "Portable",
      "Portable professionnel", "Téléphone portable", "Tél. portable", "Numéro de téléphone"}},
};

const std::vector<Column> kDevices = {
    {"serial", Type::kText, {"N° de série", "Numéro de série", "N° série", "Serial number"}},
    {"asset_tag",
     Type::kText,
     {"N° d'inventaire", "Numéro d'inventaire", "N° inventaire", "Numéro inventaire", "Inventaire",
      "Étiquette"}},
    {"kind", Type::kKind, {"Type"}},
    {"model", Type::kText, {"Modèle"}},
    {"os", Type::kText, {"Système", "Système d'exploitation"}},
    {"site", Type::kText, {"Site", "Lieu"}},
    {"department", Type::kText, {"Service", "Direction", "Département"}},
    {"purchase_date", Type::kDate, {"Date d'achat", "Date achat"}},
    {"warranty_end", Type::kDate, {"Fin de garantie", "Fin garantie"}},
    {"notes", Type::kText, {"Remarques", "Remarque", "Commentaire", "Commentaires"}},
    {"lifecycle", Type::kLifecycle, {"État", "Statut"}},
};

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::span<const Column> Agents() { return kAgents; }
std::span<const Column> Devices() { return kDevices; }

const Column* Find(std::span<const Column> spec, std::string_view header) {
  std::string folded = csv::FoldName(header);
  if (folded.empty()) return nullptr;
  for (const Column& c : spec) {
    if (folded == c.field) return &c;
    for (std::string_view name : c.names) {
      if (folded == csv::FoldName(name)) return &c;
    }
  }
  return nullptr;
}

const Column* Closest(std::span<const Column> spec, std::string_view header) {
  std::string folded = csv::FoldName(header);
  const Column* best = nullptr;
  size_t best_distance = 0;
  for (const Column& c : spec) {
    std::vector<std::string> forms = {std::string(c.field)};
    for (std::string_view name : c.names) forms.push_back(csv::FoldName(name));
    for (const std::string& form : forms) {
      size_t d = EditDistance(folded, form);
      if (best == nullptr || d < best_distance) {
        best = &c;
        best_distance = d;
      }
    }
  }
  return best;
}

std::string Describe(std::span<const Column> spec) {
  std::string out;
  for (const Column& c : spec) {
    if (!out.empty()) out += "; ";
    out += c.field;
    if (c.names.empty()) continue;
    out += " (";
    for (size_t i = 0; i < c.names.size(); ++i) {
      if (i > 0) out += ", ";
      out += c.names[i];
    }
    out += ")";
  }
  return out;
}

}  // namespace parc::import_columns
