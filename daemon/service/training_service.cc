// TrainingService: modules, content upload, assignments, progress.
#include "daemon/service/training_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "common/time.h"
#include "daemon/domain/records.h"
#include "daemon/domain/scope.h"
#include "daemon/domain/training.h"
#include "daemon/service/content_streams.h"
#include "daemon/service/paging.h"

namespace parc::service {

namespace {

constexpr std::string_view kService = "/parc.v1.TrainingService/";

std::string Method(std::string_view name) { return std::string(kService) + std::string(name); }

std::string Trim(std::string_view text) {
  const auto* space = " \t\r\n";
  size_t first = text.find_first_not_of(space);
  if (first == text.npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(space) - first + 1));
}

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

Status OutOfScope(std::string_view what) {
  return Fail(ErrorCode::kPermissionDenied, fmt::format("{} is outside your departments", what));
}

// "<agent id>/<module code>": where the next page of ListProgress starts.
Status ParseProgressToken(const std::string& token, store::ProgressFilter& filter) {
  if (token.empty()) return Ok();
  size_t slash = token.find('/');
  auto [end, ec] = std::from_chars(token.data(), token.data() + slash, filter.after_agent_id);
  if (slash == token.npos || ec != std::errc() || end != token.data() + slash ||
      filter.after_agent_id <= 0) {
    return InvalidArgument("page_token", "not a token returned by this list");
  }
  filter.after_module_code = token.substr(slash + 1);
  return Ok();
}

// A client-streaming call refused before its first message.
class RefusedUpload final : public grpc::ServerReadReactor<v1::UploadContentChunk> {
 public:
  explicit RefusedUpload(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

using Reactor = grpc::ServerUnaryReactor;
using Ctx = grpc::CallbackServerContext;

Reactor* TrainingService::CreateModule(Ctx* ctx, const v1::CreateModuleRequest* req,
                                       v1::Module* resp) {
  return gate_.Unary(ctx, Method("CreateModule"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::CreateModule(w, call, *req));
      return Ok();
    });
  });
}

Reactor* TrainingService::GetModule(Ctx* ctx, const v1::GetModuleRequest* req, v1::Module* resp) {
  return gate_.Unary(ctx, Method("GetModule"), *req, [&](const domain::Call&) {
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::GetModule(r, req->code(), req->version()));
      return Ok();
    });
  });
}

Reactor* TrainingService::ListModules(Ctx* ctx, const v1::ListModulesRequest* req,
                                      v1::ListModulesResponse* resp) {
  return gate_.Unary(ctx, Method("ListModules"), *req, [&](const domain::Call&) -> Status {
    if (!v1::ModuleState_IsValid(req->state())) return InvalidArgument("state", "unknown state");
    store::ModuleFilter filter{.state = req->state(), .tier = Lower(Trim(req->tier()))};
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto modules, r.training().ListModules(filter));
      for (auto& m : modules) *resp->add_modules() = std::move(m.module);
      return Ok();
    });
  });
}

Reactor* TrainingService::AddModuleItems(Ctx* ctx, const v1::AddModuleItemsRequest* req,
                                         v1::Module* resp) {
  return gate_.Unary(ctx, Method("AddModuleItems"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::AddModuleItems(w, call, *req));
      return Ok();
    });
  });
}

Reactor* TrainingService::PublishModule(Ctx* ctx, const v1::ModuleRef* req, v1::Module* resp) {
  return gate_.Unary(ctx, Method("PublishModule"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::PublishModule(w, call, req->code()));
      return Ok();
    });
  });
}

Reactor* TrainingService::ArchiveModule(Ctx* ctx, const v1::ModuleRef* req, v1::Module* resp) {
  return gate_.Unary(ctx, Method("ArchiveModule"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::ArchiveModule(w, call, req->code()));
      return Ok();
    });
  });
}

grpc::ServerReadReactor<v1::UploadContentChunk>* TrainingService::UploadContent(
    Ctx* ctx, v1::UploadContentResponse* resp) {
  if (!files_) {
    return new RefusedUpload(
        grpc::Status(grpc::StatusCode::UNAVAILABLE, "content storage is not configured"));
  }
  return StartUpload(gate_, *files_, ctx, resp);
}

Reactor* TrainingService::AssignModule(Ctx* ctx, const v1::AssignModuleRequest* req,
                                       v1::ModuleAssignment* resp) {
  return gate_.Unary(ctx, Method("AssignModule"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::AssignModule(w, call, *req));
      return Ok();
    });
  });
}

Reactor* TrainingService::ListAssignments(Ctx* ctx, const v1::ListAssignmentsRequest* req,
                                          v1::ListAssignmentsResponse* resp) {
  return gate_.Unary(ctx, Method("ListAssignments"), *req, [&](const domain::Call& call) -> Status {
    PARC_ASSIGN_OR_RETURN(store::Page page, ParsePage(req->page_size(), req->page_token()));
    store::AssignmentFilter filter{.module_code = domain::NormalizeModuleCode(req->module_code()),
                                   .after_id = page.after_id,
                                   .limit = page.limit};
    const std::string employee = Upper(Trim(req->employee_number()));
    return gate_.store().Read([&](store::Reader& r) -> Status {
      if (!employee.empty()) {
        PARC_ASSIGN_OR_RETURN(auto agent, r.FindAgent(employee));
        if (!agent) return NotFound(fmt::format("employee_number: no agent {}", employee));
        if (!call.who.InScope(agent->department())) return OutOfScope("agent " + employee);
        PARC_ASSIGN_OR_RETURN(std::string tier, r.training().FindAgentTier(employee));
        filter.reaching = store::PersonKeys{.employee_number = employee,
                                            .department = agent->department(),
                                            .wave = agent->wave(),
                                            .tier = tier};
      }
      PARC_ASSIGN_OR_RETURN(auto rows, r.training().ListAssignments(filter));
      resp->set_next_page_token(TakePage(rows, page));
      MoveInto(rows, resp->mutable_assignments());
      return Ok();
    });
  });
}

Reactor* TrainingService::RemoveAssignment(Ctx* ctx, const v1::RemoveAssignmentRequest* req,
                                           v1::RemoveAssignmentResponse*) {
  return gate_.Unary(ctx, Method("RemoveAssignment"), *req, [&](const domain::Call& call) {
    return gate_.store().Write(
        [&](store::Writer& w) { return domain::RemoveAssignment(w, call, req->id()); });
  });
}

Reactor* TrainingService::ListProgress(Ctx* ctx, const v1::ListProgressRequest* req,
                                       v1::ListProgressResponse* resp) {
  return gate_.Unary(ctx, Method("ListProgress"), *req, [&](const domain::Call& call) -> Status {
    store::ProgressFilter filter{.employee_number = Upper(Trim(req->employee_number())),
                                 .department = domain::NormalizeCode(req->department()),
                                 .wave = Trim(req->wave()),
                                 .advisor = Trim(req->advisor()),
                                 .module_code = domain::NormalizeModuleCode(req->module_code()),
                                 .today = FormatDate(call.now_ms)};
    const int people_filters = !filter.employee_number.empty() + !filter.department.empty() +
                               !filter.wave.empty() + !filter.advisor.empty();
    if (people_filters > 1) {
      return InvalidArgument("employee_number",
                             "give at most one of employee_number, department, wave, advisor");
    }
    if (req->page_size() < 0) return InvalidArgument("page_size", "negative");
    const int size =
        req->page_size() == 0 ? kDefaultPageSize : std::min(req->page_size(), kMaxPageSize);
    filter.limit = size + 1;
    PARC_TRY(ParseProgressToken(req->page_token(), filter));
    PARC_ASSIGN_OR_RETURN(filter.departments, domain::DepartmentScope(call.who, filter.department));
    return gate_.store().Read([&](store::Reader& r) -> Status {
      if (call.who.Scoped() && !filter.employee_number.empty()) {
        PARC_ASSIGN_OR_RETURN(auto agent, r.FindAgent(filter.employee_number));
        if (agent && !call.who.InScope(agent->department())) {
          return OutOfScope("agent " + filter.employee_number);
        }
      }
      PARC_ASSIGN_OR_RETURN(auto rows, r.training().ListProgress(filter));
      if (static_cast<int>(rows.size()) > size) {
        rows.resize(static_cast<size_t>(size));
        resp->set_next_page_token(
            fmt::format("{}/{}", rows.back().agent_id, rows.back().row.module_code()));
      }
      for (auto& row : rows) *resp->add_rows() = std::move(row.row);
      return Ok();
    });
  });
}

}  // namespace parc::service
