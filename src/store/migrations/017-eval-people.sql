-- Results for members and party groups (issue 9: 党员、党小组 as evaluated subjects): the
-- results' subject_kind takes 'member' and 'party_group' beside 'branch' and
-- 'procuratorate'. SQLite cannot change a CHECK in place, so the table is rebuilt as the
-- README says, every row kept as it was. The eval_stale_* triggers of 016 name
-- eval_results in their bodies: with legacy_alter_table the rename leaves them as they are
-- (they name the rebuilt table once it has its name) instead of re-checking them against a
-- schema in which the old table is already gone.
PRAGMA legacy_alter_table = ON;
CREATE TABLE eval_results_new (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id           INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER REFERENCES branches(id),
  subject_kind     TEXT NOT NULL CHECK (subject_kind IN ('branch', 'procuratorate', 'member', 'party_group')),
  subject_id       INTEGER NOT NULL,
  period           TEXT NOT NULL,
  total            REAL,
  fusion           REAL,
  party            REAL,
  business         REAL,
  linkage          REAL,
  missing          INTEGER NOT NULL DEFAULT 0,
  pending          INTEGER NOT NULL DEFAULT 0,
  rank_city        INTEGER,
  rank_level       INTEGER,
  rank_proc        INTEGER,
  movement         TEXT CHECK (movement IN ('上升', '下降', '持平', '新进')),
  resonance        REAL,
  resonance_lo     REAL,
  resonance_hi     REAL,
  resonance_n      INTEGER NOT NULL DEFAULT 0,
  stale            INTEGER NOT NULL DEFAULT 0 CHECK (stale IN (0, 1)),
  detail           TEXT NOT NULL,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (run_id, subject_kind, subject_id)
) STRICT;
INSERT INTO eval_results_new SELECT * FROM eval_results;
DROP TABLE eval_results;
ALTER TABLE eval_results_new RENAME TO eval_results;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX eval_results_subject ON eval_results(subject_kind, subject_id, period, run_id);
CREATE INDEX eval_results_branch ON eval_results(branch_id, period);
CREATE INDEX eval_results_fresh ON eval_results(procuratorate_id, branch_id) WHERE stale = 0;
