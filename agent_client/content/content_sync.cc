#include "agent_client/content/content_sync.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <thread>

#include "agent_client/content/sha256_file.h"
#include "agent_client/durable_file.h"
#include "common/crypto.h"
#include "common/logging.h"

namespace parc::agent {
namespace {

std::shared_ptr<spdlog::logger> Log() { return Logger("agent"); }

std::string Short(const std::string& sha256) { return sha256.substr(0, 12); }

// Appends to a partial file; closes on scope exit.
class PartialFile {
 public:
  explicit PartialFile(const std::filesystem::path& path)
      : path_(path), fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) {}
  ~PartialFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;

  bool ok() const { return fd_ >= 0; }

  Status Append(const std::string& data) {
    std::string_view rest = data;
    while (!rest.empty()) {
      ssize_t n = ::write(fd_, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Errno("cannot write");
      rest.remove_prefix(static_cast<size_t>(n));
    }
    return Ok();
  }

  Status SyncAndClose() {
    if (::fsync(fd_) != 0) return Errno("cannot fsync");
    int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) return Errno("cannot close");
    return Ok();
  }

  std::unexpected<Error> Errno(std::string_view what) const {
    return Fail(ErrorCode::kInternal,
                fmt::format("{} {}: {}", what, path_.string(), std::strerror(errno)));
  }

 private:
  std::filesystem::path path_;
  int fd_;
};

// The distinct items of the list, by hash, in the order of the modules; items
// with a malformed hash are left out (and logged).
std::vector<v1::ContentItem> DistinctItems(const v1::ListAssignedContentResponse& list) {
  std::vector<v1::ContentItem> items;
  std::set<std::string> seen;
  for (const auto& module : list.modules()) {
    for (const auto& item : module.items()) {
      if (!IsSha256Hex(item.sha256()) || item.size() < 0) {
        Log()->error("content item ignored module={} position={}: bad sha256 or size",
                     module.code(), item.position());
        continue;
      }
      if (seen.insert(item.sha256()).second) items.push_back(item);
    }
  }
  return items;
}

}  // namespace

ContentSync::ContentSync(const ContentStore& store, ContentTransport& transport, const Clock& clock,
                         SyncOptions options)
    : store_(store), transport_(transport), clock_(clock), options_(options) {
  options_.max_downloads = std::max(options_.max_downloads, 1);
  options_.attempts = std::max(options_.attempts, 1);
  if (options_.bytes_per_second > 0) {
    limiter_ = std::make_unique<RateLimiter>(options_.bytes_per_second);
  }
}

bool ContentSync::Due(uint64_t revision) const {
  SyncState synced = store_.LoadSyncState();
  if (revision != synced.revision) return true;
  // Nothing ever synced (a server without content): no periodic hashing.
  if (synced.revision == 0) return false;
  return clock_.NowMs() - synced.verified_at_ms >= options_.verify_every.count();
}

void ContentSync::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
}

bool ContentSync::Sleep(std::chrono::microseconds delay) {
  std::unique_lock lock(mutex_);
  return !stop_cv_.wait_for(lock, delay, [this] { return stop_.load(); });
}

Expected<SyncResult> ContentSync::RunCycle() {
  PARC_TRY(store_.Create());
  auto list = transport_.ListAssignedContent();
  if (!list) return std::unexpected(list.error().Wrap("list assigned content"));
  PARC_TRY(store_.SaveModules(*list));
  SyncResult result;
  result.revision = list->revision();
  std::vector<v1::ContentItem> items = DistinctItems(*list);
  result.items = static_cast<int>(items.size());
  std::set<std::string> assigned;
  for (const auto& item : items) assigned.insert(item.sha256());
  result.removed = RemoveUnassigned(assigned);

  SyncState synced = store_.LoadSyncState();
  if (clock_.NowMs() - synced.verified_at_ms >= options_.verify_every.count()) {
    result.corrupt += Verify(items);
    result.verified = true;
    synced.verified_at_ms = clock_.NowMs();
    if (auto saved = store_.SaveSyncState(synced); !saved) {
      Log()->warn("cannot save content state error={}", saved.error().message);
    }
  }

  std::vector<v1::ContentItem> missing;
  for (const auto& item : items) {
    if (store_.IsCached(item)) continue;
    std::error_code ec;
    // Present with the wrong size: the server's list or the file changed.
    if (std::filesystem::remove(store_.CachePath(item.sha256()), ec)) ++result.corrupt;
    missing.push_back(item);
  }

  DownloadAll(missing, result);

  result.complete = result.failed == 0;
  if (result.complete) {
    synced = store_.LoadSyncState();
    synced.revision = result.revision;
    PARC_TRY(store_.SaveSyncState(synced));
  }
  return result;
}

void ContentSync::DownloadAll(const std::vector<v1::ContentItem>& missing, SyncResult& result) {
  // At most max_downloads threads, each taking the next missing item.
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < missing.size() && !stop_; i = next++) {
      if (Download(missing[i], result) != Outcome::kDone) {
        std::lock_guard lock(mutex_);
        ++result.failed;
      }
    }
  };
  size_t threads = std::min<size_t>(static_cast<size_t>(options_.max_downloads), missing.size());
  std::vector<std::thread> pool;
  for (size_t i = 1; i < threads; ++i) pool.emplace_back(worker);
  if (threads > 0) worker();  // this thread is one of them
  for (auto& thread : pool) thread.join();
  if (stop_) {  // what was never tried is missing too
    int tried = result.downloaded + result.failed;
    result.failed += static_cast<int>(missing.size()) - tried;
  }
}

ContentSync::Outcome ContentSync::Download(const v1::ContentItem& item, SyncResult& result) {
  for (int attempt = 1; attempt <= options_.attempts && !stop_; ++attempt) {
    bool resumed = false;
    Outcome outcome = FetchOnce(item, resumed);
    std::lock_guard lock(mutex_);
    if (resumed) ++result.resumed;
    if (outcome == Outcome::kDone) {
      ++result.downloaded;
      return outcome;
    }
    if (outcome == Outcome::kFailed) return outcome;  // the transport: next cycle
    ++result.corrupt;
  }
  return Outcome::kFailed;
}

// Long enough for the rest at the slowest rate expected: the bandwidth cap
// shared by the downloads, else a poor link (32 KiB/s). A stream cut by it
// resumes from what arrived, at the next cycle.
std::chrono::seconds ContentSync::FetchTimeout(int64_t remaining) const {
  int64_t rate = 32 * 1024;
  if (options_.bytes_per_second > 0) {
    rate = std::min(rate, std::max<int64_t>(options_.bytes_per_second / options_.max_downloads, 1));
  }
  return std::chrono::seconds(30 + std::max<int64_t>(remaining, 0) / rate);
}

ContentSync::Outcome ContentSync::FetchOnce(const v1::ContentItem& item, bool& resumed) {
  const std::string& sha256 = item.sha256();
  std::filesystem::path partial = store_.PartialPath(sha256);
  std::error_code ec;
  int64_t offset = 0;
  if (auto size = std::filesystem::file_size(partial, ec); !ec) offset = static_cast<int64_t>(size);
  if (offset > item.size()) {  // not what we are after: start over
    std::filesystem::remove(partial, ec);
    offset = 0;
  }
  resumed = offset > 0;
  Log()->info("content fetch sha256={} offset={} size={}{}", Short(sha256), offset, item.size(),
              resumed ? " resume" : "");
  int64_t position = offset;
  {
    PartialFile file(partial);
    if (!file.ok()) {
      Log()->error("content fetch sha256={}: {}", Short(sha256),
                   file.Errno("cannot open").error().message);
      return Outcome::kFailed;
    }
    if (position < item.size()) {
      Status fetched = transport_.FetchContent(
          sha256, offset, FetchTimeout(item.size() - offset),
          [&](const v1::ContentChunk& chunk) -> Status {
            if (chunk.offset() != position) {
              return Fail(ErrorCode::kInternal,
                          fmt::format("chunk at offset {}, expected {}", chunk.offset(), position));
            }
            auto length = static_cast<int64_t>(chunk.data().size());
            if (position + length > item.size()) {
              return Fail(ErrorCode::kInternal,
                          fmt::format("content longer than its announced {} bytes", item.size()));
            }
            PARC_TRY(file.Append(chunk.data()));
            position += length;
            if (limiter_ && !Sleep(limiter_->Take(length))) {
              return Fail(ErrorCode::kUnavailable, "agent stopping");
            }
            return Ok();
          });
      if (!fetched) {
        Log()->warn("content fetch sha256={} stopped at={} of={} error={}", Short(sha256), position,
                    item.size(), fetched.error().message);
        // An overlong stream is not a partial we can resume from.
        if (position > item.size()) std::filesystem::remove(partial, ec);
        return Outcome::kFailed;
      }
    }
    if (auto synced = file.SyncAndClose(); !synced) {
      Log()->error("content fetch sha256={}: {}", Short(sha256), synced.error().message);
      return Outcome::kFailed;
    }
  }
  if (position != item.size()) {
    Log()->warn("content fetch sha256={} ended at={} of={}", Short(sha256), position, item.size());
    return Outcome::kFailed;
  }
  auto hash = Sha256OfFile(partial);
  if (!hash) {
    Log()->error("content hash sha256={} error={}", Short(sha256), hash.error().message);
    return Outcome::kFailed;
  }
  if (*hash != sha256) {
    Log()->error("content corrupt download sha256={} got={}: discarded, fetching again",
                 Short(sha256), Short(*hash));
    std::filesystem::remove(partial, ec);
    return Outcome::kCorrupt;
  }
  std::filesystem::path cached = store_.CachePath(sha256);
  if (::rename(partial.c_str(), cached.c_str()) != 0) {
    Log()->error("content rename sha256={}: {}", Short(sha256), std::strerror(errno));
    return Outcome::kFailed;
  }
  Status synced = SyncDirectory(store_.dir());
  if (synced) synced = SyncDirectory(store_.partial_dir());
  if (!synced) Log()->warn("content sync dir error={}", synced.error().message);
  Log()->info("content cached sha256={} size={}", Short(sha256), item.size());
  return Outcome::kDone;
}

int ContentSync::RemoveUnassigned(const std::set<std::string>& assigned) {
  int removed = 0;
  std::error_code ec;
  auto remove = [&](const std::filesystem::path& path) {
    std::error_code remove_ec;
    if (std::filesystem::remove_all(path, remove_ec) > 0 && !remove_ec) {
      ++removed;
      Log()->info("content removed path={}", path.string());
    }
  };
  for (const auto& entry : std::filesystem::directory_iterator(store_.dir(), ec)) {
    std::string name = entry.path().filename().string();
    if (IsSha256Hex(name) && !assigned.contains(name)) remove(entry.path());
  }
  for (const auto& entry : std::filesystem::directory_iterator(store_.partial_dir(), ec)) {
    std::string name = entry.path().filename().string();
    if (!IsSha256Hex(name) || !assigned.contains(name)) remove(entry.path());
  }
  for (const auto& entry : std::filesystem::directory_iterator(store_.dir() / "view", ec)) {
    std::string name = entry.path().filename().string();
    if (!assigned.contains(name)) std::filesystem::remove_all(entry.path(), ec);
  }
  if (removed > 0) {
    if (auto synced = SyncDirectory(store_.dir()); !synced) {
      Log()->warn("content sync dir error={}", synced.error().message);
    }
  }
  return removed;
}

int ContentSync::Verify(const std::vector<v1::ContentItem>& items) {
  int corrupt = 0;
  for (const auto& item : items) {
    if (stop_) break;
    std::filesystem::path cached = store_.CachePath(item.sha256());
    auto hash = Sha256OfFile(cached);
    if (!hash) continue;  // not cached: downloaded below
    if (*hash == item.sha256()) continue;
    Log()->error("content corrupt in cache sha256={} got={}: discarded, fetching again",
                 Short(item.sha256()), Short(*hash));
    std::error_code ec;
    std::filesystem::remove(cached, ec);
    ++corrupt;
  }
  return corrupt;
}

}  // namespace parc::agent
