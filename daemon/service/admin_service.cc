#include "daemon/service/admin_service.h"

#include <fmt/format.h>

#include <filesystem>

#include "common/time.h"
#include "daemon/domain/audit.h"
#include "daemon/domain/operators.h"
#include "daemon/service/paging.h"

namespace parc::service {

namespace {
std::string Method(std::string_view name) { return "/parc.v1.AdminService/" + std::string(name); }
}  // namespace

using Reactor = grpc::ServerUnaryReactor;
using Ctx = grpc::CallbackServerContext;

Reactor* AdminService::WhoAmI(Ctx* ctx, const v1::WhoAmIRequest* req, v1::Operator* resp) {
  return gate_.Unary(ctx, Method("WhoAmI"), *req, [&](const domain::Call& call) {
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto op, r.FindOperator(call.who.name));
      if (!op) return NotFound("operator: gone");
      *resp = std::move(*op);
      if (call.who.token_expires_ms > 0) {
        ToTimestamp(call.who.token_expires_ms, resp->mutable_token_expires_at());
        resp->set_token_expires_soon(
            domain::TokenExpiresSoon(call.who.token_expires_ms, call.now_ms));
      }
      return Ok();
    });
  });
}

Reactor* AdminService::CreateOperator(Ctx* ctx, const v1::CreateOperatorRequest* req,
                                      v1::Operator* resp) {
  return gate_.Unary(ctx, Method("CreateOperator"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::CreateOperator(w, call, req->operator_()));
      return Ok();
    });
  });
}

Reactor* AdminService::ListOperators(Ctx* ctx, const v1::ListOperatorsRequest* req,
                                     v1::ListOperatorsResponse* resp) {
  return gate_.Unary(ctx, Method("ListOperators"), *req, [&](const domain::Call&) -> Status {
    PARC_ASSIGN_OR_RETURN(store::Page page, ParsePage(req->page_size(), req->page_token()));
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, r.ListOperators(page));
      resp->set_next_page_token(TakePage(rows, page));
      MoveInto(rows, resp->mutable_operators());
      return Ok();
    });
  });
}

Reactor* AdminService::DisableOperator(Ctx* ctx, const v1::DisableOperatorRequest* req,
                                       v1::Operator* resp) {
  return gate_.Unary(ctx, Method("DisableOperator"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::DisableOperator(w, call, req->name()));
      return Ok();
    });
  });
}

Reactor* AdminService::CreateApiToken(Ctx* ctx, const v1::CreateApiTokenRequest* req,
                                      v1::CreateApiTokenResponse* resp) {
  return gate_.Unary(ctx, Method("CreateApiToken"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(auto token,
                            domain::CreateApiToken(w, call, *req, token_default_ttl_seconds_));
      *resp->mutable_info() = std::move(token.info);
      resp->set_token(std::move(token.secret));
      return Ok();
    });
  });
}

Reactor* AdminService::ListApiTokens(Ctx* ctx, const v1::ListApiTokensRequest* req,
                                     v1::ListApiTokensResponse* resp) {
  return gate_.Unary(ctx, Method("ListApiTokens"), *req, [&](const domain::Call&) {
    return gate_.store().Read([&](store::Reader& r) -> Status {
      PARC_ASSIGN_OR_RETURN(auto rows, r.ListApiTokens(req->operator_name()));
      MoveInto(rows, resp->mutable_tokens());
      return Ok();
    });
  });
}

Reactor* AdminService::RevokeApiToken(Ctx* ctx, const v1::RevokeApiTokenRequest* req,
                                      v1::ApiToken* resp) {
  return gate_.Unary(ctx, Method("RevokeApiToken"), *req, [&](const domain::Call& call) {
    return gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(*resp, domain::RevokeApiToken(w, call, req->id()));
      return Ok();
    });
  });
}

Reactor* AdminService::ListAuditEvents(Ctx* ctx, const v1::ListAuditEventsRequest* req,
                                       v1::ListAuditEventsResponse* resp) {
  return gate_.Unary(ctx, Method("ListAuditEvents"), *req, [&](const domain::Call&) -> Status {
    PARC_ASSIGN_OR_RETURN(store::Page page, ParsePage(req->page_size(), req->page_token()));
    store::AuditFilter filter{.actor = req->actor(),
                              .action_prefix = req->action(),
                              .target = req->target(),
                              .since_ms = req->has_since() ? FromTimestamp(req->since()) : 0,
                              .until_ms = req->has_until() ? FromTimestamp(req->until()) : 0,
                              .page = page};
    return gate_.store().Read([&](store::Reader& r) -> Status {
      if (!filter.target.empty()) {
        PARC_ASSIGN_OR_RETURN(filter.target, domain::AuditTargetFilter(r, filter.target));
      }
      PARC_ASSIGN_OR_RETURN(auto rows, r.ListAuditEvents(filter));
      resp->set_next_page_token(TakePage(rows, page));
      MoveInto(rows, resp->mutable_events());
      return Ok();
    });
  });
}

Reactor* AdminService::Backup(Ctx* ctx, const v1::BackupRequest* req, v1::BackupResponse* resp) {
  return gate_.Unary(ctx, Method("Backup"), *req, [&](const domain::Call& call) -> Status {
    std::error_code ec;
    std::filesystem::create_directories(backup_dir_, ec);
    if (ec) return Fail(ErrorCode::kUnavailable, "backup directory: " + ec.message());
    std::string stamp = FormatInstant(call.now_ms);
    std::erase(stamp, ':');
    std::string path = (std::filesystem::path(backup_dir_) / ("parc-" + stamp + ".db")).string();
    PARC_ASSIGN_OR_RETURN(int64_t bytes, gate_.store().Backup(path));
    // After the database copy: every receipt it names had its files renamed
    // into place before its row committed, and no named file is ever removed.
    std::string receipts_path;
    int64_t receipt_files = 0;
    if (!receipts_.root().empty()) {
      receipts_path = path.substr(0, path.size() - 3) + ".receipts";
      PARC_ASSIGN_OR_RETURN(receipt_files, receipts_.CopyStoredTo(receipts_path));
    }
    PARC_TRY(gate_.store().Write([&](store::Writer& w) {
      return domain::Audit(
          w, call, "backup.create", "backup:" + path,
          fmt::format("{} bytes, {} receipt files in {}", bytes, receipt_files, receipts_path));
    }));
    resp->set_path(path);
    resp->set_bytes(bytes);
    resp->set_receipts_path(receipts_path);
    resp->set_receipt_files(receipt_files);
    return Ok();
  });
}

}  // namespace parc::service
