/*
 * demo_service: two years (2024-01 .. 2025-12) of 12309 requests for every demo branch,
 * all 示例 (the article gives no such figures). How many a month follows the branch's
 * business intensity (demo/profile.h); replies, results, closing, follow-up visits and
 * reviews are dated in working days from the holidays table, as staff would date them.
 *
 * 科尔沁区第三党支部 (KEQ3) answers every request within its 7 working days and every
 * result within 3 months, and no requester rates it 不满意: its "0差评" is measured by
 * GET /request-rates like anyone's. The others now and then answer late, leave a matter
 * open past its deadline, or get a bad review.
 */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "demo/demo.h"
#include "demo/profile.h"
#include "domain/resource.h"
#include "domain/service.h"
#include "domain/workdays.h"
#include "store/store.h"

#define PER_MONTH 3.6 /* requests a month of a branch at business intensity 1 */

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                       "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
                                       "何", "高", "林", "包", "白", "宝", "韩", "乌"};
static const char *const given[] = {"建国", "秀英", "桂兰",   "志强",   "海军",     "丽娜", "玉梅",
                                    "春生", "金花", "巴特尔", "其其格", "斯琴",     "晓东", "红梅",
                                    "永福", "德胜", "淑珍",   "文华",   "敖日格乐", "国庆"};

struct pick {
    const char *value;
    int weight;
};
static const struct pick channels[] = {{"网络", 36}, {"来信", 24}, {"来访", 20}, {"电话", 15}, {"视频", 5}};
static const struct pick kinds[] = {{"咨询", 30},    {"申诉", 20}, {"控告", 15},   {"举报", 14},
                                    {"司法救助", 9}, {"其他", 8},  {"国家赔偿", 4}};
static const char *const summaries[][2] = {
    {"咨询", "咨询法律问题及案件办理程序"},
    {"申诉", "不服法院生效判决，申请检察监督"},
    {"控告", "控告相关单位工作人员违法办案"},
    {"举报", "举报破坏草原、非法占用林地线索"},
    {"司法救助", "因案致困，申请国家司法救助"},
    {"其他", "反映拖欠农民工工资问题，请求支持起诉"},
    {"国家赔偿", "申请刑事赔偿"},
};

static const char *weighted(struct demo *d, const struct pick *p, size_t n)
{
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += p[i].weight;
    int r = (int)demo_rand(d, (uint32_t)total);
    for (size_t i = 0; i < n; i++)
        if ((r -= p[i].weight) < 0)
            return p[i].value;
    return p[0].value;
}

static const char *summary_of(const char *kind)
{
    for (size_t i = 0; i < sizeof summaries / sizeof summaries[0]; i++)
        if (!strcmp(summaries[i][0], kind))
            return summaries[i][1];
    return "反映问题";
}

/* The holidays table as a calendar, in the arena of "x". */
static struct workcal *calendar(struct res_ctx *x)
{
    struct workcal *cal = workcal_new(x->a);
    store_stmt *st = store_prepare(x->c, "SELECT date, kind, name FROM holidays");
    while (store_step(st, NULL) == STORE_ROW)
        workcal_mark(cal, store_col_text(st, 0), strcmp(store_col_text(st, 1), "班") ? WD_REST : WD_WORK,
                     store_col_text(st, 2));
    store_done(st);
    return cal;
}

static void reply(struct demo *d, int64_t request, const char *kind, const char *date, const char *content)
{
    demo_put(d, "request-replies",
             json_pack("{s:I, s:s, s:s, s:s, s:b}", "request_id", (json_int_t)request, "kind", kind, "date",
                       date, "content", content, "sample", 1));
}

/* The request's current version and result deadline. */
static int64_t request_version(struct res_ctx *x, int64_t id, char result_due[11])
{
    store_stmt *st = store_prepare(x->c, "SELECT version, result_due FROM requests WHERE id = ?");
    store_bind_int(st, 1, id);
    int64_t v = 0;
    if (store_step(st, NULL) == STORE_ROW) {
        v = store_col_int(st, 0);
        snprintf(result_due, 11, "%s", store_col_text(st, 1));
    }
    store_done(st);
    return v;
}

/* One request of branch "branch" received on "received", with its whole course. */
static void one_request(struct demo *d, struct res_ctx *x, const struct workcal *cal, int64_t branch,
                        int64_t department, bool perfect, const char *received, const char *today)
{
    const char *kind = weighted(d, kinds, sizeof kinds / sizeof kinds[0]);
    char name[32];
    snprintf(name, sizeof name, "%s%s", surnames[demo_rand(d, sizeof surnames / sizeof surnames[0])],
             given[demo_rand(d, sizeof given / sizeof given[0])]);
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "branch_id", (json_int_t)branch, "channel",
                  weighted(d, channels, sizeof channels / sizeof channels[0]), "kind", kind, "received_on",
                  received, "requester_name", name, "summary", summary_of(kind), "sample", 1);
    if (department)
        json_object_set_new(o, "department_id", json_integer(department));
    int64_t id = demo_put(d, "requests", o);

    /* 程序性答复: within 7 working days, a few late (never KEQ3's); a recent one may be pending */
    uint32_t r = demo_rand(d, 100);
    int wd = perfect ? 1 + (int)demo_rand(d, 6) : r < 5 ? 8 + (int)demo_rand(d, 5) : 1 + (int)demo_rand(d, 7);
    char replied[11];
    if (workcal_add_working_days(cal, received, wd, replied, NULL, 0) < 0 || strcmp(replied, today) > 0)
        return;
    if (!perfect && r >= 5 && r < 7 && strcmp(received, "2025-10-01") > 0)
        return; /* left unanswered: on the overdue list */
    bool consult = !strcmp(kind, "咨询");
    if (consult) { /* a question answered in one reply: its result */
        reply(d, id, "办理结果", replied, "已当面（电话）解答，告知相关法律规定");
    } else
        reply(d, id, "程序性答复", replied, "已告知受理情况及承办部门");

    /* the result: within 3 months (a few late, never KEQ3's), some with progress first */
    char result_due[11], result[11];
    int64_t version = request_version(x, id, result_due);
    if (!consult) {
        int days = 10 + (int)demo_rand(d, 70);
        bool late = !perfect && demo_rand(d, 100) < 7;
        if (workcal_add_days(received, days, result) < 0)
            return;
        if (late && workcal_add_days(result_due, 5 + (int)demo_rand(d, 40), result) < 0)
            return;
        if (strcmp(result, result_due) > 0 && !late) /* a short month: still in time */
            memcpy(result, result_due, 11);
        if (strcmp(result, replied) < 0)
            memcpy(result, replied, 11);
        if (strcmp(result, today) > 0)
            return;
        if (days > 45 && !late) { /* progress told in between */
            char progress[11];
            workcal_add_days(received, days / 2, progress);
            if (strcmp(progress, replied) > 0)
                reply(d, id, "办理进展", progress, "告知案件正在审查中");
        }
        reply(d, id, "办理结果", result, "已依法审查，书面答复办理结果");
        version = request_version(x, id, result_due);
    } else
        memcpy(result, replied, 11);

    /* closed, then most are visited and asked how satisfied they are; elsewhere a few stay
     * open with no follow-up since (past their monthly follow-up: on the overdue list) */
    if (!perfect && demo_rand(d, 100) < 4)
        return;
    char closed[11], visit[11];
    workcal_add_days(result, (int)demo_rand(d, 8), closed);
    workcal_add_days(closed, 3 + (int)demo_rand(d, 12), visit);
    if (strcmp(closed, today) > 0)
        return;
    const char *sat = NULL;
    if (strcmp(visit, today) <= 0 && demo_rand(d, 100) < 80) {
        reply(d, id, "回访", visit, "电话回访，听取意见");
        uint32_t s = demo_rand(d, 100);
        sat = perfect ? (s < 82 ? "满意" : "基本满意") : s < 64 ? "满意" : s < 91 ? "基本满意" : "不满意";
    }
    version = request_version(x, id, result_due);
    json_t *body = json_pack("{s:I, s:s}", "version", (json_int_t)version, "closed_on", closed);
    if (sat)
        json_object_set_new(body, "satisfaction", json_string(sat));
    json_t *out = NULL;
    struct rerr err = {0};
    if (res_update_in(x, &res_requests, id, body, &out, &err) < 0) {
        fprintf(stderr, "演示数据错误 (requests %lld): %s [%s %s]\n", (long long)id, err.message, err.code,
                err.field);
        abort();
    }
    json_decref(out);
    json_decref(body);
}

void demo_build_service(struct demo *d)
{
    struct res_ctx *x = demo_ctx(d);
    const struct workcal *cal = calendar(x);
    char today[11];
    text_today(today);
    int64_t branches[64];
    int n = 0;
    store_stmt *st = store_prepare(x->c, "SELECT id FROM branches ORDER BY id");
    while (store_step(st, NULL) == STORE_ROW && n < 64)
        branches[n++] = store_col_int(st, 0);
    store_done(st);
    for (int i = 0; i < n; i++) {
        const struct demo_profile *p = demo_profile(d, branches[i]);
        if (!p)
            continue;
        bool perfect = !strcmp(p->key, "KEQ3");
        /* the branch's first business department handles its 12309 matters */
        int64_t department = 0;
        st = store_prepare(x->c, "SELECT id FROM departments WHERE branch_id = ? AND kind = '业务'"
                                 " ORDER BY sort, id LIMIT 1");
        store_bind_int(st, 1, branches[i]);
        if (store_step(st, NULL) == STORE_ROW)
            department = store_col_int(st, 0);
        store_done(st);
        for (int m = 0; m < DEMO_MONTHS; m++) {
            int year = DEMO_FIRST_YEAR + m / 12, month = m % 12 + 1;
            double want =
                p->business[m] * PER_MONTH + demo_draw(p, (uint32_t)branches[i] * 31u + 12309u, (uint32_t)m);
            int count = (int)want;
            static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            int last = mdays[month - 1] + (month == 2 && year % 4 == 0);
            for (int k = 0; k < count; k++) {
                char first[32], received[11];
                snprintf(first, sizeof first, "%04d-%02d-01", year, month);
                workcal_add_days(first, (int)demo_rand(d, (uint32_t)last), received);
                one_request(d, x, cal, branches[i], department, perfect, received, today);
            }
        }
    }
}
