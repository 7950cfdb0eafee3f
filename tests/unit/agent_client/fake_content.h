// A ContentTransport serving content from memory: a list of modules, blobs by
// hash, and scripted trouble (a corrupt stream, a stream that breaks after so
// many bytes, every call failing). It records every FetchContent offset, and
// how many fetches ran at once, so tests can check resume and concurrency.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "agent_client/content/content_transport.h"
#include "common/crypto.h"

namespace parc::agent::testing {

class FakeContentTransport final : public ContentTransport {
 public:
  // Adds `data` under its hash as item `position` of module `code` (created
  // when missing, for `person`); returns the hash.
  std::string AddItem(const std::string& code, int position, const std::string& data,
                      const std::string& person = "E042") {
    std::lock_guard lock(mutex_);
    std::string sha = Sha256Hex(data);
    blobs_[sha] = data;
    v1::AssignedModule* module = nullptr;
    for (auto& m : *list_.mutable_modules()) {
      if (m.code() == code) module = &m;
    }
    if (!module) {
      module = list_.add_modules();
      module->set_code(code);
      module->set_version(1);
      module->set_title("Module " + code);
      auto* p = module->add_people();
      p->set_employee_number(person);
      p->set_display_name("Marie Dupont");
      p->set_due_date("2030-01-31");
    }
    auto* item = module->add_items();
    item->set_position(position);
    item->set_title("Item " + std::to_string(position));
    item->set_file_name("doc" + std::to_string(position) + ".pdf");
    item->set_kind(v1::CONTENT_KIND_PDF);
    item->set_sha256(sha);
    item->set_size(static_cast<int64_t>(data.size()));
    list_.set_revision(list_.revision() + 1);
    return sha;
  }

  void RemoveModule(const std::string& code) {
    std::lock_guard lock(mutex_);
    auto* modules = list_.mutable_modules();
    for (int i = 0; i < modules->size(); ++i) {
      if (modules->Get(i).code() == code) modules->DeleteSubrange(i, 1);
    }
    list_.set_revision(list_.revision() + 1);
  }

  uint64_t revision() {
    std::lock_guard lock(mutex_);
    return list_.revision();
  }

  // Scripted trouble.
  std::atomic<int> corrupt_streams{0};   // the next N fetches flip a byte
  std::atomic<int64_t> break_after{-1};  // the next fetch fails after this many bytes
  std::atomic<bool> offline{false};      // every call fails UNAVAILABLE
  size_t chunk_size = 4096;
  std::chrono::milliseconds chunk_delay{0};  // per chunk, to overlap fetches

  // What happened.
  std::vector<std::pair<std::string, int64_t>> fetches() {  // (sha256, offset)
    std::lock_guard lock(mutex_);
    return fetches_;
  }
  std::vector<std::chrono::seconds> timeouts() {
    std::lock_guard lock(mutex_);
    return timeouts_;
  }
  int max_concurrent() const { return max_concurrent_; }
  int64_t bytes_sent() const { return bytes_sent_; }
  std::vector<v1::ProgressEvent> progress() {
    std::lock_guard lock(mutex_);
    return progress_;
  }
  std::set<std::string> progress_ids() {
    std::lock_guard lock(mutex_);
    return progress_ids_;
  }
  std::atomic<int> replies_lost{0};  // the next N ReportProgress store, then fail
  int progress_calls() {
    std::lock_guard lock(mutex_);
    return progress_calls_;
  }

  Expected<v1::ListAssignedContentResponse> ListAssignedContent() override {
    if (offline) return Fail(ErrorCode::kUnavailable, "fake offline");
    std::lock_guard lock(mutex_);
    return list_;
  }

  Status FetchContent(const std::string& sha256, int64_t offset, std::chrono::seconds timeout,
                      const ChunkSink& sink) override {
    if (offline) return Fail(ErrorCode::kUnavailable, "fake offline");
    std::string data;
    int64_t break_at = -1;
    bool corrupt = false;
    {
      std::lock_guard lock(mutex_);
      fetches_.emplace_back(sha256, offset);
      timeouts_.push_back(timeout);
      auto it = blobs_.find(sha256);
      if (it == blobs_.end()) return Fail(ErrorCode::kPermissionDenied, "not assigned");
      data = it->second;
      break_at = break_after.exchange(-1);
      if (corrupt_streams > 0) {
        --corrupt_streams;
        corrupt = true;
      }
    }
    int now = ++concurrent_;
    for (int seen = max_concurrent_;
         now > seen && !max_concurrent_.compare_exchange_weak(seen, now);) {
    }
    Status status = Ok();
    int64_t sent = 0;
    for (int64_t at = offset; at < static_cast<int64_t>(data.size());) {
      if (break_at >= 0 && sent >= break_at) {
        status = Fail(ErrorCode::kUnavailable, "fake connection reset");
        break;
      }
      v1::ContentChunk chunk;
      chunk.set_offset(at);
      size_t length = std::min(chunk_size, data.size() - static_cast<size_t>(at));
      chunk.set_data(data.substr(static_cast<size_t>(at), length));
      if (corrupt && at == offset) (*chunk.mutable_data())[0] ^= 0x01;
      if (chunk_delay.count() > 0) std::this_thread::sleep_for(chunk_delay);
      if (offline) {  // CancelContent() while streaming
        status = Fail(ErrorCode::kUnavailable, "fake cancelled");
        break;
      }
      status = sink(chunk);
      if (!status) break;
      at += static_cast<int64_t>(length);
      sent += static_cast<int64_t>(length);
      bytes_sent_ += static_cast<int64_t>(length);
    }
    --concurrent_;
    return status;
  }

  Expected<v1::ReportProgressResponse> ReportProgress(
      const v1::ReportProgressRequest& request) override {
    if (offline) return Fail(ErrorCode::kUnavailable, "fake offline");
    std::lock_guard lock(mutex_);
    ++progress_calls_;
    v1::ReportProgressResponse response;
    for (const auto& event : request.events()) {
      progress_.push_back(event);
      if (progress_ids_.insert(event.id()).second) {
        response.set_accepted(response.accepted() + 1);
      } else {
        response.set_duplicates(response.duplicates() + 1);
      }
    }
    if (replies_lost > 0) {  // stored, but the agent never hears so
      --replies_lost;
      return Fail(ErrorCode::kUnavailable, "fake reply lost");
    }
    return response;
  }

  void CancelContent() override { offline = true; }

 private:
  std::mutex mutex_;
  v1::ListAssignedContentResponse list_;
  std::map<std::string, std::string> blobs_;
  std::vector<std::pair<std::string, int64_t>> fetches_;
  std::vector<std::chrono::seconds> timeouts_;
  std::atomic<int> concurrent_{0};
  std::atomic<int> max_concurrent_{0};
  std::atomic<int64_t> bytes_sent_{0};
  std::vector<v1::ProgressEvent> progress_;
  std::set<std::string> progress_ids_;
  int progress_calls_ = 0;
};

}  // namespace parc::agent::testing
