// Reading the CSV files Pix Orga exports for a campaign, as downloaded (see
// shared/formats/PIX.md): the assessment campaign export ("campagne
// d'évaluation") and the profiles collection export ("collecte de profils"),
// current and older French labels. Pure: bytes in, rows out, no I/O and no
// knowledge of agents or tiers (the import, skills.h, adds those).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "parc/v1/types.pb.h"

namespace parc::domain {

enum class PixFormat { kAssessment, kProfilesCollection };
std::string_view PixFormatName(PixFormat format);  // "assessment", "profiles_collection"

// A Pix area ("domaine") of the referential.
struct PixArea {
  int code = 0;  // 1..5; 0 for a title the referential does not know
  std::string title;
  int level = -1;       // profiles collection: rounded mean of its competences' levels
  double mastery = -1;  // assessment: 0..1
};

// One shared (or sent) participation.
struct PixRow {
  int line = 0;                 // physical line of the file
  std::string employee_number;  // as typed by the participant, trimmed, upper-cased
  int64_t assessed_at_ms = 0;   // shared / sent date, UTC
  int64_t campaign_id = 0;      // 0 when the file has no "ID Campagne"
  std::string campaign_code;    // "" when the file has no "Code"
  int pix_score = -1;           // profiles collection: "Nombre de pix total"
  double mastery = -1;          // assessment: overall mastery rate 0..1
  std::vector<PixArea> areas;   // areas with a known result, in referential order
};

struct PixFile {
  PixFormat format = PixFormat::kAssessment;
  std::string id_column;                    // header of the employee number column, as written
  std::vector<PixRow> rows;                 // rows without problems, in file order
  int not_shared = 0;                       // participations not shared / not sent: skipped
  std::vector<v1::ImportProblem> problems;  // per line: empty id, bad number or date
};

// Reads an export. Columns are matched by header text (case, accents and
// apostrophe style ignored). The employee number column is `id_column` when
// given, otherwise the one column the export does not define (the campaign's
// external id, whose label the organisation chose). Values: "NA" is missing,
// decimals have a comma, a leading "'" before - @ = + (Pix's formula guard) is
// removed, dates are "DD/MM/YYYY HH:MM" (or the older YYYY-MM-DD) in
// Europe/Paris time. A participation that is not shared / not sent is counted
// in not_shared, not checked further.
// INVALID_ARGUMENT when the file is not readable CSV, is not a Pix Orga export
// (neither "Partage (O/N)" nor "Envoi (O/N)"), lacks the date or score column,
// or the employee number column is absent or ambiguous (the message names the
// candidates and how to choose: --id-column).
Expected<PixFile> ParsePixExport(std::string_view csv, std::string_view id_column);

// Unix milliseconds of a Europe/Paris wall-clock time: UTC+1, and UTC+2 from
// the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC
// (the EU rule, in force since 1996). A time in the skipped spring hour is
// read as winter time; one in the repeated autumn hour as summer time.
// month 1..12, day 1..31.
int64_t ParisTimeToUtcMs(int year, int month, int day, int hour, int minute);

}  // namespace parc::domain
