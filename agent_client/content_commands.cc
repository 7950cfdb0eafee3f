// parc-agent modules | open | done: what the person on this device should
// follow, read from the content cache (works offline), and their progress,
// queued for the running agent. Messages are in French: these verbs are for
// the staff themselves.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <ostream>
#include <set>

#include "agent_client/commands.h"
#include "agent_client/content/content_store.h"
#include "agent_client/progress/progress_queue.h"
#include "agent_client/state.h"
#include "agent_client/wake.h"
#include "common/clock.h"
#include "common/logging.h"
#include "common/time.h"

extern char** environ;

namespace parc::agent {
namespace {

struct Person {
  std::string employee_number;
  std::string display_name;  // may be empty
};

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// Who uses the device: the employee of `parc-agent login`, else the one person
// the modules are for (a personal device); nullopt on a shared device with
// nobody logged in.
std::optional<Person> CurrentPerson(const StateDir& state,
                                    const v1::ListAssignedContentResponse& list) {
  std::optional<std::string> user = state.LoadCurrentUser();
  std::map<std::string, std::string> people;  // employee number -> display name
  for (const auto& module : list.modules()) {
    for (const auto& person : module.people()) {
      people.emplace(person.employee_number(), person.display_name());
    }
  }
  if (user) {
    auto it = people.find(*user);
    return Person{*user, it == people.end() ? "" : it->second};
  }
  if (people.size() == 1) return Person{people.begin()->first, people.begin()->second};
  return std::nullopt;
}

const v1::AssignedPerson* PersonIn(const v1::AssignedModule& module, const std::string& number) {
  for (const auto& person : module.people()) {
    if (person.employee_number() == number) return &person;
  }
  return nullptr;
}

std::string Named(const Person& person) {
  if (person.display_name.empty()) return person.employee_number;
  return fmt::format("{} ({})", person.display_name, person.employee_number);
}

// "01/12/2026" from "2026-12-01"; anything else as it is.
std::string FrenchDate(const std::string& iso) {
  if (!IsIsoDate(iso)) return iso;
  return fmt::format("{}/{}/{}", iso.substr(8, 2), iso.substr(5, 2), iso.substr(0, 4));
}

std::string Plural(int count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count <= 1 ? one : many);
}

Expected<v1::ListAssignedContentResponse> LoadList(const ContentStore& store) {
  PARC_ASSIGN_OR_RETURN(auto list, store.LoadModules());
  if (!list) {
    return FailedPrecondition(
        "cet appareil n'a pas encore reçu la liste des formations ; vérifiez qu'il est "
        "connecté au réseau et réessayez dans quelques minutes");
  }
  return *list;
}

Expected<v1::AssignedModule> FindModule(const v1::ListAssignedContentResponse& list,
                                        const std::string& code) {
  for (const auto& module : list.modules()) {
    if (Upper(module.code()) == Upper(code)) return module;
  }
  return NotFound(fmt::format(
      "la formation « {} » n'est pas sur cet appareil ; tapez « parc-agent modules » pour voir "
      "la liste",
      code));
}

Expected<Person> RequirePerson(const StateDir& state, const v1::ListAssignedContentResponse& list) {
  auto person = CurrentPerson(state, list);
  if (!person) {
    return FailedPrecondition(
        "personne n'est connecté sur cet appareil : tapez d'abord « parc-agent login MATRICULE »");
  }
  return *person;
}

std::vector<v1::ContentItem> SortedItems(const v1::AssignedModule& module) {
  std::vector<v1::ContentItem> items(module.items().begin(), module.items().end());
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a.position() < b.position(); });
  return items;
}

Status QueueEvent(const StateDir& state, v1::ProgressEvent event) {
  SystemClock clock;
  ToTimestamp(clock.NowMs(), event.mutable_at());
  PARC_ASSIGN_OR_RETURN(auto queue, ProgressQueue::Open(state.path() / "progress"));
  PARC_ASSIGN_OR_RETURN(std::string id, queue->Append(std::move(event)));
  Logger("agent")->debug("progress queued id={}", id);
  TouchWakeFile(state.path());  // the running agent sends it now
  return Ok();
}

v1::ProgressEvent EventFor(const v1::AssignedModule& module, const Person& person,
                           v1::ProgressKind kind) {
  v1::ProgressEvent event;
  event.set_employee_number(person.employee_number);
  event.set_module_code(module.code());
  event.set_module_version(module.version());
  event.set_kind(kind);
  return event;
}

// Runs `opener path` and waits for it (xdg-open returns once the viewer runs).
Status Launch(const std::string& opener, const std::filesystem::path& path) {
  std::string file = path.string();
  std::vector<char*> argv{const_cast<char*>(opener.c_str()), file.data(), nullptr};
  pid_t pid = 0;
  int spawned = ::posix_spawnp(&pid, opener.c_str(), nullptr, nullptr, argv.data(), environ);
  if (spawned != 0) {
    return Fail(ErrorCode::kInternal,
                fmt::format("impossible de lancer « {} » : {}", opener, std::strerror(spawned)));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) break;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Fail(ErrorCode::kInternal,
                fmt::format("« {} » n'a pas pu ouvrir le document (code {})", opener,
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  return Ok();
}

// One module of `parc-agent modules`: code and title, then the documents and
// whether they are here, then the due date (for `assigned`) or who it is for.
void PrintModule(const ContentStore& store, const v1::AssignedModule& module,
                 const v1::AssignedPerson* assigned, const std::string& today, std::ostream& out) {
  int items = module.items_size();
  int cached = 0;
  for (const auto& item : module.items()) cached += store.IsCached(item) ? 1 : 0;
  std::string downloaded =
      cached == items ? "prête" : fmt::format("téléchargement en cours ({} sur {})", cached, items);
  out << "\n  " << module.code() << "  " << module.title() << '\n'
      << "      " << Plural(items, "document", "documents") << " · " << downloaded;
  if (module.estimated_minutes() > 0) out << " · environ " << module.estimated_minutes() << " min";
  out << '\n';
  if (!assigned) {
    std::vector<std::string> names;
    for (const auto& p : module.people()) {
      names.push_back(Named({p.employee_number(), p.display_name()}));
    }
    out << "      pour : " << fmt::format("{}", fmt::join(names, ", ")) << '\n';
  } else if (assigned->due_date().empty()) {
    out << "      sans date limite\n";
  } else {
    out << "      à terminer avant le " << FrenchDate(assigned->due_date())
        << (assigned->due_date() < today ? " (en retard)" : "") << '\n';
  }
}

}  // namespace

Status ListModules(const Globals& globals, Io& io) {
  StateDir state(globals.state_dir);
  ContentStore store(state.content_dir());
  PARC_ASSIGN_OR_RETURN(auto list, LoadList(store));
  std::optional<Person> person = CurrentPerson(state, list);
  std::string today = FormatDate(SystemClock().NowMs());
  if (person) {
    io.out << "Formations de " << Named(*person) << " :\n";
  } else {
    io.out << "Personne n'est connecté. Formations prévues sur cet appareil :\n";
  }
  int shown = 0;
  for (const auto& module : list.modules()) {
    const v1::AssignedPerson* assigned =
        person ? PersonIn(module, person->employee_number) : nullptr;
    if (person && !assigned) continue;  // someone else's, on a shared device
    PrintModule(store, module, assigned, today, io.out);
    ++shown;
  }
  if (shown == 0) {
    io.out << "\n  Aucune formation pour le moment.\n";
    return Ok();
  }
  io.out << "\nPour ouvrir une formation : parc-agent open CODE\n";
  return Ok();
}

Status OpenModule(const Globals& globals, const ModuleOptions& options, Io& io) {
  StateDir state(globals.state_dir);
  ContentStore store(state.content_dir());
  PARC_ASSIGN_OR_RETURN(auto list, LoadList(store));
  PARC_ASSIGN_OR_RETURN(v1::AssignedModule module, FindModule(list, options.module));
  PARC_ASSIGN_OR_RETURN(Person person, RequirePerson(state, list));
  auto items = SortedItems(module);
  if (items.empty()) {
    return FailedPrecondition(
        fmt::format("la formation « {} » ne contient aucun document", module.title()));
  }
  auto path = store.ViewPath(items.front());
  if (!path) {
    return FailedPrecondition(fmt::format(
        "« {} » n'est pas encore téléchargée sur cet appareil ; réessayez un peu plus tard",
        module.title()));
  }
  std::string opener = options.opener;
  if (opener.empty()) opener = io.env("PARC_AGENT_OPENER").value_or("xdg-open");
  PARC_TRY(Launch(opener, *path));
  PARC_TRY(QueueEvent(state, EventFor(module, person, v1::PROGRESS_KIND_OPENED)));
  io.out << fmt::format("« {} » est ouverte.\n", module.title());
  return Ok();
}

Status RecordDone(const Globals& globals, const ModuleOptions& options, Io& io) {
  if (options.item > 0 && options.score) {
    return InvalidArgument("--item", "ne peut pas aller avec --score : une chose à la fois");
  }
  StateDir state(globals.state_dir);
  ContentStore store(state.content_dir());
  PARC_ASSIGN_OR_RETURN(auto list, LoadList(store));
  PARC_ASSIGN_OR_RETURN(v1::AssignedModule module, FindModule(list, options.module));
  PARC_ASSIGN_OR_RETURN(Person person, RequirePerson(state, list));
  std::string said;
  v1::ProgressEvent event;
  if (options.item > 0) {
    auto items = SortedItems(module);
    auto it = std::find_if(items.begin(), items.end(),
                           [&](const auto& item) { return item.position() == options.item; });
    if (it == items.end()) {
      return InvalidArgument("--item", fmt::format("« {} » n'a pas de document {} (il y en a {})",
                                                   module.title(), options.item, items.size()));
    }
    event = EventFor(module, person, v1::PROGRESS_KIND_ITEM_COMPLETED);
    event.set_item_sha256(it->sha256());
    said = fmt::format("document {} de « {} » terminé", options.item, module.title());
  } else if (options.score) {
    event = EventFor(module, person, v1::PROGRESS_KIND_QUIZ_SCORE);
    event.set_score(*options.score);
    said = fmt::format("score de {} sur 100 pour « {} »", *options.score, module.title());
  } else {
    event = EventFor(module, person, v1::PROGRESS_KIND_MODULE_COMPLETED);
    said = fmt::format("« {} » terminée, bravo", module.title());
  }
  PARC_TRY(QueueEvent(state, std::move(event)));
  io.out << "C'est noté : " << said << ".\n";
  return Ok();
}

}  // namespace parc::agent
