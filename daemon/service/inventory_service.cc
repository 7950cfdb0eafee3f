#include "daemon/service/inventory_service.h"

#include <fmt/format.h>

#include "common/enrollment_url.h"
#include "daemon/domain/enrollment.h"
#include "daemon/domain/import.h"
#include "daemon/domain/inventory.h"
#include "daemon/domain/records.h"
#include "daemon/domain/scope.h"
#include "daemon/service/paging.h"

namespace parc::service {

namespace {
constexpr std::string_view kService = "/parc.v1.InventoryService/";

constexpr int kDefaultRecentReports = 10;
constexpr int kMaxRecentReports = 100;
constexpr int kDeviceSessions = 20;
constexpr int kDefaultSearchLimit = 10;
constexpr int kMaxSearchLimit = 50;
constexpr size_t kMaxSearchBytes = 200;
constexpr int64_t kMaxStaleSeconds = 10LL * 366 * 24 * 3600;

std::string Method(std::string_view name) { return std::string(kService) + std::string(name); }

std::vector<std::string> IgnoredColumns(const v1::ImportRequest& req) {
  return {req.ignore_columns().begin(), req.ignore_columns().end()};
}
}  // namespace

using Reactor = grpc::ServerUnaryReactor;
using Ctx = grpc::CallbackServerContext;

Reactor* InventoryService::GetAgent(Ctx* ctx, const v1::GetAgentRequest* req, v1::Agent* resp) {
  return gate_.Unary(ctx, Method("GetAgent"), *req, [&](const domain::Call& call) {
    return gate_.store().Read([&](store::Reader& r) -> Status {
      v1::Agent key;
      key.set_employee_number(req->employee_number());
      domain::Normalize(key);
      PARC_ASSIGN_OR_RETURN(*resp, domain::GetAgent(r, call.who, key.employee_number()));
      return Ok();
    });
  });
}

Reactor* InventoryService::ListAgents(Ctx* ctx, const v1::ListAgentsRequest* req,
                                      v1::ListAgentsResponse* resp) {
  return gate_.Unary(ctx, Method("ListAgents"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(store::Page page, ParsePage(req->page_size(), req->page_token()));
    store::AgentFilter filter{.department = domain::NormalizeCode(req->department()),
                              .site = domain::NormalizeCode(req->site()),
                              .wave = req->wave(),
                              .advisor = req->advisor(),
                              .query = req->query(),
                              .status = req->status(),
                              .without_email_only = req->without_email_only(),
                              .departments = {},
                              .page = page};
    PARC_ASSIGN_OR_RETURN(filter.departments, domain::DepartmentScope(call.who, filter.department));
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, r.ListAgents(filter));
      resp->set_next_page_token(TakePage(rows, page));
      MoveInto(rows, resp->mutable_agents());
      return Ok();
    });
  });
}

Reactor* InventoryService::CreateAgent(Ctx* ctx, const v1::CreateAgentRequest* req,
                                       v1::Agent* resp) {
  return gate_.Unary(ctx, Method("CreateAgent"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::CreateAgent(w, call, req->agent()));
      return Ok();
    });
  });
}

Reactor* InventoryService::UpdateAgent(Ctx* ctx, const v1::UpdateAgentRequest* req,
                                       v1::Agent* resp) {
  return gate_.Unary(ctx, Method("UpdateAgent"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::UpdateAgent(w, call, req->agent(), req->update_mask()));
      return Ok();
    });
  });
}

Reactor* InventoryService::ImportAgents(Ctx* ctx, const v1::ImportRequest* req,
                                        v1::ImportResult* resp) {
  return gate_.Unary(ctx, Method("ImportAgents"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(
        *resp, domain::ImportAgents(gate_.store(), req->csv(), call.who.name, call.now_ms,
                                    req->dry_run(), IgnoredColumns(*req)));
    return Ok();
  });
}

Reactor* InventoryService::GetDevice(Ctx* ctx, const v1::GetDeviceRequest* req, v1::Device* resp) {
  return gate_.Unary(ctx, Method("GetDevice"), *req, [&](const domain::Call& call) {
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::GetDevice(r, call.who, req->device()));
      return Ok();
    });
  });
}

Reactor* InventoryService::ListDevices(Ctx* ctx, const v1::ListDevicesRequest* req,
                                       v1::ListDevicesResponse* resp) {
  return gate_.Unary(ctx, Method("ListDevices"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(store::Page page, ParsePage(req->page_size(), req->page_token()));
    if (req->stale_seconds() < 0 || req->stale_seconds() > kMaxStaleSeconds) {
      return InvalidArgument("stale_seconds", "0 to 10 years");
    }
    store::DeviceFilter filter{.department = domain::NormalizeCode(req->department()),
                               .site = domain::NormalizeCode(req->site()),
                               .query = req->query(),
                               .kind = req->kind(),
                               .lifecycle = req->lifecycle(),
                               .stale_before_ms = 0,
                               .departments = {},
                               .page = page};
    PARC_ASSIGN_OR_RETURN(filter.departments, domain::DepartmentScope(call.who, filter.department));
    if (req->stale_seconds() > 0)
      filter.stale_before_ms = call.now_ms - req->stale_seconds() * 1000;
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, r.ListDevices(filter));
      resp->set_next_page_token(TakePage(rows, page));
      MoveInto(rows, resp->mutable_devices());
      return Ok();
    });
  });
}

Reactor* InventoryService::CreateDevice(Ctx* ctx, const v1::CreateDeviceRequest* req,
                                        v1::Device* resp) {
  return gate_.Unary(ctx, Method("CreateDevice"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::CreateDevice(w, call, req->device()));
      return Ok();
    });
  });
}

Reactor* InventoryService::UpdateDevice(Ctx* ctx, const v1::UpdateDeviceRequest* req,
                                        v1::Device* resp) {
  return gate_.Unary(ctx, Method("UpdateDevice"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp,
                            domain::UpdateDevice(w, call, req->device(), req->update_mask()));
      return Ok();
    });
  });
}

Reactor* InventoryService::SetDeviceLifecycle(Ctx* ctx, const v1::SetDeviceLifecycleRequest* req,
                                              v1::Device* resp) {
  return gate_.Unary(ctx, Method("SetDeviceLifecycle"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::SetDeviceLifecycle(w, call, req->device(),
                                                              req->lifecycle(), req->reason()));
      return Ok();
    });
  });
}

Reactor* InventoryService::ImportDevices(Ctx* ctx, const v1::ImportRequest* req,
                                         v1::ImportResult* resp) {
  return gate_.Unary(ctx, Method("ImportDevices"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(
        *resp, domain::ImportDevices(gate_.store(), req->csv(), call.who.name, call.now_ms,
                                     req->dry_run(), IgnoredColumns(*req)));
    return Ok();
  });
}

Reactor* InventoryService::GetSite(Ctx* ctx, const v1::GetSiteRequest* req, v1::Site* resp) {
  return gate_.Unary(ctx, Method("GetSite"), *req, [&](const domain::Call&) {
    return gate_.store().Read([&](store::Reader& r) -> Status {
      v1::Site key;
      key.set_code(req->code());
      domain::Normalize(key);
      PARC_ASSIGN_OR_RETURN(*resp, domain::GetSite(r, key.code()));
      return Ok();
    });
  });
}

Reactor* InventoryService::ListSites(Ctx* ctx, const v1::ListSitesRequest* req,
                                     v1::ListSitesResponse* resp) {
  return gate_.Unary(ctx, Method("ListSites"), *req, [&](const domain::Call&) -> Status {
    PARC_ASSIGN_OR_RETURN(store::Page page, ParsePage(req->page_size(), req->page_token()));
    store::SiteFilter filter{.query = req->query(), .page = page};
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, r.ListSites(filter));
      resp->set_next_page_token(TakePage(rows, page));
      MoveInto(rows, resp->mutable_sites());
      return Ok();
    });
  });
}

Reactor* InventoryService::ListDepartments(Ctx* ctx, const v1::ListDepartmentsRequest* req,
                                           v1::ListDepartmentsResponse* resp) {
  return gate_.Unary(ctx, Method("ListDepartments"), *req, [&](const domain::Call&) -> Status {
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, r.ListDepartments());
      MoveInto(rows, resp->mutable_departments());
      return Ok();
    });
  });
}

Reactor* InventoryService::CreateSite(Ctx* ctx, const v1::CreateSiteRequest* req, v1::Site* resp) {
  return gate_.Unary(ctx, Method("CreateSite"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::CreateSite(w, call, req->site()));
      return Ok();
    });
  });
}

Reactor* InventoryService::UpdateSite(Ctx* ctx, const v1::UpdateSiteRequest* req, v1::Site* resp) {
  return gate_.Unary(ctx, Method("UpdateSite"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::UpdateSite(w, call, req->site(), req->update_mask()));
      return Ok();
    });
  });
}

Reactor* InventoryService::CreateEnrollmentToken(Ctx* ctx,
                                                 const v1::CreateEnrollmentTokenRequest* req,
                                                 v1::CreateEnrollmentTokenResponse* resp) {
  return gate_.Unary(ctx, Method("CreateEnrollmentToken"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::CreateEnrollmentToken(w, call, *req));
      resp->set_url(EnrollmentUrl(public_url_, resp->token()));
      return Ok();
    });
  });
}

Reactor* InventoryService::RevokeDevice(Ctx* ctx, const v1::RevokeDeviceRequest* req,
                                        v1::Device* resp) {
  return gate_.Unary(ctx, Method("RevokeDevice"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::RevokeDevice(w, call, req->device(), req->reason()));
      return Ok();
    });
  });
}

Reactor* InventoryService::AllowEnrollment(Ctx* ctx, const v1::AllowEnrollmentRequest* req,
                                           v1::Device* resp) {
  return gate_.Unary(ctx, Method("AllowEnrollment"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::AllowEnrollment(w, call, req->device(), req->reason()));
      return Ok();
    });
  });
}

Reactor* InventoryService::GetDeviceStatus(Ctx* ctx, const v1::GetDeviceStatusRequest* req,
                                           v1::GetDeviceStatusResponse* resp) {
  return gate_.Unary(ctx, Method("GetDeviceStatus"), *req, [&](const domain::Call& call) -> Status {
    if (req->recent() < 0 || req->recent() > kMaxRecentReports) {
      return InvalidArgument("recent", fmt::format("0 to {}", kMaxRecentReports));
    }
    int recent = req->recent() == 0 ? kDefaultRecentReports : req->recent();
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp->mutable_device(), domain::GetDevice(r, call.who, req->device()));
      int64_t id = resp->device().id();
      PARC_ASSIGN_OR_RETURN(auto status, r.GetDeviceStatus(id));
      if (status) *resp->mutable_status() = std::move(*status);
      PARC_ASSIGN_OR_RETURN(auto reports, r.ListRecentReports(id, recent));
      MoveInto(reports, resp->mutable_recent());
      PARC_ASSIGN_OR_RETURN(auto sessions,
                            r.ListUsageSessions({.device_id = id, .limit = kDeviceSessions}));
      MoveInto(sessions, resp->mutable_sessions());
      return Ok();
    });
  });
}

Reactor* InventoryService::Search(Ctx* ctx, const v1::SearchRequest* req,
                                  v1::SearchResponse* resp) {
  return gate_.Unary(ctx, Method("Search"), *req, [&](const domain::Call& call) -> Status {
    if (req->query().size() > kMaxSearchBytes) {
      return InvalidArgument("query", fmt::format("at most {} bytes", kMaxSearchBytes));
    }
    if (req->limit() < 0 || req->limit() > kMaxSearchLimit) {
      return InvalidArgument("limit", fmt::format("0 to {}", kMaxSearchLimit));
    }
    store::SearchFilter filter{.query = req->query(),
                               .limit = req->limit() == 0 ? kDefaultSearchLimit : req->limit(),
                               .departments = {}};
    PARC_ASSIGN_OR_RETURN(filter.departments, domain::DepartmentScope(call.who, ""));
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto devices, r.SearchDevices(filter));
      MoveInto(devices, resp->mutable_devices());
      PARC_ASSIGN_OR_RETURN(auto agents, r.SearchAgents(filter));
      MoveInto(agents, resp->mutable_agents());
      return Ok();
    });
  });
}

}  // namespace parc::service
