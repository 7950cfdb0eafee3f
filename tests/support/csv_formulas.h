// For tests of every CSV export (issue 18, "the CSV formula guard on every
// export"): the cells of a CSV file (common/csv_write.h's dialect: BOM, ';',
// CRLF, RFC 4180 quotes) that a spreadsheet would run as a formula, i.e. that
// start with = + - @, a tab or a carriage return and are not a plain number.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parc::testing {

inline std::vector<std::string> CsvCells(std::string_view csv) {
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"' && cell.empty()) {
      quoted = true;
    } else if (c == ';' || c == '\n') {
      if (!cell.empty() && cell.back() == '\r' && c == '\n') cell.pop_back();
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  if (!cell.empty()) cells.push_back(cell);
  return cells;
}

inline bool IsPlainNumber(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == ',' || c == ' ')) return false;
  }
  return true;
}

inline std::vector<std::string> FormulaCells(std::string_view csv) {
  std::vector<std::string> out;
  for (const std::string& cell : CsvCells(csv)) {
    if (cell.empty()) continue;
    char c = cell[0];
    if ((c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') &&
        !IsPlainNumber(cell)) {
      out.push_back(cell);
    }
  }
  return out;
}

// Cells carrying the guard (a leading "'" before a formula character): a test
// seeded with formulas must find some, or it checked nothing.
inline int GuardedCells(std::string_view csv) {
  int n = 0;
  for (const std::string& cell : CsvCells(csv)) {
    if (cell.size() > 1 && cell[0] == '\'' &&
        std::string_view("=+-@\t\r").find(cell[1]) != std::string_view::npos) {
      ++n;
    }
  }
  return n;
}

}  // namespace parc::testing
