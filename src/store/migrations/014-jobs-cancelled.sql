-- Jobs can be cancelled (an import or an export stopped by its owner): a fourth way for a
-- job to end, 'cancelled'. SQLite cannot change a CHECK in place, so the table is rebuilt
-- as the README says; every row is kept as it was.
CREATE TABLE jobs_new (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  kind             TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
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
INSERT INTO jobs_new SELECT id, procuratorate_id, kind, status, done, total, message, params, result,
  created_by, created_by_name, started_at, finished_at, version, created_at, updated_at FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_status ON jobs(status, id);
-- A user's own jobs (exports and imports are their submitter's alone), newest first.
CREATE INDEX jobs_created_by ON jobs(created_by, id);
