// Every gRPC service parcd serves, wired to one store. The services are thin:
// authenticate, authorize (daemon/service/permissions.h), validate, call the
// domain, map the error to a grpc::Status.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "daemon/store/store.h"

namespace grpc {
class ServerBuilder;
}

namespace parc::service {

class Services {
 public:
  struct Options {
    std::string backup_dir;  // where AdminService.Backup writes
  };

  // Borrows `store` and `clock`, which must outlive this object and the server.
  Services(store::Store& store, const Clock& clock, const Options& options);
  ~Services();
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  // Registers every parc.v1 service on `builder`. This object must outlive the
  // server built from it.
  void Register(grpc::ServerBuilder& builder);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parc::service
