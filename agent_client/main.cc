#include <malloc.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "agent_client/agent.h"

int main(int argc, char** argv) {
  // One malloc arena: the agent is single-threaded but for gRPC's few threads,
  // and per-thread arenas would multiply its resident memory.
  mallopt(M_ARENA_MAX, 1);
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  parc::agent::Io io{std::cout, std::cerr,
                     [](const std::string& name) -> std::optional<std::string> {
                       const char* value = std::getenv(name.c_str());
                       if (value == nullptr) return std::nullopt;
                       return std::string(value);
                     }};
  return parc::agent::AgentMain(args, io);
}
