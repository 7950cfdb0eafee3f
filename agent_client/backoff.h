// When to check in next: the server's interval with ±10% jitter, and after a
// failure exponential backoff with full jitter. Pure functions of an injected
// random source, so tests pin them with a seed.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace parc::agent {

using Millis = std::chrono::milliseconds;

class Random {
 public:
  virtual ~Random() = default;
  // Uniform in [0, 1).
  virtual double Unit() = 0;
};

// Deterministic for a given seed; seed it from std::random_device in production.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  double Unit() override { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }

 private:
  std::mt19937_64 engine_;
};

// `interval` scaled by a factor uniform in [0.9, 1.1).
Millis JitteredInterval(Millis interval, Random& random);

// After `failures` (>= 1) failures in a row: uniform in [0, min(cap, base *
// 2^(failures-1))), but never below `floor` (no busy retry loop).
Millis BackoffDelay(int failures, Millis base, Millis cap, Random& random,
                    Millis floor = Millis(1));

}  // namespace parc::agent
