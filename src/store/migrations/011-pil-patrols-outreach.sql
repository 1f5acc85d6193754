-- Public-interest litigation (公益诉讼) matters, the patrols (党员突击队 常态化巡查) that
-- raise them, and legal outreach (普法宣传, 公益法律顾问团). Rules across fields (stage
-- order, the reply deadline, members of the procuratorate) are src/domain/pil.c's.

-- A patrol: who went (member_ids, a JSON array of member ids, mirrored into
-- patrol_members by the triggers below), where, when, what was found. A joint patrol
-- (党员+行政长官) names the administrative leaders who went with it (officials, a JSON
-- array of {name, title, organ}). Coordinates are optional decimal degrees, as text.
CREATE TABLE patrols (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  patrolled_on     TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('党员突击队巡查', '党员+行政长官联合巡查')),
  place            TEXT NOT NULL,
  lat              TEXT CHECK (lat IS NULL OR CAST(lat AS REAL) BETWEEN -90 AND 90),
  lng              TEXT CHECK (lng IS NULL OR CAST(lng AS REAL) BETWEEN -180 AND 180),
  member_ids       TEXT NOT NULL DEFAULT '[]',
  officials        TEXT,
  problem_found    INTEGER NOT NULL DEFAULT 0,
  findings         TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX patrols_branch_date ON patrols(branch_id, patrolled_on);
CREATE INDEX patrols_proc_date ON patrols(procuratorate_id, patrolled_on);

-- Who went on a patrol, one row per member: kept from patrols.member_ids by the
-- triggers, never written otherwise. A member who went on a patrol cannot be deleted.
CREATE TABLE patrol_members (
  patrol_id INTEGER NOT NULL REFERENCES patrols(id) ON DELETE CASCADE,
  member_id INTEGER NOT NULL REFERENCES members(id),
  PRIMARY KEY (patrol_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX patrol_members_member ON patrol_members(member_id);
CREATE TRIGGER patrols_members_insert AFTER INSERT ON patrols BEGIN
  INSERT INTO patrol_members(patrol_id, member_id) SELECT NEW.id, value FROM json_each(NEW.member_ids);
END;
CREATE TRIGGER patrols_members_update AFTER UPDATE OF member_ids ON patrols BEGIN
  DELETE FROM patrol_members WHERE patrol_id = NEW.id;
  INSERT INTO patrol_members(patrol_id, member_id) SELECT NEW.id, value FROM json_each(NEW.member_ids);
END;

-- A public-interest matter: its stages by date, 线索 (clue_on) → 立案 (filed_on) →
-- 诉前检察建议 (recommended_on) → 整改 (rectified_on) or 起诉 (sued_on) → 回访
-- (revisited_on). reply_due is derived: recommended_on + 2 months (the organ's reply
-- period), the last day of the month where that month is shorter. The collaboration:
-- 检察+行政 (a mechanism with named organs: mechanism, partners) or 党员+行政长官 (a
-- joint patrol). patrol_id: the patrol that raised it.
CREATE TABLE pil_matters (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER REFERENCES branches(id),
  title            TEXT NOT NULL,
  source           TEXT NOT NULL CHECK (source IN ('巡查', '大数据监督模型', '举报', '移送', '其他')),
  field            TEXT NOT NULL CHECK (field IN ('生态环境和资源保护', '文物和文化遗产', '食品药品安全', '国有财产保护', '国有土地使用权出让', '草原', '英烈权益', '未成年人保护', '其他')),
  organ            TEXT,
  collaboration    TEXT CHECK (collaboration IN ('检察+行政', '党员+行政长官')),
  mechanism        TEXT,
  partners         TEXT,
  patrol_id        INTEGER REFERENCES patrols(id),
  summary          TEXT,
  clue_on          TEXT NOT NULL,
  filed_on         TEXT,
  recommended_on   TEXT,
  reply_due        TEXT,
  reply_on         TEXT,
  rectified_on     TEXT,
  sued_on          TEXT,
  revisited_on     TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX pil_matters_proc_clue ON pil_matters(procuratorate_id, clue_on);
CREATE INDEX pil_matters_branch_clue ON pil_matters(branch_id, clue_on);
CREATE INDEX pil_matters_patrol ON pil_matters(patrol_id);
CREATE INDEX pil_matters_reply_due ON pil_matters(procuratorate_id, reply_due) WHERE reply_on IS NULL;

-- Legal outreach: 线上 or 线下, and offline at a fixed point (固定点位) or mobile (流动);
-- the audience, its size, the language, the members who served (member_ids, mirrored
-- into outreach_members as for patrols).
CREATE TABLE outreach (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  held_on          TEXT NOT NULL,
  programme        TEXT NOT NULL DEFAULT '普法宣传' CHECK (programme IN ('普法宣传', '公益法律顾问团')),
  kind             TEXT NOT NULL CHECK (kind IN ('线上', '线下')),
  form             TEXT CHECK (form IN ('固定点位', '流动')),
  place            TEXT NOT NULL,
  topic            TEXT NOT NULL,
  audience         TEXT NOT NULL CHECK (audience IN ('学生', '牧民', '农民', '企业', '社区居民', '其他')),
  audience_size    INTEGER CHECK (audience_size BETWEEN 1 AND 1000000),
  language         TEXT NOT NULL CHECK (language IN ('汉语', '蒙古语', '双语')),
  member_ids       TEXT NOT NULL DEFAULT '[]',
  summary          TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX outreach_branch_date ON outreach(branch_id, held_on);
CREATE INDEX outreach_proc_date ON outreach(procuratorate_id, held_on);

CREATE TABLE outreach_members (
  outreach_id INTEGER NOT NULL REFERENCES outreach(id) ON DELETE CASCADE,
  member_id   INTEGER NOT NULL REFERENCES members(id),
  PRIMARY KEY (outreach_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX outreach_members_member ON outreach_members(member_id);
CREATE TRIGGER outreach_members_insert AFTER INSERT ON outreach BEGIN
  INSERT INTO outreach_members(outreach_id, member_id) SELECT NEW.id, value FROM json_each(NEW.member_ids);
END;
CREATE TRIGGER outreach_members_update AFTER UPDATE OF member_ids ON outreach BEGIN
  DELETE FROM outreach_members WHERE outreach_id = NEW.id;
  INSERT INTO outreach_members(outreach_id, member_id) SELECT NEW.id, value FROM json_each(NEW.member_ids);
END;
