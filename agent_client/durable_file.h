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

}  // namespace parc::agent
