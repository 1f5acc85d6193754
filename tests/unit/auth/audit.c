/*
 * Unit tests for src/auth/audit.c: the entry encoding (a fixed vector, no ambiguity,
 * bounded writes), and on a real SQLite file the keyed chain: tampering that must show,
 * the triggers, writes without the key, anchors, and a database from an earlier build.
 * Tampering runs the SQL someone holding the file would run (dropping the triggers first).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/audit.h"
#include "store/store.h"

/* ------------------------------------------------------------------ encoding */

static void encode_fixed_vector(void **state)
{
    (void)state;
    struct audit_entry e = {.id = 1,
                            .ts = "t",
                            .user_id = 0,
                            .username = "u",
                            .action = "a",
                            .entity = "",
                            .entity_id = -1,
                            .procuratorate_id = 258,
                            .before = NULL,
                            .after = "{}"};
    static const unsigned char want[] = {
        'R', 'H',  'A',  'U',  2,                                      /* magic, format */
        'I', 0,    0,    0,    0,    0,    0,    0,    1,              /* id */
        'S', 0,    0,    0,    0,    0,    0,    0,    1,    't',      /* ts */
        'I', 0,    0,    0,    0,    0,    0,    0,    0,              /* user_id */
        'S', 0,    0,    0,    0,    0,    0,    0,    1,    'u',      /* username */
        'S', 0,    0,    0,    0,    0,    0,    0,    1,    'a',      /* action */
        'S', 0,    0,    0,    0,    0,    0,    0,    0,              /* entity "" */
        'I', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,           /* entity_id -1 */
        'I', 0,    0,    0,    0,    0,    0,    1,    2,              /* procuratorate_id 258 */
        'N',                                                           /* before NULL */
        'S', 0,    0,    0,    0,    0,    0,    0,    2,    '{', '}', /* after */
    };
    unsigned char buf[256];
    size_t n = audit_encode(&e, buf, sizeof buf);
    assert_int_equal(n, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
}

static size_t enc(const struct audit_entry *e, unsigned char *buf)
{
    return audit_encode(e, buf, 512);
}

static bool same(const struct audit_entry *a, const struct audit_entry *b)
{
    unsigned char x[512], y[512];
    size_t n = enc(a, x), m = enc(b, y);
    return n == m && memcmp(x, y, n) == 0;
}

/* Text moved across a field boundary, or NULL for "", changes the encoding (under the
 * old '|'-joined formula the first two pairs hashed alike). */
static void encode_is_unambiguous(void **state)
{
    (void)state;
    struct audit_entry base = {.id = 7,
                               .ts = "x",
                               .username = "u",
                               .action = "update",
                               .entity = "members",
                               .before = "{\"a\":\"p|q\"}",
                               .after = "{\"b\":1}"};
    struct audit_entry moved = base;
    moved.before = "{\"a\":\"p";
    moved.after = "q\"}|{\"b\":1}";
    assert_false(same(&base, &moved));

    struct audit_entry u1 = base, u2 = base;
    u1.username = "ab|c";
    u1.action = "d";
    u2.username = "ab";
    u2.action = "c|d";
    assert_false(same(&u1, &u2));

    struct audit_entry n1 = base, n2 = base;
    n1.before = NULL;
    n2.before = "";
    assert_false(same(&n1, &n2));

    struct audit_entry i1 = base, i2 = base;
    i1.id = 12;
    i1.user_id = 3;
    i2.id = 1;
    i2.user_id = 23;
    assert_false(same(&i1, &i2));
    assert_true(same(&base, &base));
}

/* Never fails, never writes past "cap", and says how long the whole is. */
static void encode_bounded_and_total(void **state)
{
    (void)state;
    struct audit_entry nothing = {.id = INT64_MIN, .user_id = INT64_MAX, .entity_id = INT64_MIN};
    unsigned char buf[128];
    size_t n = audit_encode(&nothing, buf, sizeof buf);
    assert_int_equal(n, 5 + 4 * 9 + 6); /* magic, four numbers, six NULL texts */
    assert_int_equal(audit_encode(&nothing, NULL, 0), n);

    struct audit_entry e = {.id = 1, .ts = "2026", .username = "用户", .before = "b", .after = "a"};
    size_t whole = audit_encode(&e, NULL, 0);
    unsigned char full[256], part[256];
    assert_int_equal(audit_encode(&e, full, sizeof full), whole);
    for (size_t cap = 0; cap <= whole; cap++) {
        memset(part, 0xa5, sizeof part);
        assert_int_equal(audit_encode(&e, part, cap), whole);
        assert_memory_equal(part, full, cap);
        for (size_t i = cap; i < sizeof part; i++)
            assert_int_equal(part[i], 0xa5);
    }
}

/* ------------------------------------------------------------------ the chain */

struct fx {
    char path[64];
    store *s;
    store_conn *c;
    struct actor who;
};

static void file_of(char *out, size_t cap, const char *db, const char *suffix)
{
    snprintf(out, cap, "%s%s", db, suffix);
}

static void remove_db(const char *path)
{
    char f[96];
    unlink(path);
    file_of(f, sizeof f, path, "-wal");
    unlink(f);
    file_of(f, sizeof f, path, "-shm");
    unlink(f);
    file_of(f, sizeof f, path, ".lock");
    unlink(f);
    audit_remove_files(path);
}

static void sql(struct fx *f, const char *q)
{
    struct rerr e = {0};
    if (store_exec(f->c, q, &e) < 0)
        fail_msg("%s: %s", q, e.message);
}

static int64_t count_rows(struct fx *f)
{
    store_stmt *st = store_prepare(f->c, "SELECT count(*) FROM audit");
    store_step(st, NULL);
    int64_t n = store_col_int(st, 0);
    store_done(st);
    return n;
}

/* An update of department 1 to name "what" (a create when "old" is NULL). */
static int append_change(struct fx *f, const char *old, const char *what, struct rerr *e)
{
    json_t *before = old ? json_pack("{s:s}", "name", old) : NULL;
    json_t *after = json_pack("{s:s}", "name", what);
    int rc = store_begin(f->c, e);
    if (rc == 0)
        rc = audit_append(f->c, &f->who, old ? "update" : "create", "departments", 1, 1, before, after, e);
    rc = rc == 0 ? store_commit(f->c, e) : (store_rollback(f->c), rc);
    json_decref(before);
    json_decref(after);
    return rc;
}

static int append(struct fx *f, const char *what, struct rerr *e)
{
    return append_change(f, NULL, what, e);
}

static void reopen(struct fx *f, bool keyed)
{
    struct rerr e = {0};
    store_release(f->c);
    audit_close(f->s);
    store_close(f->s);
    if (store_open(f->path, STORE_OPEN_EXISTING, &f->s, &e) < 0)
        fail_msg("%s", e.message);
    if (keyed && audit_open_key(f->s, &e) < 0)
        fail_msg("%s", e.message);
    f->c = store_acquire(f->s);
}

static int verify(struct fx *f, struct audit_report *rep)
{
    struct rerr e = {0};
    int rc = audit_verify(f->s, NULL, NULL, rep, &e);
    if (rc < 0 && rc != R_ECONFLICT)
        print_message("verify: %s\n", e.message);
    return rc;
}

static int64_t last_anchor_count(const char *db);

static void drop_triggers(struct fx *f)
{
    sql(f, "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;"
           " DROP TRIGGER IF EXISTS audit_head_no_delete");
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/ronghe-audit-%d.db", getpid());
    remove_db(f->path);
    struct rerr e = {0};
    if (audit_check_new(f->path, &e) < 0 || store_open(f->path, STORE_CREATE_NEW, &f->s, &e) < 0 ||
        audit_open_key(f->s, &e) < 0)
        fail_msg("%s", e.message);
    f->c = store_acquire(f->s);
    actor_system(&f->who);
    for (int i = 0; i < 5; i++)
        if (append_change(f, i ? "丙" : NULL, i % 2 ? "甲|乙" : "丙", &e) < 0)
            fail_msg("%s", e.message);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_release(f->c);
    audit_close(f->s);
    store_close(f->s);
    remove_db(f->path);
    free(f);
    return 0;
}

/* A new database starts with one entry (the key's), keyed and anchored. */
static void new_database_has_a_keyed_first_entry(void **state)
{
    struct fx *f = *state;
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), 0);
    assert_int_equal(rep.entries, 6);
    assert_int_equal(rep.legacy, 0);
    assert_true(rep.keyed);
    assert_true(rep.anchors >= 1);
    store_stmt *st = store_prepare(f->c, "SELECT action, entity, fmt FROM audit WHERE id = 1");
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "audit_key");
    assert_string_equal(store_col_text(st, 1), "audit");
    assert_int_equal(store_col_int(st, 2), 2);
    store_done(st);
    char key[96];
    file_of(key, sizeof key, f->path, ".audit-key");
    struct stat sb;
    assert_int_equal(stat(key, &sb), 0);
    assert_int_equal(sb.st_size, 32);
    assert_int_equal(sb.st_mode & 0777, 0600);
}

static void triggers_refuse_update_and_delete(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    assert_true(store_exec(f->c, "UPDATE audit SET after = '{}' WHERE id = 2", &e) < 0);
    assert_non_null(strstr(e.message, "审计记录不可修改"));
    assert_true(store_exec(f->c, "DELETE FROM audit WHERE id = 6", &e) < 0);
    assert_non_null(strstr(e.message, "审计记录不可删除"));
    assert_true(store_exec(f->c, "DELETE FROM meta WHERE key = 'audit_head'", &e) < 0);
    assert_int_equal(count_rows(f), 6);
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), 0);
}

static void edited_entry_is_named(void **state)
{
    struct fx *f = *state;
    drop_triggers(f);
    sql(f, "UPDATE audit SET after = replace(after, '\\u4E19', '\\u4E01') WHERE id = 4");
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), R_ECONFLICT);
    assert_int_equal(rep.first_bad, 4);
    assert_int_equal(rep.entries, 3);
}

/* Text moved from "after" to "before" across the '|' in it: before "|" after stays the
 * same string, so the old formula's hash did not change. */
static void text_moved_across_before_after_is_caught(void **state)
{
    struct fx *f = *state;
    drop_triggers(f);
    sql(f, "UPDATE audit SET before = before || '|' || substr(after, 1, instr(after, '|') - 1),"
           " after = substr(after, instr(after, '|') + 1) WHERE id = 3");
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), R_ECONFLICT);
    assert_int_equal(rep.first_bad, 3);
}

static void renumbered_chain_is_caught(void **state)
{
    struct fx *f = *state;
    drop_triggers(f);
    /* remove entry 3 and close the gap: ids, prev values and head made to agree */
    sql(f, "DELETE FROM audit WHERE id = 3;"
           "UPDATE audit SET prev_hash = (SELECT hash FROM audit WHERE id = 2) WHERE id = 4;"
           "UPDATE audit SET id = id - 1 WHERE id > 3");
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), R_ECONFLICT);
    assert_int_equal(rep.first_bad, 3);
}

static void emptied_table_without_head_is_caught(void **state)
{
    struct fx *f = *state;
    drop_triggers(f);
    sql(f, "DELETE FROM audit; DELETE FROM meta WHERE key = 'audit_head'");
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), R_ECONFLICT);
    assert_int_equal(rep.first_bad, 1);
    /* and nothing is written on top of it */
    struct rerr e = {0};
    assert_true(append(f, "x", &e) < 0);
    assert_string_equal(e.code, "audit_chain");
    assert_int_equal(count_rows(f), 0);
}

/* Emptied, head and local anchors removed, key left: a new process does not start a
 * fresh chain on top (which would verify by itself). */
static void emptied_chain_is_not_restarted(void **state)
{
    struct fx *f = *state;
    drop_triggers(f);
    sql(f, "DELETE FROM audit; DELETE FROM meta WHERE key = 'audit_head'");
    char anchors[96];
    file_of(anchors, sizeof anchors, f->path, ".audit-anchors");
    store_release(f->c);
    audit_close(f->s);
    store_close(f->s);
    unlink(anchors);
    struct rerr e = {0};
    assert_int_equal(store_open(f->path, STORE_OPEN_EXISTING, &f->s, &e), 0);
    assert_int_equal(audit_open_key(f->s, &e), R_EINTERNAL);
    assert_non_null(strstr(e.message, "没有用密钥认证的记录"));
    f->c = store_acquire(f->s);
    assert_int_equal(count_rows(f), 0);
    struct stat sb;
    assert_int_equal(stat(anchors, &sb), -1);
}

/* A lost anchors file is said so in the chain itself, and anchored anew. */
static void lost_anchors_are_recorded(void **state)
{
    struct fx *f = *state;
    char anchors[96];
    file_of(anchors, sizeof anchors, f->path, ".audit-anchors");
    store_release(f->c);
    audit_close(f->s);
    store_close(f->s);
    unlink(anchors);
    struct rerr e = {0};
    assert_int_equal(store_open(f->path, STORE_OPEN_EXISTING, &f->s, &e), 0);
    assert_int_equal(audit_open_key(f->s, &e), 0);
    f->c = store_acquire(f->s);
    store_stmt *st = store_prepare(f->c, "SELECT action, after FROM audit WHERE id = 7");
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "anchors_lost");
    assert_non_null(strstr(store_col_text(st, 1), "\"entries_before\":6"));
    store_done(st);
    assert_int_equal(last_anchor_count(f->path), 7);
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), 0);
}

/* The tail removed and an older, authentic head put back (a replay): the anchors show
 * it, and nothing is appended on top of it. */
static void truncation_to_an_old_head_is_caught_by_anchors(void **state)
{
    struct fx *f = *state;
    store_stmt *st = store_prepare(f->c, "SELECT value FROM meta WHERE key = 'audit_head'");
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    char old_head[200];
    snprintf(old_head, sizeof old_head, "%s", store_col_text(st, 0));
    store_done(st);
    struct rerr e = {0};
    assert_int_equal(append(f, "later", &e), 0);
    assert_int_equal(audit_anchor_now(f->s, NULL, &e), 0);
    drop_triggers(f);
    char q[400];
    snprintf(q, sizeof q,
             "DELETE FROM audit WHERE id = 7; UPDATE meta SET value = '%s' WHERE key = 'audit_head'",
             old_head);
    sql(f, q);
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), R_ECONFLICT);
    assert_int_equal(rep.first_bad, 7);
    assert_non_null(strstr(rep.reason, "截断"));
    assert_int_equal(append(f, "on top", &e), R_EINTERNAL);
    assert_int_equal(count_rows(f), 6);
    /* nor does a new process accept it */
    store_release(f->c);
    audit_close(f->s);
    store_close(f->s);
    assert_int_equal(store_open(f->path, STORE_OPEN_EXISTING, &f->s, &e), 0);
    assert_true(audit_open_key(f->s, &e) < 0);
    assert_non_null(strstr(e.message, "锚点"));
    f->c = store_acquire(f->s);
}

static int64_t last_anchor_count(const char *db)
{
    char p[96], line[512];
    file_of(p, sizeof p, db, ".audit-anchors");
    FILE *a = fopen(p, "r");
    int64_t n = -1;
    while (a && fgets(line, sizeof line, a))
        sscanf(line, "ronghe-audit-anchor 1 %" SCNd64, &n);
    if (a)
        fclose(a);
    return n;
}

/* The server's thread anchors after every AUDIT_ANCHOR_EVERY entries, once they commit;
 * closing anchors the rest. */
static void anchors_are_batched(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    assert_int_equal(audit_anchor_start(f->s, &e), 0);
    assert_int_equal(store_begin(f->c, &e), 0);
    for (int i = 0; i < AUDIT_ANCHOR_EVERY; i++)
        assert_int_equal(audit_append(f->c, &f->who, "create", "departments", i, 1, NULL, NULL, &e), 0);
    assert_int_equal(store_commit(f->c, &e), 0);
    int64_t want = 6 + AUDIT_ANCHOR_EVERY;
    for (int i = 0; i < 100 && last_anchor_count(f->path) != want; i++)
        usleep(50 * 1000);
    assert_int_equal(last_anchor_count(f->path), want);
    assert_int_equal(append(f, "one more", &e), 0);
    store_release(f->c);
    audit_close(f->s);
    assert_int_equal(last_anchor_count(f->path), want + 1);
    assert_int_equal(audit_open_key(f->s, &e), 0);
    f->c = store_acquire(f->s);
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), 0);
    assert_int_equal(rep.anchor_count, want + 1);
}

static void anchor_line_forged_is_caught(void **state)
{
    struct fx *f = *state;
    char p[96];
    file_of(p, sizeof p, f->path, ".audit-anchors");
    FILE *a = fopen(p, "a");
    fprintf(a, "ronghe-audit-anchor 1 3 %064d 2026-01-01T00:00:00.000Z %064d\n", 0, 0);
    fclose(a);
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), R_ECONFLICT);
    assert_non_null(strstr(rep.reason, "校验码不符"));
}

/* The head as stored (meta.audit_head), into "out". */
static void stored_head(struct fx *f, char *out, size_t cap)
{
    store_stmt *st = store_prepare(f->c, "SELECT value FROM meta WHERE key = 'audit_head'");
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    snprintf(out, cap, "%s", store_col_text(st, 0));
    store_done(st);
}

static void batch_append(struct fx *f, const char *what)
{
    struct rerr e = {0};
    json_t *after = json_pack("{s:s}", "name", what);
    if (audit_append(f->c, &f->who, "create", "departments", 1, 1, NULL, after, &e) < 0)
        fail_msg("%s", e.message);
    json_decref(after);
}

/* A batch chains its entries in memory and writes the head once, at its end: the chain
 * verifies whole, also after a savepoint inside it was rolled back; a batch that ends
 * unkept (a rolled-back import) leaves the head as it was; and a batch does not start on
 * a tail that disagrees with the head. */
static void batch_chains_in_memory(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    char before[200], during[200], after[200];
    stored_head(f, before, sizeof before);
    assert_int_equal(store_begin(f->c, &e), 0);
    assert_int_equal(audit_batch_begin(f->c, &e), 0);
    batch_append(f, "一");
    batch_append(f, "二");
    stored_head(f, during, sizeof during);
    assert_string_equal(during, before); /* not written per entry */
    sql(f, "SAVEPOINT row");
    batch_append(f, "废");
    sql(f, "ROLLBACK TO row; RELEASE row");
    assert_int_equal(audit_batch_rewound(f->c, &e), 0);
    batch_append(f, "三");
    assert_int_equal(audit_batch_end(f->c, true, &e), 0);
    assert_int_equal(store_commit(f->c, &e), 0);
    stored_head(f, after, sizeof after);
    assert_string_not_equal(after, before);
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), 0);
    assert_int_equal(rep.entries, 9); /* six, then 一 二 三 */
    /* an append after the batch chains to the head the batch wrote */
    assert_int_equal(append(f, "四", &e), 0);
    assert_int_equal(verify(f, &rep), 0);
    assert_int_equal(rep.entries, 10);

    /* ended unkept and rolled back: nothing changed */
    stored_head(f, before, sizeof before);
    assert_int_equal(store_begin(f->c, &e), 0);
    assert_int_equal(audit_batch_begin(f->c, &e), 0);
    batch_append(f, "五");
    assert_int_equal(audit_batch_end(f->c, false, &e), 0);
    store_rollback(f->c);
    stored_head(f, after, sizeof after);
    assert_string_equal(after, before);
    assert_int_equal(count_rows(f), 10);
    assert_int_equal(verify(f, &rep), 0);

    /* a removed last entry is refused when the batch begins, as by a single append */
    drop_triggers(f);
    sql(f, "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)");
    assert_int_equal(store_begin(f->c, &e), 0);
    assert_true(audit_batch_begin(f->c, &e) < 0);
    assert_string_equal(e.code, "audit_chain");
    store_rollback(f->c);
}

/* Without its key a store writes nothing; a keyed chain whose key file is gone is not
 * opened for writing, and verify says it cannot check rather than "intact". */
static void no_key_no_writes(void **state)
{
    struct fx *f = *state;
    struct rerr e = {0};
    reopen(f, false);
    assert_int_equal(append(f, "unkeyed", &e), R_EINTERNAL);
    assert_string_equal(e.code, "audit_key");
    assert_int_equal(count_rows(f), 6);

    char key[96], saved[100];
    file_of(key, sizeof key, f->path, ".audit-key");
    file_of(saved, sizeof saved, f->path, ".saved");
    assert_int_equal(rename(key, saved), 0);
    store *s2;
    assert_int_equal(store_open(f->path, STORE_OPEN_EXISTING, &s2, &e), 0);
    assert_int_equal(audit_open_key(s2, &e), R_EINTERNAL);
    assert_non_null(strstr(e.message, "缺失"));
    struct audit_report rep;
    assert_int_equal(audit_verify(s2, NULL, NULL, &rep, &e), R_ENOTFOUND);
    /* the key given from where it is kept */
    assert_int_equal(audit_verify(s2, saved, NULL, &rep, &e), 0);
    store_close(s2);
    struct stat sb;
    assert_int_equal(stat(key, &sb), -1); /* no new key was made */
    assert_int_equal(rename(saved, key), 0);
    chmod(key, 0644);
    assert_int_equal(store_open(f->path, STORE_OPEN_EXISTING, &s2, &e), 0);
    assert_int_equal(audit_open_key(s2, &e), R_EINVAL);
    assert_non_null(strstr(e.message, "权限"));
    store_close(s2);
    chmod(key, 0600);
}

/* ------------------------------------------------------------------ an earlier build's database */

static void legacy_hash_hex(const char *prev, int64_t id, const char *after, char out[65])
{
    char text[1024];
    snprintf(text, sizeof text,
             "%s|%" PRId64 "|2025-01-01T00:00:00.000Z|0|system|create|departments|%" PRId64 "|1||%s|", prev,
             id, id, after);
    unsigned char d[32];
    crypto_hash_sha256(d, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(out, 65, d, sizeof d);
}

/* Make "f" hold what an earlier build wrote: "n" format-1 entries and a format-1 head,
 * no anchors, and no key unless "keep_key". */
static void make_legacy(struct fx *f, int n, bool keep_key)
{
    drop_triggers(f);
    sql(f, "DELETE FROM audit; DELETE FROM meta WHERE key = 'audit_head'");
    char prev[65], hash[65], q[1024];
    memset(prev, '0', 64);
    prev[64] = 0;
    for (int i = 1; i <= n; i++) {
        char after[64];
        snprintf(after, sizeof after, "{\"name\":\"旧%d\"}", i);
        legacy_hash_hex(prev, i, after, hash);
        snprintf(
            q, sizeof q,
            "INSERT INTO audit(id, ts, user_id, username, action, entity, entity_id, procuratorate_id,"
            " before, after, prev_hash, hash, fmt) VALUES (%d, '2025-01-01T00:00:00.000Z', NULL, 'system',"
            " 'create', 'departments', %d, 1, NULL, '%s', '%s', '%s', 1)",
            i, i, after, prev, hash);
        sql(f, q);
        memcpy(prev, hash, sizeof prev);
    }
    snprintf(q, sizeof q, "INSERT INTO meta(key, value) VALUES ('audit_head', '%d:%s')", n, prev);
    sql(f, q);
    store_release(f->c);
    audit_close(f->s);
    store_close(f->s);
    char anchors[96];
    file_of(anchors, sizeof anchors, f->path, ".audit-anchors");
    unlink(anchors);
    if (!keep_key)
        audit_remove_files(f->path);
    struct rerr e = {0};
    if (store_open(f->path, STORE_OPEN_EXISTING, &f->s, &e) < 0)
        fail_msg("%s", e.message);
    f->c = store_acquire(f->s);
}

static void legacy_database_is_keyed_on_first_open(void **state)
{
    struct fx *f = *state;
    make_legacy(f, 4, false);
    struct audit_report rep;
    /* before: verified by the old formula, said to be so */
    assert_int_equal(verify(f, &rep), 0);
    assert_int_equal(rep.entries, 4);
    assert_int_equal(rep.legacy, 4);
    assert_false(rep.keyed);
    /* the first open for writing makes the key and a first keyed entry */
    reopen(f, true);
    assert_int_equal(verify(f, &rep), 0);
    assert_int_equal(rep.entries, 5);
    assert_int_equal(rep.legacy, 4);
    assert_true(rep.keyed);
    store_stmt *st = store_prepare(f->c, "SELECT action, after FROM audit WHERE id = 5");
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "audit_key");
    assert_non_null(strstr(store_col_text(st, 1), "\"legacy_entries\":4"));
    store_done(st);
    struct rerr e = {0};
    assert_int_equal(append(f, "new", &e), 0);
    assert_int_equal(verify(f, &rep), 0);
    assert_int_equal(rep.entries, 6);
}

/* An old-format entry after the first keyed one is refused, even one whose old hash is
 * right; so is a whole chain recomputed by the old formula while the key exists. */
static void legacy_after_keyed_is_refused(void **state)
{
    struct fx *f = *state;
    make_legacy(f, 2, false);
    reopen(f, true); /* entry 3 is the key's */
    drop_triggers(f);
    store_stmt *st = store_prepare(f->c, "SELECT hash FROM audit WHERE id = 3");
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    char prev[65], hash[65], q[1024];
    snprintf(prev, sizeof prev, "%s", store_col_text(st, 0));
    store_done(st);
    legacy_hash_hex(prev, 4, "{\"name\":\"forged\"}", hash);
    snprintf(q, sizeof q,
             "INSERT INTO audit(id, ts, user_id, username, action, entity, entity_id, procuratorate_id,"
             " before, after, prev_hash, hash, fmt) VALUES (4, '2025-01-01T00:00:00.000Z', NULL, 'system',"
             " 'create', 'departments', 4, 1, NULL, '{\"name\":\"forged\"}', '%s', '%s', 1);"
             "UPDATE meta SET value = '4:%s' WHERE key = 'audit_head'",
             prev, hash, hash);
    sql(f, q);
    struct audit_report rep;
    assert_int_equal(verify(f, &rep), R_ECONFLICT);
    assert_int_equal(rep.first_bad, 4);
    assert_non_null(strstr(rep.reason, "旧格式"));

    /* the whole chain recomputed by the old formula; the key file, which the attacker
     * cannot read, left where it is (and the anchors removed) */
    reopen(f, false);
    make_legacy(f, 3, true);
    assert_int_equal(verify(f, &rep), R_ECONFLICT);
    assert_non_null(strstr(rep.reason, "没有用密钥认证的记录"));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encode_fixed_vector),
        cmocka_unit_test(encode_is_unambiguous),
        cmocka_unit_test(encode_bounded_and_total),
        cmocka_unit_test_setup_teardown(new_database_has_a_keyed_first_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(triggers_refuse_update_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(edited_entry_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(text_moved_across_before_after_is_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(renumbered_chain_is_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(emptied_table_without_head_is_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(emptied_chain_is_not_restarted, setup, teardown),
        cmocka_unit_test_setup_teardown(lost_anchors_are_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(truncation_to_an_old_head_is_caught_by_anchors, setup, teardown),
        cmocka_unit_test_setup_teardown(anchors_are_batched, setup, teardown),
        cmocka_unit_test_setup_teardown(anchor_line_forged_is_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(batch_chains_in_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(no_key_no_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(legacy_database_is_keyed_on_first_open, setup, teardown),
        cmocka_unit_test_setup_teardown(legacy_after_keyed_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests_name("auth/audit", tests, NULL, NULL);
}
