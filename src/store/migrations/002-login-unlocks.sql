-- Lifting an account's login limits (ronghe user unlock, POST /api/v1/users/N/unlock).
-- The server reads the row at every login of that username: a new generation starts the
-- account's failure counts afresh, and for 15 minutes after unlocked_at (unix seconds)
-- the account may be tried from an address that is over its own limit. See
-- src/auth/throttle.h. The writes are audited (action "unlock").
CREATE TABLE login_unlocks (
  username    TEXT PRIMARY KEY,
  generation  INTEGER NOT NULL CHECK (generation > 0),
  unlocked_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
