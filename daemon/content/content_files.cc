#include "daemon/content/content_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

namespace parc::content {

namespace fs = std::filesystem;

namespace {

Status SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "content: cannot open " + dir.string());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Fail(ErrorCode::kUnavailable, "content: cannot sync " + dir.string());
  return Ok();
}

std::string TempName(std::string_view sha256) {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t salt = std::random_device{}();
  return fmt::format("{}.{:x}.{}.part", sha256, salt, counter++);
}

// What the file system said, as a status: a full disk (or quota) is
// RESOURCE_EXHAUSTED, something an operator can fix and the client retry;
// anything else UNAVAILABLE.
std::unexpected<Error> FileError(int error, const std::string& what) {
  if (error == ENOSPC || error == EDQUOT) {
    return Fail(ErrorCode::kResourceExhausted,
                fmt::format("content: {}: the disk is full ({}); free space there, then send it "
                            "again",
                            what, std::strerror(error)));
  }
  return Fail(ErrorCode::kUnavailable, fmt::format("content: {}: {}", what, std::strerror(error)));
}

}  // namespace

ContentFiles::ContentFiles(fs::path root, int64_t max_bytes)
    : root_(std::move(root)), max_bytes_(max_bytes) {}

Status ContentFiles::Init() const {
  std::error_code ec;
  fs::create_directories(root_ / "tmp", ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                "content: cannot create " + root_.string() + ": " + ec.message());
  }
  fs::permissions(root_, fs::perms::owner_all, fs::perm_options::replace, ec);
  return Ok();
}

fs::path ContentFiles::PathOf(std::string_view sha256) const {
  return root_ / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

Expected<std::unique_ptr<ContentFiles::Upload>> ContentFiles::Begin(std::string_view sha256,
                                                                    int64_t size) const {
  if (!IsSha256Hex(sha256)) {
    return InvalidArgument("sha256",
                           "must be the 64 lowercase hex digits of the content's SHA-256");
  }
  if (size < 0) return InvalidArgument("size", "negative");
  if (size > max_bytes_) {
    return Fail(ErrorCode::kResourceExhausted,
                fmt::format("size: {} bytes is over the limit of {} bytes (max_content_bytes)",
                            size, max_bytes_));
  }
  PARC_TRY(Init());  // idempotent: the directories may have been removed
  // Refused before a byte is received when it cannot fit (a 2 GiB video is
  // not sent for nothing); a disk filling meanwhile is caught at the write.
  struct statvfs disk {};
  if (::statvfs(root_.c_str(), &disk) == 0) {
    const auto free = static_cast<int64_t>(disk.f_bavail) * static_cast<int64_t>(disk.f_frsize);
    if (size > free) {
      return Fail(ErrorCode::kResourceExhausted,
                  fmt::format("size: {} bytes do not fit in {}, which has {} bytes free; free "
                              "space there, then send it again",
                              size, root_.string(), free));
    }
  }
  fs::path temp = root_ / "tmp" / TempName(sha256);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return FileError(errno, "cannot create " + temp.string());
  return std::unique_ptr<Upload>(new Upload(std::move(temp), fd, std::string(sha256), size));
}

ContentFiles::Upload::Upload(fs::path temp, int fd, std::string sha256, int64_t size)
    : temp_(std::move(temp)), fd_(fd), sha256_(std::move(sha256)), size_(size) {}

ContentFiles::Upload::~Upload() {
  if (fd_ >= 0) ::close(fd_);
  if (!published_) {
    std::error_code ec;
    fs::remove(temp_, ec);
  }
}

Status ContentFiles::Upload::Append(std::string_view data) {
  if (finished_) return FailedPrecondition("content: upload already finished");
  if (static_cast<int64_t>(data.size()) > size_ - written_) {
    return InvalidArgument("size", fmt::format("more bytes than the {} declared", size_));
  }
  hash_.Update(data);
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FileError(errno, "cannot write " + temp_.string());
    if (n == 0) return FileError(ENOSPC, "cannot write " + temp_.string());
    data.remove_prefix(static_cast<size_t>(n));
    written_ += n;
  }
  return Ok();
}

Status ContentFiles::Upload::Finish() {
  if (written_ != size_) {
    return InvalidArgument("size", fmt::format("received {} bytes, {} declared", written_, size_));
  }
  std::string actual = hash_.FinishHex();
  if (actual != sha256_) {
    return InvalidArgument(
        "sha256", fmt::format("the content received hashes to {}, not {}", actual, sha256_));
  }
  if (::fsync(fd_) != 0) return FileError(errno, "cannot sync " + temp_.string());
  ::close(fd_);
  fd_ = -1;
  finished_ = true;
  return Ok();
}

Status ContentFiles::Publish(Upload& upload) const {
  if (!upload.finished_) return FailedPrecondition("content: upload not finished");
  fs::path target = PathOf(upload.sha256());
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return FileError(ec.value(), "cannot create " + target.parent_path().string());
  if (::rename(upload.temp_.c_str(), target.c_str()) != 0) {
    return FileError(errno, "cannot rename into " + target.string());
  }
  upload.published_ = true;
  return SyncDirectory(target.parent_path());
}

Status ContentFiles::Remove(std::string_view sha256) const {
  std::error_code ec;
  fs::remove(PathOf(sha256), ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "content: cannot remove: " + ec.message());
  return Ok();
}

std::vector<std::string> ContentFiles::ListStored() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& shard : fs::directory_iterator(root_, ec)) {
    const std::string name = shard.path().filename().string();
    if (name.size() != 2 || !shard.is_directory()) continue;
    std::error_code inner;
    for (const auto& file : fs::directory_iterator(shard.path(), inner)) {
      std::string hash = file.path().filename().string();
      if (IsSha256Hex(hash) && hash.starts_with(name)) out.push_back(std::move(hash));
    }
  }
  return out;
}

Expected<int64_t> ContentFiles::CopyStoredTo(const fs::path& dir) const {
  std::error_code ec;
  if (fs::exists(dir, ec) || ec) {
    return Fail(ErrorCode::kAlreadyExists, "content: already exists: " + dir.string());
  }
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "content: cannot create " + dir.string());
  int64_t copied = 0;
  for (const std::string& hash : ListStored()) {
    const fs::path from = PathOf(hash);
    const fs::path to = dir / from.parent_path().filename() / hash;
    fs::create_directories(to.parent_path(), ec);
    if (!ec) fs::create_hard_link(from, to, ec);
    if (ec) {  // another file system, or links refused: a copy
      ec.clear();
      fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    }
    if (ec) {
      return Fail(ErrorCode::kUnavailable, "content: cannot copy " + from.string() + " to " +
                                               to.string() + ": " + ec.message());
    }
    ++copied;
  }
  PARC_TRY(SyncDirectory(dir));
  return copied;
}

int ContentFiles::RemoveStaleTemporaries(fs::file_time_type before) const {
  int removed = 0;
  std::error_code ec;
  for (const auto& file : fs::directory_iterator(root_ / "tmp", ec)) {
    std::error_code inner;
    if (file.last_write_time(inner) < before && !inner && fs::remove(file.path(), inner)) {
      ++removed;
    }
  }
  return removed;
}

}  // namespace parc::content
