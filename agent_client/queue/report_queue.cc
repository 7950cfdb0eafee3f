#include "agent_client/queue/report_queue.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "agent_client/durable_file.h"
#include "common/logging.h"
#include "common/time.h"

namespace parc::agent {
namespace {

constexpr std::string_view kSuffix = ".pb";
constexpr size_t kSequenceDigits = 20;

// The sequence a queue file name stands for; nullopt for any other file.
std::optional<uint64_t> SequenceOf(const std::string& name) {
  if (name.size() != kSequenceDigits + kSuffix.size() || !name.ends_with(kSuffix)) {
    return std::nullopt;
  }
  uint64_t sequence = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + kSequenceDigits, sequence);
  if (ec != std::errc() || end != name.data() + kSequenceDigits) return std::nullopt;
  return sequence;
}

}  // namespace

Expected<std::unique_ptr<ReportQueue>> ReportQueue::Open(std::filesystem::path dir,
                                                         const Clock& clock, uint64_t capacity) {
  if (capacity == 0) return InvalidArgument("capacity", "must be at least 1");
  PARC_TRY(EnsureDirectory(dir));
  std::unique_ptr<ReportQueue> queue(new ReportQueue(std::move(dir), clock, capacity));
  PARC_ASSIGN_OR_RETURN(FileLock lock, FileLock::Take(queue->dir_ / "lock"));
  PARC_TRY(queue->ListSequences());  // fails early on an unreadable directory
  queue->RemoveTempFiles();
  return queue;
}

// Temporary files left by a crash in the middle of WriteFileDurably. Best
// effort: a leftover is harmless, only untidy.
void ReportQueue::RemoveTempFiles() const {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (entry.path().extension() == ".tmp") std::filesystem::remove(entry.path(), ec);
  }
}

std::filesystem::path ReportQueue::ReportPath(uint64_t sequence) const {
  return dir_ / fmt::format("{:0{}}{}", sequence, kSequenceDigits, kSuffix);
}

Expected<std::vector<uint64_t>> ReportQueue::ListSequences() const {
  std::vector<uint64_t> sequences;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (auto sequence = SequenceOf(entry.path().filename().string())) {
      sequences.push_back(*sequence);
    }
  }
  if (ec) {
    return Fail(ErrorCode::kInternal,
                fmt::format("cannot list {}: {}", dir_.string(), ec.message()));
  }
  std::sort(sequences.begin(), sequences.end());
  return sequences;
}

Expected<uint64_t> ReportQueue::ReadCounter(const char* name) const {
  auto text = ReadWholeFile(dir_ / name);
  if (!text && text.error().code == ErrorCode::kNotFound) return 0;
  if (!text) return std::unexpected(text.error());
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc()) {
    return Fail(ErrorCode::kInternal, fmt::format("{}/{} is corrupt", dir_.string(), name));
  }
  return value;
}

Status ReportQueue::WriteCounter(const char* name, uint64_t value) const {
  return WriteFileDurably(dir_ / name, fmt::format("{}\n", value), 0600);
}

// Past both the stored counter (reports already removed) and every report on
// disk.
Expected<uint64_t> ReportQueue::NextSequence(const std::vector<uint64_t>& sequences) const {
  PARC_ASSIGN_OR_RETURN(uint64_t next, ReadCounter("next_sequence"));
  if (!sequences.empty()) next = std::max(next, sequences.back() + 1);
  return std::max<uint64_t>(next, 1);
}

Status ReportQueue::Remove(const std::vector<uint64_t>& sequences) const {
  if (sequences.empty()) return Ok();
  // Before a report disappears, the counter must be past it, or a crash could
  // hand its sequence out again (the server would take it for a duplicate).
  uint64_t highest = *std::max_element(sequences.begin(), sequences.end());
  PARC_ASSIGN_OR_RETURN(uint64_t next, ReadCounter("next_sequence"));
  if (next <= highest) PARC_TRY(WriteCounter("next_sequence", highest + 1));
  for (uint64_t sequence : sequences) {
    std::error_code ec;
    std::filesystem::remove(ReportPath(sequence), ec);
    if (ec) {
      return Fail(ErrorCode::kInternal,
                  fmt::format("cannot remove report {}: {}", sequence, ec.message()));
    }
  }
  return SyncDirectory(dir_);
}

Status ReportQueue::DropOldest(const std::vector<uint64_t>& sequences, size_t count) {
  count = std::min(count, sequences.size());
  if (count == 0) return Ok();
  PARC_ASSIGN_OR_RETURN(uint64_t dropped, ReadCounter("dropped"));
  // The counter first: a crash in between over-counts, it never hides a loss.
  PARC_TRY(WriteCounter("dropped", dropped + count));
  PARC_TRY(Remove({sequences.begin(), sequences.begin() + static_cast<ptrdiff_t>(count)}));
  Logger("agent")->warn("queue full, dropped={} oldest={} capacity={}", count, sequences.front(),
                        capacity_);
  return Ok();
}

Expected<uint64_t> ReportQueue::Append(v1::Report report) {
  PARC_ASSIGN_OR_RETURN(FileLock lock, FileLock::Take(dir_ / "lock"));
  PARC_ASSIGN_OR_RETURN(std::vector<uint64_t> sequences, ListSequences());
  PARC_ASSIGN_OR_RETURN(uint64_t sequence, NextSequence(sequences));
  if (sequences.size() >= capacity_) {
    PARC_TRY(DropOldest(sequences, sequences.size() - capacity_ + 1));
  }
  report.set_sequence(sequence);
  ToTimestamp(clock_.NowMs(), report.mutable_collected_at());
  // The counter is not written here: while the report is on disk it is its
  // own record of the sequence; Remove() saves the counter before deleting.
  PARC_TRY(WriteFileDurably(ReportPath(sequence), report.SerializeAsString(), 0600));
  return sequence;
}

Expected<std::vector<v1::Report>> ReportQueue::Peek(size_t max) {
  PARC_ASSIGN_OR_RETURN(FileLock lock, FileLock::Take(dir_ / "lock"));
  PARC_ASSIGN_OR_RETURN(std::vector<uint64_t> sequences, ListSequences());
  std::vector<v1::Report> reports;
  std::vector<uint64_t> corrupt;
  for (uint64_t sequence : sequences) {
    if (reports.size() >= max) break;
    auto bytes = ReadWholeFile(ReportPath(sequence));
    if (!bytes) return std::unexpected(bytes.error().Wrap("queue"));
    v1::Report report;
    if (!report.ParseFromString(*bytes) || report.sequence() != sequence) {
      corrupt.push_back(sequence);
      continue;
    }
    reports.push_back(std::move(report));
  }
  if (!corrupt.empty()) {
    Logger("agent")->error("queue: corrupt reports dropped count={} first={}", corrupt.size(),
                           corrupt.front());
    PARC_ASSIGN_OR_RETURN(uint64_t dropped, ReadCounter("dropped"));
    PARC_TRY(WriteCounter("dropped", dropped + corrupt.size()));
    PARC_TRY(Remove(corrupt));
  }
  return reports;
}

Status ReportQueue::Acknowledge(uint64_t through, uint64_t dropped_reported) {
  PARC_ASSIGN_OR_RETURN(FileLock lock, FileLock::Take(dir_ / "lock"));
  PARC_ASSIGN_OR_RETURN(std::vector<uint64_t> sequences, ListSequences());
  auto end = std::upper_bound(sequences.begin(), sequences.end(), through);
  PARC_TRY(Remove({sequences.begin(), end}));
  if (dropped_reported > 0) {
    PARC_ASSIGN_OR_RETURN(uint64_t dropped, ReadCounter("dropped"));
    PARC_TRY(WriteCounter("dropped", dropped - std::min(dropped, dropped_reported)));
  }
  return Ok();
}

Expected<QueueStats> ReportQueue::Stats() {
  PARC_ASSIGN_OR_RETURN(FileLock lock, FileLock::Take(dir_ / "lock"));
  PARC_ASSIGN_OR_RETURN(std::vector<uint64_t> sequences, ListSequences());
  QueueStats stats;
  stats.length = sequences.size();
  PARC_ASSIGN_OR_RETURN(stats.dropped, ReadCounter("dropped"));
  PARC_ASSIGN_OR_RETURN(stats.next_sequence, NextSequence(sequences));
  return stats;
}

}  // namespace parc::agent
