-- Cases (案件), their handling teams (一案一专班) and their 三必评 reviews.
-- A case belongs to a procuratorate (the scope); its branch is not stored: it is the
-- branch of the party member who leads the team (主办检察官), derived when read. The
-- stage dates are columns in their fixed order (src/domain/cases.c names which apply to
-- each type); the team's party composition is never stored, it is counted from the team.

CREATE TABLE cases (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  department_id    INTEGER REFERENCES departments(id),      -- 承办部门
  case_no          TEXT NOT NULL,                           -- the procuratorate's own number
  title            TEXT NOT NULL,
  brief            TEXT,
  type             TEXT NOT NULL CHECK (type IN ('审查逮捕', '审查起诉', '公益诉讼', '未成年人检察', '民事检察监督', '行政检察监督', '刑事执行检察监督', '其他')),
  received_on      TEXT NOT NULL,                           -- 受理
  decided_on       TEXT,                                    -- 审查决定
  filed_on         TEXT,                                    -- 起诉 / 提起诉讼 / 抗诉
  judged_on        TEXT,                                    -- 法院裁判
  closed_on        TEXT,                                    -- 办结
  language         TEXT NOT NULL DEFAULT '汉语' CHECK (language IN ('汉语', '蒙古语', '双语')),
  party_language   TEXT CHECK (party_language IN ('汉语', '蒙古语', '双语', '其他')),
  interpreter      TEXT,
  grade            TEXT CHECK (grade IN ('优质', '合格', '基本合格', '不合格')),
  typical          INTEGER NOT NULL DEFAULT 0 CHECK (typical IN (0, 1)),
  typical_level    TEXT CHECK (typical_level IN ('最高检', '自治区院', '市院', '本院')),
  typical_writeup  TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (procuratorate_id, case_no)
) STRICT;
CREATE INDEX cases_proc_received ON cases(procuratorate_id, received_on);
CREATE INDEX cases_received ON cases(received_on);
CREATE INDEX cases_type ON cases(type, received_on);

-- One row per person or unit on a case's team: exactly one of member_id (a party
-- member), person_name (staff who are not party members) and unit_name (an outside
-- unit). At most one 主办检察官 per case.
CREATE TABLE case_members (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),  -- the case's
  case_id          INTEGER NOT NULL REFERENCES cases(id),
  role             TEXT NOT NULL CHECK (role IN ('主办检察官', '检察官助理', '书记员', '技术人员', '翻译', '其他')),
  member_id        INTEGER REFERENCES members(id),
  person_name      TEXT,
  person_quota     INTEGER NOT NULL DEFAULT 0 CHECK (person_quota IN (0, 1)),
  unit_name        TEXT,
  note             TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  CHECK ((member_id IS NOT NULL) + (person_name IS NOT NULL) + (unit_name IS NOT NULL) = 1),
  UNIQUE (case_id, member_id)
) STRICT;
CREATE INDEX case_members_case ON case_members(case_id, role);
CREATE INDEX case_members_member ON case_members(member_id);
CREATE UNIQUE INDEX case_members_one_lead ON case_members(case_id) WHERE role = '主办检察官';

-- 三必评: one review per aspect per case, by whom and when.
CREATE TABLE case_reviews (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),  -- the case's
  branch_id        INTEGER REFERENCES branches(id),                 -- the reviewing branch
  case_id          INTEGER NOT NULL REFERENCES cases(id),
  aspect           TEXT NOT NULL CHECK (aspect IN ('政治考量', '社会影响', '群众满意')),
  score            INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
  comment          TEXT,
  reviewed_on      TEXT NOT NULL,
  reviewer_id      INTEGER REFERENCES users(id),
  reviewer_name    TEXT NOT NULL,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (case_id, aspect)
) STRICT;
CREATE INDEX case_reviews_branch ON case_reviews(branch_id, reviewed_on);
