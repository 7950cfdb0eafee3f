// Signed receipts (issue 15): the "bon de remise" of a hand-over and the "bon
// de retour" of a return, signed on the desk's screen by the person, who often
// has no email address to receive anything else. The page draws the PDF; here
// are the rules for what is accepted and how it is recorded. No I/O: the
// files are written by the service (content/content_files.h).
#pragma once

#include <cstdint>
#include <string>

#include "common/error.h"
#include "daemon/domain/principal.h"
#include "daemon/store/store.h"
#include "parc/v1/allocation.pb.h"

namespace parc::domain {

inline constexpr int64_t kMaxSignatureBytes = int64_t{512} * 1024;
inline constexpr int64_t kMaxReceiptPdfBytes = int64_t{2} * 1024 * 1024;

// The receipt `request` asks for: allocation, kind, and the SHA-256 and size
// of both files, or INVALID_ARGUMENT naming the field (allocation_id, kind,
// signature_png: a PNG of at most kMaxSignatureBytes, required; pdf: starts
// with %PDF-, at most kMaxReceiptPdfBytes). Checks the request alone.
Expected<v1::Receipt> ReceiptOf(const v1::StoreReceiptRequest& request);

// Records `receipt` (from ReceiptOf) with its audit event ("receipt.store", on
// the device) and returns it complete. NOT_FOUND naming allocation_id for an
// unknown allocation (or one out of a manager's scope); FAILED_PRECONDITION
// for a site pool (nobody to sign) or a return receipt of an allocation still
// open; ALREADY_EXISTS naming kind when the allocation has one of that kind.
Expected<v1::Receipt> RecordReceipt(store::Writer& w, const Call& call, v1::Receipt receipt);

// "bon-de-remise-<serial>-<YYYY-MM-DD>.pdf" (or bon-de-retour-), the date the
// receipt was stored (UTC) and the serial kept to letters, digits, '-' and
// '_'; with `extension` "png" for the signature.
std::string ReceiptFileName(const v1::Receipt& receipt, std::string_view extension = "pdf");

}  // namespace parc::domain
