// A fixed set of read-only connections handed out one caller at a time. A
// caller waits when all are busy. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "daemon/store/sqlite/db.h"

namespace parc::store::sqlite {

class ReadPool {
 public:
  // Exclusive use of one connection until destroyed.
  class Lease {
   public:
    Lease(ReadPool& pool, Connection& connection) : pool_(&pool), connection_(&connection) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), connection_(other.connection_) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->Release(*connection_);
    }
    Connection& connection() const { return *connection_; }

   private:
    ReadPool* pool_;  // nullptr once moved from
    Connection* connection_;
  };

  explicit ReadPool(std::vector<std::unique_ptr<Connection>> connections);

  // Waits until a connection is idle and lends it.
  Lease Acquire();

 private:
  void Release(Connection& connection);

  const std::vector<std::unique_ptr<Connection>> connections_;  // owned; fixed after construction
  std::mutex mu_;
  std::condition_variable idle_available_;
  std::vector<Connection*> idle_;  // guarded by mu_
};

}  // namespace parc::store::sqlite
