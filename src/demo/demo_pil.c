/*
 * demo_pil: two years (2024-01 .. 2025-12) of patrols, public-interest matters and legal
 * outreach for every demo branch, all 示例 (sample): the article names the practices,
 * not the records. How much each branch does follows its profile (demo/profile.h):
 * patrols and matters its business work, outreach both sides. 科左中旗 (KZZ) patrols
 * often, jointly with administrative leaders, and its patrols raise matters on 文物 and
 * 草原 under its 检察+行政 文物 mechanism; 扎鲁特旗 (ZLT) takes its 萨日朗 legal advisers
 * out to herders, mostly mobile and bilingual. Everything goes through demo_put(), the
 * API's own write path, so the demo meets every rule of src/domain/pil.c.
 */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "demo/demo.h"
#include "demo/profile.h"
#include "domain/resource.h"
#include "store/store.h"

#define MAX_BRANCHES 32
#define MAX_MEMBERS 64

/* One branch as the generator sees it. */
struct gbranch {
    int64_t id, proc;
    int level;           /* of its procuratorate: 1 the city */
    char short_name[64]; /* of its procuratorate: 科左中旗 */
    const struct demo_profile *p;
    int64_t members[MAX_MEMBERS];
    int nmembers;
    uint32_t seed, n; /* its noise stream */
};

struct gen {
    struct demo *d;
    char today[16];
    int patrols, matters, outreach;
};

static double rnd(struct gbranch *b)
{
    return demo_noise(b->seed, b->n++);
}

static int pick(struct gbranch *b, int n)
{
    int i = (int)(rnd(b) * n);
    return i < n ? i : n - 1;
}

/* ---- dates: YYYY-MM-DD and day numbers */

static long day_number(const char *date)
{
    int y, m, d;
    sscanf(date, "%d-%d-%d", &y, &m, &d);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy;
}

static void date_of(long n, char out[16])
{
    long era = (n >= 0 ? n : n - 146096) / 146097, doe = n - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2));
    snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
}

/* "date" plus "days" into "out"; false when that lies after the demo's last day or today. */
static bool later(struct gen *g, const char *date, int days, char out[16])
{
    date_of(day_number(date) + days, out);
    return strcmp(out, "2025-12-31") <= 0 && strcmp(out, g->today) <= 0;
}

/* A day of demo month "m" (0 = 2024-01) into "out". */
static void day_of_month(struct gbranch *b, int m, char out[16])
{
    unsigned month = (unsigned)m % 12 + 1, day = (unsigned)pick(b, 28) % 28 + 1;
    snprintf(out, 16, "%04u-%02u-%02u", (unsigned)(DEMO_FIRST_YEAR + m / 12) % 10000, month, day);
}

/* ---- reading what demo_build() made */

static int load_branches(struct gen *g, struct gbranch *bs)
{
    store_conn *c = demo_ctx(g->d)->c;
    store_stmt *st = store_prepare(c, "SELECT b.id, b.procuratorate_id, p.level, p.short_name FROM branches b"
                                      " JOIN procuratorates p ON p.id = b.procuratorate_id ORDER BY b.id");
    int n = 0;
    while (n < MAX_BRANCHES && store_step(st, NULL) == STORE_ROW) {
        struct gbranch *b = &bs[n];
        memset(b, 0, sizeof *b);
        b->id = store_col_int(st, 0);
        b->proc = store_col_int(st, 1);
        b->level = (int)store_col_int(st, 2);
        snprintf(b->short_name, sizeof b->short_name, "%s", store_col_text(st, 3));
        b->seed = 0x5011u + (uint32_t)b->id * 7919u;
        n++;
    }
    store_done(st);
    for (int i = 0; i < n; i++) {
        bs[i].p = demo_profile(g->d, bs[i].id);
        st = store_prepare(c, "SELECT id FROM members WHERE branch_id = ? ORDER BY id");
        store_bind_int(st, 1, bs[i].id);
        while (bs[i].nmembers < MAX_MEMBERS && store_step(st, NULL) == STORE_ROW)
            bs[i].members[bs[i].nmembers++] = store_col_int(st, 0);
        store_done(st);
    }
    return n;
}

/* 1..4 distinct members of the branch (at most what it has). */
static json_t *some_members(struct gbranch *b)
{
    json_t *ids = json_array();
    int want = 2 + pick(b, 3);
    if (want > b->nmembers)
        want = b->nmembers;
    int start = pick(b, b->nmembers);
    for (int i = 0; i < want; i++)
        json_array_append_new(ids, json_integer(b->members[(start + i * 3) % b->nmembers]));
    /* a stride of 3 may meet itself in a small branch: keep each once */
    for (size_t i = json_array_size(ids); i-- > 0;)
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_array_get(ids, i)) == json_integer_value(json_array_get(ids, j))) {
                json_array_remove(ids, i);
                break;
            }
    return ids;
}

static bool is_key(const struct gbranch *b, const char *key)
{
    return b->p && !strcmp(b->p->key, key);
}

/* ---- what patrols find, and the organs concerned */

struct finding {
    const char *field, *place_kind, *what, *text, *organ; /* organ: after the county's name */
};
static const struct finding findings[] = {
    {"文物和文化遗产", "古遗址保护范围", "古遗址被取土盗掘",
     "古遗址保护范围内发现取土、盗掘痕迹，保护标志缺失", "文物保护中心"},
    {"文物和文化遗产", "不可移动文物", "文物周边环境受损", "不可移动文物周边违规堆放杂物，文物本体有风化破损",
     "文化和旅游局"},
    {"草原", "草牧场", "非法开垦草原", "发现非法开垦草原、擅自改变草原用途", "林业和草原局"},
    {"草原", "草场", "草场超载过牧", "草场超载过牧，部分地段沙化，禁牧期内有放牧痕迹", "林业和草原局"},
    {"生态环境和资源保护", "河道", "河道非法采砂", "河道内有非法采砂坑和倾倒的建筑垃圾", "水利局"},
    {"生态环境和资源保护", "饮用水水源地", "水源地保护区污染", "饮用水水源保护区内有畜禽养殖和生活垃圾",
     "生态环境分局"},
    {"食品药品安全", "农贸市场", "无证经营食品", "市场内有无证经营的熟食摊点，冷链食品来源不明",
     "市场监督管理局"},
    {"国有财产保护", "国有林场", "国有林地被占用", "国有林场内林地被个人长期占用种植", "自然资源局"},
    {"未成年人保护", "学校周边", "校园周边娱乐场所", "学校周边二百米内有网吧、电子游戏经营场所", "教育局"},
};
#define NFINDINGS (sizeof findings / sizeof findings[0])

/* Places by county; other branches patrol their city or county in general terms. */
static const char *const kzz_places[] = {"舍伯吐镇",   "宝龙山镇",   "架玛吐镇",
                                         "巴彦塔拉镇", "花吐古拉镇", "敖包苏木"};
static const char *const zlt_places[] = {"鲁北镇", "巴彦宝力格牧场", "格日朝鲁苏木", "嘎亥图镇",
                                         "乌力吉木仁苏木"};
static const char *const any_places[] = {"城区", "城郊", "工业园区", "东部乡镇", "西部乡镇"};

/* The officials who go on a joint patrol: the organ concerned and the local government. */
static json_t *officials_for(struct gbranch *b, const struct finding *f)
{
    static const char *const surnames[] = {"王", "李", "张", "刘", "包", "白", "陈", "韩"};
    char organ[96], gov[96], name1[16], name2[16];
    snprintf(organ, sizeof organ, "%s%s", b->level == 1 ? "通辽市" : b->short_name, f->organ);
    snprintf(gov, sizeof gov, "%s人民政府", b->level == 1 ? "通辽市" : b->short_name);
    /* the deputy head of the 旗, 县, 市 or 区 (the last character of its short name) */
    size_t len = strlen(b->short_name);
    char deputy[32];
    snprintf(deputy, sizeof deputy, "副%s长", b->level == 1 || len < 3 ? "市" : b->short_name + len - 3);
    snprintf(name1, sizeof name1, "%s某", surnames[pick(b, 8)]);
    snprintf(name2, sizeof name2, "%s某", surnames[pick(b, 8)]);
    json_t *o = json_pack("[{s:s, s:s, s:s}]", "name", name1, "title", "局长", "organ", organ);
    if (rnd(b) < 0.5)
        json_array_append_new(o, json_pack("{s:s, s:s, s:s}", "name", name2, "title", deputy, "organ", gov));
    return o;
}

/* The county's centre, roughly (decimal degrees), for patrols with coordinates. */
static void centre_of(const struct gbranch *b, double *lat, double *lng)
{
    *lat = 43.65, *lng = 122.26; /* 通辽 */
    if (is_key(b, "KZZ"))
        *lat = 44.13, *lng = 123.31;
    else if (is_key(b, "ZLT"))
        *lat = 44.56, *lng = 120.91;
}

/* ---- matters: the stages as far as the demo's two years reach */

static void set_date(json_t *o, const char *key, const char *date)
{
    json_object_set_new(o, key, json_string(date));
}

/* Stages after the clue of matter "o" (clue_on set), each when the one before is there. */
static void stages(struct gen *g, struct gbranch *b, json_t *o, const char *organ)
{
    char filed[16], rec[16], reply[16], end[16], visit[16];
    const char *clue = json_string_value(json_object_get(o, "clue_on"));
    if (!later(g, clue, 3 + pick(b, 25), filed) || rnd(b) < 0.1)
        return;
    set_date(o, "filed_on", filed);
    if (!later(g, filed, 7 + pick(b, 35), rec) || rnd(b) < 0.12)
        return;
    set_date(o, "recommended_on", rec);
    json_object_set_new(o, "organ", json_string(organ));
    /* most organs reply within the two months, some late, a few not at all */
    double r = rnd(b);
    int reply_in = r < 0.78 ? 15 + pick(b, 40) : r < 0.92 ? 62 + pick(b, 30) : -1;
    if (reply_in < 0 || !later(g, rec, reply_in, reply))
        return;
    set_date(o, "reply_on", reply);
    r = rnd(b);
    const char *how = r < 0.8 ? "rectified_on" : r < 0.9 ? "sued_on" : NULL;
    if (!how || !later(g, reply, 10 + pick(b, 50), end))
        return;
    set_date(o, how, end);
    if (rnd(b) < 0.65 && later(g, end, 30 + pick(b, 60), visit))
        set_date(o, "revisited_on", visit);
}

static void put_matter(struct gen *g, struct gbranch *b, const struct finding *f, const char *clue_on,
                       int64_t patrol, json_t *officials, const char *place)
{
    static const char *const sources[] = {"大数据监督模型", "举报", "移送", "其他"};
    char title[200], organ[96];
    snprintf(organ, sizeof organ, "%s%s", b->level == 1 ? "通辽市" : b->short_name, f->organ);
    snprintf(title, sizeof title, "%s%s", patrol ? place : b->level == 1 ? "通辽市" : b->short_name, f->what);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "procuratorate_id", (json_int_t)b->proc,
                          "branch_id", (json_int_t)b->id, "title", title, "source",
                          patrol ? "巡查" : sources[pick(b, 4)], "field", f->field, "clue_on", clue_on,
                          "summary", f->text, "sample", 1);
    if (patrol)
        json_object_set_new(o, "patrol_id", json_integer(patrol));
    if (officials) {
        /* a joint patrol: the officials' organs are the collaboration's partners */
        char partners[200] = "";
        size_t i;
        json_t *it;
        json_array_foreach(officials, i, it)
        {
            size_t n = strlen(partners);
            snprintf(partners + n, sizeof partners - n, "%s%s", n ? "、" : "",
                     json_string_value(json_object_get(it, "organ")));
        }
        json_object_set_new(o, "collaboration", json_string("党员+行政长官"));
        json_object_set_new(o, "partners", json_string(partners));
    } else if (is_key(b, "KZZ") && !strcmp(f->field, "文物和文化遗产")) {
        json_object_set_new(o, "collaboration", json_string("检察+行政"));
        json_object_set_new(o, "mechanism", json_string("“检察+行政”文物司法保护协作机制"));
        json_object_set_new(o, "partners",
                            json_string("科左中旗文化和旅游局、科左中旗文物保护中心、科左中旗公安局"));
    }
    stages(g, b, o, organ);
    demo_put(g->d, "pil-matters", o);
    g->matters++;
}

/* ---- one branch's two years */

static void patrols_of(struct gen *g, struct gbranch *b)
{
    bool kzz = is_key(b, "KZZ"), zlt = is_key(b, "ZLT");
    const char *const *places = kzz ? kzz_places : zlt ? zlt_places : any_places;
    int nplaces = kzz ? 6 : zlt ? 5 : 5;
    for (int m = 0; m < DEMO_MONTHS; m++) {
        double busy = b->p ? b->p->business[m] : 0.5;
        double rate = kzz ? 2.4 * busy : (b->level == 1 ? 0.35 : 0.9) * busy;
        int count = (int)(rate + rnd(b));
        for (int k = 0; k < count; k++) {
            char date[16];
            day_of_month(b, m, date);
            if (strcmp(date, g->today) > 0)
                continue;
            /* KZZ's patrols look at relics and grassland, ZLT's at grassland; the rest anything */
            const struct finding *f = &findings[kzz   ? pick(b, 4)
                                                : zlt ? 2 + pick(b, 2)
                                                      : 4 + pick(b, NFINDINGS - 4)];
            const char *town = places[pick(b, nplaces)];
            char where[160], place[200];
            snprintf(where, sizeof where, "%s%s", b->level == 1 ? "通辽市" : b->short_name, town);
            snprintf(place, sizeof place, "%s%s", where, f->place_kind);
            bool joint = rnd(b) < (kzz ? 0.45 : 0.15);
            bool found = rnd(b) < (kzz ? 0.6 : 0.3 + 0.3 * busy);
            json_t *officials = joint ? officials_for(b, f) : NULL;
            json_t *o =
                json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:s, s:b}", "branch_id", (json_int_t)b->id,
                          "patrolled_on", date, "kind", joint ? "党员+行政长官联合巡查" : "党员突击队巡查",
                          "place", place, "member_ids", some_members(b), "problem_found", found, "findings",
                          found ? f->text : "未发现问题，向周边群众宣传公益保护相关法律", "sample", 1);
            if (officials)
                json_object_set(o, "officials", officials);
            if (rnd(b) < 0.6) {
                double lat, lng;
                centre_of(b, &lat, &lng);
                char s[24];
                snprintf(s, sizeof s, "%.4f", lat + (rnd(b) - 0.5) * 0.6);
                json_object_set_new(o, "lat", json_string(s));
                snprintf(s, sizeof s, "%.4f", lng + (rnd(b) - 0.5) * 0.6);
                json_object_set_new(o, "lng", json_string(s));
            }
            int64_t id = demo_put(g->d, "patrols", o);
            g->patrols++;
            if (found && rnd(b) < (kzz ? 0.85 : 0.5))
                put_matter(g, b, f, date, id, officials, where);
            json_decref(officials);
        }
        /* matters from other sources: a model's run, a report, a referral */
        if (b->level == 2 && rnd(b) < (kzz ? 0.5 : 0.3) * busy) {
            char date[16];
            day_of_month(b, m, date);
            if (strcmp(date, g->today) <= 0)
                put_matter(g, b, &findings[kzz ? pick(b, 4) : pick(b, NFINDINGS)], date, 0, NULL, NULL);
        }
    }
}

struct topic {
    const char *audience, *topic;
};
static const struct topic topics[] = {
    {"牧民", "草原保护法与禁牧休牧政策宣讲"},
    {"牧民", "草场流转合同纠纷法律咨询"},
    {"牧民", "防范电信网络诈骗"},
    {"学生", "预防未成年人犯罪法治课"},
    {"学生", "法治副校长开学第一课"},
    {"企业", "涉企合规与营商环境法律服务"},
    {"社区居民", "民法典进社区"},
    {"社区居民", "养老诈骗防范宣传"},
    {"农民", "农村土地承包法律知识讲座"},
    {"其他", "12309检察服务热线宣传"},
};
#define NTOPICS (sizeof topics / sizeof topics[0])

static void outreach_of(struct gen *g, struct gbranch *b)
{
    bool zlt = is_key(b, "ZLT"), kzz = is_key(b, "KZZ");
    for (int m = 0; m < DEMO_MONTHS; m++) {
        double busy = b->p ? 0.5 * (b->p->party[m] + b->p->business[m]) : 0.5;
        int count = (int)((zlt ? 2.2 : 0.8) * busy + rnd(b));
        for (int k = 0; k < count; k++) {
            char date[16];
            day_of_month(b, m, date);
            if (strcmp(date, g->today) > 0)
                continue;
            /* ZLT goes to herders; the others speak to everyone */
            const struct topic *t = zlt && rnd(b) < 0.65 ? &topics[pick(b, 3)] : &topics[pick(b, NTOPICS)];
            bool online = rnd(b) < (zlt ? 0.15 : 0.2);
            bool mobile = !online && rnd(b) < (zlt ? 0.75 : 0.35);
            double l = rnd(b);
            const char *language = zlt ? (l < 0.6    ? "双语"
                                          : l < 0.75 ? "蒙古语"
                                                     : "汉语")
                                       : (l < (kzz ? 0.3 : 0.12) ? "双语" : "汉语");
            const char *programme = rnd(b) < (zlt ? 0.45 : kzz ? 0.3 : 0.15) ? "公益法律顾问团" : "普法宣传";
            char place[160];
            if (online)
                snprintf(place, sizeof place, "%s", zlt ? "“萨日朗”微信公众号" : "院微信公众号直播");
            else if (mobile)
                snprintf(place, sizeof place, "%s%s", b->level == 1 ? "通辽市" : b->short_name,
                         zlt   ? zlt_places[pick(b, 5)]
                         : kzz ? kzz_places[pick(b, 6)]
                               : "乡镇巡回点");
            else
                snprintf(place, sizeof place, "%s%s", b->level == 1 ? "通辽市" : b->short_name,
                         zlt ? "检察服务站" : "检察院12309检察服务中心");
            char topic[200];
            snprintf(topic, sizeof topic, "%s%s", t->topic,
                     zlt && !strcmp(programme, "公益法律顾问团") ? "（萨日朗）" : "");
            int size = online ? 200 + pick(b, 4000) : 20 + pick(b, 260);
            json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:b}", "branch_id",
                                  (json_int_t)b->id, "held_on", date, "programme", programme, "kind",
                                  online ? "线上" : "线下", "place", place, "topic", topic, "audience",
                                  t->audience, "audience_size", size, "language", language, "member_ids",
                                  some_members(b), "sample", 1);
            if (!online)
                json_object_set_new(o, "form", json_string(mobile ? "流动" : "固定点位"));
            demo_put(g->d, "outreach", o);
            g->outreach++;
        }
    }
}

void demo_build_pil(struct demo *d)
{
    struct gen g = {.d = d};
    text_today(g.today);
    static struct gbranch bs[MAX_BRANCHES];
    int n = load_branches(&g, bs);
    for (int i = 0; i < n; i++) {
        if (bs[i].nmembers == 0)
            continue;
        patrols_of(&g, &bs[i]);
        outreach_of(&g, &bs[i]);
    }
}
