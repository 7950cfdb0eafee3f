// Importing agents and devices from a spreadsheet's CSV file (ImportAgents,
// ImportDevices). Two steps: Parse* reads the file into an ImportPlan with no
// I/O; Apply* upserts the plan through a store::Writer, all or nothing.
// Import* do both in one Store::Write transaction and are what services call.
//
// Columns are found by header, in any order, in English (the names the export
// writes, which are the v1 field names) or French, ignoring case and accents
// ("Matricule", "Prénom", "N° inventaire", "Fin de garantie"): the table is
// common/import_columns.h. An unknown header is a problem on line 1 (naming the
// closest known column) unless the caller lists it in `ignore_columns`; a
// column with an empty header is skipped. Only the key column is required (employee_number for
// agents, serial for devices); on update only the fields whose column is in the file change, so a
// file with just "matricule;vague" moves people between waves.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "daemon/store/store.h"
#include "parc/v1/types.pb.h"

namespace parc::domain {

// One data row of the file, normalized (domain::Normalize).
template <typename T>
struct ImportRow {
  int line = 0;  // 1-based physical line where the row starts
  T record;
  // The v1 field names this row sets: the file's columns, except an empty cell
  // in an enum column (kind, lifecycle, status), which keeps the current value.
  std::vector<std::string> fields;
  std::string site_as_written;  // the site cell before Normalize ("CTM Nord"), may be empty
};

template <typename T>
struct ImportPlan {
  std::vector<ImportRow<T>> rows;              // rows with no problem, in file order
  std::vector<v1::ImportProblem> problems;     // every problem found in the file
  std::map<std::string, std::string> columns;  // v1 field name -> header as written
};

// One problem of a file; `column` is the header as written (may be empty).
v1::ImportProblem Problem(int line, std::string column, std::string reason);
// The header the file used for v1 field `field`, or the field name itself.
std::string ColumnOf(const std::map<std::string, std::string>& columns, std::string_view field);

// Reads the file. Every bad value, missing required column (reported on line
// 1), row with too many fields, Validate failure and in-file duplicate (same
// employee number, serial or asset tag: reported on the later line, naming the
// first) is an ImportProblem naming the line and the column header as written.
// A Validate failure on a field the file has no column for is left to Apply,
// where it may be filled from the database. Fails (INVALID_ARGUMENT, "line N,
// column X: reason") only when the file is not readable CSV at all: invalid
// UTF-8, an unterminated quote, no header.
Expected<ImportPlan<v1::Agent>> ParseAgentsCsv(std::string_view csv,
                                               const std::vector<std::string>& ignore_columns = {});
Expected<ImportPlan<v1::Device>> ParseDevicesCsv(
    std::string_view csv, const std::vector<std::string>& ignore_columns = {});

// Upserts the plan's rows by employee number / serial inside the caller's write
// transaction (a site a row names that does not exist yet is created first, as
// domain/sites.h says, and listed in the result's new_sites, on a dry run too): unknown -> inserted
// (created), known with a different value in one of the row's fields -> updated (other fields, ids
// and derived fields untouched), otherwise unchanged. An import never moves a device to or from
// `assigned` (that is AllocationService's job) nor out of `retired`, and
// never marks as left someone still holding a device; such a value, a record that fails Validate
// after merging, and a store conflict (an asset tag another device already has) are problems on the
// row's line. The result holds every problem of the plan and of the database, sorted by line, and
// the counts of what was (or would be) created/updated/unchanged.
//
// applied is true only when there is no problem and !dry_run. Then one audit
// event per created/updated record ("agent.create", "agent.update" with the
// changed fields "department: PARCS -> VOIRIE"; "device.*" likewise) and one
// "agent.import" / "device.import" summary event were appended.
// When applied is false the Writer may hold partial writes (a conflict found
// only by the store): the CALLER MUST ROLL BACK, i.e. return an error from the
// Store::Write callback, as Import* do. A dry run, or a plan with problems,
// writes nothing. Errors are storage failures only.
Expected<v1::ImportResult> ApplyAgentsImport(store::Writer& writer,
                                             const ImportPlan<v1::Agent>& plan,
                                             const std::string& actor, int64_t now_ms,
                                             bool dry_run);
Expected<v1::ImportResult> ApplyDevicesImport(store::Writer& writer,
                                              const ImportPlan<v1::Device>& plan,
                                              const std::string& actor, int64_t now_ms,
                                              bool dry_run);

// Parse + Apply in one Store::Write transaction, committed only when applied
// (the transaction is rolled back otherwise). Returns the result in both cases;
// errors are an unreadable file (INVALID_ARGUMENT) or a storage failure.
Expected<v1::ImportResult> ImportAgents(store::Store& store, std::string_view csv,
                                        const std::string& actor, int64_t now_ms, bool dry_run,
                                        const std::vector<std::string>& ignore_columns = {});
Expected<v1::ImportResult> ImportDevices(store::Store& store, std::string_view csv,
                                         const std::string& actor, int64_t now_ms, bool dry_run,
                                         const std::vector<std::string>& ignore_columns = {});

}  // namespace parc::domain
