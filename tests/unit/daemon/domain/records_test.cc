#include "daemon/domain/records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace parc::domain {
namespace {

using ::testing::HasSubstr;

v1::Agent ValidAgent() {
  v1::Agent a;
  a.set_employee_number("E000101");
  a.set_first_name("Hélène");
  a.set_last_name("Le Goff");
  a.set_department("PROPRETE");
  a.set_status(v1::AGENT_STATUS_ACTIVE);
  return a;
}

v1::Device ValidDevice() {
  v1::Device d;
  d.set_serial("R52T0001AAA");
  d.set_asset_tag("RM-TAB-000001");
  d.set_kind(v1::DEVICE_KIND_TABLET);
  d.set_purchase_date("2024-03-01");
  d.set_warranty_end("2027-03-01");
  d.set_lifecycle(v1::LIFECYCLE_IN_STOCK);
  return d;
}

// The message of a failed Status, or "ok" so that a test expecting a failure
// prints something readable when there is none.
std::string MessageOf(const Status& status) { return status ? "ok" : status.error().message; }

TEST(NormalizeCodeTest, TrimsFoldsFrenchAccentsAndJoinsWordsWithDashes) {
  EXPECT_EQ(NormalizeCode("  Propreté urbaine "), "PROPRETE-URBAINE");
  EXPECT_EQ(NormalizeCode("éèêë àâ ô îï ùûü ç"), "EEEE-AA-O-II-UUU-C");
  EXPECT_EQ(NormalizeCode("ÉÈÊË ÀÂ Ô ÎÏ ÙÛÜ Ç"), "EEEE-AA-O-II-UUU-C");
  EXPECT_EQ(NormalizeCode("Espaces  verts\tet jardins"), "ESPACES-VERTS-ET-JARDINS");
  EXPECT_EQ(NormalizeCode("ctm-nord"), "CTM-NORD");
  EXPECT_EQ(NormalizeCode("   "), "");
}

TEST(NormalizeCodeTest, IsIdempotent) {
  std::string once = NormalizeCode(" Propreté  urbaine");
  EXPECT_EQ(NormalizeCode(once), once);
}

TEST(NormalizeTest, AgentCodesAreFoldedButNamesKeepTheirAccents) {
  v1::Agent a;
  a.set_employee_number("  e000101 ");
  a.set_first_name("  Hélène ");
  a.set_last_name(" Le Goff ");
  a.set_department("  Propreté urbaine ");
  a.set_site(" ctm nord");
  a.set_wave(" vague-1 ");
  Normalize(a);
  EXPECT_EQ(a.employee_number(), "E000101");
  EXPECT_EQ(a.first_name(), "Hélène");
  EXPECT_EQ(a.last_name(), "Le Goff");
  EXPECT_EQ(a.department(), "PROPRETE-URBAINE");
  EXPECT_EQ(a.department_name(), "Propreté urbaine");
  EXPECT_EQ(a.site(), "CTM-NORD");
  EXPECT_EQ(a.wave(), "vague-1");
}

TEST(NormalizeTest, ADepartmentKeepsTheNameItWasWrittenWith) {
  v1::Agent a;
  a.set_department("État civil");
  Normalize(a);
  EXPECT_EQ(a.department(), "ETAT-CIVIL");
  EXPECT_EQ(a.department_name(), "État civil");
  Normalize(a);  // written as its code now: the name stays
  EXPECT_EQ(a.department_name(), "État civil");
  a.set_department("voirie");  // moved: the old name is not the new code's
  Normalize(a);
  EXPECT_EQ(a.department(), "VOIRIE");
  EXPECT_EQ(a.department_name(), "");  // and a code in small letters is no name
  a.set_department("état civil");
  a.set_department_name("État civil");
  Normalize(a);
  EXPECT_EQ(a.department_name(), "État civil");  // typed quickly: the name stays
  v1::Device d;
  d.set_department(" Espaces verts ");
  Normalize(d);
  EXPECT_EQ(d.department(), "ESPACES-VERTS");
  EXPECT_EQ(d.department_name(), "Espaces verts");
}

TEST(NormalizeTest, AgentStatusDefaultsToActiveButKeepsLeft) {
  v1::Agent a;
  Normalize(a);
  EXPECT_EQ(a.status(), v1::AGENT_STATUS_ACTIVE);
  a.set_status(v1::AGENT_STATUS_LEFT);
  Normalize(a);
  EXPECT_EQ(a.status(), v1::AGENT_STATUS_LEFT);
}

TEST(NormalizeTest, DeviceCodesAreFoldedAndLifecycleDefaultsToInStock) {
  v1::Device d;
  d.set_serial(" R52T0001AAA ");
  d.set_asset_tag(" rm-tab-000001 ");
  d.set_site(" Hôtel de ville ");
  d.set_department("Propreté");
  d.set_notes("  écran fissuré ");
  Normalize(d);
  EXPECT_EQ(d.serial(), "R52T0001AAA");
  EXPECT_EQ(d.asset_tag(), "RM-TAB-000001");
  EXPECT_EQ(d.site(), "HOTEL-DE-VILLE");
  EXPECT_EQ(d.department(), "PROPRETE");
  EXPECT_EQ(d.notes(), "écran fissuré");
  EXPECT_EQ(d.lifecycle(), v1::LIFECYCLE_IN_STOCK);

  d.set_lifecycle(v1::LIFECYCLE_IN_REPAIR);
  Normalize(d);
  EXPECT_EQ(d.lifecycle(), v1::LIFECYCLE_IN_REPAIR);
}

TEST(NormalizeTest, SiteCodeIsFoldedAndNameKeptAsWritten) {
  v1::Site s;
  s.set_code(" Hôtel de ville ");
  s.set_name("  Hôtel de ville ");
  Normalize(s);
  EXPECT_EQ(s.code(), "HOTEL-DE-VILLE");
  EXPECT_EQ(s.name(), "Hôtel de ville");
}

TEST(ValidateAgentTest, AcceptsAValidAgent) { EXPECT_EQ(MessageOf(Validate(ValidAgent())), "ok"); }

TEST(ValidateAgentTest, NamesTheFieldOfEachFailure) {
  struct Case {
    const char* what;
    void (*spoil)(v1::Agent&);
    const char* message;
  };
  const Case cases[] = {
      {"missing employee number", [](v1::Agent& a) { a.clear_employee_number(); },
       "employee_number: required"},
      {"missing last name", [](v1::Agent& a) { a.clear_last_name(); }, "last_name: required"},
      {"missing department", [](v1::Agent& a) { a.clear_department(); }, "department: required"},
      {"control character", [](v1::Agent& a) { a.set_first_name("Hél\x01ne"); },
       "first_name: contains a control character"},
      {"control character in a required field",
       [](v1::Agent& a) { a.set_last_name(std::string("Le\0Goff", 7)); },
       "last_name: contains a control character"},
      {"too long", [](v1::Agent& a) { a.set_wave(std::string(201, 'x')); },
       "wave: longer than 200 bytes"},
      {"no status", [](v1::Agent& a) { a.set_status(v1::AGENT_STATUS_UNSPECIFIED); },
       "status: must be active or left"},
      {"a manager by name", [](v1::Agent& a) { a.set_manager("Marie Dupont"); },
       "manager: the manager's employee number, without spaces (not a name)"},
      {"their own manager", [](v1::Agent& a) { a.set_manager(a.employee_number()); },
       "manager: a person is not their own manager"},
      {"a phone with letters", [](v1::Agent& a) { a.set_phone("02 99 28 55 55 poste 4"); },
       "phone: only digits, spaces and + . - ( ) /"},
      {"a phone without digits", [](v1::Agent& a) { a.set_phone("+ ."); },
       "phone: not a phone number"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    v1::Agent a = ValidAgent();
    c.spoil(a);
    auto status = Validate(a);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(status.error().message, c.message);
  }
}

TEST(ValidateAgentTest, AcceptsTabsAndNewlinesAndExactly200Bytes) {
  v1::Agent a = ValidAgent();
  a.set_badge(std::string(200, 'x'));
  a.set_advisor("claire\tlegoff\n");
  EXPECT_EQ(MessageOf(Validate(a)), "ok");
}

TEST(ValidateDeviceTest, AcceptsAValidDevice) {
  EXPECT_EQ(MessageOf(Validate(ValidDevice())), "ok");
}

TEST(ValidateDeviceTest, NamesTheFieldOfEachFailure) {
  struct Case {
    const char* what;
    void (*spoil)(v1::Device&);
    const char* message;
  };
  const Case cases[] = {
      {"missing serial", [](v1::Device& d) { d.clear_serial(); }, "serial: required"},
      {"no kind", [](v1::Device& d) { d.set_kind(v1::DEVICE_KIND_UNSPECIFIED); },
       "kind: required: tablet, smartphone or shared_pc"},
      {"unknown kind", [](v1::Device& d) { d.set_kind(static_cast<v1::DeviceKind>(42)); },
       "kind: required: tablet, smartphone or shared_pc"},
      {"control character", [](v1::Device& d) { d.set_model("Tab\x1b[31m"); },
       "model: contains a control character"},
      {"notes too long", [](v1::Device& d) { d.set_notes(std::string(4001, 'n')); },
       "notes: longer than 4000 bytes"},
      {"purchase date not a date", [](v1::Device& d) { d.set_purchase_date("01/03/2024"); },
       "purchase_date: not a date (YYYY-MM-DD)"},
      {"warranty end impossible", [](v1::Device& d) { d.set_warranty_end("2027-02-30"); },
       "warranty_end: not a date (YYYY-MM-DD)"},
      {"warranty before purchase", [](v1::Device& d) { d.set_warranty_end("2024-02-29"); },
       "warranty_end: before purchase_date"},
      {"no lifecycle", [](v1::Device& d) { d.set_lifecycle(v1::LIFECYCLE_UNSPECIFIED); },
       "lifecycle: unknown state"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    v1::Device d = ValidDevice();
    c.spoil(d);
    auto status = Validate(d);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(status.error().message, c.message);
  }
}

TEST(ValidateDeviceTest, AcceptsWarrantyEndingOnThePurchaseDayAndMissingDates) {
  v1::Device d = ValidDevice();
  d.set_warranty_end(d.purchase_date());
  EXPECT_EQ(MessageOf(Validate(d)), "ok");
  d.clear_purchase_date();
  d.clear_warranty_end();
  EXPECT_EQ(MessageOf(Validate(d)), "ok");
}

TEST(ValidateSiteTest, NamesTheMissingField) {
  v1::Site s;
  s.set_name("Centre technique nord");
  EXPECT_EQ(MessageOf(Validate(s)), "code: required");
  s.set_code("CTM-NORD");
  s.clear_name();
  EXPECT_EQ(MessageOf(Validate(s)), "name: required");
  s.set_name("Centre technique nord");
  EXPECT_EQ(MessageOf(Validate(s)), "ok");
}

TEST(ParseKindTest, AcceptsEnglishFrenchAndAnyCase) {
  for (const char* text : {"tablet", "TABLET", "Tablette", "tablette"}) {
    EXPECT_EQ(ParseKind(text).value_or(v1::DEVICE_KIND_UNSPECIFIED), v1::DEVICE_KIND_TABLET)
        << text;
  }
  for (const char* text : {"smartphone", "Smartphone", "téléphone", "TÉLÉPHONE"}) {
    EXPECT_EQ(ParseKind(text).value_or(v1::DEVICE_KIND_UNSPECIFIED), v1::DEVICE_KIND_SMARTPHONE)
        << text;
  }
  for (const char* text : {"shared_pc", "shared-pc", "PC partagé", "Poste partagé"}) {
    EXPECT_EQ(ParseKind(text).value_or(v1::DEVICE_KIND_UNSPECIFIED), v1::DEVICE_KIND_SHARED_PC)
        << text;
  }
}

TEST(ParseKindTest, RefusesAnUnknownWordListingTheAcceptedOnes) {
  auto kind = ParseKind("grille-pain");
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(kind.error().message,
            "'grille-pain' is not a device kind (expected tablet, smartphone or shared_pc)");
}

TEST(ParseLifecycleTest, AcceptsEnglishFrenchAndAnyCase) {
  struct Case {
    const char* text;
    v1::Lifecycle want;
  };
  const Case cases[] = {
      {"in_stock", v1::LIFECYCLE_IN_STOCK},
      {"En stock", v1::LIFECYCLE_IN_STOCK},
      {"stock", v1::LIFECYCLE_IN_STOCK},
      {"assigned", v1::LIFECYCLE_ASSIGNED},
      {"Attribué", v1::LIFECYCLE_ASSIGNED},
      {"IN_REPAIR", v1::LIFECYCLE_IN_REPAIR},
      {"EN RÉPARATION", v1::LIFECYCLE_IN_REPAIR},
      {"en réparation", v1::LIFECYCLE_IN_REPAIR},
      {"lost", v1::LIFECYCLE_LOST},
      {"Perdu", v1::LIFECYCLE_LOST},
      {"retired", v1::LIFECYCLE_RETIRED},
      {"réformé", v1::LIFECYCLE_RETIRED},
      {"RÉFORMÉ", v1::LIFECYCLE_RETIRED},
  };
  for (const Case& c : cases) {
    auto got = ParseLifecycle(c.text);
    ASSERT_TRUE(got) << c.text << ": " << got.error().message;
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(ParseLifecycleTest, RefusesAnUnknownWordListingTheAcceptedOnes) {
  auto lifecycle = ParseLifecycle("volé");
  ASSERT_FALSE(lifecycle);
  EXPECT_EQ(lifecycle.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(lifecycle.error().message,
            "'volé' is not a lifecycle state (expected in_stock, assigned, in_repair, lost or "
            "retired)");
}

TEST(ParseRoleTest, AcceptsEveryRoleInAnyCase) {
  struct Case {
    const char* text;
    v1::Role want;
  };
  const Case cases[] = {
      {"admin", v1::ROLE_ADMIN},         {"ADMIN", v1::ROLE_ADMIN},
      {"Logistics", v1::ROLE_LOGISTICS}, {"advisor", v1::ROLE_ADVISOR},
      {"Manager", v1::ROLE_MANAGER},     {"AUDITOR", v1::ROLE_AUDITOR},
  };
  for (const Case& c : cases) {
    auto got = ParseRole(c.text);
    ASSERT_TRUE(got) << c.text << ": " << got.error().message;
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(ParseRoleTest, RefusesAnUnknownWordListingTheAcceptedOnes) {
  auto role = ParseRole("superuser");
  ASSERT_FALSE(role);
  EXPECT_EQ(role.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(role.error().message, HasSubstr("'superuser' is not a role"));
  EXPECT_THAT(role.error().message, HasSubstr("admin, logistics, advisor, manager or auditor"));
}

TEST(NamesTest, EveryNameParsesBackToItsValue) {
  for (auto kind :
       {v1::DEVICE_KIND_TABLET, v1::DEVICE_KIND_SMARTPHONE, v1::DEVICE_KIND_SHARED_PC}) {
    EXPECT_EQ(ParseKind(KindName(kind)).value_or(v1::DEVICE_KIND_UNSPECIFIED), kind);
  }
  for (auto lc : {v1::LIFECYCLE_IN_STOCK, v1::LIFECYCLE_ASSIGNED, v1::LIFECYCLE_IN_REPAIR,
                  v1::LIFECYCLE_LOST, v1::LIFECYCLE_RETIRED}) {
    EXPECT_EQ(ParseLifecycle(LifecycleName(lc)).value_or(v1::LIFECYCLE_UNSPECIFIED), lc);
  }
  for (auto role :
       {v1::ROLE_ADMIN, v1::ROLE_LOGISTICS, v1::ROLE_ADVISOR, v1::ROLE_MANAGER, v1::ROLE_AUDITOR}) {
    EXPECT_EQ(ParseRole(RoleName(role)).value_or(v1::ROLE_UNSPECIFIED), role);
  }
}

}  // namespace
}  // namespace parc::domain
