/*
 * import.c: one import run — the header row found and checked, each data row turned into
 * the API's body and written through res_create_in() / res_update_in() under a savepoint
 * of its own inside the one transaction (so that a row refused half-way leaves nothing
 * the rows after it could see), every refusal collected, then all committed or all rolled
 * back. Each row gets an arena of its own: a million rows run in flat memory.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "base/log.h"
#include "base/text.h"
#include "domain/import_internal.h"

/* Rows between two progress reports (and cancellation checks). */
#define REPORT_EVERY 2000
/* A cell's text kept in a rejection, in bytes. */
#define VALUE_CAP 200

struct run {
    struct res_ctx *x;
    const struct resource *r;
    const struct import_options *o;
    struct import_result *res;
    struct import_column cols[IMPORT_MAX_COLUMNS];
    int ncols;
    int at[IMPORT_MAX_COLUMNS]; /* the file's column of each of cols, or -1 */
    struct import_refs *refs;
    const char *key[8];
    int nkey;
    const char *key_sql; /* the existing record of a key: "SELECT id, version, written here …" */
    int64_t first_new;   /* the largest id of the table when the run began */
};

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        die("内存不足");
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static char *dup(const char *s)
{
    return dup_n(s ? s : "", strlen(s ? s : ""));
}

void import_result_free(struct import_result *res)
{
    for (int i = 0; i < res->nerrors; i++) {
        free(res->errors[i].column);
        free(res->errors[i].value);
        free(res->errors[i].message);
    }
    free(res->errors);
    for (int i = 0; i < res->nbad; i++) {
        for (int j = 0; j < res->bad[i].ncells; j++)
            free(res->bad[i].cells[j]);
        free(res->bad[i].cells);
    }
    free(res->bad);
    for (int i = 0; i < res->ncols_file; i++)
        free(res->headers[i]);
    free(res->headers);
    for (int i = 0; i < res->nignored; i++)
        free(res->ignored[i]);
    free(res->ignored);
    *res = (struct import_result){0};
}

/* Keep one rejection of "line" (counted by the caller per row). */
static void reject(struct run *u, int64_t line, int col, const char *value, size_t vlen, const char *code,
                   const char *message)
{
    struct import_result *res = u->res;
    if (res->nerrors >= IMPORT_MAX_ERRORS)
        return;
    if (res->nerrors % 256 == 0) {
        struct import_error *e = realloc(res->errors, (size_t)(res->nerrors + 256) * sizeof *e);
        if (!e)
            die("内存不足");
        res->errors = e;
    }
    if (vlen > VALUE_CAP) {
        vlen = VALUE_CAP;
        while (vlen > 0 && ((unsigned char)value[vlen] & 0xC0) == 0x80)
            vlen--; /* not inside a character */
    }
    struct import_error *e = &res->errors[res->nerrors++];
    *e = (struct import_error){.line = line, .col = col};
    e->column = dup(col >= 0 && col < res->ncols_file ? res->headers[col] : "");
    e->value = dup_n(value ? value : "", value ? vlen : 0);
    snprintf(e->code, sizeof e->code, "%s", code);
    e->message = dup(message);
    /* messages built from cells may have cut a character: JSON and XLSX want whole ones */
    text_utf8_repair(e->message);
    text_utf8_repair(e->column);
}

/* Keep a copy of rejected row "row" for the report. */
static void keep_bad_row(struct import_result *res, const struct sheet_row *row)
{
    if (res->nbad >= IMPORT_REPORT_ROWS)
        return;
    if (res->nbad % 256 == 0) {
        struct import_bad_row *b = realloc(res->bad, (size_t)(res->nbad + 256) * sizeof *b);
        if (!b)
            die("内存不足");
        res->bad = b;
    }
    struct import_bad_row *b = &res->bad[res->nbad++];
    b->line = row->line;
    /* only the columns the header has are reported (a cell at XFD alone would cost 16,384) */
    b->ncells = row->ncells < res->ncols_file ? row->ncells : res->ncols_file;
    if (!(b->cells = calloc((size_t)b->ncells + 1, sizeof *b->cells)))
        die("内存不足");
    for (int i = 0; i < b->ncells; i++)
        b->cells[i] =
            dup_n(row->cells[i].text ? row->cells[i].text : "", row->cells[i].text ? row->cells[i].len : 0);
}

/* ------------------------------------------------------------------ the header */

static bool cell_blank(const struct sheet_cell *c)
{
    const char *s;
    size_t n;
    if (c->type == SC_EMPTY || !c->text)
        return true;
    text_trim(c->text, c->len, &s, &n);
    return n == 0;
}

/* How many cells of "row" name a column. */
static int header_matches(struct run *u, const struct sheet_row *row)
{
    int m = 0;
    for (int i = 0; i < row->ncells; i++)
        if (!cell_blank(&row->cells[i]) &&
            import_match_header(u->cols, u->ncols, row->cells[i].text, row->cells[i].len) >= 0)
            m++;
    return m;
}

static int take_header(struct run *u, const struct sheet_row *row, struct rerr *err)
{
    struct import_result *res = u->res;
    res->header_found = true;
    res->header_line = row->line;
    res->ncols_file = row->ncells;
    res->headers = calloc((size_t)row->ncells + 1, sizeof *res->headers);
    res->ignored = calloc((size_t)row->ncells + 1, sizeof *res->ignored);
    if (!res->headers || !res->ignored)
        die("内存不足");
    for (int i = 0; i < u->ncols; i++)
        u->at[i] = -1;
    for (int i = 0; i < row->ncells; i++) {
        const struct sheet_cell *c = &row->cells[i];
        const char *h;
        size_t n;
        text_trim(c->text ? c->text : "", c->text ? c->len : 0, &h, &n);
        res->headers[i] = dup_n(h, n);
        if (!n)
            continue;
        int k = import_match_header(u->cols, u->ncols, c->text, c->len);
        if (k < 0) {
            res->ignored[res->nignored++] = dup_n(h, n);
            continue;
        }
        if (u->at[k] >= 0)
            return rerr_set(err, R_EINVAL, "duplicate_header", "",
                            "第 %" PRId64 " 行的表头中“%s”出现了两次（第 %d 列和第 %d 列），请删去一列",
                            row->line, u->cols[k].header, u->at[k] + 1, i + 1);
        u->at[k] = i;
    }
    char missing[200] = "";
    int nmissing = 0;
    for (int i = 0; i < u->ncols; i++)
        if (u->cols[i].required && u->at[i] < 0) {
            size_t used = strlen(missing);
            snprintf(missing + used, sizeof missing - used, "%s“%s”", nmissing ? "、" : "",
                     u->cols[i].header);
            nmissing++;
        }
    if (nmissing)
        return rerr_set(err, R_EINVAL, "missing_columns", "", "表头缺少必填列：%s（请使用导入模板的列名）",
                        missing);
    return 0;
}

/* ------------------------------------------------------------------ one row */

static const struct sheet_cell empty_cell = {SC_EMPTY, "", 0, 0};

static const struct sheet_cell *cell_at(const struct run *u, const struct sheet_row *row, int k)
{
    int fc = u->at[k];
    return fc >= 0 && fc < row->ncells ? &row->cells[fc] : &empty_cell;
}

/* The helper column of role "role" for reference field "f", or -1. */
static int helper_of(const struct run *u, const struct field *f, enum import_col_role role)
{
    for (int k = 0; k < u->ncols; k++)
        if (u->cols[k].f == f && u->cols[k].role == role)
            return u->at[k] >= 0 ? k : -1;
    return -1;
}

/* The column (index in cols) of field "name", or -1. */
static int column_of_field(const struct run *u, const char *name)
{
    for (int k = 0; k < u->ncols; k++)
        if (u->cols[k].role == IC_FIELD && !strcmp(u->cols[k].f->name, name))
            return u->at[k] >= 0 ? k : -1;
    return -1;
}

/* The text of a helper cell (a birth date as YYYY-MM-DD), NUL-terminated in "buf", or
 * NULL when blank. */
static const char *helper_text(const struct sheet_cell *c, bool date, char *buf, size_t cap)
{
    const char *s;
    size_t n;
    if (cell_blank(c))
        return NULL;
    text_trim(c->text, c->len, &s, &n);
    if (date) {
        char d[11];
        if (c->type == SC_DATE && c->len >= 10)
            snprintf(buf, cap, "%.10s", c->text);
        else if (sheet_date_parse(s, n, d) == 0)
            snprintf(buf, cap, "%s", d);
        else
            snprintf(buf, cap, "%.*s", (int)n, s); /* matches nothing: reported unknown */
    } else
        snprintf(buf, cap, "%.*s", (int)n, s);
    return buf;
}

/* The body of "row": 0 with *body, 1 when a cell was refused (each reported), or an
 * error. */
static int row_body(struct run *u, const struct sheet_row *row, json_t **body, struct import_hint *hint,
                    struct rerr *err)
{
    json_t *b = json_object();
    int bad = 0;
    for (int k = 0; k < u->ncols; k++) {
        if (u->at[k] < 0 || u->cols[k].role != IC_FIELD)
            continue;
        const struct field *f = u->cols[k].f;
        const struct sheet_cell *c = cell_at(u, row, k);
        json_t *v = NULL;
        char msg[256];
        int rc = import_cell_value(f, c, &v, msg, sizeof msg);
        if (rc < 0) {
            reject(u, row->line, u->at[k], c->text, c->len, "invalid_value", msg);
            bad = 1;
            continue;
        }
        if (!v)
            continue;
        int64_t id = 0, proc = 0, branch = 0;
        if (rc == 1) {
            char bbuf[64], ibuf[64];
            int hb = helper_of(u, f, IC_REF_BIRTH), hi = helper_of(u, f, IC_REF_IDCARD);
            const char *birth = hb >= 0 ? helper_text(cell_at(u, row, hb), true, bbuf, sizeof bbuf) : NULL;
            const char *idc = hi >= 0 ? helper_text(cell_at(u, row, hi), false, ibuf, sizeof ibuf) : NULL;
            rc = import_ref_resolve(u->refs, f, json_string_value(v), birth, idc, hint, &id, &proc, &branch,
                                    msg, sizeof msg, err);
            json_decref(v);
            v = NULL;
            if (rc < 0) {
                json_decref(b);
                return rc;
            }
            if (rc == 1) {
                reject(u, row->line, u->at[k], c->text, c->len, "invalid_reference", msg);
                bad = 1;
                continue;
            }
            v = json_integer(id);
        } else if (f->kind == FT_REF && json_is_integer(v) && json_integer_value(v) > 0) {
            id = json_integer_value(v);
            if ((rc = import_ref_scope(u->refs, f->ref, id, &proc, &branch, err)) < 0) {
                json_decref(v);
                json_decref(b);
                return rc;
            }
        }
        if (f->kind == FT_REF && id > 0) {
            /* where the row lives, for the names after this one */
            if (!strcmp(f->ref, "procuratorates"))
                proc = id;
            if (!strcmp(f->ref, "branches"))
                branch = id;
            if (!hint->proc || !strcmp(f->name, "procuratorate_id"))
                hint->proc = proc;
            if (!hint->branch || !strcmp(f->name, "branch_id"))
                hint->branch = branch;
        }
        json_object_set_new(b, f->name, v);
    }
    if (bad) {
        json_decref(b);
        return 1;
    }
    *body = b;
    return 0;
}

/* The existing record the key of "body" names (*id 0 when none, or when a part of the key
 * is not given), its version, and whether this run wrote it (*mine: a row earlier in the
 * same file): the ids it wrote are kept in a temporary table of its connection
 * (temp.import_written, emptied when a run begins, on disk beside the database's other
 * temporary data), so memory stays flat however many rows a file has. */
static int find_existing(struct run *u, json_t *body, int64_t *id, int64_t *version, bool *mine,
                         struct rerr *err)
{
    *id = 0;
    *mine = false;
    if (!u->nkey)
        return 0;
    /* A key that holds personal data (a member's 身份证号) is no lookup for those who may not
     * search by it (authz_reveal_personal): "已存在…（编号 N）" would say whose it is. The
     * engine's own refusal of a duplicate stands for them. */
    for (int i = 0; i < u->nkey; i++) {
        const struct field *kf = res_column_of(u->r, u->key[i]);
        if (kf && (kf->flags & FF_MASKED) && !authz_reveal_personal(u->x->who))
            return 0;
    }
    json_t *vals[8];
    const char *r_sf = u->r->scope_from;
    int n = 0, rc = 0;
    for (; n < u->nkey; n++) {
        json_t *v = json_object_get(body, u->key[n]);
        if (!v && r_sf && (!strcmp(u->key[n], "procuratorate_id") || !strcmp(u->key[n], "branch_id"))) {
            /* a scope column derived from the parent the row names */
            int64_t p = 0, br = 0, pid = res_int(body, r_sf);
            const struct field *sf = NULL;
            for (int k = 0; k < u->r->nfields; k++)
                if (!strcmp(u->r->fields[k].name, r_sf))
                    sf = &u->r->fields[k];
            if (pid > 0 && sf && (rc = import_ref_scope(u->refs, sf->ref, pid, &p, &br, err)) < 0)
                break;
            int64_t want = !strcmp(u->key[n], "procuratorate_id") ? p : br;
            if (!want)
                break;
            vals[n] = json_integer(want);
            continue;
        }
        if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
            break;
        vals[n] = json_incref(v);
    }
    if (rc == 0 && n == u->nkey) {
        int64_t narrowed = 0;
        bool narrow = authz_read_narrowed(u->x->who, u->r->read, &narrowed);
        store_stmt *st;
        if ((rc = store_prepare_built(u->x->c, u->key_sql, &st, err)) == 0) {
            store_bind_int(st, 1, u->first_new);
            for (int i = 0; i < n; i++) {
                if (json_is_integer(vals[i]))
                    store_bind_int(st, i + 2, json_integer_value(vals[i]));
                else
                    store_bind_text(st, i + 2, json_string_value(vals[i]));
            }
            if (narrow)
                store_bind_int(st, n + 2, narrowed);
            if ((rc = store_step(st, err)) == STORE_ROW) {
                *id = store_col_int(st, 0);
                *version = store_col_int(st, 1);
                *mine = store_col_int(st, 2) != 0;
            }
            store_done(st);
        }
    }
    for (int i = 0; i < n; i++)
        json_decref(vals[i]);
    return rc < 0 ? rc : 0;
}

/* "本案号“X”" for the message of a row naming a record that exists: the key's parts the
 * file gives, as their labels and values. */
static char *key_words(struct run *u, json_t *body, const struct sheet_row *row)
{
    char *s = arena_strdup(u->x->a, "");
    for (int i = 0; i < u->nkey; i++) {
        int k = column_of_field(u, u->key[i]);
        if (k < 0)
            continue;
        const struct sheet_cell *c = cell_at(u, row, k);
        const char *t;
        size_t n;
        text_trim(c->text ? c->text : "", c->text ? c->len : 0, &t, &n);
        s = arena_printf(u->x->a, "%s%s%s“%.*s”", s, *s ? "、" : "", u->cols[k].f->label,
                         (int)(n > 60 ? 60 : n), t);
    }
    (void)body;
    return s;
}

/* The largest id table "r" has held (AUTOINCREMENT never gives one out again). */
static int max_id(struct res_ctx *x, const struct resource *r, int64_t *out, struct rerr *err)
{
    store_stmt *st = store_prepare(x->c, "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = ?");
    store_bind_text(st, 1, r->table);
    int rc = store_step(st, err);
    *out = rc == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    return rc < 0 ? rc : 0;
}

static int savepoint(struct res_ctx *x, const char *sql, struct rerr *err)
{
    store_stmt *st = store_prepare(x->c, sql);
    int rc = store_step(st, err);
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* The column a refusal of the engine's belongs to: the field it names, or for a derived
 * scope the parent the row names. -1 when the file has no such column. */
static int column_for_error(struct run *u, const char *field)
{
    if (!*field)
        return -1;
    int k = column_of_field(u, field);
    if (k < 0 && u->r->scope_from && (!strcmp(field, "procuratorate_id") || !strcmp(field, "branch_id")))
        k = column_of_field(u, u->r->scope_from);
    return k;
}

/* One data row: 0 (written, or refused and reported), or an error that ends the run. */
static int one_row(struct run *u, struct res_ctx *x, const struct sheet_row *row, struct rerr *err)
{
    struct import_hint hint = {0};
    json_t *body = NULL;
    int rc = row_body(u, row, &body, &hint, err);
    if (rc != 0)
        return rc < 0 ? rc : 1;
    int64_t id = 0, version = 0;
    bool mine;
    if ((rc = find_existing(u, body, &id, &version, &mine, err)) < 0) {
        json_decref(body);
        return rc;
    }
    if (id && mine) {
        char msg[400];
        snprintf(msg, sizeof msg, "与文件中前面的一行重复（%s），同一%s只能出现一次", key_words(u, body, row),
                 u->r->label);
        int k = column_of_field(u, u->key[u->nkey - 1]);
        const struct sheet_cell *c = k >= 0 ? cell_at(u, row, k) : &empty_cell;
        reject(u, row->line, k >= 0 ? u->at[k] : -1, c->text, c->len, "duplicate_row", msg);
        json_decref(body);
        return 1;
    }
    if (id && !u->o->update) {
        char msg[400];
        snprintf(msg, sizeof msg, "已存在%s的%s（编号 %" PRId64 "），如需更新请选择更新模式",
                 key_words(u, body, row), u->r->label, id);
        int k = column_of_field(u, u->key[u->nkey - 1]);
        const struct sheet_cell *c = k >= 0 ? cell_at(u, row, k) : &empty_cell;
        reject(u, row->line, k >= 0 ? u->at[k] : -1, c->text, c->len, "exists", msg);
        json_decref(body);
        return 1;
    }
    if ((rc = savepoint(x, "SAVEPOINT import_row", err)) < 0) {
        json_decref(body);
        return rc;
    }
    struct rerr e = {0};
    json_t *out = NULL;
    int64_t written = 0;
    if (id) {
        json_object_set_new(body, "version", json_integer(version));
        rc = res_update_in(x, u->r, id, body, &out, &e);
    } else
        rc = res_create_id(x, u->r, body, &written, NULL, &e);
    if (id)
        written = id;
    json_decref(body);
    json_decref(out);
    if (rc < 0) {
        int rb = savepoint(x, "ROLLBACK TO import_row", err);
        if (rb == 0)
            rb = savepoint(x, "RELEASE import_row", err);
        if (rb == 0)
            rb = audit_batch_rewound(x->c, err);
        if (rb < 0)
            return rb;
        if (e.rc == R_EINTERNAL || e.rc == R_EBUSY) {
            *err = e;
            return e.rc;
        }
        int k = column_for_error(u, e.field);
        const struct sheet_cell *c = k >= 0 ? cell_at(u, row, k) : &empty_cell;
        reject(u, row->line, k >= 0 ? u->at[k] : -1, c->text, c->len, e.code, e.message);
        return 1;
    }
    if (u->nkey && id) {
        /* remembered by the database, not in memory: a later row naming it is a repeat
         * (rows this run created are known by their ids: above u->first_new) */
        store_stmt *st = store_prepare(x->c, "INSERT OR IGNORE INTO temp.import_written(id) VALUES (?)");
        store_bind_int(st, 1, written);
        rc = store_step(st, err);
        store_done(st);
        if (rc < 0)
            return rc;
    }
    if ((rc = savepoint(x, "RELEASE import_row", err)) < 0)
        return rc;
    if (id)
        u->res->updated++;
    else
        u->res->created++;
    return 0;
}

/* Whether every cell of "row" the import reads is blank (a row of notes in other columns). */
static bool row_blank(const struct run *u, const struct sheet_row *row)
{
    for (int k = 0; k < u->ncols; k++)
        if (u->at[k] >= 0 && !cell_blank(cell_at(u, row, k)))
            return false;
    return true;
}

/* ------------------------------------------------------------------ the run */

static void report(const struct run *u, int64_t (*bytes_done)(void *), void *arg, int64_t total)
{
    char msg[96];
    snprintf(msg, sizeof msg, "已读 %" PRId64 " 行，有效 %" PRId64 " 行", u->res->rows, u->res->valid);
    progress_report(u->o->progress, bytes_done ? bytes_done(arg) : u->res->rows, bytes_done ? total : 0, msg);
}

int import_rows(struct res_ctx *x, const struct resource *r, import_next_fn *next, void *arg,
                int64_t (*bytes_done)(void *arg), int64_t bytes_total, const struct import_options *o,
                struct import_result *res, struct rerr *err)
{
    *res = (struct import_result){0};
    if (!import_supported(r))
        return rerr_set(err, R_EINVAL, "not_importable", "", "%s不能从表格导入", r->label);
    struct run u = {.x = x, .r = r, .o = o, .res = res};
    u.ncols = import_columns(r, u.cols);
    for (const char *k = r->import_key; k && *k && u.nkey < 8;) {
        size_t n = strcspn(k, " ");
        u.key[u.nkey++] = arena_strndup(x->a, k, n);
        k += n + (k[n] == ' ');
    }
    if (u.nkey) {
        int64_t narrowed;
        char *where = arena_strdup(x->a, "");
        for (int i = 0; i < u.nkey; i++)
            where = arena_printf(x->a, "%s%s%s = ?", where, i ? " AND " : "", u.key[i]);
        u.key_sql = arena_printf(
            x->a,
            "SELECT id, version, id > ? OR id IN (SELECT id FROM temp.import_written) FROM %s WHERE %s%s",
            r->table, where,
            authz_read_narrowed(x->who, r->read, &narrowed) ? " AND procuratorate_id = ?" : "");
    }
    int64_t max_rows = o->max_rows > 0 ? o->max_rows : IMPORT_MAX_ROWS;
    /* The temporary table and the page cache are set before the transaction begins: a
     * schema change inside it (even of the temporary schema) would make every ROLLBACK TO
     * of a refused row expire the connection's statements and re-read the whole schema. */
    int rc = 0;
    if (u.nkey &&
        (rc = store_exec(x->c, "CREATE TEMP TABLE IF NOT EXISTS import_written(id INTEGER PRIMARY KEY)",
                         err)) < 0)
        return rc;
    if ((rc = store_exec(x->c, "PRAGMA cache_size = " IMPORT_CACHE, err)) < 0)
        return rc;
    if ((rc = store_begin(x->c, err)) < 0) {
        store_exec(x->c, "PRAGMA cache_size = " STORE_CACHE, NULL);
        return rc;
    }
    /* Rows this run creates get ids above the largest at its start (AUTOINCREMENT); the
     * run's audit entries chain in memory (one head at the end). */
    if (u.nkey && (rc = store_exec(x->c, "DELETE FROM temp.import_written", err)) == 0)
        rc = max_id(x, r, &u.first_new, err);
    if (rc == 0)
        rc = audit_batch_begin(x->c, err);
    if (rc < 0) {
        store_rollback(x->c);
        store_exec(x->c, "PRAGMA cache_size = " STORE_CACHE, NULL);
        return rc;
    }
    u.refs = import_refs_new(x);
    /* Creating rows with no hook writes no table but the collection's own: the rows its
     * rows refer to stay as they are for the whole run. */
    struct res_memo *memo = !r->after_write && !o->update ? res_memo_new(r->table) : NULL;
    struct sheet_row row;
    int seen_rows = 0;
    while ((rc = next(arg, &row, err)) == 1) {
        if (!res->header_found) {
            if (header_matches(&u, &row) > 0) {
                if ((rc = take_header(&u, &row, err)) < 0)
                    break;
            } else if (++seen_rows >= SHEET_HEADER_ROWS) {
                rc = rerr_set(err, R_EINVAL, "no_header", "",
                              "前 %d 行中没有表头（应有“%s”等列名）：请使用%s的导入模板", SHEET_HEADER_ROWS,
                              u.ncols ? u.cols[0].header : "", r->label);
                break;
            }
            continue;
        }
        if (row_blank(&u, &row))
            continue;
        if (++res->rows > max_rows) {
            rc = rerr_set(err, R_ETOOBIG, "too_large", "",
                          "数据超过 %" PRId64 " 行的上限（第 %" PRId64 " 行），请分成几个文件导入", max_rows,
                          row.line);
            break;
        }
        /* a row's allocations (SQL, messages) go with it */
        struct res_ctx rx = *x;
        rx.a = arena_new();
        rx.memo = memo;
        struct res_ctx *saved = u.x;
        u.x = &rx;
        import_refs_ctx(u.refs, &rx);
        rc = one_row(&u, &rx, &row, err);
        import_refs_ctx(u.refs, saved);
        u.x = saved;
        arena_free(rx.a);
        if (rc < 0)
            break;
        if (rc == 0)
            res->valid++;
        else {
            res->error_count++;
            keep_bad_row(res, &row);
        }
        rc = 0;
        if (res->rows % REPORT_EVERY == 0) {
            report(&u, bytes_done, arg, bytes_total);
            if (progress_cancelled(o->progress)) {
                rc = rerr_set(err, R_EINVAL, "cancelled", "", "导入已取消，未写入任何数据");
                break;
            }
        }
    }
    if (rc == 0 && !res->header_found)
        rc = rerr_set(err, R_EINVAL, "no_header", "", "文件中没有表头（应有“%s”等列名）：请使用%s的导入模板",
                      u.ncols ? u.cols[0].header : "", r->label);
    if (rc == 0 && progress_cancelled(o->progress))
        rc = rerr_set(err, R_EINVAL, "cancelled", "", "导入已取消，未写入任何数据");
    import_refs_free(u.refs);
    res_memo_free(memo);
    bool keep = rc == 0 && res->error_count == 0 && !o->check;
    int brc = audit_batch_end(x->c, keep, err);
    if (brc < 0 && rc == 0)
        rc = brc;
    if (rc == 0 && keep) {
        if ((rc = store_commit(x->c, err)) == 0) {
            res->committed = true;
            res->written = res->created + res->updated;
        }
    } else
        store_rollback(x->c);
    store_exec(x->c, "PRAGMA cache_size = " STORE_CACHE, NULL);
    if (rc == 0)
        report(&u, bytes_done, arg, bytes_total);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ from a file */

static int next_of_reader(void *arg, struct sheet_row *row, struct rerr *err)
{
    return sheet_next(arg, row, err);
}

static int64_t bytes_of_reader(void *arg)
{
    return sheet_bytes_read(arg);
}

int import_file(struct res_ctx *x, const struct resource *r, const char *path, const struct import_options *o,
                struct import_result *res, struct rerr *err)
{
    *res = (struct import_result){0};
    int64_t max_rows = o->max_rows > 0 ? o->max_rows : IMPORT_MAX_ROWS;
    struct sheet_options so = {.sheet = o->sheet};
    /* room for the rows above the header */
    so.limits.max_rows = max_rows + SHEET_HEADER_ROWS + 1;
    so.limits.max_bytes = o->max_bytes;
    /* The file read once through before the write transaction: what makes it unreadable
     * as a whole (too many rows, cut off, an encoding that changes, a cap) is refused
     * before any row is written and without holding the write lock. The reader is
     * streaming and several times faster than the rows' writes, so this costs little. */
    sheet_reader *rd;
    int rc = sheet_open(path, &so, &rd, err);
    if (rc < 0)
        return rc;
    struct sheet_row row;
    int64_t n = 0;
    while ((rc = sheet_next(rd, &row, err)) == 1)
        if (++n % 20000 == 0) {
            progress_report(o->progress, 0, 0, "正在检查文件");
            if (progress_cancelled(o->progress))
                break;
        }
    sheet_close(rd);
    if (rc < 0)
        return rc;
    if (progress_cancelled(o->progress))
        return rerr_set(err, R_EINVAL, "cancelled", "", "导入已取消，未写入任何数据");
    if (n > max_rows + SHEET_HEADER_ROWS)
        return rerr_set(err, R_ETOOBIG, "too_large", "", "数据超过 %" PRId64 " 行的上限，请分成几个文件导入",
                        max_rows);
    if ((rc = sheet_open(path, &so, &rd, err)) < 0)
        return rc;
    rc = import_rows(x, r, next_of_reader, rd, bytes_of_reader, sheet_bytes_total(rd), o, res, err);
    res->format = sheet_format_of(rd);
    res->encoding = sheet_encoding_of(rd);
    sheet_close(rd);
    return rc;
}

/* ------------------------------------------------------------------ the result */

json_t *import_result_json(const struct import_result *res, int max_errors)
{
    static const char *const encodings[] = {NULL, "UTF-8", "UTF-8 BOM", "GB18030"};
    json_t *ign = json_array(), *errs = json_array();
    for (int i = 0; i < res->nignored; i++)
        json_array_append_new(ign, json_string(res->ignored[i]));
    for (int i = 0; i < res->nerrors && i < max_errors; i++) {
        const struct import_error *e = &res->errors[i];
        json_array_append_new(errs, json_pack("{s:I, s:s, s:s, s:s, s:s}", "line", (json_int_t)e->line,
                                              "column", e->column, "value", e->value, "code", e->code,
                                              "message", e->message));
    }
    json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:o, s:o}", "rows", (json_int_t)res->rows,
                          "valid", (json_int_t)res->valid, "created", (json_int_t)res->created, "updated",
                          (json_int_t)res->updated, "written", (json_int_t)res->written, "error_count",
                          (json_int_t)res->error_count, "committed", res->committed, "ignored_columns", ign,
                          "errors", errs);
    json_object_set_new(o, "format",
                        res->format == SHEET_XLSX  ? json_string("xlsx")
                        : res->format == SHEET_CSV ? json_string("csv")
                                                   : json_null());
    const char *enc = res->encoding > 0 && res->encoding <= 3 ? encodings[res->encoding] : NULL;
    json_object_set_new(o, "encoding", enc ? json_string(enc) : json_null());
    json_object_set_new(o, "errors_truncated",
                        json_boolean(res->nerrors > max_errors || res->error_count > res->nerrors));
    return o;
}
