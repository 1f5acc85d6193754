-- Placeholder on the audit branch only, so that 004 has no gap: drop this file when
-- merging (the real 003 comes from another branch).
SELECT 1;
