#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/parcctl.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  parc::cli::Io io{std::cout, std::cerr, std::cin,
                   [](const std::string& name) -> std::optional<std::string> {
                     const char* value = std::getenv(name.c_str());
                     if (value == nullptr) return std::nullopt;
                     return std::string(value);
                   },
                   isatty(STDERR_FILENO) == 1};
  return parc::cli::Main(args, io);
}
