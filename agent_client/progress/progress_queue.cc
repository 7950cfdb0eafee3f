#include "agent_client/progress/progress_queue.h"

#include <fmt/format.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <set>

#include "agent_client/durable_file.h"
#include "common/logging.h"
#include "common/time.h"

namespace parc::agent {
namespace {

constexpr std::string_view kSuffix = ".pb";
constexpr size_t kUuidLength = 36;

bool IsEventFile(const std::string& name) {
  return name.size() == 20 + 1 + kUuidLength + kSuffix.size() && name.ends_with(kSuffix) &&
         name[20] == '-';
}

bool IsUuid(const std::string& id) {
  if (id.size() != kUuidLength) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = id[i];
    if (dash != (c == '-')) return false;
    if (!dash && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string IdOf(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  return name.substr(21, kUuidLength);
}

}  // namespace

Expected<std::string> NewEventId() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return Fail(ErrorCode::kInternal, "no randomness for a progress event id");
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string id;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    id += fmt::format("{:02x}", bytes[i]);
  }
  return id;
}

Expected<std::unique_ptr<ProgressQueue>> ProgressQueue::Open(std::filesystem::path dir) {
  PARC_TRY(EnsureDirectory(dir));
  std::unique_ptr<ProgressQueue> queue(new ProgressQueue(std::move(dir)));
  PARC_ASSIGN_OR_RETURN(FileLock lock, FileLock::Take(queue->dir_ / "lock"));
  PARC_TRY(queue->List());
  // Temporary files of a write a crash interrupted.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(queue->dir_, ec)) {
    if (entry.path().extension() == ".tmp") std::filesystem::remove(entry.path(), ec);
  }
  return queue;
}

Expected<std::vector<std::filesystem::path>> ProgressQueue::List() const {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (IsEventFile(entry.path().filename().string())) files.push_back(entry.path());
  }
  if (ec) {
    return Fail(ErrorCode::kInternal,
                fmt::format("cannot list {}: {}", dir_.string(), ec.message()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

Expected<std::string> ProgressQueue::Append(v1::ProgressEvent event) {
  if (event.id().empty()) {
    PARC_ASSIGN_OR_RETURN(std::string id, NewEventId());
    event.set_id(id);
  }
  if (!IsUuid(event.id())) return InvalidArgument("id", "not a lowercase UUID");
  if (!event.has_at()) return InvalidArgument("at", "required");
  PARC_ASSIGN_OR_RETURN(FileLock lock, FileLock::Take(dir_ / "lock"));
  PARC_ASSIGN_OR_RETURN(auto files, List());
  if (files.size() >= kCapacity) {
    return Fail(ErrorCode::kResourceExhausted,
                fmt::format("{} progress events wait for the server already", files.size()));
  }
  int64_t at_ms = std::max<int64_t>(FromTimestamp(event.at()), 0);
  std::filesystem::path path = dir_ / fmt::format("{:020}-{}{}", at_ms, event.id(), kSuffix);
  PARC_TRY(WriteFileDurably(path, event.SerializeAsString(), 0600));
  return event.id();
}

Expected<std::vector<v1::ProgressEvent>> ProgressQueue::Peek(size_t max) {
  PARC_ASSIGN_OR_RETURN(FileLock lock, FileLock::Take(dir_ / "lock"));
  PARC_ASSIGN_OR_RETURN(auto files, List());
  std::vector<v1::ProgressEvent> events;
  for (const auto& path : files) {
    if (events.size() >= max) break;
    PARC_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path));
    v1::ProgressEvent event;
    if (!event.ParseFromString(bytes) || event.id() != IdOf(path)) {
      Logger("agent")->error("progress: corrupt event dropped file={}", path.string());
      std::error_code ec;
      std::filesystem::remove(path, ec);
      continue;
    }
    events.push_back(std::move(event));
  }
  return events;
}

Status ProgressQueue::Remove(const std::vector<std::string>& ids) {
  if (ids.empty()) return Ok();
  std::set<std::string> wanted(ids.begin(), ids.end());
  PARC_ASSIGN_OR_RETURN(FileLock lock, FileLock::Take(dir_ / "lock"));
  PARC_ASSIGN_OR_RETURN(auto files, List());
  for (const auto& path : files) {
    if (!wanted.contains(IdOf(path))) continue;
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) {
      return Fail(ErrorCode::kInternal,
                  fmt::format("cannot remove {}: {}", path.string(), ec.message()));
    }
  }
  return SyncDirectory(dir_);
}

Expected<size_t> ProgressQueue::Length() {
  PARC_ASSIGN_OR_RETURN(FileLock lock, FileLock::Take(dir_ / "lock"));
  PARC_ASSIGN_OR_RETURN(auto files, List());
  return files.size();
}

Expected<SentProgress> SendProgress(ProgressQueue& queue, ContentTransport& transport,
                                    size_t batch) {
  SentProgress sent;
  for (;;) {
    PARC_ASSIGN_OR_RETURN(auto events, queue.Peek(batch));
    if (events.empty()) return sent;
    v1::ReportProgressRequest request;
    std::vector<std::string> ids;
    for (auto& event : events) {
      ids.push_back(event.id());
      *request.add_events() = std::move(event);
    }
    auto response = transport.ReportProgress(request);
    if (!response) return std::unexpected(response.error().Wrap("report progress"));
    PARC_TRY(queue.Remove(ids));
    sent.events += static_cast<int>(ids.size());
    sent.accepted += response->accepted();
    sent.duplicates += response->duplicates();
    if (events.size() < batch) return sent;
  }
}

}  // namespace parc::agent
