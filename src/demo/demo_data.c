/*
 * demo_data: the Tongliao data set, built record by record through demo_put().
 *
 * Source: 《党建领航固基筑堡垒 业务赋能聚力创佳绩——通辽市检察机关先进党支部党建与业务
 * 融合工作成果展示》 (shared/seed/tongliao-article.txt, "the article" below).
 *
 * Two kinds of data, kept apart by the "sample" flag:
 * - fact (sample = false): what the article states — the two levels of procuratorates,
 *   the city's departments, the six presented branches, their brands, methods, method
 *   elements and honours. Text is quoted in the article's own words and punctuation
 *   (ASCII ",;:()" as the article prints them); a comment marks each source paragraph.
 *   The only correction: the article's "刑事訴訟监督" (traditional 訴訟) is written 诉讼.
 * - 示例 (sample = true): what the article does not give but the product needs — the nine
 *   branches it does not present (it says there are 15), county departments, party
 *   groups, the two party-group sub-brands of 通心聚力, every person, and the people
 *   behind the counted member honours (the counts are the article's; the people are not).
 *   All of it comes from demo_rand(), so every run builds the same demo.
 *
 * Records are created parents first: procuratorates, branches, departments, party
 * groups, members, brands, methods, method elements, honours, users.
 */
#include "demo/demo.h"

#include "base/civil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "base/idcard.h"
#include "base/text.h"

/* ======================================================================== */
/* JSON helpers: any failure here is a bug in this file, so abort loudly.   */
/* ======================================================================== */

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "demo_data: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

static json_t *obj_new(void)
{
    json_t *o = json_object();
    if (!o)
        fail("out of memory", NULL);
    return o;
}

/* json_pack() answers NULL on a bad format or bad UTF-8: never let that reach demo_put. */
static json_t *packed(json_t *o, const char *what)
{
    if (!o)
        fail("json_pack failed", what);
    return o;
}

static void set_new(json_t *o, const char *key, json_t *v)
{
    if (!v)
        fail("cannot make JSON value for", key);
    if (json_object_set_new(o, key, v) != 0)
        fail("json_object_set_new failed for", key);
}

/* Set "key" to the string "v"; a NULL "v" leaves the key out (the field stays unset). */
static void set_str(json_t *o, const char *key, const char *v)
{
    if (v)
        set_new(o, key, json_string(v));
}

static void set_int(json_t *o, const char *key, long long v)
{
    set_new(o, key, json_integer((json_int_t)v));
}

/* A reference: ids are positive; 0 means "none" and leaves the key out. */
static void set_ref(json_t *o, const char *key, int64_t id)
{
    if (id > 0)
        set_int(o, key, (long long)id);
}

static void set_bool(json_t *o, const char *key, bool v)
{
    set_new(o, key, json_boolean(v));
}

/* Only generated records carry "sample": true; facts keep the default (false). */
static void set_sample(json_t *o, bool sample)
{
    if (sample)
        set_bool(o, "sample", true);
}

/* ======================================================================== */
/* Dates, as day numbers (days since 1970-01-01, proleptic Gregorian).       */
/* ======================================================================== */

static void fmt_date(char out[16], int days)
{
    int y, m, d;
    civil_date(days, &y, &m, &d);
    snprintf(out, 16, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

/* ======================================================================== */
/* 1. Procuratorates: the city one and its 8 county-level ones (导语: 两级院). */
/* ======================================================================== */

/* clang-format off */
enum proc_ix { P_CITY, P_KEQ, P_HLGL, P_KL, P_KZZ, P_KZH, P_KUL, P_NM, P_ZLT, P_COUNT };
/* clang-format on */

/* "……的人民检察院" in traditional Mongolian script (arad-un bayičaγan qinaqu yamun). */
#define MN_PROCURATORATE " ᠠᠷᠠᠳ ᠤᠨ ᠪᠠᠶᠢᠴᠠᠭᠠᠨ ᠬᠢᠨᠠᠬᠤ ᠶᠠᠮᠤᠨ"

static const struct proc_def {
    const char *name, *name_mn, *short_name;
    int level;      /* 1 市院, 2 基层院 */
    int mongol_pct; /* 示例: share of 蒙古族 among the generated members */
} procs[P_COUNT] = {
    [P_CITY] = {"通辽市人民检察院", "ᠲᠦᠩᠯᠢᠶᠣᠤ ᠬᠣᠲᠠ ᠶᠢᠨ" MN_PROCURATORATE, "通辽市院", 1, 40},
    [P_KEQ] = {"科尔沁区人民检察院", "ᠬᠣᠷᠴᠢᠨ ᠲᠣᠭᠣᠷᠢᠭ ᠤᠨ" MN_PROCURATORATE, "科尔沁区", 2, 35},
    [P_HLGL] = {"霍林郭勒市人民检察院", "ᠬᠣᠣᠯᠢᠨ ᠭᠣᠣᠯ ᠬᠣᠲᠠ ᠶᠢᠨ" MN_PROCURATORATE, "霍林郭勒市", 2, 30},
    [P_KL] = {"开鲁县人民检察院", "ᠺᠠᠶᠢᠯᠦ ᠰᠢᠶᠠᠨ ᠤ" MN_PROCURATORATE, "开鲁县", 2, 15},
    [P_KZZ] = {"科尔沁左翼中旗人民检察院", "ᠬᠣᠷᠴᠢᠨ ᠵᠡᠭᠦᠨ ᠭᠠᠷᠤᠨ ᠳᠤᠮᠳᠠᠳᠤ ᠬᠣᠰᠢᠭᠤᠨ ᠤ" MN_PROCURATORATE,
               "科左中旗", 2, 65},
    [P_KZH] = {"科尔沁左翼后旗人民检察院", "ᠬᠣᠷᠴᠢᠨ ᠵᠡᠭᠦᠨ ᠭᠠᠷᠤᠨ ᠬᠣᠶᠢᠲᠤ ᠬᠣᠰᠢᠭᠤᠨ ᠤ" MN_PROCURATORATE, "科左后旗",
               2, 65},
    [P_KUL] = {"库伦旗人民检察院", "ᠬᠦᠷᠢᠶᠡ ᠬᠣᠰᠢᠭᠤᠨ ᠤ" MN_PROCURATORATE, "库伦旗", 2, 55},
    [P_NM] = {"奈曼旗人民检察院", "ᠨᠠᠶᠢᠮᠠᠨ ᠬᠣᠰᠢᠭᠤᠨ ᠤ" MN_PROCURATORATE, "奈曼旗", 2, 40},
    [P_ZLT] = {"扎鲁特旗人民检察院", "ᠵᠠᠷᠤᠳ ᠬᠣᠰᠢᠭᠤᠨ ᠤ" MN_PROCURATORATE, "扎鲁特旗", 2, 55},
};

/* ======================================================================== */
/* 2. Branches: 15 grassroots party organisations across both levels        */
/*    (导语: "全市两级检察院15个基层党组织"). Six are the article's; nine are 示例. */
/* ======================================================================== */

/* clang-format off */
enum branch_ix {
    B_CITY1, B_CITY2, B_CITY3, /* 通辽市院 */
    B_KEQ1, B_KEQ2, B_KEQ3,    /* 科尔沁区 */
    B_HLGL, B_KL1, B_KL2, B_KZZ, B_KZH, B_KUL, B_NM1, B_NM2, B_ZLT,
    B_COUNT
};
/* clang-format on */

static const struct branch_def {
    int proc;
    const char *name;
    const char *description;
    bool sample;
    int members; /* 示例: how many members to generate */
} branches[B_COUNT] = {
    /* 第1部分 */
    [B_CITY1] =
        {P_CITY, "通辽市人民检察院第一党支部",
         "通辽市人民检察院第一党支部由办公室(新闻办公室)、政治部、法律政策研究室三个综合部门组成。"
         "该支部创新构建“九联”工作法,全力打造“通心聚力”党建品牌,为检察工作高质量发展提供了坚实服务保障。",
         false, 30},
    /* 第2部分 */
    [B_CITY2] =
        {P_CITY, "通辽市人民检察院第二党支部",
         "通辽市人民检察院第二党支部由第一、二、三、八检察部组成,承担着审查逮捕、审查起诉、刑事诉讼监督、"
         "预防和治理未成年人犯罪等职责。"
         "第二党支部探索打造“检心向党 刑动先锋”党建与业务融合品牌,以高质量党建引领刑事检察工作高质量发展。",
         false, 44},
    [B_CITY3] = {P_CITY, "通辽市人民检察院第三党支部", "由第四、五、六、七检察部组成。", true, 34},
    [B_KEQ1] = {P_KEQ, "科尔沁区人民检察院第一党支部", "由办公室、政治部组成。", true, 18},
    [B_KEQ2] = {P_KEQ, "科尔沁区人民检察院第二党支部", "由第一、二检察部组成。", true, 22},
    /* 第3部分 */
    [B_KEQ3] =
        {P_KEQ, "科尔沁区人民检察院第三党支部",
         "通辽市科尔沁区人民检察院第三党支部,在“一体四翼”党建工作总体思路的指引下,紧紧围绕“为民”这一核心,"
         "传承和发扬新时代“枫桥经验”,精心打造“民益先枫”党建品牌。"
         "该支部以党建带队建,以队建提效能,用实际行动破解了“党建与业务两张皮”难题,"
         "用真情实意让司法为民有了“真温度”。",
         false, 24},
    /* 第4部分 */
    [B_HLGL] = {P_HLGL, "霍林郭勒市人民检察院党支部",
                "霍林郭勒市以“中国·绿电铝之城”著称。"
                "霍林郭勒市人民检察院是检察人员不足50人的基层“小院”,青年干警占比达81.9%。"
                "近年来,该院立足辖区企业多、经济类案件多的现实,发挥党建引领作用,精心打造“霍检青锋”党建品牌,"
                "在优化法治化营商环境、助力企业发展中取得了显著的成效。",
                false, 40},
    [B_KL1] = {P_KL, "开鲁县人民检察院第一党支部", "由办公室、政治部、第一检察部组成。", true, 16},
    [B_KL2] = {P_KL, "开鲁县人民检察院第二党支部", "由第二、三、四检察部组成。", true, 16},
    /* 第5部分 */
    [B_KZZ] = {P_KZZ, "科尔沁左翼中旗人民检察院党支部",
               "通辽市科左中旗人民检察院深入实施“党建+公益诉讼”融合工程,打造“精心益检”品牌,"
               "助力公益诉讼检察工作提质增效。",
               false, 30},
    [B_KZH] = {P_KZH, "科尔沁左翼后旗人民检察院党支部", "由院内各部门党员组成。", true, 28},
    [B_KUL] = {P_KUL, "库伦旗人民检察院党支部", "由院内各部门党员组成。", true, 22},
    [B_NM1] = {P_NM, "奈曼旗人民检察院第一党支部", "由办公室、政治部、第一检察部组成。", true, 15},
    [B_NM2] = {P_NM, "奈曼旗人民检察院第二党支部", "由第二、三、四检察部组成。", true, 15},
    /* 第6部分 */
    [B_ZLT] =
        {P_ZLT, "扎鲁特旗人民检察院党支部",
         "近年来,通辽市扎鲁特旗人民检察院紧扣铸牢中华民族共同体意识主线,创新工作模式,打造“萨日朗”党建品牌,"
         "推动党建与检察业务深度融合,让法治的种子在草原上生根开花。",
         false, 28},
};

/* 霍林郭勒 (第4部分): "青年干警占比达81.9%" of fewer than 50 staff. The 40 generated
 * members hold 33 under 35 (82.5%, the nearest a 40-person roll gets). */
#define HLGL_YOUTH 33

/* ======================================================================== */
/* 3. Departments. The city's are the article's (第1、2部分 name 办公室(新闻办公室),  */
/*    政治部, 法律政策研究室, 第一、二、三、八检察部; 第四至七检察部 fill the gap).    */
/*    County departments are 示例. "group" names the party group the department's */
/*    members sit in: a 业务 department has its own ("党小组建在业务部门", 第4部分); */
/*    综合 departments beside 业务 ones share a 综合党小组.                        */
/* ======================================================================== */

#define K_ZH "综合"
#define K_YW "业务"

/* 第2部分 gives the four departments' duties together, not one by one. */
#define DUTY_XJ                                                                                              \
    "刑事检察:第一、二、三、八检察部承担着审查逮捕、审查起诉、刑事诉讼监督、预防和治理未成年人犯罪等职责"

/* 示例 duties of a county's four business departments. */
#define DUTY_1 "刑事检察(审查逮捕、审查起诉)"
#define DUTY_2 "刑事执行、民事、行政检察"
#define DUTY_3 "公益诉讼检察"
#define DUTY_4 "控告申诉检察"

static const struct dept_def {
    int proc, branch;
    const char *name, *kind, *duties, *group;
    int sort;
    bool sample;
} depts[] = {
    /* 通辽市院 */
    {P_CITY, B_CITY1, "办公室(新闻办公室)", K_ZH, NULL, "办公室党小组", 1, false},
    {P_CITY, B_CITY1, "政治部", K_ZH, NULL, "政治部党小组", 2, false},
    {P_CITY, B_CITY1, "法律政策研究室", K_ZH, NULL, "法律政策研究室党小组", 3, false},
    {P_CITY, B_CITY2, "第一检察部", K_YW, DUTY_XJ, "第一检察部党小组", 4, false},
    {P_CITY, B_CITY2, "第二检察部", K_YW, DUTY_XJ, "第二检察部党小组", 5, false},
    {P_CITY, B_CITY2, "第三检察部", K_YW, DUTY_XJ, "第三检察部党小组", 6, false},
    {P_CITY, B_CITY3, "第四检察部", K_YW, NULL, "第四检察部党小组", 7, false},
    {P_CITY, B_CITY3, "第五检察部", K_YW, NULL, "第五检察部党小组", 8, false},
    {P_CITY, B_CITY3, "第六检察部", K_YW, NULL, "第六检察部党小组", 9, false},
    {P_CITY, B_CITY3, "第七检察部", K_YW, NULL, "第七检察部党小组", 10, false},
    {P_CITY, B_CITY2, "第八检察部", K_YW, DUTY_XJ, "第八检察部党小组", 11, false},
    /* 科尔沁区: three branches */
    {P_KEQ, B_KEQ1, "办公室", K_ZH, NULL, "办公室党小组", 1, true},
    {P_KEQ, B_KEQ1, "政治部", K_ZH, NULL, "政治部党小组", 2, true},
    {P_KEQ, B_KEQ2, "第一检察部", K_YW, DUTY_1, "第一检察部党小组", 3, true},
    {P_KEQ, B_KEQ2, "第二检察部", K_YW, DUTY_2, "第二检察部党小组", 4, true},
    {P_KEQ, B_KEQ3, "第三检察部", K_YW, DUTY_3, "第三检察部党小组", 5, true},
    {P_KEQ, B_KEQ3, "第四检察部", K_YW, DUTY_4 "、12309检察服务中心", "第四检察部党小组", 6, true},
    /* 霍林郭勒: one branch, a party group in every business department (第4部分) */
    {P_HLGL, B_HLGL, "办公室", K_ZH, NULL, "综合党小组", 1, true},
    {P_HLGL, B_HLGL, "政治部", K_ZH, NULL, "综合党小组", 2, true},
    {P_HLGL, B_HLGL, "第一检察部", K_YW, DUTY_1, "第一检察部党小组", 3, true},
    {P_HLGL, B_HLGL, "第二检察部", K_YW, DUTY_2, "第二检察部党小组", 4, true},
    {P_HLGL, B_HLGL, "第三检察部", K_YW, DUTY_3, "第三检察部党小组", 5, true},
    {P_HLGL, B_HLGL, "第四检察部", K_YW, DUTY_4, "第四检察部党小组", 6, true},
    /* 开鲁县: two branches */
    {P_KL, B_KL1, "办公室", K_ZH, NULL, "综合党小组", 1, true},
    {P_KL, B_KL1, "政治部", K_ZH, NULL, "综合党小组", 2, true},
    {P_KL, B_KL1, "第一检察部", K_YW, DUTY_1, "第一检察部党小组", 3, true},
    {P_KL, B_KL2, "第二检察部", K_YW, DUTY_2, "第二检察部党小组", 4, true},
    {P_KL, B_KL2, "第三检察部", K_YW, DUTY_3, "第三检察部党小组", 5, true},
    {P_KL, B_KL2, "第四检察部", K_YW, DUTY_4, "第四检察部党小组", 6, true},
    /* 科左中旗: its public-interest litigation department (第5部分: "党建+公益诉讼") */
    {P_KZZ, B_KZZ, "办公室", K_ZH, NULL, "综合党小组", 1, true},
    {P_KZZ, B_KZZ, "政治部", K_ZH, NULL, "综合党小组", 2, true},
    {P_KZZ, B_KZZ, "第一检察部", K_YW, DUTY_1, "第一检察部党小组", 3, true},
    {P_KZZ, B_KZZ, "第二检察部", K_YW, DUTY_2, "第二检察部党小组", 4, true},
    {P_KZZ, B_KZZ, "第三检察部(公益诉讼检察部)", K_YW, DUTY_3 "(含文物和文化遗产保护)", "公益诉讼党小组", 5,
     true},
    {P_KZZ, B_KZZ, "第四检察部", K_YW, DUTY_4, "第四检察部党小组", 6, true},
    /* 科左后旗 */
    {P_KZH, B_KZH, "办公室", K_ZH, NULL, "综合党小组", 1, true},
    {P_KZH, B_KZH, "政治部", K_ZH, NULL, "综合党小组", 2, true},
    {P_KZH, B_KZH, "第一检察部", K_YW, DUTY_1, "第一检察部党小组", 3, true},
    {P_KZH, B_KZH, "第二检察部", K_YW, DUTY_2, "第二检察部党小组", 4, true},
    {P_KZH, B_KZH, "第三检察部", K_YW, DUTY_3, "第三检察部党小组", 5, true},
    {P_KZH, B_KZH, "第四检察部", K_YW, DUTY_4, "第四检察部党小组", 6, true},
    /* 库伦旗 */
    {P_KUL, B_KUL, "办公室", K_ZH, NULL, "综合党小组", 1, true},
    {P_KUL, B_KUL, "政治部", K_ZH, NULL, "综合党小组", 2, true},
    {P_KUL, B_KUL, "第一检察部", K_YW, DUTY_1, "第一检察部党小组", 3, true},
    {P_KUL, B_KUL, "第二检察部", K_YW, DUTY_2, "第二检察部党小组", 4, true},
    {P_KUL, B_KUL, "第三检察部", K_YW, DUTY_3, "第三检察部党小组", 5, true},
    {P_KUL, B_KUL, "第四检察部", K_YW, DUTY_4, "第四检察部党小组", 6, true},
    /* 奈曼旗: two branches */
    {P_NM, B_NM1, "办公室", K_ZH, NULL, "综合党小组", 1, true},
    {P_NM, B_NM1, "政治部", K_ZH, NULL, "综合党小组", 2, true},
    {P_NM, B_NM1, "第一检察部", K_YW, DUTY_1, "第一检察部党小组", 3, true},
    {P_NM, B_NM2, "第二检察部", K_YW, DUTY_2, "第二检察部党小组", 4, true},
    {P_NM, B_NM2, "第三检察部", K_YW, DUTY_3, "第三检察部党小组", 5, true},
    {P_NM, B_NM2, "第四检察部", K_YW, DUTY_4, "第四检察部党小组", 6, true},
    /* 扎鲁特旗: "党小组+业务"双融 (第6部分) */
    {P_ZLT, B_ZLT, "办公室", K_ZH, NULL, "综合党小组", 1, true},
    {P_ZLT, B_ZLT, "政治部", K_ZH, NULL, "综合党小组", 2, true},
    {P_ZLT, B_ZLT, "第一检察部", K_YW, DUTY_1, "第一检察部党小组", 3, true},
    {P_ZLT, B_ZLT, "第二检察部", K_YW, DUTY_2, "第二检察部党小组", 4, true},
    {P_ZLT, B_ZLT, "第三检察部", K_YW, DUTY_3, "第三检察部党小组", 5, true},
    {P_ZLT, B_ZLT, "第四检察部", K_YW, DUTY_4, "第四检察部党小组", 6, true},
};
#define N_DEPTS ((int)(sizeof depts / sizeof depts[0]))

/* ======================================================================== */
/* 4. Brands: every branch has one ("15个基层党组织均形成了自己的品牌特色").      */
/*    Slogans of the six are their section headlines; meaning and spirit are  */
/*    quoted where the article gives them and left unset where it does not.   */
/* ======================================================================== */

/* clang-format off */
enum brand_ix {
    BR_TXJL, BR_TXJL_G1, BR_TXJL_G2, /* 通心聚力: 1个总品牌 + 2个党小组品牌 */
    BR_JXXD, BR_MYXF, BR_HJQF, BR_JXYJ, BR_SRL,
    BR_CITY3, BR_KEQ1, BR_KEQ2, BR_KL1, BR_KL2, BR_KZH, BR_KUL, BR_NM1, BR_NM2,
    BR_COUNT
};
/* clang-format on */

static const struct brand_def {
    int branch;
    int parent;        /* brand index, or -1 */
    const char *group; /* party group (by name, in the same branch) of a sub-brand */
    const char *name, *name_mn, *slogan, *meaning, *spirit;
    bool sample;
} brands[BR_COUNT] = {
    /* 第1部分 */
    [BR_TXJL] = {B_CITY1, -1, NULL, "通心聚力", "ᠰᠡᠳᠬᠢᠯ ᠨᠢᠭᠡᠲᠦ ᠬᠦᠴᠦ ᠨᠢᠭᠡᠲᠦ", "形成强大党建合力",
                 "坚持“以党建带建促业务,以机关带系统强基层”工作定位,守正创新,强化统筹,推动建立1个党建总品牌,"
                 "打造2个党小组品牌,引领8个基层院,形成上下贯通、整体推进的强大党建合力。",
                 NULL, false},
    /* The article counts two party-group brands but names neither: 示例 names. */
    [BR_TXJL_G1] = {B_CITY1, BR_TXJL, "办公室党小组", "通心·服务先锋", NULL, "心系服务 笔传检声",
                    "“通心聚力”总品牌下的党小组品牌之一(报道未载其名称,名称与内容为示例)。", NULL, true},
    [BR_TXJL_G2] = {B_CITY1, BR_TXJL, "政治部党小组", "聚力·育才先锋", NULL, "聚力育才 强基固本",
                    "“通心聚力”总品牌下的党小组品牌之一(报道未载其名称,名称与内容为示例)。", NULL, true},
    /* 第2部分 */
    [BR_JXXD] = {B_CITY2, -1, NULL, "检心向党 刑动先锋", NULL, "引领刑事检察工作",
                 "象征第二党支部坚持把党建引领作用贯穿于刑事检察工作科学部署中,以青年检察人员为主力军。",
                 "凝心聚力、敬业奉献、担当作为、务实严谨、意气风发", false},
    /* 第3部分 */
    [BR_MYXF] = {B_KEQ3, -1, NULL, "民益先枫", NULL, "真情实意为民服务",
                 "“民益”就是把群众利益放在首位,“先枫”就是让党员做先锋、当标杆。"
                 "传承和发扬新时代“枫桥经验”。",
                 NULL, false},
    /* 第4部分 */
    [BR_HJQF] =
        {B_HLGL, -1, NULL, "霍检青锋", NULL, "以青春之火铸就检察荣光",
         "“霍检青锋”党建品牌充分发挥党支部战斗堡垒作用和党员先锋模范作用,引导检察人员求真务实、担当实干,"
         "依法履行法律监督职责,高质效办好每一个案件,以高质量党建引领推动高质效履职。",
         "求真务实、担当实干", false},
    /* 第5部分 */
    [BR_JXYJ] = {B_KZZ, -1, NULL, "精心益检", NULL, "助力公益诉讼提质增效",
                 "形成“案件办理从党建破题、能力建设由党建筑基、监督质效靠党建增效”的实践范式,"
                 "助力公益诉讼检察工作提质增效。",
                 "围绕中心抓党建,抓好党建促业务", false},
    /* 第6部分 (萨日朗: the Mongolian name of the mountain lily) */
    [BR_SRL] = {B_ZLT, -1, NULL, "萨日朗", "ᠰᠠᠷᠠᠨᠠ", "播撒草原法治之光",
                "紧扣铸牢中华民族共同体意识主线,创新工作模式,打造“萨日朗”党建品牌,推动党建与检察业务深度融合,"
                "让法治的种子在草原上生根开花。",
                NULL, false},
    /* 示例: the nine branches the article does not present */
    [BR_CITY3] = {B_CITY3, -1, NULL, "检护同心", NULL, "同心履职 检护民生",
                  "引导党员在各自检察业务中当先锋、作表率(示例)。", NULL, true},
    [BR_KEQ1] = {B_KEQ1, -1, NULL, "科检铸魂", NULL, "铸魂强基 服务保障",
                 "以政治建设统领综合保障工作(示例)。", NULL, true},
    [BR_KEQ2] = {B_KEQ2, -1, NULL, "科检利剑", NULL, "党建引领 刑检争先", "以党建引领刑事检察办案(示例)。",
                 NULL, true},
    [BR_KL1] = {B_KL1, -1, NULL, "开检领航", NULL, "领航聚力 服务大局",
                "以党建领航综合与刑事检察工作(示例)。", NULL, true},
    [BR_KL2] = {B_KL2, -1, NULL, "开检护民", NULL, "检察为民 护航发展",
                "把党建融入民事、行政、公益诉讼和控告申诉检察(示例)。", NULL, true},
    [BR_KZH] = {B_KZH, -1, NULL, "后检红心", NULL, "红心向党 检察为民", "支部党员共同提炼的品牌(示例)。",
                NULL, true},
    [BR_KUL] = {B_KUL, -1, NULL, "库检同行", NULL, "同心同行 共建法治", "支部党员共同提炼的品牌(示例)。",
                NULL, true},
    [BR_NM1] = {B_NM1, -1, NULL, "奈检铸盾", NULL, "铸盾护法 担当作为",
                "以党建引领综合与刑事检察工作(示例)。", NULL, true},
    [BR_NM2] = {B_NM2, -1, NULL, "奈检暖心", NULL, "暖心服务 司法为民", "以党建引领民生领域检察工作(示例)。",
                NULL, true},
};

/* ======================================================================== */
/* 5. Methods and their elements: one element record per item the article    */
/*    lists. count is set only where the article gives a number.            */
/* ======================================================================== */

#define NOCOUNT (-1)

struct elem_def {
    const char *label;
    int count; /* NOCOUNT: not countable (stored as null) */
    const char *description;
};

/* clang-format off */
/* ---- 通心聚力 (第1部分) ---- */
static const struct elem_def el_txjl_brand[] = {
    {"党建总品牌", 1, "推动建立1个党建总品牌"},
    {"党小组品牌", 2, "打造2个党小组品牌"},
    {"引领基层院", 8, "引领8个基层院"},
    {0},
};
static const struct elem_def el_txjl_why_how[] = {
    {"为何联建", NOCOUNT, "聚焦从政治上着眼,明确“为何联建”的认识论"},
    {"怎么联建", NOCOUNT, "聚焦从法治上着力,找到“怎么联建”的方法论"},
    {"效果如何", NOCOUNT, "聚焦从高质量上下功夫,深耕“效果如何”的实践论"},
    {0},
};
static const struct elem_def el_four_sync[] = {
    {"同步谋划", NOCOUNT, NULL},
    {"同步部署", NOCOUNT, NULL},
    {"同步落实", NOCOUNT, NULL},
    {"同步检查", NOCOUNT, NULL},
    {0},
};
static const struct elem_def el_five_joint[] = {
    {"铸魂联建", NOCOUNT, NULL},
    {"队伍联建", NOCOUNT, NULL},
    {"平台联建", NOCOUNT, NULL},
    {"项目联建", NOCOUNT, NULL},
    {"规范联建", NOCOUNT, NULL},
    {0},
};
static const struct elem_def el_three_serve[] = {
    {"服务领导决策", NOCOUNT, NULL},
    {"服务检察业务", NOCOUNT, NULL},
    {"服务机关基层", NOCOUNT, NULL},
    {0},
};

/* ---- 检心向党 刑动先锋 (第2部分) ---- */
static const struct elem_def el_jxxd_who_what_how[] = {
    {"谁来融合", NOCOUNT,
     "围绕“谁来融合”,一体化落实融合主体:通过组织、条线和党员个体融合,着力解决对党建与业务融合发展认识不够、"
     "重业务轻党建等问题"},
    {"融合什么", NOCOUNT,
     "围绕“融合什么”,全方位覆盖融合内容:通过思想理念、办案过程、机制制度的融合,解决党建与业务契合度不高等问题"},
    {"怎么融合", NOCOUNT,
     "围绕“怎么融合”,多样化采用融合路径:通过“党建+业务提升”融合推进、“党建+业务人才”融合培养、"
     "“党建+业务品牌”融合打造等机制"},
    {0},
};
static const struct elem_def el_jxxd_plus[] = {
    {"党建+业务提升", NOCOUNT, "融合推进"},
    {"党建+业务人才", NOCOUNT, "融合培养"},
    {"党建+业务品牌", NOCOUNT, "融合打造"},
    {0},
};
static const struct elem_def el_jxxd_four_degrees[] = {
    {"打击犯罪有力度", NOCOUNT, NULL},
    {"维护公平有温度", NOCOUNT, NULL},
    {"服务大局有深度", NOCOUNT, NULL},
    {"提升质效有精度", NOCOUNT, NULL},
    {0},
};

/* ---- 民益先枫 (第3部分) ---- */
static const struct elem_def el_12309[] = {
    {"一个中心", 1, "紧扣“一个中心”,锚定为民靶心"},
    {"两个抓手", 2, "抓实“两个抓手”,实现双向赋能"},
    {"三个协作", 3, "深化“三个协作”,贯通业务脉络"},
    {"0差评", 0, "坚持“0差评”追求"},
    {"9项常态化行动", 9, "落实“9项常态化”行动"},
    {0},
};

/* ---- 霍检青锋 (第4部分) ---- */
static const struct elem_def el_hjqf_mechanism[] = {
    {"党小组建在业务部门", NOCOUNT, NULL},
    {"党员冲在办案一线", NOCOUNT, NULL},
    {"“党员+员额检察官”办案团队", NOCOUNT, "办案团队由“党员+员额检察官”组成"},
    {"党建业务“一肩挑”", NOCOUNT, "实行党建业务“一肩挑”,发挥“霍检青锋”品牌效能"},
    {0},
};
static const struct elem_def el_hjqf_two_hands[] = {
    {"培育典型案例", NOCOUNT, NULL},
    {"打造“霍检青锋”优秀团队", NOCOUNT, NULL},
    {0},
};

/* ---- 精心益检 (第5部分) ---- */
static const struct elem_def el_jxyj_model[] = {
    {"政治引领", NOCOUNT, NULL},
    {"机制创新", NOCOUNT, NULL},
    {"队伍淬炼", NOCOUNT, NULL},
    {0},
};
static const struct elem_def el_jxyj_paradigm[] = {
    {"案件办理从党建破题", NOCOUNT, NULL},
    {"能力建设由党建筑基", NOCOUNT, NULL},
    {"监督质效靠党建增效", NOCOUNT, NULL},
    {0},
};
static const struct elem_def el_jxyj_coordinate[] = {
    {"政治理论学习", NOCOUNT, "融入办案全程"},
    {"检察业务培训", NOCOUNT, "融入办案全程"},
    {"司法为民实践", NOCOUNT, "融入办案全程"},
    {0},
};
static const struct elem_def el_three_must[] = {
    {"政治考量", NOCOUNT, NULL},
    {"社会影响", NOCOUNT, NULL},
    {"群众满意度", NOCOUNT, NULL},
    {0},
};
static const struct elem_def el_jxyj_banner[] = {
    {"专业性党小组", NOCOUNT, "组建了以党员骨干牵头的专业性党小组"},
    {"“党员+行政长官”协作监督模式", NOCOUNT, NULL},
    {"党员突击队常态化巡查", NOCOUNT, "组建党员突击队开展常态化巡查"},
    {"“检察+行政”文物司法保护协作机制", NOCOUNT, "与相关部门建立“检察+行政”文物司法保护协作机制"},
    {0},
};
static const struct elem_def el_relics[] = {
    {"检察监督", NOCOUNT, NULL},
    {"行政履职", NOCOUNT, NULL},
    {"群众参与", NOCOUNT, NULL},
    {0},
};
static const struct elem_def el_jxyj_vanguard[] = {
    {"双语办案", NOCOUNT, "建立双语办案模式"},
    {"一案一专班", NOCOUNT, "建立集中攻坚(“一案一专班”)模式"},
    {"专业化党员公益诉讼法律服务团队", NOCOUNT, "深入基层开展普法宣传"},
    {"特色学习平台", NOCOUNT, "党性锤炼、专业实训、智慧赋能三维度"},
    {"多维度评价体系", NOCOUNT, "政治、业务、创新、协作"},
    {"红旗结对", NOCOUNT, "实施“红旗结对”机制,促进整体工作提升"},
    {0},
};
static const struct elem_def el_study[] = {
    {"党性锤炼", NOCOUNT, NULL},
    {"专业实训", NOCOUNT, NULL},
    {"智慧赋能", NOCOUNT, NULL},
    {0},
};
static const struct elem_def el_appraisal[] = {
    {"政治", NOCOUNT, NULL},
    {"业务", NOCOUNT, NULL},
    {"创新", NOCOUNT, NULL},
    {"协作", NOCOUNT, NULL},
    {0},
};

/* ---- 萨日朗 (第6部分) ---- */
static const struct elem_def el_srl_network[] = {
    {"线上+线下", NOCOUNT, NULL},
    {"固定+移动", NOCOUNT, NULL},
    {0},
};
static const struct elem_def el_srl_carriers[] = {
    {"“萨日朗”公益法律顾问团", NOCOUNT, NULL},
    {"AI法律小顾问", NOCOUNT, NULL},
    {0},
};
static const struct elem_def el_srl_standard[] = {
    {"组织领导", NOCOUNT, NULL},
    {"机制创新", NOCOUNT, NULL},
    {"服务模式", NOCOUNT, NULL},
    {"监督效能", NOCOUNT, NULL},
    {0},
};
static const struct elem_def el_srl_replicate[] = {
    {"大数据监督模型跨区域推广", NOCOUNT, NULL},
    {"检校联建", NOCOUNT, NULL},
    {"支部联建", NOCOUNT, NULL},
    {0},
};

/* ---- 示例 methods of the generated brands ---- */
static const struct elem_def el_s_news[] = {
    {"政务信息", NOCOUNT, NULL}, {"新闻宣传", NOCOUNT, NULL}, {"舆情应对", NOCOUNT, NULL}, {0},
};
static const struct elem_def el_s_talent[] = {
    {"政治素质考察", NOCOUNT, NULL}, {"岗位练兵", NOCOUNT, NULL}, {"青年干警导师制", NOCOUNT, NULL}, {0},
};
static const struct elem_def el_s_three_show[] = {
    {"亮身份", NOCOUNT, NULL}, {"亮职责", NOCOUNT, NULL}, {"亮承诺", NOCOUNT, NULL}, {0},
};
static const struct elem_def el_s_double[] = {
    {"把业务骨干培养成党员", NOCOUNT, NULL}, {"把党员培养成业务骨干", NOCOUNT, NULL}, {0},
};
static const struct elem_def el_s_case[] = {
    {"支部研案", NOCOUNT, NULL}, {"党员领案", NOCOUNT, NULL}, {"结案评议", NOCOUNT, NULL}, {0},
};
static const struct elem_def el_s_four_one[] = {
    {"每月一次主题党日", NOCOUNT, NULL}, {"每季一次业务讲评", NOCOUNT, NULL},
    {"每半年一次案例评析", NOCOUNT, NULL}, {"每年一次品牌总结", NOCOUNT, NULL}, {0},
};
static const struct elem_def el_s_service[] = {
    {"窗口亮岗", NOCOUNT, NULL}, {"上门服务", NOCOUNT, NULL}, {"回访问效", NOCOUNT, NULL}, {0},
};
static const struct elem_def el_s_pair[] = {
    {"新老结对", NOCOUNT, NULL}, {"岗位练兵", NOCOUNT, NULL}, {"以案促学", NOCOUNT, NULL}, {0},
};
static const struct elem_def el_s_three_link[] = {
    {"联学促思", NOCOUNT, NULL}, {"联建促干", NOCOUNT, NULL}, {"联创促效", NOCOUNT, NULL}, {0},
};
static const struct elem_def el_s_post[] = {
    {"设岗定责", NOCOUNT, NULL}, {"承诺践诺", NOCOUNT, NULL}, {"群众评议", NOCOUNT, NULL}, {0},
};
static const struct elem_def el_s_theme[] = {
    {"定主题", NOCOUNT, NULL}, {"建阵地", NOCOUNT, NULL}, {"评成效", NOCOUNT, NULL}, {0},
};
/* clang-format on */

static const struct method_def {
    int brand;
    const char *name, *summary;
    const struct elem_def *elems; /* ends with {0}; NULL: the article lists none */
    bool sample;
} methods[] = {
    /* 第1部分: 通心聚力 */
    {BR_TXJL, "“九联”工作法",
     "该支部创新构建“九联”工作法,全力打造“通心聚力”党建品牌,为检察工作高质量发展提供了坚实服务保障。", NULL,
     false},
    {BR_TXJL, "1个总品牌、2个党小组品牌、引领8个基层院",
     "推动建立1个党建总品牌,打造2个党小组品牌,引领8个基层院,形成上下贯通、整体推进的强大党建合力。",
     el_txjl_brand, false},
    {BR_TXJL, "为何联建、怎么联建、效果如何",
     "明确“为何联建”的认识论,找到“怎么联建”的方法论,深耕“效果如何”的实践论。", el_txjl_why_how, false},
    {BR_TXJL, "“四同步”机制",
     "推进系统党建同步谋划、同步部署、同步落实、同步检查“四同步”机制,以高质量党建为检察履职把准方向,"
     "确保党的领导在检察各环节高效落地。",
     el_four_sync, false},
    {BR_TXJL, "“五联建”方式",
     "以打造“通心聚力”品牌为抓手,推进铸魂联建、队伍联建、平台联建、项目联建、规范联建“五联建”方式,"
     "不断提升综合服务成效,实现党建与业务深度融合。",
     el_five_joint, false},
    {BR_TXJL, "服务领导决策、服务检察业务、服务机关基层",
     "该支部以“将党建转化为看得见、摸得着的生动实践”为目标,服务领导决策、服务检察业务、服务机关基层。",
     el_three_serve, false},
    {BR_TXJL_G1, "“三个一”宣传服务法", "示例:党小组围绕办公室(新闻办公室)职能开展的工作方法。", el_s_news,
     true},
    {BR_TXJL_G2, "“育才强基”工作法", "示例:党小组围绕队伍建设开展的工作方法。", el_s_talent, true},
    /* 第2部分: 检心向党 刑动先锋 */
    {BR_JXXD, "谁来融合、融合什么、怎么融合",
     "该支部从“谁来融合、融合什么、怎么融合”着手,全面、具体、持续推动党建和业务深度融合。",
     el_jxxd_who_what_how, false},
    {BR_JXXD, "“党建+”融合机制",
     "通过“党建+业务提升”融合推进、“党建+业务人才”融合培养、“党建+业务品牌”融合打造等机制,"
     "实现了党建与业务工作的有机结合、深度融合。",
     el_jxxd_plus, false},
    {BR_JXXD, "高质效办好每一个案件",
     "主动作为、履职尽责,高质效办好每一个案件,做到打击犯罪有力度、维护公平有温度、服务大局有深度、"
     "提升质效有精度。",
     el_jxxd_four_degrees, false},
    /* 第3部分: 民益先枫 */
    {BR_MYXF, "“12309”党建工作法",
     "该支部创新推出“12309”党建工作法,将党建要求全方位融入业务流程,让“为民”看得见、摸得着,"
     "实现了党建与业务同频共振,深度融合。"
     "“12309”工作法把党建要求变成具体业务举措,让每个党员都知道“党建该干啥、业务怎么干”。",
     el_12309, false},
    /* 第4部分: 霍检青锋 */
    {BR_HJQF, "“党小组建在业务部门、党员冲在办案一线”工作机制",
     "该院始终坚持在案件办理中发挥党组织战斗堡垒作用,建立“党小组建在业务部门、党员冲在办案一线”工作机制,"
     "办案团队由“党员+员额检察官”组成,实行党建业务“一肩挑”,发挥“霍检青锋”品牌效能。",
     el_hjqf_mechanism, false},
    {BR_HJQF, "“两手抓”",
     "通过培育典型案例和打造“霍检青锋”优秀团队“两手抓”,在办案一线不断提升检察人员的政治能力、业务素能,"
     "实现了党建业务双促进、双提升。",
     el_hjqf_two_hands, false},
    /* 第5部分: 精心益检 (the article prints the model as "政治引领一机制创新一队伍淬炼一三维驱动模型") */
    {BR_JXYJ, "“政治引领—机制创新—队伍淬炼”三维驱动模型",
     "深入实施“党建+公益诉讼”融合工程,打造“精心益检”品牌,构建政治引领、机制创新、队伍淬炼三维驱动模型。",
     el_jxyj_model, false},
    {BR_JXYJ, "实践范式",
     "形成“案件办理从党建破题、能力建设由党建筑基、监督质效靠党建增效”的实践范式,"
     "助力公益诉讼检察工作提质增效。",
     el_jxyj_paradigm, false},
    {BR_JXYJ, "“凝心聚力”政治建设坐标系",
     "坚持“围绕中心抓党建,抓好党建促业务”,不断强化党支部政治引领作用,将理论与实践相结合,"
     "将政治理论学习、检察业务培训与司法为民实践融入办案全程。",
     el_jxyj_coordinate, false},
    {BR_JXYJ, "案件质量“三必评”制度", "建立包含政治考量、社会影响、群众满意度的案件质量“三必评”制度。",
     el_three_must, false},
    {BR_JXYJ, "“党旗所指”监督攻坚示范带",
     "组建了以党员骨干牵头的专业性党小组,建立“党员+行政长官”协作监督模式,组建党员突击队开展常态化巡查。",
     el_jxyj_banner, false},
    {BR_JXYJ, "“检察监督+行政履职+群众参与”文物保护格局",
     "与相关部门建立“检察+行政”文物司法保护协作机制,构建起“检察监督+行政履职+群众参与”的文物保护格局。",
     el_relics, false},
    {BR_JXYJ, "“攻坚铁军”公益诉讼先锋队",
     "创新办案模式,建立双语办案、集中攻坚(“一案一专班”)等模式,组建专业化党员公益诉讼法律服务团队,"
     "深入基层开展普法宣传,构建特色学习平台,建立多维度评价体系,实施“红旗结对”机制,促进整体工作提升。",
     el_jxyj_vanguard, false},
    {BR_JXYJ, "特色学习平台", "构建特色学习平台(党性锤炼、专业实训、智慧赋能三维度)。", el_study, false},
    {BR_JXYJ, "多维度评价体系", "建立多维度评价体系(政治、业务、创新、协作)。", el_appraisal, false},
    /* 第6部分: 萨日朗 */
    {BR_SRL, "“党小组+业务”双融",
     "将党建工作深度嵌入业务流程,通过“党小组+业务”双融等机制,"
     "有效解决了长期困扰基层的党建与业务“两张皮”问题。",
     NULL, false},
    {BR_SRL, "立体化法律服务网络",
     "构建“线上+线下”“固定+移动”的立体化法律服务网络,实现了检察服务从“被动响应”到“主动覆盖”的转变。",
     el_srl_network, false},
    {BR_SRL, "创新载体", "该院依托“萨日朗”公益法律顾问团、AI法律小顾问等创新载体。", el_srl_carriers, false},
    {BR_SRL, "标准化体系", "该院形成了一套涵盖组织领导、机制创新、服务模式、监督效能的标准化体系。",
     el_srl_standard, false},
    {BR_SRL, "模块化复制、多场景应用",
     "从大数据监督模型的跨区域推广,到检校联建、支部联建等协同治理模式的成功实践,"
     "均证明基层党建与业务融合经验具备模块化复制、多场景应用的潜力。",
     el_srl_replicate, false},
    /* 示例: one method for each generated brand */
    {BR_CITY3, "“三亮”工作法", "示例:党员亮身份、亮职责、亮承诺。", el_s_three_show, true},
    {BR_KEQ1, "“一支部一特色”", "示例:定主题、建阵地、评成效。", el_s_theme, true},
    {BR_KEQ2, "“党建+案件”联动机制", "示例:支部研案、党员领案、结案评议。", el_s_case, true},
    {BR_KL1, "“四个一”活动", "示例:以固定频次的活动推动党建与业务同步。", el_s_four_one, true},
    {BR_KL2, "“红色服务岗”", "示例:窗口亮岗、上门服务、回访问效。", el_s_service, true},
    {BR_KZH, "“双培养”机制", "示例:把业务骨干培养成党员,把党员培养成业务骨干。", el_s_double, true},
    {BR_KUL, "“结对帮学”机制", "示例:新老结对、岗位练兵、以案促学。", el_s_pair, true},
    {BR_NM1, "“党员先锋岗”", "示例:设岗定责、承诺践诺、群众评议。", el_s_post, true},
    {BR_NM2, "“三联三促”", "示例:联学促思、联建促干、联创促效。", el_s_three_link, true},
};
#define N_METHODS ((int)(sizeof methods / sizeof methods[0]))

/* ======================================================================== */
/* 6. Honours. The branch's are the article's; the member honours' counts are */
/*    the article's, the holders and years are 示例.                           */
/* ======================================================================== */

static const struct branch_honour_def {
    int branch;
    const char *title, *level;
    int year;
} branch_honours[] = {
    /* 第3部分: "2024年获评通辽市“坚强堡垒支部”;2025年,被选树为“内蒙古自治区坚强堡垒模范支部”" */
    {B_KEQ3, "通辽市“坚强堡垒支部”", "city", 2024},
    {B_KEQ3, "内蒙古自治区坚强堡垒模范支部", "regional", 2025},
};

/* 第3部分: "培养国家级业务能手1人,自治区级业务标兵、能手3人,市级业务标兵、能手9人".
 * How the 3 and the 9 split between 标兵 and 能手 is not said: the split is 示例. */
static const struct member_honour_def {
    int branch;
    const char *title, *level;
    int holders;
} member_honours[] = {
    {B_KEQ3, "国家级业务能手", "national", 1},   {B_KEQ3, "自治区级业务标兵", "regional", 1},
    {B_KEQ3, "自治区级业务能手", "regional", 2}, {B_KEQ3, "市级业务标兵", "city", 4},
    {B_KEQ3, "市级业务能手", "city", 5},
};

/* ======================================================================== */
/* 7. Accounts.                                                              */
/* ======================================================================== */

static const struct user_def {
    const char *username, *display_name, *role;
    int proc;
    int branch; /* -1: none */
} users[] = {
    {"admin", "政治部管理员", "admin", P_CITY, -1},        /* 市院政治部 */
    {"viewer", "市院党组领导", "viewer", P_CITY, -1},      /* 市院党组 */
    {"zlt-admin", "扎鲁特旗院管理员", "admin", P_ZLT, -1}, /* a county's administrator */
    {"hlgl-sec", "霍林郭勒市院支部书记", "secretary", P_HLGL, B_HLGL},
};

/* ======================================================================== */
/* 8. Name pools for the generated (示例) people.                             */
/* ======================================================================== */

static const char *const han_surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
    "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚",
    "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "付", "方", "白", "邹",
    "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "史", "陶", "贺", "顾", "毛", "郝",
    "邵", "万", "钱", "严", "武", "戴", "孔", "常", "康", "牛", "尚", "温", "庞", "齐", "乔", "耿",
};
/* Surnames common among Mongols, Manchus and Hui of the region who use Chinese-style names. */
static const char *const mongol_surnames[] = {"包", "白", "韩", "吴", "佟", "宝", "金", "陈",
                                              "王", "李", "赵", "鲍", "孙", "刘", "张", "何"};
static const char *const manchu_surnames[] = {"关", "佟", "那", "富", "赵", "王", "金", "吴", "郎", "肇"};
static const char *const hui_surnames[] = {"马", "杨", "丁", "白", "金", "海", "李", "穆", "沙", "回"};

static const char *const given_male[] = {
    /* one character: two-character names such as 张伟 */
    "伟",
    "强",
    "磊",
    "军",
    "勇",
    "杰",
    "涛",
    "斌",
    "超",
    "明",
    "刚",
    "平",
    "辉",
    "鹏",
    "华",
    "飞",
    "鑫",
    "波",
    "宇",
    "浩",
    "凯",
    "健",
    "俊",
    "帅",
    "旭",
    "宁",
    "龙",
    "阳",
    "东",
    "亮",
    "博",
    "峰",
    "岩",
    "晨",
    "坤",
    "威",
    "毅",
    "诚",
    "彬",
    "昊",
    /* two characters */
    "志强",
    "建国",
    "海涛",
    "晓东",
    "俊杰",
    "宏伟",
    "文博",
    "浩然",
    "建华",
    "立新",
    "振宇",
    "明辉",
    "永刚",
    "国栋",
    "子豪",
    "宇航",
    "天宇",
    "鹏飞",
    "晓峰",
    "春雷",
    "海龙",
    "建军",
    "志刚",
    "金龙",
    "文涛",
    "德胜",
    "长春",
    "福生",
    "思远",
    "嘉豪",
    "立群",
    "铁军",
    "宏亮",
    "少华",
    "学文",
    "兴旺",
    "庆丰",
    "成龙",
    "继伟",
    "泽宇",
};
static const char *const given_female[] = {
    "芳",   "娜",   "敏",   "静",   "丽",   "艳",   "娟",   "霞",   "燕",   "玲",   "婷",
    "雪",   "慧",   "颖",   "琳",   "洁",   "倩",   "晶",   "萍",   "红",   "梅",   "莉",
    "丹",   "蕾",   "璐",   "佳",   "欣",   "悦",   "楠",   "薇",   "媛",   "爽",   "蓉",
    "岚",   "秀英", "桂兰", "丽娟", "晓燕", "雅琴", "婉婷", "思雨", "欣怡", "佳琪", "梦瑶",
    "雨涵", "晓敏", "丽华", "春燕", "海燕", "美玲", "玉兰", "淑珍", "凤霞", "静怡", "慧敏",
    "雪梅", "文静", "亚楠", "紫涵", "诗琪", "晓丽", "玉梅", "艳红", "金凤", "若曦", "明月",
};

/* Mongolian given names: as written in Chinese, and in traditional Mongolian script. */
struct mn_name {
    const char *zh, *mn;
};
static const struct mn_name mn_male[] = {
    {"巴特尔", "ᠪᠠᠭᠠᠲᠤᠷ"},    {"额尔敦", "ᠡᠷᠳᠡᠨᠢ"},     {"阿拉坦", "ᠠᠯᠲᠠᠨ"},    {"宝音", "ᠪᠤᠶᠠᠨ"},
    {"朝鲁", "ᠴᠢᠯᠠᠭᠤ"},       {"孟和", "ᠮᠥᠩᠬᠡ"},        {"苏和", "ᠰᠦᠬᠡ"},       {"额尔德木图", "ᠡᠷᠳᠡᠮᠲᠦ"},
    {"特木尔", "ᠲᠡᠮᠦᠷ"},      {"满都拉", "ᠮᠠᠨᠳᠤᠯᠠ"},    {"吉日嘎拉", "ᠵᠢᠷᠭᠠᠯ"}, {"那顺", "ᠨᠠᠰᠤᠨ"},
    {"阿木古楞", "ᠠᠮᠤᠭᠤᠯᠠᠩ"}, {"毕力格", "ᠪᠢᠯᠢᠭ"},      {"德力格尔", "ᠳᠡᠯᠭᠡᠷ"}, {"乌力吉", "ᠥᠯᠵᠡᠢ"},
    {"巴雅尔", "ᠪᠠᠶᠠᠷ"},      {"哈斯巴根", "ᠬᠠᠰᠪᠠᠭᠠᠨ"}, {"图门", "ᠲᠦᠮᠡᠨ"},      {"白音仓", "ᠪᠠᠶᠠᠨᠴᠠᠩ"},
    {"胡日查", "ᠬᠤᠷᠴᠠ"},      {"布和", "ᠪᠥᠬᠡ"},         {"达来", "ᠳᠠᠯᠠᠢ"},      {"敖其尔", "ᠣᠴᠢᠷ"},
    {"宝力道", "ᠪᠣᠯᠣᠳ"},      {"格日勒图", "ᠭᠡᠷᠡᠯᠲᠦ"},
};
static const struct mn_name mn_female[] = {
    {"其其格", "ᠴᠡᠴᠡᠭ"},    {"乌兰", "ᠤᠯᠠᠭᠠᠨ"},  {"图雅", "ᠲᠤᠶᠠ"},     {"塔娜", "ᠲᠠᠨᠠ"},
    {"高娃", "ᠭᠣᠣᠸᠠ"},      {"格日乐", "ᠭᠡᠷᠡᠯ"}, {"萨仁", "ᠰᠠᠷᠠᠨ"},    {"乌日娜", "ᠤᠷᠢᠨᠠ"},
    {"通拉嘎", "ᠲᠤᠩᠭᠠᠯᠠᠭ"}, {"其木格", "ᠴᠢᠮᠡᠭ"}, {"萨日娜", "ᠰᠠᠷᠠᠨᠠ"}, {"敖登", "ᠣᠳᠣᠨ"},
    {"乌云", "ᠤᠶᠤᠨ"},       {"斯琴", "ᠰᠡᠴᠡᠨ"},
};
/* Two-part names (额尔敦 + 巴特尔 = 额尔敦巴特尔), written as one word in Mongolian. */
static const struct mn_name mn_male_head[] = {
    {"额尔敦", "ᠡᠷᠳᠡᠨᠢ"}, {"孟和", "ᠮᠥᠩᠬᠡ"}, {"阿拉坦", "ᠠᠯᠲᠠᠨ"}, {"苏和", "ᠰᠦᠬᠡ"},    {"特木尔", "ᠲᠡᠮᠦᠷ"},
    {"哈斯", "ᠬᠠᠰ"},      {"宝音", "ᠪᠤᠶᠠᠨ"}, {"巴雅尔", "ᠪᠠᠶᠠᠷ"}, {"乌力吉", "ᠥᠯᠵᠡᠢ"}, {"那顺", "ᠨᠠᠰᠤᠨ"},
};
static const struct mn_name mn_male_tail[] = {
    {"巴特尔", "ᠪᠠᠭᠠᠲᠤᠷ"}, {"毕力格", "ᠪᠢᠯᠢᠭ"},    {"朝鲁", "ᠴᠢᠯᠠᠭᠤ"},
    {"达来", "ᠳᠠᠯᠠᠢ"},     {"吉日嘎拉", "ᠵᠢᠷᠭᠠᠯ"}, {"德力格尔", "ᠳᠡᠯᠭᠡᠷ"},
};
static const struct mn_name mn_female_head[] = {
    {"乌云", "ᠤᠶᠤᠨ"}, {"萨仁", "ᠰᠠᠷᠠᠨ"},   {"斯琴", "ᠰᠡᠴᠡᠨ"}, {"娜仁", "ᠨᠠᠷᠠᠨ"},
    {"哈斯", "ᠬᠠᠰ"},  {"阿拉坦", "ᠠᠯᠲᠠᠨ"}, {"敖登", "ᠣᠳᠣᠨ"},
};
static const struct mn_name mn_female_tail[] = {
    {"其木格", "ᠴᠢᠮᠡᠭ"}, {"高娃", "ᠭᠣᠣᠸᠠ"}, {"图雅", "ᠲᠤᠶᠠ"},    {"花", "ᠬᠤᠸᠠ"},
    {"其其格", "ᠴᠡᠴᠡᠭ"}, {"塔娜", "ᠲᠠᠨᠠ"},  {"格日乐", "ᠭᠡᠷᠡᠯ"},
};

#define COUNT_OF(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* ======================================================================== */
/* The build: plan the generated people in memory, then create everything.  */
/* ======================================================================== */

#define MAX_PEOPLE 512
#define MAX_GROUPS 96

struct person {
    int branch, dept, group; /* dept, group: index or -1 */
    char name[48];
    char name_mn[128]; /* "" when the name is not a Mongolian one */
    const char *gender, *ethnicity, *position, *languages;
    int birth, joined; /* day numbers */
    bool quota;
    int64_t id;
};

struct party_group {
    int branch;
    int dept; /* the one department it is built in, or -1 when it spans several */
    const char *name;
    int leader; /* person index, or -1 */
    int64_t id;
};

struct build {
    struct demo *d;
    int64_t proc_id[P_COUNT];
    int64_t branch_id[B_COUNT];
    int64_t dept_id[N_DEPTS];
    int64_t brand_id[BR_COUNT];
    int secretary[B_COUNT]; /* person index, or -1 */
    struct party_group groups[MAX_GROUPS];
    int ngroups;
    struct person people[MAX_PEOPLE];
    int npeople;
};

static uint32_t rnd(struct build *b, uint32_t n)
{
    return n ? demo_rand(b->d, n) : 0;
}

static bool chance(struct build *b, uint32_t pct)
{
    return rnd(b, 100) < pct;
}

/* A day between "from" and "to" inclusive. */
static int rnd_day(struct build *b, int from, int to)
{
    return from + (int)rnd(b, (uint32_t)(to - from + 1));
}

static int group_of(const struct build *b, int branch, const char *name)
{
    for (int i = 0; i < b->ngroups; i++)
        if (b->groups[i].branch == branch && strcmp(b->groups[i].name, name) == 0)
            return i;
    return -1;
}

/* Party groups follow from the department table: one per distinct "group" name in a
 * branch, tied to its department when exactly one department feeds it. */
static void plan_groups(struct build *b)
{
    for (int i = 0; i < N_DEPTS; i++) {
        int g = group_of(b, depts[i].branch, depts[i].group);
        if (g >= 0) {
            b->groups[g].dept = -1;
            continue;
        }
        if (b->ngroups == MAX_GROUPS)
            fail("too many party groups", NULL);
        b->groups[b->ngroups++] = (struct party_group){depts[i].branch, i, depts[i].group, -1, 0};
    }
}

static bool name_taken(const struct build *b, const char *name)
{
    for (int i = 0; i < b->npeople; i++)
        if (strcmp(b->people[i].name, name) == 0)
            return true;
    return false;
}

static void han_name(struct build *b, struct person *p, const char *const *surnames, uint32_t nsur)
{
    const bool male = strcmp(p->gender, "男") == 0;
    const char *const *given = male ? given_male : given_female;
    const uint32_t ngiven = male ? COUNT_OF(given_male) : COUNT_OF(given_female);
    /* the commonest surnames (the first ten of the big list) come up twice as often */
    uint32_t s = rnd(b, nsur + (nsur > 20 ? 10 : 0));
    if (s >= nsur)
        s -= nsur;
    snprintf(p->name, sizeof p->name, "%s%s", surnames[s], given[rnd(b, ngiven)]);
    p->name_mn[0] = '\0';
}

static void mongol_name(struct build *b, struct person *p)
{
    const bool male = strcmp(p->gender, "男") == 0;
    if (chance(b, 40)) {
        const struct mn_name *n =
            male ? &mn_male[rnd(b, COUNT_OF(mn_male))] : &mn_female[rnd(b, COUNT_OF(mn_female))];
        snprintf(p->name, sizeof p->name, "%s", n->zh);
        snprintf(p->name_mn, sizeof p->name_mn, "%s", n->mn);
        return;
    }
    const struct mn_name *h = male ? &mn_male_head[rnd(b, COUNT_OF(mn_male_head))]
                                   : &mn_female_head[rnd(b, COUNT_OF(mn_female_head))];
    const struct mn_name *t = male ? &mn_male_tail[rnd(b, COUNT_OF(mn_male_tail))]
                                   : &mn_female_tail[rnd(b, COUNT_OF(mn_female_tail))];
    if (strcmp(h->zh, t->zh) == 0) /* 额尔敦额尔敦: take the tail alone */
        h = NULL;
    snprintf(p->name, sizeof p->name, "%s%s", h ? h->zh : "", t->zh);
    snprintf(p->name_mn, sizeof p->name_mn, "%s%s", h ? h->mn : "", t->mn);
}

/* A name for "p" by its ethnicity and gender, not yet used by anyone. */
static void pick_name(struct build *b, struct person *p)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        const bool fallback = attempt >= 100; /* Mongolian pools used up: Chinese-style */
        if (strcmp(p->ethnicity, "蒙古族") == 0 && !fallback && chance(b, 55))
            mongol_name(b, p);
        else if (strcmp(p->ethnicity, "蒙古族") == 0)
            han_name(b, p, mongol_surnames, COUNT_OF(mongol_surnames));
        else if (strcmp(p->ethnicity, "满族") == 0)
            han_name(b, p, manchu_surnames, COUNT_OF(manchu_surnames));
        else if (strcmp(p->ethnicity, "回族") == 0)
            han_name(b, p, hui_surnames, COUNT_OF(hui_surnames));
        else
            han_name(b, p, han_surnames, COUNT_OF(han_surnames));
        if (!name_taken(b, p->name))
            return;
    }
    fail("cannot find an unused name", p->name);
}

/* Leaders of a procuratorate are planned into its first branch. */
static bool first_branch_of_proc(int branch)
{
    for (int i = 0; i < branch; i++)
        if (branches[i].proc == branches[branch].proc)
            return false;
    return true;
}

static void plan_position(struct build *b, struct person *p, bool youth, bool *dept_has_head)
{
    const struct dept_def *dp = &depts[p->dept];
    const bool business = strcmp(dp->kind, K_YW) == 0;
    const bool can_prosecute = business || strcmp(dp->name, "法律政策研究室") == 0;
    /* a prosecutor holds the post from about 28 on */
    const bool old_enough = p->birth <= civil_days(1998, 11, 30);

    if (!youth && !*dept_has_head) {
        *dept_has_head = true;
        p->position = "部门主任";
        p->quota = business;
        return;
    }
    const uint32_t r = rnd(b, 100);
    if (can_prosecute) {
        const uint32_t prosecutor = youth ? (old_enough ? 25 : 0) : (business ? 65 : 40);
        if (r < prosecutor) {
            p->position = "检察官";
            p->quota = true;
        } else if (business && r < prosecutor + (100 - prosecutor) * 6 / 10) {
            p->position = "检察官助理";
        } else if (business) {
            p->position = "书记员";
        } else {
            p->position = "综合管理人员";
        }
    } else {
        p->position = r < (youth ? 20u : 8u) ? "司法警察" : "综合管理人员";
    }
}

static void plan_person(struct build *b, int branch, int dept, const char *leader_post, bool youth,
                        bool *dept_has_head)
{
    if (b->npeople == MAX_PEOPLE)
        fail("too many people", NULL);
    struct person *p = &b->people[b->npeople];
    *p = (struct person){.branch = branch, .dept = dept, .group = -1, .languages = "zh"};
    const struct proc_def *pr = &procs[branches[branch].proc];

    /* ages 23-58 on 2026-11-30; "youth" is under 35 (born after 1991-11-30) */
    if (leader_post)
        p->birth = rnd_day(b, civil_days(1968, 1, 1),
                           civil_days(strcmp(leader_post, "检察长") == 0 ? 1976 : 1982, 12, 31));
    else if (youth)
        p->birth = rnd_day(b, civil_days(1992, 1, 1), civil_days(2003, 6, 30));
    else
        p->birth = rnd_day(b, civil_days(1968, 1, 1), civil_days(1991, 6, 30));

    p->gender = chance(b, leader_post ? 80 : youth ? 48 : 58) ? "男" : "女";

    const uint32_t e = rnd(b, 100);
    const uint32_t mg = (uint32_t)pr->mongol_pct;
    p->ethnicity = e < mg ? "蒙古族" : e < mg + 4 ? "满族" : e < mg + 6 ? "回族" : "汉族";

    const uint32_t l = rnd(b, 100);
    if (strcmp(p->ethnicity, "蒙古族") == 0)
        p->languages = l < 75 ? "zh+mn" : "zh";
    else
        p->languages = l < 4 ? "zh+mn" : "zh";

    if (leader_post) {
        p->position = leader_post;
        p->quota = true;
    } else {
        plan_position(b, p, youth, dept_has_head);
        p->group = group_of(b, branch, depts[dept].group);
    }

    pick_name(b, p);
    /* a name in Mongolian script only: some of them work in Mongolian alone */
    if (p->name_mn[0] && rnd(b, 100) < 6)
        p->languages = "mn";

    /* joined the party after the 18th birthday (18 years are at most 6575 days), within
     * twelve years of it, and before 2026-06-30 */
    const int lower = p->birth + 6575 + 6;
    int upper = lower + 12 * 365;
    if (upper > civil_days(2026, 6, 29))
        upper = civil_days(2026, 6, 29);
    p->joined = rnd_day(b, lower, upper);
    b->npeople++;
}

static void plan_branch_people(struct build *b, int branch)
{
    int bd[16], nbd = 0; /* the branch's departments */
    bool has_head[16] = {false};
    for (int i = 0; i < N_DEPTS && nbd < 16; i++)
        if (depts[i].branch == branch)
            bd[nbd++] = i;
    if (nbd == 0)
        fail("branch without departments", branches[branch].name);

    const int total = branches[branch].members;
    int made = 0;
    if (first_branch_of_proc(branch)) {
        const int deputies = branches[branch].proc == P_CITY ? 3 : 2;
        plan_person(b, branch, -1, "检察长", false, NULL);
        for (int i = 0; i < deputies; i++)
            plan_person(b, branch, -1, "副检察长", false, NULL);
        made = 1 + deputies;
    }

    /* 霍林郭勒: exactly HLGL_YOUTH under 35 (leaders are older), by selection sampling */
    int older_left = branches[branch].proc == P_HLGL ? total - made - HLGL_YOUTH : -1;
    for (int k = 0; made < total; made++, k++) {
        const int remaining = total - made;
        bool youth;
        if (older_left >= 0) {
            youth = !((int)rnd(b, (uint32_t)remaining) < older_left);
            if (!youth)
                older_left--;
        } else {
            youth = chance(b, 40);
        }
        /* every department gets two people first, then business ones are weighted 3:2 */
        int slot;
        if (k < 2 * nbd) {
            slot = k % nbd;
        } else {
            int weight = 0;
            for (int i = 0; i < nbd; i++)
                weight += strcmp(depts[bd[i]].kind, K_YW) == 0 ? 3 : 2;
            int r = (int)rnd(b, (uint32_t)weight);
            for (slot = 0; slot < nbd - 1; slot++) {
                r -= strcmp(depts[bd[slot]].kind, K_YW) == 0 ? 3 : 2;
                if (r < 0)
                    break;
            }
        }
        plan_person(b, branch, bd[slot], NULL, youth, &has_head[slot]);
    }
}

/* Party group leaders and (for 示例 branches only) branch secretaries from the roll.
 * The article names no secretary, so the six real branches get none. */
static void plan_leaders(struct build *b)
{
    for (int g = 0; g < b->ngroups; g++) {
        int first = -1, head = -1;
        for (int i = 0; i < b->npeople; i++) {
            if (b->people[i].group != g)
                continue;
            if (first < 0)
                first = i;
            if (head < 0 && strcmp(b->people[i].position, "部门主任") == 0)
                head = i;
        }
        b->groups[g].leader = head >= 0 ? head : first;
    }
    for (int br = 0; br < B_COUNT; br++) {
        b->secretary[br] = -1;
        if (!branches[br].sample)
            continue;
        int deputy = -1, head = -1, first = -1;
        for (int i = 0; i < b->npeople; i++) {
            const struct person *p = &b->people[i];
            if (p->branch != br)
                continue;
            if (first < 0)
                first = i;
            if (deputy < 0 && strcmp(p->position, "副检察长") == 0)
                deputy = i;
            if (head < 0 && strcmp(p->position, "部门主任") == 0)
                head = i;
        }
        b->secretary[br] = deputy >= 0 ? deputy : head >= 0 ? head : first;
    }
}

/* ---- creating the records ---- */

static void put_procuratorates(struct build *b)
{
    for (int i = 0; i < P_COUNT; i++) {
        json_t *o = obj_new();
        set_str(o, "name", procs[i].name);
        set_str(o, "name_mn", procs[i].name_mn);
        set_str(o, "short_name", procs[i].short_name);
        set_int(o, "level", procs[i].level);
        if (i != P_CITY)
            set_ref(o, "parent_id", b->proc_id[P_CITY]);
        set_int(o, "sort", i);
        b->proc_id[i] = demo_put(b->d, "procuratorates", o);
    }
}

static void put_branches(struct build *b)
{
    int sort[P_COUNT] = {0};
    for (int i = 0; i < B_COUNT; i++) {
        const struct branch_def *br = &branches[i];
        json_t *o = obj_new();
        set_ref(o, "procuratorate_id", b->proc_id[br->proc]);
        set_str(o, "name", br->name);
        set_str(o, "kind", "党支部");
        if (b->secretary[i] >= 0)
            set_str(o, "secretary_name", b->people[b->secretary[i]].name);
        set_str(o, "description", br->description);
        set_int(o, "sort", ++sort[br->proc]);
        set_sample(o, br->sample);
        b->branch_id[i] = demo_put(b->d, "branches", o);
    }
}

static void put_departments(struct build *b)
{
    for (int i = 0; i < N_DEPTS; i++) {
        const struct dept_def *dp = &depts[i];
        json_t *o = obj_new();
        set_ref(o, "procuratorate_id", b->proc_id[dp->proc]);
        set_ref(o, "branch_id", b->branch_id[dp->branch]);
        set_str(o, "name", dp->name);
        set_str(o, "kind", dp->kind);
        set_str(o, "duties", dp->duties);
        set_int(o, "sort", dp->sort);
        set_sample(o, dp->sample);
        b->dept_id[i] = demo_put(b->d, "departments", o);
    }
}

static void put_party_groups(struct build *b)
{
    int sort[B_COUNT] = {0};
    for (int g = 0; g < b->ngroups; g++) {
        struct party_group *pg = &b->groups[g];
        json_t *o = obj_new();
        set_ref(o, "branch_id", b->branch_id[pg->branch]);
        if (pg->dept >= 0)
            set_ref(o, "department_id", b->dept_id[pg->dept]);
        set_str(o, "name", pg->name);
        if (pg->leader >= 0)
            set_str(o, "leader_name", b->people[pg->leader].name);
        set_int(o, "sort", ++sort[pg->branch]);
        set_sample(o, true); /* the article names no party group */
        pg->id = demo_put(b->d, "party-groups", o);
    }
}

/* A demo member's identity number, made from the birth date and the member's index
 * "i" with a correct check character. The region code is 15059x, x the procuratorate:
 * 1505 is Tongliao, and no county has a code 9x (GB/T 2260), so no real person holds
 * one of these numbers. The sequence number's parity is the gender. */
static void demo_id_number(const struct person *p, int i, const char *birth, char out[19])
{
    char region[8];
    snprintf(region, sizeof region, "15059%d", branches[p->branch].proc % 10);
    int seq = (i % 499) * 2 + (strcmp(p->gender, "男") == 0 ? 1 : 2);
    if (!idcard_make(region, birth, seq, out))
        fail("cannot make an identity number", birth);
}

/* 学历 by post, from the member's index (not the random stream, which would shift
 * everything planned after it). */
static const char *demo_education(const struct person *p, int i)
{
    const unsigned h = ((unsigned)i * 2654435761u >> 8) % 100;
    const bool prosecutor = p->quota || strcmp(p->position, "检察官助理") == 0;
    if (prosecutor)
        return h < 35 ? "研究生" : h < 95 ? "大学本科" : "大学专科";
    if (strcmp(p->position, "书记员") == 0)
        return h < 10 ? "研究生" : h < 80 ? "大学本科" : "大学专科";
    return h < 5 ? "研究生" : h < 70 ? "大学本科" : h < 92 ? "大学专科" : "中专";
}

static void put_members(struct build *b)
{
    char date[16], birth[16], id[19], today[11];
    text_today(today);
    for (int i = 0; i < b->npeople; i++) {
        struct person *p = &b->people[i];
        json_t *o = obj_new();
        set_ref(o, "branch_id", b->branch_id[p->branch]);
        if (p->dept >= 0)
            set_ref(o, "department_id", b->dept_id[p->dept]);
        if (p->group >= 0)
            set_ref(o, "party_group_id", b->groups[p->group].id);
        set_str(o, "name", p->name);
        if (p->name_mn[0])
            set_str(o, "name_mn", p->name_mn);
        set_str(o, "gender", p->gender);
        fmt_date(birth, p->birth);
        set_str(o, "birth_date", birth);
        demo_id_number(p, i, birth, id);
        set_str(o, "id_number", id);
        set_str(o, "education", demo_education(p, i));
        set_str(o, "ethnicity", p->ethnicity);
        fmt_date(date, p->joined);
        set_str(o, "joined_party", date);
        /* probation ends a year after joining (党章 第七条): a full member since then,
         * still probationary when that day has not come */
        char full[32];
        snprintf(full, sizeof full, "%04d%s", atoi(date) + 1, date + 4);
        if (!strcmp(date + 4, "-02-29"))
            snprintf(full, sizeof full, "%04d-03-01", atoi(date) + 1);
        bool probation = strcmp(full, today) > 0;
        set_str(o, "party_status", probation ? "预备党员" : "正式党员");
        if (!probation)
            set_str(o, "full_member_date", full);
        set_str(o, "position", p->position);
        set_bool(o, "quota_prosecutor", p->quota);
        set_str(o, "languages", p->languages);
        set_sample(o, true); /* the article names no person */
        p->id = demo_put(b->d, "members", o);
    }
}

static void put_brands(struct build *b)
{
    int sort[B_COUNT] = {0};
    for (int i = 0; i < BR_COUNT; i++) { /* parents come first in the table */
        const struct brand_def *br = &brands[i];
        json_t *o = obj_new();
        set_ref(o, "branch_id", b->branch_id[br->branch]);
        if (br->parent >= 0)
            set_ref(o, "parent_id", b->brand_id[br->parent]);
        if (br->group) {
            const int g = group_of(b, br->branch, br->group);
            if (g < 0)
                fail("brand names an unknown party group", br->group);
            set_ref(o, "party_group_id", b->groups[g].id);
        }
        set_str(o, "name", br->name);
        set_str(o, "name_mn", br->name_mn);
        set_str(o, "slogan", br->slogan);
        set_str(o, "meaning", br->meaning);
        set_str(o, "spirit", br->spirit);
        set_int(o, "sort", ++sort[br->branch]);
        set_sample(o, br->sample);
        b->brand_id[i] = demo_put(b->d, "brands", o);
    }
}

static void put_methods(struct build *b)
{
    int sort[BR_COUNT] = {0};
    for (int i = 0; i < N_METHODS; i++) {
        const struct method_def *m = &methods[i];
        json_t *o = obj_new();
        set_ref(o, "brand_id", b->brand_id[m->brand]);
        set_str(o, "name", m->name);
        set_str(o, "summary", m->summary);
        set_str(o, "period", demo_method_period(m->name));
        set_int(o, "sort", ++sort[m->brand]);
        set_sample(o, m->sample);
        const int64_t mid = demo_put(b->d, "methods", o);

        for (int k = 0; m->elems && m->elems[k].label; k++) {
            const struct elem_def *e = &m->elems[k];
            json_t *eo = obj_new();
            set_ref(eo, "method_id", mid);
            set_str(eo, "label", e->label);
            if (e->count != NOCOUNT)
                set_int(eo, "count", e->count);
            set_str(eo, "description", e->description);
            set_int(eo, "sort", k + 1);
            set_sample(eo, m->sample);
            demo_put(b->d, "method-elements", eo);
        }
    }
}

static void put_honours(struct build *b)
{
    for (size_t i = 0; i < sizeof branch_honours / sizeof branch_honours[0]; i++) {
        const struct branch_honour_def *h = &branch_honours[i];
        json_t *o = obj_new();
        set_ref(o, "branch_id", b->branch_id[h->branch]);
        set_str(o, "title", h->title);
        set_str(o, "level", h->level);
        set_int(o, "year", h->year);
        /* awarded_by: the article does not say, so it stays unset */
        demo_put(b->d, "honours", o);
    }

    /* Holders: distinct members of the branch, quota prosecutors first, in a shuffled order. */
    int cand[MAX_PEOPLE], ncand = 0;
    for (int pass = 0; pass < 2; pass++) {
        const int first = ncand;
        for (int i = 0; i < b->npeople; i++)
            if (b->people[i].branch == member_honours[0].branch && b->people[i].quota == (pass == 0))
                cand[ncand++] = i;
        for (int i = ncand - 1; i > first; i--) {
            const int j = first + (int)rnd(b, (uint32_t)(i - first + 1));
            const int t = cand[i];
            cand[i] = cand[j];
            cand[j] = t;
        }
    }
    int next = 0;
    for (size_t i = 0; i < sizeof member_honours / sizeof member_honours[0]; i++) {
        const struct member_honour_def *h = &member_honours[i];
        for (int k = 0; k < h->holders; k++) {
            if (next >= ncand || b->people[cand[next]].branch != h->branch)
                fail("not enough members to hold the honours of", branches[h->branch].name);
            json_t *o = obj_new();
            set_ref(o, "member_id", b->people[cand[next++]].id);
            set_str(o, "title", h->title);
            set_str(o, "level", h->level);
            set_int(o, "year", 2018 + (int)rnd(b, 8)); /* 示例: the article gives no year */
            set_sample(o, true);
            demo_put(b->d, "honours", o);
        }
    }
}

int demo_password_check(const char *password, struct rerr *err)
{
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        int rc = password_rule_check(password, users[i].username, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void put_users(struct build *b)
{
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        const struct user_def *u = &users[i];
        json_t *o = packed(json_pack("{s:s, s:s, s:s, s:s, s:I}", "username", u->username, "display_name",
                                     u->display_name, "password", demo_password(b->d), "role", u->role,
                                     "procuratorate_id", (json_int_t)b->proc_id[u->proc]),
                           u->username);
        if (u->branch >= 0)
            set_ref(o, "branch_id", b->branch_id[u->branch]);
        demo_put(b->d, "users", o);
    }
}

void demo_build(struct demo *d)
{
    struct build *b = calloc(1, sizeof *b);
    if (!b)
        fail("out of memory", NULL);
    b->d = d;

    plan_groups(b);
    for (int br = 0; br < B_COUNT; br++)
        plan_branch_people(b, br);
    plan_leaders(b);

    put_procuratorates(b);
    put_branches(b);
    put_departments(b);
    put_party_groups(b);
    put_members(b);
    put_brands(b);
    put_methods(b);
    put_honours(b);
    put_users(b);

    free(b);
    demo_build_partylife(d);
    demo_build_cases(d);
    demo_build_service(d);
    demo_build_pil(d);
    demo_build_joint(d);
    demo_link_partylife(d);
    demo_build_attachments(d);
    demo_build_signals(d);
}
