#include "daemon/http/csv_tables.h"

#include <fmt/format.h>

#include <sstream>
#include <vector>

#include "common/csv_write.h"
#include "common/time.h"
#include "daemon/domain/records.h"

namespace parc::http {
namespace {

using Row = std::vector<std::string>;

CsvTable Write(std::string stem, const Row& header, const std::vector<Row>& rows) {
  std::ostringstream out;
  csv::CsvWriter writer(out);
  writer.WriteRow(header);
  for (const Row& row : rows) writer.WriteRow(row);
  return CsvTable{.file_stem = std::move(stem), .body = out.str()};
}

std::string N(int64_t n) { return std::to_string(n); }

// "12,5": a French spreadsheet reads a decimal comma as a number.
std::string Percent(double p) {
  std::string s = fmt::format("{:.1f}", p);
  for (char& c : s)
    if (c == '.') c = ',';
  return s;
}

std::string Time(const google::protobuf::Timestamp& ts, bool set) {
  return set ? FormatInstant(FromTimestamp(ts)) : std::string();
}

std::unexpected<Error> UnknownBy(std::string_view by, std::string_view choices) {
  return InvalidArgument("by", fmt::format("'{}' is not one of {}", by, choices));
}

const Row kDeviceColumns = {"Total",    "Affectés",      "Pools de site", "En prêt",
                            "En stock", "En réparation", "Perdus",        "Réformés"};

Row DeviceCells(std::string key, const v1::DeviceCounts& c) {
  return {std::move(key),       N(c.total()),   N(c.assigned_personal()),
          N(c.in_site_pools()), N(c.on_loan()), N(c.in_stock()),
          N(c.in_repair()),     N(c.lost()),    N(c.retired())};
}

Row WithFirst(std::string first, const Row& rest) {
  Row row{std::move(first)};
  row.insert(row.end(), rest.begin(), rest.end());
  return row;
}

Row CoverageCells(std::string key, const v1::CoverageCounts& c) {
  return {std::move(key), N(c.targeted()), N(c.equipped()), N(c.not_equipped()),
          Percent(c.equipped_percent())};
}

const Row kCoverageColumns = {"Personnes ciblées", "Équipées", "Non équipées", "% équipées"};

Row HealthCells(std::string key, const v1::HealthCounts& c) {
  return {std::move(key),          N(c.enrolled()),
          N(c.low_battery()),      N(c.low_storage()),
          N(c.outdated_os()),      N(c.outdated_agent()),
          N(c.never_checked_in()), N(c.used_by_someone_else())};
}

const Row kHealthColumns = {
    "Enrôlés",      "Batterie faible",  "Stockage faible",      "Système ancien",
    "Agent ancien", "Jamais connectés", "Utilisés par un autre"};

Row FunnelCells(std::string key, const v1::FunnelCounts& c) {
  return {std::move(key),  N(c.targeted()), N(c.assessed()),
          N(c.assigned()), N(c.started()),  N(c.completed())};
}

const Row kFunnelColumns = {"Ciblés", "Évalués (Pix)", "Module attribué", "Commencé", "Terminé"};

// The department as people named it, else its code.
std::string Named(const DepartmentNames& names, const std::string& code) {
  auto it = names.find(code);
  return it == names.end() ? code : it->second;
}

}  // namespace

Expected<CsvTable> AllocationCsv(const v1::AllocationSummaryResponse& r, std::string_view by,
                                 const DepartmentNames& names) {
  std::vector<Row> rows;
  if (by.empty() || by == "department") {
    for (const auto& d : r.by_department())
      rows.push_back(DeviceCells(Named(names, d.department()), d.counts()));
    rows.push_back(DeviceCells("Total", r.totals()));
    return Write("parc-appareils-par-service", WithFirst("Service", kDeviceColumns), rows);
  }
  if (by == "site") {
    for (const auto& s : r.by_site()) rows.push_back(DeviceCells(s.site(), s.counts()));
    rows.push_back(DeviceCells("Total", r.totals()));
    return Write("parc-appareils-par-site", WithFirst("Site", kDeviceColumns), rows);
  }
  if (by == "kind") {
    for (const auto& k : r.by_kind_lifecycle()) {
      rows.push_back({std::string(domain::KindName(k.kind())),
                      std::string(domain::LifecycleName(k.lifecycle())), N(k.devices())});
    }
    return Write("parc-appareils-par-type", {"Type", "État", "Appareils"}, rows);
  }
  return UnknownBy(by, "department, site, kind");
}

Expected<CsvTable> CoverageCsv(const v1::CoverageResponse& r, std::string_view by,
                               const DepartmentNames& names) {
  std::vector<Row> rows;
  if (by.empty() || by == "department") {
    for (const auto& d : r.by_department())
      rows.push_back(CoverageCells(Named(names, d.department()), d.counts()));
    rows.push_back(CoverageCells("Total", r.totals()));
    return Write("parc-couverture-par-service", WithFirst("Service", kCoverageColumns), rows);
  }
  if (by == "site") {
    for (const auto& s : r.by_site()) rows.push_back(CoverageCells(s.site(), s.counts()));
    rows.push_back(CoverageCells("Total", r.totals()));
    return Write("parc-couverture-par-site", WithFirst("Site", kCoverageColumns), rows);
  }
  return UnknownBy(by, "department, site");
}

Expected<CsvTable> StaleCsv(const v1::StaleDevicesResponse& r, std::string_view by,
                            const DepartmentNames& names) {
  if (!by.empty() && by != "device") return UnknownBy(by, "device");
  std::vector<Row> rows;
  for (const auto& d : r.devices()) {
    rows.push_back({d.serial(), d.asset_tag(), std::string(domain::KindName(d.kind())),
                    Named(names, d.department()), d.site(), d.last_user(),
                    Time(d.last_seen(), d.has_last_seen()), d.never_checked_in() ? "oui" : "non",
                    N(d.days_silent()), d.battery_percent() < 0 ? "" : N(d.battery_percent()),
                    d.os_version(), d.agent_version()});
  }
  return Write(fmt::format("parc-appareils-silencieux-{}-jours", r.days()),
               {"N° de série", "N° d'inventaire", "Type", "Service", "Site", "Dernier utilisateur",
                "Vu la dernière fois (UTC)", "Jamais connecté", "Jours sans nouvelles",
                "Batterie %", "Système", "Agent"},
               rows);
}

Expected<CsvTable> HealthCsv(const v1::FleetHealthResponse& r, std::string_view by,
                             const DepartmentNames& names) {
  std::vector<Row> rows;
  if (by.empty() || by == "department") {
    for (const auto& d : r.by_department())
      rows.push_back(HealthCells(Named(names, d.department()), d.counts()));
    rows.push_back(HealthCells("Total", r.totals()));
    return Write("parc-sante-par-service", WithFirst("Service", kHealthColumns), rows);
  }
  if (by == "foreign-use") {
    for (const auto& f : r.used_by_someone_else()) {
      rows.push_back({f.serial(), f.asset_tag(), Named(names, f.department()), f.holder(),
                      f.used_by(), Time(f.since(), f.has_since())});
    }
    return Write("parc-utilises-par-un-autre",
                 {"N° de série", "N° d'inventaire", "Service", "Attributaire", "Utilisé par",
                  "Depuis (UTC)"},
                 rows);
  }
  return UnknownBy(by, "department, foreign-use");
}

Expected<CsvTable> FunnelCsv(const v1::TrainingFunnelResponse& r, std::string_view by,
                             const DepartmentNames& names) {
  struct Choice {
    std::string_view by, heading, stem;
    const google::protobuf::RepeatedPtrField<v1::FunnelRow>* rows;
  };
  const Choice choices[] = {
      {"department", "Service", "parc-formation-par-service", &r.by_department()},
      {"advisor", "Conseiller", "parc-formation-par-conseiller", &r.by_advisor()},
      {"wave", "Vague", "parc-formation-par-vague", &r.by_wave()},
      {"tier", "Niveau", "parc-formation-par-niveau", &r.by_tier()},
  };
  for (const Choice& c : choices) {
    if (!by.empty() && by != c.by) continue;
    std::vector<Row> rows;
    for (const auto& row : *c.rows) {
      rows.push_back(
          FunnelCells(c.by == "department" ? Named(names, row.key()) : row.key(), row.counts()));
    }
    rows.push_back(FunnelCells("Total", r.totals()));
    return Write(std::string(c.stem), WithFirst(std::string(c.heading), kFunnelColumns), rows);
  }
  return UnknownBy(by, "department, advisor, wave, tier");
}

Expected<CsvTable> OverdueCsv(const v1::OverdueLoansResponse& r, std::string_view by,
                              const DepartmentNames& names) {
  if (!by.empty() && by != "loan") return UnknownBy(by, "loan");
  std::vector<Row> rows;
  for (const auto& l : r.loans()) {
    rows.push_back({l.employee_number(), l.agent_name(), Named(names, l.department()), l.site(),
                    l.phone(), l.manager(), l.manager_name(), l.manager_phone(), l.serial(),
                    l.asset_tag(), std::string(domain::KindName(l.kind())), l.due_date(),
                    N(l.days_overdue()), Time(l.started_at(), l.has_started_at())});
  }
  return Write("parc-prets-en-retard",
               {"Matricule", "Nom", "Service", "Site", "Téléphone", "Matricule du responsable",
                "Responsable", "Téléphone du responsable", "N° de série", "N° d'inventaire", "Type",
                "Retour prévu", "Jours de retard", "Prêté le (UTC)"},
               rows);
}

}  // namespace parc::http
