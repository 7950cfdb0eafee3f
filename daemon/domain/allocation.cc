#include "daemon/domain/allocation.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/time.h"
#include "daemon/domain/audit.h"
#include "daemon/domain/inventory.h"
#include "daemon/domain/records.h"

namespace parc::domain {
namespace {

std::string Label(const v1::Device& device) {
  return device.asset_tag().empty() ? device.serial() : device.asset_tag();
}

// Fills the allocation's recipient from the request and says who it is.
Expected<std::string> SetRecipient(store::Writer& w, const Call& call,
                                   const v1::AssignRequest& request, v1::Device& device,
                                   v1::Allocation& allocation) {
  if (request.has_employee_number()) {
    PARC_ASSIGN_OR_RETURN(v1::Agent agent, GetAgent(w, call.who, request.employee_number()));
    if (agent.status() == v1::AGENT_STATUS_LEFT) {
      return FailedPrecondition(fmt::format("agent {} has left", agent.employee_number()));
    }
    allocation.set_employee_number(agent.employee_number());
    allocation.set_kind(request.due_date().empty() ? v1::ALLOCATION_KIND_PERSONAL
                                                   : v1::ALLOCATION_KIND_LOAN);
    device.set_department(agent.department());
    return fmt::format("{} {} ({})", agent.first_name(), agent.last_name(),
                       agent.employee_number());
  }
  if (request.has_site()) {
    if (!request.due_date().empty())
      return InvalidArgument("due_date", "loans are made to a person, not a site");
    v1::Site key;
    key.set_code(request.site());
    Normalize(key);
    PARC_ASSIGN_OR_RETURN(v1::Site site, GetSite(w, key.code()));
    allocation.set_site(site.code());
    allocation.set_kind(v1::ALLOCATION_KIND_SITE);
    device.set_site(site.code());
    return fmt::format("shared pool of {} ({})", site.name(), site.code());
  }
  return InvalidArgument("employee_number", "required, or a site for a shared pool");
}

// A start a little ahead of the server's clock is "now", not the future.
constexpr int64_t kStartClockSkewMs = 60'000;

}  // namespace

Status CheckAssignable(const v1::Device& device) {
  switch (device.lifecycle()) {
    case v1::LIFECYCLE_IN_STOCK:
      return Ok();
    case v1::LIFECYCLE_ASSIGNED:
      return FailedPrecondition(fmt::format(
          "device {} is already assigned{}: return it first", Label(device),
          device.holder_employee_number().empty() ? "" : " to " + device.holder_employee_number()));
    default:
      return FailedPrecondition(fmt::format("device {} is {} and cannot be assigned", Label(device),
                                            LifecycleName(device.lifecycle())));
  }
}

namespace {

// When the allocation started: now, or a back-dated start that keeps history in order.
Expected<int64_t> StartOf(store::Writer& w, const Call& call, const v1::AssignRequest& request,
                          const v1::Device& device) {
  if (!request.has_started_at()) return call.now_ms;
  int64_t start = FromTimestamp(request.started_at());
  if (start > call.now_ms + kStartClockSkewMs)
    return InvalidArgument("started_at", fmt::format("{} is in the future", FormatInstant(start)));
  start = std::min(start, call.now_ms);
  store::AllocationFilter previous;
  previous.device_id = device.id();
  previous.page.limit = 1;  // newest first
  PARC_ASSIGN_OR_RETURN(auto history, w.ListAllocations(previous));
  if (!history.empty() && history[0].has_ended_at() &&
      start < FromTimestamp(history[0].ended_at())) {
    return InvalidArgument(
        "started_at",
        fmt::format("{} is before the end of device {}'s previous allocation ({}): history is "
                    "never rewritten",
                    FormatInstant(start), Label(device),
                    FormatInstant(FromTimestamp(history[0].ended_at()))));
  }
  return start;
}

Status CheckDueDate(const Call& call, const v1::AssignRequest& request, int64_t start) {
  if (request.due_date().empty()) return Ok();
  if (!IsIsoDate(request.due_date())) return InvalidArgument("due_date", "not a date (YYYY-MM-DD)");
  if (start < call.now_ms) {  // a paper record: the due date may have passed already
    if (request.due_date() <= FormatDate(start))
      return InvalidArgument("due_date", fmt::format("{} is not after the start date {}",
                                                     request.due_date(), FormatDate(start)));
    return Ok();
  }
  if (request.due_date() < FormatDate(call.now_ms))
    return InvalidArgument("due_date", "in the past");
  return Ok();
}

}  // namespace

Expected<v1::Allocation> Assign(store::Writer& w, const Call& call,
                                const v1::AssignRequest& request) {
  PARC_ASSIGN_OR_RETURN(v1::Device device, GetDevice(w, call.who, request.device()));
  PARC_TRY(CheckAssignable(device));
  PARC_ASSIGN_OR_RETURN(int64_t start, StartOf(w, call, request, device));
  PARC_TRY(CheckDueDate(call, request, start));
  bool back_dated = start < call.now_ms;
  v1::Allocation allocation;
  allocation.set_device_id(device.id());
  allocation.set_due_date(request.due_date());
  allocation.set_notes(request.notes());
  allocation.set_started_by(call.who.name);
  ToTimestamp(start, allocation.mutable_started_at());
  PARC_ASSIGN_OR_RETURN(std::string recipient, SetRecipient(w, call, request, device, allocation));

  PARC_ASSIGN_OR_RETURN(int64_t id, w.InsertAllocation(allocation));
  device.set_lifecycle(v1::LIFECYCLE_ASSIGNED);
  ToTimestamp(call.now_ms, device.mutable_updated_at());
  PARC_TRY(w.UpdateDevice(device));
  std::string summary = fmt::format("{} to {}", AllocationKindName(allocation.kind()), recipient);
  if (!allocation.due_date().empty()) summary += ", due " + allocation.due_date();
  if (back_dated) {
    summary += fmt::format(" (back-dated: started {}{}, recorded {})", FormatInstant(start),
                           allocation.due_date().empty() ? "" : ", due " + allocation.due_date(),
                           FormatInstant(call.now_ms));
  }
  PARC_TRY(Audit(w, call, "allocation.assign", DeviceTarget(device), summary));

  PARC_ASSIGN_OR_RETURN(auto stored, w.FindOpenAllocation(device.id()));
  if (!stored || stored->id() != id)
    return Fail(ErrorCode::kInternal, "allocation vanished after insert");
  return std::move(*stored);
}

Expected<v1::Allocation> Return(store::Writer& w, const Call& call,
                                const v1::ReturnRequest& request) {
  PARC_ASSIGN_OR_RETURN(v1::Device device, GetDevice(w, call.who, request.device()));
  v1::Lifecycle to =
      request.to() == v1::LIFECYCLE_UNSPECIFIED ? v1::LIFECYCLE_IN_STOCK : request.to();
  if (to != v1::LIFECYCLE_IN_STOCK && to != v1::LIFECYCLE_IN_REPAIR && to != v1::LIFECYCLE_LOST) {
    return InvalidArgument("to", "a returned device goes to in_stock, in_repair or lost");
  }
  PARC_ASSIGN_OR_RETURN(auto open, w.FindOpenAllocation(device.id()));
  if (!open) return FailedPrecondition(fmt::format("device {} is not assigned", Label(device)));

  v1::Allocation closed = std::move(*open);
  ToTimestamp(call.now_ms, closed.mutable_ended_at());
  closed.set_ended_by(call.who.name);
  closed.set_return_condition(request.condition());
  closed.set_returned_to(to);
  PARC_TRY(w.CloseAllocation(closed));
  device.set_lifecycle(to);
  ToTimestamp(call.now_ms, device.mutable_updated_at());
  PARC_TRY(w.UpdateDevice(device));
  std::string from =
      closed.employee_number().empty() ? "site " + closed.site() : closed.employee_number();
  std::string summary = fmt::format("returned from {} to {}", from, LifecycleName(to));
  if (!request.condition().empty()) summary += ": " + request.condition();
  PARC_TRY(Audit(w, call, "allocation.return", DeviceTarget(device), summary));
  return closed;
}

}  // namespace parc::domain
