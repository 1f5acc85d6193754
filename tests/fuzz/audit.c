/*
 * audit: the audit chain's entry encoding, through audit_append() and audit_verify() on
 * a scratch database (an empty, migrated one, copied fresh for every input).
 *
 * Input: byte 0 gives the number of entries (1-4), bytes 1-4 the tampering (which entry,
 * which column, which byte, and the XOR that changes it); the rest, split at NUL bytes,
 * gives each entry's username, action, entity, before and after in turn. Before and after
 * are parsed as JSON where they parse (the engine passes records), else kept as a JSON
 * string, and an empty one is absent (NULL, as for a create's before).
 *
 * The chain just written must verify, with every entry counted. Then one byte of one
 * stored column of one entry is changed (or its integer moved by one, or the last entry
 * removed), as someone with the file in hand could do, and verify must fail, naming
 * that entry (or, for a removed tail, the one after the last that is left).
 *
 * With FUZZ_AUDIT_SHIFT=1 the tampering also tries what an ambiguous encoding lets
 * through: text moved across the before/after boundary, and an absent before made "".
 * Today's encoding (fields joined with '|') fails that, which is issue 5's point; once
 * audit_encode() (unambiguous) is merged this target should call it and check those
 * shifts always.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "base/text.h"
#include "fuzz.h"

static char empty[300], path[300];
static bool shift;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(empty, sizeof empty, "%s/empty.db", fuzz_dir());
    snprintf(path, sizeof path, "%s/audit.db", fuzz_dir());
    store *s;
    struct rerr err = {0};
    if (store_open(empty, STORE_CREATE_NEW, &s, &err) < 0)
        fuzz_fail("store_open: %s", err.message);
    store_close(s);
    shift = getenv("FUZZ_AUDIT_SHIFT") != NULL;
    fuzz_ready();
    return 0;
}

/* The next NUL-terminated piece of the input ("" once it runs out). */
static char *next_piece(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
    size_t n = (size_t)((nul ? nul : end) - *p);
    char *s = fuzz_cstr(*p, n);
    *p = nul ? nul + 1 : end;
    text_utf8_repair(s); /* the columns are text; what we write must be text too */
    return s;
}

static json_t *as_json(const char *s)
{
    if (!*s)
        return NULL;
    json_t *j = json_loads(s, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    return j ? j : json_string(s);
}

static const char *const columns[] = {"ts",     "username",  "action",         "entity",
                                      "before", "after",     "entity_id",      "procuratorate_id",
                                      "hash",   "prev_hash", "delete the last"};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

static void run_sql(store_conn *c, const char *sql, const char *text, int64_t id)
{
    store_stmt *st = store_prepare_dynamic(c, sql);
    if (text)
        store_bind_text(st, 1, text);
    store_bind_int(st, text ? 2 : 1, id);
    struct rerr err = {0};
    if (store_step(st, &err) < 0)
        fuzz_fail("tampering with SQL failed (%s): %s", sql, err.message);
    store_finalize(st);
}

/* Verify must report entry "bad" as the first broken one. */
static void expect_broken(store_conn *c, int64_t bad, const char *how)
{
    struct audit_report rep;
    struct rerr err = {0};
    int rc = audit_verify(c, &rep, &err);
    if (rc != R_ECONFLICT)
        fuzz_fail("audit_verify passed (%d, %lld entries) a chain with %s", rc, (long long)rep.entries, how);
    if (rep.first_bad != bad)
        fuzz_fail("audit_verify named entry %lld, not %lld, after %s", (long long)rep.first_bad,
                  (long long)bad, how);
    if (!fuzz_json_text_ok(rep.reason))
        fuzz_fail("audit_verify's reason is not well-formed UTF-8");
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
        run_sql(c, sql, num, id); /* bound as text: SQLite's integer affinity stores it as one */
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

/* Text moved from the start of "after" to the end of "before", across their '|': a change
 * today's encoding does not see. False when the entry has no such text. */
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
    char *bar = after ? strchr(after, '|') : NULL;
    bool done = false;
    if (bar) {
        *bar = 0;
        size_t n = strlen(before) + strlen(after) + 2;
        char *moved = malloc(n);
        snprintf(moved, n, "%s|%s", before, after);
        run_sql(c, "UPDATE audit SET before = ? WHERE id = ?", moved, id);
        run_sql(c, "UPDATE audit SET after = ? WHERE id = ?", bar + 1, id);
        free(moved);
        done = true;
    }
    free(before);
    free(after);
    return done;
}

/* An absent before made "": false when the entry has a before. */
static bool tamper_null(store_conn *c, int64_t id)
{
    store_stmt *st = store_prepare_dynamic(c, "SELECT before IS NULL FROM audit WHERE id = ?");
    store_bind_int(st, 1, id);
    bool absent = store_step(st, NULL) == STORE_ROW && store_col_int(st, 0);
    store_finalize(st);
    if (absent)
        run_sql(c, "UPDATE audit SET before = ? WHERE id = ?", "", id);
    return absent;
}

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
        if (audit_append(c, &who, action, entity, (int64_t)strlen(btext), (int64_t)i * 3, before, after,
                         &err) < 0)
            fuzz_fail("audit_append refused entry %d: %s", i + 1, err.message);
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
    int rc = audit_verify(c, &rep, &err);
    if (rc != 0 || rep.entries != n)
        fuzz_fail("a chain just written does not verify (%d, %lld of %d entries): %s", rc,
                  (long long)rep.entries, n, rc == R_ECONFLICT ? rep.reason : err.message);

    int64_t id = 1 + data[1] % n;
    const char *col = columns[data[2] % NCOLUMNS];
    if (shift && data[4] & 0x80) {
        if (shift_boundary(c, id))
            expect_broken(c, id, "text moved across the before/after boundary");
        else if (tamper_null(c, id))
            expect_broken(c, id, "an absent before made \"\"");
    } else if (!strcmp(col, "delete the last")) {
        run_sql(c, "DELETE FROM audit WHERE id = ?", NULL, n);
        expect_broken(c, n, "its last entry removed");
    } else if (tamper(c, id, col, data[3], data[4])) {
        char how[64];
        snprintf(how, sizeof how, "one byte of %s changed in entry %lld", col, (long long)id);
        expect_broken(c, id, how);
    }
    store_release(c);
    store_close(s);
    return 0;
}
