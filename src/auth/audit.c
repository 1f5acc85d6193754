#include "auth/audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/text.h"

static const char zero_hash[] = "0000000000000000000000000000000000000000000000000000000000000000";

struct entry {
    int64_t id;
    const char *ts;
    int64_t user_id;
    const char *username, *action, *entity;
    int64_t entity_id, proc_id;
    const char *before, *after;
};

static void feed(crypto_hash_sha256_state *h, const char *s)
{
    crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
    crypto_hash_sha256_update(h, (const unsigned char *)"|", 1);
}

static void entry_hash(const char *prev, const struct entry *e, char out[65])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    char num[32];
    feed(&h, prev);
    snprintf(num, sizeof num, "%" PRId64, e->id);
    feed(&h, num);
    feed(&h, e->ts);
    snprintf(num, sizeof num, "%" PRId64, e->user_id);
    feed(&h, num);
    feed(&h, e->username);
    feed(&h, e->action);
    feed(&h, e->entity);
    snprintf(num, sizeof num, "%" PRId64, e->entity_id);
    feed(&h, num);
    snprintf(num, sizeof num, "%" PRId64, e->proc_id);
    feed(&h, num);
    feed(&h, e->before ? e->before : "");
    feed(&h, e->after ? e->after : "");
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(out, 65, d, sizeof d);
}

static char *dump(json_t *j)
{
    return j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
}

int audit_append(store_conn *c, const struct actor *who, const char *action, const char *entity,
                 int64_t entity_id, int64_t procuratorate_id, json_t *before, json_t *after, struct rerr *err)
{
    char prev[65];
    int64_t last_id = 0;
    store_stmt *st = store_prepare(c, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
    int rc = store_step(st, err);
    if (rc < 0)
        return rc;
    if (rc == STORE_ROW) {
        last_id = store_col_int(st, 0);
        snprintf(prev, sizeof prev, "%s", store_col_text(st, 1));
    } else {
        memcpy(prev, zero_hash, sizeof prev);
    }
    store_done(st);

    char ts[32];
    text_now(ts);
    char *b = dump(before), *a = dump(after);
    struct entry e = {.id = last_id + 1,
                      .ts = ts,
                      .user_id = who->user_id,
                      .username = who->username,
                      .action = action,
                      .entity = entity,
                      .entity_id = entity_id,
                      .proc_id = procuratorate_id,
                      .before = b,
                      .after = a};
    char hash[65];
    entry_hash(prev, &e, hash);

    st = store_prepare(c, "INSERT INTO audit(id, ts, user_id, username, action, entity, entity_id,"
                          " procuratorate_id, before, after, prev_hash, hash)"
                          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    store_bind_int(st, 1, e.id);
    store_bind_text(st, 2, ts);
    if (who->user_id)
        store_bind_int(st, 3, who->user_id);
    store_bind_text(st, 4, who->username);
    store_bind_text(st, 5, action);
    store_bind_text(st, 6, entity);
    store_bind_int(st, 7, entity_id);
    store_bind_int(st, 8, procuratorate_id);
    store_bind_text(st, 9, b);
    store_bind_text(st, 10, a);
    store_bind_text(st, 11, prev);
    store_bind_text(st, 12, hash);
    rc = store_step(st, err);
    store_done(st);
    free(b);
    free(a);
    if (rc < 0)
        return rc;

    char head[96];
    snprintf(head, sizeof head, "%" PRId64 ":%s", e.id, hash);
    st = store_prepare(c, "INSERT INTO meta(key, value) VALUES ('audit_head', ?)"
                          " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    store_bind_text(st, 1, head);
    rc = store_step(st, err);
    store_done(st);
    return rc < 0 ? rc : 0;
}

int audit_verify(store_conn *c, struct audit_report *rep, struct rerr *err)
{
    memset(rep, 0, sizeof *rep);
    char prev[65];
    memcpy(prev, zero_hash, sizeof prev);
    int64_t expect_id = 1;
    if (store_begin_read(c, err) < 0)
        return err->rc;
    store_stmt *st = store_prepare(c, "SELECT id, ts, coalesce(user_id, 0), username, action, entity,"
                                      " entity_id, procuratorate_id, before, after, prev_hash, hash"
                                      " FROM audit ORDER BY id");
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct entry e = {
            .id = store_col_int(st, 0),
            .ts = store_col_text(st, 1),
            .user_id = store_col_int(st, 2),
            .username = store_col_text(st, 3),
            .action = store_col_text(st, 4),
            .entity = store_col_text(st, 5),
            .entity_id = store_col_int(st, 6),
            .proc_id = store_col_int(st, 7),
            .before = store_col_type(st, 8) == STORE_NULL ? NULL : store_col_text(st, 8),
            .after = store_col_type(st, 9) == STORE_NULL ? NULL : store_col_text(st, 9),
        };
        const char *stored_prev = store_col_text(st, 10);
        const char *stored_hash = store_col_text(st, 11);
        if (e.id != expect_id) {
            rep->first_bad = expect_id;
            snprintf(rep->reason, sizeof rep->reason, "第 %" PRId64 " 条记录缺失（链在此处断开）", expect_id);
            break;
        }
        if (strcmp(stored_prev, prev) != 0) {
            rep->first_bad = e.id;
            snprintf(rep->reason, sizeof rep->reason, "第 %" PRId64 " 条记录的前序哈希与上一条不符", e.id);
            break;
        }
        char h[65];
        entry_hash(prev, &e, h);
        if (strcmp(h, stored_hash) != 0) {
            rep->first_bad = e.id;
            snprintf(rep->reason, sizeof rep->reason, "第 %" PRId64 " 条记录的内容已被修改（哈希不符）",
                     e.id);
            break;
        }
        memcpy(prev, h, sizeof prev);
        rep->entries++;
        expect_id++;
    }
    store_done(st);
    if (rc < 0) {
        store_rollback(c);
        return rc;
    }
    if (!rep->first_bad) {
        /* The head marker catches entries removed from the end of the chain. */
        st = store_prepare(c, "SELECT value FROM meta WHERE key = 'audit_head'");
        rc = store_step(st, err);
        if (rc == STORE_ROW) {
            char expect[96];
            snprintf(expect, sizeof expect, "%" PRId64 ":%s", rep->entries, prev);
            if (strcmp(expect, store_col_text(st, 0)) != 0) {
                rep->first_bad = rep->entries + 1;
                snprintf(rep->reason, sizeof rep->reason,
                         "链尾与记录的链头不符：第 %" PRId64 " 条之后的记录被删除或链头被篡改", rep->entries);
            }
        } else if (rc == STORE_DONE && rep->entries > 0) {
            rep->first_bad = 1;
            snprintf(rep->reason, sizeof rep->reason, "链头标记缺失");
        }
        store_done(st);
    }
    store_rollback(c);
    return rep->first_bad ? R_ECONFLICT : 0;
}
