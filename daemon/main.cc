#include <iostream>
#include <string>
#include <vector>

#include "daemon/parcd.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  parc::Io io{std::cout, std::cerr, parc::ProcessEnvironment()};
  return parc::ParcdMain(args, io);
}
