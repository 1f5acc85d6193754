-- 016: the evaluation (docs/evaluation.md). Schemes are versioned text: a scheme that a
-- result was computed with is never edited in place (a change is a new version of the
-- same name), so every result keeps the text it came from. A run computes one scheme for
-- one period (2025, 2025-Q3, 2025-07) for every subject in the runner's scope; its
-- results hold every number and the measures behind them (detail: JSON as the explanation
-- answers it), so an explanation is read, not recomputed. Hand-entered values (a
-- leadership assessment, a 述职评议 result) count only once a second person approved
-- them, with evidence.
CREATE TABLE eval_schemes (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  edition          INTEGER NOT NULL DEFAULT 1 CHECK (edition >= 1),
  text             TEXT NOT NULL,
  note             TEXT,
  used             INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (name, edition)
) STRICT;

CREATE TABLE eval_runs (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  scheme_id        INTEGER NOT NULL REFERENCES eval_schemes(id),
  period           TEXT NOT NULL,
  period_from      TEXT NOT NULL,
  period_to        TEXT NOT NULL,
  subjects         INTEGER NOT NULL DEFAULT 0,
  computed_at      TEXT NOT NULL,
  computed_by      INTEGER REFERENCES users(id),
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX eval_runs_period ON eval_runs(scheme_id, period, id);

-- One subject's result of a run: a branch (subject_kind 'branch', subject_id its id) or a
-- procuratorate. total, fusion and the group scores are NULL when 缺项.
CREATE TABLE eval_results (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id           INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER REFERENCES branches(id),
  subject_kind     TEXT NOT NULL CHECK (subject_kind IN ('branch', 'procuratorate')),
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
CREATE INDEX eval_results_subject ON eval_results(subject_kind, subject_id, period, run_id);
CREATE INDEX eval_results_branch ON eval_results(branch_id, period);

-- A value entered by hand for an indicator the scheme marks 手工录入: it counts once a
-- second person (not the one who entered it) approved it; evidence is a file or a record.
CREATE TABLE eval_manual_values (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER REFERENCES branches(id),
  scheme_name      TEXT NOT NULL,
  indicator        TEXT NOT NULL,
  subject_kind     TEXT NOT NULL DEFAULT 'branch' CHECK (subject_kind IN ('branch', 'procuratorate')),
  subject_id       INTEGER NOT NULL,
  period           TEXT NOT NULL,
  value            REAL NOT NULL,
  evidence_attachment_id INTEGER REFERENCES attachments(id),
  evidence_note    TEXT,
  status           TEXT NOT NULL DEFAULT '待审核' CHECK (status IN ('待审核', '已通过', '已退回')),
  entered_by       INTEGER REFERENCES users(id),
  approved_by      INTEGER REFERENCES users(id),
  approved_at      TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  CHECK (approved_by IS NULL OR entered_by IS NULL OR approved_by <> entered_by),
  UNIQUE (scheme_name, indicator, subject_kind, subject_id, period)
) STRICT;
CREATE INDEX eval_manual_branch ON eval_manual_values(branch_id, period);
