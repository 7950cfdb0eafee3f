// Signed receipts of hand-overs and returns (issue 15) over the real gRPC
// server and SQLite: stored by SHA-256 beside the allocation, read back by
// hash, audited, refused (with nothing written) for the wrong role, the wrong
// size, the wrong file or the wrong allocation.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/crypto.h"
#include "common/time.h"
#include "daemon/content/content_gc.h"
#include "daemon/store/sqlite/sqlite_store.h"
#include "parc/v1/admin.grpc.pb.h"
#include "tests/integration/service_fixture.h"
#include "tests/support/small_disk.h"

namespace parc::testing {
namespace {

using grpc::StatusCode;
namespace fs = std::filesystem;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "a finger's signature";
const std::string kPdf = "%PDF-1.7\nBon de remise SN-1\n%%EOF\n";

class ReceiptServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    AddAgent("E1", "ESPACES-VERTS");
    AddDevice("SN-1", "RM-TAB-1");
    ASSERT_TRUE(Assign("RM-TAB-1", "E1", "", &handed_).ok());
    logistics_ = server_.TokenFor("lea", v1::ROLE_LOGISTICS);
  }

  grpc::Status Store(const std::string& token, v1::ReceiptKind kind, std::string png,
                     std::string pdf, v1::Receipt* out, int64_t allocation_id = 0) {
    v1::StoreReceiptRequest request;
    request.set_allocation_id(allocation_id ? allocation_id : handed_.id());
    request.set_kind(kind);
    request.set_signature_png(std::move(png));
    request.set_pdf(std::move(pdf));
    return allocation_->StoreReceipt(As(token).get(), request, out);
  }
  grpc::Status Store(v1::ReceiptKind kind = v1::RECEIPT_KIND_HANDOVER, std::string png = kPng,
                     std::string pdf = kPdf) {
    v1::Receipt ignored;
    return Store(logistics_, kind, std::move(png), std::move(pdf), &ignored);
  }

  grpc::Status File(const std::string& sha256, v1::ReceiptFile* out) {
    v1::GetReceiptFileRequest request;
    request.set_sha256(sha256);
    return allocation_->GetReceiptFile(As(logistics_).get(), request, out);
  }

  std::vector<v1::Receipt> Receipts() {
    v1::ListReceiptsRequest request;
    request.set_device("RM-TAB-1");
    v1::ListReceiptsResponse out;
    grpc::Status status = allocation_->ListReceipts(As(logistics_).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {out.receipts().begin(), out.receipts().end()};
  }

  // Every file under the receipts directory, temporary ones included.
  int FilesOnDisk() {
    int n = 0;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(server_.dir() / "receipts", ec)) {
      n += e.is_regular_file();
    }
    return n;
  }

  int ReceiptAudits() {
    int n = 0;
    for (const auto& e : Audit("device:SN-1")) n += e.action() == "receipt.store";
    return n;
  }

  void ExpectNothingWritten() {
    EXPECT_TRUE(Receipts().empty());
    EXPECT_EQ(FilesOnDisk(), 0);
    EXPECT_EQ(ReceiptAudits(), 0);
  }

  v1::Allocation handed_;  // RM-TAB-1 to E1, in SetUp
  std::string logistics_;
};

TEST_F(ReceiptServiceTest, StoresAHandoverReceiptAndReadsBothFilesBackByHash) {
  v1::Receipt stored;
  grpc::Status status = Store(logistics_, v1::RECEIPT_KIND_HANDOVER, kPng, kPdf, &stored);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(stored.id(), 0);
  EXPECT_EQ(stored.allocation_id(), handed_.id());
  EXPECT_EQ(stored.device_serial(), "SN-1");
  EXPECT_EQ(stored.employee_number(), "E1");
  EXPECT_EQ(stored.agent_name(), "Hélène Le Goff");
  EXPECT_EQ(stored.signature_sha256(), Sha256Hex(kPng));
  EXPECT_EQ(stored.pdf_sha256(), Sha256Hex(kPdf));
  EXPECT_EQ(stored.pdf_size(), static_cast<int64_t>(kPdf.size()));
  EXPECT_EQ(stored.created_by(), "lea");
  const std::string name = "bon-de-remise-SN-1-" + FormatDate(server_.clock().NowMs()) + ".pdf";
  EXPECT_EQ(stored.file_name(), name);

  v1::ReceiptFile pdf;
  ASSERT_TRUE(File(stored.pdf_sha256(), &pdf).ok());
  EXPECT_EQ(pdf.data(), kPdf);
  EXPECT_EQ(pdf.content_type(), "application/pdf");
  EXPECT_EQ(pdf.file_name(), name);
  v1::ReceiptFile png;
  ASSERT_TRUE(File(stored.signature_sha256(), &png).ok());
  EXPECT_EQ(png.data(), kPng);
  EXPECT_EQ(png.content_type(), "image/png");

  // Content-addressed like training files: <root>/<2 hex>/<sha256>, nothing left in tmp.
  const fs::path root = server_.dir() / "receipts";
  EXPECT_TRUE(fs::exists(root / stored.pdf_sha256().substr(0, 2) / stored.pdf_sha256()));
  EXPECT_TRUE(
      fs::exists(root / stored.signature_sha256().substr(0, 2) / stored.signature_sha256()));
  EXPECT_EQ(FilesOnDisk(), 2);

  auto listed = Receipts();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id(), stored.id());
  EXPECT_EQ(listed[0].file_name(), name);

  auto events = Audit("device:SN-1");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].action(), "receipt.store");
  EXPECT_EQ(events[0].actor(), "lea");
  EXPECT_NE(events[0].summary().find(stored.pdf_sha256()), std::string::npos)
      << events[0].summary();
}

TEST_F(ReceiptServiceTest, ManagersAndAdvisorsAreRefusedAndNothingIsWritten) {
  for (const std::string& token :
       {server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"}),
        server_.TokenFor("victor", v1::ROLE_ADVISOR), server_.TokenFor("ugo", v1::ROLE_AUDITOR)}) {
    v1::Receipt out;
    EXPECT_EQ(Store(token, v1::RECEIPT_KIND_HANDOVER, kPng, kPdf, &out).error_code(),
              StatusCode::PERMISSION_DENIED);
  }
  ExpectNothingWritten();
}

TEST_F(ReceiptServiceTest, RefusesFilesTooLargeOrOfTheWrongKindNamingTheField) {
  const std::string big_png = kPng + std::string(512 * 1024, 'x');
  const std::string big_pdf = kPdf + std::string(2 * 1024 * 1024, 'x');
  struct Case {
    std::string png, pdf, field;
  } cases[] = {
      {big_png, kPdf, "signature_png: "},  {kPng, big_pdf, "pdf: "},  {"", kPdf, "signature_png: "},
      {"GIF89a", kPdf, "signature_png: "}, {kPng, "<html>", "pdf: "}, {kPng, "", "pdf: "},
  };
  for (const Case& c : cases) {
    grpc::Status status = Store(v1::RECEIPT_KIND_HANDOVER, c.png, c.pdf);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_TRUE(status.error_message().starts_with(c.field)) << status.error_message();
  }
  ExpectNothingWritten();
}

// A full receipts disk (issue 18): RESOURCE_EXHAUSTED, and neither a file, a
// row nor an audit event; once the receipt fits, it is stored.
TEST_F(ReceiptServiceTest, AFullDiskIsResourceExhaustedAndNothingIsWritten) {
  SmallDisk disk(server_.dir() / "receipts", 16 * 1024);
  if (!disk.mounted()) GTEST_SKIP() << disk.why_not();
  grpc::Status full = Store(v1::RECEIPT_KIND_HANDOVER, kPng, kPdf + std::string(64 * 1024, ' '));
  EXPECT_EQ(full.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(full.error_message().find("free space there"), std::string::npos)
      << full.error_message();
  ExpectNothingWritten();
  grpc::Status fits = Store();
  EXPECT_TRUE(fits.ok()) << fits.error_message();
  EXPECT_EQ(Receipts().size(), 1u);
}

TEST_F(ReceiptServiceTest, RefusesAReceiptForAnUnknownAllocation) {
  v1::Receipt out;
  grpc::Status status = Store(logistics_, v1::RECEIPT_KIND_HANDOVER, kPng, kPdf, &out, 999);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND);
  EXPECT_TRUE(status.error_message().starts_with("allocation_id: ")) << status.error_message();
  ExpectNothingWritten();
}

TEST_F(ReceiptServiceTest, AReturnReceiptComesOnceTheDeviceIsBackAndOnlyOnce) {
  grpc::Status open = Store(v1::RECEIPT_KIND_RETURN);
  EXPECT_EQ(open.error_code(), StatusCode::FAILED_PRECONDITION) << open.error_message();
  ASSERT_TRUE(Store(v1::RECEIPT_KIND_HANDOVER).ok());
  ASSERT_TRUE(Return("RM-TAB-1", v1::LIFECYCLE_IN_REPAIR, "écran fissuré").ok());
  v1::Receipt back;
  const std::string pdf = "%PDF-1.7\nBon de retour SN-1\n";
  ASSERT_TRUE(Store(logistics_, v1::RECEIPT_KIND_RETURN, kPng, pdf, &back).ok());
  EXPECT_TRUE(back.file_name().starts_with("bon-de-retour-SN-1-")) << back.file_name();
  // The same signature image twice is stored once.
  EXPECT_EQ(FilesOnDisk(), 3);

  grpc::Status again = Store(v1::RECEIPT_KIND_RETURN, kPng, pdf);
  EXPECT_EQ(again.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_TRUE(again.error_message().starts_with("kind: ")) << again.error_message();
  auto listed = Receipts();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].kind(), v1::RECEIPT_KIND_RETURN);  // newest first
  EXPECT_EQ(ReceiptAudits(), 2);
}

TEST_F(ReceiptServiceTest, NobodySignsForASitePool) {
  AddDevice("SN-PC", "RM-PC-1", v1::DEVICE_KIND_SHARED_PC);
  // CTM-NORD exists: AddAgent named it.
  v1::AssignRequest request;
  request.set_device("SN-PC");
  request.set_site("CTM-NORD");
  v1::Allocation pooled;
  ASSERT_TRUE(allocation_->Assign(Admin().get(), request, &pooled).ok());
  v1::Receipt out;
  grpc::Status status = Store(logistics_, v1::RECEIPT_KIND_HANDOVER, kPng, kPdf, &out, pooled.id());
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION) << status.error_message();
}

TEST_F(ReceiptServiceTest, FilesAreServedOnlyForAReceiptsHash) {
  v1::ReceiptFile out;
  EXPECT_EQ(File(Sha256Hex("anything"), &out).error_code(), StatusCode::NOT_FOUND);
  grpc::Status bad = File("../../etc/passwd", &out);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(bad.error_message().starts_with("sha256: ")) << bad.error_message();
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// AdminService.Backup carries the receipts' files beside the database copy,
// in the same layout, so a restored database finds every receipt it names.
TEST_F(ReceiptServiceTest, ABackupHoldsTheReceiptFilesBesideTheDatabase) {
  v1::Receipt stored;
  ASSERT_TRUE(Store(logistics_, v1::RECEIPT_KIND_HANDOVER, kPng, kPdf, &stored).ok());
  auto admin = v1::AdminService::NewStub(server_.Channel());
  v1::BackupResponse backup;
  grpc::Status status = admin->Backup(Admin().get(), {}, &backup);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(backup.path().ends_with(".db")) << backup.path();
  EXPECT_EQ(backup.receipts_path(),
            backup.path().substr(0, backup.path().size() - 3) + ".receipts");
  EXPECT_EQ(backup.receipt_files(), 2);
  const fs::path copy = backup.receipts_path();
  EXPECT_EQ(Slurp(copy / stored.pdf_sha256().substr(0, 2) / stored.pdf_sha256()), kPdf);
  EXPECT_EQ(Slurp(copy / stored.signature_sha256().substr(0, 2) / stored.signature_sha256()), kPng);
  EXPECT_FALSE(fs::exists(copy / "tmp"));
  auto events = Audit("backup:" + backup.path());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].summary().find("2 receipt files"), std::string::npos) << events[0].summary();
}

// A crash between StoreReceipt's rename and its commit leaves files no
// receipt names: the collector removes them once past the grace period, and
// never a file a receipt names, however old.
TEST_F(ReceiptServiceTest, FilesNoReceiptNamesAreCollectedOnceOld) {
  v1::Receipt stored;
  ASSERT_TRUE(Store(logistics_, v1::RECEIPT_KIND_HANDOVER, kPng, kPdf, &stored).ok());
  const fs::path root = server_.dir() / "receipts";
  content::ContentFiles files(root, 1 << 20);
  auto put = [&](const std::string& data) {
    const fs::path path = files.PathOf(Sha256Hex(data));
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << data;
    return path;
  };
  const fs::path orphan = put("%PDF-1.7 a bon whose commit never happened");
  const fs::path fresh = put("%PDF-1.7 another replica, between rename and commit");
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(48);
  fs::last_write_time(orphan, old);
  for (const std::string& hash : {stored.pdf_sha256(), stored.signature_sha256()}) {
    fs::last_write_time(files.PathOf(hash), old);
  }
  auto store = store::sqlite::Open({.path = (server_.dir() / "parc.db").string()});
  ASSERT_TRUE(store) << store.error().message;

  auto removed = content::CollectReceiptOrphans(**store, files, 24 * 3600 * 1000);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, 1);
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_TRUE(fs::exists(fresh)) << "within the grace period";
  v1::ReceiptFile pdf;
  ASSERT_TRUE(File(stored.pdf_sha256(), &pdf).ok());
  EXPECT_EQ(pdf.data(), kPdf);
  v1::ReceiptFile png;
  ASSERT_TRUE(File(stored.signature_sha256(), &png).ok());
}

}  // namespace
}  // namespace parc::testing
