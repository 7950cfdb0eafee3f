// Progress events (opened, item completed, module completed, quiz score)
// waiting for the server, one fsynced file per event, kept until
// ReportProgress acknowledged them. Each event carries a random UUID chosen
// here, so a batch sent again after a lost reply is counted once.
//
// Layout of the directory (<state>/progress):
//   <at_ms, 20 digits>-<uuid>.pb   one v1::ProgressEvent per file: the names
//                                  sort oldest first
//   lock                           flock()ed around every operation, shared by
//                                  the running agent and `parc-agent open|done`
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "agent_client/content/content_transport.h"
#include "common/error.h"
#include "parc/v1/device.pb.h"

namespace parc::agent {

// A random (version 4) UUID from the system CSPRNG.
Expected<std::string> NewEventId();

class ProgressQueue {
 public:
  static constexpr size_t kCapacity = 100'000;  // refuses more rather than drop any

  static Expected<std::unique_ptr<ProgressQueue>> Open(std::filesystem::path dir);

  // Gives `event` a fresh id (unless it has one) and makes it durable. `at`
  // must be set. Returns the id.
  Expected<std::string> Append(v1::ProgressEvent event);

  // Up to `max` events, oldest first. A file that does not parse is deleted
  // (logged) rather than blocking the queue.
  Expected<std::vector<v1::ProgressEvent>> Peek(size_t max);

  // Removes the events with these ids (acknowledged by the server).
  Status Remove(const std::vector<std::string>& ids);

  Expected<size_t> Length();

 private:
  explicit ProgressQueue(std::filesystem::path dir) : dir_(std::move(dir)) {}
  Expected<std::vector<std::filesystem::path>> List() const;  // event files, oldest first

  std::filesystem::path dir_;
};

struct SentProgress {
  int events = 0;      // acknowledged and removed
  int accepted = 0;    // new to the server
  int duplicates = 0;  // it had them already
};

// Sends the queue in batches of `batch` until it is empty or a call fails;
// what was acknowledged before a failure is removed. The error of the failed
// call, if any.
Expected<SentProgress> SendProgress(ProgressQueue& queue, ContentTransport& transport,
                                    size_t batch = 500);

}  // namespace parc::agent
