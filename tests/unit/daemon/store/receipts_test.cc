// Signed receipts (store/receipts.h): one of each kind per allocation, found
// by either file's hash, listed newest first, and history the schema keeps.
#include "daemon/store/receipts.h"

#include "tests/unit/daemon/store/store_test.h"

namespace parc::store::testing {
namespace {

v1::Receipt MakeReceipt(int64_t allocation_id, v1::ReceiptKind kind, const std::string& pdf) {
  v1::Receipt r;
  r.set_allocation_id(allocation_id);
  r.set_kind(kind);
  r.set_signature_sha256(std::string(64, 'a'));
  r.set_signature_size(10);
  r.set_pdf_sha256(pdf);
  r.set_pdf_size(20);
  SetTime(r.mutable_created_at(), kNowMs);
  r.set_created_by("lea");
  return r;
}

// Inserts `receipt` with an audit event, as the domain does.
Expected<int64_t> Insert(Store& store, const v1::Receipt& receipt) {
  int64_t id = 0;
  Status written = store.Write([&](Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(id, w.receipts_writer().InsertReceipt(receipt));
    return Discard(w.AppendAudit(MakeEvent("lea", "receipt.store", "device:SN1")));
  });
  if (!written) return std::unexpected(written.error());
  return id;
}

// E1 holds SN1: the allocation id, and the device's in `device`.
#define PARC_RECEIPT_FIXTURE                              \
  Add(MakeAgent("E1"));                                   \
  const int64_t device = Add(MakeDevice("SN1", "VDR-1")); \
  const int64_t allocation = Add(MakePersonal(device, "E1"))

TEST_P(StoreTest, ReceiptsComeOneOfEachKindPerAllocationNewestFirst) {
  PARC_RECEIPT_FIXTURE;
  const std::string pdf1(64, '1'), pdf2(64, '2');
  ASSERT_TRUE(Insert(store(), MakeReceipt(allocation, v1::RECEIPT_KIND_HANDOVER, pdf1)));
  ASSERT_TRUE(Insert(store(), MakeReceipt(allocation, v1::RECEIPT_KIND_RETURN, pdf2)));
  auto again = Insert(store(), MakeReceipt(allocation, v1::RECEIPT_KIND_RETURN, pdf2));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);

  auto listed = Get<std::vector<v1::Receipt>>(
      store(), [&](Reader& r) { return r.receipts().ListReceipts({.device_id = device}); });
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].kind(), v1::RECEIPT_KIND_RETURN);
  EXPECT_EQ(listed[1].pdf_sha256(), pdf1);
  EXPECT_EQ(listed[1].device_serial(), "SN1");
  EXPECT_EQ(listed[1].device_asset_tag(), "VDR-1");
  EXPECT_EQ(listed[1].employee_number(), "E1");
  EXPECT_EQ(listed[1].agent_name(), "Anne Le Goff");
  EXPECT_EQ(listed[1].created_by(), "lea");
  EXPECT_EQ(listed[1].created_at().seconds(), kNowMs / 1000);

  auto other = Get<std::vector<v1::Receipt>>(
      store(), [&](Reader& r) { return r.receipts().ListReceipts({.device_id = device + 1}); });
  EXPECT_TRUE(other.empty());
}

TEST_P(StoreTest, AReceiptIsFoundByTheHashOfEitherFile) {
  PARC_RECEIPT_FIXTURE;
  const std::string pdf(64, 'p');
  auto id = Insert(store(), MakeReceipt(allocation, v1::RECEIPT_KIND_HANDOVER, pdf));
  ASSERT_TRUE(id);
  for (const std::string& hash : {pdf, std::string(64, 'a')}) {
    auto found = Get<std::optional<v1::Receipt>>(
        store(), [&](Reader& r) { return r.receipts().FindReceiptByFile(hash); });
    ASSERT_TRUE(found) << hash;
    EXPECT_EQ(found->id(), *id);
  }
  auto none = Get<std::optional<v1::Receipt>>(
      store(), [&](Reader& r) { return r.receipts().FindReceiptByFile(std::string(64, 'z')); });
  EXPECT_FALSE(none);
}

TEST_P(StoreTest, AReceiptIsAChangeThatNeedsItsAuditEvent) {
  PARC_RECEIPT_FIXTURE;
  Status unaudited = store().Write([&](Writer& w) -> Status {
    return Discard(w.receipts_writer().InsertReceipt(
        MakeReceipt(allocation, v1::RECEIPT_KIND_HANDOVER, std::string(64, 'u'))));
  });
  ASSERT_FALSE(unaudited);
  EXPECT_EQ(unaudited.error().code, ErrorCode::kInternal);
  EXPECT_EQ(*QueryInt("SELECT COUNT(*) FROM allocation_receipts"), 0);
}

TEST_P(StoreTest, ReceiptsAreHistoryTheSchemaKeeps) {
  PARC_RECEIPT_FIXTURE;
  ASSERT_TRUE(
      Insert(store(), MakeReceipt(allocation, v1::RECEIPT_KIND_HANDOVER, std::string(64, 'h'))));
  EXPECT_FALSE(ExecRaw("UPDATE allocation_receipts SET pdf_sha256 = 'x'"));
  EXPECT_FALSE(ExecRaw("DELETE FROM allocation_receipts"));
  EXPECT_FALSE(
      ExecRaw("INSERT INTO allocation_receipts (allocation_id, kind, signature_sha256,"
              " signature_size, pdf_sha256, pdf_size, created_at)"
              " VALUES (999, 1, 'a', 1, 'b', 1, 0)"));  // no such allocation
  EXPECT_EQ(*QueryInt("SELECT COUNT(*) FROM allocation_receipts"), 1);
}

#undef PARC_RECEIPT_FIXTURE

}  // namespace
}  // namespace parc::store::testing
