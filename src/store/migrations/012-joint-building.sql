-- Joint building (issue 7, src/domain/joint.c): 五联建 and the other joint-building
-- projects with their parties, activities and outcomes; 红旗结对 pairings and their
-- progress; the city's guidance of county branches (以机关带系统强基层).

-- A project, led by a branch (its scope). kind: the five 五联建 ways, 检校联建 (with
-- schools), 支部联建 (between branches), 检察+行政 (with administrative organs).
CREATE TABLE projects (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id  INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id         INTEGER NOT NULL REFERENCES branches(id),
  kind              TEXT NOT NULL CHECK (kind IN ('铸魂联建', '队伍联建', '平台联建', '项目联建', '规范联建', '检校联建', '支部联建', '检察+行政')),
  title             TEXT NOT NULL,
  goals             TEXT,
  started_on        TEXT NOT NULL,
  ends_on           TEXT,
  sample            INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX projects_branch ON projects(branch_id, started_on);
CREATE INDEX projects_proc ON projects(procuratorate_id, started_on);

-- A party besides the lead: another branch, or an outside unit by name and kind.
CREATE TABLE project_parties (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id  INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id         INTEGER NOT NULL REFERENCES branches(id),
  project_id        INTEGER NOT NULL REFERENCES projects(id),
  party_branch_id   INTEGER REFERENCES branches(id),
  unit_name         TEXT,
  unit_kind         TEXT CHECK (unit_kind IN ('学校', '行政机关', '企业', '社区', '其他')),
  role              TEXT,
  sample            INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  CHECK ((party_branch_id IS NULL) <> (unit_name IS NULL))
) STRICT;
CREATE INDEX project_parties_project ON project_parties(project_id);
CREATE INDEX project_parties_branch ON project_parties(party_branch_id);

-- A ledger record done for the project (item_coll: its API collection, item_id).
CREATE TABLE project_activities (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id  INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id         INTEGER NOT NULL REFERENCES branches(id),
  project_id        INTEGER NOT NULL REFERENCES projects(id),
  item_coll         TEXT NOT NULL CHECK (item_coll IN ('activities', 'outreach', 'patrols', 'pil-matters', 'cases', 'requests', 'sync-pairs')),
  item_id           INTEGER NOT NULL,
  note              TEXT,
  sample            INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (project_id, item_coll, item_id)
) STRICT;
CREATE INDEX project_activities_project ON project_activities(project_id);
CREATE INDEX project_activities_item ON project_activities(item_coll, item_id);

-- An outcome of a project: credited to the lead and every party (derived when read).
CREATE TABLE project_outcomes (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id  INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id         INTEGER NOT NULL REFERENCES branches(id),
  project_id        INTEGER NOT NULL REFERENCES projects(id),
  title             TEXT NOT NULL,
  achieved_on       TEXT NOT NULL,
  description       TEXT,
  sample            INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX project_outcomes_project ON project_outcomes(project_id, achieved_on);
CREATE INDEX project_outcomes_branch ON project_outcomes(branch_id, achieved_on);

-- 红旗结对: a leading branch helps another; the scope is the helped branch's.
CREATE TABLE pairings (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id  INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id         INTEGER NOT NULL REFERENCES branches(id),
  leading_branch_id INTEGER NOT NULL REFERENCES branches(id),
  goals             TEXT NOT NULL,
  started_on        TEXT NOT NULL,
  ends_on           TEXT,
  sample            INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  CHECK (leading_branch_id <> branch_id)
) STRICT;
CREATE INDEX pairings_branch ON pairings(branch_id, started_on);
CREATE INDEX pairings_leading ON pairings(leading_branch_id, started_on);

CREATE TABLE pairing_progress (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id  INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id         INTEGER NOT NULL REFERENCES branches(id),
  pairing_id        INTEGER NOT NULL REFERENCES pairings(id),
  noted_on          TEXT NOT NULL,
  note              TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('按计划', '滞后', '已达成')),
  score             INTEGER CHECK (score BETWEEN 0 AND 100),
  sample            INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX pairing_progress_pairing ON pairing_progress(pairing_id, noted_on);
CREATE INDEX pairing_progress_branch ON pairing_progress(branch_id, noted_on);

-- 以机关带系统强基层: a city branch's guidance of a county branch. The scope is the
-- county branch's (branch_id), so its procuratorate reads it; from_branch_id is the city's.
CREATE TABLE guidance (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id  INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id         INTEGER NOT NULL REFERENCES branches(id),
  from_branch_id    INTEGER NOT NULL REFERENCES branches(id),
  kind              TEXT NOT NULL CHECK (kind IN ('走访', '培训', '评审/检查', '其他')),
  held_on           TEXT NOT NULL,
  summary           TEXT NOT NULL,
  sample            INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX guidance_branch ON guidance(branch_id, held_on);
CREATE INDEX guidance_from ON guidance(from_branch_id, held_on);
