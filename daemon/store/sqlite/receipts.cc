// Signed receipts of allocations (store/receipts.h).
#include "daemon/store/receipts.h"

#include <string>

#include "daemon/store/sqlite/queries.h"

namespace parc::store::sqlite::queries {

namespace {

constexpr std::string_view kSelectReceipt =
    "SELECT r.id, r.allocation_id, r.kind, d.serial, d.asset_tag,"
    " COALESCE(g.employee_number, ''), COALESCE(TRIM(g.first_name || ' ' || g.last_name), ''),"
    " r.signature_sha256, r.signature_size, r.pdf_sha256, r.pdf_size, r.created_at, r.created_by"
    " FROM allocation_receipts r"
    " JOIN allocations a ON a.id = r.allocation_id"
    " JOIN devices d ON d.id = a.device_id"
    " LEFT JOIN agents g ON g.id = a.agent_id";

v1::Receipt ReceiptRow(const Statement& st) {
  v1::Receipt r;
  r.set_id(st.Int(0));
  r.set_allocation_id(st.Int(1));
  r.set_kind(static_cast<v1::ReceiptKind>(st.Int(2)));
  r.set_device_serial(st.Text(3));
  r.set_device_asset_tag(st.Text(4));
  r.set_employee_number(st.Text(5));
  r.set_agent_name(st.Text(6));
  r.set_signature_sha256(st.Text(7));
  r.set_signature_size(st.Int(8));
  r.set_pdf_sha256(st.Text(9));
  r.set_pdf_size(st.Int(10));
  ToTimestamp(st.Int(11), r.mutable_created_at());
  r.set_created_by(st.Text(12));
  return r;
}

// Implements every ReceiptsReader method for Base = ReceiptsReader or ReceiptsWriter.
template <typename Base>
class ReceiptsReaderOn : public Base {
 public:
  explicit ReceiptsReaderOn(Connection& db) : db_(db) {}

  Expected<std::vector<v1::Receipt>> ListReceipts(const ReceiptFilter& filter) override {
    Where where;
    if (filter.device_id != 0) where.Add("a.device_id = ?", {filter.device_id});
    if (filter.allocation_id != 0) where.Add("r.allocation_id = ?", {filter.allocation_id});
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        PrepareList(db_, kSelectReceipt, where, " ORDER BY r.id DESC", PageLimit(filter.limit)));
    return Collect(st, ReceiptRow);
  }

  Expected<std::optional<v1::Receipt>> FindReceiptByFile(std::string_view sha256) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare(std::string(kSelectReceipt) +
                    " WHERE r.id = (SELECT MIN(id) FROM (SELECT id FROM allocation_receipts"
                    " WHERE pdf_sha256 = ? UNION ALL SELECT id FROM allocation_receipts"
                    " WHERE signature_sha256 = ?))"));
    st.BindAll(sha256, sha256);
    return FirstRow(st, ReceiptRow);
  }

  Expected<std::vector<std::string>> ListReceiptHashes() override {
    PARC_ASSIGN_OR_RETURN(Statement st,
                          db_.Prepare("SELECT signature_sha256 FROM allocation_receipts"
                                      " UNION SELECT pdf_sha256 FROM allocation_receipts"));
    return Collect(st, [](const Statement& s) { return s.Text(0); });
  }

 protected:
  Connection& db_;
};

class SqlReceiptsReader final : public ReceiptsReaderOn<ReceiptsReader> {
 public:
  using ReceiptsReaderOn::ReceiptsReaderOn;
};

// Counts its changes in the SqlWriter's counter, for the audit check.
class SqlReceiptsWriter final : public ReceiptsReaderOn<ReceiptsWriter> {
 public:
  SqlReceiptsWriter(Connection& db, int& changes) : ReceiptsReaderOn(db), changes_(changes) {}

  Expected<int64_t> InsertReceipt(const v1::Receipt& r) override {
    PARC_ASSIGN_OR_RETURN(
        Statement st,
        db_.Prepare("INSERT INTO allocation_receipts (allocation_id, kind, signature_sha256,"
                    " signature_size, pdf_sha256, pdf_size, created_at, created_by)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    st.BindAll(r.allocation_id(), static_cast<int64_t>(r.kind()), r.signature_sha256(),
               r.signature_size(), r.pdf_sha256(), r.pdf_size(), FromTimestamp(r.created_at()),
               r.created_by());
    PARC_ASSIGN_OR_RETURN(int64_t id,
                          InsertRow(db_, st, {{"allocation_id", "a receipt of this kind"}}));
    ++changes_;
    return id;
  }

 private:
  int& changes_;
};

}  // namespace

std::unique_ptr<ReceiptsReader> NewReceiptsReader(Connection& db) {
  return std::make_unique<SqlReceiptsReader>(db);
}

std::unique_ptr<ReceiptsWriter> NewReceiptsWriter(Connection& db, int& changes) {
  return std::make_unique<SqlReceiptsWriter>(db, changes);
}

}  // namespace parc::store::sqlite::queries
