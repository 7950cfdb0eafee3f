// parc.v1.AdminService: operators, API tokens, the audit log, backups.
#pragma once

#include <string>

#include "daemon/content/content_files.h"
#include "daemon/service/gate.h"
#include "parc/v1/admin.grpc.pb.h"

namespace parc::service {

class AdminService final : public v1::AdminService::CallbackService {
 public:
  // Backups are written under `backup_dir`, with the files of `receipts`
  // (borrowed; it must outlive the service); tokens created without a
  // lifetime expire after `token_default_ttl_seconds` (0: never).
  AdminService(Gate& gate, std::string backup_dir, const content::ContentFiles& receipts,
               int64_t token_default_ttl_seconds)
      : gate_(gate),
        backup_dir_(std::move(backup_dir)),
        receipts_(receipts),
        token_default_ttl_seconds_(token_default_ttl_seconds) {}

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* WhoAmI(Ctx*, const v1::WhoAmIRequest*, v1::Operator*) override;
  Reactor* CreateOperator(Ctx*, const v1::CreateOperatorRequest*, v1::Operator*) override;
  Reactor* ListOperators(Ctx*, const v1::ListOperatorsRequest*,
                         v1::ListOperatorsResponse*) override;
  Reactor* DisableOperator(Ctx*, const v1::DisableOperatorRequest*, v1::Operator*) override;
  Reactor* CreateApiToken(Ctx*, const v1::CreateApiTokenRequest*,
                          v1::CreateApiTokenResponse*) override;
  Reactor* ListApiTokens(Ctx*, const v1::ListApiTokensRequest*,
                         v1::ListApiTokensResponse*) override;
  Reactor* RevokeApiToken(Ctx*, const v1::RevokeApiTokenRequest*, v1::ApiToken*) override;
  Reactor* ListAuditEvents(Ctx*, const v1::ListAuditEventsRequest*,
                           v1::ListAuditEventsResponse*) override;
  Reactor* Backup(Ctx*, const v1::BackupRequest*, v1::BackupResponse*) override;

 private:
  Gate& gate_;
  const std::string backup_dir_;
  const content::ContentFiles& receipts_;
  const int64_t token_default_ttl_seconds_;
};

}  // namespace parc::service
