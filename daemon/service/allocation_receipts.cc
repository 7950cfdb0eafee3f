// AllocationService's signed receipts (issue 15): StoreReceipt, ListReceipts,
// GetReceiptFile. The rules are in domain/receipts.h; here the files meet the
// transaction.
#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <mutex>

#include "common/crypto.h"
#include "daemon/domain/inventory.h"
#include "daemon/domain/receipts.h"
#include "daemon/service/allocation_service.h"
#include "daemon/store/receipts.h"

namespace parc::service {

namespace {

std::string Method(std::string_view name) {
  return "/parc.v1.AllocationService/" + std::string(name);
}

using Staged = std::unique_ptr<content::ContentFiles::Upload>;

// `data` written and fsynced to a temporary file, not yet under its hash name
// (Publish does that); removed if the call fails before.
Expected<Staged> Stage(const content::ContentFiles& files, std::string_view sha256,
                       std::string_view data) {
  PARC_ASSIGN_OR_RETURN(Staged staged, files.Begin(sha256, static_cast<int64_t>(data.size())));
  PARC_TRY(staged->Append(data));
  PARC_TRY(staged->Finish());
  return staged;
}

// The stored file of `sha256`, checked against its name.
Expected<std::string> ReadStored(const content::ContentFiles& files, std::string_view sha256) {
  std::ifstream in(files.PathOf(sha256), std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kInternal,
                fmt::format("receipt file {} is missing from {}", sha256, files.root().string()));
  }
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (Sha256Hex(data) != sha256) {
    return Fail(ErrorCode::kInternal, fmt::format("receipt file {} is damaged", sha256));
  }
  return data;
}

}  // namespace

using Reactor = grpc::ServerUnaryReactor;
using Ctx = grpc::CallbackServerContext;

Reactor* AllocationService::StoreReceipt(Ctx* ctx, const v1::StoreReceiptRequest* req,
                                         v1::Receipt* resp) {
  return gate_.Unary(ctx, Method("StoreReceipt"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(v1::Receipt planned, domain::ReceiptOf(*req));
    if (receipts_.root().empty()) {
      return Fail(ErrorCode::kUnavailable, "receipts: this parcd has no receipts directory");
    }
    PARC_ASSIGN_OR_RETURN(Staged signature,
                          Stage(receipts_, planned.signature_sha256(), req->signature_png()));
    PARC_ASSIGN_OR_RETURN(Staged pdf, Stage(receipts_, planned.pdf_sha256(), req->pdf()));
    std::lock_guard publishing(receipts_.publish_mutex());
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::RecordReceipt(w, call, planned));
      // Renamed before the commit: a row never names a file that is not
      // there. A failed commit leaves complete files no row names.
      PARC_TRY(receipts_.Publish(*signature));
      return receipts_.Publish(*pdf);
    });
  });
}

Reactor* AllocationService::ListReceipts(Ctx* ctx, const v1::ListReceiptsRequest* req,
                                         v1::ListReceiptsResponse* resp) {
  return gate_.Unary(ctx, Method("ListReceipts"), *req, [&](const domain::Call& call) {
    return gate_.store().Read([&](store::Reader& r) -> Status {
      store::ReceiptFilter filter{.allocation_id = req->allocation_id()};
      if (!req->device().empty()) {
        PARC_ASSIGN_OR_RETURN(auto device, domain::GetDevice(r, call.who, req->device()));
        filter.device_id = device.id();
      } else if (req->allocation_id() <= 0) {
        return InvalidArgument("device", "required (asset tag or serial), or allocation_id");
      }
      PARC_ASSIGN_OR_RETURN(auto rows, r.receipts().ListReceipts(filter));
      for (v1::Receipt& row : rows) {
        row.set_file_name(domain::ReceiptFileName(row));
        *resp->add_receipts() = std::move(row);
      }
      return Ok();
    });
  });
}

Reactor* AllocationService::GetReceiptFile(Ctx* ctx, const v1::GetReceiptFileRequest* req,
                                           v1::ReceiptFile* resp) {
  return gate_.Unary(ctx, Method("GetReceiptFile"), *req, [&](const domain::Call&) -> Status {
    const std::string& sha256 = req->sha256();
    if (!IsSha256Hex(sha256)) return InvalidArgument("sha256", "64 lowercase hex digits");
    std::optional<v1::Receipt> receipt;
    PARC_TRY(gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(receipt, r.receipts().FindReceiptByFile(sha256));
      return Ok();
    }));
    if (!receipt) return NotFound("sha256: no receipt has the file " + sha256);
    const bool pdf = receipt->pdf_sha256() == sha256;
    PARC_ASSIGN_OR_RETURN(std::string data, ReadStored(receipts_, sha256));
    resp->set_sha256(sha256);
    resp->set_content_type(pdf ? "application/pdf" : "image/png");
    resp->set_file_name(domain::ReceiptFileName(*receipt, pdf ? "pdf" : "png"));
    resp->set_data(std::move(data));
    return Ok();
  });
}

}  // namespace parc::service
