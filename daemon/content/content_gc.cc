#include "daemon/content/content_gc.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <set>

#include "common/logging.h"
#include "daemon/domain/audit.h"
#include "daemon/store/receipts.h"

namespace parc::content {

namespace {

// Removes the files under `files` whose hash is not in `recorded`, last
// written before `before`; returns how many.
Expected<int64_t> RemoveUnrecorded(ContentFiles& files, const std::vector<std::string>& known,
                                   std::filesystem::file_time_type before) {
  const std::set<std::string> recorded(known.begin(), known.end());
  int64_t removed = 0;
  for (const std::string& hash : files.ListStored()) {
    if (recorded.contains(hash)) continue;
    std::error_code ec;
    auto written = std::filesystem::last_write_time(files.PathOf(hash), ec);
    if (ec || written >= before) continue;
    PARC_TRY(files.Remove(hash));
    ++removed;
  }
  return removed;
}

}  // namespace

Expected<GcResult> CollectContent(store::Store& store, ContentFiles& files, int64_t now_ms,
                                  int64_t grace_ms) {
  GcResult result;
  std::lock_guard publishing(files.publish_mutex());
  std::vector<store::ContentBlob> collected;
  PARC_TRY(store.Write([&](store::Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(collected, w.training().ListUnreferencedContent(now_ms - grace_ms));
    if (collected.empty()) return Ok();
    for (const auto& blob : collected) {
      PARC_TRY(w.training_writer().DeleteContent(blob.sha256));
      result.bytes += blob.size;
    }
    domain::Principal system{.name = "system"};
    return domain::Audit(
        w, domain::Call{system, now_ms}, "content.collect", "content",
        fmt::format("{} unreferenced files, {} bytes", collected.size(), result.bytes));
  }));
  result.blobs = static_cast<int64_t>(collected.size());
  for (const auto& blob : collected) PARC_TRY(files.Remove(blob.sha256));

  // Files nobody recorded: a crash between the rename and the commit.
  std::vector<std::string> known;
  PARC_TRY(store.Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(known, r.training().ListContentHashes());
    return Ok();
  }));
  const auto before =
      std::filesystem::file_time_type::clock::now() - std::chrono::milliseconds(grace_ms);
  PARC_ASSIGN_OR_RETURN(result.orphans, RemoveUnrecorded(files, known, before));
  result.orphans += files.RemoveStaleTemporaries(before);
  return result;
}

Expected<int64_t> CollectReceiptOrphans(store::Store& store, ContentFiles& receipts,
                                        int64_t grace_ms) {
  std::lock_guard publishing(receipts.publish_mutex());
  std::vector<std::string> named;
  PARC_TRY(store.Read([&](store::Reader& r) -> Status {
    PARC_ASSIGN_OR_RETURN(named, r.receipts().ListReceiptHashes());
    return Ok();
  }));
  const auto before =
      std::filesystem::file_time_type::clock::now() - std::chrono::milliseconds(grace_ms);
  PARC_ASSIGN_OR_RETURN(int64_t removed, RemoveUnrecorded(receipts, named, before));
  return removed + receipts.RemoveStaleTemporaries(before);
}

ContentGcJob::ContentGcJob(boost::asio::io_context& io, store::Store& store, ContentFiles& files,
                           ContentFiles* receipts, const Clock& clock, const Options& options)
    : store_(store),
      files_(files),
      receipts_(receipts),
      clock_(clock),
      options_(options),
      timer_(io) {}

ContentGcJob::~ContentGcJob() {
  alive_.reset();
  timer_.cancel();
}

void ContentGcJob::Start() { Schedule(options_.first_delay); }

void ContentGcJob::Schedule(std::chrono::milliseconds delay) {
  timer_.expires_after(delay);
  std::weak_ptr<ContentGcJob*> alive = alive_;
  timer_.async_wait([alive](const boost::system::error_code& ec) {
    auto self = alive.lock();
    if (ec || !self) return;
    (*self)->RunOnce();
  });
}

void ContentGcJob::RunOnce() {
  static const auto log = Logger("content");
  auto result = CollectContent(store_, files_, clock_.NowMs(), options_.grace_ms);
  if (result) {
    log->info("collected blobs={} bytes={} orphans={}", result->blobs, result->bytes,
              result->orphans);
  } else {
    log->warn("collection failed error=\"{}\"", result.error().message);
  }
  if (receipts_ != nullptr) {
    if (auto orphans = CollectReceiptOrphans(store_, *receipts_, options_.grace_ms); !orphans) {
      log->warn("receipt orphans failed error=\"{}\"", orphans.error().message);
    } else if (*orphans > 0) {
      log->info("receipt orphans removed={}", *orphans);
    }
  }
  Schedule(options_.period);
}

}  // namespace parc::content
