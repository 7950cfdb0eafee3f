// One content sync cycle, run by the agent's content thread when a check-in
// reply carries a revision other than the one last synced (or when the cache
// is due for hashing):
//
//  1. ListAssignedContent, saved as modules.pb for offline use;
//  2. content no longer assigned, and stale partial files, are removed;
//  3. when due (SyncOptions::verify_every), every cached item is hashed and a
//     corrupt one discarded;
//  4. what is missing is downloaded, at most `max_downloads` at once, each
//     into partial/<sha256>, resuming from the partial file's size, chunk by
//     chunk to disk, under the optional bandwidth cap; then hashed: a match is
//     fsynced and renamed into the cache, a mismatch discarded and fetched
//     again (`attempts` per item and cycle, then the next cycle);
//  5. once every item is here, `synced` records the revision.
//
// Nothing here blocks the check-ins: the cycle runs on its own thread, and a
// failed cycle simply runs again after the next check-in.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "agent_client/content/content_store.h"
#include "agent_client/content/content_transport.h"
#include "agent_client/content/rate_limiter.h"
#include "common/clock.h"

namespace parc::agent {

struct SyncOptions {
  int max_downloads = 2;
  int64_t bytes_per_second = 0;  // 0: no cap
  int attempts = 3;              // per item and cycle
  std::chrono::milliseconds verify_every = std::chrono::hours(24);
};

struct SyncResult {
  uint64_t revision = 0;
  bool complete = false;  // every assigned item is in the cache
  int items = 0;          // distinct items assigned
  int downloaded = 0;
  int resumed = 0;  // downloads that went on from a partial file
  int failed = 0;   // items still missing
  int corrupt = 0;  // corrupt downloads or cached files discarded
  int removed = 0;  // files no longer assigned, partial files included
  bool verified = false;
};

class ContentSync {
 public:
  // Borrowed; each must outlive the object.
  ContentSync(const ContentStore& store, ContentTransport& transport, const Clock& clock,
              SyncOptions options);

  // Whether a check-in reply carrying `revision` calls for a cycle.
  bool Due(uint64_t revision) const;

  // One cycle (blocking). An error when the list could not be had; otherwise
  // what happened, `complete` false when some item is still missing.
  Expected<SyncResult> RunCycle();

  // Makes a running cycle return soon (waits in the bandwidth cap end; the
  // caller cancels the transport's calls). Thread-safe.
  void Stop();

  // The bandwidth cap, exposed for tests; null when there is none.
  RateLimiter* limiter() { return limiter_.get(); }

 private:
  enum class Outcome { kDone, kCorrupt, kFailed };
  void DownloadAll(const std::vector<v1::ContentItem>& missing, SyncResult& result);
  Outcome Download(const v1::ContentItem& item, SyncResult& result);
  Outcome FetchOnce(const v1::ContentItem& item, bool& resumed);
  std::chrono::seconds FetchTimeout(int64_t remaining) const;
  int RemoveUnassigned(const std::set<std::string>& assigned);
  int Verify(const std::vector<v1::ContentItem>& items);
  bool Sleep(std::chrono::microseconds delay);  // false when stopping

  const ContentStore& store_;
  ContentTransport& transport_;
  const Clock& clock_;
  SyncOptions options_;
  std::unique_ptr<RateLimiter> limiter_;
  std::mutex mutex_;  // guards the result counters during downloads, and stop_
  std::condition_variable stop_cv_;
  std::atomic<bool> stop_{false};
};

}  // namespace parc::agent
