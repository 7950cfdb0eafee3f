// The devices import's reading step, domain::ParseDevicesCsv (daemon/domain/
// import.h), as ImportDevices and the desk's import run it, on any
// bytes, checked as tests/fuzz/import_checks.h says.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/import_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parc::fuzz::CheckImport(parc::domain::ParseDevicesCsv,
                          std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
