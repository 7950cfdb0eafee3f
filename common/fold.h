// Folding for search: the one function that makes "lefevre" find "Lefèvre",
// "dang" find "Ðặng" and "sn-ab12" find "SN-AB12". Used wherever people,
// devices and sites are looked up or searched (stored folded columns, query
// text, import headers), so that every lookup folds the same way.
#pragma once

#include <string>
#include <string_view>

namespace parc {

// `text` (UTF-8) in lower case without accents: ASCII letters lowered; Latin
// letters with diacritics (U+00C0-U+024F, U+1E00-U+1EFF, Vietnamese included)
// reduced to their base letters; letters that do not decompose spelled in ASCII
// (Đ/Ð -> d, Ł -> l, Ø -> o, Œ -> oe, Æ -> ae, ß/ẞ -> ss, Þ -> th, ı -> i, the
// ligatures U+FB00-U+FB06); combining marks (U+0300-U+036F) dropped, so that
// decomposed input folds like composed input; typographic apostrophes (’ ‘ ʼ ´ `)
// become "'", no-break spaces " ". Other characters, other scripts and invalid
// bytes are kept as they are. Idempotent: Fold(Fold(x)) == Fold(x).
std::string FoldForSearch(std::string_view text);

}  // namespace parc
