-- Placeholder on the "files" branch only, so that 007 follows without a gap while 006
-- (another part of issue 7) is not yet on main. Drop this file when merging.
SELECT 1;
