// The agent's content cache, <state>/content, shared by the running agent
// (which fills it) and the commands (`modules`, `open`, which read it):
//
//   <sha256>                  verified content, named by its SHA-256
//   partial/<sha256>          a download in progress: its size is where it
//                             resumes
//   modules.pb                the last ListAssignedContent answer, so that the
//                             modules can be listed and opened offline
//   synced                    revision=N: every item of that revision is here;
//                             verified_at_ms=T: when the cache was last hashed
//   view/<sha256>/<file_name> a link to the content under its own file name,
//                             for the viewer (which goes by the extension)
//
// Files are replaced atomically (temp + fsync + rename), so a reader in
// another process sees either the old or the new version.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/error.h"
#include "parc/v1/device.pb.h"

namespace parc::agent {

struct SyncState {
  uint64_t revision = 0;       // 0: nothing synced yet
  int64_t verified_at_ms = 0;  // 0: never hashed
};

class ContentStore {
 public:
  explicit ContentStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path partial_dir() const { return dir_ / "partial"; }
  std::filesystem::path CachePath(const std::string& sha256) const { return dir_ / sha256; }
  std::filesystem::path PartialPath(const std::string& sha256) const {
    return partial_dir() / sha256;
  }

  // Creates content/ and content/partial/ (0700) when missing.
  Status Create() const;

  // nullopt when no list was ever saved.
  Expected<std::optional<v1::ListAssignedContentResponse>> LoadModules() const;
  Status SaveModules(const v1::ListAssignedContentResponse& modules) const;

  SyncState LoadSyncState() const;  // a default one when missing or unreadable
  Status SaveSyncState(const SyncState& state) const;

  // The item is in the cache with its announced size (not hashed).
  bool IsCached(const v1::ContentItem& item) const;

  // A path to the cached item that ends with its file name (a symbolic link
  // under view/, made when missing). kNotFound when the item is not cached.
  Expected<std::filesystem::path> ViewPath(const v1::ContentItem& item) const;

 private:
  std::filesystem::path dir_;
};

// A file name from the server made safe to use below view/: its last path
// component, "" when nothing usable is left.
std::string SafeFileName(const std::string& file_name);

}  // namespace parc::agent
