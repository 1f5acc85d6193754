-- 015: the branch timelines, kept as rows (bench/ledgers: a branch's two years at 100
-- times the demo's ledgers, ≤ 20 ms). One row per event of a record in a branch's
-- timeline: the branch, its day, the record (its collection's name in the URL and id)
-- and the event's number among that collection's declared events (resource.h
-- res_event), its kind, and the record's procuratorate (for a narrowed reader). Derived,
-- never written by hand: the triggers named timeline_* keep it, and both they and the
-- rows are made from the collections' descriptors by timeline_sync() (domain/timeline.h)
-- whenever a database is opened for writing and they differ from what the binary
-- declares, so an upgraded database is filled on its first open. Titles are not kept:
-- they are read from the records for the page asked for.
CREATE TABLE timeline_events (
  branch_id         INTEGER NOT NULL,
  day               TEXT NOT NULL,
  coll              TEXT NOT NULL,
  row_id            INTEGER NOT NULL,
  ev                INTEGER NOT NULL,
  kind              TEXT NOT NULL,
  procuratorate_id  INTEGER NOT NULL,
  PRIMARY KEY (branch_id, day, coll, row_id, ev)
) STRICT, WITHOUT ROWID;
-- counted by kind, and a page of one kind
CREATE INDEX timeline_events_kind ON timeline_events(branch_id, kind, day, procuratorate_id);
-- a record's rows, to refresh them
CREATE INDEX timeline_events_row ON timeline_events(coll, row_id);
-- How many of them there are per branch, kind and day (and collection and procuratorate,
-- for the reader's scope): the counts by kind a timeline answers read these, whose number
-- is bounded by days × kinds, not by how many records a day holds. Kept from
-- timeline_events by triggers (timeline_counts_*) that timeline_sync() makes with the
-- others, never written otherwise.
CREATE TABLE timeline_counts (
  branch_id         INTEGER NOT NULL,
  kind              TEXT NOT NULL,
  day               TEXT NOT NULL,
  coll              TEXT NOT NULL,
  procuratorate_id  INTEGER NOT NULL,
  n                 INTEGER NOT NULL CHECK (n > 0),
  PRIMARY KEY (branch_id, kind, day, coll, procuratorate_id)
) STRICT, WITHOUT ROWID;
