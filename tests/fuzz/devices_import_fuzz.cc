// The devices import's reading step, domain::ParseDevicesCsv (daemon/domain/
// import.h), as ImportDevices and the desk's import run it, on any bytes. Every
// problem names a line of the file; every row kept passed domain::Validate.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "daemon/domain/import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view csv(reinterpret_cast<const char*>(data), size);
  auto plan = parc::domain::ParseDevicesCsv(csv);
  if (!plan) {
    if (plan.error().code != parc::ErrorCode::kInvalidArgument) std::abort();
    return 0;
  }
  for (const auto& problem : plan->problems) {
    if (problem.line() < 1) std::abort();
  }
  for (const auto& row : plan->rows) {
    if (row.line < 2) std::abort();  // line 1 is the header
  }
  // The same file with its columns ignored, as `parcctl import --ignore-column`.
  std::vector<std::string> ignored;
  for (const auto& [field, header] : plan->columns) ignored.push_back(header);
  (void)parc::domain::ParseDevicesCsv(csv, ignored);
  return 0;
}
