// TrainingService (modules, content upload, assignments, progress) and the
// content side of DeviceService, against the in-process parcd.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <random>

#include "common/crypto.h"
#include "parc/v1/training.grpc.pb.h"
#include "tests/integration/device_fixture.h"
#include "tests/support/small_disk.h"

namespace parc::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string RandomBytes(size_t size, uint32_t seed) {
  std::mt19937 random(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(random());
  return out;
}

class TrainingServiceTest : public DeviceTest {
 protected:
  TrainingServiceTest() : training_(v1::TrainingService::NewStub(server_.Channel())) {}

  // Streams `bytes` in `chunk`-sized pieces, declaring `sha256` and `size`
  // (the real ones when empty / negative).
  grpc::Status Upload(const std::string& bytes, v1::UploadContentResponse* out,
                      size_t chunk = 256 * 1024, std::string sha256 = "", int64_t size = -1,
                      const std::string& token = "") {
    auto ctx = As(token.empty() ? server_.admin_token() : token);
    auto writer = training_->UploadContent(ctx.get(), out);
    v1::UploadContentChunk first;
    first.set_sha256(sha256.empty() ? Sha256Hex(bytes) : sha256);
    first.set_size(size < 0 ? static_cast<int64_t>(bytes.size()) : size);
    first.set_file_name("gestes-de-base.pdf");
    bool open = true;
    size_t at = 0;
    do {
      v1::UploadContentChunk c = at == 0 ? first : v1::UploadContentChunk{};
      c.set_data(bytes.substr(at, chunk));
      at += chunk;
      open = writer->Write(c);  // false once parcd answered (already stored, or an error)
    } while (open && at < bytes.size());
    if (open) writer->WritesDone();
    return writer->Finish();
  }

  std::string Uploaded(const std::string& bytes) {
    v1::UploadContentResponse out;
    grpc::Status status = Upload(bytes, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.sha256();
  }

  // A published module holding `bytes` as its one item.
  void Publish(const std::string& code, const std::string& bytes) {
    const std::string sha = Uploaded(bytes);
    v1::CreateModuleRequest create;
    create.set_code(code);
    create.set_title("Utiliser sa messagerie");
    create.add_target_tiers("debutant");
    v1::Module module;
    ASSERT_TRUE(training_->CreateModule(Admin().get(), create, &module).ok());
    v1::AddModuleItemsRequest add;
    add.set_code(code);
    add.add_items()->set_file_name("gestes-de-base.pdf");
    add.mutable_items(0)->set_sha256(sha);
    grpc::Status added = training_->AddModuleItems(Admin().get(), add, &module);
    ASSERT_TRUE(added.ok()) << added.error_message();
    EXPECT_EQ(module.items(0).kind(), v1::CONTENT_KIND_PDF);
    v1::ModuleRef ref;
    ref.set_code(code);
    grpc::Status published = training_->PublishModule(Admin().get(), ref, &module);
    ASSERT_TRUE(published.ok()) << published.error_message();
    EXPECT_EQ(module.state(), v1::MODULE_STATE_PUBLISHED);
  }

  grpc::Status AssignToTier(const std::string& code, const std::string& tier,
                            v1::ModuleAssignment* out = nullptr) {
    v1::AssignModuleRequest req;
    req.set_module_code(code);
    req.set_skill_tier(tier);
    req.set_due_date("2026-06-30");
    v1::ModuleAssignment ignored;
    return training_->AssignModule(Admin().get(), req, out ? out : &ignored);
  }

  // An enrolled tablet given to `employee` (a new agent of PROPRETE).
  std::string TabletOf(const std::string& employee, const std::string& serial) {
    AddAgent(employee, "PROPRETE");
    std::string credential = Enrolled(serial);
    grpc::Status assigned = Assign(serial, employee);
    EXPECT_TRUE(assigned.ok()) << assigned.error_message();
    return credential;
  }

  uint64_t Revision(const std::string& credential) {
    v1::CheckInResponse out;
    grpc::Status status = CheckIn(credential, {StatusReport(++sequence_)}, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.content_revision();
  }

  grpc::Status Fetch(const std::string& credential, const std::string& sha, int64_t offset,
                     std::string* bytes, int64_t* first_offset = nullptr) {
    v1::FetchContentRequest req;
    req.set_sha256(sha);
    req.set_offset(offset);
    auto ctx = As(credential);
    auto reader = device_->FetchContent(ctx.get(), req);
    v1::ContentChunk chunk;
    bool first = true;
    while (reader->Read(&chunk)) {
      if (first && first_offset) *first_offset = chunk.offset();
      first = false;
      EXPECT_LE(chunk.data().size(), 1024u * 1024u);
      bytes->append(chunk.data());
    }
    return reader->Finish();
  }

  std::vector<std::filesystem::path> StoredFiles() {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (auto& e : std::filesystem::recursive_directory_iterator(server_.dir() / "content", ec)) {
      if (e.is_regular_file()) out.push_back(e.path());
    }
    return out;
  }

  std::unique_ptr<v1::TrainingService::Stub> training_;
  uint64_t sequence_ = 0;
};

TEST_F(TrainingServiceTest, UploadStoresChunkedContentOnceUnderItsHash) {
  const std::string bytes = RandomBytes(3 * 1024 * 1024 + 17, 1);
  v1::UploadContentResponse out;
  grpc::Status status = Upload(bytes, &out, 256 * 1024);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.sha256(), Sha256Hex(bytes));
  EXPECT_EQ(out.size(), static_cast<int64_t>(bytes.size()));
  EXPECT_FALSE(out.already_present());
  const auto path = server_.dir() / "content" / out.sha256().substr(0, 2) / out.sha256();
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(std::filesystem::file_size(path), bytes.size());
  EXPECT_EQ(Audit("content:" + out.sha256()).size(), 1u);

  v1::UploadContentResponse again;
  status = Upload(bytes, &again, 64 * 1024);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(again.already_present());
  EXPECT_EQ(StoredFiles().size(), 1u);  // deduplicated, no temporary left
}

TEST_F(TrainingServiceTest, AWrongHashOrSizeIsRefusedAndNothingIsKept) {
  const std::string bytes = RandomBytes(600 * 1024, 2);
  v1::UploadContentResponse out;
  grpc::Status bad_hash = Upload(bytes, &out, 100 * 1024, Sha256Hex("something else"));
  EXPECT_EQ(bad_hash.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_hash.error_message(), HasSubstr("sha256"));
  grpc::Status short_size =
      Upload(bytes, &out, 100 * 1024, "", static_cast<int64_t>(bytes.size()) - 1);
  EXPECT_EQ(short_size.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(short_size.error_message(), HasSubstr("size"));
  grpc::Status long_size =
      Upload(bytes, &out, 100 * 1024, "", static_cast<int64_t>(bytes.size()) + 1);
  EXPECT_EQ(long_size.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(long_size.error_message(), HasSubstr("size"));
  grpc::Status too_big = Upload(bytes, &out, 100 * 1024, "", int64_t{3} << 30);
  EXPECT_EQ(too_big.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(too_big.error_message(), HasSubstr("size"));
  grpc::Status not_hex = Upload(bytes, &out, 100 * 1024, "ABC");
  EXPECT_EQ(not_hex.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(StoredFiles(), IsEmpty());
}

// A full content disk (issue 18): the upload is refused with
// RESOURCE_EXHAUSTED and nothing of it is kept; parcd keeps serving devices,
// and a file that fits is stored.
TEST_F(TrainingServiceTest, AFullContentDiskRefusesTheUploadAndParcdKeepsServing) {
  SmallDisk disk(server_.dir() / "content", 512 * 1024);
  if (!disk.mounted()) GTEST_SKIP() << disk.why_not();
  const std::string video = RandomBytes(1024 * 1024, 7);
  v1::UploadContentResponse out;
  grpc::Status full = Upload(video, &out, 100 * 1024);
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(full.error_message(), HasSubstr("free space there, then send it again"));
  EXPECT_THAT(StoredFiles(), IsEmpty());

  const std::string credential = Enrolled("SN-DISK-1");
  v1::CheckInResponse checked;
  grpc::Status checkin = CheckIn(credential, {StatusReport(++sequence_)}, &checked);
  EXPECT_TRUE(checkin.ok()) << checkin.error_message();
  const std::string sheet = RandomBytes(64 * 1024, 8);
  EXPECT_EQ(Uploaded(sheet), Sha256Hex(sheet));
  EXPECT_EQ(StoredFiles().size(), 1u);
}

TEST_F(TrainingServiceTest, UploadNeedsAWriter) {
  v1::UploadContentResponse out;
  std::string auditor = server_.TokenFor("ugo", v1::ROLE_AUDITOR);
  EXPECT_EQ(Upload("abc", &out, 1024, "", -1, auditor).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Upload("abc", &out, 1024, "", -1, "parc_nope").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TrainingServiceTest, ATierAssignmentReachesTheDeviceOfThatPersonAndItsBytesMatch) {
  const std::string bytes = RandomBytes(2 * 1024 * 1024 + 12345, 3);
  std::string credential = TabletOf("E100", "TAB-100");
  std::string other = TabletOf("E200", "TAB-200");
  Tier("E100", "debutant");
  Tier("E200", "autonome");
  Publish("MESSAGERIE", bytes);
  const uint64_t before = Revision(credential);
  EXPECT_EQ(before, 0u);
  ASSERT_TRUE(AssignToTier("MESSAGERIE", "debutant").ok());
  const uint64_t after = Revision(credential);
  EXPECT_NE(after, before);
  EXPECT_EQ(Revision(credential), after);  // stable while nothing changes
  EXPECT_EQ(Revision(other), 0u);          // another tier

  v1::ListAssignedContentResponse list;
  ASSERT_TRUE(device_->ListAssignedContent(As(credential).get(), {}, &list).ok());
  EXPECT_EQ(list.revision(), after);
  ASSERT_EQ(list.modules_size(), 1);
  const v1::AssignedModule& m = list.modules(0);
  EXPECT_EQ(m.code(), "MESSAGERIE");
  EXPECT_EQ(m.version(), 1);
  ASSERT_EQ(m.items_size(), 1);
  EXPECT_EQ(m.items(0).sha256(), Sha256Hex(bytes));
  EXPECT_EQ(m.items(0).size(), static_cast<int64_t>(bytes.size()));
  ASSERT_EQ(m.people_size(), 1);
  EXPECT_EQ(m.people(0).employee_number(), "E100");
  EXPECT_EQ(m.people(0).due_date(), "2026-06-30");

  std::string whole;
  ASSERT_TRUE(Fetch(credential, m.items(0).sha256(), 0, &whole).ok());
  EXPECT_EQ(Sha256Hex(whole), m.items(0).sha256());
}

TEST_F(TrainingServiceTest, ASharedPcCarriesTheModulesOfWhoLoggedInFromTheNextCheckIn) {
  AddAgent("E100", "PROPRETE");
  std::string pc = Enrolled("PC-1");
  Publish("MESSAGERIE", "contenu");
  v1::AssignModuleRequest req;
  req.set_module_code("MESSAGERIE");
  req.set_employee_number("E100");
  v1::ModuleAssignment out;
  ASSERT_TRUE(training_->AssignModule(Admin().get(), req, &out).ok());
  EXPECT_EQ(Revision(pc), 0u);
  // The login travels in a check-in; its reply was computed before it was
  // stored, the next one carries the new set.
  ASSERT_TRUE(CheckIn(pc, {UsageReport(++sequence_, "E100", true)}).ok());
  const uint64_t with_e100 = Revision(pc);
  EXPECT_NE(with_e100, 0u);
  ASSERT_TRUE(CheckIn(pc, {UsageReport(++sequence_, "E100", false)}).ok());
  EXPECT_EQ(Revision(pc), with_e100);  // used within the window: still served
  server_.clock().Advance(15LL * 24 * 3600 * 1000);
  EXPECT_EQ(Revision(pc), 0u);  // 15 days later, out of the 14-day window
}

TEST_F(TrainingServiceTest, FetchResumesFromAnyOffsetAndRefusesWhatIsNotAssigned) {
  const std::string bytes = RandomBytes(3 * 1024 * 1024 + 1, 4);
  std::string credential = TabletOf("E100", "TAB-100");
  Tier("E100", "debutant");
  Publish("MESSAGERIE", bytes);
  ASSERT_TRUE(AssignToTier("MESSAGERIE", "debutant").ok());
  const std::string sha = Sha256Hex(bytes);

  std::string tail;
  int64_t first_offset = -1;
  const int64_t offset = 1'234'567;
  ASSERT_TRUE(Fetch(credential, sha, offset, &tail, &first_offset).ok());
  EXPECT_EQ(first_offset, offset);
  EXPECT_EQ(tail, bytes.substr(offset));  // exactly the tail, not the whole

  std::string nothing;
  EXPECT_TRUE(Fetch(credential, sha, static_cast<int64_t>(bytes.size()), &nothing).ok());
  EXPECT_THAT(nothing, IsEmpty());
  grpc::Status beyond = Fetch(credential, sha, static_cast<int64_t>(bytes.size()) + 1, &nothing);
  EXPECT_EQ(beyond.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_THAT(beyond.error_message(), HasSubstr("offset"));

  const std::string unassigned = Uploaded("not for this device");
  grpc::Status denied = Fetch(credential, unassigned, 0, &nothing);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Fetch(credential, Sha256Hex("never uploaded"), 0, &nothing).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Fetch(credential, "zz", 0, &nothing).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fetch(server_.admin_token(), sha, 0, &nothing).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(TrainingServiceTest, ProgressSentTwiceIsCountedOnceAndShowsInTheList) {
  std::string credential = TabletOf("E100", "TAB-100");
  Tier("E100", "debutant");
  const std::string bytes = "contenu";
  Publish("MESSAGERIE", bytes);
  ASSERT_TRUE(AssignToTier("MESSAGERIE", "debutant").ok());
  v1::ReportProgressRequest req;
  auto add = [&](const std::string& id, v1::ProgressKind kind) {
    v1::ProgressEvent* e = req.add_events();
    e->set_id(id);
    e->set_employee_number("E100");
    e->set_module_code("MESSAGERIE");
    e->set_module_version(1);
    e->set_kind(kind);
    if (kind == v1::PROGRESS_KIND_ITEM_COMPLETED) e->set_item_sha256(Sha256Hex(bytes));
    if (kind == v1::PROGRESS_KIND_QUIZ_SCORE) e->set_score(72);
  };
  add("0b6f6a1e-1", v1::PROGRESS_KIND_OPENED);
  add("0b6f6a1e-2", v1::PROGRESS_KIND_ITEM_COMPLETED);
  add("0b6f6a1e-3", v1::PROGRESS_KIND_QUIZ_SCORE);
  add("0b6f6a1e-4", v1::PROGRESS_KIND_MODULE_COMPLETED);
  v1::ReportProgressResponse first, second;
  ASSERT_TRUE(device_->ReportProgress(As(credential).get(), req, &first).ok());
  EXPECT_EQ(first.accepted(), 4);
  EXPECT_EQ(first.duplicates(), 0);
  ASSERT_TRUE(device_->ReportProgress(As(credential).get(), req, &second).ok());
  EXPECT_EQ(second.accepted(), 0);
  EXPECT_EQ(second.duplicates(), 4);

  v1::ListProgressRequest list;
  list.set_employee_number("e100");
  v1::ListProgressResponse rows;
  ASSERT_TRUE(training_->ListProgress(Admin().get(), list, &rows).ok());
  ASSERT_EQ(rows.rows_size(), 1);
  EXPECT_EQ(rows.rows(0).items_completed(), 1);
  EXPECT_EQ(rows.rows(0).items_total(), 1);
  EXPECT_EQ(rows.rows(0).score(), 72);
  EXPECT_TRUE(rows.rows(0).has_completed_at());
  EXPECT_FALSE(rows.rows(0).overdue());

  req.mutable_events(0)->set_id("new");
  req.mutable_events(0)->set_employee_number("E999");
  grpc::Status unknown;
  v1::ReportProgressResponse ignored;
  unknown = device_->ReportProgress(As(credential).get(), req, &ignored);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(unknown.error_message(), HasSubstr("events[0].employee_number"));
}

TEST_F(TrainingServiceTest, ManagersSeeProgressOfTheirDepartmentsOnly) {
  TabletOf("E100", "TAB-100");  // PROPRETE
  AddAgent("E300", "ESPACES-VERTS");
  Publish("MESSAGERIE", "contenu");
  v1::AssignModuleRequest all;
  all.set_module_code("MESSAGERIE");
  all.set_wave("");
  v1::ModuleAssignment assignment;
  for (const char* department : {"PROPRETE", "ESPACES-VERTS"}) {
    all.set_department(department);
    ASSERT_TRUE(training_->AssignModule(Admin().get(), all, &assignment).ok());
  }
  std::string maud = server_.TokenFor("maud", v1::ROLE_MANAGER, {"ESPACES-VERTS"});
  v1::ListProgressResponse rows;
  ASSERT_TRUE(training_->ListProgress(As(maud).get(), {}, &rows).ok());
  ASSERT_EQ(rows.rows_size(), 1);
  EXPECT_EQ(rows.rows(0).employee_number(), "E300");
  v1::ListProgressRequest other;
  other.set_department("PROPRETE");
  EXPECT_EQ(training_->ListProgress(As(maud).get(), other, &rows).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListProgressResponse everyone;
  ASSERT_TRUE(training_->ListProgress(Admin().get(), {}, &everyone).ok());
  EXPECT_EQ(everyone.rows_size(), 2);
  v1::ListProgressRequest paged;
  paged.set_page_size(1);
  v1::ListProgressResponse page1, page2;
  ASSERT_TRUE(training_->ListProgress(Admin().get(), paged, &page1).ok());
  ASSERT_EQ(page1.rows_size(), 1);
  ASSERT_FALSE(page1.next_page_token().empty());
  paged.set_page_token(page1.next_page_token());
  ASSERT_TRUE(training_->ListProgress(Admin().get(), paged, &page2).ok());
  ASSERT_EQ(page2.rows_size(), 1);
  EXPECT_NE(page2.rows(0).employee_number(), page1.rows(0).employee_number());
  EXPECT_TRUE(page2.next_page_token().empty());
}

TEST_F(TrainingServiceTest, AssignmentsAreListedByPersonAndRemovable) {
  TabletOf("E100", "TAB-100");
  Tier("E100", "debutant");
  Publish("MESSAGERIE", "contenu");
  v1::ModuleAssignment tier;
  ASSERT_TRUE(AssignToTier("MESSAGERIE", "debutant", &tier).ok());
  EXPECT_EQ(AssignToTier("MESSAGERIE", "debutant").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  v1::ListAssignmentsRequest list;
  list.set_employee_number("E100");
  v1::ListAssignmentsResponse out;
  ASSERT_TRUE(training_->ListAssignments(Admin().get(), list, &out).ok());
  ASSERT_EQ(out.assignments_size(), 1);
  EXPECT_EQ(out.assignments(0).skill_tier(), "debutant");
  v1::RemoveAssignmentRequest remove;
  remove.set_id(tier.id());
  v1::RemoveAssignmentResponse removed;
  ASSERT_TRUE(training_->RemoveAssignment(Admin().get(), remove, &removed).ok());
  EXPECT_EQ(training_->RemoveAssignment(Admin().get(), remove, &removed).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(training_->ListAssignments(Admin().get(), list, &out).ok());
  EXPECT_EQ(out.assignments_size(), 0);
  EXPECT_GE(Audit("module:MESSAGERIE").size(), 5u);  // create, add, publish, assign, unassign
}

}  // namespace
}  // namespace parc::testing
