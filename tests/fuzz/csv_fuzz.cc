// csv::Parse (common/csv.h), the reader under every import, on any bytes.
// Checks what the header promises: a parsed table has a header, rows start
// after it in line order, and every field of a table parsed from valid UTF-8
// is valid UTF-8 (invalid UTF-8 is refused, never passed on).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  parc::Expected<parc::csv::Table> table = parc::csv::Parse(text);
  if (!table) {
    if (table.error().code != parc::ErrorCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (!parc::csv::IsValidUtf8(text)) std::abort();  // Parse refuses invalid UTF-8
  int line = table->header.line;
  if (line < 1) std::abort();
  for (const parc::csv::Record& row : table->rows) {
    if (row.line <= line) std::abort();
    line = row.line;
    for (const std::string& field : row.fields) {
      if (!parc::csv::IsValidUtf8(field)) std::abort();
      parc::csv::FoldName(field);
      parc::csv::Unguard(field);
    }
  }
  return 0;
}
