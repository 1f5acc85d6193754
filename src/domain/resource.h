/*
 * resource: one generic path for reading and writing every collection.
 *
 * A collection is described once, as data (struct resource: its table, its fields with
 * their types and limits, its read and write policy, where its data scope comes from)
 * and a few hooks for the rules that are its own. The engine (src/domain/resource/, one
 * file per concern: see resource/internal.h) then does, the same way for all: strict
 * validation of JSON bodies (types, unknown fields, lengths, dates, references), the
 * data-scope check through authz, optimistic locking on "version", the audit entry in the
 * same transaction, lists with filters, sorting and paging, each record's history, and
 * the actions a collection declares. A new ledger gets all of that by describing itself.
 */
#ifndef RONGHE_RESOURCE_H
#define RONGHE_RESOURCE_H

#include <jansson.h>
#include <stdint.h>

#include "auth/actor.h"
#include "auth/authz.h"
#include "base/arena.h"
#include "base/err.h"
#include "store/store.h"

enum field_kind { FT_INT, FT_TEXT, FT_DATE, FT_BOOL, FT_ENUM, FT_REF, FT_JSON };

enum {
    FF_REQUIRED = 1 << 0,  /* must be given on create */
    FF_WRITE = 1 << 1,     /* may be given in a body */
    FF_FILTER = 1 << 2,    /* ?name=value narrows a list */
    FF_SORT = 1 << 3,      /* ?sort=name or -name */
    FF_SEARCH = 1 << 4,    /* ?q= matches it (substring) */
    FF_NOTNULL = 1 << 5,   /* null is refused; omitted on create means the column default */
    FF_SECRET = 1 << 6,    /* write-only input, not a column (a password) */
    FF_HIDDEN = 1 << 7,    /* a column never shown (a hash, a search key) */
    FF_DERIVED = 1 << 8,   /* a column set by the server (scope, search keys) */
    FF_SAME_PROC = 1 << 9, /* a reference that must be in the row's own procuratorate */
    FF_FUTURE = 1 << 10,   /* FT_DATE: a date that may lie after today (a deadline); without
                              it a date after today is refused */
    /* Personal data (an identity number): answered whole only to readers
     * authz_reveal_personal() allows, to others and in the audit as idcard_mask() shows
     * it. A body may send the masked form back: the hook must treat it as unchanged. */
    FF_MASKED = 1 << 11
};

/* A text's limit when the field gives none (max_len 0), in code points. */
#define RES_DEFAULT_MAX_LEN 200

struct field {
    const char *name;
    const char *label; /* Chinese, for error messages */
    enum field_kind kind;
    unsigned flags;
    int max_len;               /* FT_TEXT, FT_DATE, FT_ENUM: code points; 0 means RES_DEFAULT_MAX_LEN */
    const char *const *values; /* FT_ENUM: NULL-terminated */
    const char *ref;           /* FT_REF: the referenced table */
    int64_t min, max;          /* FT_INT: inclusive bounds when min < max */
};

/*
 * A field that is required only in some cases, stated once in the collection's
 * descriptor (resource.required_if) rather than written in a hook: when another field of
 * the record has a given value ("when", "is": a 基层检察院's 上级检察院, a 支部书记's
 * 党组织), or, with "when" NULL, only when the record is made (a new user's password,
 * which an update leaves unchanged when omitted, empty or null; FF_REQUIRED would refuse
 * null there and star the field when editing). The engine checks it on create and on
 * update against the complete new record as the body leaves it — before the check hook,
 * so against values given or stored, not ones a hook derives — and refuses a missing
 * (absent or null) field with 400 "required" on "field" and "message". _meta serves it
 * on the field ("required_if": {"field", "value"}, or "required": "create"), so that a
 * client marks and checks the field under the same condition. res_check_descriptor()
 * makes sure "field" and "when" are fields of the collection, "is" a value "when" may
 * take, and a field has at most one such rule.
 */
struct res_required {
    const char *field; /* the field that is required */
    const char
        *when;      /* another field of the collection (FT_INT, FT_ENUM, FT_TEXT, FT_BOOL); NULL: on create */
    const char *is; /* the value of "when" that makes it required, as text (an FT_INT in decimal,
                       an FT_BOOL "true" or "false") */
    const char *message; /* what the refusal says, in Chinese */
};

/* The name of a kind as the API and _meta spell it: "int", "text", "date", "bool",
 * "enum", "ref", "json". */
const char *res_kind_name(enum field_kind k);

/* The columns every table has — id, version, sample, created_at, updated_at and the
 * scope columns procuratorate_id and branch_id — are described once, in the engine
 * (resource/field.c); res_base_column(i) is the i-th such description (NULL past the
 * last). A collection declares one of them as a field only to give it rules of its own
 * (RES_SAMPLE_FIELD, a required procuratorate_id); res_column_of() answers what
 * counts for a column of "r": its field, else the base column, else NULL. */
struct resource;
const struct field *res_base_column(int i);
const struct field *res_column_of(const struct resource *r, const char *name);

/* Fields most collections share. */
#define RES_SAMPLE_FIELD                                                                                     \
    {                                                                                                        \
        "sample", "示例标记", FT_BOOL, FF_WRITE | FF_NOTNULL | FF_FILTER, 0, NULL, NULL, 0, 0                \
    }
#define RES_SORT_FIELD                                                                                       \
    {                                                                                                        \
        "sort", "排序号", FT_INT, FF_WRITE | FF_NOTNULL | FF_SORT, 0, NULL, NULL, -100000, 100000            \
    }
#define RES_NAME_MN_FIELD                                                                                    \
    {                                                                                                        \
        "name_mn", "蒙古文名称", FT_TEXT, FF_WRITE | FF_SEARCH, 200, NULL, NULL, 0, 0                        \
    }
/* procuratorate_id and branch_id taken from the parent row (resource.scope_from). */
#define RES_DERIVED_PROC_FIELD                                                                               \
    {                                                                                                        \
        "procuratorate_id", "检察院", FT_REF, FF_DERIVED | FF_FILTER, 0, NULL, "procuratorates", 0, 0        \
    }
#define RES_DERIVED_BRANCH_FIELD                                                                             \
    {                                                                                                        \
        "branch_id", "党组织", FT_REF, FF_DERIVED | FF_FILTER, 0, NULL, "branches", 0, 0                     \
    }

struct res_ctx {
    store_conn *c;
    const struct actor *who;
    arena *a;
    /* What the collection's prepare hook computed before the write transaction (a
     * password's hash), for its check hook to use inside it; NULL when none ran. Owned by
     * the engine (released when the write ends). */
    json_t *prepared;
    /* Single columns of referenced rows (res_lookup_int) remembered across the rows of a
     * bulk write whose transaction changes no table but the one it fills (an import);
     * NULL: none. Owned by whoever made it (res_memo_new). */
    struct res_memo *memo;
};

/* A memo of res_lookup_int's answers for the rows a transaction writes into "table",
 * whose lookups are never remembered; bounded (a fixed number of slots, the older answer
 * in a slot replaced), so it stays small however many rows are written. Valid only while
 * the caller's write transaction changes no looked-up row of another table. */
struct res_memo *res_memo_new(const char *table);
void res_memo_free(struct res_memo *m);

/* A list request's parameters, as given. A request with more than RES_MAX_PARAMS is
 * refused before it gets here. */
#define RES_MAX_PARAMS 32
struct res_query {
    int n;
    const char *key[RES_MAX_PARAMS];
    const char *val[RES_MAX_PARAMS];
};

/* A list query under construction, for custom filters. */
struct query;
void query_where(struct query *q, const char *clause); /* ANDed; refer to the table as t */
void query_bind_int(struct query *q, int64_t v);
void query_bind_text(struct query *q, const char *v);
/* The value the request gives parameter "key" (each is given at most once), or NULL: for
 * a filter whose meaning depends on another (a date range's two ends). */
const char *query_param(const struct query *q, const char *key);

/* A collection whose rows hang off a row of another (methods off a brand). When the
 * parent moves to another procuratorate or branch, its dependents either move with it
 * (each move audited) or, where moving them would break their own rules, the move is
 * refused. */
struct dependent {
    const struct resource *r;
    const char *fk; /* the dependent's column naming the parent */
    bool cascade;   /* true: move along; false: refuse the parent's move */
};

/* What a file action answers: a file the HTTP layer streams, then closes. */
struct res_file {
    int fd;
    int64_t size;
    char name[256];           /* offered as the download's name: [A-Za-z0-9._-] only */
    const char *display_name; /* NULL, or the name as the user knows it (UTF-8, the arena's):
                                 offered as filename* (RFC 5987) besides "name" */
    const char *content_type; /* a string literal */
};

/* An action that is not create, read, update or delete: on the collection itself (POST
 * /<coll> where a record is made some other way than res_create: a job queued), or on
 * one record (METHOD /<coll>/<id>/<name>: a user unlocked, a job's file downloaded, a
 * stage transition). The handler authorises (through authz, like every write) and
 * audits what it does. Exactly one of run and file is set. */
struct res_action {
    const char *name;   /* the path segment after the id; NULL for the collection itself */
    const char *method; /* "POST", "GET" */
    int status;         /* of success: 200, 201, 202 */
    bool body;          /* takes a JSON object body (else "body" is NULL) */
    bool body_optional; /* with "body": an empty one is no body ("body" NULL), not 400 */
    /* A JSON answer in *out (taken over by the caller); "id" is 0 on the collection. */
    int (*run)(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err);
    /* A file to send; the caller owns out->fd. */
    int (*file)(struct res_ctx *x, int64_t id, struct res_file *out, struct rerr *err);
    /* Whether "who" may use it at all, for what _meta tells the web interface (for the
     * action on the collection itself: may.create); NULL: as the write policy says. The
     * handler decides again, for the row in question. */
    bool (*may)(const struct actor *who);
};

/*
 * What a record contributes to the timelines (GET /api/v1/timeline, domain/timeline.h):
 * one entry per kind of event a row yields (a case yields one per stage date). Each
 * part is SQL over the row as "t", written by us in the descriptor, never from input;
 * the member and case conditions take exactly one bound value (the member or case asked
 * for). The branch timelines are kept in a table (timeline_events) by triggers made from
 * these descriptors (timeline_sync()): "date" and "branch" are SQL over the row and the
 * tables its res_event_dep entries name, with no bound value; an event's position in
 * the array is its number there.
 */
struct res_event {
    const char *kind;   /* what the timeline calls it, Chinese: "组织生活", "案件受理" */
    const char *date;   /* the day it happened, YYYY-MM-DD; rows where it is NULL are skipped */
    const char *title;  /* one line saying what happened, Chinese */
    const char *branch; /* a SELECT of the branch ids whose timelines hold the row
                           (EVENT_OWN_BRANCH; a union, a join); NULL: none */
    const char *member; /* with one ?: it concerns that member; NULL: never */
    const char *case_;  /* with one ?: it concerns that case; NULL: never */
};
/* The row is in its own branch's timeline. */
#define EVENT_OWN_BRANCH "SELECT t.branch_id"

/* Another table whose rows decide which branches a collection's events concern (a
 * case's: its team's members, case_members and members.branch_id): a write there
 * refreshes those rows' entries, in the same transaction. */
struct res_event_dep {
    const char *table;  /* "case_members" */
    const char *column; /* its column that leads to our rows: "case_id" */
    const char *via;    /* NULL: "column" holds our row's id; else a SELECT of our row ids
                           with one ? for the column's value */
    const char *of;     /* an update matters only when these columns change ("branch_id");
                           NULL: any update */
};

struct resource {
    const char *name;  /* in the URL: "party-groups" */
    const char *table; /* "party_groups" */
    const char *label; /* "党小组" */
    const struct field *fields;
    int nfields;
    const char *extras;  /* extra SELECT columns (read-only), the table being "t" */
    const char *ignored; /* output-only names a body may carry back; ignored */
    enum read_policy read;
    enum write_policy write;
    enum export_policy export; /* who may take a copy away (authz.h); none unless named */
    /* Where procuratorate_id (and branch_id) come from: the FT_REF field naming the
     * parent row, or NULL when procuratorate_id is itself a field. */
    const char *scope_from;
    const char *default_sort; /* column, may start with '-' */
    /* Lists without ?sort= group by procuratorate first (the city, then the counties in
     * their own order: level, sort), default_sort within each: nine 办公室 are not listed
     * in a row. */
    bool by_procuratorate;
    /* Records are made and deleted, never changed (an attachment: a wrong file is deleted
     * and uploaded again): an update is refused (422 immutable) before anything else, and
     * _meta's may.update is false. */
    bool immutable;
    /* Domain rules, run on create and update after field validation, before the
     * scope check. "row" is the complete new record and may be amended (derived
     * columns); "before" is NULL on create. */
    int (*check)(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err);
    /* Expensive work a write needs (hashing a password: ~30 ms and 19 MiB), run by
     * res_create/res_update before the write transaction and only after the actor is
     * known to be allowed to write that row, so that refused requests cost nothing and
     * the write lock is never held while it runs. "before" is the record as it stands
     * (NULL on create). Sets x->prepared; may be NULL. */
    int (*prepare)(struct res_ctx *x, json_t *body, json_t *before, struct rerr *err);
    /* A query parameter the generic code does not know. Return 1 if handled, 0 if not
     * known (400 for the user), negative on error. */
    int (*filter)(struct res_ctx *x, const char *key, const char *val, struct query *q, struct rerr *err);
    /* Run by res_delete inside its transaction, once the actor may delete "before" and
     * the version matched: refuses a deletion the collection's own rules forbid (a user
     * who has signed in is disabled, not deleted). May be NULL. */
    int (*removable)(struct res_ctx *x, json_t *before, struct rerr *err);
    /* Run by res_create and res_update inside the write transaction, once the row is
     * written and before its own audit entry: records the collection keeps of its rows
     * in another table (a member's terms in a branch). "id" is the row's, "row" the
     * record as the check hook left it (write-only fields included), "before" NULL on
     * create. It audits what it writes itself. May be NULL. */
    int (*after_write)(struct res_ctx *x, int64_t id, json_t *row, json_t *before, struct rerr *err);
    /* Add nested data to a record that is being answered (a method's elements). */
    int (*expand)(struct res_ctx *x, json_t *rec, struct rerr *err);
    /* Fields required only in some cases (struct res_required); terminated by an entry
     * with field == NULL; may be NULL. */
    const struct res_required *required_if;
    const struct dependent *deps;     /* terminated by an entry with r == NULL */
    const struct res_action *actions; /* terminated by an entry with method == NULL */
    /* How another record names one of these (domain/item.h: a meeting's business items,
     * an element's evidence) and the timeline lists it: SQL over the row as "t" for a
     * one-line Chinese title and its day (YYYY-MM-DD); NULL: "t.name" (or the label
     * and id) and no date. */
    const char *title;
    const char *date;
    const struct res_event *events;         /* terminated by an entry with kind == NULL; may be NULL */
    const struct res_event_dep *event_deps; /* terminated by an entry with table == NULL; may be NULL */
    /* The natural key a spreadsheet names an existing record by (domain/import.h: a
     * re-import updates that record in update mode, and is refused without it, never
     * duplicated): its columns, space-separated, which together are unique in the table
     * ("procuratorate_id case_no"); fields of the collection or its scope columns. NULL:
     * imported rows are always new records. */
    const char *import_key;
};

const struct resource *res_find(const char *name);
/* The collection stored in "table", or NULL. */
const struct resource *res_of_table(const char *table);
/* All collections, NULL-terminated: the domain's own, then those registered from the
 * layers above (jobs) in the order they registered. */
extern const struct resource *res_all[];
/* Add "r" to res_all (once; again is a no-op). At startup, before any thread reads
 * res_all. R_EINTERNAL when the registry is full (RES_MAX_COLLECTIONS). */
#define RES_MAX_COLLECTIONS 48
int res_register(const struct resource *r, struct rerr *err);

/* Whether "r" is described consistently (kinds known, scope_from a reference, each
 * dependent's fk a field of it, actions complete): 0, or R_EINTERNAL naming the first
 * fault. Run over res_all by the unit tests, so that no request finds one. */
int res_check_descriptor(const struct resource *r, struct rerr *err);

/* The rule of r->required_if for field "name", or NULL when it has none. */
const struct res_required *res_required_of(const struct resource *r, const char *name);

/* The action of "r" called "name" (NULL: on the collection) for "method", or NULL; then
 * *other_method (may be NULL) tells whether such an action exists for another method. */
const struct res_action *res_action_find(const struct resource *r, const char *name, const char *method,
                                         bool *other_method);

/* Reads. Each takes its own read transaction. */
int res_list(struct res_ctx *x, const struct resource *r, const struct res_query *qp, json_t **out,
             struct rerr *err);
/* The same list as JSON text (malloc'd, *len bytes): what the API sends. Written straight
 * from the rows where the collection allows, which is several times cheaper. */
int res_list_text(struct res_ctx *x, const struct resource *r, const struct res_query *qp, char **out,
                  size_t *len, struct rerr *err);
/* Every row of the list "qp" asks for (its filters, search and order, as res_list; page
 * and per_page are checked and ignored), in one read transaction, without paging: for
 * exports of any length in constant memory. Each row is passed to "each" as its record
 * (masked and expanded as res_list's records are) with its index "i" (0-based) and
 * the count of all rows, "total", then released. "each" returns 0 to go on or a
 * negative error to stop, which res_each returns. The read is authorised as res_list's
 * (authz_read_collection, rows narrowed to the actor's scope); nothing more. */
typedef int res_each_fn(void *arg, int64_t i, int64_t total, json_t *rec, struct rerr *err);
int res_each(struct res_ctx *x, const struct resource *r, const struct res_query *qp, res_each_fn *each,
             void *arg, struct rerr *err);
/* Whether "qp" is a list request "x"'s actor may make of "r" (the checks of res_list,
 * without reading a row): 0 or the error res_list would answer. */
int res_list_check(struct res_ctx *x, const struct resource *r, const struct res_query *qp, struct rerr *err);
int res_get(struct res_ctx *x, const struct resource *r, int64_t id, json_t **out, struct rerr *err);
int res_history(struct res_ctx *x, const struct resource *r, int64_t id, json_t **out, struct rerr *err);

/* Writes: each in its own transaction, audited. */
int res_create(struct res_ctx *x, const struct resource *r, json_t *body, json_t **out, struct rerr *err);
int res_update(struct res_ctx *x, const struct resource *r, int64_t id, json_t *body, json_t **out,
               struct rerr *err);
/* "version" must be the record's current one; negative means the caller had none, which
 * is refused (400) once the caller is known to be allowed to delete at all. */
int res_delete(struct res_ctx *x, const struct resource *r, int64_t id, int64_t version, struct rerr *err);

/* The same, inside a transaction the caller holds (bulk work such as the demo, a batch
 * of records written all or none). res_update_in takes the version from "body" like
 * res_update; neither masks what it answers. */
int res_create_in(struct res_ctx *x, const struct resource *r, json_t *body, json_t **out, struct rerr *err);
/* res_create_in answering the new record's id; the record itself only when "out" is not
 * NULL (without it, no read after the insert: for bulk work such as an import). */
int res_create_id(struct res_ctx *x, const struct resource *r, json_t *body, int64_t *id, json_t **out,
                  struct rerr *err);
int res_update_in(struct res_ctx *x, const struct resource *r, int64_t id, json_t *body, json_t **out,
                  struct rerr *err);
/* res_delete inside the caller's transaction (a removable hook deleting what belongs to
 * the record: a meeting's attendance), each deletion authorised and audited. */
int res_delete_in(struct res_ctx *x, const struct resource *r, int64_t id, int64_t version, struct rerr *err);

/* Helpers for hooks. */
int64_t res_int(json_t *row, const char *key);     /* 0 when absent or null */
const char *res_str(json_t *row, const char *key); /* NULL when absent or null */
/* Read one column of another table's row: "SELECT col FROM table WHERE id = ?" into
 * *out (0 when NULL). R_EUNPROC with code invalid_reference if there is no such row, or
 * if the row lies outside what the actor may read (a row one may not see is answered
 * exactly as one that does not exist). */
int res_lookup_int(struct res_ctx *x, const char *table, const char *col, int64_t id, const char *field,
                   int64_t *out, struct rerr *err);

#endif
