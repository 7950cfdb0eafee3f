// parcctl modules add|list|show|add-item|publish|archive|assign|assignments|
// unassign: training modules, their content files and who must follow them,
// through TrainingService.
#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <system_error>

#include "cli/commands/command.h"
#include "cli/progress_meter.h"
#include "cli/table.h"
#include "cli/upload.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

using Training = v1::TrainingService::StubInterface;

constexpr size_t kShortSha = 12;

std::string StateName(v1::ModuleState state) {
  switch (state) {
    case v1::MODULE_STATE_DRAFT:
      return Tr("@module:draft");
    case v1::MODULE_STATE_PUBLISHED:
      return Tr("@module:published");
    case v1::MODULE_STATE_SUPERSEDED:
      return Tr("@module:superseded");
    case v1::MODULE_STATE_ARCHIVED:
      return Tr("@module:archived");
    default:
      return "";
  }
}

v1::ModuleState ParseState(const std::string& name) {
  for (auto state : {v1::MODULE_STATE_DRAFT, v1::MODULE_STATE_PUBLISHED,
                     v1::MODULE_STATE_SUPERSEDED, v1::MODULE_STATE_ARCHIVED}) {
    if (StateName(state) == name) return state;
  }
  return v1::MODULE_STATE_UNSPECIFIED;
}

std::string ContentKindName(v1::ContentKind kind) {
  switch (kind) {
    case v1::CONTENT_KIND_PDF:
      return Tr("@content:pdf");
    case v1::CONTENT_KIND_VIDEO:
      return Tr("@content:video");
    case v1::CONTENT_KIND_HTML:
      return Tr("@content:html");
    case v1::CONTENT_KIND_IMAGE:
      return Tr("@content:image");
    case v1::CONTENT_KIND_AUDIO:
      return Tr("@content:audio");
    case v1::CONTENT_KIND_OTHER:
      return Tr("@content:other");
    default:
      return "";
  }
}

// From the file's extension, case-insensitive; an HTML package is a zip.
v1::ContentKind KindOfFile(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto any = [&ext](std::initializer_list<std::string_view> names) {
    for (auto name : names) {
      if (ext == name) return true;
    }
    return false;
  };
  if (ext == ".pdf") return v1::CONTENT_KIND_PDF;
  if (any({".mp4", ".m4v", ".webm", ".mkv", ".mov", ".avi", ".ogv"})) return v1::CONTENT_KIND_VIDEO;
  if (any({".zip", ".html", ".htm"})) return v1::CONTENT_KIND_HTML;
  if (any({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})) return v1::CONTENT_KIND_IMAGE;
  if (any({".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".flac"})) {
    return v1::CONTENT_KIND_AUDIO;
  }
  return v1::CONTENT_KIND_OTHER;
}

std::string Minutes(int32_t minutes) { return minutes > 0 ? fmt::format("{} min", minutes) : ""; }

void PrintModules(Context& ctx, const v1::ListModulesResponse& response) {
  if (ctx.json) return PrintJson(ctx.io.out, response);
  Table table({Tr("CODE"), Tr("VERSION"), Tr("STATE"), Tr("TITLE"), Tr("TIERS"), Tr("DURATION"),
               Tr("PUBLISHED")});
  for (const auto& m : response.modules()) {
    table.AddRow({m.code(), std::to_string(m.version()), StateName(m.state()), m.title(),
                  Join(m.target_tiers()), Minutes(m.estimated_minutes()), When(m.published_at())});
  }
  table.Print(ctx.io.out);
}

void PrintModule(Context& ctx, const v1::Module& m) {
  if (ctx.json) return PrintJson(ctx.io.out, m);
  Table fields({Tr("FIELD"), Tr("VALUE")});
  fields.AddRow({Tr("code"), m.code()});
  fields.AddRow({Tr("version"), std::to_string(m.version())});
  fields.AddRow({Tr("state"), StateName(m.state())});
  fields.AddRow({Tr("title"), m.title()});
  fields.AddRow({Tr("description"), m.description()});
  fields.AddRow({Tr("tiers"), Join(m.target_tiers())});
  fields.AddRow({Tr("duration"), Minutes(m.estimated_minutes())});
  fields.AddRow({Tr("created"), When(m.created_at())});
  fields.AddRow({Tr("created by"), m.created_by()});
  fields.AddRow({Tr("published"), When(m.published_at())});
  fields.Print(ctx.io.out);
  ctx.io.out << '\n';
  if (m.items_size() == 0) {
    ctx.io.out << TrF("No items yet: parcctl modules add-item {} FILE...", m.code()) << '\n';
    return;
  }
  int64_t total = 0;
  Table items({Tr("#"), Tr("TITLE"), Tr("FILE"), Tr("KIND"), Tr("SIZE"), Tr("SHA256")});
  for (const auto& item : m.items()) {
    items.AddRow({std::to_string(item.position()), item.title(), item.file_name(),
                  ContentKindName(item.kind()), HumanSize(item.size()),
                  item.sha256().substr(0, kShortSha)});
    total += item.size();
  }
  items.Print(ctx.io.out);
  ctx.io.out << (m.items_size() == 1 ? TrF("{0} item, {1}", m.items_size(), HumanSize(total))
                                     : TrF("{0} items, {1}", m.items_size(), HumanSize(total)))
             << '\n';
}

struct AddOptions {
  v1::CreateModuleRequest request;
  std::vector<std::string> tiers;
  int32_t minutes = 0;
};

void AddAdd(CLI::App& modules, Context& ctx) {
  auto* sub = modules.add_subcommand(
      "add", Tr("create a module (version 1), or a new draft version of an existing code"));
  auto opts = std::make_shared<AddOptions>();
  auto& r = opts->request;
  sub->add_option("CODE", *r.mutable_code(), Tr("module code, e.g. MESSAGERIE-1"))->required();
  sub->add_option("--title", *r.mutable_title(), Tr("title (French)"))->required();
  sub->add_option("--description", *r.mutable_description(), Tr("description (French)"));
  sub->add_option("--tier", opts->tiers, Tr("target skill tier (repeat, or comma-separated)"))
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--minutes", opts->minutes, Tr("estimated duration in minutes"))
      ->check(CLI::Range(1, 100000));
  sub->add_flag(
      "--copy-items", [opts](int64_t) { opts->request.set_copy_items(true); },
      Tr("new version: start from the items of the latest version"));
  OnRun(sub, ctx, [&ctx, opts](Client& client) -> Status {
    v1::CreateModuleRequest request = opts->request;
    for (const auto& tier : opts->tiers) request.add_target_tiers(tier);
    request.set_estimated_minutes(opts->minutes);
    PARC_ASSIGN_OR_RETURN(v1::Module m, client.Call(&Training::CreateModule, request));
    PrintModule(ctx, m);
    return Ok();
  });
}

void AddList(CLI::App& modules, Context& ctx) {
  auto* sub = modules.add_subcommand("list", Tr("list modules (the latest version of each code)"));
  auto state = std::make_shared<std::string>();
  auto request = std::make_shared<v1::ListModulesRequest>();
  sub->add_option("--state", *state, Tr("every version in this state"))
      ->check(OneOf({"draft", "published", "superseded", "archived"}));
  sub->add_option("--tier", *request->mutable_tier(), Tr("only modules meant for this skill tier"));
  OnRun(sub, ctx, [&ctx, state, request](Client& client) -> Status {
    request->set_state(ParseState(*state));
    PARC_ASSIGN_OR_RETURN(auto response, client.Call(&Training::ListModules, *request));
    PrintModules(ctx, response);
    return Ok();
  });
}

void AddShow(CLI::App& modules, Context& ctx) {
  auto* sub = modules.add_subcommand("show", Tr("show a module and its items"));
  auto request = std::make_shared<v1::GetModuleRequest>();
  auto version = std::make_shared<int32_t>(0);
  sub->add_option("CODE", *request->mutable_code(), Tr("module code"))->required();
  sub->add_option("--version", *version, Tr("this version (default: the latest)"))
      ->check(CLI::Range(1, 1000000));
  OnRun(sub, ctx, [&ctx, request, version](Client& client) -> Status {
    request->set_version(*version);
    PARC_ASSIGN_OR_RETURN(v1::Module m, client.Call(&Training::GetModule, *request));
    PrintModule(ctx, m);
    return Ok();
  });
}

struct AddItemOptions {
  std::string code;
  std::vector<std::string> files, titles;
};

// Hashes then uploads one file, showing progress on stderr. Returns the item
// to append.
Expected<v1::ModuleItem> SendFile(Context& ctx, Client& client, const std::filesystem::path& path,
                                  const std::string& title) {
  std::string name = path.filename().string();
  std::error_code ec;
  auto size = static_cast<int64_t>(std::filesystem::file_size(path, ec));
  if (ec) return Fail(ErrorCode::kNotFound, TrF("cannot read {}", path.string()));
  ProgressMeter meter(ctx.io.err, ctx.io.err_is_terminal, name, size);
  meter.Phase(Tr("hashing"));
  PARC_ASSIGN_OR_RETURN(FileDigest digest,
                        HashFile(path, [&meter](int64_t done) { meter.Update(done); }));
  meter.Phase(Tr("uploading"));
  auto sent = UploadFile(client, path, digest, [&meter](int64_t done) { meter.Update(done); });
  if (!sent) {
    meter.Finish(TrF("{}: upload failed", name));
    return std::unexpected(sent.error());
  }
  double seconds = meter.Elapsed();
  if (sent->already_present) {
    meter.Finish(TrF("{0}: {1} already on the server (sha256 {2})", name, HumanSize(digest.size),
                     digest.sha256.substr(0, kShortSha)));
  } else if (seconds < 0.1) {  // too short for a meaningful rate
    meter.Finish(TrF("{0}: {1} uploaded, sha256 {2}", name, HumanSize(digest.size),
                     digest.sha256.substr(0, kShortSha)));
  } else {
    meter.Finish(TrF("{0}: {1} uploaded in {2:.1f} s ({3}), sha256 {4}", name,
                     HumanSize(digest.size), seconds, HumanRate(digest.size, seconds),
                     digest.sha256.substr(0, kShortSha)));
  }
  v1::ModuleItem item;
  item.set_title(title.empty() ? path.stem().string() : title);
  item.set_file_name(name);
  item.set_kind(KindOfFile(path));
  item.set_sha256(digest.sha256);
  item.set_size(digest.size);
  return item;
}

void AddAddItem(CLI::App& modules, Context& ctx) {
  auto* sub = modules.add_subcommand(
      "add-item", Tr("upload files and append them, in order, to the module's draft"));
  auto opts = std::make_shared<AddItemOptions>();
  sub->add_option("CODE", opts->code, Tr("module code"))->required();
  sub->add_option("FILE", opts->files, Tr("files: PDF, video, HTML package (zip), image, audio"))
      ->required();
  sub->add_option("--title", opts->titles,
                  Tr("item title, once per file in order (default: the file name)"))
      ->allow_extra_args(false);
  OnRun(
      sub, ctx,
      [&ctx, opts](Client& client) -> Status {
        // Every file readable and the draft there before sending gigabytes.
        for (const auto& file : opts->files) {
          PARC_TRY(CheckReadableFile(file));
          std::error_code ec;
          if (std::filesystem::file_size(file, ec) == 0 && !ec) {
            return Fail(ErrorCode::kInvalidArgument, TrF("{} is empty", file));
          }
        }
        v1::GetModuleRequest get;
        get.set_code(opts->code);
        PARC_ASSIGN_OR_RETURN(v1::Module latest, client.Call(&Training::GetModule, get));
        if (latest.state() != v1::MODULE_STATE_DRAFT) {
          return Fail(ErrorCode::kFailedPrecondition,
                      TrF("module {0} has no draft (version {1} is {2}); start one with: "
                          "parcctl modules add {0} --title \"...\" --copy-items",
                          opts->code, latest.version(), StateName(latest.state())));
        }
        v1::AddModuleItemsRequest request;
        request.set_code(opts->code);
        for (size_t i = 0; i < opts->files.size(); ++i) {
          std::string title = i < opts->titles.size() ? opts->titles[i] : "";
          PARC_ASSIGN_OR_RETURN(*request.add_items(), SendFile(ctx, client, opts->files[i], title));
        }
        PARC_ASSIGN_OR_RETURN(v1::Module m, client.Call(&Training::AddModuleItems, request));
        PrintModule(ctx, m);
        return Ok();
      },
      [opts] {
        return opts->titles.size() > opts->files.size() ? Tr("more --title than files") : "";
      });
}

// publish, archive: one module code, the module as it is afterwards.
void AddStateVerb(CLI::App& modules, Context& ctx, const std::string& name, Text help,
                  grpc::Status (Training::*rpc)(grpc::ClientContext*, const v1::ModuleRef&,
                                                v1::Module*)) {
  auto* sub = modules.add_subcommand(name, Tr(help));
  auto ref = std::make_shared<v1::ModuleRef>();
  sub->add_option("CODE", *ref->mutable_code(), Tr("module code"))->required();
  OnRun(sub, ctx, [&ctx, ref, rpc](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(v1::Module m, client.Call(rpc, *ref));
    if (ctx.json) return PrintJson(ctx.io.out, m), Ok();
    ctx.io.out << TrF("{0} version {1} is now {2}", m.code(), m.version(), StateName(m.state()))
               << '\n';
    return Ok();
  });
}

}  // namespace

void RegisterModules(CLI::App& app, Context& ctx) {
  auto* modules = app.add_subcommand(
      "modules",
      Tr("training modules: add, list, show, add-item, publish, archive, assign, assignments, "
         "unassign"));
  AddAdd(*modules, ctx);
  AddList(*modules, ctx);
  AddShow(*modules, ctx);
  AddAddItem(*modules, ctx);
  AddStateVerb(*modules, ctx, "publish",
               "publish the draft: it replaces the published version for everyone",
               &Training::PublishModule);
  AddStateVerb(*modules, ctx, "archive", "archive every version: delivered to no one any more",
               &Training::ArchiveModule);
  AddModuleAssignments(*modules, ctx);
}

}  // namespace parc::cli
