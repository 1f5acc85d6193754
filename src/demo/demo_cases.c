/*
 * demo_cases: two years (2024-01 .. 2025-12) of cases for every procuratorate (示例: the
 * article names no case), built through demo_put() like the rest of the demo.
 *
 * Each business department receives cases of the types its duties name, month by month
 * as busy as its branch's business profile says (demo/profile.h). A case's team is drawn
 * from the department's members: the lead (主办检察官) a 员额检察官 who is a party member
 * in most cases — more often in branches strong in party life — and otherwise staff who
 * are not party members; an assistant, sometimes a 书记员 from the staff, sometimes a
 * colleague of another department (技术人员), and for public-interest cases now and then
 * an outside unit (一案一专班). Stages follow each other by plausible intervals and stop
 * at the end of 2025 (open cases stay open). Closed cases get a grade and their 三必评,
 * scored by the branch (higher where party life is strong); a few good ones are typical
 * cases. 扎鲁特旗 (and, less, 科左中旗) handles many cases in 双语 or 蒙古语; a party who
 * does not use the handling language gets an interpreter, who also sits on the team.
 *
 * Randomness is this file's own stream, so that the other generators' draws do not
 * move these cases, and every date is capped at the demo's end and at today.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "demo/demo.h"
#include "demo/profile.h"
#include "domain/resource.h"
#include "store/store.h"

/* ------------------------------------------------------------------ randomness, dates */

static uint32_t rng_state = 0x2024c0deu;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return n ? rng_state % n : 0;
}

static bool chance(double p)
{
    return rnd(10000) < (uint32_t)(p * 10000);
}

/* Days since 1970-01-01 and back (proleptic Gregorian). */
static int days_of(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + (yoe * 365 + yoe / 4 - yoe / 100 + doy) - 719468;
}

static void date_of(int z, char out[16])
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);
    snprintf(out, 16, "%04u-%02u-%02u", (unsigned)(y + (m <= 2)) % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

static int last_day; /* min(2025-12-31, today) */

/* ------------------------------------------------------------------ what departments do */

enum kind { K_CRIMINAL, K_JUVENILE, K_EXEC, K_CIVIL, K_ADMIN, K_CIV_MIX, K_PIL, K_COMPLAINT };

/* The kind of case work a business department does, from its name and duties. */
static enum kind kind_of(const char *name, const char *duties, bool city)
{
    duties = duties ? duties : "";
    if (strstr(name, "公益诉讼") || strstr(duties, "公益诉讼"))
        return K_PIL;
    if (strstr(duties, "控告申诉"))
        return K_COMPLAINT;
    if (strstr(duties, "刑事执行、民事、行政"))
        return K_CIV_MIX;
    if (city) { /* 第二党支部: 一、二、三、八; 第三党支部: 四、五、六、七 */
        if (strstr(name, "第八"))
            return K_JUVENILE;
        if (strstr(name, "第四"))
            return K_EXEC;
        if (strstr(name, "第五"))
            return K_CIVIL;
        if (strstr(name, "第六"))
            return K_ADMIN;
        if (strstr(name, "第七"))
            return K_PIL;
    }
    return K_CRIMINAL;
}

static const char *type_of(enum kind k)
{
    uint32_t r = rnd(100);
    switch (k) {
    case K_CRIMINAL:
        return r < 38 ? "审查逮捕" : r < 92 ? "审查起诉" : "未成年人检察";
    case K_JUVENILE:
        return r < 70 ? "未成年人检察" : "审查起诉";
    case K_EXEC:
        return "刑事执行检察监督";
    case K_CIVIL:
        return "民事检察监督";
    case K_ADMIN:
        return "行政检察监督";
    case K_CIV_MIX:
        return r < 40 ? "刑事执行检察监督" : r < 75 ? "民事检察监督" : "行政检察监督";
    case K_PIL:
        return "公益诉讼";
    default:
        return "其他";
    }
}

/* Cases a month at full business intensity. */
static double rate_of(enum kind k)
{
    switch (k) {
    case K_CRIMINAL:
        return 1.5;
    case K_JUVENILE:
    case K_PIL:
        return 0.8;
    case K_COMPLAINT:
        return 0.35;
    default:
        return 0.7;
    }
}

static const char *case_abbrev(const char *type)
{
    static const char *const pairs[][2] = {
        {"审查逮捕", "刑捕"},         {"审查起诉", "刑诉"},     {"公益诉讼", "公益"},
        {"未成年人检察", "未检"},     {"民事检察监督", "民监"}, {"行政检察监督", "行监"},
        {"刑事执行检察监督", "执检"}, {"其他", "控申"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (!strcmp(pairs[i][0], type))
            return pairs[i][1];
    return "案";
}

/* ------------------------------------------------------------------ titles and names */

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                       "周", "吴", "孙", "马", "包", "白", "韩", "宝",
                                       "金", "佟", "乌", "那", "徐", "高", "郭", "何"};
static const char *const given[] = {"晓雨", "志强",   "海燕",     "建军", "丽娜",   "文博",
                                    "春梅", "宏伟",   "雅琴",     "振华", "其木格", "巴特尔",
                                    "萨仁", "额尔敦", "敖日格乐", "乌兰", "思远",   "佳怡"};
static const char *const crimes[] = {"盗窃",
                                     "诈骗",
                                     "危险驾驶",
                                     "故意伤害",
                                     "非法占用农用地",
                                     "合同诈骗",
                                     "帮助信息网络犯罪活动",
                                     "职务侵占",
                                     "非法狩猎",
                                     "掩饰、隐瞒犯罪所得",
                                     "寻衅滋事",
                                     "非法采矿"};
static const char *const pil_subjects[] = {"嘎查草原非法开垦",     "古墓葬文物保护",     "河道非法采砂",
                                           "校园周边食品安全",     "国有土地出让金流失", "林地非法占用",
                                           "农村饮用水水源地保护", "革命文物保护利用"};
static const char *const pil_units[] = {"林业和草原局",   "文物局",     "水利局",
                                        "市场监督管理局", "自然资源局", "生态环境分局"};
static const char *const disputes[] = {"民间借贷纠纷", "买卖合同纠纷", "土地承包经营权纠纷", "劳动争议",
                                       "房屋租赁合同纠纷"};
static const char *const organs[] = {"自然资源局", "市场监督管理局", "交通运输局", "人力资源和社会保障局"};
static const char *const exec_subjects[] = {"看守所羁押期限", "社区矫正对象脱管", "监外执行", "财产刑执行"};
static const char *const comments[][3] = {
    {"坚持从政治上看，办案方向正确", "办案过程体现司法为民，社会反响良好", "当事人及群众对办理结果满意"},
    {"讲政治、顾大局，依法稳妥处理", "释法说理到位，取得较好社会效果", "回访未发现不满意情况"},
    {"政治站位准确，落实宽严相济", "案件处理兼顾法理情，社会影响积极", "群众评价较好"},
    {"政治考量基本到位", "社会效果一般，释法说理有待加强", "当事人对办理期限有意见"},
};

static void person_name(char out[32])
{
    snprintf(out, 32, "%s%s", surnames[rnd(sizeof surnames / sizeof surnames[0])],
             given[rnd(sizeof given / sizeof given[0])]);
}

/* The case's name, by its type, into "out" (128 bytes); "county" names a place. */
static void title_of(const char *type, const char *county, char out[128])
{
    const char *s = surnames[rnd(sizeof surnames / sizeof surnames[0])];
    const char *s2 = surnames[rnd(sizeof surnames / sizeof surnames[0])];
    if (!strcmp(type, "审查逮捕") || !strcmp(type, "审查起诉"))
        snprintf(out, 128, "%s某某%s案", s, crimes[rnd(sizeof crimes / sizeof crimes[0])]);
    else if (!strcmp(type, "未成年人检察"))
        snprintf(out, 128, "未成年人%s某%s案", s, crimes[rnd(4)]);
    else if (!strcmp(type, "公益诉讼"))
        snprintf(out, 128, "%s%s公益诉讼案", county,
                 pil_subjects[rnd(sizeof pil_subjects / sizeof pil_subjects[0])]);
    else if (!strcmp(type, "民事检察监督"))
        snprintf(out, 128, "%s某与%s某%s民事监督案", s, s2,
                 disputes[rnd(sizeof disputes / sizeof disputes[0])]);
    else if (!strcmp(type, "行政检察监督"))
        snprintf(out, 128, "%s某诉%s%s行政处罚监督案", s, county,
                 organs[rnd(sizeof organs / sizeof organs[0])]);
    else if (!strcmp(type, "刑事执行检察监督"))
        snprintf(out, 128, "%s%s监督案", county,
                 exec_subjects[rnd(sizeof exec_subjects / sizeof exec_subjects[0])]);
    else
        snprintf(out, 128, "%s某不服处理决定控告申诉案", s);
}

/* ------------------------------------------------------------------ departments and people */

struct staff {
    int64_t id;
    bool quota;
    bool mongolian; /* works in Mongolian (mn or zh+mn) */
};

#define MAX_STAFF 32
struct dept {
    int64_t id, proc, branch;
    char name[64], proc_short[32];
    enum kind kind;
    bool city;
    int nstaff;
    struct staff staff[MAX_STAFF];
};

#define MAX_DEPTS 64
static struct dept depts[MAX_DEPTS];
static int ndepts;

static void load(struct res_ctx *x)
{
    ndepts = 0;
    store_stmt *st =
        store_prepare(x->c, "SELECT d.id, d.procuratorate_id, d.branch_id, d.name, d.duties,"
                            " p.short_name, p.level FROM departments d"
                            " JOIN procuratorates p ON p.id = d.procuratorate_id"
                            " WHERE d.kind = '业务' AND d.branch_id IS NOT NULL ORDER BY p.sort, d.sort");
    while (store_step(st, NULL) == STORE_ROW && ndepts < MAX_DEPTS) {
        struct dept *d = &depts[ndepts++];
        *d = (struct dept){.id = store_col_int(st, 0),
                           .proc = store_col_int(st, 1),
                           .branch = store_col_int(st, 2),
                           .city = store_col_int(st, 6) == 1};
        snprintf(d->name, sizeof d->name, "%s", store_col_text(st, 3));
        /* the numbers' prefix: 通辽市院 → 通辽市 (通辽市检刑诉〔2025〕3号) */
        snprintf(d->proc_short, sizeof d->proc_short, "%s", store_col_text(st, 5));
        size_t n = strlen(d->proc_short);
        if (n > 3 && !strcmp(d->proc_short + n - 3, "院"))
            d->proc_short[n - 3] = 0;
        d->kind =
            kind_of(d->name, store_col_type(st, 4) == STORE_NULL ? NULL : store_col_text(st, 4), d->city);
    }
    store_done(st);
    for (int i = 0; i < ndepts; i++) {
        st = store_prepare(
            x->c, "SELECT id, quota_prosecutor, languages <> 'zh' FROM members WHERE department_id = ?"
                  " ORDER BY id");
        store_bind_int(st, 1, depts[i].id);
        while (store_step(st, NULL) == STORE_ROW && depts[i].nstaff < MAX_STAFF)
            depts[i].staff[depts[i].nstaff++] = (struct staff){.id = store_col_int(st, 0),
                                                               .quota = store_col_int(st, 1) != 0,
                                                               .mongolian = store_col_int(st, 2) != 0};
        store_done(st);
    }
}

/* A member of department "d" (quota: a 员额检察官 only; mongolian: one who works in
 * Mongolian only), not "except"; 0 when none. */
static int64_t pick(const struct dept *d, bool quota, bool mongolian, int64_t except)
{
    int64_t ids[MAX_STAFF];
    int n = 0;
    for (int i = 0; i < d->nstaff; i++)
        if ((!quota || d->staff[i].quota) && (!mongolian || d->staff[i].mongolian) &&
            d->staff[i].id != except)
            ids[n++] = d->staff[i].id;
    return n ? ids[rnd((uint32_t)n)] : 0;
}

/* Another business department of the same procuratorate than "d", or NULL. */
static const struct dept *colleague_dept(const struct dept *d)
{
    const struct dept *c[MAX_DEPTS];
    int n = 0;
    for (int i = 0; i < ndepts; i++)
        if (depts[i].proc == d->proc && depts[i].id != d->id && depts[i].nstaff)
            c[n++] = &depts[i];
    return n ? c[rnd((uint32_t)n)] : NULL;
}

/* ------------------------------------------------------------------ one case */

static void put_member(struct demo *demo, int64_t case_id, const char *role, int64_t member,
                       const char *person, bool quota, const char *unit, const char *note)
{
    json_t *o = json_pack("{s:I, s:s, s:b}", "case_id", (json_int_t)case_id, "role", role, "sample", 1);
    if (member)
        json_object_set_new(o, "member_id", json_integer(member));
    if (person) {
        json_object_set_new(o, "person_name", json_string(person));
        json_object_set_new(o, "person_quota", json_boolean(quota));
    }
    if (unit)
        json_object_set_new(o, "unit_name", json_string(unit));
    if (note)
        json_object_set_new(o, "note", json_string(note));
    demo_put(demo, "case-members", o);
}

/* The stage dates of a case of "type" received on day "recv" (days; -1 when the stage is
 * not reached by the demo's end or skipped). */
static void plan_stages(const char *type, int recv, int out[5])
{
    for (int i = 0; i < 5; i++)
        out[i] = -1;
    out[0] = recv;
    bool arrest = !strcmp(type, "审查逮捕"), exec = !strcmp(type, "刑事执行检察监督");
    bool prosecute = !strcmp(type, "审查起诉") || !strcmp(type, "未成年人检察");
    int decided = recv + (arrest ? 3 + (int)rnd(5) : 10 + (int)rnd(40));
    int closed;
    if (arrest || exec) {
        closed = decided + (int)rnd(4);
        out[1] = decided;
        out[4] = closed;
    } else {
        out[1] = decided;
        /* 起诉 (or suit, 抗诉) in most criminal cases, in some of the others */
        bool files = prosecute ? chance(0.82) : chance(0.3);
        if (files) {
            int filed = decided + (int)rnd(12);
            int judged = filed + 25 + (int)rnd(60);
            out[2] = filed;
            out[3] = judged;
            closed = judged + 3 + (int)rnd(15);
        } else {
            closed = decided + 2 + (int)rnd(20);
        }
        out[4] = closed;
    }
    /* what has not happened by the demo's end has not happened; nor what comes after it */
    for (int i = 1; i < 5; i++)
        if (out[i] > last_day)
            for (int j = i; j < 5; j++)
                out[j] = -1;
}

static const char *const demo_aspects[] = {"政治考量", "社会影响", "群众满意"};

static int put_case(struct demo *demo, const struct dept *d, const struct demo_profile *prof, int m, int seq)
{
    const char *type = type_of(d->kind);
    int y = DEMO_FIRST_YEAR + m / 12, mon = m % 12 + 1;
    int first = days_of(y, mon, 1), next = mon == 12 ? days_of(y + 1, 1, 1) : days_of(y, mon + 1, 1);
    int recv = first + (int)rnd((uint32_t)(next - first));
    if (recv > last_day)
        return 0;
    double party = prof ? prof->party[m] : 0.6;
    bool zlt = strstr(d->proc_short, "扎鲁特") != NULL, kzz = strstr(d->proc_short, "科左中") != NULL;

    int stage[5];
    plan_stages(type, recv, stage);
    char dates[5][16], no[64], title[128];
    snprintf(no, sizeof no, "%s检%s〔%d〕%d号", d->proc_short, case_abbrev(type), y, seq);
    title_of(type, d->proc_short, title);
    json_t *o =
        json_pack("{s:I, s:I, s:s, s:s, s:s, s:b}", "procuratorate_id", (json_int_t)d->proc, "department_id",
                  (json_int_t)d->id, "case_no", no, "title", title, "type", type, "sample", 1);
    static const char *const stage_fields[5] = {"received_on", "decided_on", "filed_on", "judged_on",
                                                "closed_on"};
    for (int i = 0; i < 5; i++)
        if (stage[i] >= 0) {
            date_of(stage[i], dates[i]);
            json_object_set_new(o, stage_fields[i], json_string(dates[i]));
        }

    /* language: 扎鲁特旗 handles many cases bilingually, 科左中旗 some */
    const char *language = "汉语", *party_language = "汉语";
    double bilingual = zlt ? 0.45 : kzz ? 0.2 : 0.03, mongolian = zlt ? 0.12 : kzz ? 0.04 : 0.0;
    if (chance(bilingual)) {
        language = "双语";
        party_language = chance(0.7) ? "蒙古语" : "双语";
    } else if (chance(mongolian)) {
        language = "蒙古语";
        party_language = "蒙古语";
    } else if (chance(zlt ? 0.15 : kzz ? 0.08 : 0.01)) {
        party_language = "蒙古语"; /* handled in 汉语 for a Mongolian-speaking party: an interpreter */
    }
    char interpreter[64] = "";
    bool needs = !strcmp(language, "汉语") && !strcmp(party_language, "蒙古语");
    if (needs) {
        char n[32];
        person_name(n);
        snprintf(interpreter, sizeof interpreter, "%s（%s民族事务局翻译）", n, d->proc_short);
    }
    json_object_set_new(o, "language", json_string(language));
    if (strcmp(type, "公益诉讼") != 0 && strcmp(type, "刑事执行检察监督") != 0)
        json_object_set_new(o, "party_language", json_string(party_language));
    else
        needs = false;
    if (needs)
        json_object_set_new(o, "interpreter", json_string(interpreter));

    bool closed = stage[4] >= 0;
    const char *grade = NULL;
    if (closed) {
        double r = rnd(1000) / 1000.0, good = 0.12 + 0.25 * party;
        grade = r < good ? "优质" : r < 0.9 ? "合格" : r < 0.98 ? "基本合格" : "不合格";
        json_object_set_new(o, "grade", json_string(grade));
    }
    /* a few good cases become typical ones, more in 霍林郭勒 (培育典型案例) */
    bool hlgl = strstr(d->proc_short, "霍林郭勒") != NULL;
    if (grade && !strcmp(grade, "优质") && chance(hlgl ? 0.25 : 0.06)) {
        uint32_t r = rnd(100);
        const char *level = r < 40 ? "本院" : r < 75 ? "市院" : r < 95 ? "自治区院" : "最高检";
        char writeup[512];
        snprintf(writeup, sizeof writeup,
                 "【示例】%s。办案组由党员%s牵头，坚持“从政治上看”，依法%"
                 "s，做到政治效果、社会效果和法律效果相统一，"
                 "被%s评为典型案例。",
                 title, d->name,
                 strcmp(type, "公益诉讼") == 0 ? "督促行政机关履职整改" : "准确认定事实、适用法律", level);
        json_object_set_new(o, "typical", json_true());
        json_object_set_new(o, "typical_level", json_string(level));
        json_object_set_new(o, "typical_writeup", json_string(writeup));
    }
    int64_t case_id = demo_put(demo, "cases", o);

    /* the team: the lead, mostly a party member who is a 员额检察官 */
    int64_t lead = 0;
    const struct dept *other = NULL;
    if (chance(0.72 + 0.25 * party)) {
        lead = pick(d, true, !strcmp(language, "汉语") ? false : chance(0.8), 0);
        if (!lead)
            lead = pick(d, true, false, 0);
        if (!lead && (other = colleague_dept(d)))
            lead = pick(other, true, false, 0);
    }
    char n[32];
    if (lead) {
        put_member(demo, case_id, "主办检察官", lead, NULL, false, NULL, NULL);
    } else {
        person_name(n);
        put_member(demo, case_id, "主办检察官", 0, n, true, NULL, "员额检察官（非党员）");
    }
    int64_t assistant = pick(d, false, false, lead);
    if (assistant)
        put_member(demo, case_id, "检察官助理", assistant, NULL, false, NULL, NULL);
    if (chance(0.45)) {
        person_name(n);
        put_member(demo, case_id, "书记员", 0, n, false, NULL, NULL);
    }
    if (chance(0.08) && (other = colleague_dept(d))) {
        int64_t tech = pick(other, false, false, lead);
        if (tech && tech != assistant)
            put_member(demo, case_id, "技术人员", tech, NULL, false, NULL, "跨部门协作");
    }
    if (!strcmp(type, "公益诉讼") && chance(0.35)) {
        char unit[96];
        snprintf(unit, sizeof unit, "%s%s", d->proc_short,
                 pil_units[rnd(sizeof pil_units / sizeof pil_units[0])]);
        put_member(demo, case_id, "其他", 0, NULL, false, unit, "一案一专班：检察+行政协作");
    }
    if (needs) {
        char who[32];
        snprintf(who, sizeof who, "%.*s", (int)(strstr(interpreter, "（") - interpreter), interpreter);
        put_member(demo, case_id, "翻译", 0, who, false, NULL, "蒙汉翻译");
    }

    /* 三必评 of a closed case, by its branch, a few days after closing */
    if (closed) {
        const char *const *c = comments[grade && !strcmp(grade, "优质") ? 0 : rnd(4)];
        for (int i = 0; i < 3; i++) {
            int base = 68 + (int)(20 * party) + (grade && !strcmp(grade, "优质") ? 4 : 0) -
                       (grade && !strcmp(grade, "不合格") ? 20 : 0);
            int score = base + (int)rnd(11) - 5;
            score = score > 100 ? 100 : score < 40 ? 40 : score;
            int on = stage[4] + 1 + (int)rnd(10);
            on = on > last_day ? last_day : on;
            char day[16];
            date_of(on, day);
            demo_put(demo, "case-reviews",
                     json_pack("{s:I, s:I, s:s, s:i, s:s, s:s, s:b}", "case_id", (json_int_t)case_id,
                               "branch_id", (json_int_t)d->branch, "aspect", demo_aspects[i], "score", score,
                               "comment", c[i], "reviewed_on", day, "sample", 1));
        }
    }
    return 1;
}

/* ------------------------------------------------------------------ all of it */

void demo_build_cases(struct demo *demo)
{
    struct res_ctx *x = demo_ctx(demo);
    char today[11];
    text_today(today);
    int ty, tm, td;
    sscanf(today, "%d-%d-%d", &ty, &tm, &td);
    last_day = days_of(ty, tm, td);
    if (days_of(2025, 12, 31) < last_day)
        last_day = days_of(2025, 12, 31);
    rng_state = 0x2024c0deu;
    load(x);
    /* case numbers: per procuratorate, type and year */
    struct {
        int64_t proc;
        char abbrev[16];
        int year, n;
    } seqs[256];
    int nseq = 0;
    for (int m = 0; m < DEMO_MONTHS; m++) {
        for (int i = 0; i < ndepts; i++) {
            const struct dept *d = &depts[i];
            if (!d->nstaff)
                continue;
            const struct demo_profile *prof = demo_profile(demo, d->branch);
            double busy = prof ? prof->business[m] : 0.5;
            double want = rate_of(d->kind) * busy * (strstr(d->proc_short, "扎鲁特") ? 1.2 : 1.0);
            int n = (int)want +
                    (demo_draw(prof, (uint32_t)d->id * 31u + 7u, (uint32_t)m) < want - (int)want ? 1 : 0);
            for (int k = 0; k < n; k++) {
                /* the number is taken before the type is known: peek the type's stream */
                uint32_t saved = rng_state;
                const char *type = type_of(d->kind);
                rng_state = saved;
                int y = DEMO_FIRST_YEAR + m / 12, s = 0;
                for (; s < nseq; s++)
                    if (seqs[s].proc == d->proc && seqs[s].year == y &&
                        !strcmp(seqs[s].abbrev, case_abbrev(type)))
                        break;
                if (s == nseq && nseq < 256) {
                    seqs[nseq].proc = d->proc;
                    seqs[nseq].year = y;
                    seqs[nseq].n = 0;
                    snprintf(seqs[nseq].abbrev, sizeof seqs[nseq].abbrev, "%s", case_abbrev(type));
                    nseq++;
                }
                if (s < 256)
                    put_case(demo, d, prof, m, ++seqs[s].n);
            }
        }
    }
}
