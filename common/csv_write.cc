#include "common/csv_write.h"

namespace parc::csv {

std::string CsvField(std::string_view field, char separator) {
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
