#include "agent_client/durable_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace parc::agent {
namespace {

std::unexpected<Error> Errno(std::string_view what, const std::filesystem::path& path) {
  return Fail(ErrorCode::kInternal,
              fmt::format("{} {}: {}", what, path.string(), std::strerror(errno)));
}

// Closes the descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting the error (a delayed write error shows up here).
  bool Close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view content, const std::filesystem::path& path) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot write", path);
    content.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

}  // namespace

Status WriteFileDurably(const std::filesystem::path& path, std::string_view content, mode_t mode) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (fd.get() < 0) return Errno("cannot create", tmp);
  if (::fchmod(fd.get(), mode) != 0) return Errno("cannot chmod", tmp);
  PARC_TRY(WriteAll(fd.get(), content, tmp));
  if (::fsync(fd.get()) != 0) return Errno("cannot fsync", tmp);
  if (!fd.Close()) return Errno("cannot close", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot rename", tmp);
  return SyncDirectory(path.parent_path().empty() ? "." : path.parent_path());
}

Expected<std::string> ReadWholeFile(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return NotFound(fmt::format("{} does not exist", path.string()));
    return Errno("cannot open", path);
  }
  std::string content;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot read", path);
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  return content;
}

Status SyncDirectory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return Errno("cannot open directory", dir);
  if (::fsync(fd.get()) != 0) return Errno("cannot fsync directory", dir);
  return Ok();
}

Status EnsureDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Ok();
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Fail(ErrorCode::kInternal,
                fmt::format("cannot create directory {}: {}", dir.string(), ec.message()));
  }
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  return Ok();
}

Expected<FileLock> FileLock::Take(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot open", path);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    auto error = Errno("cannot lock", path);
    ::close(fd);
    return error;
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace parc::agent
