// parcctl sites list|show|add: the places devices are kept and used.
#include "cli/commands/command.h"
#include "cli/table.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

using Inventory = v1::InventoryService::StubInterface;

void PrintSites(Context& ctx, const v1::ListSitesResponse& response) {
  if (ctx.json) return PrintJson(ctx.io.out, response);
  Table table({Tr("CODE"), Tr("NAME"), Tr("ADDRESS")});
  for (const auto& s : response.sites()) table.AddRow({s.code(), s.name(), s.address()});
  table.Print(ctx.io.out);
}

void PrintSite(Context& ctx, const v1::Site& site) {
  v1::ListSitesResponse one;
  *one.add_sites() = site;
  if (ctx.json) return PrintJson(ctx.io.out, site);
  PrintSites(ctx, one);
}

void AddList(CLI::App& sites, Context& ctx) {
  auto* sub = sites.add_subcommand("list", Tr("list every site"));
  auto request = std::make_shared<v1::ListSitesRequest>();
  sub->add_option("--query", *request->mutable_query(), Tr("text in code or name"));
  OnRun(sub, ctx, [&ctx, request](Client& client) -> Status {
    request->set_page_size(kDefaultPageSize);
    PARC_ASSIGN_OR_RETURN(auto response, CollectPages<v1::ListSitesResponse>(
                                             [&](const std::string& token) {
                                               request->set_page_token(token);
                                               return client.Call(&Inventory::ListSites, *request);
                                             },
                                             true));
    PrintSites(ctx, response);
    return Ok();
  });
}

void AddShow(CLI::App& sites, Context& ctx) {
  auto* sub = sites.add_subcommand("show", Tr("show one site"));
  auto request = std::make_shared<v1::GetSiteRequest>();
  sub->add_option("CODE", *request->mutable_code(), Tr("site code"))->required();
  OnRun(sub, ctx, [&ctx, request](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(v1::Site site, client.Call(&Inventory::GetSite, *request));
    PrintSite(ctx, site);
    return Ok();
  });
}

void AddAdd(CLI::App& sites, Context& ctx) {
  auto* sub = sites.add_subcommand("add", Tr("register a site"));
  auto request = std::make_shared<v1::CreateSiteRequest>();
  auto* site = request->mutable_site();
  sub->add_option("CODE", *site->mutable_code(), Tr("site code, e.g. CTM-NORD"))->required();
  sub->add_option("--name", *site->mutable_name(), Tr("name"))->required();
  sub->add_option("--address", *site->mutable_address(), Tr("postal address"));
  OnRun(sub, ctx, [&ctx, request](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(v1::Site created, client.Call(&Inventory::CreateSite, *request));
    PrintSite(ctx, created);
    return Ok();
  });
}

}  // namespace

void RegisterSites(CLI::App& app, Context& ctx) {
  auto* sites = app.add_subcommand("sites", Tr("sites: list, show, add"));
  AddList(*sites, ctx);
  AddShow(*sites, ctx);
  AddAdd(*sites, ctx);
}

}  // namespace parc::cli
