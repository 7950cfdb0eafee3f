// The agent's two background threads, so that neither a long download nor a
// slow server ever holds up a check-in:
//  - the content thread runs a ContentSync cycle when a check-in reply calls
//    for one (a new content revision, or the cache is due for hashing);
//  - the progress thread sends the progress queue after each check-in.
// The check-in loop only calls OnCheckIn(), which returns at once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "agent_client/content/content_sync.h"
#include "agent_client/progress/progress_queue.h"

namespace parc::agent {

class Background {
 public:
  // Borrowed; each must outlive the object.
  Background(ContentSync& sync, ProgressQueue& progress, ContentTransport& transport)
      : sync_(sync), progress_(progress), transport_(transport) {}
  ~Background() { Stop(); }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  void Start();
  // A check-in succeeded with this reply. Thread-safe, non-blocking.
  void OnCheckIn(uint64_t content_revision);
  // Cancels what is in flight and joins the threads. Idempotent.
  void Stop();

 private:
  void ContentThread();
  void ProgressThread();

  ContentSync& sync_;
  ProgressQueue& progress_;
  ContentTransport& transport_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<uint64_t> wanted_revision_;  // guarded by mutex_
  bool progress_wanted_ = false;             // guarded by mutex_
  bool stopping_ = false;                    // guarded by mutex_
  std::thread content_thread_;
  std::thread progress_thread_;
};

}  // namespace parc::agent
