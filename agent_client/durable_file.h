// Files that survive a crash: written to a temporary file beside the target,
// fsynced, renamed over it, and the directory fsynced, so a reader sees either
// the old content or the new one, never a torn write.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "common/error.h"

namespace parc::agent {

// Replaces `path` with `content` durably, with permission bits `mode` (applied
// before any byte is written, so a secret is never readable by others).
Status WriteFileDurably(const std::filesystem::path& path, std::string_view content,
                        mode_t mode = 0644);

// The whole content of `path`. kNotFound when it does not exist.
Expected<std::string> ReadWholeFile(const std::filesystem::path& path);

// fsync of a directory, so that renames and unlinks in it are durable.
Status SyncDirectory(const std::filesystem::path& dir);

// Creates `dir` and its parents with mode 0700 when missing.
Status EnsureDirectory(const std::filesystem::path& dir);

// An exclusive flock() on `path` (created 0600 when missing) for the lifetime
// of the object, so that several processes (the running agent, the commands)
// can share a directory.
class FileLock {
 public:
  static Expected<FileLock> Take(const std::filesystem::path& path);
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock();  // closing releases the flock

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace parc::agent
