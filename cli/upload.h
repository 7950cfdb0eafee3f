// Sending files to parcd's content store (TrainingService.UploadContent): a
// first pass hashes the file, a second streams it in chunks. Both read the
// file piece by piece, so memory stays at one chunk whatever the file's size.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "cli/client.h"
#include "common/error.h"

namespace parc::cli {

inline constexpr int64_t kUploadChunkBytes = 1 << 20;  // 1 MiB, well under gRPC's 4 MiB limit

struct FileDigest {
  std::string sha256;  // lowercase hex
  int64_t size = 0;
};

// Called with the bytes processed so far.
using ByteProgress = std::function<void(int64_t done)>;

// Checks that `path` is a regular, readable file: NOT_FOUND or
// INVALID_ARGUMENT naming the path otherwise.
Status CheckReadableFile(const std::filesystem::path& path);

// SHA-256 and size of the file at `path`. NOT_FOUND naming the path when it
// cannot be opened; INTERNAL on a read error.
Expected<FileDigest> HashFile(const std::filesystem::path& path, const ByteProgress& progress = {});

struct UploadResult {
  std::string sha256;
  int64_t size = 0;
  bool already_present = false;  // the server held these bytes already
  int64_t bytes_sent = 0;        // less than size when the server stopped us early
};

// Streams the file whose digest is `digest` (the first chunk carries sha256,
// size and the file's name). Stops sending as soon as a write fails because the
// server has answered: parcd does so after the first chunk when it already
// holds the bytes, and the client notices once flow control stops it (a few
// MiB later on a fast link; nearly all of a large file is saved). Errors:
// the server's (hash or size mismatch, size limit...), or the file changed
// size since it was hashed.
Expected<UploadResult> UploadFile(Client& client, const std::filesystem::path& path,
                                  const FileDigest& digest, const ByteProgress& progress = {},
                                  int64_t chunk_bytes = kUploadChunkBytes);

}  // namespace parc::cli
