// The Pix Orga export reader, domain::ParsePixExport (daemon/domain/pix.h),
// for both kinds of export (assessment, profiles collection: the format is
// read from the header), as ImportSkillAssessments runs it, on any bytes.
// The id column is found by the reader, and also named as an operator would
// (--id-column) when the input's first line is "id_column=<header>".
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "daemon/domain/pix.h"

namespace {

void Check(std::string_view csv, std::string_view id_column) {
  auto file = parc::domain::ParsePixExport(csv, id_column);
  if (!file) {
    if (file.error().code != parc::ErrorCode::kInvalidArgument) std::abort();
    return;
  }
  if (file->not_shared < 0) std::abort();
  for (const auto& row : file->rows) {
    if (row.line < 2 || row.employee_number.empty() || row.mastery > 1.0) std::abort();
    for (const auto& area : row.areas) {
      if (area.mastery > 1.0 || area.level > 8) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kPrefix = "id_column=";
  if (text.starts_with(kPrefix)) {
    size_t end = text.find('\n');
    if (end == std::string_view::npos) return 0;
    Check(text.substr(end + 1), text.substr(kPrefix.size(), end - kPrefix.size()));
  } else {
    Check(text, "");
  }
  return 0;
}
