-- 四同步 pairs and the checking-off of work-method elements (issue 7, src/domain/joint.c).

-- A business task paired with its party-building counterpart. Each side has the four
-- stages 同步谋划 (plan), 同步部署 (deploy), 同步落实 (implement), 同步检查 (review), each
-- the date it was done (NULL: not yet); the engine keeps each side's stages in order and
-- none in the future. Whether the two moved in step is derived when read, never stored:
-- a stage is in step when the two dates lie at most tolerance_days apart.
CREATE TABLE sync_pairs (
  id                     INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id       INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id              INTEGER NOT NULL REFERENCES branches(id),
  year                   INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  business_title         TEXT NOT NULL,
  party_title            TEXT NOT NULL,
  business_plan_on       TEXT,
  business_deploy_on     TEXT,
  business_implement_on  TEXT,
  business_review_on     TEXT,
  party_plan_on          TEXT,
  party_deploy_on        TEXT,
  party_implement_on     TEXT,
  party_review_on        TEXT,
  tolerance_days         INTEGER NOT NULL DEFAULT 7 CHECK (tolerance_days BETWEEN 0 AND 30),
  note                   TEXT,
  sample                 INTEGER NOT NULL DEFAULT 0,
  version                INTEGER NOT NULL DEFAULT 1,
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL
) STRICT;
CREATE INDEX sync_pairs_branch ON sync_pairs(branch_id, business_plan_on);
CREATE INDEX sync_pairs_proc ON sync_pairs(procuratorate_id, year);

-- A method is checked off per month or per quarter; the methods there are are monthly
-- until someone says otherwise.
ALTER TABLE methods ADD COLUMN period TEXT NOT NULL DEFAULT 'month' CHECK (period IN ('month', 'quarter'));

-- One element of a method checked off for a branch and a period ("2025-03" for a monthly
-- method, "2025-Q1" for a quarterly one); method_id is the element's, kept for the
-- completion grid. Its evidence is element_evidence; a check without any is allowed and
-- shown as such.
CREATE TABLE element_checks (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id  INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id         INTEGER NOT NULL REFERENCES branches(id),
  element_id        INTEGER NOT NULL REFERENCES method_elements(id),
  method_id         INTEGER NOT NULL REFERENCES methods(id),
  period            TEXT NOT NULL,
  checked_on        TEXT,
  note              TEXT,
  sample            INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (element_id, branch_id, period)
) STRICT;
CREATE INDEX element_checks_branch ON element_checks(branch_id, method_id, period);
CREATE INDEX element_checks_branch_date ON element_checks(branch_id, checked_on);

-- A record of a ledger (item_coll: its API collection, item_id) that proves a check.
CREATE TABLE element_evidence (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id  INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id         INTEGER NOT NULL REFERENCES branches(id),
  check_id          INTEGER NOT NULL REFERENCES element_checks(id),
  item_coll         TEXT NOT NULL CHECK (item_coll IN ('activities', 'cases', 'requests', 'pil-matters', 'patrols', 'outreach', 'projects', 'sync-pairs')),
  item_id           INTEGER NOT NULL,
  note              TEXT,
  sample            INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (check_id, item_coll, item_id)
) STRICT;
CREATE INDEX element_evidence_item ON element_evidence(item_coll, item_id);
