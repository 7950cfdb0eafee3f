#include "daemon/limits/socket_gate.h"

#include <grpc/support/sync.h>
#include <grpcpp/support/channel_arguments.h>
#include <grpcpp/version_info.h>
#include <sys/socket.h>

// gRPC's socket mutator, as declared in gRPC 1.51's internal header
// src/core/lib/iomgr/socket_mutator.h (not installed by Debian's libgrpc-dev).
// Only the layout matters: gRPC calls through the vtable, and parcd calls
// nothing of gRPC's but the public gpr_ref_init and ChannelArguments.
static_assert(GRPC_CPP_VERSION_MAJOR == 1 && GRPC_CPP_VERSION_MINOR == 51,
              "check the socket mutator layout below against this gRPC's "
              "src/core/lib/iomgr/socket_mutator.h, and whether it now has "
              "GRPC_ARG_MAX_ALLOWED_INCOMING_CONNECTIONS (then use that instead)");
typedef enum {
  GRPC_FD_CLIENT_CONNECTION_USAGE,
  GRPC_FD_SERVER_LISTENER_USAGE,
  GRPC_FD_SERVER_CONNECTION_USAGE,
} grpc_fd_usage;
typedef struct {
  int fd;
  grpc_fd_usage usage;
} grpc_mutate_socket_info;
struct grpc_socket_mutator_vtable {
  bool (*mutate_fd)(int fd, grpc_socket_mutator* mutator);
  int (*compare)(grpc_socket_mutator* a, grpc_socket_mutator* b);
  void (*destroy)(grpc_socket_mutator* mutator);
  bool (*mutate_fd_2)(const grpc_mutate_socket_info* info, grpc_socket_mutator* mutator);
};
struct grpc_socket_mutator {
  const grpc_socket_mutator_vtable* vtable;
  gpr_refcount refcount;
};

namespace parc::limits {
namespace {

// Standard layout, `base` first: gRPC hands back &base.
struct GateMutator {
  grpc_socket_mutator base;
  std::shared_ptr<ConnectionLimiter>* limiter;  // owned
};
static_assert(std::is_standard_layout_v<GateMutator>);

GateMutator* FromBase(grpc_socket_mutator* base) { return reinterpret_cast<GateMutator*>(base); }

bool MutateFd2(const grpc_mutate_socket_info* info, grpc_socket_mutator* base) {
  if (info->usage != GRPC_FD_SERVER_CONNECTION_USAGE) return true;
  if (!(*FromBase(base)->limiter)->Admit(info->fd)) ::shutdown(info->fd, SHUT_RDWR);
  return true;  // never false: that would stop gRPC's listener
}

bool MutateFd(int, grpc_socket_mutator*) { return true; }  // not called when mutate_fd_2 is set

int Compare(grpc_socket_mutator* a, grpc_socket_mutator* b) { return a < b ? -1 : (a > b ? 1 : 0); }

void Destroy(grpc_socket_mutator* base) {
  GateMutator* gate = FromBase(base);
  delete gate->limiter;
  delete gate;
}

constexpr grpc_socket_mutator_vtable kVtable = {
    .mutate_fd = MutateFd, .compare = Compare, .destroy = Destroy, .mutate_fd_2 = MutateFd2};

class SocketGateOption final : public grpc::ServerBuilderOption {
 public:
  explicit SocketGateOption(std::shared_ptr<ConnectionLimiter> limiter)
      : limiter_(std::move(limiter)) {}

  void UpdateArguments(grpc::ChannelArguments* args) override {
    auto* gate = new GateMutator{};  // one reference, handed to `args`
    gate->base.vtable = &kVtable;
    gpr_ref_init(&gate->base.refcount, 1);
    gate->limiter = new std::shared_ptr<ConnectionLimiter>(limiter_);
    args->SetSocketMutator(&gate->base);
  }
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*) override {}

 private:
  std::shared_ptr<ConnectionLimiter> limiter_;
};

}  // namespace

std::unique_ptr<grpc::ServerBuilderOption> SocketGate(std::shared_ptr<ConnectionLimiter> limiter) {
  return std::make_unique<SocketGateOption>(std::move(limiter));
}

}  // namespace parc::limits
