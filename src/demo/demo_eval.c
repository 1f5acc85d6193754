/*
 * demo_eval.c: the demo's evaluation — the default scheme (docs/schemes/default.scheme,
 * embedded) saved as the city's, and run over 2024 and 2025, so that the ranking, the
 * explanations and the dashboard have results from the first start, with movement
 * between the two years. Through the same paths as a user's (res_create, eval_run).
 */
#include <stdio.h>

#include "auth/actor.h"
#include "base/log.h"
#include "demo/demo.h"
#include "domain/evaluation.h"
#include "domain/resource.h"

extern const char ronghe_default_scheme[];

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
    json_t *body = json_pack("{s:I, s:s, s:s, s:s, s:b}", "procuratorate_id", (json_int_t)city, "name",
                             "通辽市检察机关党建与业务融合考评方案", "text", ronghe_default_scheme, "note",
                             "默认方案：政治、业务、创新、协作四个维度（示例）", "sample", 1);
    json_t *out = NULL;
    rc = rc < 0 ? rc : res_create(&x, &res_eval_schemes, body, &out, err);
    json_decref(body);
    int64_t scheme = rc == 0 ? res_int(out, "id") : 0;
    json_decref(out);
    const char *periods[] = {"2024", "2025"};
    for (int i = 0; rc == 0 && i < 2; i++) {
        json_t *summary = NULL;
        rc = eval_run(&x, scheme, periods[i], NULL, &summary, err);
        json_decref(summary);
    }
    arena_free(x.a);
    store_release(c);
    return rc;
}
