// A latency histogram with fixed buckets, for Prometheus (/metrics): lock-free
// observations from any thread, a consistent-enough snapshot for scraping.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace parc {

class LatencyHistogram {
 public:
  // Upper bounds of the buckets, in seconds (le="..."); +Inf is implicit.
  static constexpr std::array<double, 12> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

  struct Snapshot {
    std::array<uint64_t, kBounds.size()> cumulative{};  // observations <= kBounds[i]
    uint64_t count = 0;
    double sum_seconds = 0;
  };

  void Observe(std::chrono::steady_clock::duration elapsed) {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    if (micros < 0) micros = 0;
    size_t i = 0;
    while (i < kBounds.size() && static_cast<double>(micros) > kBounds[i] * 1e6) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_micros_.fetch_add(static_cast<uint64_t>(micros), std::memory_order_relaxed);
  }

  Snapshot Take() const {
    Snapshot s;
    uint64_t running = 0;
    for (size_t i = 0; i < kBounds.size(); ++i) {
      running += buckets_[i].load(std::memory_order_relaxed);
      s.cumulative[i] = running;
    }
    s.count = running + buckets_[kBounds.size()].load(std::memory_order_relaxed);
    s.sum_seconds = static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
    return s;
  }

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};  // last: above every bound
  std::atomic<uint64_t> sum_micros_{0};
};

}  // namespace parc
