/*
 * demo_eval.c: the demo's evaluation — the default scheme (docs/schemes/default.scheme,
 * embedded) saved as the city's, its hand-entered 述职评议 results for each branch and
 * procuratorate and year (each with its evidence, approved by the city's administrator;
 * for three branches the 2025 result still awaits approval, so the page has work to
 * show), the members' and party groups' scheme (docs/schemes/member.scheme) with its
 * hand-entered 民主评议 of every member and 党小组评议 of every party group, and runs of both over
 * 2024 and 2025 (the default scheme's last, so that it is the newest of the branches), so that the ranking,
 * the explanations and the dashboard have results from the first start, with movement between the two years.
 * Through the same paths as a user's (res_create, the approve action, eval_run).
 */
#include <stdio.h>
#include <stdlib.h>
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

static const char *const PERIODS[] = {"2024", "2025"};

/* Enter hand value "value" of indicator "indicator" for subject (kind, id) in "period",
 * with evidence "note", and have "approver" approve it unless "hold". */
static int enter(struct res_ctx *x, struct res_ctx *approver, int64_t scheme, const char *kind, int64_t id,
                 const char *indicator, const char *period, const char *value, const char *note, bool hold,
                 struct rerr *err)
{
    const struct res_action *approve = NULL;
    for (const struct res_action *a = res_eval_manual_values.actions; a && a->method; a++)
        if (!strcmp(a->name, "approve"))
            approve = a;
    CHECK(approve);
    /* a branch is named by branch_id, the other subjects by subject_id */
    json_t *body = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:b}", "subject_kind", kind,
                             strcmp(kind, "branch") ? "subject_id" : "branch_id", (json_int_t)id, "scheme_id",
                             (json_int_t)scheme, "indicator", indicator, "period", period, "value", value,
                             "evidence_note", note, "sample", 1);
    json_t *out = NULL;
    int rc = res_create(x, &res_eval_manual_values, body, &out, err);
    json_decref(body);
    int64_t made = rc == 0 ? res_int(out, "id") : 0;
    json_decref(out);
    if (rc == 0 && !hold) {
        json_t *done = NULL;
        rc = approve->run(approver, made, NULL, &done, err);
        json_decref(done);
    }
    return rc;
}

/* 述职评议 of every procuratorate (its 党组书记's) for 2024 and 2025 (示例). */
static int procuratorate_values(struct res_ctx *x, struct res_ctx *approver, int64_t scheme, struct rerr *err)
{
    store_stmt *st = store_prepare(x->c, "SELECT id FROM procuratorates ORDER BY id");
    int64_t ids[32];
    int n = 0, rc;
    while ((rc = store_step(st, err)) == STORE_ROW && n < 32)
        ids[n++] = store_col_int(st, 0);
    store_done(st);
    for (int i = 0; rc >= 0 && i < n; i++)
        for (int y = 0; rc >= 0 && y < 2; y++) {
            char value[16], note[256];
            snprintf(value, sizeof value, "%.1f", 84 + 12 * demo_noise((uint32_t)ids[i] + 101, (uint32_t)y));
            snprintf(note, sizeof note, "%s年度党组书记抓党建述职评议会议记录及测评汇总表（示例）",
                     PERIODS[y]);
            rc = enter(x, approver, scheme, "procuratorate", ids[i], "述职评议", PERIODS[y], value, note,
                       false, err);
        }
    return rc < 0 ? rc : 0;
}

/* 民主评议 of every member and 党小组评议 of every party group for 2024 and 2025 (示例), for
 * the members' scheme "scheme": most members 合格, some 优秀, a few 基本合格. */
static int people_values(struct res_ctx *x, struct res_ctx *approver, int64_t scheme, struct rerr *err)
{
    static const char *const kinds[] = {"member", "party_group"};
    static const char *const sql[] = {"SELECT id FROM members ORDER BY id",
                                      "SELECT id FROM party_groups ORDER BY id"};
    int rc = 0;
    for (int k = 0; rc >= 0 && k < 2; k++) {
        store_stmt *st = store_prepare(x->c, sql[k]);
        size_t n = 0, cap = 256;
        int64_t *ids = malloc(cap * sizeof *ids);
        if (!ids)
            die("内存不足");
        while ((rc = store_step(st, err)) == STORE_ROW) {
            if (n == cap) {
                cap *= 2;
                ids = realloc(ids, cap * sizeof *ids);
                if (!ids)
                    die("内存不足");
            }
            ids[n++] = store_col_int(st, 0);
        }
        store_done(st);
        for (size_t i = 0; rc >= 0 && i < n; i++)
            for (int y = 0; rc >= 0 && y < 2; y++) {
                double d = demo_noise((uint32_t)ids[i] + (k ? 7000u : 3000u), (uint32_t)y);
                char value[16], note[256];
                if (k == 0) {
                    snprintf(value, sizeof value, "%d", d < 0.15 ? 95 : d < 0.95 ? 85 : 70);
                    snprintf(note, sizeof note, "%s年度民主评议党员测评表（示例）", PERIODS[y]);
                } else {
                    snprintf(value, sizeof value, "%.1f", 78 + 18 * d);
                    snprintf(note, sizeof note, "%s年度支委会评价党小组工作记录（示例）", PERIODS[y]);
                }
                rc = enter(x, approver, scheme, kinds[k], ids[i], k ? "党小组评议" : "民主评议", PERIODS[y],
                           value, note, false, err);
            }
        free(ids);
    }
    return rc < 0 ? rc : 0;
}

/* 述职评议 of every branch for 2024 and 2025: a score from its party life's profile (示例),
 * entered by the demo and approved by the city's administrator "approver". */
static int manual_values(struct res_ctx *x, struct res_ctx *approver, int64_t scheme, struct rerr *err)
{
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
                     PERIODS[y]);
            rc = enter(x, approver, scheme, "branch", b[i].id, "述职评议", PERIODS[y], value, note,
                       pending(b[i].name, PERIODS[y]), err);
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
    if (rc == 0)
        rc = procuratorate_values(&x, &ax, scheme, err);
    if (rc == 0)
        rc = people_values(&x, &ax, members, err);
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
