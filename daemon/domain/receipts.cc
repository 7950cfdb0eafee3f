#include "daemon/domain/receipts.h"

#include <fmt/format.h>

#include "common/crypto.h"
#include "common/time.h"
#include "daemon/domain/audit.h"
#include "daemon/store/receipts.h"

namespace parc::domain {

namespace {

constexpr std::string_view kPngMagic("\x89PNG\r\n\x1a\n", 8);
constexpr std::string_view kPdfMagic = "%PDF-";

std::string_view KindWord(v1::ReceiptKind kind) {
  return kind == v1::RECEIPT_KIND_RETURN ? "retour" : "remise";
}

Status CheckFile(std::string_view field, std::string_view data, std::string_view magic,
                 std::string_view what, int64_t max_bytes) {
  if (data.empty()) return InvalidArgument(field, fmt::format("required ({})", what));
  if (static_cast<int64_t>(data.size()) > max_bytes) {
    return InvalidArgument(
        field, fmt::format("{} bytes is over the limit of {} bytes", data.size(), max_bytes));
  }
  if (!data.starts_with(magic)) return InvalidArgument(field, fmt::format("not {}", what));
  return Ok();
}

}  // namespace

Expected<v1::Receipt> ReceiptOf(const v1::StoreReceiptRequest& request) {
  if (request.allocation_id() <= 0) return InvalidArgument("allocation_id", "required");
  if (request.kind() != v1::RECEIPT_KIND_HANDOVER && request.kind() != v1::RECEIPT_KIND_RETURN) {
    return InvalidArgument("kind", "RECEIPT_KIND_HANDOVER or RECEIPT_KIND_RETURN");
  }
  PARC_TRY(CheckFile("signature_png", request.signature_png(), kPngMagic, "a PNG image",
                     kMaxSignatureBytes));
  PARC_TRY(CheckFile("pdf", request.pdf(), kPdfMagic, "a PDF document", kMaxReceiptPdfBytes));
  v1::Receipt receipt;
  receipt.set_allocation_id(request.allocation_id());
  receipt.set_kind(request.kind());
  receipt.set_signature_sha256(Sha256Hex(request.signature_png()));
  receipt.set_signature_size(static_cast<int64_t>(request.signature_png().size()));
  receipt.set_pdf_sha256(Sha256Hex(request.pdf()));
  receipt.set_pdf_size(static_cast<int64_t>(request.pdf().size()));
  return receipt;
}

Expected<v1::Receipt> RecordReceipt(store::Writer& w, const Call& call, v1::Receipt receipt) {
  const int64_t id = receipt.allocation_id();
  PARC_ASSIGN_OR_RETURN(auto found, w.ListAllocations({.id = id, .page = {.limit = 1}}));
  if (found.empty()) return NotFound(fmt::format("allocation_id: allocation {} not found", id));
  const v1::Allocation& allocation = found.front();
  PARC_ASSIGN_OR_RETURN(auto device, w.FindDeviceById(allocation.device_id()));
  if (!device || !call.who.InScope(device->department())) {
    return NotFound(fmt::format("allocation_id: allocation {} not found", id));
  }
  if (allocation.employee_number().empty()) {
    return FailedPrecondition(fmt::format(
        "allocation {} is a site's pool: a receipt is signed by the person who takes the device",
        id));
  }
  if (receipt.kind() == v1::RECEIPT_KIND_RETURN && !allocation.has_ended_at()) {
    return FailedPrecondition(fmt::format(
        "allocation {} is still open: take the device back before its bon de retour", id));
  }
  store::ReceiptsWriter& receipts = w.receipts_writer();
  PARC_ASSIGN_OR_RETURN(auto existing, receipts.ListReceipts({.allocation_id = id}));
  for (const auto& r : existing) {
    if (r.kind() == receipt.kind()) {
      return Fail(ErrorCode::kAlreadyExists,
                  fmt::format("kind: allocation {} already has its bon de {}", id,
                              KindWord(receipt.kind())));
    }
  }
  ToTimestamp(call.now_ms, receipt.mutable_created_at());
  receipt.set_created_by(call.who.name);
  PARC_ASSIGN_OR_RETURN(int64_t receipt_id, receipts.InsertReceipt(receipt));
  receipt.set_id(receipt_id);
  receipt.set_device_serial(allocation.device_serial());
  receipt.set_device_asset_tag(allocation.device_asset_tag());
  receipt.set_employee_number(allocation.employee_number());
  receipt.set_agent_name(allocation.agent_name());
  receipt.set_file_name(ReceiptFileName(receipt));
  PARC_TRY(Audit(w, call, "receipt.store", DeviceTarget(*device),
                 fmt::format("bon de {} of allocation {} signed by {}: pdf {} ({} bytes)",
                             KindWord(receipt.kind()), id, allocation.employee_number(),
                             receipt.pdf_sha256(), receipt.pdf_size())));
  return receipt;
}

std::string ReceiptFileName(const v1::Receipt& receipt, std::string_view extension) {
  std::string serial;
  for (char c : receipt.device_serial()) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_';
    serial += plain ? c : '_';
  }
  return fmt::format("bon-de-{}-{}-{}.{}", KindWord(receipt.kind()), serial,
                     FormatDate(FromTimestamp(receipt.created_at())), extension);
}

}  // namespace parc::domain
