-- Attachments: files on ledger records (a meeting's minutes scans and photos, a patrol's
-- photos, a project's documents), generic over the collections that may own them. The
-- bytes are not in the database: they live beside it, content-addressed by SHA-256
-- (FILE.files/ab/cdef…, src/store/files.c); a row names its file by "sha256", and the
-- same content uploaded twice is stored once. The owner is named the way every generic
-- reference is (owner_coll = the API collection name, owner_id), checked by the
-- collection's hook; procuratorate_id and branch_id are copied from the owner: the scope
-- follows the owner record.
CREATE TABLE attachments (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER REFERENCES branches(id),
  owner_coll       TEXT NOT NULL CHECK (owner_coll IN ('activities', 'patrols', 'projects', 'outreach',
                                                       'cases', 'pil-matters', 'requests', 'honours')),
  owner_id         INTEGER NOT NULL CHECK (owner_id > 0),
  name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  content_type     TEXT NOT NULL CHECK (content_type IN (
                     'application/pdf', 'image/jpeg', 'image/png', 'image/webp',
                     'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                     'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                     'application/msword', 'application/vnd.ms-excel', 'text/plain')),
  size             INTEGER NOT NULL CHECK (size >= 0),
  sha256           TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  uploaded_by      INTEGER REFERENCES users(id),
  uploaded_by_name TEXT NOT NULL,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
-- A record's attachments (the detail pages' list).
CREATE INDEX attachments_owner ON attachments(owner_coll, owner_id);
-- Whether a file is still used by another row (delete, the sweep).
CREATE INDEX attachments_sha256 ON attachments(sha256);
-- A branch's attachments by date (timelines, lists by branch).
CREATE INDEX attachments_branch_created ON attachments(branch_id, created_at);
