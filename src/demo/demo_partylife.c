/*
 * demo_partylife: two years (2024-01 .. 2025-12) of organisation life for the fifteen
 * demo branches (示例: the article gives no meeting), following each branch's profile
 * (demo/profile.h): a month's party intensity decides whether the optional meetings are
 * held (党小组会 of each group, 主题党日, 学习) and how many attend; a branch with
 * life_gaps skips some 支委会 and 党课, which its 三会一课 grid then shows as missing.
 *
 * Before any meeting, three members move to another branch (member terms, dated), so a
 * branch's earlier meetings expect them at the old branch and its later ones at the new.
 *
 * Attendance is recorded for every 支部党员大会 of 2025 (every expected member: present,
 * or absent with a reason); the other meetings carry none, to keep the demo to a few
 * thousand rows. demo_link_partylife() links 支委会 to the business records of the same
 * branch and month, for the ledgers that exist when it runs.
 */
#include <stdio.h>
#include <string.h>

#include "demo/demo.h"
#include "demo/profile.h"
#include "domain/member.h"
#include "domain/resource.h"
#include "store/store.h"

#define MAX_BRANCHES 32
#define MAX_GROUPS 12
#define MAX_EXPECTED 128

struct life_branch {
    int64_t id;
    char secretary[64];
    int ngroups;
    int64_t group[MAX_GROUPS];
    char group_name[MAX_GROUPS][96];
};

/* ---- topics (示例), chosen by the branch's noise */

static const char *const committee_topics[] = {
    "研究本月党建工作安排和业务重点任务",
    "研究发展党员和预备党员转正事项",
    "分析研判本支部队伍思想状况",
    "研究“四同步”推进落实情况",
    "研究党员教育管理和党费收缴工作",
    "研究案件质效分析会议题和整改措施",
    "研究主题党日活动方案",
    "研究年度民主评议党员工作方案",
};
static const char *const general_topics[] = {
    "传达学习上级党组织会议精神，部署本季度工作",
    "专题学习习近平法治思想",
    "讨论接收预备党员、预备党员转正",
    "年度民主评议党员",
    "学习党纪学习教育有关要求",
    "通报支部工作情况，听取党员意见建议",
};
static const char *const lesson_topics[] = {
    "书记讲党课：以高质量党建引领检察工作现代化",
    "党课：学习党章，做合格党员",
    "党课：弘扬伟大建党精神",
    "党课：铸牢中华民族共同体意识",
    "党课：以案说纪，筑牢廉洁防线",
    "党课：“两张皮”问题的成因与破解",
};
static const char *const group_topics[] = {
    "学习交流本月理论学习内容", "结合办案谈党性体会",       "讨论本组业务工作中的难点",
    "开展批评与自我批评",       "交流“一案一专班”办案经验",
};
static const char *const theme_topics[] = {
    "主题党日：重温入党誓词", "主题党日：走进红色教育基地", "主题党日：普法进社区",
    "主题党日：党员志愿服务", "主题党日：检察开放日",       "主题党日：“七一”表彰与学习",
};
static const char *const study_topics[3][3] = {
    {"党性锤炼：学习《中国共产党纪律处分条例》", "党性锤炼：学习党的创新理论", "党性锤炼：红色家书诵读"},
    {"专业实训：审查起诉业务实训", "专业实训：公益诉讼调查取证", "专业实训：12309检察服务中心接待规范"},
    {"智慧赋能：大数据法律监督模型应用", "智慧赋能：数字检察办案系统培训", "智慧赋能：人工智能辅助文书"},
};
static const char *const dimensions[] = {"党性锤炼", "专业实训", "智慧赋能"};
static const char *const reasons[] = {"公差", "公差", "公差", "病假", "事假", "事假", "其他"};

#define PICK(list, n)                                                                                        \
    (list)[(size_t)((n) * (double)(sizeof(list) / sizeof(list)[0])) % (sizeof(list) / sizeof(list)[0])]

/* ---- the minutes of a 支部党员大会 (示例): each meeting its own, from pools of what such
 * minutes say, with the meeting's own date, numbers and names, so that two of them are
 * never near-duplicates by chance (the demo's copied minutes are made on purpose, in
 * demo_signals.c) */

static const char *const minutes_openings[] = {
    "支部书记%s主持会议，通报了上次会议议定事项的落实情况",
    "会议由支部书记%s主持，首先集体学习了上级党组织的有关文件",
    "%s同志主持会议并传达了院党组近期会议精神",
    "会前，支部书记%s就本次会议议题征求了党员意见",
    "%s同志主持会议，组织委员通报了党员组织关系和党费收缴情况",
    "支部书记%s主持会议，宣传委员领学了习近平法治思想有关论述",
};
static const char *const minutes_business[] = {
    "本季度共办结案件%d件，其中党员主办%d件，一案一专班运行顺畅",
    "12309检察服务中心本季度接待来访%d人次，程序性答复均在七日内完成，群众满意%d件",
    "本季度开展公益诉讼线索排查%d次，发出诉前检察建议%d份，均已整改",
    "围绕优化营商环境开展涉企案件专项监督，审查涉企案件%d件，纠正违法%d件",
    "开展常态化巡查%d次，走访企业和社区%d家，收集意见建议若干条",
    "联合共建单位开展普法宣传%d场，覆盖群众约%d人",
    "结合案件质效分析，梳理出退回补充侦查率偏高等%d个问题，提出%d条整改措施",
    "认罪认罚从宽制度适用率保持在%d%%以上，量刑建议采纳%d件",
};
static const char *const minutes_speeches[] = {
    "党员结合各自岗位逐一发言，查摆了理论学习不够系统、服务群众主动性不强等问题",
    "青年干警代表交流了参与一案一专班的体会，认为党员带头攻坚作用明显",
    "与会党员围绕如何把党建优势转化为办案质效展开讨论，提出建议%d条",
    "两名预备党员汇报了思想和工作情况，支部委员逐一作了点评",
    "党小组长分别汇报了小组学习和业务开展情况，指出了存在的短板",
    "大家一致认为要在四同步上下功夫，做到党建与业务同谋划、同部署、同落实、同检查",
};
static const char *const minutes_study[] = {
    "集中学习了《中国共产党支部工作条例（试行）》第%d章",
    "观看了警示教育片，%d名党员作了交流发言",
    "学习了最高人民检察院关于加强新时代检察机关党的建设的意见，围绕第%d部分展开研讨",
    "领学了《习近平法治思想学习纲要》第%d专题",
    "通报了近期检察系统违纪违法典型案例%d起，开展以案促改",
    "学习了自治区检察院党组关于党建与业务深度融合的部署，逐条对照检查%d项",
    "重温了入党誓词，%d名党员代表谈了入党初心",
    "学习了《检察官职业道德基本准则》，结合办案实际剖析了%d个问题",
};
static const char *const minutes_plans[] = {
    "会议决定下月开展一次主题党日活动，由组织委员负责筹备",
    "会议明确由各党小组牵头，分片包联辖区企业，每月至少走访一次",
    "会议要求对本季度未结案件逐件过筛，确保按期办结",
    "会议议定将%d项整改任务分解到人，下次会议通报进展",
    "会议部署开展岗位练兵，组织%d名青年干警参加业务竞赛",
    "会议研究决定推荐%d名同志参加上级组织的业务培训",
};

static void write_minutes(char *out, size_t cap, const char *secretary, const char *topic, int y, int mo,
                          int day, uint32_t seed)
{
#define NTH(list, k) (list)[(size_t)(demo_noise(seed + (k), 7) * (sizeof(list) / sizeof(list)[0]))]
    int a = 5 + (int)(demo_noise(seed + 11, 1) * 60), b = 1 + (int)(demo_noise(seed + 12, 1) * 20);
    int c = 2 + (int)(demo_noise(seed + 13, 1) * 9), present = 12 + (int)(demo_noise(seed + 14, 1) * 20);
    char open[256], biz[256], speech[256], plan[256], study[256];
    snprintf(study, sizeof study, NTH(minutes_study, 5), 2 + (int)(demo_noise(seed + 16, 1) * 7));
    snprintf(open, sizeof open, NTH(minutes_openings, 1), secretary);
    snprintf(biz, sizeof biz, NTH(minutes_business, 2), a, b);
    snprintf(speech, sizeof speech, NTH(minutes_speeches, 3), c);
    snprintf(plan, sizeof plan, NTH(minutes_plans, 4), c);
    snprintf(out, cap,
             "%d年%d月%d日，支部召开党员大会，应到党员%d名，实到%d名。%s。\n一、%s。\n二、%s。\n三、%"
             "s。\n四、%s。\n五、%s。\n"
             "（示例会议记录）",
             y, mo, day, present + 1 + (int)(demo_noise(seed + 15, 1) * 3), present, open, topic, study, biz,
             speech, plan);
#undef NTH
}

static int load_branches(struct res_ctx *x, struct life_branch *out)
{
    int n = 0;
    store_stmt *st = store_prepare(x->c, "SELECT id, coalesce(secretary_name, '') FROM branches ORDER BY id");
    while (store_step(st, NULL) == STORE_ROW && n < MAX_BRANCHES) {
        out[n] = (struct life_branch){.id = store_col_int(st, 0)};
        snprintf(out[n].secretary, sizeof out[n].secretary, "%s", store_col_text(st, 1));
        n++;
    }
    store_done(st);
    for (int i = 0; i < n; i++) {
        st = store_prepare(x->c, "SELECT id, name FROM party_groups WHERE branch_id = ? ORDER BY sort, id");
        store_bind_int(st, 1, out[i].id);
        while (store_step(st, NULL) == STORE_ROW && out[i].ngroups < MAX_GROUPS) {
            int g = out[i].ngroups++;
            out[i].group[g] = store_col_int(st, 0);
            snprintf(out[i].group_name[g], sizeof out[i].group_name[g], "%s", store_col_text(st, 1));
        }
        store_done(st);
    }
    return n;
}

/* ---- transfers: the member of branch "from" entered first moves on "day" to "to" (its
 * first party group), through the members write path */

static void transfer(struct demo *d, const char *from, const char *to, const char *day)
{
    struct res_ctx *x = demo_ctx(d);
    const struct demo_profile *pf = demo_profile_by_key(from), *pt = demo_profile_by_key(to);
    if (!pf || !pt)
        return;
    store_stmt *st = store_prepare(
        x->c, "SELECT m.id, m.version, (SELECT b2.id FROM branches b2 WHERE b2.name = ?2),"
              " (SELECT g.id FROM party_groups g JOIN branches b2 ON b2.id = g.branch_id"
              "   WHERE b2.name = ?2 ORDER BY g.sort, g.id LIMIT 1)"
              " FROM members m JOIN branches b ON b.id = m.branch_id JOIN member_terms mt"
              "  ON mt.member_id = m.id AND mt.to_date IS NULL"
              " WHERE b.name = ?1 AND mt.from_date < ?3 AND coalesce(m.position, '') NOT LIKE '%书记%'"
              " ORDER BY m.id LIMIT 1");
    store_bind_text(st, 1, pf->branch_name);
    store_bind_text(st, 2, pt->branch_name);
    store_bind_text(st, 3, day);
    int64_t member = 0, version = 0, branch = 0, group = 0;
    if (store_step(st, NULL) == STORE_ROW) {
        member = store_col_int(st, 0);
        version = store_col_int(st, 1);
        branch = store_col_int(st, 2);
        group = store_col_int(st, 3);
    }
    store_done(st);
    if (!member || !branch)
        return;
    json_t *body = json_pack("{s:I, s:I, s:s}", "version", (json_int_t)version, "branch_id",
                             (json_int_t)branch, "moved_on", day);
    json_object_set_new(body, "party_group_id", group ? json_integer(group) : json_null());
    /* the department belongs to the old procuratorate: cleared when the move leaves it */
    json_object_set_new(body, "department_id", json_null());
    struct rerr err = {0};
    json_t *out = NULL;
    if (res_update_in(x, &res_members, member, body, &out, &err) < 0)
        fprintf(stderr, "演示数据：调动未完成：%s\n", err.message);
    json_decref(out);
    json_decref(body);
}

/* ---- one activity, and its attendance */

static int64_t put_activity(struct demo *d, int64_t branch, int64_t group, const char *kind, const char *dim,
                            int y, int mo, int day, const char *topic, const char *speaker,
                            const char *minutes)
{
    char date[40];
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, day);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b}", "branch_id", (json_int_t)branch, "kind", kind,
                          "held_on", date, "topic", topic, "sample", 1);
    if (group)
        json_object_set_new(o, "party_group_id", json_integer(group));
    if (dim)
        json_object_set_new(o, "study_dimension", json_string(dim));
    if (speaker && *speaker)
        json_object_set_new(o, "speaker", json_string(speaker));
    if (minutes)
        json_object_set_new(o, "minutes", json_string(minutes));
    json_object_set_new(o, "place", json_string(group ? "党小组活动室" : "党员活动室"));
    return demo_put(d, "activities", o);
}

/* Every member expected at activity "id" on "date" (member terms), present with
 * probability "rate", else absent with a reason. */
static void put_attendance(struct demo *d, int64_t id, int64_t branch, const char *date, double rate,
                           uint32_t seed)
{
    struct res_ctx *x = demo_ctx(d);
    int64_t who[MAX_EXPECTED];
    int n = 0;
    store_stmt *st =
        store_prepare(x->c, "SELECT member_id FROM member_terms WHERE branch_id = ? AND from_date <= ?"
                            " AND (to_date IS NULL OR to_date > ?) ORDER BY member_id");
    store_bind_int(st, 1, branch);
    store_bind_text(st, 2, date);
    store_bind_text(st, 3, date);
    while (store_step(st, NULL) == STORE_ROW && n < MAX_EXPECTED)
        who[n++] = store_col_int(st, 0);
    store_done(st);
    for (int i = 0; i < n; i++) {
        double r = demo_noise(seed, (uint32_t)who[i]);
        json_t *o = json_pack("{s:I, s:I, s:b}", "activity_id", (json_int_t)id, "member_id",
                              (json_int_t)who[i], "sample", 1);
        if (r < rate) {
            json_object_set_new(o, "status", json_string("出席"));
        } else {
            json_object_set_new(o, "status", json_string("缺席"));
            json_object_set_new(o, "reason",
                                json_string(PICK(reasons, demo_noise(seed + 7, (uint32_t)who[i]))));
        }
        demo_put(d, "attendance", o);
    }
}

/* Every member expected at activity "id" of y-mo-day present (demo_profile.perfect_attendance). */
static void put_attendance_on(struct demo *d, int64_t id, int64_t branch, int y, int mo, int day)
{
    char date[40];
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, day);
    put_attendance(d, id, branch, date, 1.0, 0);
}

static void branch_life(struct demo *d, const struct life_branch *b)
{
    const struct demo_profile *p = demo_profile(d, b->id);
    if (!p)
        return;
    uint32_t seed = (uint32_t)b->id * 7919u;
    char speaker[96];
    snprintf(speaker, sizeof speaker, "%s", b->secretary);
    for (int m = 0; m < DEMO_MONTHS; m++) {
        int y = DEMO_FIRST_YEAR + m / 12, mo = m % 12 + 1;
        double party = p->party[m];
        bool perfect = p->perfect_attendance && y == DEMO_FIRST_YEAR + 1;
        double n1 = demo_draw(p, seed + 1, (uint32_t)m), n2 = demo_draw(p, seed + 2, (uint32_t)m);
        double n3 = demo_draw(p, seed + 3, (uint32_t)m), n4 = demo_draw(p, seed + 4, (uint32_t)m);
        /* 支委会: monthly, skipped now and then where 三会一课 has gaps */
        if (!(p->life_gaps && n1 < 0.3) && !(n1 < 0.06 * (1 - party))) {
            int day = 3 + (int)(n2 * 8);
            int64_t id = put_activity(d, b->id, 0, "支委会", NULL, y, mo, day, PICK(committee_topics, n3),
                                      speaker, NULL);
            if (perfect)
                put_attendance_on(d, id, b->id, y, mo, day);
        }
        /* 支部党员大会: once a quarter, in its middle month; attendance recorded */
        if (mo % 3 == 2 && !(p->life_gaps && n2 < 0.15)) {
            char date[40];
            int day = 12 + (int)(n3 * 10);
            snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, day);
            const char *topic = PICK(general_topics, n4);
            char minutes[2048];
            write_minutes(minutes, sizeof minutes, b->secretary, topic, y, mo, day, seed + (uint32_t)m * 31u);
            int64_t id = put_activity(d, b->id, 0, "支部党员大会", NULL, y, mo, day, topic, speaker, minutes);
            if (y == DEMO_FIRST_YEAR + 1)
                put_attendance(d, id, b->id, date, perfect ? 1.0 : 0.72 + 0.26 * party, seed + (uint32_t)m * 13u);
        }
        /* 党课: once a quarter, in its last month; skipped now and then where gaps */
        if (mo % 3 == 0 && !(p->life_gaps && n3 < 0.4))
            put_activity(d, b->id, 0, "党课", NULL, y, mo, 8 + (int)(n1 * 12), PICK(lesson_topics, n2),
                         speaker, NULL);
        /* 党小组会: each group, the more often the busier the month */
        for (int g = 0; g < b->ngroups; g++) {
            double ng = demo_draw(p, seed + 10 + (uint32_t)g, (uint32_t)m);
            if (ng < 0.45 + 0.55 * party)
                put_activity(d, b->id, b->group[g], "党小组会", NULL, y, mo, 15 + (int)(ng * 12),
                             PICK(group_topics, demo_noise(seed + 20 + (uint32_t)g, (uint32_t)m)), NULL,
                             NULL);
        }
        /* 主题党日 and study, where the month's party life is strong */
        if (n4 < 0.7 * party - 0.1) {
            int day = 1 + (int)(n1 * 5);
            int64_t id = put_activity(d, b->id, 0, "主题党日", NULL, y, mo, day, PICK(theme_topics, n2),
                                      speaker, NULL);
            if (perfect)
                put_attendance_on(d, id, b->id, y, mo, day);
        }
        if (n2 < 0.55 * party - 0.05) {
            int dim = (int)(n3 * 3) % 3;
            put_activity(d, b->id, 0, "学习", dimensions[dim], y, mo, 20 + (int)(n4 * 7),
                         study_topics[dim][(int)(n1 * 3) % 3], NULL, NULL);
        }
    }
}

void demo_build_partylife(struct demo *d)
{
    /* moves within and across procuratorates, before the meetings they change */
    transfer(d, "KL1", "KL2", "2024-09-02");
    transfer(d, "CITY3", "CITY1", "2025-03-03");
    transfer(d, "NM2", "HLGL", "2025-07-01");
    static struct life_branch branches[MAX_BRANCHES];
    int n = load_branches(demo_ctx(d), branches);
    for (int i = 0; i < n; i++)
        branch_life(d, &branches[i]);
}

/* Each 支委会 of a branch linked to the business records of the same branch and month
 * (at most two per meeting), for each linkable ledger the server has. */
void demo_link_partylife(struct demo *d)
{
    static const char *const colls[] = {"cases",    "requests", "pil-matters", "patrols",
                                        "outreach", "projects", "sync-pairs"};
    struct res_ctx *x = demo_ctx(d);
    for (size_t c = 0; c < sizeof colls / sizeof colls[0]; c++) {
        const struct resource *r = res_find(colls[c]);
        if (!r || !r->date)
            continue;
        char *sql = arena_printf(x->a,
                                 "SELECT a.id, (SELECT t.id FROM %s t WHERE t.branch_id = a.branch_id"
                                 "  AND substr(%s, 1, 7) = substr(a.held_on, 1, 7) ORDER BY t.id LIMIT 1)"
                                 " FROM activities a WHERE a.kind = '支委会' ORDER BY a.id",
                                 r->table, r->date);
        store_stmt *st;
        struct rerr err = {0};
        if (store_prepare_built(x->c, sql, &st, &err) < 0)
            continue; /* a ledger whose rows belong to no branch */
        static int64_t pairs[4096][2];
        int np = 0;
        while (store_step(st, NULL) == STORE_ROW && np < 4096)
            if (store_col_type(st, 1) != STORE_NULL) {
                pairs[np][0] = store_col_int(st, 0);
                pairs[np][1] = store_col_int(st, 1);
                np++;
            }
        store_done(st);
        for (int i = 0; i < np; i++)
            demo_put(d, "activity-items",
                     json_pack("{s:I, s:s, s:I, s:b}", "activity_id", (json_int_t)pairs[i][0], "item_coll",
                               colls[c], "item_id", (json_int_t)pairs[i][1], "sample", 1));
    }
}
