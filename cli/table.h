// Aligned text tables for people. Widths are counted in UTF-8 code points, so
// "Hélène" takes six columns like "Helene" (no East Asian wide characters are
// expected in a French city's records).
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace parc::cli {

// Number of code points in `utf8` (continuation bytes are not counted).
size_t DisplayWidth(std::string_view utf8);

class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // Missing cells print empty; extra cells are dropped. Line breaks and tabs in
  // a cell print as spaces so that one record stays on one line.
  void AddRow(std::vector<std::string> cells);
  size_t size() const { return rows_.size(); }

  // Header then rows, columns separated by two spaces, no trailing spaces.
  void Print(std::ostream& out) const;

 private:
  void PrintLine(std::ostream& out, const std::vector<std::string>& cells,
                 const std::vector<size_t>& widths) const;

  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace parc::cli
