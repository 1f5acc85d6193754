/*
 * timeline: everything that happened to a branch, a member or a case, in order, from
 * both ledgers — the union of every collection's events (resource.events): meetings
 * held and attended, cases received and judged, 12309 replies, patrols, outreach,
 * honours. Each entry links to its record (collection and id).
 *
 * Authorised like the records it lists: the target must be one the reader may read
 * (else 404, as if absent), and each collection's events are narrowed by that
 * collection's own read policy (a county reader sees a member's events in their own
 * procuratorate only; a collection closed to the role contributes nothing).
 */
#ifndef RONGHE_TIMELINE_H
#define RONGHE_TIMELINE_H

#include <jansson.h>

#include "domain/resource.h"

/* Query parameters (each at most once): exactly one of branch_id, member_id, case_id;
 * from, to (YYYY-MM-DD, inclusive; from not after to); kind (one of the kinds the
 * collections declare); order (asc, the default, or desc); page (from 1) and per_page
 * (1..1000, default 200). Answers {"items": [{"date", "kind", "title", "coll", "label",
 * "id"}], "total", "page", "per_page", "kinds": [{"kind", "count"}]} where "kinds"
 * counts every kind in the period, whatever "kind" chose. 400 bad_query for anything
 * else, 404 when the target does not exist or may not be read. *out is the caller's. */
int timeline_get(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err);

/* Make timeline_events (migration 015) and the triggers named timeline_* that keep it
 * from the collections' events, unless the database's already are what the descriptors
 * make: then nothing changes. In a write transaction of its own; call it after every
 * res_register(), whenever a database is opened for writing (the command line's
 * open_db(), the unit tests' fixture), before any of its records is written: from then
 * on every write, whatever its path (the engine, a hook's own SQL, the sqlite3 shell),
 * keeps the rows right in its own transaction. A database made or upgraded by another
 * build is filled anew the first time. */
int timeline_sync(store_conn *c, struct rerr *err);

/* The kinds of event the collections declare, in their order, without repeats
 * (NULL-terminated, static): for the interface's filter and the unit tests. */
const char *const *timeline_kinds(void);

#endif
