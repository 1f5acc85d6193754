/*
 * audit: the hash-chained record of every write. audit_append() must be called inside
 * the same transaction as the write it records (the caller holds the write lock), so a
 * write and its entry commit or vanish together.
 *
 * hash(n) = sha256(hash(n-1) "|" id "|" ts "|" user_id "|" username "|" action "|"
 *                  entity "|" entity_id "|" procuratorate_id "|" before "|" after)
 * The first entry's prev_hash is 64 zeros. meta.audit_head holds "count:last-hash" so a
 * removed tail is detected too.
 */
#ifndef RONGHE_AUDIT_H
#define RONGHE_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "auth/actor.h"
#include "base/err.h"
#include "store/store.h"

/* Append one entry. "before"/"after" may be NULL (create has no before, delete no
 * after); they are stored as compact JSON with sorted keys. */
int audit_append(store_conn *c, const struct actor *who, const char *action, const char *entity,
                 int64_t entity_id, int64_t procuratorate_id, json_t *before, json_t *after,
                 struct rerr *err);

struct audit_report {
    int64_t entries;   /* entries checked */
    int64_t first_bad; /* id of the first broken entry, 0 when intact */
    char reason[160];  /* why it is broken, Chinese */
};

/* Walk the chain from the first entry. Returns 0 when intact, R_ECONFLICT when broken
 * (report filled), or another negative error. */
int audit_verify(store_conn *c, struct audit_report *rep, struct rerr *err);

#endif
