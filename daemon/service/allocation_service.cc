#include "daemon/service/allocation_service.h"

#include "common/time.h"
#include "daemon/domain/allocation.h"
#include "daemon/domain/audit.h"
#include "daemon/domain/inventory.h"
#include "daemon/domain/records.h"
#include "daemon/domain/scope.h"
#include "daemon/service/paging.h"

namespace parc::service {

namespace {
std::string Method(std::string_view name) {
  return "/parc.v1.AllocationService/" + std::string(name);
}
constexpr int kHistoryLength = 200;
}  // namespace

using Reactor = grpc::ServerUnaryReactor;
using Ctx = grpc::CallbackServerContext;

Reactor* AllocationService::Assign(Ctx* ctx, const v1::AssignRequest* req, v1::Allocation* resp) {
  return gate_.Unary(ctx, Method("Assign"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::Assign(w, call, *req));
      return Ok();
    });
  });
}

Reactor* AllocationService::Return(Ctx* ctx, const v1::ReturnRequest* req, v1::Allocation* resp) {
  return gate_.Unary(ctx, Method("Return"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::Return(w, call, *req));
      return Ok();
    });
  });
}

Reactor* AllocationService::ListAllocations(Ctx* ctx, const v1::ListAllocationsRequest* req,
                                            v1::ListAllocationsResponse* resp) {
  return gate_.Unary(ctx, Method("ListAllocations"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(store::Page page, ParsePage(req->page_size(), req->page_token()));
    store::AllocationFilter filter{.site = domain::NormalizeCode(req->site()),
                                   .department = domain::NormalizeCode(req->department()),
                                   .open_only = req->open_only() || req->overdue_only(),
                                   .page = page};
    PARC_ASSIGN_OR_RETURN(filter.departments, domain::DepartmentScope(call.who, filter.department));
    return gate_.store().Read([&](store::Reader& r) -> Status {
      if (req->overdue_only()) filter.overdue_before = FormatDate(call.now_ms);
      if (!req->employee_number().empty()) {
        v1::Agent key;
        key.set_employee_number(req->employee_number());
        domain::Normalize(key);
        PARC_ASSIGN_OR_RETURN(auto agent, domain::GetAgent(r, call.who, key.employee_number()));
        filter.employee_number = agent.employee_number();
      }
      if (!req->device().empty()) {
        PARC_ASSIGN_OR_RETURN(auto device, domain::GetDevice(r, call.who, req->device()));
        filter.device_id = device.id();
      }
      PARC_ASSIGN_OR_RETURN(auto rows, r.ListAllocations(filter));
      resp->set_next_page_token(TakePage(rows, page));
      MoveInto(rows, resp->mutable_allocations());
      return Ok();
    });
  });
}

Reactor* AllocationService::GetDeviceHistory(Ctx* ctx, const v1::GetDeviceHistoryRequest* req,
                                             v1::GetDeviceHistoryResponse* resp) {
  return gate_.Unary(ctx, Method("GetDeviceHistory"), *req, [&](const domain::Call& call) {
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp->mutable_device(), domain::GetDevice(r, call.who, req->device()));
      store::Page page{.after_id = 0, .limit = kHistoryLength};
      PARC_ASSIGN_OR_RETURN(auto allocations,
                            r.ListAllocations({.device_id = resp->device().id(), .page = page}));
      MoveInto(allocations, resp->mutable_allocations());
      PARC_ASSIGN_OR_RETURN(
          auto events,
          r.ListAuditEvents({.target = domain::DeviceTarget(resp->device()), .page = page}));
      MoveInto(events, resp->mutable_events());
      return Ok();
    });
  });
}

}  // namespace parc::service
