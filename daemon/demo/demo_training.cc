#include "daemon/demo/demo_training.h"

#include <fmt/format.h>

#include "common/crypto.h"
#include "common/time.h"
#include "daemon/content/content_files.h"
#include "daemon/demo/demo_plan.h"
#include "daemon/domain/training.h"

namespace parc::demo {
namespace {

constexpr int64_t kDay = 24 * 3600 * 1000;
// Progress is made up for the holders of at most this many personal devices
// (the first ones), written this many devices per transaction: enough for the
// dashboards, and `parcd init` stays quick for a million-device city.
constexpr size_t kProgressDevices = 5000;
constexpr size_t kDevicesPerTransaction = 1000;

struct DemoItem {
  const char* file_name;
  const char* title;
  int kilobytes;
};

struct DemoModule {
  const char* code;
  const char* title;
  const char* description;
  const char* tiers;  // comma-separated
  int minutes;
  std::vector<DemoItem> items;
};

const std::vector<DemoModule>& Modules() {
  static const std::vector<DemoModule> modules = {
      {"PREMIERS-PAS",
       "Premiers pas avec la tablette",
       "Allumer, déverrouiller, toucher, faire défiler : les gestes de base.",
       "illectronisme",
       30,
       {{"gestes-de-base.pdf", "Les gestes de base", 48},
        {"demonstration.mp4", "Démonstration", 256}}},
      {"MESSAGERIE",
       "Utiliser sa messagerie",
       "Lire, écrire et envoyer un message ; reconnaître un message frauduleux.",
       "debutant",
       45,
       {{"messagerie.pdf", "Le guide pas à pas", 64},
        {"exercice-messagerie.html", "Exercice", 24},
        {"quiz-messagerie.html", "Quiz", 12}}},
      {"INTRANET",
       "Trouver l'information sur l'intranet",
       "Les actualités de la Ville, sa fiche de paie, les démarches RH.",
       "debutant,a-consolider",
       40,
       {{"intranet.pdf", "Visite guidée", 56}, {"quiz-intranet.html", "Quiz", 12}}},
      {"RECHERCHE-WEB",
       "Faire une recherche sur le web",
       "Chercher, trier les résultats, repérer les sites officiels.",
       "a-consolider",
       35,
       {{"recherche-web.pdf", "Chercher efficacement", 40}}},
  };
  return modules;
}

// Deterministic bytes that look like what their name says, enough for a demo.
std::string Content(const DemoItem& item, uint64_t seed) {
  std::string head = std::string(item.file_name).ends_with(".pdf") ? "%PDF-1.4\n% Parc demo\n"
                     : std::string(item.file_name).ends_with(".html")
                         ? "<!doctype html><meta charset=utf-8><title>Parc</title>\n"
                         : "";
  std::string out = head + fmt::format("{} ({})\n", item.title, item.file_name);
  Random rng(seed ^ std::hash<std::string>{}(item.file_name));
  while (out.size() < static_cast<size_t>(item.kilobytes) * 1024) {
    out.push_back(static_cast<char>('a' + rng.Below(26)));
    if (rng.Below(60) == 0) out.push_back('\n');
  }
  return out;
}

Status StoreFile(content::ContentFiles& files, const std::string& bytes) {
  if (std::filesystem::exists(files.PathOf(Sha256Hex(bytes)))) return Ok();
  PARC_ASSIGN_OR_RETURN(auto upload,
                        files.Begin(Sha256Hex(bytes), static_cast<int64_t>(bytes.size())));
  PARC_TRY(upload->Append(bytes));
  PARC_TRY(upload->Finish());
  return files.Publish(*upload);
}

v1::AssignModuleRequest Assignment(const char* code, const char* kind, const std::string& target,
                                   const std::string& due) {
  v1::AssignModuleRequest req;
  req.set_module_code(code);
  if (std::string_view(kind) == "tier") req.set_skill_tier(target);
  if (std::string_view(kind) == "wave") req.set_wave(target);
  if (std::string_view(kind) == "department") req.set_department(target);
  req.set_due_date(due);
  return req;
}

// Modules (INTRANET published twice: version 2 supersedes 1), content rows and
// assignments, in one transaction.
Status WriteModules(store::Writer& w, const domain::Call& call,
                    const std::vector<std::vector<std::string>>& contents, TrainingSummary& out) {
  const auto& modules = Modules();
  for (size_t m = 0; m < modules.size(); ++m) {
    const DemoModule& spec = modules[m];
    const int versions = std::string_view(spec.code) == "INTRANET" ? 2 : 1;
    for (int version = 1; version <= versions; ++version) {
      v1::CreateModuleRequest create;
      create.set_code(spec.code);
      create.set_title(spec.title);
      create.set_description(spec.description);
      create.set_estimated_minutes(spec.minutes);
      for (std::string_view tiers = spec.tiers; !tiers.empty();) {
        size_t comma = tiers.find(',');
        create.add_target_tiers(std::string(tiers.substr(0, comma)));
        tiers = comma == tiers.npos ? std::string_view() : tiers.substr(comma + 1);
      }
      PARC_TRY(domain::CreateModule(w, call, create));
      v1::AddModuleItemsRequest add;
      add.set_code(spec.code);
      // Version 1 of INTRANET lacks its quiz: version 2 adds it.
      const size_t items = version < versions ? spec.items.size() - 1 : spec.items.size();
      for (size_t i = 0; i < items; ++i) {
        const std::string& bytes = contents[m][i];
        store::ContentBlob blob{.sha256 = Sha256Hex(bytes),
                                .size = static_cast<int64_t>(bytes.size()),
                                .created_at_ms = call.now_ms};
        PARC_TRY(domain::RecordContent(w, call, blob, spec.items[i].file_name, false));
        v1::ModuleItem* item = add.add_items();
        item->set_file_name(spec.items[i].file_name);
        item->set_title(spec.items[i].title);
        item->set_sha256(blob.sha256);
      }
      PARC_TRY(domain::AddModuleItems(w, call, add));
      PARC_TRY(domain::PublishModule(w, call, spec.code));
    }
    ++out.modules;
  }
  // A draft nobody receives yet.
  v1::CreateModuleRequest draft;
  draft.set_code("BUREAUTIQUE");
  draft.set_title("Traitement de texte : les bases");
  draft.add_target_tiers("autonome");
  PARC_TRY(domain::CreateModule(w, call, draft));

  const std::string soon = FormatDate(call.now_ms + 45 * kDay);
  const std::string past = FormatDate(call.now_ms - 10 * kDay);  // some are overdue
  const std::vector<v1::AssignModuleRequest> assignments = {
      Assignment("PREMIERS-PAS", "tier", "illectronisme", soon),
      Assignment("MESSAGERIE", "tier", "debutant", soon),
      Assignment("MESSAGERIE", "wave", "vague-1", past),
      Assignment("INTRANET", "wave", "vague-2", soon),
      Assignment("INTRANET", "tier", "a-consolider", ""),
      Assignment("RECHERCHE-WEB", "department", "PROPRETE", soon),
  };
  for (const auto& req : assignments) {
    auto assigned = domain::AssignModule(w, call, req);
    // A wave or department the demo size left empty is skipped, not an error.
    if (!assigned && assigned.error().code != ErrorCode::kNotFound) {
      return std::unexpected(assigned.error());
    }
    out.assignments += assigned.has_value();
  }
  return Ok();
}

// Events for the holder of one device: opened by most, items done in order by
// many, completed with a quiz score by some.
void PlanProgress(const v1::AssignedModule& m, const std::string& holder, Random& rng,
                  int64_t now_ms, v1::ReportProgressRequest& req) {
  if (rng.Unit() > 0.7) return;
  int64_t at = now_ms - rng.Between(1, 40) * kDay;
  auto add = [&](v1::ProgressKind kind, const std::string& item, int score) {
    v1::ProgressEvent* e = req.add_events();
    e->set_id(fmt::format("demo-{}-{}-{}", holder, m.code(), req.events_size()));
    e->set_employee_number(holder);
    e->set_module_code(m.code());
    e->set_module_version(m.version());
    e->set_kind(kind);
    e->set_item_sha256(item);
    e->set_score(score);
    ToTimestamp(at, e->mutable_at());
    at += rng.Between(5, 90) * 60'000;
  };
  add(v1::PROGRESS_KIND_OPENED, "", 0);
  for (const auto& item : m.items()) {
    if (rng.Unit() > 0.65) return;
    add(v1::PROGRESS_KIND_ITEM_COMPLETED, item.sha256(), 0);
  }
  add(v1::PROGRESS_KIND_QUIZ_SCORE, "", static_cast<int>(rng.Between(45, 100)));
  add(v1::PROGRESS_KIND_MODULE_COMPLETED, "", 0);
}

}  // namespace

Expected<TrainingSummary> LoadTraining(store::Store& store, const std::vector<FleetDevice>& in_use,
                                       const std::string& content_dir, uint64_t seed,
                                       int64_t now_ms) {
  TrainingSummary out;
  content::ContentFiles files(content_dir, int64_t{1} << 30);
  std::vector<std::vector<std::string>> contents;
  for (const DemoModule& m : Modules()) {
    auto& bytes = contents.emplace_back();
    for (const DemoItem& item : m.items) {
      bytes.push_back(Content(item, seed));
      PARC_TRY(StoreFile(files, bytes.back()));
      ++out.content_files;
    }
  }
  domain::Principal demo{.name = "demo", .role = v1::ROLE_ADMIN};
  domain::Call call{demo, now_ms};
  ++out.transactions;
  PARC_TRY(store.Write([&](store::Writer& w) { return WriteModules(w, call, contents, out); }));

  // Progress, from what each personal device now carries.
  Random rng(seed * 7 + 4);
  std::vector<std::pair<int64_t, v1::ReportProgressRequest>> batches;
  PARC_TRY(store.Read([&](store::Reader& r) -> Status {
    size_t scanned = 0;
    for (const FleetDevice& d : in_use) {
      if (d.holder.empty()) continue;
      if (++scanned > kProgressDevices) break;
      PARC_ASSIGN_OR_RETURN(auto set, domain::ResolveDeviceContent(r, d.id, now_ms, 14 * kDay));
      v1::ReportProgressRequest req;
      for (const auto& m : set.modules) PlanProgress(m, d.holder, rng, now_ms, req);
      if (req.events_size() > 0) batches.emplace_back(d.id, std::move(req));
    }
    return Ok();
  }));
  for (size_t begin = 0; begin < batches.size(); begin += kDevicesPerTransaction) {
    const size_t end = std::min(batches.size(), begin + kDevicesPerTransaction);
    ++out.transactions;
    PARC_TRY(store.Write([&](store::Writer& w) -> Status {
      int events = 0;
      for (size_t i = begin; i < end; ++i) {
        PARC_ASSIGN_OR_RETURN(auto counts, w.training_writer().InsertProgress(
                                               batches[i].first, batches[i].second, now_ms));
        events += counts.accepted;
      }
      out.progress_events += events;
      v1::AuditEvent event;
      ToTimestamp(now_ms, event.mutable_at());
      event.set_actor("demo");
      event.set_action("demo.load");
      event.set_target("demo");
      event.set_summary(fmt::format("{} progress events of {} devices", events, end - begin));
      PARC_TRY(w.AppendAudit(event));
      return Ok();
    }));
  }
  return out;
}

}  // namespace parc::demo
