#include "daemon/service/call_deadlines.h"

#include <spdlog/spdlog.h>

#include <vector>

#include "common/logging.h"

namespace parc::service {

CallDeadlines::CallDeadlines(std::chrono::milliseconds max) : max_(max) {
  if (max_.count() > 0) thread_ = std::thread([this] { Run(); });
}

CallDeadlines::~CallDeadlines() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

CallDeadlines::Watch& CallDeadlines::Watch::operator=(Watch&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    entry_ = std::move(other.entry_);
  }
  return *this;
}

void CallDeadlines::Watch::Release() {
  if (!entry_) return;
  owner_->Release(entry_);
  entry_.reset();
}

CallDeadlines::Watch CallDeadlines::Start(grpc::ServerContextBase* ctx, std::string_view method) {
  if (max_.count() <= 0) return {};
  // deadline() is time_point::max() when the client set none.
  const auto client = ctx->deadline();
  const auto system_now = std::chrono::system_clock::now();
  if (client != std::chrono::system_clock::time_point::max() && client - system_now <= max_) {
    return {};  // gRPC ends the call at the client's deadline first
  }
  auto entry = std::make_shared<Entry>();
  entry->ctx = ctx;
  entry->method = std::string(method);
  const auto at = Clock::now() + max_;
  bool first = false;
  {
    std::lock_guard lock(mu_);
    entry->at = queue_.emplace(at, entry);
    entry->queued = true;
    first = entry->at == queue_.begin();
  }
  if (first) wake_.notify_one();
  return Watch(this, std::move(entry));
}

void CallDeadlines::Release(const std::shared_ptr<Entry>& entry) {
  {
    std::lock_guard lock(mu_);
    if (entry->queued) {
      queue_.erase(entry->at);
      entry->queued = false;
    }
  }
  // Waits for a cancellation in progress: the context must outlive it.
  std::lock_guard lock(entry->mu);
  entry->ctx = nullptr;
}

void CallDeadlines::Run() {
  static const auto log = Logger("grpc");
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto first = queue_.begin();
    if (const Clock::time_point at = first->first; at > Clock::now()) {
      wake_.wait_until(lock, at);  // a copy: Release may erase the entry meanwhile
      continue;
    }
    std::shared_ptr<Entry> entry = std::move(first->second);
    queue_.erase(first);
    entry->queued = false;
    lock.unlock();
    {
      // TryCancel runs no callback of the call on this thread (not one of
      // gRPC's): OnDone, which releases, cannot wait on this lock here.
      std::lock_guard guard(entry->mu);
      if (entry->ctx) {
        entry->ctx->TryCancel();
        cancelled_.fetch_add(1, std::memory_order_relaxed);
        log->info("rpc cancelled method={} reason=max_call_seconds max_s={}", entry->method,
                  std::chrono::duration_cast<std::chrono::seconds>(max_).count());
      }
    }
    lock.lock();
  }
}

}  // namespace parc::service
