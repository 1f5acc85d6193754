/*
 * demo_joint: two years (2024-01 .. 2025-12) of the joint ledgers for the demo, all 示例
 * (the article names the mechanisms — 四同步, 五联建, 检校联建, 检察+行政, 红旗结对, 以机关带
 * 系统强基层 — but none of these records): 四同步 pairs per branch and quarter, most in
 * step and some behind, as the branch's profile says (demo/profile.h: NM1, whose party
 * and business work do not move together, falls behind most; HLGL and KEQ3 keep pace);
 * element checks of the demo methods, evidenced by the branch's own 四同步 pairs and
 * projects where one of the period exists and honestly without evidence where none
 * does; 五联建 projects of the city's first branch with county branches, 检校联建 with
 * schools and 检察+行政 with administrative organs; 红旗结对 of city branches with county
 * ones, with quarterly progress; and the city's guidance visits, trainings and reviews
 * of each county branch. Deterministic (demo_noise), written through demo_put().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/text.h"
#include "demo/demo.h"
#include "demo/profile.h"
#include "domain/joint.h"
#include "domain/resource.h"
#include "store/store.h"

#define MAX_BRANCHES 64
#define MAX_PAIRS 512

struct jbranch {
    int64_t id, proc;
    int level;
    const struct demo_profile *p;
};

struct jstate {
    struct demo *d;
    struct jbranch b[MAX_BRANCHES];
    int nb;
    int64_t today;
    int64_t end; /* the last day of the demo's two years, or today if that is earlier */
    /* the 四同步 pairs made, for evidence and project activities */
    struct {
        int64_t id, branch, first_day;
    } pairs[MAX_PAIRS];
    int npairs;
};

/* ---------------------------------------------------------------- dates */

/* YYYY-MM-DD of day number "n" (days since 1970-01-01), the inverse of joint_day_number. */
static void day_text(int64_t n, char out[32])
{
    n += 719468;
    int64_t era = (n >= 0 ? n : n - 146096) / 146097;
    int64_t doe = n - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 32, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

static int64_t day_of(int year, int month, int day)
{
    char t[32];
    snprintf(t, sizeof t, "%04d-%02d-%02d", year, month, day);
    return joint_day_number(t);
}

static void set_day(json_t *o, const char *key, int64_t n)
{
    char t[32];
    day_text(n, t);
    json_object_set_new(o, key, json_string(t));
}

static json_t *sample_obj(void)
{
    json_t *o = json_object();
    json_object_set_new(o, "sample", json_true());
    return o;
}

static uint32_t seed_of(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* ---------------------------------------------------------------- the branches */

static void load_branches(struct jstate *s)
{
    struct res_ctx *x = demo_ctx(s->d);
    store_stmt *st = store_prepare(x->c, "SELECT b.id, b.procuratorate_id, p.level FROM branches b"
                                         " JOIN procuratorates p ON p.id = b.procuratorate_id ORDER BY b.id");
    struct rerr err = {0};
    while (store_step(st, &err) == STORE_ROW && s->nb < MAX_BRANCHES) {
        struct jbranch *b = &s->b[s->nb];
        b->id = store_col_int(st, 0);
        b->proc = store_col_int(st, 1);
        b->level = (int)store_col_int(st, 2);
        b->p = demo_profile(s->d, b->id);
        if (b->p)
            s->nb++;
    }
    store_done(st);
}

static const struct jbranch *branch_by_key(const struct jstate *s, const char *key)
{
    for (int i = 0; i < s->nb; i++)
        if (!strcmp(s->b[i].p->key, key))
            return &s->b[i];
    return NULL;
}

/* ---------------------------------------------------------------- 四同步 */

static const char *const business_tasks[] = {
    "公益诉讼“检护民生”专项监督", "12309检察服务中心规范化建设",
    "刑事案件办案质效提升",       "未成年人检察“法治进校园”",
    "民事检察精准监督",           "行政检察“府检联动”",
    "常态化扫黑除恶斗争",         "检察听证工作",
    "认罪认罚从宽制度适用",       "涉企案件“挂案”清理",
};
static const char *const party_tasks[] = {
    "主题党日：党员示范岗亮身份", "支委会专题研究部署",     "党课：以高质量党建引领检察履职",
    "党小组“以案促学”研讨",       "“党员先锋队”攻坚行动",   "支部书记讲党课",
    "党风廉政建设专题学习",       "“三会一课”融合业务议题", "青年党员理论学习小组",
    "“党建+业务”述职评议",
};

/* A pair's party side: days after the business side, per stage. Most pairs keep pace
 * (−1 to 4 days); where the two sides do not move together in the month (profile: the
 * gap between party and business intensity), one stage slips by 10–30 days. */
static int64_t party_offset(const struct jbranch *b, int m, uint32_t seed, int stage)
{
    double gap = b->p->party[m] - b->p->business[m];
    if (gap < 0)
        gap = -gap;
    int slipped = demo_noise(seed, 100) < gap * 1.2 + 0.08 ? (int)(demo_noise(seed, 101) * 4) % 4 : -1;
    if (stage == slipped)
        return 10 + (int64_t)(demo_noise(seed, 200) * 21);
    return (int64_t)(demo_noise(seed, 300 + (uint32_t)stage) * 6) - 1;
}

static void put_sync_pairs(struct jstate *s)
{
    static const char *const bcols[4] = {"business_plan_on", "business_deploy_on", "business_implement_on",
                                         "business_review_on"};
    static const char *const pcols[4] = {"party_plan_on", "party_deploy_on", "party_implement_on",
                                         "party_review_on"};
    for (int i = 0; i < s->nb; i++) {
        const struct jbranch *b = &s->b[i];
        uint32_t bs = seed_of(b->p->key);
        for (int q = 0; q < DEMO_MONTHS / 3; q++) {
            uint32_t seed = bs ^ (uint32_t)(q * 7919);
            int m = q * 3 + (int)(demo_noise(seed, 1) * 2);
            /* a quarter without a pair where business is slack */
            if (demo_noise(seed, 2) > 0.35 + b->p->business[m])
                continue;
            int year = DEMO_FIRST_YEAR + m / 12;
            int64_t day = day_of(year, m % 12 + 1, 1 + (int)(demo_noise(seed, 3) * 20));
            json_t *o = sample_obj();
            json_object_set_new(o, "branch_id", json_integer(b->id));
            json_object_set_new(o, "year", json_integer(year));
            size_t t = (size_t)(demo_noise(seed, 4) * 10) % 10;
            json_object_set_new(o, "business_title", json_string(business_tasks[t]));
            json_object_set_new(o, "party_title", json_string(party_tasks[(t + (size_t)q) % 10]));
            int64_t bd = day, pd = day, prev = 0;
            for (int k = 0; k < 4; k++) {
                if (k) {
                    bd += 12 + (int64_t)(demo_noise(seed, 10 + (uint32_t)k) * 20);
                    pd = bd;
                }
                int64_t p = pd + party_offset(b, m, seed, k);
                if (p < pd - 1)
                    p = pd - 1;
                /* the party side's stages stay in order whatever the offsets */
                if (p < prev)
                    p = prev;
                prev = p;
                /* a stage either side would reach after the demo's two years (or today) is
                 * left to both: not yet begun, rather than one side waiting on nothing */
                if (bd > s->end || p > s->end)
                    break;
                set_day(o, bcols[k], bd);
                set_day(o, pcols[k], p);
            }
            int64_t id = demo_put(s->d, "sync-pairs", o);
            if (s->npairs < MAX_PAIRS) {
                s->pairs[s->npairs].id = id;
                s->pairs[s->npairs].branch = b->id;
                s->pairs[s->npairs].first_day = day;
                s->npairs++;
            }
        }
    }
}

/* ---------------------------------------------------------------- element checks */

/* Monthly methods (the rest are checked per quarter): the 12309 method's actions are
 * routine, the 四同步 mechanism and the “四个一” activities are kept month by month. */
const char *demo_method_period(const char *name)
{
    static const char *const monthly[] = {"“12309”党建工作法", "“四同步”机制", "“四个一”活动", NULL};
    for (int i = 0; monthly[i]; i++)
        if (!strcmp(name, monthly[i]))
            return "month";
    return "quarter";
}

/* A 四同步 pair of branch "branch" begun in [from, to), or 0. */
static int64_t pair_in(const struct jstate *s, int64_t branch, int64_t from, int64_t to)
{
    for (int i = 0; i < s->npairs; i++)
        if (s->pairs[i].branch == branch && s->pairs[i].first_day >= from && s->pairs[i].first_day < to)
            return s->pairs[i].id;
    return 0;
}

/* The ledgers besides our own whose records may prove an element (element-evidence's
 * allowed collections), where the demo has them. */
static const char *const ledgers[] = {"activities",  "outreach", "patrols",
                                      "pil-matters", "cases",    "requests"};
#define N_LEDGERS (sizeof ledgers / sizeof ledgers[0])

/* A record of collection "coll" of branch "branch" dated in [from, to) (its descriptor's
 * .date), one of the first few chosen by "pick"; 0 when the server has no such
 * collection or the branch no such record. */
static int64_t ledger_record(struct jstate *s, const char *coll, int64_t branch, int64_t from, int64_t to,
                             uint32_t pick)
{
    const struct resource *r = res_find(coll);
    if (!r || !r->date || !res_column_of(r, "branch_id"))
        return 0;
    struct res_ctx *x = demo_ctx(s->d);
    char *sql = arena_printf(x->a,
                             "SELECT t.id FROM %s t WHERE t.branch_id = ? AND (%s) >= ? AND (%s) < ?"
                             " ORDER BY t.id LIMIT 8",
                             r->table, r->date, r->date);
    store_stmt *st;
    struct rerr err = {0};
    if (store_prepare_built(x->c, sql, &st, &err) < 0)
        return 0;
    char f[32], t[32];
    day_text(from, f);
    day_text(to, t);
    store_bind_int(st, 1, branch);
    store_bind_text(st, 2, f);
    store_bind_text(st, 3, t);
    int64_t ids[8];
    int n = 0;
    while (n < 8 && store_step(st, &err) == STORE_ROW)
        ids[n++] = store_col_int(st, 0);
    store_done(st);
    return n ? ids[pick % (uint32_t)n] : 0;
}

static void put_element_checks(struct jstate *s)
{
    struct res_ctx *x = demo_ctx(s->d);
    store_stmt *st = store_prepare(x->c, "SELECT e.id, m.branch_id, m.period FROM method_elements e"
                                         " JOIN methods m ON m.id = e.method_id ORDER BY e.id");
    struct rerr err = {0};
    struct {
        int64_t id, branch;
        bool monthly;
    } els[512];
    int n = 0;
    while (store_step(st, &err) == STORE_ROW && n < 512) {
        els[n].id = store_col_int(st, 0);
        els[n].branch = store_col_int(st, 1);
        els[n].monthly = !strcmp(store_col_text(st, 2), "month");
        n++;
    }
    store_done(st);
    for (int i = 0; i < n; i++) {
        const struct jbranch *b = NULL;
        for (int k = 0; k < s->nb; k++)
            if (s->b[k].id == els[i].branch)
                b = &s->b[k];
        if (!b)
            continue;
        int step = els[i].monthly ? 1 : 3;
        for (int m = 0; m < DEMO_MONTHS; m += step) {
            int year = DEMO_FIRST_YEAR + m / 12, mo = m % 12 + 1;
            int64_t start = day_of(year, mo, 1);
            int64_t end = mo + step > 12 ? day_of(year + 1, 1, 1) : day_of(year, mo + step, 1);
            if (end - 1 > s->end)
                break;
            uint32_t seed = (uint32_t)(els[i].id * 104729) ^ (uint32_t)m;
            /* done as often as the branch's party life is strong that month; a branch with
             * gaps in 三会一课 misses more */
            double p = b->p->party[m] * (b->p->life_gaps ? 0.7 : 1.0) + 0.15;
            if (demo_noise(seed, 1) > p)
                continue;
            char period[16];
            if (els[i].monthly)
                snprintf(period, sizeof period, "%04d-%02d", year, mo);
            else
                snprintf(period, sizeof period, "%04d-Q%d", year, (mo - 1) / 3 + 1);
            json_t *o = sample_obj();
            json_object_set_new(o, "element_id", json_integer(els[i].id));
            json_object_set_new(o, "branch_id", json_integer(b->id));
            json_object_set_new(o, "period", json_string(period));
            set_day(o, "checked_on", end - 1 - (int64_t)(demo_noise(seed, 2) * 5));
            int64_t check = demo_put(s->d, "element-checks", o);
            /* evidence: a record of the branch's ledgers dated in the period (a meeting, a
             * case, outreach … where those ledgers are in the demo), else its 四同步 pair of
             * the period; where there is none, the check stays without evidence */
            const char *coll = "sync-pairs";
            int64_t item = 0;
            if (demo_noise(seed, 3) < 0.85) {
                size_t first = (size_t)(demo_noise(seed, 4) * N_LEDGERS) % N_LEDGERS;
                for (size_t k = 0; k < N_LEDGERS && !item; k++) {
                    coll = ledgers[(first + k) % N_LEDGERS];
                    item = ledger_record(s, coll, b->id, start, end, seed);
                }
                if (!item) {
                    coll = "sync-pairs";
                    item = pair_in(s, b->id, start, end);
                }
            }
            if (item) {
                json_t *e = sample_obj();
                json_object_set_new(e, "check_id", json_integer(check));
                json_object_set_new(e, "item_coll", json_string(coll));
                json_object_set_new(e, "item_id", json_integer(item));
                json_object_set_new(e, "note", json_string("同期台账记录"));
                demo_put(s->d, "element-evidence", e);
            }
        }
    }
}

/* ---------------------------------------------------------------- joint building */

struct party_def {
    const char *branch; /* a profile key, or NULL for an outside unit */
    const char *unit, *unit_kind;
};

static const struct project_def {
    const char *lead, *kind, *title, *goals;
    int start_month; /* m */
    struct party_def parties[4];
    const char *outcomes[3];
} projects[] = {
    {"CITY1",
     "铸魂联建",
     "“通心聚力”理论学习联组",
     "市院机关支部与基层院支部联学联讲，统一思想、凝聚共识。",
     1,
     {{"CITY2", NULL, NULL}, {"KEQ1", NULL, NULL}, {"HLGL", NULL, NULL}},
     {"联组学习 8 次，形成学习成果汇编", "基层院支部书记轮流讲党课"}},
    {"CITY1",
     "队伍联建",
     "青年干警“导师制”联育",
     "市院业务骨干与基层院青年干警结对，以案带训。",
     2,
     {{"KL1", NULL, NULL}, {"KUL", NULL, NULL}},
     {"结对导师 12 对", "青年干警办理的案件获评优质案件"}},
    {"CITY1",
     "平台联建",
     "“检心”智慧学习平台共建",
     "共建党性锤炼、专业实训、智慧赋能三维学习平台。",
     4,
     {{"KZZ", NULL, NULL}, {"ZLT", NULL, NULL}, {"NM2", NULL, NULL}},
     {"上线学习专栏 3 个", "开展线上业务竞赛"}},
    {"CITY1",
     "项目联建",
     "“检护民生”项目联建",
     "围绕群众急难愁盼，市县两级联动办理民生案件。",
     6,
     {{"KEQ3", NULL, NULL}, {"KZH", NULL, NULL}},
     {"办理民生领域公益诉讼案件", "形成典型案例 2 件"}},
    {"CITY1",
     "规范联建",
     "党建工作规范化联建",
     "统一“三会一课”记录、台账和考评标准。",
     8,
     {{"KL2", NULL, NULL}, {"NM1", NULL, NULL}},
     {"印发支部工作规范手册"}},
    {"KEQ3",
     "检校联建",
     "“法治进校园”检校联建",
     "检察官担任法治副校长，共建青少年法治教育基地。",
     3,
     {{NULL, "通辽市第五中学", "学校"}, {NULL, "科尔沁区实验小学", "学校"}},
     {"聘任法治副校长 2 名", "建成青少年法治教育基地"}},
    {"HLGL",
     "检校联建",
     "“护苗”检校共建",
     "联合开展防欺凌、防性侵专题教育。",
     10,
     {{NULL, "霍林郭勒市第一中学", "学校"}},
     {"开展法治课 6 场"}},
    {"KZZ",
     "检察+行政",
     "文物司法保护协作",
     "与文物主管部门建立“检察+行政”文物保护协作机制。",
     5,
     {{NULL, "科尔沁左翼中旗文化和旅游局", "行政机关"}, {NULL, "科尔沁左翼中旗公安局", "行政机关"}},
     {"签订文物保护协作意见", "联合巡查不可移动文物点"}},
    {"ZLT",
     "检察+行政",
     "草原生态保护“检察+行政”协作",
     "与林草部门协同治理非法开垦草原问题。",
     7,
     {{NULL, "扎鲁特旗林业和草原局", "行政机关"}, {NULL, "扎鲁特旗鲁北镇人民政府", "行政机关"}},
     {"督促恢复被毁草原", "建立线索移送机制"}},
    {"NM1",
     "支部联建",
     "奈曼旗院两支部联建",
     "两个支部联合开展主题党日、互评互学。",
     9,
     {{"NM2", NULL, NULL}},
     {"联合主题党日 4 次"}},
    {"KL1",
     "支部联建",
     "开鲁县院支部共建",
     "以强带弱，共同提升“三会一课”质量。",
     12,
     {{"KL2", NULL, NULL}, {NULL, "开鲁县开鲁镇某社区", "社区"}},
     {"社区普法服务站挂牌"}},
};

static void put_projects(struct jstate *s)
{
    for (size_t i = 0; i < sizeof projects / sizeof projects[0]; i++) {
        const struct project_def *pd = &projects[i];
        const struct jbranch *lead = branch_by_key(s, pd->lead);
        if (!lead)
            continue;
        int64_t start = day_of(DEMO_FIRST_YEAR + pd->start_month / 12, pd->start_month % 12 + 1, 5);
        json_t *o = sample_obj();
        json_object_set_new(o, "branch_id", json_integer(lead->id));
        json_object_set_new(o, "kind", json_string(pd->kind));
        json_object_set_new(o, "title", json_string(pd->title));
        json_object_set_new(o, "goals", json_string(pd->goals));
        set_day(o, "started_on", start);
        set_day(o, "ends_on", day_of(2025, 12, 31));
        int64_t pid = demo_put(s->d, "projects", o);
        for (int k = 0; k < 4 && (pd->parties[k].branch || pd->parties[k].unit); k++) {
            json_t *p = sample_obj();
            json_object_set_new(p, "project_id", json_integer(pid));
            if (pd->parties[k].branch) {
                const struct jbranch *b = branch_by_key(s, pd->parties[k].branch);
                if (!b) {
                    json_decref(p);
                    continue;
                }
                json_object_set_new(p, "party_branch_id", json_integer(b->id));
                json_object_set_new(p, "role", json_string("共建支部"));
            } else {
                json_object_set_new(p, "unit_name", json_string(pd->parties[k].unit));
                json_object_set_new(p, "unit_kind", json_string(pd->parties[k].unit_kind));
                json_object_set_new(p, "role", json_string("共建单位"));
            }
            demo_put(s->d, "project-parties", p);
        }
        /* activities: the lead's meetings or outreach while the project ran, where those
         * ledgers are in the demo, else its 四同步 pairs begun then (at most three) */
        int linked = 0;
        static const char *const kinds[] = {"activities", "outreach", "patrols"};
        for (int q = 0; q < 3 && linked < 3; q++) {
            int64_t from = start + q * 120;
            for (size_t k = 0; k < 3 && from < s->end; k++) {
                int64_t item =
                    ledger_record(s, kinds[k], lead->id, from, from + 120, (uint32_t)(i * 31 + (size_t)q));
                if (!item)
                    continue;
                json_t *a = sample_obj();
                json_object_set_new(a, "project_id", json_integer(pid));
                json_object_set_new(a, "item_coll", json_string(kinds[k]));
                json_object_set_new(a, "item_id", json_integer(item));
                json_object_set_new(a, "note", json_string("联建活动"));
                demo_put(s->d, "project-activities", a);
                linked++;
                break;
            }
        }
        for (int k = 0; k < s->npairs && linked < 3; k++) {
            if (s->pairs[k].branch != lead->id || s->pairs[k].first_day < start)
                continue;
            json_t *a = sample_obj();
            json_object_set_new(a, "project_id", json_integer(pid));
            json_object_set_new(a, "item_coll", json_string("sync-pairs"));
            json_object_set_new(a, "item_id", json_integer(s->pairs[k].id));
            json_object_set_new(a, "note", json_string("联建期间同步推进的业务与党建工作"));
            demo_put(s->d, "project-activities", a);
            linked++;
        }
        for (int k = 0; k < 3 && pd->outcomes[k]; k++) {
            int64_t on = start + 90 + k * 150 + (int64_t)(demo_noise((uint32_t)i, (uint32_t)k) * 40);
            if (on > s->end)
                break;
            json_t *r = sample_obj();
            json_object_set_new(r, "project_id", json_integer(pid));
            json_object_set_new(r, "title", json_string(pd->outcomes[k]));
            set_day(r, "achieved_on", on);
            json_object_set_new(r, "description", json_string("示例：联建成果，记入项目各参与方。"));
            demo_put(s->d, "project-outcomes", r);
        }
    }
}

/* ---------------------------------------------------------------- 红旗结对 and guidance */

static const struct {
    const char *lead, *helped, *goals;
} pairings[] = {
    {"CITY1", "KL2", "补齐“三会一课”短板，规范支部组织生活"},
    {"CITY2", "NM1", "党建与业务同频共振，解决“两张皮”"},
    {"CITY3", "KUL", "打造支部特色品牌，提升党员先锋作用"},
};

static void put_pairings(struct jstate *s)
{
    static const char *const notes[] = {
        "制定结对计划，明确帮扶清单", "联合召开主题党日", "规范“三会一课”记录", "互派骨干交流学习",
        "开展支部工作互查",           "联合开展案件评查", "总结结对成效"};
    for (size_t i = 0; i < sizeof pairings / sizeof pairings[0]; i++) {
        const struct jbranch *lead = branch_by_key(s, pairings[i].lead),
                             *helped = branch_by_key(s, pairings[i].helped);
        if (!lead || !helped)
            continue;
        int64_t start = day_of(2024, 3, 1);
        json_t *o = sample_obj();
        json_object_set_new(o, "leading_branch_id", json_integer(lead->id));
        json_object_set_new(o, "branch_id", json_integer(helped->id));
        json_object_set_new(o, "goals", json_string(pairings[i].goals));
        set_day(o, "started_on", start);
        set_day(o, "ends_on", day_of(2025, 12, 31));
        int64_t pid = demo_put(s->d, "pairings", o);
        for (int q = 0; q < 7; q++) {
            int m = 2 + q * 3;
            int64_t on = day_of(DEMO_FIRST_YEAR + m / 12, m % 12 + 1, 25);
            if (on > s->end)
                break;
            double party = helped->p->party[m];
            int score = 55 + q * 5 + (int)(party * 20);
            if (score > 98)
                score = 98;
            json_t *g = sample_obj();
            json_object_set_new(g, "pairing_id", json_integer(pid));
            set_day(g, "noted_on", on);
            json_object_set_new(g, "note", json_string(notes[q]));
            json_object_set_new(g, "status",
                                json_string(q == 6         ? "已达成"
                                            : party < 0.45 ? "滞后"
                                                           : "按计划"));
            json_object_set_new(g, "score", json_integer(score));
            demo_put(s->d, "pairing-progress", g);
        }
    }
}

static void put_guidance(struct jstate *s)
{
    static const char *const kinds[] = {"走访", "培训", "评审/检查"};
    static const char *const what[] = {"走访调研支部建设和党建业务融合情况", "开展支部书记和党务干部业务培训",
                                       "检查“三会一课”台账和工作法落实情况"};
    const struct jbranch *city[3];
    int nc = 0;
    for (int i = 0; i < s->nb && nc < 3; i++)
        if (s->b[i].level == 1)
            city[nc++] = &s->b[i];
    if (!nc)
        return;
    for (int i = 0; i < s->nb; i++) {
        const struct jbranch *b = &s->b[i];
        if (b->level != 2)
            continue;
        uint32_t seed = seed_of(b->p->key) ^ 0x5bd1e995u;
        for (int h = 0; h < 4; h++) { /* each half-year, one or two */
            int m = h * 6 + (int)(demo_noise(seed, (uint32_t)h) * 5);
            int64_t on = day_of(DEMO_FIRST_YEAR + m / 12, m % 12 + 1,
                                3 + (int)(demo_noise(seed, 10u + (uint32_t)h) * 24));
            if (on > s->end || (h % 2 && demo_noise(seed, 20u + (uint32_t)h) < 0.3))
                continue;
            int k = (int)(demo_noise(seed, 30u + (uint32_t)h) * 3) % 3;
            json_t *o = sample_obj();
            json_object_set_new(o, "from_branch_id", json_integer(city[(i + h) % nc]->id));
            json_object_set_new(o, "branch_id", json_integer(b->id));
            json_object_set_new(o, "kind", json_string(kinds[k]));
            set_day(o, "held_on", on);
            json_object_set_new(o, "summary", json_string(what[k]));
            demo_put(s->d, "guidance", o);
        }
    }
}

void demo_build_joint(struct demo *d)
{
    struct jstate *s = calloc(1, sizeof *s);
    if (!s)
        die("演示数据：内存不足");
    s->d = d;
    char t[11];
    text_today(t);
    s->today = joint_day_number(t);
    s->end = day_of(DEMO_FIRST_YEAR + DEMO_MONTHS / 12 - 1, 12, 31);
    if (s->end > s->today)
        s->end = s->today;
    load_branches(s);
    put_sync_pairs(s);
    put_element_checks(s);
    put_projects(s);
    put_pairings(s);
    put_guidance(s);
    free(s);
}
