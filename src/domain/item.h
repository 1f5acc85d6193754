/*
 * item: a record of another collection named generically, by its collection's URL name
 * and its id — the business items a meeting served, the records that prove a method
 * element was done, a joint-building project's activities. Such a link lives in a link
 * table of its own with two columns, item_coll TEXT and item_id INTEGER (no foreign key:
 * the target may be of several tables), and is checked here by the link collection's
 * check hook, so that no one links to what they may not read, or to what is not there.
 */
#ifndef RONGHE_ITEM_H
#define RONGHE_ITEM_H

#include <stdint.h>

#include "domain/resource.h"

/* What a link names, as the interface shows it. Strings are in x->a. */
struct item_ref {
    int64_t procuratorate_id;
    int64_t branch_id; /* 0 when the target belongs to no branch */
    const char *label; /* the collection's: "案件" */
    const char *title; /* the record's (resource.title), never NULL */
    const char *date;  /* the record's day (resource.date), or NULL */
};

/* 0 when "coll" is one of "allowed" (URL names, NULL-terminated) and a collection the
 * server has, record "id" of it exists and x->who may read it; fills *out (may be NULL).
 * Otherwise, without telling a record one may not see from one that does not exist:
 * 400 "required" (coll NULL or id < 1), 400 "invalid_value" (a collection that may not
 * be linked), 422 "invalid_reference" (no such record, or not the actor's to read), each
 * on "field". Runs inside the caller's transaction. */
int item_check(struct res_ctx *x, const char *coll, int64_t id, const char *const *allowed, const char *field,
               struct item_ref *out, struct rerr *err);

/* The same for a record known to exist (a link already stored), without the allow-list
 * and read check: for answering links. R_ENOTFOUND when it has gone. */
int item_describe(struct res_ctx *x, const char *coll, int64_t id, struct item_ref *out, struct rerr *err);

#endif
