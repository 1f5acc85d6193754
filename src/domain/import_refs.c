/*
 * import_refs.c: references given by name in a spreadsheet — a branch by its name, a
 * procuratorate by its full or short name, a case by its number, a member by name with a
 * birth date or identity number where names repeat — resolved among the rows the
 * importer may read, once per distinct name per import (a million attendance rows name
 * a few hundred members). Whether the row may be referenced at all is still the engine's
 * to decide (check_refs, the collection's check hook): this only turns names into ids.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "domain/import_internal.h"

/* ------------------------------------------------------------------ imap */

struct ientry {
    char *key; /* NULL: free slot */
    size_t len;
    uint64_t hash;
    int64_t a, b;
};

struct imap {
    struct ientry *e;
    size_t cap, n; /* cap a power of two, n < cap / 2 */
};

static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

struct imap *imap_new(void)
{
    struct imap *m = calloc(1, sizeof *m);
    if (!m || !(m->e = calloc(64, sizeof *m->e)))
        die("内存不足");
    m->cap = 64;
    return m;
}

void imap_free(struct imap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->e[i].key);
    free(m->e);
    free(m);
}

static struct ientry *slot(const struct imap *m, const char *key, size_t len, uint64_t h)
{
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        struct ientry *e = &m->e[i];
        if (!e->key || (e->hash == h && e->len == len && !memcmp(e->key, key, len)))
            return e;
    }
}

bool imap_get(const struct imap *m, const char *key, size_t len, int64_t *a, int64_t *b)
{
    struct ientry *e = slot(m, key, len, hash_of(key, len));
    if (!e->key)
        return false;
    *a = e->a;
    if (b)
        *b = e->b;
    return true;
}

void imap_put(struct imap *m, const char *key, size_t len, int64_t a, int64_t b)
{
    uint64_t h = hash_of(key, len);
    struct ientry *e = slot(m, key, len, h);
    if (e->key) {
        e->a = a;
        e->b = b;
        return;
    }
    if ((m->n + 1) * 2 > m->cap) {
        struct imap bigger = {calloc(m->cap * 2, sizeof *m->e), m->cap * 2, m->n};
        if (!bigger.e)
            die("内存不足");
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].key)
                *slot(&bigger, m->e[i].key, m->e[i].len, m->e[i].hash) = m->e[i];
        free(m->e);
        *m = bigger;
        e = slot(m, key, len, h);
    }
    if (!(e->key = malloc(len ? len : 1)))
        die("内存不足");
    memcpy(e->key, key, len);
    *e = (struct ientry){e->key, len, h, a, b};
    m->n++;
}

/* ------------------------------------------------------------------ references */

struct import_refs {
    struct res_ctx *x;
    struct imap *names; /* "table\x1fname\x1fbirth\x1fidcard\x1fproc\x1fbranch" → id (or < 0: why not), - */
    struct imap *scope; /* "table\x1fid" → procuratorate, branch */
};

/* What a cached name resolved to, when it did not resolve to a row. */
enum { NAME_UNKNOWN = -1, NAME_AMBIGUOUS = -2 };

struct import_refs *import_refs_new(struct res_ctx *x)
{
    struct import_refs *rf = calloc(1, sizeof *rf);
    if (!rf)
        die("内存不足");
    rf->x = x;
    rf->names = imap_new();
    rf->scope = imap_new();
    return rf;
}

void import_refs_free(struct import_refs *rf)
{
    if (!rf)
        return;
    imap_free(rf->names);
    imap_free(rf->scope);
    free(rf);
}

/* Whether table "t" (its collection "tr") has a branch_id column of its own. */
static bool has_branch(const struct resource *tr)
{
    if (!tr)
        return false;
    for (int i = 0; i < tr->nfields; i++)
        if (!strcmp(tr->fields[i].name, "branch_id"))
            return true;
    return false;
}

int import_ref_scope(struct import_refs *rf, const char *table, int64_t id, int64_t *proc, int64_t *branch,
                     struct rerr *err)
{
    char key[128];
    int n = snprintf(key, sizeof key, "%s\x1f%" PRId64, table, id);
    if (imap_get(rf->scope, key, (size_t)n, proc, branch))
        return 0;
    const struct resource *tr = res_of_table(table);
    bool br = has_branch(tr) || !strcmp(table, "branches");
    const char *sql = arena_printf(rf->x->a, "SELECT coalesce(procuratorate_id, 0), %s FROM %s WHERE id = ?",
                                   !strcmp(table, "branches") ? "id"
                                   : br                       ? "coalesce(branch_id, 0)"
                                                              : "0",
                                   table);
    store_stmt *st;
    int rc = store_prepare_built(rf->x->c, sql, &st, err);
    if (rc < 0)
        return rc;
    store_bind_int(st, 1, id);
    *proc = *branch = 0;
    if ((rc = store_step(st, err)) == STORE_ROW) {
        *proc = store_col_int(st, 0);
        *branch = store_col_int(st, 1);
    }
    store_done(st);
    if (rc < 0)
        return rc;
    imap_put(rf->scope, key, (size_t)n, *proc, *branch);
    return 0;
}

/* Look the name up in the database: up to 20 candidates, then pick by the hint. */
static int lookup(struct import_refs *rf, const struct resource *tr, const char *col, const char *name,
                  const char *birth, const char *idcard, const struct import_hint *hint, int64_t *found,
                  int64_t *proc, int64_t *branch, struct rerr *err)
{
    struct res_ctx *x = rf->x;
    bool br = has_branch(tr) || !strcmp(tr->table, "branches");
    const char *bcol = !strcmp(tr->table, "branches") ? "id" : br ? "coalesce(branch_id, 0)" : "0";
    int64_t narrowed = 0;
    bool narrow = authz_read_narrowed(x->who, tr->read, &narrowed);
    const char *where = !strcmp(tr->table, "procuratorates") ? "(name = ?1 OR short_name = ?1)"
                                                             : arena_printf(x->a, "%s = ?1", col);
    const char *sql =
        arena_printf(x->a,
                     "SELECT id, coalesce(procuratorate_id, 0), %s FROM %s WHERE %s%s%s%s"
                     " ORDER BY id LIMIT 20",
                     bcol, tr->table, where, birth ? " AND birth_date = ?2" : "",
                     idcard ? " AND id_number = ?3" : "", narrow ? " AND procuratorate_id = ?4" : "");
    store_stmt *st;
    int rc = store_prepare_built(x->c, sql, &st, err);
    if (rc < 0)
        return rc;
    store_bind_text(st, 1, name);
    if (birth)
        store_bind_text(st, 2, birth);
    if (idcard)
        store_bind_text(st, 3, idcard);
    if (narrow)
        store_bind_int(st, 4, narrowed);
    int64_t ids[20], procs[20], branches[20];
    int n = 0;
    while ((rc = store_step(st, err)) == STORE_ROW && n < 20) {
        ids[n] = store_col_int(st, 0);
        procs[n] = store_col_int(st, 1);
        branches[n] = store_col_int(st, 2);
        n++;
    }
    store_done(st);
    if (rc < 0)
        return rc;
    /* among namesakes, those of the row's procuratorate, then of its branch */
    int pick = n == 1 ? 0 : -1;
    for (int level = 0; pick < 0 && n > 1 && level < 2; level++) {
        int64_t want = level == 0 ? hint->proc : hint->branch;
        if (!want)
            continue;
        int m = 0, last = -1;
        for (int i = 0; i < n; i++)
            if ((level == 0 ? procs[i] : branches[i]) == want)
                m++, last = i;
        if (m == 1)
            pick = last;
        else if (m > 1 && level == 0) {
            /* keep only the procuratorate's for the branch level */
            int k = 0;
            for (int i = 0; i < n; i++)
                if (procs[i] == want) {
                    ids[k] = ids[i], procs[k] = procs[i], branches[k] = branches[i];
                    k++;
                }
            n = k;
        }
    }
    if (pick >= 0) {
        *found = ids[pick];
        *proc = procs[pick];
        *branch = branches[pick];
    } else
        *found = n == 0 ? NAME_UNKNOWN : NAME_AMBIGUOUS;
    return 0;
}

int import_ref_resolve(struct import_refs *rf, const struct field *f, const char *name, const char *birth,
                       const char *idcard, const struct import_hint *hint, int64_t *id, int64_t *proc,
                       int64_t *branch, char *msg, size_t cap, struct rerr *err)
{
    const struct resource *tr = res_of_table(f->ref);
    const char *col = tr ? import_name_column(tr) : NULL;
    if (!col) {
        snprintf(msg, cap, "%s应填写编号（整数），“%s”不是编号", f->label, name);
        return 1;
    }
    if (idcard && !authz_reveal_personal(rf->x->who)) {
        snprintf(msg, cap, "只有管理员可以按身份证号指定%s，请改填出生日期", f->label);
        return 1;
    }
    char *key = arena_printf(rf->x->a, "%s\x1f%s\x1f%s\x1f%s\x1f%" PRId64 "\x1f%" PRId64, f->ref, name,
                             birth ? birth : "", idcard ? idcard : "", hint->proc, hint->branch);
    size_t klen = strlen(key);
    int64_t found, pb = 0;
    if (imap_get(rf->names, key, klen, &found, &pb)) {
        int rc = found > 0 ? import_ref_scope(rf, f->ref, found, proc, branch, err) : 0;
        if (rc < 0)
            return rc;
    } else {
        int rc = lookup(rf, tr, col, name, birth, idcard, hint, &found, proc, branch, err);
        if (rc < 0)
            return rc;
        imap_put(rf->names, key, klen, found, 0);
    }
    if (found > 0) {
        *id = found;
        return 0;
    }
    const char *what = !strcmp(col, "name") ? "名称" : "编号";
    if (!strcmp(f->ref, "members"))
        what = "姓名";
    if (found == NAME_UNKNOWN)
        snprintf(msg, cap, "找不到%s为“%s”%s的%s（或无权查看）", what, name,
                 birth    ? "、出生日期相符"
                 : idcard ? "、身份证号相符"
                          : "",
                 tr->label);
    else if (!strcmp(f->ref, "members"))
        snprintf(msg, cap, "有多名姓名为“%s”的党员，请填写“%s”或“%s”列以区分，或填写党员编号", name,
                 import_helper_header(f, IC_REF_BIRTH), import_helper_header(f, IC_REF_IDCARD));
    else
        snprintf(msg, cap, "有多个%s为“%s”的%s，请改填编号", what, name, tr->label);
    return 1;
}
