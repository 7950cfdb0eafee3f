// Enrollment tokens, device credentials and enrollment states.
#include "tests/unit/daemon/store/store_test.h"

namespace parc::store::testing {
namespace {

EnrollmentTokenRecord MakeToken(const std::string& hash, int uses = 1) {
  EnrollmentTokenRecord t;
  t.secret_hash = hash;
  t.uses_total = uses;
  t.uses_left = uses;
  t.expires_at_ms = kNowMs + 86'400'000;
  t.site = "CTM-NORD";
  t.kind = v1::DEVICE_KIND_TABLET;
  t.created_by = "logistique";
  t.created_at_ms = kNowMs;
  return t;
}

std::optional<EnrollmentTokenRecord> FindToken(Store& store, const std::string& hash) {
  return Get<std::optional<EnrollmentTokenRecord>>(
      store, [&](Reader& r) { return r.FindEnrollmentTokenByHash(hash); });
}

std::optional<int64_t> DeviceByCredential(Store& store, const std::string& hash) {
  return Get<std::optional<int64_t>>(store,
                                     [&](Reader& r) { return r.FindDeviceIdByCredential(hash); });
}

v1::EnrollmentState EnrollmentOf(Store& store, int64_t device_id) {
  auto device =
      Get<std::optional<v1::Device>>(store, [&](Reader& r) { return r.FindDeviceById(device_id); });
  EXPECT_TRUE(device);
  return device ? device->enrollment() : v1::ENROLLMENT_STATE_NOT_ENROLLED;
}

TEST_P(StoreTest, EnrollmentTokenRoundTripsAndCountsItsUses) {
  int64_t id = 0;
  ASSERT_TRUE(Audited([&](Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(id, w.InsertEnrollmentToken(MakeToken("h1", 3)));
    return Ok();
  }));
  auto token = FindToken(store(), "h1");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->id, id);
  EXPECT_EQ(token->uses_total, 3);
  EXPECT_EQ(token->uses_left, 3);
  EXPECT_EQ(token->expires_at_ms, kNowMs + 86'400'000);
  EXPECT_EQ(token->site, "CTM-NORD");
  EXPECT_EQ(token->kind, v1::DEVICE_KIND_TABLET);
  EXPECT_EQ(token->created_by, "logistique");
  EXPECT_EQ(token->created_at_ms, kNowMs);
  EXPECT_FALSE(FindToken(store(), "other"));

  ASSERT_TRUE(Audited([&](Writer& w) { return w.SetEnrollmentTokenUsesLeft(id, 2); }));
  EXPECT_EQ(FindToken(store(), "h1")->uses_left, 2);
  ASSERT_TRUE(Audited([&](Writer& w) { return w.SetEnrollmentTokenUsesLeft(id, 0); }));
  EXPECT_EQ(FindToken(store(), "h1")->uses_left, 0);
}

TEST_P(StoreTest, EnrollmentTokenRefusesBadCountsDuplicatesAndUnknownIds) {
  Status bad =
      Audited([&](Writer& w) { return Discard(w.InsertEnrollmentToken(MakeToken("", 1))); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  auto zero = MakeToken("h0", 1);
  zero.uses_total = 0;
  zero.uses_left = 0;
  bad = Audited([&](Writer& w) { return Discard(w.InsertEnrollmentToken(zero)); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);

  int64_t id = 0;
  ASSERT_TRUE(Audited([&](Writer& w) -> Status {
    PARC_ASSIGN_OR_RETURN(id, w.InsertEnrollmentToken(MakeToken("h1", 2)));
    return Ok();
  }));
  Status taken =
      Audited([&](Writer& w) { return Discard(w.InsertEnrollmentToken(MakeToken("h1"))); });
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(taken.error().message.find("h1"), std::string::npos) << "the hash is not echoed";

  Status over = Audited([&](Writer& w) { return w.SetEnrollmentTokenUsesLeft(id, 3); });
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kInvalidArgument);
  Status negative = Audited([&](Writer& w) { return w.SetEnrollmentTokenUsesLeft(id, -1); });
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().code, ErrorCode::kInvalidArgument);
  Status missing = Audited([&](Writer& w) { return w.SetEnrollmentTokenUsesLeft(id + 100, 0); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(FindToken(store(), "h1")->uses_left, 2);
}

TEST_P(StoreTest, EnrollmentChangesAreAudited) {
  const int64_t device = Add(MakeDevice("SN1"));
  Status unaudited =
      store().Write([&](Writer& w) { return w.SetDeviceCredential(device, "c1", kNowMs); });
  ASSERT_FALSE(unaudited);
  EXPECT_EQ(unaudited.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(DeviceByCredential(store(), "c1"));
  EXPECT_EQ(EnrollmentOf(store(), device), v1::ENROLLMENT_STATE_NOT_ENROLLED);
}

TEST_P(StoreTest, CredentialIdentifiesTheEnrolledDeviceAndIsReplacedByANewOne) {
  const int64_t device = Add(MakeDevice("SN1"));
  const int64_t other = Add(MakeDevice("SN2"));
  EXPECT_FALSE(DeviceByCredential(store(), "c1"));
  ASSERT_TRUE(Audited([&](Writer& w) { return w.SetDeviceCredential(device, "c1", kNowMs); }));
  EXPECT_EQ(DeviceByCredential(store(), "c1"), device);
  EXPECT_EQ(EnrollmentOf(store(), device), v1::ENROLLMENT_STATE_ENROLLED);
  EXPECT_EQ(EnrollmentOf(store(), other), v1::ENROLLMENT_STATE_NOT_ENROLLED);

  ASSERT_TRUE(Audited([&](Writer& w) { return w.SetDeviceCredential(device, "c2", kNowMs); }));
  EXPECT_FALSE(DeviceByCredential(store(), "c1"));  // the old one stopped working
  EXPECT_EQ(DeviceByCredential(store(), "c2"), device);
  EXPECT_FALSE(DeviceByCredential(store(), ""));

  // One credential belongs to one device.
  Status taken = Audited([&](Writer& w) { return w.SetDeviceCredential(other, "c2", kNowMs); });
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(EnrollmentOf(store(), other), v1::ENROLLMENT_STATE_NOT_ENROLLED);

  Status unknown = Audited([&](Writer& w) { return w.SetDeviceCredential(9999, "c3", kNowMs); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, RevokingKillsTheCredentialAndReenrollingGivesANewOne) {
  const int64_t device = Add(MakeDevice("SN1"));
  ASSERT_TRUE(Audited([&](Writer& w) { return w.SetDeviceCredential(device, "c1", kNowMs); }));
  ASSERT_TRUE(Audited(
      [&](Writer& w) { return w.SetDeviceEnrollment(device, v1::ENROLLMENT_STATE_REVOKED); }));
  EXPECT_FALSE(DeviceByCredential(store(), "c1"));
  EXPECT_EQ(EnrollmentOf(store(), device), v1::ENROLLMENT_STATE_REVOKED);
  // Allowing a new enrollment does not bring the old credential back.
  ASSERT_TRUE(Audited([&](Writer& w) {
    return w.SetDeviceEnrollment(device, v1::ENROLLMENT_STATE_REENROLL_ALLOWED);
  }));
  ASSERT_TRUE(Audited(
      [&](Writer& w) { return w.SetDeviceEnrollment(device, v1::ENROLLMENT_STATE_ENROLLED); }));
  EXPECT_FALSE(DeviceByCredential(store(), "c1"));
  ASSERT_TRUE(Audited([&](Writer& w) { return w.SetDeviceCredential(device, "c1b", kNowMs); }));
  EXPECT_EQ(DeviceByCredential(store(), "c1b"), device);

  Status bad = Audited([&](Writer& w) {
    return w.SetDeviceEnrollment(device, static_cast<v1::EnrollmentState>(42));
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  Status unknown =
      Audited([&](Writer& w) { return w.SetDeviceEnrollment(9999, v1::ENROLLMENT_STATE_REVOKED); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, UpdatingADeviceKeepsItsEnrollment) {
  const int64_t device = Add(MakeDevice("SN1"));
  ASSERT_TRUE(Audited([&](Writer& w) { return w.SetDeviceCredential(device, "c1", kNowMs); }));
  v1::Device changed = MakeDevice("SN1");
  changed.set_id(device);
  changed.set_notes("screen cracked");
  changed.set_enrollment(v1::ENROLLMENT_STATE_NOT_ENROLLED);  // read-only: ignored
  ASSERT_TRUE(Audited([&](Writer& w) { return w.UpdateDevice(changed); }));
  EXPECT_EQ(EnrollmentOf(store(), device), v1::ENROLLMENT_STATE_ENROLLED);
  EXPECT_EQ(DeviceByCredential(store(), "c1"), device);
}

}  // namespace
}  // namespace parc::store::testing
