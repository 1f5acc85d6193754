-- 018: formalism signals (形式化信号, docs/evaluation.md 「形式化信号」): what a run of the
-- evaluation found for a person to review — minutes copied between meetings (纪要雷同),
-- attendance too perfect for too long (全勤异常), records entered long after the day they
-- describe (补录), a burst of entries just before the deadline (突击), method elements
-- checked off without evidence (要素无佐证). Never a penalty: a reviewer marks each
-- 已核实 (checked, with a note: nothing wrong) or 属实 (it is formalism), audited.
--
-- A signal is keyed by what raised it: its kind, its branch, the period of the run and
-- record_key, a digest of the sorted records behind it (domain/eval_signals.c). A rerun of
-- the period finds the same signal again and updates its detail, keeping the reviewer's
-- decision; a signal still 待审核 that a rerun no longer raises is removed by that rerun.
-- records: JSON [{collection, id, title, day}], the ledger records that raised it;
-- detail: JSON, kind-specific numbers (similarity and passages, streak, lags, counts).
CREATE TABLE eval_signals (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  kind             TEXT NOT NULL CHECK (kind IN ('纪要雷同', '全勤异常', '补录', '突击', '要素无佐证')),
  period           TEXT NOT NULL,
  record_key       TEXT NOT NULL,
  summary          TEXT NOT NULL,
  records          TEXT NOT NULL DEFAULT '[]',
  detail           TEXT NOT NULL DEFAULT '{}',
  status           TEXT NOT NULL DEFAULT '待审核' CHECK (status IN ('待审核', '已核实', '属实')),
  note             TEXT,
  reviewed_by      INTEGER REFERENCES users(id),
  reviewed_at      TEXT,
  run_id           INTEGER REFERENCES eval_runs(id) ON DELETE SET NULL, -- the run that last raised it
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  CHECK (status = '待审核' OR reviewed_at IS NOT NULL),
  UNIQUE (kind, branch_id, period, record_key)
) STRICT;
CREATE INDEX eval_signals_period ON eval_signals(period, status, procuratorate_id);
CREATE INDEX eval_signals_branch ON eval_signals(branch_id, period);
