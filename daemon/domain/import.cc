// Reading an import file into an ImportPlan. Applying it: import_apply.cc.
#include "daemon/domain/import.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <span>

#include "common/csv.h"
#include "common/time.h"
#include "common/vocabulary.h"
#include "daemon/domain/records.h"

namespace parc::domain {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

enum class Type { kText, kBool, kDate, kKind, kLifecycle, kStatus };

// One importable column: the v1 field it fills and the folded header names
// (csv::FoldName) it is known by; the field name itself is always accepted.
struct Column {
  std::string_view field;
  Type type;
  std::vector<std::string_view> aliases;
};

constexpr std::string_view kAgentKey = "employee_number";
constexpr std::string_view kDeviceKey = "serial";

const std::vector<Column> kAgentColumns = {
    {"employee_number",
     Type::kText,
     {"matricule", "n_matricule", "numero_de_matricule", "numero_agent"}},
    {"first_name", Type::kText, {"prenom"}},
    {"last_name", Type::kText, {"nom", "nom_de_famille"}},
    {"department", Type::kText, {"service", "direction", "departement"}},
    {"site", Type::kText, {"lieu_de_travail"}},
    {"has_email",
     Type::kBool,
     {"email", "a_un_email", "a_un_email_oui_non", "courriel", "messagerie"}},
    {"advisor", Type::kText, {"conseiller", "conseillere", "conseiller_numerique"}},
    {"wave", Type::kText, {"vague", "cohorte"}},
    {"status", Type::kStatus, {"statut"}},
    {"badge", Type::kText, {"n_badge", "numero_de_badge"}},
};

const std::vector<Column> kDeviceColumns = {
    {"serial", Type::kText, {"numero_de_serie", "n_de_serie", "n_serie", "serial_number"}},
    {"asset_tag",
     Type::kText,
     {"n_inventaire", "n_d_inventaire", "numero_d_inventaire", "numero_inventaire", "inventaire",
      "etiquette"}},
    {"kind", Type::kKind, {"type"}},
    {"model", Type::kText, {"modele"}},
    {"os", Type::kText, {"systeme", "systeme_d_exploitation"}},
    {"site", Type::kText, {"lieu"}},
    {"department", Type::kText, {"service", "direction", "departement"}},
    {"purchase_date", Type::kDate, {"date_d_achat", "date_achat"}},
    {"warranty_end", Type::kDate, {"fin_de_garantie", "fin_garantie"}},
    {"notes", Type::kText, {"remarques", "remarque", "commentaire", "commentaires"}},
    {"lifecycle", Type::kLifecycle, {"etat", "statut"}},
};

const Column* FindColumn(std::span<const Column> spec, std::string_view header) {
  std::string folded = csv::FoldName(header);
  for (const Column& c : spec) {
    if (folded == c.field ||
        std::find(c.aliases.begin(), c.aliases.end(), folded) != c.aliases.end()) {
      return &c;
    }
  }
  return nullptr;
}

Expected<bool> ParseBool(std::string_view text) {
  std::string folded = csv::FoldName(text);
  for (std::string_view yes : {"oui", "yes", "true", "1", "vrai", "o", "y"}) {
    if (folded == yes) return true;
  }
  for (std::string_view no : {"non", "no", "false", "0", "faux", "n", ""}) {
    if (folded == no) return false;
  }
  return Fail(ErrorCode::kInvalidArgument, fmt::format("'{}' is not oui/non (yes/no)", text));
}

Expected<v1::AgentStatus> ParseStatus(std::string_view text) {
  if (auto status = ParseAgentStatusName(text)) return *status;
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("'{}' is not a status (active or left)", text));
}

// Sets `column`'s field of `record` from `text`. Returns false when the cell
// is an empty enum cell, which sets nothing.
Expected<bool> SetField(Message& record, const Column& column, const std::string& text) {
  const FieldDescriptor* fd = record.GetDescriptor()->FindFieldByName(std::string(column.field));
  const auto* refl = record.GetReflection();
  bool is_enum =
      column.type == Type::kKind || column.type == Type::kLifecycle || column.type == Type::kStatus;
  if (is_enum && text.find_first_not_of(" \t") == std::string::npos) return false;
  switch (column.type) {
    case Type::kText:
      refl->SetString(&record, fd, text);
      break;
    case Type::kDate: {
      std::string date;
      if (text.find_first_not_of(" \t") != std::string::npos) {
        PARC_ASSIGN_OR_RETURN(date, ParseDate(text));
      }
      refl->SetString(&record, fd, date);
      break;
    }
    case Type::kBool: {
      PARC_ASSIGN_OR_RETURN(bool value, ParseBool(text));
      refl->SetBool(&record, fd, value);
      break;
    }
    case Type::kKind: {
      PARC_ASSIGN_OR_RETURN(auto kind, ParseKind(text));
      refl->SetEnumValue(&record, fd, kind);
      break;
    }
    case Type::kLifecycle: {
      PARC_ASSIGN_OR_RETURN(auto lifecycle, ParseLifecycle(text));
      refl->SetEnumValue(&record, fd, lifecycle);
      break;
    }
    case Type::kStatus: {
      PARC_ASSIGN_OR_RETURN(auto status, ParseStatus(text));
      refl->SetEnumValue(&record, fd, status);
      break;
    }
  }
  return true;
}

// Maps header positions to columns; reports a column given twice and a
// missing key column on line 1.
template <typename T>
std::vector<const Column*> MapHeader(const csv::Record& header, std::span<const Column> spec,
                                     std::string_view key, ImportPlan<T>& plan) {
  std::vector<const Column*> by_index;
  for (const std::string& name : header.fields) {
    const Column* column = FindColumn(spec, name);
    if (column != nullptr && plan.columns.contains(std::string(column->field))) {
      plan.problems.push_back(
          Problem(header.line, name,
                  fmt::format("same column as '{}'", plan.columns[std::string(column->field)])));
      column = nullptr;
    }
    if (column != nullptr) plan.columns[std::string(column->field)] = name;
    by_index.push_back(column);
  }
  if (!plan.columns.contains(std::string(key))) {
    const Column* k = FindColumn(spec, key);
    plan.problems.push_back(
        Problem(header.line, std::string(key),
                fmt::format("required column missing (accepted names: {}, {})", key,
                            fmt::join(k->aliases.begin(), k->aliases.end(), ", "))));
  }
  return by_index;
}

// The column header for a field named in an error ("wave: too long").

// Reads one data row into `row`; returns false when it had a problem.
template <typename T>
bool ReadRow(const csv::Record& record, const std::vector<const Column*>& by_index,
             const csv::Record& header, ImportPlan<T>& plan, ImportRow<T>& row) {
  bool ok = true;
  row.line = record.line;
  if (record.fields.size() > header.fields.size() &&
      std::any_of(record.fields.begin() + header.fields.size(), record.fields.end(),
                  [](const std::string& f) { return !f.empty(); })) {
    plan.problems.push_back(Problem(record.line, "",
                                    fmt::format("{} fields but the header has {}",
                                                record.fields.size(), header.fields.size())));
    ok = false;
  }
  for (size_t i = 0; i < by_index.size(); ++i) {
    if (by_index[i] == nullptr) continue;
    // Exports guard text that looks like a formula ("'=..."): read it back as written.
    const std::string text(i < record.fields.size() ? csv::Unguard(record.fields[i])
                                                    : std::string_view{});
    auto set = SetField(row.record, *by_index[i], text);
    if (!set) {
      plan.problems.push_back(Problem(record.line, header.fields[i], set.error().message));
      ok = false;
    } else if (*set) {
      row.fields.emplace_back(by_index[i]->field);
    }
  }
  return ok;
}

// Splits "field: reason" as Validate writes it.
std::pair<std::string, std::string> SplitFieldError(const std::string& message) {
  size_t colon = message.find(": ");
  if (colon == std::string::npos) return {"", message};
  return {message.substr(0, colon), message.substr(colon + 2)};
}

// Unique keys seen so far: field -> value -> first line.
using SeenKeys = std::map<std::string_view, std::map<std::string, int>>;

template <typename T>
bool CheckRow(ImportRow<T>& row, std::initializer_list<std::string_view> unique,
              ImportPlan<T>& plan, SeenKeys& seen) {
  Normalize(row.record);
  if (auto valid = Validate(row.record); !valid) {
    auto [field, reason] = SplitFieldError(valid.error().message);
    if (std::find(row.fields.begin(), row.fields.end(), field) != row.fields.end() ||
        field.empty()) {
      plan.problems.push_back(Problem(row.line, ColumnOf(plan.columns, field), reason));
      return false;
    }
  }
  bool ok = true;
  for (std::string_view field : unique) {
    const FieldDescriptor* fd = row.record.GetDescriptor()->FindFieldByName(std::string(field));
    std::string value = row.record.GetReflection()->GetString(row.record, fd);
    if (value.empty() || !plan.columns.contains(std::string(field))) continue;
    auto [it, inserted] = seen[field].emplace(value, row.line);
    if (!inserted) {
      plan.problems.push_back(Problem(row.line, ColumnOf(plan.columns, field),
                                      fmt::format("{} already on line {}", value, it->second)));
      ok = false;
    }
  }
  return ok;
}

template <typename T>
Expected<ImportPlan<T>> ParseCsv(std::string_view text, std::span<const Column> spec,
                                 std::string_view key,
                                 std::initializer_list<std::string_view> unique) {
  PARC_ASSIGN_OR_RETURN(csv::Table table, csv::Parse(text));
  ImportPlan<T> plan;
  std::vector<const Column*> by_index = MapHeader(table.header, spec, key, plan);
  if (!plan.problems.empty()) return plan;
  SeenKeys seen;
  for (const csv::Record& record : table.rows) {
    ImportRow<T> row;
    if (ReadRow(record, by_index, table.header, plan, row) && CheckRow(row, unique, plan, seen)) {
      plan.rows.push_back(std::move(row));
    }
  }
  return plan;
}

}  // namespace

Expected<ImportPlan<v1::Agent>> ParseAgentsCsv(std::string_view csv) {
  return ParseCsv<v1::Agent>(csv, kAgentColumns, kAgentKey, {"employee_number"});
}

Expected<ImportPlan<v1::Device>> ParseDevicesCsv(std::string_view csv) {
  return ParseCsv<v1::Device>(csv, kDeviceColumns, kDeviceKey, {"serial", "asset_tag"});
}

v1::ImportProblem Problem(int line, std::string column, std::string reason) {
  v1::ImportProblem p;
  p.set_line(line);
  p.set_column(std::move(column));
  p.set_reason(std::move(reason));
  return p;
}

std::string ColumnOf(const std::map<std::string, std::string>& columns, std::string_view field) {
  auto it = columns.find(std::string(field));
  return it == columns.end() ? std::string(field) : it->second;
}

}  // namespace parc::domain
