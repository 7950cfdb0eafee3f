// The columns of the agents and devices import files (parcctl import, the page):
// one table per import, read by the daemon to map a header and by parcctl to
// list the accepted names in --help. A header matches a column when its
// csv::FoldName form equals the folded field name or one of the names below
// (accents, case, spaces and punctuation folded: "N° de série" == "n_de_serie").
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parc::import_columns {

enum class Type { kText, kBool, kDate, kKind, kLifecycle, kStatus };

struct Column {
  std::string_view field;  // the v1 field it fills, also accepted as a header
  Type type;
  std::vector<std::string_view> names;  // other headers, as a spreadsheet writes them
};

std::span<const Column> Agents();
std::span<const Column> Devices();

// The column `header` names, or nullptr.
const Column* Find(std::span<const Column> spec, std::string_view header);

// The column whose field or name is closest to `header` (edit distance on the
// folded forms); never nullptr for a non-empty spec.
const Column* Closest(std::span<const Column> spec, std::string_view header);

// "serial (N° de série, Numéro de série, ...); asset_tag (...)": for --help and
// for the message naming an unknown column.
std::string Describe(std::span<const Column> spec);

}  // namespace parc::import_columns
