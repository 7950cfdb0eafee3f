// parc.v1.AllocationService: assign, return, and the history of who had what.
#pragma once

#include "daemon/service/gate.h"
#include "parc/v1/allocation.grpc.pb.h"

namespace parc::service {

class AllocationService final : public v1::AllocationService::CallbackService {
 public:
  explicit AllocationService(Gate& gate) : gate_(gate) {}

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* Assign(Ctx*, const v1::AssignRequest*, v1::Allocation*) override;
  Reactor* Return(Ctx*, const v1::ReturnRequest*, v1::Allocation*) override;
  Reactor* ListAllocations(Ctx*, const v1::ListAllocationsRequest*,
                           v1::ListAllocationsResponse*) override;
  Reactor* GetDeviceHistory(Ctx*, const v1::GetDeviceHistoryRequest*,
                            v1::GetDeviceHistoryResponse*) override;

 private:
  Gate& gate_;
};

}  // namespace parc::service
