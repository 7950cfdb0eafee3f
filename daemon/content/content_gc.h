// Garbage collection of training content: blobs no module item refers to are
// deleted (row, then file) once older than a grace period, so that content
// just uploaded and about to be added to a draft is kept. Files without a row
// (a crash between rename and commit) and dead temporary files go too. The
// same for the signed receipts' files, except that a file a receipt names is
// never deleted: only those no receipt names (StoreReceipt renames them into
// place before its commit, so a crash there leaves them).
//
// ContentGcJob runs CollectContent on parcd's Asio loop, like the retention
// job (checkin/retention.h): same threading rules, same weak-pointer guard.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

#include "common/clock.h"
#include "daemon/content/content_files.h"
#include "daemon/store/store.h"

namespace parc::content {

struct GcResult {
  int64_t blobs = 0;    // unreferenced blobs deleted (rows and files)
  int64_t bytes = 0;    // their total size
  int64_t orphans = 0;  // files without a row, and dead temporary files
};

// One pass. The deletion of rows is audited (actor "system") in its
// transaction; files are removed after the commit, under publish_mutex().
Expected<GcResult> CollectContent(store::Store& store, ContentFiles& files, int64_t now_ms,
                                  int64_t grace_ms);

// One pass over the receipts' files: those no receipt names and last written
// before now - `grace_ms` (file system time: another replica may be between
// its rename and its commit), and dead temporary files, are removed under
// publish_mutex(). Returns how many files.
Expected<int64_t> CollectReceiptOrphans(store::Store& store, ContentFiles& receipts,
                                        int64_t grace_ms);

class ContentGcJob {
 public:
  struct Options {
    int64_t grace_ms = int64_t{24} * 3600 * 1000;
    std::chrono::milliseconds first_delay = std::chrono::minutes(2);
    std::chrono::milliseconds period = std::chrono::hours(6);
  };

  // Borrows everything; it must outlive the job. `receipts` may be null (no
  // receipts directory).
  ContentGcJob(boost::asio::io_context& io, store::Store& store, ContentFiles& files,
               ContentFiles* receipts, const Clock& clock, const Options& options);
  ~ContentGcJob();
  ContentGcJob(const ContentGcJob&) = delete;
  ContentGcJob& operator=(const ContentGcJob&) = delete;

  void Start();

 private:
  void Schedule(std::chrono::milliseconds delay);
  void RunOnce();

  store::Store& store_;
  ContentFiles& files_;
  ContentFiles* receipts_;
  const Clock& clock_;
  const Options options_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<ContentGcJob*> alive_ = std::make_shared<ContentGcJob*>(this);
};

}  // namespace parc::content
