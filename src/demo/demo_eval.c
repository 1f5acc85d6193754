/*
 * demo_eval.c: the demo's evaluation — the default scheme (docs/schemes/default.scheme,
 * embedded) saved as the city's, its hand-entered 述职评议 results for each branch and
 * year (each with its evidence, approved by the city's administrator; for three
 * branches the 2025 result still awaits approval, so the page has work to show), the
 * members' and party groups' scheme (docs/schemes/member.scheme), and runs of both over
 * 2024 and 2025 (the default scheme's last, so that it is the newest of the branches), so that the ranking,
 * the explanations and the dashboard have results from the first start, with movement between the two years.
 * Through the same paths as a user's (res_create, the approve action, eval_run).
 */
#include <stdio.h>
#include <string.h>

#include "auth/actor.h"
#include "auth/session.h"
#include "base/log.h"
#include "demo/demo.h"
#include "demo/profile.h"
#include "domain/evaluation.h"
#include "domain/resource.h"

extern const char ronghe_default_scheme[], ronghe_member_scheme[];

/* The 2025 述职评议 results still 待审核 in the demo (示例). */
static const char *const PENDING[] = {"开鲁县人民检察院第二党支部", "奈曼旗人民检察院第二党支部",
                                      "霍林郭勒市人民检察院党支部"};

static bool pending(const char *branch, const char *period)
{
    for (size_t i = 0; i < sizeof PENDING / sizeof PENDING[0]; i++)
        if (!strcmp(period, "2025") && !strcmp(branch, PENDING[i]))
            return true;
    return false;
}

/* 述职评议 of every branch for 2024 and 2025: a score from its party life's profile (示例),
 * entered by the demo and approved by the city's administrator "approver". */
static int manual_values(struct res_ctx *x, struct res_ctx *approver, int64_t scheme, struct rerr *err)
{
    const struct res_action *approve = NULL;
    for (const struct res_action *a = res_eval_manual_values.actions; a && a->method; a++)
        if (!strcmp(a->name, "approve"))
            approve = a;
    CHECK(approve);
    store_stmt *st = store_prepare(x->c, "SELECT id, name FROM branches ORDER BY id");
    struct {
        int64_t id;
        char name[128];
    } b[64];
    int n = 0, rc;
    while ((rc = store_step(st, err)) == STORE_ROW && n < 64) {
        b[n].id = store_col_int(st, 0);
        snprintf(b[n].name, sizeof b[n].name, "%s", store_col_text(st, 1));
        n++;
    }
    store_done(st);
    static const char *const periods[] = {"2024", "2025"};
    for (int i = 0; rc >= 0 && i < n; i++)
        for (int y = 0; rc >= 0 && y < 2; y++) {
            const struct demo_profile *p = demo_profile_by_name(b[i].name);
            double party = 0.6;
            if (p) {
                party = 0;
                for (int m = y * 12; m < y * 12 + 12; m++)
                    party += p->party[m] / 12;
            }
            char value[16];
            snprintf(value, sizeof value, "%.1f",
                     72 + 24 * party + 4 * demo_noise((uint32_t)b[i].id, (uint32_t)y));
            char note[256];
            snprintf(note, sizeof note, "%s年度支部书记抓党建述职评议会议记录及测评汇总表（示例）",
                     periods[y]);
            json_t *body = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:b}", "branch_id", (json_int_t)b[i].id,
                                     "scheme_id", (json_int_t)scheme, "indicator", "述职评议", "period",
                                     periods[y], "value", value, "evidence_note", note, "sample", 1);
            json_t *out = NULL;
            rc = res_create(x, &res_eval_manual_values, body, &out, err);
            json_decref(body);
            int64_t id = rc == 0 ? res_int(out, "id") : 0;
            json_decref(out);
            if (rc == 0 && !pending(b[i].name, periods[y])) {
                json_t *done = NULL;
                rc = approve->run(approver, id, NULL, &done, err);
                json_decref(done);
            }
        }
    return rc < 0 ? rc : 0;
}

/* Save scheme "text" as the city's, named "name", into *id. */
static int save_scheme(struct res_ctx *x, int64_t city, const char *name, const char *text, const char *note,
                       int64_t *id, struct rerr *err)
{
    json_t *body = json_pack("{s:I, s:s, s:s, s:s, s:b}", "procuratorate_id", (json_int_t)city, "name", name,
                             "text", text, "note", note, "sample", 1);
    json_t *out = NULL;
    int rc = res_create(x, &res_eval_schemes, body, &out, err);
    json_decref(body);
    *id = rc == 0 ? res_int(out, "id") : 0;
    json_decref(out);
    return rc;
}

int demo_evaluation(struct store *st, struct rerr *err)
{
    struct actor who;
    actor_system(&who);
    snprintf(who.username, sizeof who.username, "%s", "demo");
    store_conn *c = store_acquire(st);
    struct res_ctx x = {.c = c, .who = &who, .a = arena_new()};
    store_stmt *q = store_prepare(c, "SELECT min(id) FROM procuratorates WHERE level = 1");
    int rc = store_step(q, err);
    int64_t city = rc == STORE_ROW ? store_col_int(q, 0) : 0;
    store_done(q);
    /* the members' and party groups' scheme first, so that the default is the newest saved
     * (the one `ronghe eval run` takes when no --scheme is given) */
    int64_t members = 0, scheme = 0;
    if (rc >= 0)
        rc = save_scheme(&x, city, "党员和党小组考评方案", ronghe_member_scheme,
                         "评价党员个人和党小组（示例）", &members, err);
    if (rc == 0)
        rc = save_scheme(&x, city, "通辽市检察机关党建与业务融合考评方案", ronghe_default_scheme,
                         "默认方案：政治、业务、创新、协作四个维度（示例）", &scheme, err);
    /* the city's administrator (the demo's first account) approves what the demo entered */
    struct actor admin;
    struct res_ctx ax = {.c = c, .who = &admin, .a = x.a};
    q = store_prepare(c, "SELECT min(id) FROM users WHERE role = 'admin' AND procuratorate_id = ?");
    store_bind_int(q, 1, city);
    int64_t admin_id = rc == 0 && store_step(q, err) == STORE_ROW ? store_col_int(q, 0) : 0;
    store_done(q);
    if (rc == 0)
        rc = actor_load(c, admin_id, &admin, err);
    if (rc == 0)
        rc = manual_values(&x, &ax, scheme, err);
    const char *periods[] = {"2024", "2025"};
    for (int i = 0; rc == 0 && i < 4; i++) {
        json_t *summary = NULL;
        rc = eval_run(&x, i < 2 ? members : scheme, periods[i % 2], NULL, &summary, err);
        json_decref(summary);
    }
    arena_free(x.a);
    store_release(c);
    return rc;
}
