#include "common/csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace parc::csv {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Length of the UTF-8 sequence starting at text[i], or 0 when it is malformed.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  unsigned char c1 = byte(i + 1);
  if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
  if (c == 0xED && c1 > 0x9F) return 0;  // surrogate
  if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
  if (c == 0xF4 && c1 > 0x8F) return 0;  // beyond U+10FFFF
  return len;
}

// Counts separators outside quotes on the first line and keeps the most
// frequent; ties go to ';' (French spreadsheets), then ','.
char DetectSeparator(std::string_view text) {
  std::array<std::pair<char, int>, 3> counts = {{{';', 0}, {',', 0}, {'\t', 0}}};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') {
      if (counts[0].second + counts[1].second + counts[2].second > 0) break;
      continue;  // an empty line before the header
    }
    for (auto& [sep, n] : counts) n += c == sep;
  }
  auto best = std::max_element(counts.begin(), counts.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  return best->second > 0 ? best->first : ',';
}

class Reader {
 public:
  Reader(std::string_view text, char sep) : text_(text), sep_(sep) {}

  bool Done() const { return pos_ >= text_.size(); }

  // Reads one record and its line break. `header` names columns in errors.
  Expected<Record> Next(const std::vector<std::string>& header) {
    Record record{line_, {}};
    while (true) {
      int field_line = line_;
      size_t column = record.fields.size();
      auto where = [&] { return Where(field_line, column, header); };
      std::string field;
      if (!Done() && text_[pos_] == '"') {
        PARC_TRY(ReadQuoted(field, where));
      } else {
        size_t end = text_.find_first_of(std::string{sep_, '\r', '\n'}, pos_);
        if (end == std::string_view::npos) end = text_.size();
        field.assign(text_.substr(pos_, end - pos_));
        pos_ = end;
      }
      if (!IsValidUtf8(field)) {
        return Fail(ErrorCode::kInvalidArgument,
                    where() + ": invalid UTF-8 (save the file as \"CSV UTF-8\")");
      }
      record.fields.push_back(std::move(field));
      if (Done()) return record;
      char c = text_[pos_++];
      if (c == sep_ && record.fields.size() == kMaxFields) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("line {}: more than {} fields", record.line, kMaxFields));
      }
      if (c == sep_) continue;
      if (c == '\r' && !Done() && text_[pos_] == '\n') ++pos_;
      ++line_;
      return record;
    }
  }

 private:
  static std::string Where(int line, size_t column, const std::vector<std::string>& header) {
    if (column < header.size() && !header[column].empty()) {
      return fmt::format("line {}, column {}", line, header[column]);
    }
    return fmt::format("line {}, column {}", line, column + 1);
  }

  template <typename Where>
  Status ReadQuoted(std::string& field, const Where& where) {
    ++pos_;  // the opening quote
    while (true) {
      if (Done()) return Fail(ErrorCode::kInvalidArgument, where() + ": unterminated quoted field");
      char c = text_[pos_++];
      if (c == '"') {
        if (Done() || text_[pos_] != '"') break;
        field.push_back('"');
        ++pos_;
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && !Done() && text_[pos_] == '\n') ++pos_;
        field.push_back('\n');
        ++line_;
      } else {
        field.push_back(c);
      }
    }
    if (!Done() && text_[pos_] != sep_ && text_[pos_] != '\r' && text_[pos_] != '\n') {
      return Fail(ErrorCode::kInvalidArgument,
                  where() + ": text after a closing quote (write \"\" for a quote inside a field)");
    }
    return Ok();
  }

  std::string_view text_;
  char sep_;
  size_t pos_ = 0;
  int line_ = 1;
};

bool IsBlank(const Record& record) {
  return std::all_of(record.fields.begin(), record.fields.end(),
                     [](const std::string& f) { return f.empty(); });
}

// Folds one UTF-8 letter with a French accent; returns the bytes consumed.
size_t FoldAccent(std::string_view text, size_t i, std::string& out) {
  static const std::array<std::pair<std::string_view, std::string_view>, 30> kFolds = {{
      {"à", "a"}, {"â", "a"}, {"ä", "a"}, {"é", "e"},  {"è", "e"},  {"ê", "e"},
      {"ë", "e"}, {"î", "i"}, {"ï", "i"}, {"ô", "o"},  {"ö", "o"},  {"ù", "u"},
      {"û", "u"}, {"ü", "u"}, {"ç", "c"}, {"œ", "oe"}, {"À", "a"},  {"Â", "a"},
      {"É", "e"}, {"È", "e"}, {"Ê", "e"}, {"Ë", "e"},  {"Î", "i"},  {"Ï", "i"},
      {"Ô", "o"}, {"Ù", "u"}, {"Û", "u"}, {"Ç", "c"},  {"Œ", "oe"}, {"ÿ", "y"},
  }};
  for (const auto& [from, to] : kFolds) {
    if (text.substr(i).starts_with(from)) {
      out.append(to);
      return from.size();
    }
  }
  return 0;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t len = Utf8SequenceLength(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string FoldName(std::string_view text) {
  std::string out;
  bool pending_gap = false;
  for (size_t i = 0; i < text.size();) {
    std::string letters;
    size_t used = FoldAccent(text, i, letters);
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (used == 0 && c < 0x80 && std::isalnum(c)) {
      letters.push_back(static_cast<char>(std::tolower(c)));
      used = 1;
    }
    if (used == 0) {  // anything else, including other multi-byte characters
      pending_gap = true;
      size_t len = Utf8SequenceLength(text, i);
      i += len == 0 ? 1 : len;
      continue;
    }
    if (pending_gap && !out.empty()) out.push_back('_');
    pending_gap = false;
    out += letters;
    i += used;
  }
  return out;
}

Expected<Table> Parse(std::string_view text) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  Table table;
  table.separator = DetectSeparator(text);
  Reader reader(text, table.separator);
  bool have_header = false;
  while (!reader.Done()) {
    PARC_ASSIGN_OR_RETURN(Record record, reader.Next(table.header.fields));
    if (IsBlank(record)) continue;
    if (!have_header) {
      for (size_t i = 0; i < record.fields.size(); ++i) {
        if (record.fields[i].size() > kMaxHeaderBytes) {
          return Fail(ErrorCode::kInvalidArgument,
                      fmt::format("line {}, column {}: a header of more than {} bytes", record.line,
                                  i + 1, kMaxHeaderBytes));
        }
      }
      table.header = std::move(record);
      have_header = true;
    } else {
      table.rows.push_back(std::move(record));
    }
  }
  if (!have_header)
    return Fail(ErrorCode::kInvalidArgument, "line 1: empty file, expected a header line");
  return table;
}

std::string_view Unguard(std::string_view field) {
  if (field.size() >= 2 && field[0] == '\'' &&
      std::string_view("-@=+\t\r").find(field[1]) != std::string_view::npos) {
    return field.substr(1);
  }
  return field;
}

}  // namespace parc::csv
