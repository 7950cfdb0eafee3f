#include "daemon/store/sqlite/migrations.h"

#include <string>

namespace parc::store::sqlite {

namespace {

// 1: inventory (sites, agents, devices), allocations, operators, tokens, audit.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT ''
);

CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  employee_number TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  site TEXT NOT NULL DEFAULT '',
  has_email INTEGER NOT NULL DEFAULT 0,
  advisor TEXT NOT NULL DEFAULT '',
  wave TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL DEFAULT 0,
  badge TEXT NOT NULL DEFAULT '',
  created_at INTEGER,
  updated_at INTEGER
);
CREATE INDEX agents_department ON agents(department);
CREATE INDEX agents_site ON agents(site);
CREATE INDEX agents_advisor ON agents(advisor);
CREATE INDEX agents_wave ON agents(wave);

CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  serial TEXT NOT NULL UNIQUE,
  asset_tag TEXT NOT NULL DEFAULT '',
  kind INTEGER NOT NULL DEFAULT 0,
  model TEXT NOT NULL DEFAULT '',
  os TEXT NOT NULL DEFAULT '',
  site TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  purchase_date TEXT NOT NULL DEFAULT '',
  warranty_end TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  lifecycle INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER,
  updated_at INTEGER
);
CREATE UNIQUE INDEX devices_asset_tag ON devices(asset_tag) WHERE asset_tag <> '';
CREATE INDEX devices_department ON devices(department);
CREATE INDEX devices_site ON devices(site);
CREATE INDEX devices_lifecycle ON devices(lifecycle);
CREATE INDEX devices_kind ON devices(kind);

CREATE TABLE allocations (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices(id),
  kind INTEGER NOT NULL,
  agent_id INTEGER REFERENCES agents(id),
  site TEXT NOT NULL DEFAULT '',
  due_date TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  started_by TEXT NOT NULL DEFAULT '',
  ended_at INTEGER,
  ended_by TEXT NOT NULL DEFAULT '',
  return_condition TEXT NOT NULL DEFAULT '',
  returned_to INTEGER NOT NULL DEFAULT 0,
  notes TEXT NOT NULL DEFAULT ''
);
-- The database itself enforces at most one open allocation per device.
CREATE UNIQUE INDEX allocations_one_open_per_device ON allocations(device_id)
  WHERE ended_at IS NULL;
CREATE INDEX allocations_device ON allocations(device_id);
CREATE INDEX allocations_agent ON allocations(agent_id);
-- Open loans (kind 3 = ALLOCATION_KIND_LOAN) by due date, for overdue lists.
CREATE INDEX allocations_open_loans ON allocations(due_date)
  WHERE ended_at IS NULL AND kind = 3;
-- History is never rewritten: closed allocations are frozen, none is deleted.
CREATE TRIGGER allocations_closed_are_history BEFORE UPDATE ON allocations
  WHEN OLD.ended_at IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'closed allocations are history'); END;
CREATE TRIGGER allocations_never_deleted BEFORE DELETE ON allocations
  BEGIN SELECT RAISE(ABORT, 'allocations are history'); END;

CREATE TABLE operators (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER
);
CREATE TABLE operator_departments (
  operator_id INTEGER NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
  department TEXT NOT NULL,
  UNIQUE (operator_id, department)
);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators(id),
  secret_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL DEFAULT '',
  created_at INTEGER,
  expires_at INTEGER,
  revoked_at INTEGER,
  last_used_at INTEGER
);
CREATE INDEX api_tokens_operator ON api_tokens(operator_id);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON audit_events(at);
CREATE INDEX audit_events_actor ON audit_events(actor);
CREATE INDEX audit_events_target ON audit_events(target);
CREATE INDEX audit_events_action ON audit_events(action);
CREATE TRIGGER audit_events_append_only_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_append_only_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
)sql";

// 2: device enrollment and telemetry. The check-in path writes only
// device_status (one narrow row per device, rewritten in place) and appends to
// device_reports (history, pruned by age); nothing wide is rewritten per report.
constexpr const char* kMigration2 = R"sql(
-- EnrollmentState: 0 not enrolled, 1 enrolled, 2 revoked, 3 re-enrollment allowed.
ALTER TABLE devices ADD COLUMN enrollment INTEGER NOT NULL DEFAULT 0;

CREATE TABLE enrollment_tokens (
  id INTEGER PRIMARY KEY,
  secret_hash TEXT NOT NULL UNIQUE,
  uses_total INTEGER NOT NULL,
  uses_left INTEGER NOT NULL,
  expires_at INTEGER,
  site TEXT NOT NULL DEFAULT '',
  kind INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL DEFAULT '',
  created_at INTEGER,
  CHECK (uses_total >= 1 AND uses_left >= 0 AND uses_left <= uses_total)
);

-- At most one live credential per device; only its SHA-256 is kept.
CREATE TABLE device_credentials (
  device_id INTEGER PRIMARY KEY REFERENCES devices(id),
  secret_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

-- The latest state of each device. last_sequence is the sequence of the status
-- report the status columns come from (NULL until one arrived); last_seen is
-- when the server last received anything from the device.
CREATE TABLE device_status (
  device_id INTEGER PRIMARY KEY REFERENCES devices(id),
  last_seen INTEGER NOT NULL,
  collected_at INTEGER,
  last_sequence INTEGER,
  battery_percent INTEGER NOT NULL DEFAULT -1,
  charging INTEGER NOT NULL DEFAULT 0,
  storage_free INTEGER NOT NULL DEFAULT -1,
  storage_total INTEGER NOT NULL DEFAULT -1,
  os_version TEXT NOT NULL DEFAULT '',
  agent_version TEXT NOT NULL DEFAULT '',
  current_employee TEXT NOT NULL DEFAULT '',
  ip_address TEXT NOT NULL DEFAULT '',
  dropped_reports INTEGER NOT NULL DEFAULT 0
);

-- Every report as the device sent it (a serialized parc.v1.Report), once per
-- (device, sequence). Clustered by device so that a device's history is one
-- range; received_at is indexed for retention.
CREATE TABLE device_reports (
  device_id INTEGER NOT NULL REFERENCES devices(id),
  sequence INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  collected_at INTEGER,
  report BLOB NOT NULL,
  PRIMARY KEY (device_id, sequence)
) WITHOUT ROWID;
CREATE INDEX device_reports_received_at ON device_reports(received_at);

CREATE TABLE usage_sessions (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices(id),
  employee_number TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  not_the_holder INTEGER NOT NULL DEFAULT 0
);
-- At most one open session per device, enforced by the database.
CREATE UNIQUE INDEX usage_sessions_open_per_device ON usage_sessions(device_id)
  WHERE ended_at IS NULL;
CREATE INDEX usage_sessions_open_per_employee ON usage_sessions(employee_number)
  WHERE ended_at IS NULL;
CREATE INDEX usage_sessions_device ON usage_sessions(device_id, started_at);
CREATE INDEX usage_sessions_employee ON usage_sessions(employee_number, started_at);
)sql";

// 3: skill assessments (Pix imports) and each agent's current tier.
constexpr const char* kMigration3 = R"sql(
-- One row per imported participation. (employee_number, campaign_id,
-- assessed_at) is what makes a re-import of the same file idempotent.
CREATE TABLE skill_assessments (
  id INTEGER PRIMARY KEY,
  employee_number TEXT NOT NULL,
  assessed_at INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT 'pix',
  campaign_code TEXT NOT NULL DEFAULT '',
  campaign_id INTEGER NOT NULL DEFAULT 0,
  campaign_kind TEXT NOT NULL,
  pix_score INTEGER NOT NULL DEFAULT -1,
  mastery_bp INTEGER NOT NULL DEFAULT -1,  -- mastery rate in 1/10000 (0..10000); -1 none
  tier TEXT NOT NULL,
  domains BLOB,                       -- serialized parc.v1.SkillAssessment (domains only)
  imported_at INTEGER NOT NULL,
  UNIQUE (employee_number, campaign_id, assessed_at)
);
CREATE INDEX skill_assessments_employee ON skill_assessments(employee_number, assessed_at);

-- An agent's current tier: the one of their latest assessment. Maintained by
-- the import in the same transaction; what tier assignments resolve against.
CREATE TABLE agent_tiers (
  employee_number TEXT PRIMARY KEY,
  tier TEXT NOT NULL,
  assessment_id INTEGER NOT NULL REFERENCES skill_assessments(id),
  assessed_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX agent_tiers_tier ON agent_tiers(tier);
)sql";

// 4: training modules, content, assignments and progress.
constexpr const char* kMigration4 = R"sql(
-- Content is stored on disk under the data directory by SHA-256; this table
-- says which blobs exist (a row appears only once the file is complete).
CREATE TABLE content_blobs (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per (code, version). At most one draft and one published version
-- per code, enforced by the partial unique indexes.
CREATE TABLE modules (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  version INTEGER NOT NULL,
  state INTEGER NOT NULL,             -- parc.v1.ModuleState
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  target_tiers TEXT NOT NULL DEFAULT '',  -- comma-separated tier codes
  estimated_minutes INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  published_at INTEGER,
  UNIQUE (code, version)
);
CREATE UNIQUE INDEX modules_one_draft ON modules(code) WHERE state = 1;
CREATE UNIQUE INDEX modules_one_published ON modules(code) WHERE state = 2;

CREATE TABLE module_items (
  module_id INTEGER NOT NULL REFERENCES modules(id),
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  file_name TEXT NOT NULL,
  kind INTEGER NOT NULL,              -- parc.v1.ContentKind
  sha256 TEXT NOT NULL REFERENCES content_blobs(sha256),
  PRIMARY KEY (module_id, position)
) WITHOUT ROWID;
CREATE INDEX module_items_sha256 ON module_items(sha256);

-- A module (by code) assigned to exactly one target.
CREATE TABLE module_assignments (
  id INTEGER PRIMARY KEY,
  module_code TEXT NOT NULL,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('agent', 'department', 'wave', 'tier')),
  target TEXT NOT NULL,
  due_date TEXT NOT NULL DEFAULT '',
  assigned_by TEXT NOT NULL,
  assigned_at INTEGER NOT NULL,
  UNIQUE (module_code, target_kind, target)
);
CREATE INDEX module_assignments_target ON module_assignments(target_kind, target);

-- Progress events as devices reported them, once per event id.
CREATE TABLE progress_events (
  id TEXT PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices(id),
  employee_number TEXT NOT NULL,
  module_code TEXT NOT NULL,
  module_version INTEGER NOT NULL,
  kind INTEGER NOT NULL,              -- parc.v1.ProgressKind
  item_sha256 TEXT NOT NULL DEFAULT '',
  score INTEGER NOT NULL DEFAULT -1,
  at INTEGER NOT NULL,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX progress_events_person ON progress_events(employee_number, module_code, kind);

-- Per person and module: what the events add up to (maintained with them).
CREATE TABLE module_progress (
  employee_number TEXT NOT NULL,
  module_code TEXT NOT NULL,
  opened_at INTEGER,
  items_completed INTEGER NOT NULL DEFAULT 0,
  completed_at INTEGER,
  best_score INTEGER NOT NULL DEFAULT -1,
  PRIMARY KEY (employee_number, module_code)
) WITHOUT ROWID;
CREATE INDEX module_progress_module ON module_progress(module_code);
)sql";

// 5: report history append-only. device_reports was clustered by (device_id,
// sequence) (WITHOUT ROWID): every report was a random insert of a ~400-byte
// row into a B-tree of millions, one dirty leaf per device per batch. Now the
// rows go in arrival order (rowid: appended at the right edge, a batch fills
// whole pages) and only a narrow unique index (device_id, sequence) takes the
// random inserts; it keeps a report stored once per (device, sequence) and
// answers "highest sequence" and "recent reports of a device". The
// received_at index (retention) is an append too. Existing rows are copied in
// received_at order.
constexpr const char* kMigration5 = R"sql(
CREATE TABLE device_reports_by_arrival (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices(id),
  sequence INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  collected_at INTEGER,
  report BLOB NOT NULL
);
INSERT INTO device_reports_by_arrival (device_id, sequence, received_at, collected_at, report)
  SELECT device_id, sequence, received_at, collected_at, report FROM device_reports
  ORDER BY received_at;
DROP TABLE device_reports;
ALTER TABLE device_reports_by_arrival RENAME TO device_reports;
CREATE UNIQUE INDEX device_reports_device_sequence ON device_reports(device_id, sequence);
CREATE INDEX device_reports_received_at ON device_reports(received_at);
)sql";

// 6: the search index (search_terms.h). Its terms are folded by C++
// (common/fold.h), so the migration leaves a marker and the store fills the
// table at open (search::BuildIfPending).
constexpr const char* kMigration6 = R"sql(
CREATE TABLE search_terms (
  kind INTEGER NOT NULL,
  term TEXT NOT NULL,
  ref INTEGER NOT NULL,
  PRIMARY KEY (kind, term, ref)
) WITHOUT ROWID;
CREATE TABLE search_terms_pending (reason TEXT NOT NULL);
INSERT INTO search_terms_pending (reason) VALUES ('created');
)sql";

// 7: folded search columns (common/fold.h through parc_fold, registered on every
// connection), kept by triggers so that every write path fills them: "lefevre"
// finds Lefèvre, "r52t1" finds serial R52T1. Exact lookups of a device by serial
// or asset tag go through the indexed keys; free text is a LIKE '%...%' over the
// one narrow search_text column (no B-tree serves a substring, whatever the column).
constexpr const char* kMigration7 = R"sql(
ALTER TABLE agents ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN serial_key TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN asset_tag_key TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE TRIGGER agents_search_insert AFTER INSERT ON agents BEGIN
  UPDATE agents SET search_text = parc_fold(employee_number || char(31) || first_name || ' ' ||
    last_name || char(31) || last_name || ' ' || first_name) WHERE id = NEW.id;
END;
CREATE TRIGGER agents_search_update AFTER UPDATE OF employee_number, first_name, last_name
  ON agents BEGIN
  UPDATE agents SET search_text = parc_fold(employee_number || char(31) || first_name || ' ' ||
    last_name || char(31) || last_name || ' ' || first_name) WHERE id = NEW.id;
END;
CREATE TRIGGER devices_search_insert AFTER INSERT ON devices BEGIN
  UPDATE devices SET serial_key = parc_fold(serial), asset_tag_key = parc_fold(asset_tag),
    search_text = parc_fold(serial || char(31) || asset_tag || char(31) || model)
    WHERE id = NEW.id;
END;
CREATE TRIGGER devices_search_update AFTER UPDATE OF serial, asset_tag, model ON devices BEGIN
  UPDATE devices SET serial_key = parc_fold(serial), asset_tag_key = parc_fold(asset_tag),
    search_text = parc_fold(serial || char(31) || asset_tag || char(31) || model)
    WHERE id = NEW.id;
END;
CREATE TRIGGER sites_search_insert AFTER INSERT ON sites BEGIN
  UPDATE sites SET search_text = parc_fold(code || char(31) || name) WHERE id = NEW.id;
END;
CREATE TRIGGER sites_search_update AFTER UPDATE OF code, name ON sites BEGIN
  UPDATE sites SET search_text = parc_fold(code || char(31) || name) WHERE id = NEW.id;
END;

UPDATE agents SET first_name = first_name;
UPDATE devices SET serial = serial;
UPDATE sites SET code = code;
CREATE INDEX devices_serial_key ON devices(serial_key);
CREATE INDEX devices_asset_tag_key ON devices(asset_tag_key) WHERE asset_tag_key <> '';
)sql";

// 8: signed receipts of allocations (issue 15): which PNG signature and which PDF
// (by SHA-256, the files are under <data_dir>/receipts) belong to the bon de
// remise (kind 1) or the bon de retour (kind 2) of an allocation. History:
// never changed, never deleted.
constexpr const char* kMigrationReceipts = R"sql(
CREATE TABLE allocation_receipts (
  id INTEGER PRIMARY KEY,
  allocation_id INTEGER NOT NULL REFERENCES allocations(id),
  kind INTEGER NOT NULL,
  signature_sha256 TEXT NOT NULL,
  signature_size INTEGER NOT NULL,
  pdf_sha256 TEXT NOT NULL,
  pdf_size INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX allocation_receipts_one_per_kind ON allocation_receipts(allocation_id, kind);
CREATE INDEX allocation_receipts_pdf ON allocation_receipts(pdf_sha256);
CREATE INDEX allocation_receipts_signature ON allocation_receipts(signature_sha256);
CREATE TRIGGER allocation_receipts_are_history BEFORE UPDATE ON allocation_receipts
BEGIN
  SELECT RAISE(ABORT, 'receipts are history and never change');
END;
CREATE TRIGGER allocation_receipts_are_kept BEFORE DELETE ON allocation_receipts
BEGIN
  SELECT RAISE(ABORT, 'receipts are history and are never deleted');
END;
)sql";

// 9: a usage session whose employee number is nobody in the agents table at the
// time it was recorded (a mistyped badge number): flagged, not silently
// attributed to nobody (issue 20 item 13). Departments keep their name as
// written ("État civil" beside ETAT-CIVIL; issue 20 item 9): one per code, set
// by the agent and device writes, read by a join.
constexpr const char* kMigration9 = R"sql(
ALTER TABLE usage_sessions ADD COLUMN unknown_person INTEGER NOT NULL DEFAULT 0;
CREATE TABLE departments (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// 10: who to call about a person (issue 15, overdue loans): their manager by
// employee number (HR's "responsable") and a work phone. The manager is
// looked up by employee number when shown (not a foreign key: the manager
// may not be in Parc, or may come later in the same file).
constexpr const char* kMigration10 = R"sql(
ALTER TABLE agents ADD COLUMN manager TEXT NOT NULL DEFAULT '';
ALTER TABLE agents ADD COLUMN phone TEXT NOT NULL DEFAULT '';
)sql";

constexpr Migration kMigrations[] = {
    {1, kMigration1}, {2, kMigration2},   {3, kMigration3}, {4, kMigration4},
    {5, kMigration5}, {6, kMigration6},   {7, kMigration7}, {8, kMigrationReceipts},
    {9, kMigration9}, {10, kMigration10},
};

constexpr const char* kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  applied_at INTEGER NOT NULL
);
)sql";

Expected<int> CurrentVersion(Connection& db) {
  PARC_ASSIGN_OR_RETURN(Statement st,
                        db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  PARC_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? static_cast<int>(st.Int(0)) : 0;
}

// Applies one migration unless another process got there first.
Status ApplyOne(Connection& db, const Migration& migration, int64_t now_ms) {
  PARC_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, "BEGIN IMMEDIATE"));
  PARC_ASSIGN_OR_RETURN(int current, CurrentVersion(db));
  if (current >= migration.version) return Ok();
  PARC_TRY(db.Exec(migration.sql));
  PARC_ASSIGN_OR_RETURN(
      Statement record,
      db.Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"));
  PARC_TRY(record.BindAll(migration.version, now_ms).Run());
  return tx.Commit();
}

}  // namespace

std::span<const Migration> KnownMigrations() { return kMigrations; }

Expected<int> ApplyMigrations(Connection& db, int64_t now_ms) {
  PARC_TRY(db.Exec(kCreateMigrationsTable));
  PARC_ASSIGN_OR_RETURN(int current, CurrentVersion(db));
  const int latest = KnownMigrations().back().version;
  if (current > latest) {
    return FailedPrecondition("database schema version " + std::to_string(current) +
                              " is newer than this parcd supports (" + std::to_string(latest) +
                              "); upgrade parcd");
  }
  for (const Migration& migration : KnownMigrations()) {
    if (migration.version <= current) continue;
    if (auto applied = ApplyOne(db, migration, now_ms); !applied) {
      return std::unexpected(
          applied.error().Wrap("migration " + std::to_string(migration.version)));
    }
  }
  return CurrentVersion(db);
}

}  // namespace parc::store::sqlite
