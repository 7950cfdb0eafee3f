// The offline queue: every report gets the next sequence number and is on disk
// before anyone may send it; it leaves the disk only once the server
// acknowledged it. A kill -9 at any point loses nothing that Append() returned
// for.
//
// Layout of the queue directory:
//   00000000000000000042.pb  one v1::Report per file, named by its sequence
//   next_sequence           past every sequence removed so far (the next one
//                           handed out is past it and past every file)
//   dropped                 reports dropped by a full queue and not yet
//                           reported to the server
//   lock                    flock()ed around every operation
//
// Every operation takes an exclusive flock on `lock` and reads the directory
// afresh, so several processes (the running agent, `parc-agent login`) can
// share one queue. One ReportQueue object is not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "parc/v1/device.pb.h"

namespace parc::agent {

struct QueueStats {
  uint64_t length = 0;         // reports waiting for an acknowledgement
  uint64_t dropped = 0;        // dropped and not yet reported
  uint64_t next_sequence = 1;  // what the next Append() will get
};

class ReportQueue {
 public:
  static constexpr uint64_t kDefaultCapacity = 10'000;

  // Opens (creating when missing) the queue in `dir`. `clock` is borrowed and
  // stamps collected_at.
  static Expected<std::unique_ptr<ReportQueue>> Open(std::filesystem::path dir, const Clock& clock,
                                                     uint64_t capacity = kDefaultCapacity);

  // Stamps `report` with the next sequence and the time, and makes it durable.
  // When the queue is full the oldest reports are deleted and counted as
  // dropped. Returns the sequence given.
  Expected<uint64_t> Append(v1::Report report);

  // Up to `max` reports, oldest first. A file that does not parse is deleted
  // and counted as dropped rather than blocking the queue forever.
  Expected<std::vector<v1::Report>> Peek(size_t max);

  // The server stored every sequence <= `through`: deletes those reports, and
  // subtracts `dropped_reported` (the dropped count sent with that check-in)
  // from the dropped counter.
  Status Acknowledge(uint64_t through, uint64_t dropped_reported);

  Expected<QueueStats> Stats();

 private:
  ReportQueue(std::filesystem::path dir, const Clock& clock, uint64_t capacity)
      : dir_(std::move(dir)), clock_(clock), capacity_(capacity) {}

  Expected<std::vector<uint64_t>> ListSequences() const;   // ascending
  Expected<uint64_t> ReadCounter(const char* name) const;  // 0 when missing
  Status WriteCounter(const char* name, uint64_t value) const;
  Expected<uint64_t> NextSequence(const std::vector<uint64_t>& sequences) const;
  Status DropOldest(const std::vector<uint64_t>& sequences, size_t count);
  Status Remove(const std::vector<uint64_t>& sequences) const;
  std::filesystem::path ReportPath(uint64_t sequence) const;
  void RemoveTempFiles() const;

  std::filesystem::path dir_;
  const Clock& clock_;
  uint64_t capacity_;
};

}  // namespace parc::agent
