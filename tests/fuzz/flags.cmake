# Compile flags of the fuzz build (PARC_FUZZ=ON, configured by tests/fuzz/run.sh
# in build/fuzz): every library is instrumented for libFuzzer's coverage and
# built with AddressSanitizer and UndefinedBehaviorSanitizer; the fuzz targets
# alone link libFuzzer's main (tests/fuzz/CMakeLists.txt).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "PARC_FUZZ needs clang (libFuzzer): use tests/fuzz/run.sh")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)

# Debian 12's clang 14 cannot use libstdc++ 12's <expected> (common/error.h):
# the header wants __cpp_concepts >= 202002L, and clang 14 lacks conditionally
# trivial special members (P0848), so it picks the defaulted destructor and
# copy/move constructors that the header keeps for trivial types and finds them
# deleted. For this build only, a copy of that header without those three
# defaulted members (the remaining ones are correct for every type, just not
# trivial) goes first on the include path. Parc's own code is unchanged.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS -std=c++2b)
check_cxx_source_compiles([[
#include <expected>
#include <string>
int main() { std::expected<std::string, std::string> e; return e ? 0 : 1; }
]] PARC_STD_EXPECTED_WORKS)
unset(CMAKE_REQUIRED_FLAGS)
if(NOT PARC_STD_EXPECTED_WORKS)
  file(GLOB PARC_LIBSTDCXX_EXPECTED /usr/include/c++/*/expected)
  list(SORT PARC_LIBSTDCXX_EXPECTED COMPARE NATURAL ORDER DESCENDING)
  list(GET PARC_LIBSTDCXX_EXPECTED 0 PARC_LIBSTDCXX_EXPECTED)
  file(READ ${PARC_LIBSTDCXX_EXPECTED} text)
  string(REPLACE "#if __cplusplus > 202002L && __cpp_concepts >= 202002L" "#if __cplusplus > 202002L"
                 text "${text}")
  string(REGEX REPLACE "\n[ \t]*expected\\(const expected&\\) = default;" "\n" text "${text}")
  string(REGEX REPLACE "\n[ \t]*expected\\(expected&&\\) = default;" "\n" text "${text}")
  string(REGEX REPLACE "\n[ \t]*constexpr ~expected\\(\\) = default;" "\n" text "${text}")
  file(WRITE ${CMAKE_BINARY_DIR}/compat/expected "// Made by tests/fuzz/flags.cmake from ${PARC_LIBSTDCXX_EXPECTED}\n${text}")
  include_directories(BEFORE SYSTEM ${CMAKE_BINARY_DIR}/compat)
  message(STATUS "fuzz build: <expected> from ${CMAKE_BINARY_DIR}/compat (clang 14 + libstdc++)")
endif()
