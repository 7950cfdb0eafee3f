#include "daemon/domain/pix.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "common/csv.h"
#include "daemon/domain/import.h"
#include "daemon/domain/records.h"

namespace parc::domain {
namespace {

// ---- The Pix referential (PIX.md § 4) --------------------------------------

struct Competence {
  int area;
  std::string_view name;
};
constexpr std::array<std::string_view, 5> kAreaTitles = {
    "Information et données", "Communication et collaboration", "Création de contenu",
    "Protection et sécurité", "Environnement numérique"};
constexpr std::array<Competence, 16> kCompetences = {{
    {1, "Mener une recherche et une veille d’information"},
    {1, "Gérer des données"},
    {1, "Traiter des données"},
    {2, "Interagir"},
    {2, "Partager et publier"},
    {2, "Collaborer"},
    {2, "S’insérer dans le monde numérique"},
    {3, "Développer des documents textuels"},
    {3, "Développer des documents multimedia"},
    {3, "Adapter les documents à leur finalité"},
    {3, "Programmer"},
    {4, "Sécuriser l’environnement numérique"},
    {4, "Protéger les données personnelles et la vie privée"},
    {4, "Protéger la santé, le bien-être et l’environnement"},
    {5, "Résoudre des problèmes techniques"},
    {5, "Construire un environnement numérique"},
}};

// Area code of a folded competence name / area title; 0 when unknown.
int AreaOfCompetence(std::string_view folded) {
  for (const Competence& c : kCompetences) {
    if (csv::FoldName(c.name) == folded) return c.area;
  }
  return 0;
}
int AreaOfTitle(std::string_view folded) {
  for (size_t i = 0; i < kAreaTitles.size(); ++i) {
    if (csv::FoldName(kAreaTitles[i]) == folded) return static_cast<int>(i) + 1;
  }
  return 0;
}

// ---- Headers ----------------------------------------------------------------

// Folded labels of the columns the exports define (current and older).
constexpr std::array<std::string_view, 24> kKnownColumns = {
    "nom_de_l_organisation",
    "id_campagne",
    "code",
    "nom_de_la_campagne",
    "parcours",
    "nom_du_profil_cible",
    "nom_du_participant",
    "prenom_du_participant",
    "classe",
    "groupe",
    "numero_etudiant",
    "de_progression",
    "date_et_heure_de_debut_europe_paris",
    "date_de_debut",
    "partage_o_n",
    "date_et_heure_du_partage_europe_paris",
    "date_du_partage",
    "maitrise_de_l_ensemble_des_acquis_du_profil",
    "envoi_o_n",
    "date_et_heure_de_l_envoi_europe_paris",
    "date_de_l_envoi",
    "nombre_de_pix_total",
    "certifiable_o_n",
    "nombre_de_competences_certifiables",
};
// Per-competence, per-area and stage columns start with these.
constexpr std::string_view kCompetenceMastery = "de_maitrise_des_acquis_de_la_competence";
constexpr std::string_view kAreaMastery = "de_maitrise_des_acquis_du_domaine";
constexpr std::string_view kCompetenceLevel = "niveau_pour_la_competence";
constexpr std::array<std::string_view, 8> kKnownPrefixes = {
    kCompetenceMastery,
    "nombre_d_acquis_du_profil_cible_dans_la_competence",
    "acquis_maitrises_dans_la_competence",
    kAreaMastery,
    "nombre_d_acquis_du_profil_cible_du_domaine",
    "acquis_maitrises_du_domaine",
    kCompetenceLevel,
    "nombre_de_pix_pour_la_competence",
};

bool HasWordPrefix(std::string_view folded, std::string_view prefix) {
  return folded == prefix || (folded.starts_with(prefix) && folded.size() > prefix.size() &&
                              folded[prefix.size()] == '_');
}
// What follows `prefix` and its '_' ("" when nothing does).
std::string_view AfterPrefix(std::string_view folded, std::string_view prefix) {
  return folded.size() > prefix.size() ? folded.substr(prefix.size() + 1) : std::string_view{};
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// A column the export defines (so not the campaign's external id).
bool IsKnownColumn(std::string_view raw, std::string_view folded) {
  if (raw.starts_with('@')) return true;  // a skill ("@web1"), with the showSkills option
  if (std::find(kKnownColumns.begin(), kKnownColumns.end(), folded) != kKnownColumns.end())
    return true;
  if (HasWordPrefix(folded, "palier_obtenu")) return true;  // "Palier obtenu (/3)"
  if (folded.ends_with("_obtenu_o_n")) return true;         // "<badge> obtenu (O/N)"
  return std::any_of(kKnownPrefixes.begin(), kKnownPrefixes.end(),
                     [&](std::string_view p) { return HasWordPrefix(folded, p); });
}

struct Columns {
  std::vector<std::string> raw;     // as written, guard removed
  std::vector<std::string> folded;  // csv::FoldName of raw

  // Index of the first column whose folded label is one of `labels`; -1 if none.
  int Find(std::initializer_list<std::string_view> labels) const {
    for (size_t i = 0; i < folded.size(); ++i) {
      for (std::string_view label : labels) {
        if (folded[i] == label) return static_cast<int>(i);
      }
    }
    return -1;
  }
};

Expected<int> IdColumn(const Columns& columns, std::string_view requested) {
  if (!requested.empty()) {
    std::string want = csv::FoldName(requested);
    for (size_t i = 0; i < columns.folded.size(); ++i) {
      if (columns.folded[i] == want) return static_cast<int>(i);
    }
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("id_column: no column '{}' in the file (columns: {})", requested,
                            fmt::join(columns.raw, ", ")));
  }
  std::vector<int> candidates;
  for (size_t i = 0; i < columns.raw.size(); ++i) {
    if (!columns.raw[i].empty() && !IsKnownColumn(columns.raw[i], columns.folded[i]))
      candidates.push_back(static_cast<int>(i));
  }
  if (candidates.size() == 1) return candidates[0];
  if (candidates.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "id_column: the file has no column for the employee number (the campaign asked "
                "participants for no external id); name the column with --id-column");
  }
  std::vector<std::string> names;
  for (int i : candidates) names.push_back("'" + columns.raw[i] + "'");
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("id_column: several columns could hold the employee number ({}); "
                          "name the right one with --id-column",
                          fmt::join(names, ", ")));
}

// ---- Values -----------------------------------------------------------------

bool IsMissing(std::string_view value) { return value.empty() || value == "NA"; }

std::optional<bool> ParseYesNo(std::string_view value) {
  std::string folded = csv::FoldName(value);
  if (folded == "oui" || folded == "o" || folded == "yes" || folded == "y") return true;
  if (folded == "non" || folded == "n" || folded == "no") return false;
  return std::nullopt;
}

template <typename Int>
bool ParseInt(std::string_view text, Int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// "0,67", "0.5", "1": a decimal with a comma (or a dot).
std::optional<double> ParseDecimal(std::string_view text) {
  std::string copy(text);
  std::replace(copy.begin(), copy.end(), ',', '.');
  double value = 0;
  auto [end, ec] = std::from_chars(copy.data(), copy.data() + copy.size(), value);
  if (copy.empty() || ec != std::errc() || end != copy.data() + copy.size() ||
      !std::isfinite(value))
    return std::nullopt;
  return value;
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Unix ms of the last Sunday of `month` at 01:00 UTC.
int64_t LastSundayOneUtc(int year, int month) {
  int64_t days = DaysFromCivil(year, month, DaysInMonth(year, month));
  int64_t weekday = ((days + 4) % 7 + 7) % 7;  // 0 = Sunday (1970-01-01 was a Thursday)
  return ((days - weekday) * 24 + 1) * 3600 * 1000;
}

// "DD/MM/YYYY HH:MM", "DD/MM/YYYY", "YYYY-MM-DD" or "YYYY-MM-DD HH:MM", Paris
// time; nullopt when it is none of them or not a real date/time.
std::optional<int64_t> ParseParisDate(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  std::string_view date = text.substr(0, text.find_first_of(" T"));
  std::string_view time = date.size() < text.size() ? Trim(text.substr(date.size() + 1)) : "";
  if (date.size() == 10 && date[2] == '/' && date[5] == '/') {
    if (!ParseInt(date.substr(0, 2), day) || !ParseInt(date.substr(3, 2), month) ||
        !ParseInt(date.substr(6, 4), year))
      return std::nullopt;
  } else if (date.size() == 10 && date[4] == '-' && date[7] == '-') {
    if (!ParseInt(date.substr(0, 4), year) || !ParseInt(date.substr(5, 2), month) ||
        !ParseInt(date.substr(8, 2), day))
      return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!time.empty()) {
    if (time.size() == 8 && time[5] == ':') time = time.substr(0, 5);  // seconds ignored
    if (time.size() != 5 || time[2] != ':' || !ParseInt(time.substr(0, 2), hour) ||
        !ParseInt(time.substr(3, 2), minute) || hour > 23 || minute > 59)
      return std::nullopt;
  }
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month))
    return std::nullopt;
  return ParisTimeToUtcMs(year, month, day, hour, minute);
}

// ---- Rows -------------------------------------------------------------------

struct Layout {
  PixFormat format;
  int id = -1, shared = -1, date = -1, score = -1, campaign_id = -1, campaign_code = -1;
  // Per-area result columns: index -> area code (0 unknown) and title.
  std::vector<std::pair<int, PixArea>> areas;
};

class RowReader {
 public:
  RowReader(const Columns& columns, const csv::Record& record)
      : columns_(columns), record_(record) {}

  std::string_view Value(int column) const {
    if (column < 0 || static_cast<size_t>(column) >= record_.fields.size()) return {};
    return Trim(csv::Unguard(record_.fields[column]));
  }
  void Problem(std::vector<v1::ImportProblem>& out, int column, std::string reason) const {
    out.push_back(
        domain::Problem(record_.line, column >= 0 ? columns_.raw[column] : "", std::move(reason)));
  }

 private:
  const Columns& columns_;
  const csv::Record& record_;
};

std::string NormalizeEmployee(std::string_view value) {
  v1::Agent agent;
  agent.set_employee_number(std::string(value));
  Normalize(agent);
  return agent.employee_number();
}

// Reads one data row into `file`: a PixRow, a not-shared count or problems.
void ReadRow(const Layout& layout, const Columns& columns, const csv::Record& record,
             PixFile& file) {
  RowReader in(columns, record);
  const size_t problems_before = file.problems.size();
  auto problem = [&](int column, std::string reason) {
    in.Problem(file.problems, column, std::move(reason));
  };
  if (record.fields.size() > columns.raw.size()) {
    problem(-1,
            fmt::format("{} fields, the header has {}", record.fields.size(), columns.raw.size()));
    return;
  }
  std::string_view shared_text = in.Value(layout.shared);
  std::optional<bool> shared = ParseYesNo(shared_text);
  if (!shared) {
    problem(layout.shared, fmt::format("'{}' is not Oui or Non", shared_text));
    return;
  }
  if (!*shared) {
    ++file.not_shared;
    return;
  }
  PixRow row{.line = record.line};
  row.employee_number = NormalizeEmployee(in.Value(layout.id));
  if (row.employee_number.empty()) problem(layout.id, "empty employee number");

  std::string_view date = in.Value(layout.date);
  if (IsMissing(date)) {
    problem(layout.date, "missing date for a shared participation");
  } else if (auto ms = ParseParisDate(date)) {
    row.assessed_at_ms = *ms;
  } else {
    problem(layout.date, fmt::format("'{}' is not a date DD/MM/YYYY HH:MM", date));
  }

  if (std::string_view id = in.Value(layout.campaign_id); !IsMissing(id)) {
    if (!ParseInt(id, row.campaign_id) || row.campaign_id < 0)
      problem(layout.campaign_id, fmt::format("'{}' is not a campaign number", id));
  }
  row.campaign_code = std::string(in.Value(layout.campaign_code));
  if (row.campaign_code == "NA") row.campaign_code.clear();

  std::string_view score = in.Value(layout.score);
  if (layout.format == PixFormat::kProfilesCollection) {
    if (IsMissing(score)) {
      problem(layout.score, "missing pix total for a sent profile");
    } else if (!ParseInt(score, row.pix_score) || row.pix_score < 0 || row.pix_score > 1024) {
      problem(layout.score, fmt::format("'{}' is not a pix total 0..1024", score));
    }
  } else {
    std::optional<double> mastery = IsMissing(score) ? std::nullopt : ParseDecimal(score);
    if (IsMissing(score)) {
      problem(layout.score, "missing mastery rate for a shared participation");
    } else if (!mastery || *mastery < 0 || *mastery > 1) {
      problem(layout.score, fmt::format("'{}' is not a rate between 0 and 1 (0,67)", score));
    } else {
      row.mastery = *mastery;
    }
  }

  // Per area: the mastery columns (assessment) or the mean of the competence
  // levels (profiles collection).
  std::map<int, std::pair<PixArea, std::vector<int>>> areas;
  for (const auto& [column, area] : layout.areas) {
    std::string_view text = in.Value(column);
    if (IsMissing(text)) continue;
    auto& [result, levels] = areas.try_emplace(area.code, area, std::vector<int>{}).first->second;
    if (layout.format == PixFormat::kAssessment) {
      std::optional<double> mastery = ParseDecimal(text);
      if (!mastery || *mastery < 0 || *mastery > 1) {
        problem(column, fmt::format("'{}' is not a rate between 0 and 1 (0,67)", text));
        continue;
      }
      result.mastery = *mastery;
    } else {
      int level = 0;
      if (!ParseInt(text, level) || level < 0 || level > 8) {
        problem(column, fmt::format("'{}' is not a level 0..8", text));
        continue;
      }
      levels.push_back(level);
    }
  }
  for (auto& [code, entry] : areas) {
    auto& [result, levels] = entry;
    if (!levels.empty()) {
      double sum = 0;
      for (int level : levels) sum += level;
      result.level = static_cast<int>(std::lround(sum / static_cast<double>(levels.size())));
    }
    if (result.level >= 0 || result.mastery >= 0) row.areas.push_back(std::move(result));
  }
  if (file.problems.size() == problems_before) file.rows.push_back(std::move(row));
}

// Where each value is, for `format`; INVALID_ARGUMENT when a needed column is absent.
Expected<Layout> MakeLayout(PixFormat format, const Columns& columns, std::string_view id_column) {
  Layout layout{.format = format};
  const bool assessment = format == PixFormat::kAssessment;
  layout.shared = columns.Find({assessment ? "partage_o_n" : "envoi_o_n"});
  layout.date = assessment
                    ? columns.Find({"date_et_heure_du_partage_europe_paris", "date_du_partage"})
                    : columns.Find({"date_et_heure_de_l_envoi_europe_paris", "date_de_l_envoi"});
  if (layout.date < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                assessment ? "line 1: no column 'Date et heure du partage (Europe/Paris)'"
                           : "line 1: no column 'Date et heure de l'envoi (Europe/Paris)'");
  }
  layout.score = columns.Find(
      {assessment ? "maitrise_de_l_ensemble_des_acquis_du_profil" : "nombre_de_pix_total"});
  if (layout.score < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                assessment ? "line 1: no column '% maitrise de l'ensemble des acquis du profil'"
                           : "line 1: no column 'Nombre de pix total'");
  }
  layout.campaign_id = columns.Find({"id_campagne"});
  layout.campaign_code = columns.Find({"code"});
  PARC_ASSIGN_OR_RETURN(layout.id, IdColumn(columns, id_column));
  for (size_t i = 0; i < columns.folded.size(); ++i) {
    const std::string& folded = columns.folded[i];
    PixArea area;
    if (assessment && HasWordPrefix(folded, kAreaMastery)) {
      area.code = AreaOfTitle(AfterPrefix(folded, kAreaMastery));
      std::string_view raw = columns.raw[i];
      size_t at = raw.rfind("domaine ");
      area.title = area.code > 0
                       ? std::string(kAreaTitles[area.code - 1])
                       : std::string(at == std::string_view::npos ? raw : raw.substr(at + 8));
    } else if (!assessment && HasWordPrefix(folded, kCompetenceLevel)) {
      area.code = AreaOfCompetence(AfterPrefix(folded, kCompetenceLevel));
      if (area.code == 0) continue;  // a competence the referential does not know
      area.title = std::string(kAreaTitles[area.code - 1]);
    } else {
      continue;
    }
    layout.areas.emplace_back(static_cast<int>(i), std::move(area));
  }
  return layout;
}

}  // namespace

std::string_view PixFormatName(PixFormat format) {
  return format == PixFormat::kAssessment ? "assessment" : "profiles_collection";
}

int64_t ParisTimeToUtcMs(int year, int month, int day, int hour, int minute) {
  const int64_t local_ms = ((DaysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60000;
  const int64_t summer = local_ms - 2 * 3600 * 1000;
  if (summer >= LastSundayOneUtc(year, 3) && summer < LastSundayOneUtc(year, 10)) return summer;
  return local_ms - 3600 * 1000;
}

Expected<PixFile> ParsePixExport(std::string_view csv, std::string_view id_column) {
  PARC_ASSIGN_OR_RETURN(csv::Table table, csv::Parse(csv));
  Columns columns;
  for (const std::string& header : table.header.fields) {
    columns.raw.emplace_back(Trim(csv::Unguard(header)));
    columns.folded.push_back(csv::FoldName(columns.raw.back()));
  }
  PixFile file;
  if (columns.Find({"partage_o_n"}) >= 0) {
    file.format = PixFormat::kAssessment;
  } else if (columns.Find({"envoi_o_n"}) >= 0) {
    file.format = PixFormat::kProfilesCollection;
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "line 1: not a Pix Orga campaign export (no column 'Partage (O/N)' nor "
                "'Envoi (O/N)'; export the results in French from Pix Orga)");
  }
  PARC_ASSIGN_OR_RETURN(Layout layout, MakeLayout(file.format, columns, id_column));
  file.id_column = columns.raw[layout.id];
  for (const csv::Record& record : table.rows) ReadRow(layout, columns, record, file);
  return file;
}

}  // namespace parc::domain
