#include "agent_client/content/background.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include "common/logging.h"

namespace parc::agent {
namespace {

std::shared_ptr<spdlog::logger> Log() { return Logger("agent"); }

}  // namespace

void Background::Start() {
  content_thread_ = std::thread([this] { ContentThread(); });
  progress_thread_ = std::thread([this] { ProgressThread(); });
}

void Background::OnCheckIn(uint64_t content_revision) {
  {
    std::lock_guard lock(mutex_);
    wanted_revision_ = content_revision;
    progress_wanted_ = true;
  }
  wake_.notify_all();
}

void Background::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !content_thread_.joinable() && !progress_thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  sync_.Stop();
  transport_.CancelContent();
  if (content_thread_.joinable()) content_thread_.join();
  if (progress_thread_.joinable()) progress_thread_.join();
}

void Background::ContentThread() {
  for (;;) {
    uint64_t revision = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || wanted_revision_.has_value(); });
      if (stopping_) return;
      revision = *std::exchange(wanted_revision_, std::nullopt);
    }
    if (!sync_.Due(revision)) continue;
    Log()->info("content sync start revision={}", revision);
    auto result = sync_.RunCycle();
    if (!result) {
      Log()->warn("content sync failed, retrying after the next check-in error={}",
                  result.error().message);
      continue;
    }
    Log()->info(
        "content sync {} revision={} items={} downloaded={} resumed={} failed={} corrupt={} "
        "removed={} verified={}",
        result->complete ? "done" : "incomplete", result->revision, result->items,
        result->downloaded, result->resumed, result->failed, result->corrupt, result->removed,
        result->verified);
    // The chunk buffers of the downloads are free again: give the pages back
    // rather than keep the peak for the agent's lifetime.
    ::malloc_trim(0);
  }
}

void Background::ProgressThread() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || progress_wanted_; });
      if (stopping_) return;
      progress_wanted_ = false;
    }
    auto sent = SendProgress(progress_, transport_);
    if (!sent) {
      Log()->warn("progress not sent, kept for the next check-in error={}", sent.error().message);
    } else if (sent->events > 0) {
      Log()->info("progress sent events={} accepted={} duplicates={}", sent->events, sent->accepted,
                  sent->duplicates);
    }
  }
}

}  // namespace parc::agent
