/*
 * audit: the audit chain (src/auth/audit.h) — its entry encoding, audit_append() and
 * audit_verify() — on a scratch database: an empty one, keyed (its .audit-key and
 * .audit-anchors beside it), copied fresh for every input.
 *
 * Input: byte 0 gives the number of entries (1-4), bytes 1-4 the tampering (which entry,
 * which column, which byte, and the XOR that changes it); the rest, split at NUL bytes,
 * gives each entry's username, action, entity, before and after in turn. Before and after
 * are parsed as JSON objects where they parse as one (the engine passes records), else
 * wrapped in one, and an empty one is absent (NULL, as for a create's before).
 *
 * Checked, for every input:
 *   - audit_encode() tells entries apart: moving text across any boundary between two
 *     neighbouring text fields, or making an absent text "", changes the encoding; its
 *     length is the same however much room it is given, and a short buffer gets a prefix.
 *   - The chain just written verifies, with every entry counted.
 *   - Then what someone holding the file could do (dropping the triggers that refuse
 *     UPDATE and DELETE first): change one byte of one stored column of one entry (or
 *     move its number by one), move text across the before/after boundary, make an absent
 *     before "", renumber an entry, remove the last entry, or empty the table and its
 *     head. verify must fail, naming the entry at fault where there is one.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "base/text.h"
#include "fuzz.h"

static char empty[300], path[300];
static int64_t base; /* entries of the empty database (its "audit_key" entry) */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(empty, sizeof empty, "%s/empty.db", fuzz_dir());
    snprintf(path, sizeof path, "%s/audit.db", fuzz_dir());
    store *s;
    struct rerr err = {0};
    struct audit_report rep;
    if (store_open(empty, STORE_CREATE_NEW, &s, &err) < 0 || audit_open_key(s, &err) < 0 ||
        audit_verify(s, NULL, NULL, &rep, &err) < 0)
        fuzz_fail("cannot make an empty keyed database: %s", err.message);
    base = rep.entries;
    fuzz_close(s);
    fuzz_ready();
    return 0;
}

/* ------------------------------------------------------------------ the encoding */

static unsigned char *encode(const struct audit_entry *e, size_t *n)
{
    *n = audit_encode(e, NULL, 0);
    unsigned char *buf = malloc(*n + 1);
    if (!buf || audit_encode(e, buf, *n + 1) != *n)
        fuzz_fail("audit_encode gives another length when given room");
    if (*n > 1) { /* a short buffer: the same length, and a prefix */
        unsigned char *part = malloc(*n - 1);
        if (audit_encode(e, part, *n - 1) != *n || memcmp(part, buf, *n - 1) != 0)
            fuzz_fail("audit_encode into a short buffer is not a prefix of the whole");
        free(part);
    }
    return buf;
}

static void expect_apart(const struct audit_entry *a, const struct audit_entry *b, const char *how)
{
    size_t na, nb;
    unsigned char *ea = encode(a, &na), *eb = encode(b, &nb);
    if (na == nb && !memcmp(ea, eb, na))
        fuzz_fail("audit_encode gives two different entries one encoding (%s)", how);
    free(ea);
    free(eb);
}

/* The six text fields of an entry, in the encoding's order. */
enum { T_TS, T_USERNAME, T_ACTION, T_ENTITY, T_BEFORE, T_AFTER, NTEXT };

static void texts_of(const struct audit_entry *e, const char *t[NTEXT])
{
    t[T_TS] = e->ts, t[T_USERNAME] = e->username, t[T_ACTION] = e->action;
    t[T_ENTITY] = e->entity, t[T_BEFORE] = e->before, t[T_AFTER] = e->after;
}

static struct audit_entry with_texts(const struct audit_entry *e, const char *const t[NTEXT])
{
    struct audit_entry f = *e;
    f.ts = t[T_TS], f.username = t[T_USERNAME], f.action = t[T_ACTION];
    f.entity = t[T_ENTITY], f.before = t[T_BEFORE], f.after = t[T_AFTER];
    return f;
}

/* Every shift of the first character of a text onto the end of the one before it, and
 * every absent text made "", must change the encoding. */
static void check_encoding(const struct audit_entry *e)
{
    const char *t[NTEXT];
    texts_of(e, t);
    for (int i = 0; i < NTEXT; i++) {
        const char *u[NTEXT];
        memcpy(u, t, sizeof u);
        if (!t[i]) {
            u[i] = "";
            struct audit_entry f = with_texts(e, u);
            expect_apart(e, &f, "an absent text made empty");
            u[i] = t[i];
        }
        if (i + 1 == NTEXT || !t[i + 1] || !*t[i + 1])
            continue;
        const char *y = t[i + 1];
        size_t k = 1, nx = t[i] ? strlen(t[i]) : 0;
        while (y[k] && ((unsigned char)y[k] & 0xc0) == 0x80)
            k++;
        char *moved = malloc(nx + k + 1);
        memcpy(moved, t[i] ? t[i] : "", nx);
        memcpy(moved + nx, y, k);
        moved[nx + k] = 0;
        u[i] = moved;
        u[i + 1] = y + k;
        struct audit_entry g = with_texts(e, u);
        expect_apart(e, &g, "text moved across a field boundary");
        free(moved);
    }
}

/* ------------------------------------------------------------------ the chain */

/* The next NUL-terminated piece of the input ("" once it runs out), as text. */
static char *next_piece(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
    size_t n = (size_t)((nul ? nul : end) - *p);
    char *s = fuzz_cstr(*p, n);
    *p = nul ? nul + 1 : end;
    text_utf8_repair(s);
    return s;
}

/* What the engine passes is always an object (a record): other JSON, or text that does
 * not parse, is wrapped in one. */
static json_t *as_json(const char *s)
{
    if (!*s)
        return NULL;
    json_t *j = json_loads(s, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    if (json_is_object(j))
        return j;
    return j ? json_pack("{s:o}", "value", j) : json_pack("{s:s}", "text", s);
}

static void run_sql(store_conn *c, const char *sql, const char *text, int64_t id)
{
    store_stmt *st = store_prepare_dynamic(c, sql);
    int i = 1;
    if (text)
        store_bind_text(st, i++, text);
    if (id)
        store_bind_int(st, i, id);
    struct rerr err = {0};
    if (store_step(st, &err) < 0)
        fuzz_fail("tampering with SQL failed (%s): %s", sql, err.message);
    store_finalize(st);
}

/* verify must fail and name entry "bad" (0: any, for a chain cut short). */
static void expect_broken(store *s, int64_t bad, const char *how)
{
    struct audit_report rep;
    struct rerr err = {0};
    int rc = audit_verify(s, NULL, NULL, &rep, &err);
    if (rc != R_ECONFLICT || !rep.broken)
        fuzz_fail("audit_verify passed (%d, %lld entries) a chain with %s", rc, (long long)rep.entries, how);
    if (bad && rep.first_bad != bad)
        fuzz_fail("audit_verify named entry %lld, not %lld, after %s: %s", (long long)rep.first_bad,
                  (long long)bad, how, rep.reason);
    if (!fuzz_json_text_ok(rep.reason))
        fuzz_fail("audit_verify's reason is not well-formed UTF-8");
    if (getenv("FUZZ_SHOW")) /* what each input tried and what verify said, to check the seeds */
        fprintf(stderr, "  %s: #%lld %s\n", how, (long long)rep.first_bad, rep.reason);
}

/* Change column "col" of entry "id" as the bytes ask; false when there is nothing to change. */
static bool tamper(store_conn *c, int64_t id, const char *col, unsigned pos, unsigned char x)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT %s, typeof(%s) FROM audit WHERE id = ?", col, col);
    store_stmt *st = store_prepare_dynamic(c, sql);
    store_bind_int(st, 1, id);
    if (store_step(st, NULL) != STORE_ROW)
        fuzz_fail("entry %lld is not there", (long long)id);
    const char *type = store_col_text(st, 1);
    char *text = NULL;
    int64_t v = 0;
    bool is_int = !strcmp(type, "integer"), is_text = !strcmp(type, "text");
    if (is_int)
        v = store_col_int(st, 0);
    else if (is_text)
        text = strdup(store_col_text(st, 0));
    store_finalize(st);
    snprintf(sql, sizeof sql, "UPDATE audit SET %s = ? WHERE id = ?", col);
    if (is_int) {
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)(v + (x & 1 ? 1 : -1)));
        run_sql(c, sql, num, id); /* bound as text: the column's type makes it an integer */
        return true;
    }
    if (!text || !*text) {
        free(text);
        return false;
    }
    size_t n = strlen(text);
    char was = text[pos % n];
    text[pos % n] ^= (char)(x ? x : 1);
    if (!text[pos % n]) /* a NUL would cut the text short: another byte, still a change */
        text[pos % n] = was == '\x01' ? '\x02' : '\x01';
    run_sql(c, sql, text, id);
    free(text);
    return true;
}

/* The first character of "after" moved onto the end of "before"; false when "after"
 * is absent or empty. */
static bool shift_boundary(store_conn *c, int64_t id)
{
    store_stmt *st = store_prepare_dynamic(c, "SELECT coalesce(before, ''), after FROM audit WHERE id = ?");
    store_bind_int(st, 1, id);
    char *before = NULL, *after = NULL;
    if (store_step(st, NULL) == STORE_ROW && store_col_type(st, 1) == STORE_TEXT) {
        before = strdup(store_col_text(st, 0));
        after = strdup(store_col_text(st, 1));
    }
    store_finalize(st);
    bool done = false;
    if (after && *after) {
        size_t k = 1;
        while (after[k] && ((unsigned char)after[k] & 0xc0) == 0x80)
            k++;
        size_t nb = strlen(before);
        char *moved = malloc(nb + k + 1);
        memcpy(moved, before, nb);
        memcpy(moved + nb, after, k);
        moved[nb + k] = 0;
        run_sql(c, "UPDATE audit SET before = ? WHERE id = ?", moved, id);
        run_sql(c, "UPDATE audit SET after = ? WHERE id = ?", after + k, id);
        free(moved);
        done = true;
    }
    free(before);
    free(after);
    return done;
}

static bool before_absent(store_conn *c, int64_t id)
{
    store_stmt *st = store_prepare_dynamic(c, "SELECT before IS NULL FROM audit WHERE id = ?");
    store_bind_int(st, 1, id);
    bool absent = store_step(st, NULL) == STORE_ROW && store_col_int(st, 0);
    store_finalize(st);
    return absent;
}

static const char *const columns[] = {
    "ts",   "user_id",   "username", "action", "entity", "entity_id", "procuratorate_id", "before", "after",
    "hash", "prev_hash", "fmt",      "shift",  "null",   "renumber",  "delete the last",  "empty"};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return -1;
    int n = 1 + data[0] % 4;
    const uint8_t *p = data + 5, *end = data + size;
    store *s = fuzz_open_copy(empty, path);
    store_conn *c = store_acquire(s);
    struct rerr err = {0};
    if (store_begin(c, &err) < 0)
        fuzz_fail("store_begin: %s", err.message);
    for (int i = 0; i < n; i++) {
        char *username = next_piece(&p, end), *action = next_piece(&p, end), *entity = next_piece(&p, end);
        char *btext = next_piece(&p, end), *atext = next_piece(&p, end);
        struct actor who;
        actor_system(&who);
        who.user_id = i; /* 0: the system, as the command line writes */
        snprintf(who.username, sizeof who.username, "%s", username);
        text_utf8_repair(who.username);
        json_t *before = as_json(btext), *after = as_json(atext);
        char *bj = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        char *aj = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        struct audit_entry e = {.id = base + 1 + i,
                                .ts = "2026-12-01T08:00:00.000Z",
                                .user_id = i,
                                .username = who.username,
                                .action = action,
                                .entity = entity,
                                .entity_id = (int64_t)strlen(btext),
                                .procuratorate_id = (int64_t)i * 3,
                                .before = bj,
                                .after = aj};
        check_encoding(&e);
        if (audit_append(c, &who, action, entity, e.entity_id, e.procuratorate_id, before, after, &err) < 0)
            fuzz_fail("audit_append refused entry %d: %s", i + 1, err.message);
        free(bj);
        free(aj);
        json_decref(before);
        json_decref(after);
        free(username);
        free(action);
        free(entity);
        free(btext);
        free(atext);
    }
    if (store_commit(c, &err) < 0)
        fuzz_fail("store_commit: %s", err.message);

    struct audit_report rep;
    int rc = audit_verify(s, NULL, NULL, &rep, &err);
    if (rc != 0 || rep.entries != base + n)
        fuzz_fail("a chain just written does not verify (%d, %lld of %lld entries): %s", rc,
                  (long long)rep.entries, (long long)(base + n),
                  rc == R_ECONFLICT ? rep.reason : err.message);

    /* As someone holding the file: the triggers go first. */
    if (store_exec(c,
                   "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;"
                   " DROP TRIGGER IF EXISTS audit_head_no_delete",
                   &err) < 0)
        fuzz_fail("dropping the triggers: %s", err.message);
    int64_t id = base + 1 + data[1] % n, last = base + n;
    const char *col = columns[data[2] % NCOLUMNS];
    char how[96];
    snprintf(how, sizeof how, "%s of entry %lld changed", col, (long long)id);
    if (!strcmp(col, "shift")) {
        if (shift_boundary(c, id))
            expect_broken(s, id, "text moved across the before/after boundary");
    } else if (!strcmp(col, "null")) {
        if (before_absent(c, id)) {
            run_sql(c, "UPDATE audit SET before = ? WHERE id = ?", "", id);
            expect_broken(s, id, "an absent before made \"\"");
        }
    } else if (!strcmp(col, "renumber")) {
        run_sql(c, "UPDATE audit SET id = id + 1000000 WHERE id = ?", NULL, id);
        expect_broken(s, id, "an entry renumbered");
    } else if (!strcmp(col, "delete the last")) {
        run_sql(c, "DELETE FROM audit WHERE id = ?", NULL, last);
        expect_broken(s, 0, "its last entry removed");
    } else if (!strcmp(col, "empty")) {
        run_sql(c, "DELETE FROM audit", NULL, 0);
        run_sql(c, "DELETE FROM meta WHERE key = 'audit_head'", NULL, 0);
        expect_broken(s, 0, "the table and its head emptied");
    } else if (tamper(c, id, col, data[3], data[4])) {
        expect_broken(s, id, how);
    }
    store_release(c);
    fuzz_close(s);
    return 0;
}
