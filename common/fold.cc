#include "common/fold.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace parc {
namespace {

struct Folded {
  uint32_t code_point;
  const char* ascii;
};

constexpr Folded kTable[] = {
#include "common/fold_table.inc"
};

static_assert(std::ranges::is_sorted(kTable, {}, &Folded::code_point));

// Decodes one UTF-8 sequence at text[i]; 0 bytes when it is not a valid one.
size_t Decode(std::string_view text, size_t i, uint32_t* cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t len = lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF5 ? 4 : 0;
  if (len == 0 || i + len > text.size()) return 0;
  uint32_t value = lead & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  *cp = value;
  return len;
}

bool IsCombiningMark(uint32_t cp) { return cp >= 0x0300 && cp <= 0x036F; }

}  // namespace

std::string FoldForSearch(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      out += c == '`' ? '\'' : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t len = Decode(text, i, &cp);
    if (len == 0) {  // not UTF-8: keep the byte
      out += c;
      ++i;
      continue;
    }
    if (!IsCombiningMark(cp)) {
      auto it = std::ranges::lower_bound(kTable, cp, {}, &Folded::code_point);
      if (it != std::end(kTable) && it->code_point == cp) {
        out += it->ascii;
      } else {
        out.append(text.substr(i, len));
      }
    }
    i += len;
  }
  return out;
}

}  // namespace parc
