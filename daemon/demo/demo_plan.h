// Planning the demo city: who works where, who has email, which device went
// to whom. Pure and deterministic; demo.cc writes the plan. Internal to parc_demo.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "parc/v1/types.pb.h"

namespace parc::demo {

// Draws from one seeded std::mt19937_64 with our own arithmetic, so the data
// does not depend on the standard library's distributions.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  uint64_t Below(uint64_t n) { return engine_() % n; }
  int64_t Between(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Below(hi - lo + 1)); }
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(i)]);
  }

 private:
  std::mt19937_64 engine_;
};

// One staff member, compact enough for a million of them.
struct AgentPlan {
  uint16_t first = 0, last = 0;
  uint8_t department = 0;
  int32_t site = 0;
  bool email = true;
  bool left = false;
  uint8_t wave = 0;  // 0: none
  uint8_t advisor = 0;
};

struct City {
  std::vector<v1::Site> sites;
  std::vector<std::vector<int32_t>> sites_of_department;
  std::vector<AgentPlan> agents;
  std::vector<int32_t> targeted;  // staff without email, wave 1 first
  size_t next_target = 0;         // next targeted person without a personal device
};

// A device with its open allocation (if assigned) and one closed allocation
// (if it came back broken or was lost).
struct DevicePlan {
  v1::Device device;
  std::optional<v1::Allocation> open, closed;
};

std::string EmployeeNumber(int i);

// Creates `count` sites (the 40 of demo_data.h, then numbered copies).
void PlanSites(City& city, int count);
// Plans `staff` agents: names, departments, sites, email, waves, advisors.
void PlanAgents(City& city, int staff, Random& rng);
v1::Agent MakeAgent(const City& city, int i, int64_t now_ms);
// Plans device number `n`; `tag_counters` numbers asset tags per kind.
DevicePlan PlanDevice(City& city, int n, std::array<int, 4>& tag_counters, Random& rng,
                      int64_t now_ms);

}  // namespace parc::demo
