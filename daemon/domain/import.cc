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
#include "common/import_columns.h"
#include "common/time.h"
#include "common/vocabulary.h"
#include "daemon/domain/records.h"

namespace parc::domain {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

using import_columns::Column;
using import_columns::Type;

constexpr std::string_view kAgentKey = "employee_number";
constexpr std::string_view kDeviceKey = "serial";

bool Ignored(const std::vector<std::string>& ignore, std::string_view header) {
  std::string folded = csv::FoldName(header);
  return std::any_of(ignore.begin(), ignore.end(),
                     [&](const std::string& name) { return csv::FoldName(name) == folded; });
}

// Line 1's problem for a header no column has.
v1::ImportProblem UnknownColumn(int line, const std::string& header, std::span<const Column> spec) {
  const Column* closest = import_columns::Closest(spec, header);
  return Problem(line, header,
                 fmt::format("unknown column: did you mean {}? (--ignore-column \"{}\" imports "
                             "the file without it) Known columns: {}",
                             closest->field, header, import_columns::Describe(spec)));
}

Expected<bool> ParseBool(std::string_view text) {
  std::string folded = csv::FoldName(text);
  for (std::string_view yes : {"oui", "yes", "true", "1", "vrai", "o", "y"}) {
    if (folded == yes) return true;
  }
  for (std::string_view no : {"non", "no", "false", "0", "faux", "n", ""}) {
    if (folded == no) return false;
  }
  // An address (has_email read from an HR export's address column): yes.
  const size_t at = text.find('@');
  if (at != std::string_view::npos && at > 0 && text.find(' ') == std::string_view::npos &&
      text.find('.', at) != std::string_view::npos) {
    return true;
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("'{}' is not oui/non (yes/no) nor an email address", text));
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
                                     std::string_view key, const std::vector<std::string>& ignore,
                                     ImportPlan<T>& plan) {
  std::vector<const Column*> by_index;
  for (const std::string& name : header.fields) {
    if (Ignored(ignore, name) || csv::FoldName(name).empty()) {
      by_index.push_back(nullptr);
      continue;
    }
    const Column* column = import_columns::Find(spec, name);
    if (column == nullptr) plan.problems.push_back(UnknownColumn(header.line, name, spec));
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
    const Column* k = import_columns::Find(spec, key);
    plan.problems.push_back(
        Problem(header.line, std::string(key),
                fmt::format("required column missing (accepted names: {}, {})", key,
                            fmt::join(k->names.begin(), k->names.end(), ", "))));
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
  row.site_as_written = row.record.site();
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
                                 std::initializer_list<std::string_view> unique,
                                 const std::vector<std::string>& ignore) {
  PARC_ASSIGN_OR_RETURN(csv::Table table, csv::Parse(text));
  ImportPlan<T> plan;
  std::vector<const Column*> by_index = MapHeader(table.header, spec, key, ignore, plan);
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

Expected<ImportPlan<v1::Agent>> ParseAgentsCsv(std::string_view csv,
                                               const std::vector<std::string>& ignore_columns) {
  return ParseCsv<v1::Agent>(csv, import_columns::Agents(), kAgentKey, {"employee_number"},
                             ignore_columns);
}

Expected<ImportPlan<v1::Device>> ParseDevicesCsv(std::string_view csv,
                                                 const std::vector<std::string>& ignore_columns) {
  return ParseCsv<v1::Device>(csv, import_columns::Devices(), kDeviceKey, {"serial", "asset_tag"},
                              ignore_columns);
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
