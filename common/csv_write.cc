#include "common/csv_write.h"

namespace parc::csv {

namespace {

// A number as spreadsheets read one: an optional sign, digits, at most one
// decimal point or comma.
bool IsNumber(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  if (text.empty()) return false;
  int points = 0;
  for (char c : text) {
    if (c == '.' || c == ',') {
      ++points;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return points <= 1 && text != "." && text != ",";
}

// Whether a spreadsheet would take `field` for a formula.
bool LooksLikeFormula(std::string_view field) {
  return !field.empty() && std::string_view("=+-@\t\r").find(field[0]) != field.npos &&
         !IsNumber(field);
}

}  // namespace

std::string CsvField(std::string_view field, char separator) {
  std::string guarded;
  if (LooksLikeFormula(field)) {
    guarded = "'" + std::string(field);
    field = guarded;
  }
  bool quote = field.find_first_of(std::string{separator, '"', '\r', '\n'}) != field.npos;
  if (!quote) return std::string(field);
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

CsvWriter::CsvWriter(std::ostream& out, char separator) : out_(out), separator_(separator) {
  out_ << kUtf8Bom;
}

void CsvWriter::WriteRow(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_ << separator_;
    out_ << CsvField(fields[i], separator_);
  }
  out_ << "\r\n";
}

}  // namespace parc::csv
