// parcctl enroll-token create, devices revoke, devices allow-enroll: which
// devices may run parc-agent against this parcd.
//
// The text printed and the QR code are the enrollment URL the server answers
// (<public_url>/apprendre/?enroll=<token>; the bare token from an older
// parcd): a tablet opens it in the learner app, and `parc-agent enroll
// --token` takes it as is, so one printed sheet serves both. parcctl never
// guesses public_url: the server knows it.
#include <fmt/format.h>

#include "cli/commands/command.h"
#include "cli/names.h"
#include "cli/qr.h"
#include "common/i18n.h"
#include "common/time.h"

namespace parc::cli {
namespace {

using Inventory = v1::InventoryService::StubInterface;

struct TokenOptions {
  int uses = 1;
  std::string expires, site, kind, png;
  bool no_qr = false;
};

std::string Bindings(const v1::CreateEnrollmentTokenRequest& request) {
  std::string text;
  if (!request.site().empty()) text += TrF(", site {}", request.site());
  if (request.kind() != v1::DEVICE_KIND_UNSPECIFIED) {
    text += TrF(", {} only", KindLabel(request.kind()));
  }
  return text;
}

// What the sheet carries: the URL, or the bare token from an older parcd.
const std::string& Printed(const v1::CreateEnrollmentTokenResponse& response) {
  return response.url().empty() ? response.token() : response.url();
}

// The secret goes to stdout alone (so that it can be piped); what it is, the
// QR code and the warning go to stderr, which stays on the terminal.
void PrintNewToken(Context& ctx, const v1::CreateEnrollmentTokenRequest& request,
                   const v1::CreateEnrollmentTokenResponse& response, const TokenOptions& opts) {
  if (ctx.json) {
    PrintJson(ctx.io.out, response);
  } else {
    ctx.io.out << Printed(response) << '\n';
  }
  ctx.io.out.flush();
  std::string expires = response.has_expires_at()
                            ? TrF("expires {} UTC", When(response.expires_at()))
                            : Tr("never expires");
  ctx.io.err << (response.uses() == 1
                     ? TrF("enrollment token #{0}: {1} use, {2}{3}", response.id(), response.uses(),
                           expires, Bindings(request))
                     : TrF("enrollment token #{0}: {1} uses, {2}{3}", response.id(),
                           response.uses(), expires, Bindings(request)))
             << '\n';
  if (!ctx.json && !opts.no_qr) {
    auto code = QrCode::Encode(Printed(response));
    if (code) {
      bool colours = ctx.io.err_is_terminal && !ctx.io.env("NO_COLOR").has_value();
      ctx.io.err << RenderTerminal(*code, TerminalStyle{.ansi_colours = colours});
      ctx.io.err << Tr("(open the QR code on the tablet, or: parc-agent enroll --token <it>)")
                 << '\n';
    } else {
      ctx.io.err << TrF("(no QR code: {})", code.error().message) << '\n';
    }
  }
  ctx.io.err << Tr("Keep this token now: it will not be shown again. Hand it over privately.")
             << '\n';
}

Status WriteTokenPng(Context& ctx, const std::string& token, const std::string& path) {
  PARC_ASSIGN_OR_RETURN(QrCode code, QrCode::Encode(token));
  PARC_TRY(WritePng(code, path));
  ctx.io.err << TrF("QR code written to {} (readable by you only: it is the token)", path) << '\n';
  return Ok();
}

void AddCreate(CLI::App* tokens, Context& ctx) {
  auto* create = tokens->add_subcommand(
      "create", Tr("make a token that enrolls devices; printed once, as text and as a QR code"));
  auto opts = std::make_shared<TokenOptions>();
  create->add_option("--uses", opts->uses, Tr("how many devices it may enroll (default 1)"))
      ->check(CLI::Range(1, 100000));
  create->add_option("--expires", opts->expires, Tr("lifetime, e.g. 7d (server default: one week)"))
      ->check(DurationArg());
  create->add_option("--site", opts->site, Tr("only for devices of this site"));
  create->add_option("--kind", opts->kind, Tr("only for this kind of device"))
      ->check(Word(KindNames()));
  create->add_option("--png", opts->png, Tr("also write the QR code as a PNG to this file"));
  create->add_flag("--no-qr", opts->no_qr, Tr("do not draw the QR code in the terminal"));
  OnRun(create, ctx, [&ctx, opts](Client& client) -> Status {
    v1::CreateEnrollmentTokenRequest request;
    request.set_uses(opts->uses);
    if (!opts->expires.empty()) {
      PARC_ASSIGN_OR_RETURN(int64_t seconds, ParseDurationSeconds(opts->expires));
      request.set_ttl_seconds(seconds);
    }
    request.set_site(opts->site);
    if (auto kind = ParseKind(opts->kind)) request.set_kind(*kind);
    PARC_ASSIGN_OR_RETURN(auto response, client.Call(&Inventory::CreateEnrollmentToken, request));
    PrintNewToken(ctx, request, response, *opts);
    if (opts->png.empty()) return Ok();
    if (auto written = WriteTokenPng(ctx, Printed(response), opts->png); !written) {
      return Fail(
          written.error().code,
          TrF("{0}: {1}", Tr("the token above was created, but its PNG"), written.error().message));
    }
    return Ok();
  });
}

struct StateChange {
  std::string device, reason;
};

void PrintChanged(Context& ctx, const v1::Device& device, Text what) {
  if (ctx.json) return PrintJson(ctx.io.out, device);
  std::string name = device.asset_tag().empty() ? device.serial() : device.asset_tag();
  ctx.io.out << TrF("{0} {1} (enrolled: {2})", name, Tr(what), EnrollmentLabel(device.enrollment()))
             << '\n';
}

}  // namespace

void RegisterEnrollment(CLI::App& app, Context& ctx) {
  auto* tokens = app.add_subcommand("enroll-token", Tr("tokens that enroll devices (parc-agent)"));
  AddCreate(tokens, ctx);
}

void AddEnrollmentVerbs(CLI::App& devices, Context& ctx) {
  auto* revoke = devices.add_subcommand(
      "revoke",
      Tr("stop a device's credential at once; it may not enroll again until allow-enroll"));
  auto revoked = std::make_shared<v1::RevokeDeviceRequest>();
  revoke->add_option("DEVICE", *revoked->mutable_device(), Tr("asset tag or serial"))->required();
  revoke->add_option("--reason", *revoked->mutable_reason(), Tr("why (kept in the audit log)"));
  OnRun(revoke, ctx, [&ctx, revoked](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(v1::Device device, client.Call(&Inventory::RevokeDevice, *revoked));
    PrintChanged(ctx, device, "revoked: its credential no longer works");
    return Ok();
  });

  auto* allow = devices.add_subcommand("allow-enroll",
                                       Tr("let a revoked device enroll again with a new token"));
  auto allowed = std::make_shared<v1::AllowEnrollmentRequest>();
  allow->add_option("DEVICE", *allowed->mutable_device(), Tr("asset tag or serial"))->required();
  allow->add_option("--reason", *allowed->mutable_reason(), Tr("why (kept in the audit log)"));
  OnRun(allow, ctx, [&ctx, allowed](Client& client) -> Status {
    PARC_ASSIGN_OR_RETURN(v1::Device device, client.Call(&Inventory::AllowEnrollment, *allowed));
    PrintChanged(ctx, device, "may enroll again");
    return Ok();
  });
}

}  // namespace parc::cli
