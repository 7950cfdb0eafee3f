// Reading CSV files as spreadsheets write them (RFC 4180): UTF-8 with or without
// a byte-order mark, ';' (French spreadsheets), ',' or tab separated — the
// separator is detected from the header line —, fields quoted with '"' (doubled
// inside) that may hold separators and line breaks, CRLF or LF line endings and
// an optional final line break. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace parc::csv {

// One record. `line` is the 1-based physical line where it starts (the header
// is line 1), so a record after a quoted multi-line field still knows its line.
struct Record {
  int line = 0;
  std::vector<std::string> fields;  // line breaks inside fields are "\n"
};

struct Table {
  char separator = ',';
  Record header;             // the first non-empty record
  std::vector<Record> rows;  // every later record; empty lines are skipped
};

// The most fields a record may have. Real imports have a few dozen columns
// (a Pix export about a hundred); the cap keeps a small file from becoming a
// huge table (one empty field is 1 byte of text but a std::string in memory)
// and an import from reporting one problem per column of a header of millions.
inline constexpr size_t kMaxFields = 1024;
// The longest header field, in bytes (Pix's longest is about 100). Importers
// name the header as written in every problem of its column, so a header of
// megabytes would be copied once per row.
inline constexpr size_t kMaxHeaderBytes = 512;

// Parses a whole file. Lines that are empty, or hold only separators (the
// trailing rows spreadsheets export), are skipped. Quoted fields are unquoted;
// unquoted fields are kept as written (no trimming). Rows may have fewer or
// more fields than the header: callers decide. INVALID_ARGUMENT, reading
// "line N, column X: reason", for invalid UTF-8, an unterminated quote, text
// after a closing quote, a record of more than kMaxFields fields, a header
// field of more than kMaxHeaderBytes, or a file with no header.
Expected<Table> Parse(std::string_view text);

// A form of a header name or a word for comparisons: lower case, French accents
// folded ("Prénom" -> "prenom", "N° d'inventaire" -> "n_d_inventaire"), every
// run of other characters turned into one '_', no leading/trailing '_'.
std::string FoldName(std::string_view text);

// A field without the formula guard spreadsheets and exports put before text
// starting with - @ = + (a leading "'": Pix's exports, common/csv_write.h).
std::string_view Unguard(std::string_view field);

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool IsValidUtf8(std::string_view text);

}  // namespace parc::csv
