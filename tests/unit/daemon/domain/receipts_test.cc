// The receipt rules alone (domain/receipts.h): what a StoreReceiptRequest must
// hold, and the French file name of the PDF.
#include "daemon/domain/receipts.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "common/time.h"

namespace parc::domain {
namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "ink";
const std::string kPdf = "%PDF-1.7\n";

v1::StoreReceiptRequest Request(std::string png = kPng, std::string pdf = kPdf) {
  v1::StoreReceiptRequest r;
  r.set_allocation_id(7);
  r.set_kind(v1::RECEIPT_KIND_HANDOVER);
  r.set_signature_png(std::move(png));
  r.set_pdf(std::move(pdf));
  return r;
}

std::string RefusedField(const v1::StoreReceiptRequest& request) {
  auto receipt = ReceiptOf(request);
  if (receipt) return "accepted";
  EXPECT_EQ(receipt.error().code, ErrorCode::kInvalidArgument) << receipt.error().message;
  return receipt.error().message.substr(0, receipt.error().message.find(':'));
}

TEST(ReceiptsTest, AcceptsAPngAndAPdfWithinTheirLimitsAndHashesThem) {
  auto receipt = ReceiptOf(Request(kPng + std::string(kMaxSignatureBytes - kPng.size(), 'x'),
                                   kPdf + std::string(kMaxReceiptPdfBytes - kPdf.size(), 'x')));
  ASSERT_TRUE(receipt) << receipt.error().message;
  EXPECT_EQ(receipt->allocation_id(), 7);
  EXPECT_EQ(receipt->signature_size(), kMaxSignatureBytes);
  EXPECT_EQ(receipt->pdf_size(), kMaxReceiptPdfBytes);
  EXPECT_TRUE(IsSha256Hex(receipt->pdf_sha256()));
}

TEST(ReceiptsTest, RefusalsNameTheField) {
  EXPECT_EQ(RefusedField(Request(kPng + std::string(kMaxSignatureBytes, 'x'))), "signature_png");
  EXPECT_EQ(RefusedField(Request(kPng, kPdf + std::string(kMaxReceiptPdfBytes, 'x'))), "pdf");
  EXPECT_EQ(RefusedField(Request("")), "signature_png");
  EXPECT_EQ(RefusedField(Request("\x89PNG")), "signature_png");
  EXPECT_EQ(RefusedField(Request(kPng, "PDF-1.7")), "pdf");
  auto request = Request();
  request.set_kind(v1::RECEIPT_KIND_UNSPECIFIED);
  EXPECT_EQ(RefusedField(request), "kind");
  request = Request();
  request.set_allocation_id(0);
  EXPECT_EQ(RefusedField(request), "allocation_id");
}

TEST(ReceiptsTest, TheFileNameIsFrenchWithTheSerialAndTheDate) {
  v1::Receipt r;
  r.set_kind(v1::RECEIPT_KIND_RETURN);
  r.set_device_serial("R52T 12/34é");
  ToTimestamp(1'780'000'000'000, r.mutable_created_at());
  EXPECT_EQ(ReceiptFileName(r),
            "bon-de-retour-R52T_12_34__-" + FormatDate(1'780'000'000'000) + ".pdf");
  r.set_kind(v1::RECEIPT_KIND_HANDOVER);
  r.set_device_serial("SN-1");
  EXPECT_EQ(ReceiptFileName(r, "png"),
            "bon-de-remise-SN-1-" + FormatDate(1'780'000'000'000) + ".png");
}

}  // namespace
}  // namespace parc::domain
