// parc-agent modules | open | done, in-process, on a state directory holding
// a saved module list and a content cache; the viewer is a fake script.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>
#include <sstream>

#include "agent_client/agent.h"
#include "agent_client/content/content_store.h"
#include "agent_client/durable_file.h"
#include "agent_client/progress/progress_queue.h"
#include "common/crypto.h"
#include "tests/support/temp_dir.h"

namespace parc::agent {
namespace {

using parc::testing::TempDir;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

class ContentCliTest : public ::testing::Test {
 protected:
  ContentCliTest() : store_(dir_.path() / "content") {
    EXPECT_TRUE(store_.Create());
    v1::ListAssignedContentResponse list;
    list.set_revision(7);
    auto* module = list.add_modules();
    module->set_code("BUR-1");
    module->set_version(3);
    module->set_title("Premiers pas sur la tablette");
    module->set_estimated_minutes(20);
    AddItem(*module, 2, "exercice.pdf", "second document", true);
    AddItem(*module, 1, "cours.pdf", "premier document", true);
    auto* person = module->add_people();
    person->set_employee_number("E042");
    person->set_display_name("Marie Dupont");
    person->set_due_date("2030-01-31");
    auto* other = list.add_modules();
    other->set_code("MAIL-2");
    other->set_version(1);
    other->set_title("Le courriel");
    AddItem(*other, 1, "courriel.mp4", "pas encore là", false);
    auto* p2 = other->add_people();
    p2->set_employee_number("E042");
    p2->set_display_name("Marie Dupont");
    auto* p3 = other->add_people();
    p3->set_employee_number("E077");
    p3->set_display_name("Paul Martin");
    EXPECT_TRUE(store_.SaveModules(list));
    // The fake viewer writes what it was given.
    dir_.Write("viewer.sh", "#!/bin/sh\nprintf '%s\\n' \"$1\" > \"" +
                                (dir_.path() / "opened").string() + "\"\n");
    ::chmod((dir_.path() / "viewer.sh").c_str(), 0755);
  }

  void AddItem(v1::AssignedModule& module, int position, const std::string& name,
               const std::string& data, bool cached) {
    auto* item = module.add_items();
    item->set_position(position);
    item->set_file_name(name);
    item->set_sha256(Sha256Hex(data));
    item->set_size(static_cast<int64_t>(data.size()));
    if (cached) {
      EXPECT_TRUE(WriteFileDurably(store_.CachePath(item->sha256()), data));
    }
  }

  CliRun Agent(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    std::map<std::string, std::string> env{
        {"PARC_AGENT_STATE_DIR", dir_.path().string()},
        {"PARC_AGENT_OPENER", (dir_.path() / "viewer.sh").string()}};
    Io io{out, err, [&env](const std::string& name) -> std::optional<std::string> {
            auto it = env.find(name);
            if (it == env.end()) return std::nullopt;
            return it->second;
          }};
    CliRun run;
    run.code = AgentMain(args, io);
    run.out = out.str();
    run.err = err.str();
    return run;
  }

  std::vector<v1::ProgressEvent> Queued() {
    auto queue = ProgressQueue::Open(dir_.path() / "progress").value();
    return queue->Peek(100).value();
  }

  TempDir dir_;
  ContentStore store_;
};

TEST_F(ContentCliTest, ModulesListsThePersonsModulesInFrench) {
  ASSERT_EQ(Agent({"login", "E042"}).code, 0);
  CliRun run = Agent({"modules"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("Formations de Marie Dupont (E042)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("BUR-1  Premiers pas sur la tablette"), std::string::npos);
  EXPECT_NE(run.out.find("2 documents · prête · environ 20 min"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("à terminer avant le 31/01/2030"), std::string::npos);
  EXPECT_NE(run.out.find("1 document · téléchargement en cours (0 sur 1)"), std::string::npos);
  EXPECT_NE(run.out.find("sans date limite"), std::string::npos);
}

TEST_F(ContentCliTest, ModulesForSomeoneWithNothingAssigned) {
  ASSERT_EQ(Agent({"login", "E999"}).code, 0);
  CliRun run = Agent({"modules"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("Aucune formation pour le moment"), std::string::npos) << run.out;
}

TEST_F(ContentCliTest, SharedDeviceWithNobodyLoggedInListsEveryModuleAndItsPeople) {
  CliRun run = Agent({"modules"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("Personne n'est connecté"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("pour : Marie Dupont (E042), Paul Martin (E077)"), std::string::npos);
  CliRun open = Agent({"open", "BUR-1"});
  EXPECT_EQ(open.code, 1);
  EXPECT_NE(open.err.find("parc-agent login"), std::string::npos) << open.err;
}

TEST_F(ContentCliTest, OpenShowsTheFirstDocumentAndRecordsOpened) {
  ASSERT_EQ(Agent({"login", "E042"}).code, 0);
  CliRun run = Agent({"open", "bur-1"});  // any case
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("est ouverte"), std::string::npos);
  auto opened = ReadWholeFile(dir_.path() / "opened");
  ASSERT_TRUE(opened);
  // The viewer gets the first document (position 1) under its own name.
  std::filesystem::path shown(opened->substr(0, opened->size() - 1));
  EXPECT_EQ(shown.filename(), "cours.pdf");
  EXPECT_EQ(ReadWholeFile(shown).value_or(""), "premier document");
  auto events = Queued();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind(), v1::PROGRESS_KIND_OPENED);
  EXPECT_EQ(events[0].employee_number(), "E042");
  EXPECT_EQ(events[0].module_code(), "BUR-1");
  EXPECT_EQ(events[0].module_version(), 3);
  EXPECT_EQ(events[0].id().size(), 36u);
  EXPECT_TRUE(events[0].has_at());
}

TEST_F(ContentCliTest, OpenRefusesWhatIsNotDownloadedOrUnknownAndRecordsNothing) {
  ASSERT_EQ(Agent({"login", "E042"}).code, 0);
  CliRun missing = Agent({"open", "MAIL-2"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("pas encore téléchargée"), std::string::npos) << missing.err;
  CliRun unknown = Agent({"open", "NOPE"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("« NOPE » n'est pas sur cet appareil"), std::string::npos);
  CliRun broken = Agent({"open", "BUR-1", "--opener", "/nonexistent/viewer"});
  EXPECT_EQ(broken.code, 1);
  EXPECT_TRUE(Queued().empty());
}

TEST_F(ContentCliTest, PersonalDeviceUsesItsOnlyPersonWithoutLogin) {
  v1::ListAssignedContentResponse list = store_.LoadModules().value().value();
  list.mutable_modules()->RemoveLast();  // only E042 left
  ASSERT_TRUE(store_.SaveModules(list));
  CliRun run = Agent({"done", "BUR-1"});
  ASSERT_EQ(run.code, 0) << run.err;
  auto events = Queued();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].employee_number(), "E042");
  EXPECT_EQ(events[0].kind(), v1::PROGRESS_KIND_MODULE_COMPLETED);
}

TEST_F(ContentCliTest, DoneRecordsAnItemAScoreOrTheModule) {
  ASSERT_EQ(Agent({"login", "E042"}).code, 0);
  CliRun item = Agent({"done", "BUR-1", "--item", "2"});
  ASSERT_EQ(item.code, 0) << item.err;
  EXPECT_NE(item.out.find("C'est noté : document 2"), std::string::npos) << item.out;
  ASSERT_EQ(Agent({"done", "BUR-1", "--score", "80"}).code, 0);
  ASSERT_EQ(Agent({"done", "BUR-1"}).code, 0);
  auto events = Queued();
  ASSERT_EQ(events.size(), 3u);
  std::map<v1::ProgressKind, v1::ProgressEvent> by_kind;
  for (const auto& e : events) by_kind[e.kind()] = e;
  EXPECT_EQ(by_kind[v1::PROGRESS_KIND_ITEM_COMPLETED].item_sha256(), Sha256Hex("second document"));
  EXPECT_EQ(by_kind[v1::PROGRESS_KIND_QUIZ_SCORE].score(), 80);
  EXPECT_EQ(by_kind.count(v1::PROGRESS_KIND_MODULE_COMPLETED), 1u);
  std::set<std::string> ids;
  for (const auto& e : events) ids.insert(e.id());
  EXPECT_EQ(ids.size(), 3u);
}

TEST_F(ContentCliTest, DoneRejectsBadInputNamingTheFlag) {
  ASSERT_EQ(Agent({"login", "E042"}).code, 0);
  CliRun item = Agent({"done", "BUR-1", "--item", "9"});
  EXPECT_EQ(item.code, 1);
  EXPECT_NE(item.err.find("--item"), std::string::npos) << item.err;
  EXPECT_NE(item.err.find("n'a pas de document 9 (il y en a 2)"), std::string::npos);
  CliRun both = Agent({"done", "BUR-1", "--item", "1", "--score", "5"});
  EXPECT_EQ(both.code, 1);
  EXPECT_EQ(Agent({"done", "BUR-1", "--score", "101"}).code, 2);
  EXPECT_TRUE(Queued().empty());
}

TEST_F(ContentCliTest, NoListYetSaysSoInFrench) {
  std::filesystem::remove(store_.dir() / "modules.pb");
  CliRun run = Agent({"modules"});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("pas encore reçu la liste des formations"), std::string::npos) << run.err;
}

TEST_F(ContentCliTest, StatusShowsContentAndWaitingProgress) {
  ASSERT_EQ(Agent({"login", "E042"}).code, 0);
  ASSERT_EQ(Agent({"done", "BUR-1"}).code, 0);
  CliRun run = Agent({"status"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("modules: 2 (2 of 3 items downloaded)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("progress events waiting: 1"), std::string::npos);
}

}  // namespace
}  // namespace parc::agent
