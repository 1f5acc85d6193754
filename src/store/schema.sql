-- ronghe schema, version 1. Applied by store_migrate() inside one transaction.
-- Every scoped table carries procuratorate_id (and branch_id where it belongs to a
-- branch): the authorisation layer checks data scope on these two columns alone.
-- Ids are AUTOINCREMENT: a deleted record's id is never given to another, so a stale
-- link or a history never points at the wrong record.
-- Every editable table carries version (optimistic locking) and sample (1 = generated
-- demo data marked 示例, not fact).

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE procuratorates (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL UNIQUE,
  name_mn    TEXT,
  short_name TEXT NOT NULL,
  level      INTEGER NOT NULL CHECK (level IN (1, 2)),  -- 1 市院, 2 基层院
  parent_id  INTEGER REFERENCES procuratorates(id),
  procuratorate_id INTEGER,                               -- = id, for the scope check
  sort       INTEGER NOT NULL DEFAULT 0,
  sample     INTEGER NOT NULL DEFAULT 0,
  version    INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE branches (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER,                               -- = id, for the scope check
  name             TEXT NOT NULL,
  name_mn          TEXT,
  kind             TEXT NOT NULL CHECK (kind IN ('党总支', '党支部')),
  secretary_name   TEXT,
  founded          TEXT,
  description      TEXT,
  sort             INTEGER NOT NULL DEFAULT 0,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (procuratorate_id, name)
) STRICT;

CREATE TABLE departments (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER REFERENCES branches(id),        -- the branch it belongs to
  name             TEXT NOT NULL,
  name_mn          TEXT,
  kind             TEXT NOT NULL DEFAULT '业务' CHECK (kind IN ('综合', '业务')),
  duties           TEXT,
  sort             INTEGER NOT NULL DEFAULT 0,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (procuratorate_id, name)
) STRICT;

CREATE TABLE party_groups (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  department_id    INTEGER REFERENCES departments(id),     -- 建在业务部门
  name             TEXT NOT NULL,
  name_mn          TEXT,
  leader_name      TEXT,
  sort             INTEGER NOT NULL DEFAULT 0,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (branch_id, name)
) STRICT;

CREATE TABLE members (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  department_id    INTEGER REFERENCES departments(id),
  party_group_id   INTEGER REFERENCES party_groups(id),
  name             TEXT NOT NULL,
  name_mn          TEXT,
  name_key         TEXT NOT NULL DEFAULT '',                -- folded name + pinyin, for search
  gender           TEXT CHECK (gender IN ('男', '女')),
  birth_date       TEXT,
  ethnicity        TEXT,
  joined_party     TEXT,
  position         TEXT,
  quota_prosecutor INTEGER NOT NULL DEFAULT 0 CHECK (quota_prosecutor IN (0, 1)),
  languages        TEXT NOT NULL DEFAULT 'zh' CHECK (languages IN ('zh', 'mn', 'zh+mn')),
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX members_branch ON members(branch_id);
CREATE INDEX members_proc ON members(procuratorate_id, name COLLATE zh);
-- The member list's default order (pinyin, see store_sqlite.c's zh collation): a page of
-- 20 reads 20 rows instead of sorting them all.
CREATE INDEX members_name ON members(name COLLATE zh);

CREATE TABLE brands (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  parent_id        INTEGER REFERENCES brands(id),           -- 1 个总品牌, 2 个党小组品牌
  party_group_id   INTEGER REFERENCES party_groups(id),
  name             TEXT NOT NULL,
  name_mn          TEXT,
  slogan           TEXT,
  meaning          TEXT,
  spirit           TEXT,
  sort             INTEGER NOT NULL DEFAULT 0,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (branch_id, name)
) STRICT;

CREATE TABLE methods (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  brand_id         INTEGER NOT NULL REFERENCES brands(id),
  name             TEXT NOT NULL,
  summary          TEXT,
  sort             INTEGER NOT NULL DEFAULT 0,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (brand_id, name)
) STRICT;

-- One record per countable element of a method (一个中心, 两个抓手 ...), so later
-- ledgers can check each element off with evidence.
CREATE TABLE method_elements (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  method_id        INTEGER NOT NULL REFERENCES methods(id),
  label            TEXT NOT NULL,                           -- e.g. 两个抓手
  count            INTEGER,                                 -- e.g. 2; NULL when not countable
  description      TEXT,
  sort             INTEGER NOT NULL DEFAULT 0,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (method_id, label)
) STRICT;

CREATE TABLE honours (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  member_id        INTEGER REFERENCES members(id),          -- NULL: the branch's honour
  title            TEXT NOT NULL,
  level            TEXT NOT NULL CHECK (level IN ('national', 'regional', 'city', 'county')),
  year             INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2100),
  awarded_by       TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  username         TEXT NOT NULL UNIQUE,
  display_name     TEXT NOT NULL,
  password_hash    TEXT NOT NULL,
  role             TEXT NOT NULL CHECK (role IN ('admin', 'viewer', 'secretary')),
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER REFERENCES branches(id),
  disabled         INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,                         -- sha256 of the cookie token
  user_id     INTEGER NOT NULL REFERENCES users(id),
  csrf_token  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  address     TEXT
) STRICT;

-- The audit chain: hash = sha256(prev_hash | id | ts | user | action | entity |
-- entity_id | before | after). audit verify recomputes it from the first entry.
CREATE TABLE audit (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  ts               TEXT NOT NULL,
  user_id          INTEGER,
  username         TEXT NOT NULL,
  action           TEXT NOT NULL,                           -- create, update, delete, login ...
  entity           TEXT NOT NULL,
  entity_id        INTEGER,
  procuratorate_id INTEGER,
  before           TEXT,
  after            TEXT,
  prev_hash        TEXT NOT NULL,
  hash             TEXT NOT NULL
) STRICT;
CREATE INDEX audit_entity ON audit(entity, entity_id);

-- Background jobs: long work runs outside request handlers; progress (done of total)
-- is visible to the web page and the terminal alike. A job belongs to the procuratorate
-- of whoever started it, for the same data scope as everything else.
CREATE TABLE jobs (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  kind             TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  done             INTEGER NOT NULL DEFAULT 0,
  total            INTEGER NOT NULL DEFAULT 0,
  message          TEXT,
  params           TEXT,                                    -- JSON, as submitted
  result           TEXT,                                    -- JSON, when done
  created_by       INTEGER REFERENCES users(id),
  created_by_name  TEXT NOT NULL,
  started_at       TEXT,
  finished_at      TEXT,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX jobs_status ON jobs(status, id);

-- A procuratorate is its own scope; a branch is its own branch scope.
CREATE TRIGGER procuratorates_scope AFTER INSERT ON procuratorates BEGIN
  UPDATE procuratorates SET procuratorate_id = NEW.id WHERE id = NEW.id;
END;
CREATE TRIGGER branches_scope AFTER INSERT ON branches BEGIN
  UPDATE branches SET branch_id = NEW.id WHERE id = NEW.id;
END;
