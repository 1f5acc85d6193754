/*
 * demo_signals.c: the demo's ledgers as people would have entered them, and a few records
 * that a run of the evaluation then raises as formalism signals (示例, for the 形式化信号
 * page; domain/eval_signals.c detects them):
 *
 *   - every record of the ledgers 补录 and 突击 count was entered (created_at) within
 *     three days of the day it describes, not on the day the demo was made;
 *   - 纪要雷同: the 2025 三季度 支部党员大会 of the fourth branch copies the minutes of
 *     the second branch's 二季度 one (its secretary's name changed), and the seventh
 *     branch's 四季度 minutes copy its own 三季度 ones;
 *   - 补录: the fifth branch's meetings of 2025-07..09 were entered in one batch on
 *     2025-11-20;
 *   - 突击: the ninth branch's records of 2025-10-15 onwards were all entered in the last
 *     week of December, just before the year's deadline.
 *
 * Direct SQL inside the demo's transaction (created_at is the server's, never a body's):
 * the rows stay sample = 1 like every demo record.
 */
#include <stdio.h>

#include "base/log.h"
#include "demo/demo.h"
#include "domain/resource.h"
#include "store/store.h"

static void exec(struct res_ctx *x, const char *sql)
{
    store_stmt *st;
    struct rerr err = {0};
    if (store_prepare_built(x->c, sql, &st, &err) < 0)
        die("演示数据：%s", err.message);
    if (store_step(st, &err) < 0)
        die("演示数据：%s", err.message);
    store_done(st);
}

/* The id of the "k"-th branch (0-based, in id order), or 0. */
static int64_t nth_branch(struct res_ctx *x, int k)
{
    store_stmt *st = store_prepare(x->c, "SELECT id FROM branches ORDER BY id LIMIT 1 OFFSET ?");
    store_bind_int(st, 1, k);
    int64_t id = store_step(st, NULL) == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    return id;
}

/* The first 支部党员大会 with minutes of "branch" held in [from, to), or 0. */
static int64_t meeting(struct res_ctx *x, int64_t branch, const char *from, const char *to)
{
    store_stmt *st =
        store_prepare(x->c, "SELECT id FROM activities WHERE branch_id = ? AND kind = '支部党员大会'"
                            " AND minutes IS NOT NULL AND held_on >= ? AND held_on < ?"
                            " ORDER BY held_on, id LIMIT 1");
    store_bind_int(st, 1, branch);
    store_bind_text(st, 2, from);
    store_bind_text(st, 3, to);
    int64_t id = store_step(st, NULL) == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    return id;
}

/* Meeting "dst" takes the minutes of "src", the secretary's name and the date changed. */
static void copy_minutes(struct res_ctx *x, int64_t src, int64_t dst)
{
    if (!src || !dst)
        return;
    store_stmt *st = store_prepare(
        x->c, "UPDATE activities SET minutes = (SELECT replace(replace(s.minutes, coalesce(s.speaker, ''),"
              " coalesce(d.speaker, '')), substr(s.minutes, 1, instr(s.minutes, '日') ),"
              " CAST(substr(d.held_on, 1, 4) AS INTEGER) || '年' || CAST(substr(d.held_on, 6, 2) AS INTEGER) "
              "|| '月'"
              " || CAST(substr(d.held_on, 9, 2) AS INTEGER) || '日')"
              " FROM activities s, activities d WHERE s.id = ?1 AND d.id = ?2) WHERE id = ?2");
    store_bind_int(st, 1, src);
    store_bind_int(st, 2, dst);
    if (store_step(st, NULL) < 0)
        die("演示数据：复制会议记录失败");
    store_done(st);
}

void demo_build_signals(struct demo *d)
{
    struct res_ctx *x = demo_ctx(d);
    /* entered within three days of the day described, in office hours (Beijing 09:xx) */
    static const char *const colls[] = {"activities",       "element-checks", "project-outcomes",
                                        "pairing-progress", "patrols",        "outreach"};
    for (size_t c = 0; c < sizeof colls / sizeof colls[0]; c++) {
        const struct resource *r = res_find(colls[c]);
        if (!r || !r->date)
            continue;
        exec(x, arena_printf(
                    x->a,
                    "UPDATE %s AS t SET created_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', %s,"
                    " '+' || (t.id %% 4) || ' days', '+1 hours', '+' || (t.id * 7 %% 59) || ' minutes'),"
                    " updated_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', %s, '+' || (t.id %% 4) || ' days',"
                    " '+1 hours', '+' || (t.id * 7 %% 59) || ' minutes')"
                    " WHERE t.sample = 1 AND %s IS NOT NULL",
                    r->table, r->date, r->date, r->date));
    }
    int64_t b2 = nth_branch(x, 1), b4 = nth_branch(x, 3), b5 = nth_branch(x, 4), b7 = nth_branch(x, 6),
            b9 = nth_branch(x, 8);
    /* 纪要雷同 */
    copy_minutes(x, meeting(x, b2, "2025-04-01", "2025-07-01"), meeting(x, b4, "2025-07-01", "2025-10-01"));
    copy_minutes(x, meeting(x, b7, "2025-07-01", "2025-10-01"), meeting(x, b7, "2025-10-01", "2026-01-01"));
    /* 补录: one batch on 2025-11-20 */
    exec(x,
         arena_printf(
             x->a,
             "UPDATE activities SET created_at = '2025-11-20T07:' || printf('%%02d', id %% 60) || ':00.000Z'"
             " WHERE branch_id = %lld AND held_on >= '2025-07-01' AND held_on < '2025-10-01'",
             (long long)b5));
    /* 突击: everything from 2025-10-15 entered on 2025-12-26..30 */
    for (size_t c = 0; c < sizeof colls / sizeof colls[0]; c++) {
        const struct resource *r = res_find(colls[c]);
        if (!r || !r->date)
            continue;
        exec(x, arena_printf(x->a,
                             "UPDATE %s AS t SET created_at = '2025-12-' || (26 + t.id %% 5) || 'T02:'"
                             " || printf('%%02d', t.id %% 60) || ':00.000Z' WHERE t.branch_id = %lld"
                             " AND %s >= '2025-10-15' AND %s < '2026-01-01'",
                             r->table, (long long)b9, r->date, r->date));
    }
}
