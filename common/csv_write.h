// CSV files that French spreadsheets open as they are and that `parcctl import`
// reads back (common/csv.h): UTF-8 with a byte order mark, ';' separated, CRLF
// line ends, RFC 4180 quoting (a field holding the separator, a quote or a line
// break is quoted, with quotes doubled). A text starting with = + - @ (or a tab
// or carriage return) would be run as a formula by the spreadsheet: it gets a
// leading "'" (csv::Unguard, common/csv.h, removes it when read back); numbers
// such as -3 or +33 are left alone. Used by parcctl's exports and by parcd's
// CSV downloads.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace parc::csv {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// `field` as it appears in a row: guarded against formulas, quoted only when
// it has to be.
std::string CsvField(std::string_view field, char separator = ';');

// Writes to a stream it borrows; the stream must outlive the writer.
class CsvWriter {
 public:
  // Writes the BOM at once.
  explicit CsvWriter(std::ostream& out, char separator = ';');

  void WriteRow(const std::vector<std::string>& fields);

 private:
  std::ostream& out_;
  char separator_;
};

}  // namespace parc::csv
