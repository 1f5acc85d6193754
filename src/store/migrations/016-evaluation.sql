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
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  scheme_id        INTEGER NOT NULL REFERENCES eval_schemes(id),
  scheme_name      TEXT NOT NULL,                    -- the scheme's name: the value serves its editions
  indicator        TEXT NOT NULL,
  subject_kind     TEXT NOT NULL DEFAULT 'branch' CHECK (subject_kind IN ('branch', 'procuratorate')),
  subject_id       INTEGER NOT NULL,
  period           TEXT NOT NULL,
  value            TEXT NOT NULL,                    -- a decimal 0..100, as entered
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

-- A result is stale once a record of the ledgers it reads changes, until the next run:
-- every result of the record's branch and of its procuratorate (a case belongs to no
-- branch: its procuratorate's; a rule for every procuratorate: all), whatever the period
-- (cautious: a result no change touched is never called fresh wrongly). The partial index
-- holds the fresh results only, so a write after the first finds nothing to mark at once.
CREATE INDEX eval_results_fresh ON eval_results(procuratorate_id, branch_id) WHERE stale = 0;
CREATE TRIGGER eval_stale_activities_insert AFTER INSERT ON activities BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_activities_update AFTER UPDATE ON activities BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_activities_delete AFTER DELETE ON activities BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_attendance_insert AFTER INSERT ON attendance BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_attendance_update AFTER UPDATE ON attendance BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_attendance_delete AFTER DELETE ON attendance BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_activity_items_insert AFTER INSERT ON activity_items BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_activity_items_update AFTER UPDATE ON activity_items BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_activity_items_delete AFTER DELETE ON activity_items BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_member_terms_insert AFTER INSERT ON member_terms BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_member_terms_update AFTER UPDATE ON member_terms BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_member_terms_delete AFTER DELETE ON member_terms BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_case_reviews_insert AFTER INSERT ON case_reviews BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_case_reviews_update AFTER UPDATE ON case_reviews BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_case_reviews_delete AFTER DELETE ON case_reviews BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_requests_insert AFTER INSERT ON requests BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_requests_update AFTER UPDATE ON requests BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_requests_delete AFTER DELETE ON requests BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_pil_matters_insert AFTER INSERT ON pil_matters BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_pil_matters_update AFTER UPDATE ON pil_matters BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_pil_matters_delete AFTER DELETE ON pil_matters BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_outreach_insert AFTER INSERT ON outreach BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_outreach_update AFTER UPDATE ON outreach BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_outreach_delete AFTER DELETE ON outreach BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_sync_pairs_insert AFTER INSERT ON sync_pairs BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_sync_pairs_update AFTER UPDATE ON sync_pairs BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_sync_pairs_delete AFTER DELETE ON sync_pairs BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_element_checks_insert AFTER INSERT ON element_checks BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_element_checks_update AFTER UPDATE ON element_checks BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_element_checks_delete AFTER DELETE ON element_checks BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_element_evidence_insert AFTER INSERT ON element_evidence BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_element_evidence_update AFTER UPDATE ON element_evidence BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_element_evidence_delete AFTER DELETE ON element_evidence BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_project_outcomes_insert AFTER INSERT ON project_outcomes BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_project_outcomes_update AFTER UPDATE ON project_outcomes BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_project_outcomes_delete AFTER DELETE ON project_outcomes BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_project_parties_insert AFTER INSERT ON project_parties BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_project_parties_update AFTER UPDATE ON project_parties BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_project_parties_delete AFTER DELETE ON project_parties BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_honours_insert AFTER INSERT ON honours BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_honours_update AFTER UPDATE ON honours BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_honours_delete AFTER DELETE ON honours BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_eval_manual_values_insert AFTER INSERT ON eval_manual_values BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_eval_manual_values_update AFTER UPDATE ON eval_manual_values BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_eval_manual_values_delete AFTER DELETE ON eval_manual_values BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_life_rules_insert AFTER INSERT ON life_rules BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_life_rules_update AFTER UPDATE ON life_rules BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_life_rules_delete AFTER DELETE ON life_rules BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
CREATE TRIGGER eval_stale_cases_insert AFTER INSERT ON cases BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id);
END;
CREATE TRIGGER eval_stale_cases_update AFTER UPDATE ON cases BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id);
END;
CREATE TRIGGER eval_stale_cases_delete AFTER DELETE ON cases BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id);
END;
CREATE TRIGGER eval_stale_case_members_insert AFTER INSERT ON case_members BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id);
END;
CREATE TRIGGER eval_stale_case_members_update AFTER UPDATE ON case_members BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id);
END;
CREATE TRIGGER eval_stale_case_members_delete AFTER DELETE ON case_members BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id);
END;
