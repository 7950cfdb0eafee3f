// parc.v1.AllocationService: assign, return, the history of who had what, and
// the signed receipts of hand-overs and returns (allocation_receipts.cc).
#pragma once

#include "daemon/content/content_files.h"
#include "daemon/service/gate.h"
#include "parc/v1/allocation.grpc.pb.h"

namespace parc::service {

class AllocationService final : public v1::AllocationService::CallbackService {
 public:
  // Borrows both. `receipts` holds the receipts' files (signature PNGs and
  // PDFs) by SHA-256, apart from training content and its collector.
  AllocationService(Gate& gate, content::ContentFiles& receipts)
      : gate_(gate), receipts_(receipts) {}

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* Assign(Ctx*, const v1::AssignRequest*, v1::Allocation*) override;
  Reactor* Return(Ctx*, const v1::ReturnRequest*, v1::Allocation*) override;
  Reactor* ListAllocations(Ctx*, const v1::ListAllocationsRequest*,
                           v1::ListAllocationsResponse*) override;
  Reactor* GetDeviceHistory(Ctx*, const v1::GetDeviceHistoryRequest*,
                            v1::GetDeviceHistoryResponse*) override;
  // Both files are checked, written to temporary files, then renamed into
  // place inside the transaction that records the receipt and its audit row:
  // a refused or failed call leaves no row and no file under a hash name.
  Reactor* StoreReceipt(Ctx*, const v1::StoreReceiptRequest*, v1::Receipt*) override;
  Reactor* ListReceipts(Ctx*, const v1::ListReceiptsRequest*, v1::ListReceiptsResponse*) override;
  // The file's bytes, checked against their hash as read.
  Reactor* GetReceiptFile(Ctx*, const v1::GetReceiptFileRequest*, v1::ReceiptFile*) override;

 private:
  Gate& gate_;
  content::ContentFiles& receipts_;
};

}  // namespace parc::service
