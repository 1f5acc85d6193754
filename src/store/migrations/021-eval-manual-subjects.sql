-- 021: hand-entered values (eval_manual_values) for every kind of subject a scheme's
-- indicator applies to (适用: 党支部, 检察院, 党员, 党小组), not only branches; and results
-- marked stale when a party group changes.
--
-- A value names its subject by subject_kind and subject_id; branch_id is the branch the
-- subject belongs to (a branch's own id, a member's or party group's branch, NULL for a
-- procuratorate) and procuratorate_id its procuratorate: the data scope a value is
-- entered and approved in (domain/eval_manual.c). SQLite cannot change a CHECK or a NOT
-- NULL in place, so the table is rebuilt as the README says, every row kept as it was
-- (each names a branch: subject_kind 'branch', subject_id its branch_id). Dropping the
-- old table drops its triggers (eval_stale_eval_manual_values_*): they are made again on
-- the new one after the rename, marking the same results, in the form that first asks
-- whether any fresh result would change (a probe of the partial index eval_results_fresh;
-- the form the migration "eval-triggers-by-key" gives every eval_stale_* trigger);
-- legacy_alter_table keeps the rename from re-checking the other tables' triggers, as in
-- 017.
PRAGMA legacy_alter_table = ON;
CREATE TABLE eval_manual_values_new (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER REFERENCES branches(id),  -- the subject's branch; NULL for a procuratorate
  scheme_id        INTEGER NOT NULL REFERENCES eval_schemes(id),
  scheme_name      TEXT NOT NULL,                    -- the scheme's name: the value serves its editions
  indicator        TEXT NOT NULL,
  subject_kind     TEXT NOT NULL DEFAULT 'branch'
                   CHECK (subject_kind IN ('branch', 'procuratorate', 'member', 'party_group')),
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
  -- the subject and its scope agree: a branch is its own branch, a procuratorate its own
  -- procuratorate and in no branch, a member or party group in a branch
  CHECK (CASE subject_kind
           WHEN 'branch' THEN branch_id IS NOT NULL AND branch_id = subject_id
           WHEN 'procuratorate' THEN branch_id IS NULL AND procuratorate_id = subject_id
           ELSE branch_id IS NOT NULL END),
  UNIQUE (scheme_name, indicator, subject_kind, subject_id, period)
) STRICT;
INSERT INTO eval_manual_values_new SELECT * FROM eval_manual_values;
DROP TABLE eval_manual_values;
ALTER TABLE eval_manual_values_new RENAME TO eval_manual_values;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX eval_manual_branch ON eval_manual_values(branch_id, period);
CREATE INDEX eval_manual_proc ON eval_manual_values(procuratorate_id, period);
CREATE TRIGGER eval_stale_eval_manual_values_insert AFTER INSERT ON eval_manual_values
WHEN EXISTS (SELECT 1 FROM eval_results WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id)) BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_eval_manual_values_update AFTER UPDATE ON eval_manual_values
WHEN EXISTS (SELECT 1 FROM eval_results WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id)) BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (NEW.procuratorate_id IS NULL OR procuratorate_id = NEW.procuratorate_id) AND (NEW.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_eval_manual_values_delete AFTER DELETE ON eval_manual_values
WHEN EXISTS (SELECT 1 FROM eval_results WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id)) BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND (OLD.procuratorate_id IS NULL OR procuratorate_id = OLD.procuratorate_id) AND (OLD.branch_id IS NULL OR subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;

-- A party group's results, its members' (their measures count by the group they were in
-- on each day) and its branch's (三会一课 per party group) read it: a group made, changed
-- (its branch, its procuratorate, its name the explanations show) or deleted marks the
-- results of its branch before and after, and of its procuratorate before and after, as
-- every other ledger's eval_stale_* trigger does.
CREATE TRIGGER eval_stale_party_groups_insert AFTER INSERT ON party_groups
WHEN EXISTS (SELECT 1 FROM eval_results WHERE stale = 0 AND procuratorate_id = NEW.procuratorate_id AND (subject_kind = 'procuratorate' OR branch_id = NEW.branch_id)) BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND procuratorate_id = NEW.procuratorate_id AND (subject_kind = 'procuratorate' OR branch_id = NEW.branch_id);
END;
CREATE TRIGGER eval_stale_party_groups_update AFTER UPDATE ON party_groups
WHEN EXISTS (SELECT 1 FROM eval_results WHERE stale = 0 AND procuratorate_id IN (NEW.procuratorate_id, OLD.procuratorate_id) AND (subject_kind = 'procuratorate' OR branch_id IN (NEW.branch_id, OLD.branch_id))) BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND procuratorate_id IN (NEW.procuratorate_id, OLD.procuratorate_id) AND (subject_kind = 'procuratorate' OR branch_id IN (NEW.branch_id, OLD.branch_id));
END;
CREATE TRIGGER eval_stale_party_groups_delete AFTER DELETE ON party_groups
WHEN EXISTS (SELECT 1 FROM eval_results WHERE stale = 0 AND procuratorate_id = OLD.procuratorate_id AND (subject_kind = 'procuratorate' OR branch_id = OLD.branch_id)) BEGIN
  UPDATE eval_results SET stale = 1 WHERE stale = 0 AND procuratorate_id = OLD.procuratorate_id AND (subject_kind = 'procuratorate' OR branch_id = OLD.branch_id);
END;
