#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/time.h"
#include "daemon/domain/audit.h"
#include "parc/v1/types.pb.h"

namespace parc::domain {
namespace {

using ::testing::MatchesRegex;

v1::Agent SomeAgent() {
  v1::Agent a;
  a.set_id(7);
  a.set_employee_number("E000101");
  a.set_first_name("Hélène");
  a.set_last_name("Le Goff");
  a.set_department("PROPRETE");
  a.set_site("CTM-NORD");
  a.set_status(v1::AGENT_STATUS_ACTIVE);
  ToTimestamp(1'780'000'000'000, a.mutable_created_at());
  ToTimestamp(1'780'000'000'000, a.mutable_updated_at());
  return a;
}

TEST(AuditDiffTest, IsEmptyForEqualRecords) {
  EXPECT_EQ(Diff(SomeAgent(), SomeAgent()), "");
  EXPECT_EQ(Diff(v1::Device(), v1::Device()), "");
}

TEST(AuditDiffTest, ListsExactlyTheChangedFieldsInDeclarationOrder) {
  v1::Agent before = SomeAgent();
  v1::Agent after = before;
  after.set_site("CTM-SUD");
  after.set_first_name("Hélène-Marie");
  EXPECT_EQ(Diff(before, after),
            "first_name: 'Hélène' -> 'Hélène-Marie'; site: 'CTM-NORD' -> 'CTM-SUD'");
}

TEST(AuditDiffTest, WritesBooleansAsYesNoAndListsEnumChanges) {
  v1::Agent before = SomeAgent();
  v1::Agent after = before;
  after.set_has_email(true);
  EXPECT_EQ(Diff(before, after), "has_email: 'no' -> 'yes'");
  // How an enum value is spelled belongs to audit.cc; that it is listed does not.
  after.set_status(v1::AGENT_STATUS_LEFT);
  EXPECT_THAT(Diff(before, after),
              MatchesRegex("has_email: 'no' -> 'yes'; status: '[A-Za-z_]+' -> '[A-Za-z_]+'"));
}

TEST(AuditDiffTest, IgnoresIdsAndTimestamps) {
  v1::Agent before = SomeAgent();
  v1::Agent after = before;
  after.set_id(8);
  ToTimestamp(1'790'000'000'000, after.mutable_updated_at());
  after.clear_created_at();
  EXPECT_EQ(Diff(before, after), "");
}

TEST(AuditDiffTest, IgnoresTheDerivedHolderFields) {
  v1::Device before;
  before.set_serial("R52T0001AAA");
  v1::Device after = before;
  after.set_holder_employee_number("E000101");
  after.set_holder_site("CTM-NORD");
  EXPECT_EQ(Diff(before, after), "");
  after.set_notes("écran fissuré");
  EXPECT_EQ(Diff(before, after), "notes: '' -> 'écran fissuré'");
}

TEST(AuditDiffTest, JoinsRepeatedStringFieldsWithCommas) {
  v1::Operator before;
  before.set_name("paul");
  before.set_role(v1::ROLE_MANAGER);
  before.add_departments("PROPRETE");
  before.add_departments("VOIRIE");
  v1::Operator after = before;
  EXPECT_EQ(Diff(before, after), "");

  after.set_departments(1, "EAU");
  EXPECT_EQ(Diff(before, after), "departments: 'PROPRETE,VOIRIE' -> 'PROPRETE,EAU'");

  after.add_departments("PARCS");
  after.set_disabled(true);
  EXPECT_EQ(Diff(before, after),
            "departments: 'PROPRETE,VOIRIE' -> 'PROPRETE,EAU,PARCS'; disabled: 'no' -> 'yes'");

  after = before;
  after.clear_departments();
  EXPECT_EQ(Diff(before, after), "departments: 'PROPRETE,VOIRIE' -> ''");
}

}  // namespace
}  // namespace parc::domain
