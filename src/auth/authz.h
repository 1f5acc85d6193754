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
    READ_ADMIN,     /* administrators and viewers (leadership), scoped as READ_SCOPED */
    READ_OWN        /* administrators and viewers as READ_ADMIN; anyone else signed in only the
                       rows they made themselves (column created_by: their exports, imports) */
};

enum write_policy {
    WRITE_CITY_ADMIN, /* only administrators with scope_all */
    WRITE_ADMIN,      /* administrators, inside their scope */
    WRITE_BRANCH,     /* administrators inside their scope, and the branch's secretary */
    WRITE_NONE        /* nobody through the API */
};

/* Who may export a collection's rows (a download of the whole list, issue 8). Reading a
 * list on screen and taking a copy of it away are two permissions: leadership reads
 * every member and still takes no file of members' personal data. An export covers the
 * rows the exporter may read (authz_read_narrowed), never more. EXPORT_NONE is zero, so
 * a collection that names no export policy has none. */
enum export_policy {
    EXPORT_NONE,   /* nobody: nothing in it is for taking away (jobs) */
    EXPORT_ADMIN,  /* administrators only: personal data and records of people (members, users, audit) */
    EXPORT_READERS /* whoever may read it: the organisation, brands, methods, honours */
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

/* Whether "a" reads only the rows it made itself (created_by = its user id), besides any
 * narrowing to a procuratorate: READ_OWN for those who are not administrators or viewers. */
bool authz_read_own_rows(const struct actor *a, enum read_policy p);

/* May "a" write (create, change or delete) a row in scope "s"? */
int authz_write_row(const struct actor *a, enum write_policy p, const struct row_scope *s, struct rerr *err);

/* May "a" see personal data (a member's identity number) whole, and look members up by
 * it? Administrators and the system: an administrator reads only the rows of their own
 * scope, so what they see whole is exactly their scope's. Secretaries and the
 * leadership's viewers see it masked (resource.h FF_MASKED) and may not search by it
 * (with the birth date they can read, an exact search would confirm a guessed number
 * in a few tries). */
bool authz_reveal_personal(const struct actor *a);

/* May "a" export rows of a collection read with "rp" and exported with "ep"? 0, or
 * R_EAUTH / R_EFORBID with a message for the user. */
int authz_export_collection(const struct actor *a, enum read_policy rp, enum export_policy ep,
                            struct rerr *err);

/* What "a" may do with a collection as a whole: whether there is any row it may read,
 * create, change, delete or export. For the interface, to show only what will work
 * (GET /api/v1/_meta); each row is still decided by authz_write_row. Today create,
 * update and delete follow the same write policy; they are separate so that they can
 * part. */
struct authz_may {
    bool read, create, update, del, export;
};
void authz_collection(const struct actor *a, enum read_policy rp, enum write_policy wp, enum export_policy ep,
                      struct authz_may *out);

/* May "a" write anything at all (for the interface's can_write)? */
bool authz_can_write_any(const struct actor *a);

#endif
