-- Organisation life (组织生活): a member's branch and party group over time, the
-- meetings and study sessions a branch holds, who attended them, the business items
-- they served, and the rules of 三会一课 as data (src/domain/partylife.c).

-- A member's terms in a branch (and party group): from_date the first day, to_date the
-- day the member moved on (the first day in the next term; NULL: the current term). A
-- day D belongs to the term with from_date <= D < to_date. Kept by the members write
-- path: a new member opens a term, a transfer closes the open one and opens the next;
-- a term is never rewritten otherwise. Goes with its member when one is deleted.
CREATE TABLE member_terms (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  member_id        INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  party_group_id   INTEGER REFERENCES party_groups(id),
  from_date        TEXT NOT NULL,
  to_date          TEXT CHECK (to_date IS NULL OR to_date >= from_date),
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX member_terms_member ON member_terms(member_id, from_date);
CREATE INDEX member_terms_branch ON member_terms(branch_id, from_date);
CREATE INDEX member_terms_group ON member_terms(party_group_id, from_date);
-- At most one open term per member.
CREATE UNIQUE INDEX member_terms_open ON member_terms(member_id) WHERE to_date IS NULL;

-- Every member as it stands: one open term from 入党日期, else the day it was entered.
INSERT INTO member_terms(procuratorate_id, branch_id, member_id, party_group_id, from_date, sample,
                         created_at, updated_at)
  SELECT procuratorate_id, branch_id, id, party_group_id, COALESCE(joined_party, substr(created_at, 1, 10)),
         sample, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM members ORDER BY id;

-- 三会一课, 主题党日 and study sessions (学习, in the study platform's three dimensions).
CREATE TABLE activities (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  party_group_id   INTEGER REFERENCES party_groups(id),
  kind             TEXT NOT NULL
                   CHECK (kind IN ('支部党员大会', '支委会', '党小组会', '党课', '主题党日', '学习')),
  study_dimension  TEXT CHECK (study_dimension IN ('党性锤炼', '专业实训', '智慧赋能')),
  held_on          TEXT NOT NULL,
  topic            TEXT NOT NULL,
  speaker          TEXT,
  place            TEXT,
  minutes          TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX activities_branch ON activities(branch_id, held_on);
CREATE INDEX activities_proc ON activities(procuratorate_id, held_on);
CREATE INDEX activities_kind ON activities(kind, held_on);
CREATE INDEX activities_group ON activities(party_group_id, held_on);

-- Attendance: one row per member per activity; an absence has its reason.
CREATE TABLE attendance (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  activity_id      INTEGER NOT NULL REFERENCES activities(id),
  member_id        INTEGER NOT NULL REFERENCES members(id),
  status           TEXT NOT NULL CHECK (status IN ('出席', '缺席')),
  reason           TEXT CHECK (reason IN ('公差', '病假', '事假', '其他')),
  note             TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (activity_id, member_id)
) STRICT;
CREATE INDEX attendance_member ON attendance(member_id, activity_id);
CREATE INDEX attendance_branch ON attendance(branch_id, activity_id);

-- The business items an activity served (a meeting that discussed a case).
CREATE TABLE activity_items (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  activity_id      INTEGER NOT NULL REFERENCES activities(id),
  item_coll        TEXT NOT NULL CHECK (item_coll IN ('cases', 'requests', 'pil-matters', 'patrols', 'outreach', 'projects', 'sync-pairs')),
  item_id          INTEGER NOT NULL,
  note             TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (activity_id, item_coll, item_id)
) STRICT;
CREATE INDEX activity_items_item ON activity_items(item_coll, item_id);
CREATE INDEX activity_items_branch ON activity_items(branch_id, activity_id);

-- 三会一课 as data: how many of a kind a branch must hold per period. A rule applies to
-- one branch (branch_id), or to the branches of one procuratorate (procuratorate_id), or
-- to all (procuratorate_id NULL); level narrows it to 市院 (1) or 基层院 (2) branches. The
-- most specific rule of a kind wins (branch, then procuratorate, then level, then all);
-- required_count 0 exempts. per_party_group: each party group of the branch must hold
-- its own (党小组会).
CREATE TABLE life_rules (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER REFERENCES procuratorates(id),
  branch_id        INTEGER REFERENCES branches(id),
  level            INTEGER CHECK (level IN (1, 2)),
  kind             TEXT NOT NULL
                   CHECK (kind IN ('支部党员大会', '支委会', '党小组会', '党课', '主题党日', '学习')),
  period           TEXT NOT NULL CHECK (period IN ('月', '季度', '年')),
  required_count   INTEGER NOT NULL CHECK (required_count BETWEEN 0 AND 31),
  per_party_group  INTEGER NOT NULL DEFAULT 0 CHECK (per_party_group IN (0, 1)),
  note             TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX life_rules_kind ON life_rules(kind);

INSERT INTO life_rules(kind, period, required_count, per_party_group, note, created_at, updated_at) VALUES
  ('支部党员大会', '季度', 1, 0, '三会一课：支部党员大会一般每季度召开一次',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('支委会', '月', 1, 0, '三会一课：支部委员会一般每月召开一次',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('党小组会', '月', 1, 1, '三会一课：党小组会一般每月召开一次（每个党小组）',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('党课', '季度', 1, 0, '三会一课：党课一般每季度至少一次',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
