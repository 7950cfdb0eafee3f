// Operators, API tokens and the audit log.
#include "tests/unit/daemon/store/store_test.h"

namespace parc::store::testing {
namespace {

v1::Operator MakeOperator(const std::string& name, v1::Role role) {
  v1::Operator op;
  op.set_name(name);
  op.set_role(role);
  SetTime(op.mutable_created_at(), kNowMs);
  return op;
}

int64_t AddOperator(Store& store, const v1::Operator& op) {
  int64_t id = 0;
  Status written = store.Write([&](Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(id, w.InsertOperator(op));
    return Discard(w.AppendAudit(MakeEvent("admin", "operator.create", "operator:" + op.name())));
  });
  EXPECT_TRUE(written) << written.error().message;
  return id;
}

TokenRecord MakeToken(const std::string& operator_name, const std::string& hash) {
  TokenRecord token;
  token.info.set_operator_name(operator_name);
  token.info.set_label("laptop");
  SetTime(token.info.mutable_created_at(), kNowMs);
  SetTime(token.info.mutable_expires_at(), kNowMs + 86'400'000);
  token.secret_hash = hash;
  return token;
}

TEST_P(StoreTest, OperatorRoundTripsWithItsDepartments) {
  v1::Operator op = MakeOperator("claire", v1::ROLE_MANAGER);
  op.add_departments("VOIRIE");
  op.add_departments("EAU");
  op.set_id(AddOperator(store(), op));

  auto found =
      Get<std::optional<v1::Operator>>(store(), [](Reader& r) { return r.FindOperator("claire"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->SerializeAsString(), op.SerializeAsString());

  op.clear_departments();
  op.add_departments("PROPRETE");
  op.set_disabled(true);
  ASSERT_TRUE(Audited([&](Writer& w) { return w.UpdateOperator(op); }));
  auto all = Get<std::vector<v1::Operator>>(store(), [](Reader& r) { return r.ListOperators({}); });
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].SerializeAsString(), op.SerializeAsString());

  Status dup = store().Write(
      [](Writer& w) { return Discard(w.InsertOperator(MakeOperator("claire", v1::ROLE_ADMIN))); });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().message, "name: already exists: claire");
}

TEST_P(StoreTest, FindsTokenByHashAndRecordsRevocation) {
  int64_t op = AddOperator(store(), MakeOperator("paul", v1::ROLE_LOGISTICS));
  AddOperator(store(), MakeOperator("zoe", v1::ROLE_ADMIN));
  int64_t id = 0;
  ASSERT_TRUE(Audited([&](Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(id, w.InsertApiToken(MakeToken("paul", std::string(64, 'a'))));
    return Discard(w.InsertApiToken(MakeToken("zoe", std::string(64, 'b'))));
  }));

  auto found = Get<std::optional<TokenRecord>>(
      store(), [](Reader& r) { return r.FindApiTokenByHash(std::string(64, 'a')); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->info.id(), id);
  EXPECT_EQ(found->operator_id, op);
  EXPECT_EQ(found->info.operator_name(), "paul");
  EXPECT_FALSE(found->info.has_revoked_at());
  EXPECT_FALSE(Get<std::optional<TokenRecord>>(
      store(), [](Reader& r) { return r.FindApiTokenByHash(std::string(64, 'c')); }));

  v1::ApiToken revoked = found->info;
  SetTime(revoked.mutable_revoked_at(), kNowMs + 5);
  SetTime(revoked.mutable_last_used_at(), kNowMs + 3);
  ASSERT_TRUE(Audited([&](Writer& w) { return w.UpdateApiToken(revoked); }));
  auto by_id =
      Get<std::optional<TokenRecord>>(store(), [&](Reader& r) { return r.FindApiTokenById(id); });
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->info.SerializeAsString(), revoked.SerializeAsString());

  auto pauls =
      Get<std::vector<v1::ApiToken>>(store(), [](Reader& r) { return r.ListApiTokens("paul"); });
  EXPECT_EQ(pauls.size(), 1u);
  auto all = Get<std::vector<v1::ApiToken>>(store(), [](Reader& r) { return r.ListApiTokens(""); });
  EXPECT_EQ(all.size(), 2u);

  Status dup = Audited(
      [](Writer& w) { return Discard(w.InsertApiToken(MakeToken("zoe", std::string(64, 'a')))); });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
}

TEST_P(StoreTest, FiltersAuditEventsByActorActionTargetAndTime) {
  ASSERT_TRUE(store().Write([](Writer& w) -> Status {
    PARC_TRY(w.AppendAudit(MakeEvent("paul", "device.create", "device:SN1", kNowMs)));
    PARC_TRY(w.AppendAudit(MakeEvent("paul", "device.update", "device:SN1", kNowMs + 10)));
    PARC_TRY(w.AppendAudit(MakeEvent("zoe", "devices.purge", "device:SN2", kNowMs + 20)));
    PARC_TRY(w.AppendAudit(MakeEvent("zoe", "device", "device:SN2", kNowMs + 30)));
    return Discard(w.AppendAudit(MakeEvent("zoe", "allocation.return", "device:SN1", kNowMs + 40)));
  }));
  auto actions = [&](auto set) {
    AuditFilter f;
    set(f);
    auto events =
        Get<std::vector<v1::AuditEvent>>(store(), [&](Reader& r) { return r.ListAuditEvents(f); });
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.action());
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(actions([](AuditFilter& f) { f.action_prefix = "device."; }),
            (V{"device.update", "device.create"}));
  EXPECT_EQ(actions([](AuditFilter& f) { f.action_prefix = "device"; }), V{"device"});
  EXPECT_EQ(actions([](AuditFilter& f) { f.actor = "paul"; }),
            (V{"device.update", "device.create"}));
  EXPECT_EQ(actions([](AuditFilter& f) { f.target = "device:SN2"; }),
            (V{"device", "devices.purge"}));
  EXPECT_EQ(actions([](AuditFilter& f) {
              f.since_ms = kNowMs + 10;
              f.until_ms = kNowMs + 30;
            }),
            (V{"devices.purge", "device.update"}));
  EXPECT_EQ(actions([](AuditFilter& f) {
              f.page.limit = 2;
              f.page.after_id = 4;
            }),
            (V{"devices.purge", "device.update"}));
}

TEST_P(StoreTest, AuditEventsAreAppendOnly) {
  ASSERT_TRUE(store().Write([](Writer& w) {
    return Discard(w.AppendAudit(MakeEvent("paul", "device.create", "device:SN1")));
  }));
  EXPECT_FALSE(ExecRaw("UPDATE audit_events SET actor = 'mallory'"));
  EXPECT_FALSE(ExecRaw("DELETE FROM audit_events"));
}

}  // namespace
}  // namespace parc::store::testing
