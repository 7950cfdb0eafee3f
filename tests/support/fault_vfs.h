// A SQLite VFS that fails on demand (SQLite's own technique: test_vfs.c,
// the "ioerr" and "full" test loops). It wraps the default VFS and becomes
// the default itself, so every database the process opens afterwards (parcd's
// store included: it passes no VFS name) goes through it; disarmed, it only
// forwards. Armed, the Nth xRead, xWrite or xSync from now (counted over every
// file and thread) fails with the chosen code, once or, `persist`, until
// Disarm (a full disk stays full).
//
// Test-only. Thread-safe: the counters are atomics, safe from SQLite's threads.
#pragma once

#include <cstdint>

namespace parc::testing {

class FaultVfs {
 public:
  enum class Op { kRead = 0, kWrite = 1, kSync = 2 };

  // Registers the shim as the default VFS (once per process) and returns it.
  static FaultVfs& Install();

  // The `nth` (1-based) `op` from now fails with `code` (SQLITE_IOERR_READ,
  // SQLITE_FULL, ...); with `persist`, every later one too, until Disarm.
  void Arm(Op op, int64_t nth, int code, bool persist = false);
  void Disarm();
  // Calls of `op` so far (armed or not), to size a fault loop.
  int64_t Count(Op op) const;
  // Faults returned since the last Arm.
  int64_t Fired() const;
};

}  // namespace parc::testing
