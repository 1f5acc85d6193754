-- 022: the meetings with minutes, by day: what 纪要雷同 (domain/eval_signals.c,
-- copied_minutes) reads for a period. Through activities_held it looked up every meeting of
-- the period to find the few with minutes (180,000 lookups for a province's year in
-- bench/eval, where none has minutes); this partial index holds only those with minutes.
CREATE INDEX activities_minutes ON activities(held_on) WHERE minutes IS NOT NULL AND minutes <> '';
