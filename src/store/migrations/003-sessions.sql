-- Sessions: when each was last used and from which browser (for the idle timeout and
-- the user's own list of sessions), and the rule that ends them when what they were
-- opened on changes.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT; -- written coarsely: see src/auth/session.c
ALTER TABLE sessions ADD COLUMN user_agent TEXT;   -- printable ASCII, at most 200 bytes
UPDATE sessions SET last_seen_at = created_at;
CREATE INDEX sessions_user ON sessions(user_id);

-- A change of a user's password, disabled flag, role, procuratorate or branch ends every
-- session of that user, in the transaction of the change, whoever makes it (the API,
-- `ronghe user passwd` or `user disable` in another process): a session is only as good
-- as what it was opened on. Re-enabling an account therefore brings no session back.
CREATE TRIGGER users_end_sessions AFTER UPDATE OF password_hash, disabled, role, procuratorate_id, branch_id
ON users
WHEN OLD.password_hash IS NOT NEW.password_hash OR OLD.disabled IS NOT NEW.disabled OR OLD.role IS NOT NEW.role
  OR OLD.procuratorate_id IS NOT NEW.procuratorate_id OR OLD.branch_id IS NOT NEW.branch_id
BEGIN
  DELETE FROM sessions WHERE user_id = NEW.id;
END;
