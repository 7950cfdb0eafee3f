// parcctl operators, tokens, audit, whoami, backup: who may use Parc and what
// they did.
#include <fmt/format.h>

#include "cli/commands/command.h"
#include "cli/names.h"
#include "cli/table.h"
#include "common/i18n.h"
#include "common/time.h"

namespace parc::cli {
namespace {

using Admin = v1::AdminService::StubInterface;

void PrintOperators(Context& ctx, const v1::ListOperatorsResponse& response) {
  if (ctx.json) return PrintJson(ctx.io.out, response);
  Table table({Tr("NAME"), Tr("ROLE"), Tr("DEPARTMENTS"), Tr("DISABLED"), Tr("CREATED")});
  for (const auto& o : response.operators()) {
    table.AddRow({o.name(), std::string(RoleName(o.role())), Join(o.departments()),
                  o.disabled() ? Tr("yes") : "", When(o.created_at())});
  }
  table.Print(ctx.io.out);
}

void PrintOperator(Context& ctx, const v1::Operator& op) {
  v1::ListOperatorsResponse one;
  *one.add_operators() = op;
  if (ctx.json) return PrintJson(ctx.io.out, op);
  PrintOperators(ctx, one);
}

// The secret goes to stdout (so it can be piped), the warning to stderr.
void PrintNewToken(Context& ctx, const v1::CreateApiTokenResponse& response) {
  if (ctx.json) return PrintJson(ctx.io.out, response);
  ctx.io.out << response.token() << '\n';
  ctx.io.err << TrF("token #{0} for {1}", response.info().id(), response.info().operator_name())
             << (response.info().has_expires_at()
                     ? TrF(", expires {}", When(response.info().expires_at()))
                     : Tr(", never expires"))
             << '\n'
             << Tr("Keep this token now: it will not be shown again. Hand it over privately.")
             << '\n';
}

struct OperatorOptions {
  v1::Operator op;
  std::string role;
  std::vector<std::string> departments;
};

void AddOperatorAdd(CLI::App* operators, Context& ctx) {
  auto* add = operators->add_subcommand("add", Tr("create an operator and a first token"));
  auto opts = std::make_shared<OperatorOptions>();
  add->add_option("NAME", *opts->op.mutable_name(), Tr("login name"))->required();
  add->add_option("--role", opts->role, Tr("role"))->required()->check(Word(RoleNames()));
  add->add_option("--department", opts->departments, Tr("a department a manager sees (repeat)"));
  OnRun(add, ctx, [&ctx, opts](Client& client) -> Status {
    v1::CreateOperatorRequest create;
    *create.mutable_operator_() = opts->op;
    create.mutable_operator_()->set_role(*ParseRole(opts->role));
    for (const auto& d : opts->departments) create.mutable_operator_()->add_departments(d);
    PARC_ASSIGN_OR_RETURN(v1::Operator op, client.Call(&Admin::CreateOperator, create));
    v1::CreateApiTokenRequest token;
    token.set_operator_name(op.name());
    token.set_label("created with the operator");
    auto created = client.Call(&Admin::CreateApiToken, token);
    if (!created) {
      return Fail(created.error().code,
                  TrF("{0}: {1}",
                      TrF("operator {} created, but not its token (run `parcctl tokens create "
                          "--operator {}`)",
                          op.name(), op.name()),
                      created.error().message));
    }
    if (!ctx.json) PrintOperator(ctx, op);
    PrintNewToken(ctx, *created);
    return Ok();
  });
}

void AddOperators(CLI::App& app, Context& ctx) {
  auto* operators = app.add_subcommand("operators", Tr("people using parcctl and the page"));
  AddOperatorAdd(operators, ctx);

  auto* list = operators->add_subcommand("list", Tr("list operators"));
  OnRun(list, ctx, [&ctx](Client& client) -> Status {
    v1::ListOperatorsRequest request;
    request.set_page_size(kDefaultPageSize);
    PARC_ASSIGN_OR_RETURN(auto response, CollectPages<v1::ListOperatorsResponse>(
                                             [&](const std::string& page) {
                                               request.set_page_token(page);
                                               return client.Call(&Admin::ListOperators, request);
                                             },
                                             true));
    PrintOperators(ctx, response);
    return Ok();
  });

  auto* revoke =
      operators->add_subcommand("revoke", Tr("disable an operator and all their tokens"));
  auto disable = std::make_shared<v1::DisableOperatorRequest>();
  revoke->add_option("NAME", *disable->mutable_name(), Tr("login name"))->required();
  OnRun(revoke, ctx, [&ctx, disable](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(v1::Operator op, client.Call(&Admin::DisableOperator, *disable));
    PrintOperator(ctx, op);
    return Ok();
  });
}

void PrintTokens(Context& ctx, const v1::ListApiTokensResponse& response) {
  if (ctx.json) return PrintJson(ctx.io.out, response);
  Table table({Tr("ID"), Tr("OPERATOR"), Tr("LABEL"), Tr("CREATED"), Tr("EXPIRES"), Tr("LAST USED"),
               Tr("REVOKED")});
  for (const auto& t : response.tokens()) {
    table.AddRow({std::to_string(t.id()), t.operator_name(), t.label(), When(t.created_at()),
                  When(t.expires_at()), When(t.last_used_at()), When(t.revoked_at())});
  }
  table.Print(ctx.io.out);
}

struct TokenOptions {
  v1::CreateApiTokenRequest request;
  std::string expires;
};

void AddTokens(CLI::App& app, Context& ctx) {
  auto* tokens = app.add_subcommand("tokens", Tr("API tokens"));

  auto* create = tokens->add_subcommand("create", Tr("create a token (yours unless --operator)"));
  auto opts = std::make_shared<TokenOptions>();
  create->add_option("--operator", *opts->request.mutable_operator_name(), Tr("operator name"));
  create->add_option("--label", *opts->request.mutable_label(), Tr("what the token is for"));
  create
      ->add_option("--expires", opts->expires,
                   Tr("lifetime, e.g. 30d (default: the server's token_default_ttl_days, 90 days)"))
      ->check(DurationArg());
  OnRun(create, ctx, [&ctx, opts](Client& client) -> Status {
    v1::CreateApiTokenRequest request = opts->request;
    if (!opts->expires.empty()) {
      PARC_ASSIGN_OR_RETURN(int64_t seconds, ParseDurationSeconds(opts->expires));
      request.set_ttl_seconds(seconds);
    }
    PARC_ASSIGN_OR_RETURN(auto created, client.Call(&Admin::CreateApiToken, request));
    PrintNewToken(ctx, created);
    return Ok();
  });

  auto* list = tokens->add_subcommand("list", Tr("list tokens (never their secrets)"));
  auto list_request = std::make_shared<v1::ListApiTokensRequest>();
  list->add_option("--operator", *list_request->mutable_operator_name(), Tr("operator name"));
  OnRun(list, ctx, [&ctx, list_request](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(auto response, client.Call(&Admin::ListApiTokens, *list_request));
    PrintTokens(ctx, response);
    return Ok();
  });

  auto* revoke = tokens->add_subcommand("revoke", Tr("revoke a token by id"));
  auto token_id = std::make_shared<int64_t>(0);
  revoke->add_option("ID", *token_id, Tr("token id (see tokens list)"))
      ->required()
      ->check(CLI::PositiveNumber);
  OnRun(revoke, ctx, [&ctx, token_id](Client& client) -> Status {
    v1::RevokeApiTokenRequest request;
    request.set_id(*token_id);
    PARC_ASSIGN_OR_RETURN(v1::ApiToken token, client.Call(&Admin::RevokeApiToken, request));
    if (ctx.json) {
      PrintJson(ctx.io.out, token);
      return Ok();
    }
    ctx.io.out << TrF("token #{0} of {1} revoked", token.id(), token.operator_name()) << '\n';
    return Ok();
  });
}

}  // namespace

void RegisterAdmin(CLI::App& app, Context& ctx) {
  AddOperators(app, ctx);
  AddTokens(app, ctx);
  AddAudit(app, ctx);

  auto* whoami = app.add_subcommand("whoami", Tr("the operator your token belongs to"));
  OnRun(whoami, ctx, [&ctx](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(v1::Operator op, client.Call(&Admin::WhoAmI, v1::WhoAmIRequest{}));
    if (ctx.json) {
      PrintJson(ctx.io.out, op);
      return Ok();
    }
    ctx.io.out << op.name() << " (" << RoleName(op.role());
    if (op.departments_size() > 0) ctx.io.out << ": " << Join(op.departments());
    ctx.io.out << ")\n";
    if (op.has_token_expires_at()) {
      ctx.io.out << TrF("token expires {}", When(op.token_expires_at())) << '\n';
    }
    if (op.token_expires_soon()) {
      ctx.io.err << TrF("warning: your token expires {}; create another with `parcctl tokens "
                        "create` and revoke this one",
                        When(op.token_expires_at()))
                 << '\n';
    }
    return Ok();
  });

  auto* backup = app.add_subcommand("backup", Tr("write a consistent copy of the database"));
  OnRun(backup, ctx, [&ctx](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(auto response, client.Call(&Admin::Backup, v1::BackupRequest{}));
    if (ctx.json) {
      PrintJson(ctx.io.out, response);
      return Ok();
    }
    ctx.io.out << TrF("backup written on the server: {0} ({1} bytes)", response.path(),
                      response.bytes())
               << '\n';
    if (!response.receipts_path().empty()) {
      ctx.io.out << TrF("signed receipts with it: {0} files in {1}", response.receipt_files(),
                        response.receipts_path())
                 << '\n';
    }
    return Ok();
  });
}

}  // namespace parc::cli
