// Training content on disk, addressed by SHA-256: <root>/<first two hex
// digits>/<sha256>. An upload is written to a temporary file under <root>/tmp,
// hashed as it arrives, checked against the size and hash the client declared,
// fsynced, and only then renamed into place (and the directory fsynced), so a
// file under its hash name is always complete and correct. Nothing else ever
// writes there; the same bytes are stored once.
//
// Which blobs exist for the rest of parcd is the content_blobs table
// (store/training.h): a file is published (renamed) and its row written while
// holding publish_mutex(), and the garbage collector (content_gc.h) deletes
// rows, then files, under the same mutex, so neither sees the other half-done.
//
// Thread safety: ContentFiles may be used from many threads. An Upload belongs
// to one call and is used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "common/error.h"

namespace parc::content {

class ContentFiles {
 public:
  // `max_bytes`: the largest content accepted (config max_content_bytes).
  ContentFiles(std::filesystem::path root, int64_t max_bytes);

  // Creates <root> and <root>/tmp (mode 0700) when missing.
  Status Init() const;

  int64_t max_bytes() const { return max_bytes_; }
  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path PathOf(std::string_view sha256) const;

  // One upload being received. Destroying it before Publish removes the
  // temporary file.
  class Upload {
   public:
    ~Upload();
    Upload(const Upload&) = delete;
    Upload& operator=(const Upload&) = delete;

    // Writes `data` at the end. INVALID_ARGUMENT naming `size` when it would
    // go past the declared size. A full disk is RESOURCE_EXHAUSTED (as in
    // every call below), any other write error UNAVAILABLE.
    Status Append(std::string_view data);
    // Checks the size and the hash (INVALID_ARGUMENT naming `size` or
    // `sha256`) and fsyncs the file.
    Status Finish();

    const std::string& sha256() const { return sha256_; }
    int64_t size() const { return size_; }
    int64_t written() const { return written_; }

   private:
    friend class ContentFiles;
    Upload(std::filesystem::path temp, int fd, std::string sha256, int64_t size);

    std::filesystem::path temp_;
    int fd_;
    std::string sha256_;
    int64_t size_;
    int64_t written_ = 0;
    bool finished_ = false;
    bool published_ = false;
    Sha256Stream hash_;
  };

  // Validates the declared hash (INVALID_ARGUMENT naming `sha256`) and size
  // (INVALID_ARGUMENT, or RESOURCE_EXHAUSTED naming `size` over max_bytes or
  // over the disk's free space) and opens a temporary file (creating the
  // directories when missing).
  Expected<std::unique_ptr<Upload>> Begin(std::string_view sha256, int64_t size) const;

  // Renames a finished upload into place and fsyncs the directory. Call it
  // holding publish_mutex().
  Status Publish(Upload& upload) const;

  // Removes the file of `sha256` (absent is fine). Call it holding
  // publish_mutex().
  Status Remove(std::string_view sha256) const;

  // The hashes of every file stored under its hash name.
  std::vector<std::string> ListStored() const;
  // Puts every stored file under `dir` in the same layout (<dir>/<ab>/<sha256>,
  // no tmp/), as a hard link where the file system allows, else as a copy;
  // `dir` must not exist. Returns how many files. For backups: the files are
  // never changed in place, so a link is as good as a copy.
  Expected<int64_t> CopyStoredTo(const std::filesystem::path& dir) const;
  // Removes temporary files last written before `before` (uploads that died
  // with the process); returns how many.
  int RemoveStaleTemporaries(std::filesystem::file_time_type before) const;

  std::mutex& publish_mutex() { return publish_mu_; }

 private:
  const std::filesystem::path root_;
  const int64_t max_bytes_;
  std::mutex publish_mu_;
};

}  // namespace parc::content
