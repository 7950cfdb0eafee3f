// Signed receipts of allocations (bon de remise / bon de retour). Reached
// through Reader::receipts() / Writer::receipts_writer(); lives, like them,
// only inside a Store::Read / Store::Write callback and is not thread-safe.
// The files themselves are on disk by SHA-256 (content/content_files.h); the
// store keeps which receipt refers to which hashes. No match is std::nullopt
// or an empty vector; errors mean storage failed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "parc/v1/allocation.pb.h"

namespace parc::store {

// Receipts of one device or of one allocation (0: any), newest first. The
// derived fields (serial, asset tag, employee number, name) come from the
// allocation; file_name is left to the domain.
struct ReceiptFilter {
  int64_t device_id = 0;
  int64_t allocation_id = 0;
  int limit = 200;
};

class ReceiptsReader {
 public:
  virtual ~ReceiptsReader() = default;

  virtual Expected<std::vector<v1::Receipt>> ListReceipts(const ReceiptFilter& filter) = 0;
  // A receipt whose signature or PDF has this SHA-256 (the oldest one).
  virtual Expected<std::optional<v1::Receipt>> FindReceiptByFile(std::string_view sha256) = 0;
  // Every file hash some receipt names (signatures and PDFs), each once, in
  // no particular order: what the receipts directory must keep.
  virtual Expected<std::vector<std::string>> ListReceiptHashes() = 0;
};

class ReceiptsWriter : public ReceiptsReader {
 public:
  // Stores allocation_id, kind, the hashes and sizes, created_at and
  // created_by as given. ALREADY_EXISTS naming `kind` when the allocation
  // already has a receipt of that kind.
  virtual Expected<int64_t> InsertReceipt(const v1::Receipt& receipt) = 0;
};

}  // namespace parc::store
