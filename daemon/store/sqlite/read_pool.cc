#include "daemon/store/sqlite/read_pool.h"

namespace parc::store::sqlite {

ReadPool::ReadPool(std::vector<std::unique_ptr<Connection>> connections)
    : connections_(std::move(connections)) {
  for (const auto& connection : connections_) idle_.push_back(connection.get());
}

ReadPool::Lease ReadPool::Acquire() {
  std::unique_lock lock(mu_);
  idle_available_.wait(lock, [this] { return !idle_.empty(); });
  Connection* connection = idle_.back();
  idle_.pop_back();
  return Lease(*this, *connection);
}

void ReadPool::Release(Connection& connection) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(&connection);
  }
  idle_available_.notify_one();
}

}  // namespace parc::store::sqlite
