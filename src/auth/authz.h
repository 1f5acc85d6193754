/*
 * authz: the one place where roles and data scope are decided. Every collection names
 * its read and write policy; the resource engine (src/domain/resource/) asks here before
 * it reads or writes any row, so every new ledger inherits the same checks.
 */
#ifndef RONGHE_AUTHZ_H
#define RONGHE_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/actor.h"
#include "base/err.h"

enum read_policy {
    READ_SIGNED_IN, /* any signed-in user: organisation, brands, methods, honours */
    READ_SCOPED,    /* city users everything, county users their own procuratorate */
    READ_ADMIN      /* administrators and viewers (leadership), scoped as READ_SCOPED */
};

enum write_policy {
    WRITE_CITY_ADMIN, /* only administrators with scope_all */
    WRITE_ADMIN,      /* administrators, inside their scope */
    WRITE_BRANCH,     /* administrators inside their scope, and the branch's secretary */
    WRITE_NONE        /* nobody through the API */
};

/* The scope a row lives in. branch_id 0 when it belongs to no branch. */
struct row_scope {
    int64_t procuratorate_id;
    int64_t branch_id;
};

/* May "a" list or open rows of a collection with policy "p" at all? */
int authz_read_collection(const struct actor *a, enum read_policy p, struct rerr *err);

/* When reads must be narrowed: sets *proc_id to the procuratorate rows must belong to
 * and returns true; returns false when "a" may read every row. */
bool authz_read_narrowed(const struct actor *a, enum read_policy p, int64_t *proc_id);

/* May "a" write (create, change or delete) a row in scope "s"? */
int authz_write_row(const struct actor *a, enum write_policy p, const struct row_scope *s, struct rerr *err);

/* May "a" write anything at all (for the interface's can_write)? */
bool authz_can_write_any(const struct actor *a);

#endif
