#include "agent_client/content/content_store.h"

#include <fmt/format.h>

#include <charconv>
#include <sstream>

#include "agent_client/durable_file.h"
#include "common/crypto.h"

namespace parc::agent {
namespace {

uint64_t Field(const std::string& text, std::string_view key) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() <= key.size() || !line.starts_with(key) || line[key.size()] != '=') continue;
    uint64_t value = 0;
    std::from_chars(line.data() + key.size() + 1, line.data() + line.size(), value);
    return value;
  }
  return 0;
}

}  // namespace

Status ContentStore::Create() const {
  PARC_TRY(EnsureDirectory(dir_));
  return EnsureDirectory(partial_dir());
}

Expected<std::optional<v1::ListAssignedContentResponse>> ContentStore::LoadModules() const {
  auto bytes = ReadWholeFile(dir_ / "modules.pb");
  if (!bytes && bytes.error().code == ErrorCode::kNotFound) return std::nullopt;
  if (!bytes) return std::unexpected(bytes.error().Wrap("content"));
  v1::ListAssignedContentResponse modules;
  if (!modules.ParseFromString(*bytes)) {
    return Fail(ErrorCode::kInternal, fmt::format("{} is corrupt", (dir_ / "modules.pb").string()));
  }
  return modules;
}

Status ContentStore::SaveModules(const v1::ListAssignedContentResponse& modules) const {
  PARC_TRY(Create());
  return WriteFileDurably(dir_ / "modules.pb", modules.SerializeAsString(), 0644);
}

SyncState ContentStore::LoadSyncState() const {
  auto text = ReadWholeFile(dir_ / "synced");
  if (!text) return {};
  return SyncState{Field(*text, "revision"), static_cast<int64_t>(Field(*text, "verified_at_ms"))};
}

Status ContentStore::SaveSyncState(const SyncState& state) const {
  PARC_TRY(Create());
  return WriteFileDurably(dir_ / "synced", fmt::format("revision={}\nverified_at_ms={}\n",
                                                       state.revision, state.verified_at_ms));
}

bool ContentStore::IsCached(const v1::ContentItem& item) const {
  if (!IsSha256Hex(item.sha256())) return false;
  std::error_code ec;
  auto size = std::filesystem::file_size(CachePath(item.sha256()), ec);
  return !ec && static_cast<int64_t>(size) == item.size();
}

Expected<std::filesystem::path> ContentStore::ViewPath(const v1::ContentItem& item) const {
  if (!IsCached(item)) {
    return NotFound(fmt::format("content {} is not downloaded yet", item.sha256()));
  }
  std::string name = SafeFileName(item.file_name());
  if (name.empty()) return CachePath(item.sha256());
  std::filesystem::path view_dir = dir_ / "view" / item.sha256();
  std::filesystem::path link = view_dir / name;
  std::error_code ec;
  if (std::filesystem::is_symlink(link, ec)) return link;
  PARC_TRY(EnsureDirectory(view_dir));
  std::filesystem::create_symlink(std::filesystem::path("..") / ".." / item.sha256(), link, ec);
  if (ec && ec != std::errc::file_exists) {
    return Fail(ErrorCode::kInternal,
                fmt::format("cannot link {}: {}", link.string(), ec.message()));
  }
  return link;
}

std::string SafeFileName(const std::string& file_name) {
  auto slash = file_name.find_last_of("/\\");
  std::string name = slash == std::string::npos ? file_name : file_name.substr(slash + 1);
  for (char& c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '_';
  }
  if (name == "." || name == "..") return "";
  return name;
}

}  // namespace parc::agent
