-- The audit chain, keyed (docs/audit.md). Entries written from now on are format 2:
-- an HMAC-SHA256 over a length-prefixed encoding, chained over the previous MAC, with a
-- key kept in a file beside the database (FILE.audit-key), never in it. Entries written
-- before (format 1: sha256 over '|'-joined fields) keep their format and are still
-- verified by their own formula; verify refuses a format-1 entry after a format-2 one.
ALTER TABLE audit ADD COLUMN fmt INTEGER NOT NULL DEFAULT 1;

-- Audit entries are kept (等保 2.0: at least six months; nothing here deletes them).
-- These triggers stop accidents and any SQL that goes through the application. They do
-- not stop someone who holds the file: such a person can drop them. What catches that is
-- the MAC chain and the anchors kept outside the database.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, '审计记录不可修改');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, '审计记录不可删除');
END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON meta WHEN old.key = 'audit_head'
BEGIN
  SELECT RAISE(ABORT, '审计链头不可删除');
END;
