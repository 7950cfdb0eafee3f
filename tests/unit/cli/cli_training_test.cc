// parcctl modules ... and parcctl progress against a real in-process parcd:
// content really uploaded (several chunks), assignments, and the progress a
// device reports, read back through the command line.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "cli/progress_meter.h"
#include "cli/upload.h"
#include "cli_test_util.h"
#include "common/crypto.h"
#include "common/enrollment_url.h"
#include "parc/v1/device.grpc.pb.h"
#include "parc/v1/training.pb.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace parc::cli {
namespace {

using testing::CliResult;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// `size` bytes that do not compress or repeat (a fixed seed: the same each run).
std::string Bytes(size_t size, uint32_t seed) {
  std::mt19937 random(seed);
  std::string data(size, '\0');
  for (size_t i = 0; i < size; i += 4) {
    uint32_t word = random();
    std::memcpy(data.data() + i, &word, std::min<size_t>(4, size - i));
  }
  return data;
}

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

// PROPRETE: E000001, E000002; ESPACES-VERTS: E000003 (wave vague-2).
class CliTrainingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Ok({"sites", "add", "CTM-NORD", "--name", "Centre technique nord"});
    const std::vector<std::tuple<std::string, std::string, std::string>> agents = {
        {"E000001", "PROPRETE", "vague-1"},
        {"E000002", "PROPRETE", "vague-1"},
        {"E000003", "ESPACES-VERTS", "vague-2"}};
    for (const auto& [number, department, wave] : agents) {
      Ok({"agents", "add", number, "--first-name", "Hélène", "--last-name", "Dupré", "--department",
          department, "--site", "CTM-NORD", "--wave", wave, "--advisor", "m.martin"});
    }
  }

  CliResult Run(const std::vector<std::string>& args) {
    return testing::RunParcctl(
        args, {{"PARC_ADDR", server_.address()}, {"PARC_TOKEN", server_.admin_token()}});
  }
  std::string Ok(const std::vector<std::string>& args) {
    CliResult run = Run(args);
    EXPECT_EQ(run.code, 0) << run.err;
    return run.out;
  }
  std::string WriteFile(const std::string& name, const std::string& data) {
    auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << data;
    return path.string();
  }
  // A module with two items, published.
  void PublishedModule(const std::string& code) {
    Ok({"modules", "add", code, "--title", "Messagerie : les bases", "--tier", "debutant"});
    Ok({"modules", "add-item", code, WriteFile(code + "-1.pdf", Bytes(5000, 1)),
        WriteFile(code + "-2.mp4", Bytes(7000, 2))});
    Ok({"modules", "publish", code});
  }

  parc::testing::TestServer server_;
  parc::testing::TempDir dir_;
};

TEST_F(CliTrainingTest, AddListShowPublishArchive) {
  std::string added =
      Ok({"modules", "add", "MAIL-1", "--title", "Messagerie : les bases", "--description",
          "Envoyer un courriel", "--tier", "illectronisme,debutant", "--minutes", "45"});
  EXPECT_NE(added.find("draft"), std::string::npos) << added;
  EXPECT_NE(added.find("illectronisme,debutant"), std::string::npos) << added;
  EXPECT_NE(added.find("45 min"), std::string::npos) << added;

  std::string list = Ok({"modules", "list"});
  EXPECT_NE(list.find("MAIL-1"), std::string::npos) << list;
  EXPECT_NE(list.find("Messagerie : les bases"), std::string::npos) << list;
  auto drafts =
      FromJson<v1::ListModulesResponse>(Ok({"modules", "list", "--state", "draft", "--json"}));
  ASSERT_EQ(drafts.modules_size(), 1);
  EXPECT_EQ(drafts.modules(0).estimated_minutes(), 45);
  EXPECT_EQ(drafts.modules(0).target_tiers_size(), 2);

  Ok({"modules", "add-item", "MAIL-1", WriteFile("guide.pdf", Bytes(3000, 3))});
  EXPECT_NE(Ok({"modules", "publish", "MAIL-1"}).find("MAIL-1 version 1 is now published"),
            std::string::npos);
  auto published =
      FromJson<v1::ListModulesResponse>(Ok({"modules", "list", "--state", "published", "--json"}));
  ASSERT_EQ(published.modules_size(), 1);
  EXPECT_EQ(
      FromJson<v1::ListModulesResponse>(Ok({"modules", "list", "--tier", "autonome", "--json"}))
          .modules_size(),
      0);

  // A new version starts from the items of the first with --copy-items.
  Ok({"modules", "add", "MAIL-1", "--title", "Messagerie : les bases (v2)", "--copy-items"});
  auto v2 = FromJson<v1::Module>(Ok({"modules", "show", "MAIL-1", "--json"}));
  EXPECT_EQ(v2.version(), 2);
  EXPECT_EQ(v2.state(), v1::MODULE_STATE_DRAFT);
  EXPECT_EQ(v2.items_size(), 1);
  auto v1 = FromJson<v1::Module>(Ok({"modules", "show", "MAIL-1", "--version", "1", "--json"}));
  EXPECT_EQ(v1.state(), v1::MODULE_STATE_PUBLISHED);

  EXPECT_NE(Ok({"modules", "archive", "MAIL-1"}).find("archived"), std::string::npos);
  EXPECT_EQ(
      FromJson<v1::Module>(Ok({"modules", "show", "MAIL-1", "--version", "1", "--json"})).state(),
      v1::MODULE_STATE_ARCHIVED);
}

TEST_F(CliTrainingTest, AddItemUploadsInChunksAndShowPrintsSizeKindAndHash) {
  Ok({"modules", "add", "MAIL-1", "--title", "Messagerie"});
  // 2.5 MiB: three chunks of at most 1 MiB.
  std::string video = Bytes(2 * 1024 * 1024 + 512 * 1024, 7);
  std::string pdf = Bytes(1500, 8);
  std::string video_path = WriteFile("demo.MP4", video);
  std::string pdf_path = WriteFile("gestes-de-base.pdf", pdf);
  CliResult run = Run({"modules", "add-item", "MAIL-1", video_path, pdf_path, "--title",
                       "La vidéo de démonstration"});
  ASSERT_EQ(run.code, 0) << run.err;
  // Not a terminal: one plain line per file, no carriage returns.
  EXPECT_EQ(run.err.find('\r'), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("demo.MP4: 2.6 MB uploaded"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("gestes-de-base.pdf: 1.5 kB uploaded"), std::string::npos) << run.err;

  auto m = FromJson<v1::Module>(Ok({"modules", "show", "MAIL-1", "--json"}));
  ASSERT_EQ(m.items_size(), 2);
  EXPECT_EQ(m.items(0).title(), "La vidéo de démonstration");
  EXPECT_EQ(m.items(0).file_name(), "demo.MP4");
  EXPECT_EQ(m.items(0).kind(), v1::CONTENT_KIND_VIDEO);
  EXPECT_EQ(m.items(0).size(), static_cast<int64_t>(video.size()));
  EXPECT_EQ(m.items(0).sha256(), Sha256Hex(video));
  EXPECT_EQ(m.items(1).title(), "gestes-de-base");
  EXPECT_EQ(m.items(1).kind(), v1::CONTENT_KIND_PDF);
  EXPECT_EQ(m.items(1).sha256(), Sha256Hex(pdf));

  std::string show = Ok({"modules", "show", "MAIL-1"});
  EXPECT_NE(show.find("video"), std::string::npos) << show;
  EXPECT_NE(show.find("2.6 MB"), std::string::npos) << show;
  EXPECT_NE(show.find(Sha256Hex(video).substr(0, 12)), std::string::npos) << show;
  EXPECT_EQ(show.find(Sha256Hex(video)), std::string::npos) << "full hash in the table: " << show;
  EXPECT_NE(show.find("2 items, 2.6 MB"), std::string::npos) << show;

  // The same bytes again, to another module: stored once, said so.
  Ok({"modules", "add", "MAIL-2", "--title", "Messagerie 2"});
  CliResult again = Run({"modules", "add-item", "MAIL-2", video_path});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.err.find("demo.MP4: 2.6 MB already on the server"), std::string::npos)
      << again.err;
  auto m2 = FromJson<v1::Module>(Ok({"modules", "show", "MAIL-2", "--json"}));
  ASSERT_EQ(m2.items_size(), 1);
  EXPECT_EQ(m2.items(0).sha256(), Sha256Hex(video));
}

TEST_F(CliTrainingTest, UploadOnATerminalDrawsAProgressBar) {
  Ok({"modules", "add", "MAIL-1", "--title", "Messagerie"});
  std::string path = WriteFile("film.webm", Bytes(3 * 1024 * 1024, 9));
  std::ostringstream out, err;
  std::istringstream in;
  std::map<std::string, std::string> env = {{"PARC_ADDR", server_.address()},
                                            {"PARC_TOKEN", server_.admin_token()}};
  Io io{out, err, in,
        [&env](const std::string& name) -> std::optional<std::string> {
          auto it = env.find(name);
          if (it == env.end()) return std::nullopt;
          return it->second;
        },
        /*err_is_terminal=*/true};
  std::vector<std::string> args = {"modules", "add-item", "MAIL-1", path};
  ASSERT_EQ(Main(args, io), 0) << err.str();
  std::string text = err.str();
  EXPECT_NE(text.find("\rfilm.webm uploading ["), std::string::npos) << text;
  EXPECT_NE(text.find("100%"), std::string::npos) << text;
  EXPECT_NE(text.find("MB/s"), std::string::npos) << text;
  EXPECT_NE(text.find("film.webm: 3.1 MB uploaded"), std::string::npos) << text;
}

TEST_F(CliTrainingTest, AddItemNamesTheMissingFileAndSendsNothing) {
  Ok({"modules", "add", "MAIL-1", "--title", "Messagerie"});
  std::string present = WriteFile("present.pdf", Bytes(100, 1));
  std::string missing = (dir_.path() / "absent.pdf").string();
  CliResult run = Run({"modules", "add-item", "MAIL-1", present, missing});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("file not found: " + missing), std::string::npos) << run.err;
  EXPECT_EQ(FromJson<v1::Module>(Ok({"modules", "show", "MAIL-1", "--json"})).items_size(), 0);

  CliResult empty = Run({"modules", "add-item", "MAIL-1", WriteFile("empty.pdf", "")});
  EXPECT_EQ(empty.code, 1);
  EXPECT_NE(empty.err.find("empty.pdf is empty"), std::string::npos) << empty.err;
}

TEST_F(CliTrainingTest, UnknownModuleAndPublishedModuleAreClearErrors) {
  CliResult show = Run({"modules", "show", "NOPE"});
  EXPECT_EQ(show.code, 1);
  EXPECT_NE(show.err.find("not found"), std::string::npos) << show.err;
  EXPECT_NE(show.err.find("NOPE"), std::string::npos) << show.err;

  CliResult add = Run({"modules", "add-item", "NOPE", WriteFile("a.pdf", "%PDF-1.4")});
  EXPECT_EQ(add.code, 1);
  EXPECT_NE(add.err.find("NOPE"), std::string::npos) << add.err;

  PublishedModule("MAIL-1");
  CliResult late = Run({"modules", "add-item", "MAIL-1", WriteFile("b.pdf", "%PDF-1.4")});
  EXPECT_EQ(late.code, 1);
  EXPECT_NE(late.err.find("module MAIL-1 has no draft (version 1 is published)"), std::string::npos)
      << late.err;
}

TEST_F(CliTrainingTest, AssignListAndUnassign) {
  PublishedModule("MAIL-1");
  std::string to_dept =
      Ok({"modules", "assign", "MAIL-1", "--department", "PROPRETE", "--due", "30/06/2026"});
  EXPECT_NE(to_dept.find("MAIL-1 to department PROPRETE, due 2026-06-30"), std::string::npos)
      << to_dept;
  auto direct = FromJson<v1::ModuleAssignment>(
      Ok({"modules", "assign", "MAIL-1", "--agent", "E000003", "--json"}));
  EXPECT_EQ(direct.employee_number(), "E000003");
  Ok({"modules", "assign", "MAIL-1", "--wave", "vague-2"});
  Ok({"modules", "assign", "MAIL-1", "--tier", "debutant"});

  std::string list = Ok({"modules", "assignments", "--module", "MAIL-1"});
  EXPECT_NE(list.find("department PROPRETE"), std::string::npos) << list;
  EXPECT_NE(list.find("agent E000003"), std::string::npos) << list;
  EXPECT_NE(list.find("wave vague-2"), std::string::npos) << list;
  EXPECT_NE(list.find("tier debutant"), std::string::npos) << list;
  EXPECT_NE(list.find("2026-06-30"), std::string::npos) << list;
  // E000001 is reached through their department only.
  auto reaching = FromJson<v1::ListAssignmentsResponse>(
      Ok({"modules", "assignments", "--agent", "E000001", "--json"}));
  ASSERT_EQ(reaching.assignments_size(), 1);
  EXPECT_EQ(reaching.assignments(0).department(), "PROPRETE");

  EXPECT_EQ(Ok({"modules", "unassign", std::to_string(direct.id())}),
            "assignment #" + std::to_string(direct.id()) + " removed\n");
  auto left = FromJson<v1::ListAssignmentsResponse>(Ok({"modules", "assignments", "--json"}));
  EXPECT_EQ(left.assignments_size(), 3);
  CliResult again = Run({"modules", "unassign", std::to_string(direct.id())});
  EXPECT_EQ(again.code, 1) << again.out;
}

TEST_F(CliTrainingTest, AssignUsageErrorsNameTheProblem) {
  CliResult two = Run({"modules", "assign", "MAIL-1", "--agent", "E000001", "--wave", "vague-1"});
  EXPECT_EQ(two.code, 2);
  EXPECT_NE(two.err.find("exactly one of --agent, --department, --wave, --tier"), std::string::npos)
      << two.err;
  CliResult date =
      Run({"modules", "assign", "MAIL-1", "--agent", "E000001", "--due", "31/02/2026"});
  EXPECT_EQ(date.code, 2);
  EXPECT_NE(date.err.find("--due: '31/02/2026' is not a date"), std::string::npos) << date.err;
  CliResult unknown = Run({"modules", "assign", "NOPE", "--agent", "E000001"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("NOPE"), std::string::npos) << unknown.err;
}

// A device enrolled and lent to E000001 reports that E000001 opened the module,
// finished its first item and scored 80.
class CliProgressTest : public CliTrainingTest {
 protected:
  void ReportProgressOfFirstAgent() {
    std::string out = Ok({"enroll-token", "create", "--no-qr"});
    v1::EnrollRequest enroll;
    enroll.set_token(EnrollmentTokenOf(out.substr(0, out.find('\n'))));
    enroll.set_serial("SN-TAB-1");
    enroll.set_model("Galaxy Tab A8");
    enroll.set_os("Android 14");
    enroll.set_kind(v1::DEVICE_KIND_TABLET);
    v1::EnrollResponse enrolled;
    auto stub = v1::DeviceService::NewStub(server_.Channel());
    {
      grpc::ClientContext context;
      ASSERT_TRUE(stub->Enroll(&context, enroll, &enrolled).ok());
    }
    Ok({"assign", "SN-TAB-1", "E000001"});
    auto module = FromJson<v1::Module>(Ok({"modules", "show", "MAIL-1", "--json"}));
    v1::ReportProgressRequest request;
    auto event = [&](const std::string& id, v1::ProgressKind kind) {
      auto* e = request.add_events();
      e->set_id(id);
      e->set_employee_number("E000001");
      e->set_module_code("MAIL-1");
      e->set_module_version(module.version());
      e->set_kind(kind);
      e->mutable_at()->set_seconds(server_.clock().NowMs() / 1000);
      return e;
    };
    event("ev-1", v1::PROGRESS_KIND_OPENED);
    event("ev-2", v1::PROGRESS_KIND_ITEM_COMPLETED)->set_item_sha256(module.items(0).sha256());
    event("ev-3", v1::PROGRESS_KIND_QUIZ_SCORE)->set_score(80);
    v1::ReportProgressResponse response;
    auto context = parc::testing::TestServer::Context(enrolled.credential());
    grpc::Status status = stub->ReportProgress(context.get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.accepted(), 3);
  }
};

TEST_F(CliProgressTest, TableShowsEachPersonAndModuleWithOverdue) {
  PublishedModule("MAIL-1");
  PublishedModule("TEXTE-1");
  Ok({"modules", "assign", "MAIL-1", "--department", "PROPRETE", "--due", "2026-06-01"});
  Ok({"modules", "assign", "TEXTE-1", "--agent", "E000003"});
  ReportProgressOfFirstAgent();
  server_.clock().Advance(10 * kDayMs);  // 2026-06-07: MAIL-1 is overdue

  std::string table = Ok({"progress", "--department", "PROPRETE"});
  EXPECT_NE(table.find("EMPLOYEE"), std::string::npos) << table;
  EXPECT_NE(table.find("OVERDUE"), std::string::npos) << table;
  EXPECT_NE(table.find("1/2"), std::string::npos) << table;  // E000001
  EXPECT_NE(table.find("0/2"), std::string::npos) << table;  // E000002
  EXPECT_NE(table.find("80"), std::string::npos) << table;
  EXPECT_EQ(table.find("E000003"), std::string::npos) << table;
  EXPECT_NE(table.find("2 assigned, 1 opened, 0 completed, 2 overdue"), std::string::npos) << table;

  auto all = FromJson<v1::ListProgressResponse>(Ok({"progress", "--json"}));
  ASSERT_EQ(all.rows_size(), 3);
  auto first = FromJson<v1::ListProgressResponse>(Ok({"progress", "--agent", "E000001", "--json"}));
  ASSERT_EQ(first.rows_size(), 1);
  EXPECT_TRUE(first.rows(0).has_opened_at());
  EXPECT_EQ(first.rows(0).items_completed(), 1);
  EXPECT_EQ(first.rows(0).items_total(), 2);
  EXPECT_EQ(first.rows(0).score(), 80);
  EXPECT_EQ(first.rows(0).due_date(), "2026-06-01");
  EXPECT_TRUE(first.rows(0).overdue());

  auto overdue = FromJson<v1::ListProgressResponse>(Ok({"progress", "--overdue", "--json"}));
  EXPECT_EQ(overdue.rows_size(), 2);
  for (const auto& row : overdue.rows()) EXPECT_EQ(row.module_code(), "MAIL-1");
  auto by_module =
      FromJson<v1::ListProgressResponse>(Ok({"progress", "--module", "TEXTE-1", "--json"}));
  ASSERT_EQ(by_module.rows_size(), 1);
  EXPECT_EQ(by_module.rows(0).employee_number(), "E000003");
  EXPECT_EQ(FromJson<v1::ListProgressResponse>(Ok({"progress", "--wave", "vague-2", "--json"}))
                .rows_size(),
            1);
  EXPECT_EQ(FromJson<v1::ListProgressResponse>(Ok({"progress", "--advisor", "m.martin", "--json"}))
                .rows_size(),
            3);
}

TEST_F(CliProgressTest, CsvOnStandardOutputAndToAFile) {
  PublishedModule("MAIL-1");
  Ok({"modules", "assign", "MAIL-1", "--wave", "vague-1", "--due", "2026-06-30"});
  std::string csv = Ok({"progress", "--csv"});
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF"
                      "employee_number;name;department;module_code;",
                      0),
            0u)
      << csv;
  EXPECT_NE(csv.find("E000002;Hélène Dupré;PROPRETE;MAIL-1;Messagerie : les bases;;0;2;;;"
                     "2026-06-30;no\r\n"),
            std::string::npos)
      << csv;
  std::string path = (dir_.path() / "suivi.csv").string();
  CliResult run = Run({"progress", "--output", path});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.err.find("2 rows written to " + path), std::string::npos) << run.err;
  std::ifstream file(path, std::ios::binary);
  std::string written((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(written, csv);
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST_F(CliProgressTest, AdvisorWritesAManagerReadsOnlyTheirDepartment) {
  std::string advisor = server_.TokenFor("m.martin", v1::ROLE_ADVISOR);
  std::string manager = server_.TokenFor("chef.ev", v1::ROLE_MANAGER, {"ESPACES-VERTS"});
  auto as = [&](const std::string& token, const std::vector<std::string>& args) {
    return testing::RunParcctl(args, {{"PARC_ADDR", server_.address()}, {"PARC_TOKEN", token}});
  };
  ASSERT_EQ(as(advisor, {"modules", "add", "MAIL-1", "--title", "Messagerie"}).code, 0);
  ASSERT_EQ(as(advisor, {"modules", "add-item", "MAIL-1", WriteFile("a.pdf", Bytes(2000, 4))}).code,
            0);
  ASSERT_EQ(as(advisor, {"modules", "publish", "MAIL-1"}).code, 0);
  ASSERT_EQ(as(advisor, {"modules", "assign", "MAIL-1", "--wave", "vague-1"}).code, 0);
  ASSERT_EQ(as(advisor, {"modules", "assign", "MAIL-1", "--agent", "E000003"}).code, 0);

  CliResult refused = as(manager, {"modules", "add", "MAIL-2", "--title", "Non"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("permission denied"), std::string::npos) << refused.err;
  CliResult upload = as(manager, {"modules", "add-item", "MAIL-1", WriteFile("b.pdf", "%PDF")});
  EXPECT_EQ(upload.code, 1);

  CliResult scoped = as(manager, {"progress", "--json"});
  ASSERT_EQ(scoped.code, 0) << scoped.err;
  auto rows = FromJson<v1::ListProgressResponse>(scoped.out);
  ASSERT_EQ(rows.rows_size(), 1);
  EXPECT_EQ(rows.rows(0).employee_number(), "E000003");
}

TEST_F(CliProgressTest, AtMostOneWhoFilter) {
  CliResult run = Run({"progress", "--agent", "E000001", "--department", "PROPRETE"});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("at most one of --agent, --department, --wave, --advisor"),
            std::string::npos)
      << run.err;
}

// UploadFile itself, on a Client connected to the in-process parcd.
class UploadFileTest : public CliTrainingTest {
 protected:
  std::unique_ptr<Client> Connect() {
    auto client = Client::Connect(Settings{server_.address(), server_.admin_token(), ""});
    EXPECT_TRUE(client.has_value());
    return std::move(*client);
  }
};

TEST_F(UploadFileTest, BytesTheServerHoldsAreAnsweredAlreadyPresent) {
  std::string data = Bytes(16 * 1024 * 1024, 11);  // 16 chunks
  std::string path = WriteFile("known.mp4", data);
  auto client = Connect();
  auto digest = HashFile(path);
  ASSERT_TRUE(digest) << digest.error().message;
  EXPECT_EQ(digest->sha256, Sha256Hex(data));
  EXPECT_EQ(digest->size, static_cast<int64_t>(data.size()));

  auto first = UploadFile(*client, path, *digest);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first->already_present);
  EXPECT_EQ(first->bytes_sent, digest->size);

  auto second = UploadFile(*client, path, *digest);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->already_present);
  EXPECT_EQ(second->sha256, digest->sha256);
  // parcd answers after the first chunk, but the client learns it only when a
  // write fails: whatever HTTP/2 flow control let through meanwhile (1 to 32
  // MiB seen on loopback) is sent anyway, so how much is saved depends on
  // timing and is not asserted; that the early answer is taken as success is.
  EXPECT_GT(second->bytes_sent, 0);
  EXPECT_LE(second->bytes_sent, digest->size);
  RecordProperty("bytes_sent_when_already_present", std::to_string(second->bytes_sent));
}

TEST_F(UploadFileTest, WrongHashOrShrunkFileIsRefusedAndNothingIsStored) {
  std::string path = WriteFile("doc.pdf", Bytes(3 * 1024 * 1024, 12));
  auto client = Connect();
  auto digest = HashFile(path);
  ASSERT_TRUE(digest);

  FileDigest wrong = *digest;
  wrong.sha256 = Sha256Hex("something else");
  auto refused = UploadFile(*client, path, wrong);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("sha256"), std::string::npos) << refused.error().message;

  FileDigest longer = *digest;  // as if the file had been cut short since it was hashed
  longer.size += 1000;
  auto shrunk = UploadFile(*client, path, longer);
  ASSERT_FALSE(shrunk);
  EXPECT_NE(shrunk.error().message.find("doc.pdf changed while it was being uploaded"),
            std::string::npos)
      << shrunk.error().message;

  // Neither attempt left the content behind: the real upload is not "already present".
  auto real = UploadFile(*client, path, *digest);
  ASSERT_TRUE(real) << real.error().message;
  EXPECT_FALSE(real->already_present);
}

TEST(HashFileTest, MissingFileIsNamed) {
  auto digest = HashFile("/nonexistent/parc/x.pdf");
  ASSERT_FALSE(digest);
  EXPECT_NE(digest.error().message.find("/nonexistent/parc/x.pdf"), std::string::npos);
  EXPECT_EQ(CheckReadableFile("/nonexistent/parc/x.pdf").error().message,
            "file not found: /nonexistent/parc/x.pdf");
}

TEST(HumanSizeTest, DecimalUnitsWithOneDecimal) {
  EXPECT_EQ(HumanSize(950), "950 B");
  EXPECT_EQ(HumanSize(1500), "1.5 kB");
  EXPECT_EQ(HumanSize(2621440), "2.6 MB");
  EXPECT_EQ(HumanSize(2'100'000'000), "2.10 GB");
  EXPECT_EQ(HumanRate(85'200'000, 1.0), "85.2 MB/s");
}

}  // namespace
}  // namespace parc::cli
