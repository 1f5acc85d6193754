/*
 * measures.c: the catalogue of measures (domain/measures.h) and the grid of their monthly
 * pairs, read from both ledgers in one read transaction of the caller's.
 *
 * Each measure but one is a query answering (branch, month, numerator, denominator) for
 * the days ?1 <= day < ?2; 三会一课完成率 is read through the 三会一课 completeness the
 * party-life ledger already answers (domain/partylife.h), so the two never disagree. Past
 * months are kept once computed (migration 019) and read back.
 */
#include "domain/measures.h"
#include "domain/measures_internal.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/log.h"
#include "base/text.h"
#include "domain/partylife.h"
#include "domain/resource.h"

/* The branch member MEMBER belonged to on day DAY: the one a term of theirs gives (the
 * latest begun, the last entered among equal), else their branch now. member_branch_on()
 * (measures_terms.c) answers the same in C for the grid. */
#define MEMBER_BRANCH(MEMBER, DAY)                                                                           \
    "coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = " MEMBER                        \
    " AND mt.from_date <= " DAY " AND (mt.to_date IS NULL OR mt.to_date > " DAY ")"                          \
    " ORDER BY mt.from_date DESC, mt.id DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id "       \
    "= " MEMBER "))"
/* A closed case as rows (cid, member, day, NUM, DEN), one per member of its team, for
 * days ?1 <= day < ?2 and the cases WHERE holds of (over "c"), a case's rows together:
 * the grid places each member in the branch they belonged to on the day it closed and
 * adds each (case, branch) once (load_per_record). The cases in the order of the index of
 * their closing days, their teams inside (CROSS JOIN: SQLite would rather walk every team
 * member and sort what it finds). */
#define TEAM_ROWS(NUM, DEN, WHERE)                                                                           \
    "SELECT c.id, cm.member_id, c.closed_on, " NUM ", " DEN " FROM cases c CROSS JOIN case_members cm"       \
    " ON cm.case_id = c.id AND cm.member_id IS NOT NULL WHERE c.closed_on >= ?1 AND c.closed_on < ?2" WHERE  \
    " ORDER BY c.closed_on, c.id"
/* The members who ever belonged to branch ?1 (a term there, or there now): whoever
 * MEMBER_BRANCH places in it is one of them, so a branch's records start from its members
 * instead of every case of the period. */
#define CAND                                                                                                 \
    "cand(mid) AS (SELECT member_id FROM member_terms WHERE branch_id = ?1"                                  \
    " UNION SELECT id FROM members WHERE branch_id = ?1)"
/* The closed cases of one branch (?1), for days ?2 <= day < ?3: the records of a value. */
#define TEAM_OF                                                                                              \
    "WITH " CAND ", team AS (SELECT DISTINCT c.id AS cid, c.closed_on AS day FROM cand"                      \
    " JOIN case_members cm ON cm.member_id = cand.mid JOIN cases c ON c.id = cm.case_id"                     \
    " WHERE c.closed_on >= ?2 AND c.closed_on < ?3 AND ?1 = " MEMBER_BRANCH("cm.member_id",                  \
                                                                            "c.closed_on") ") "
/* A 三必评 score as rows (rid, member, day, score, 1), one per member of the case's team
 * (placed in the branch they belonged to on the day of the review), a review's rows
 * together (as TEAM_ROWS). */
#define REVIEW_ROWS                                                                                          \
    "SELECT r.id, cm.member_id, r.reviewed_on, r.score, 1 FROM case_reviews r JOIN case_members cm"          \
    " ON cm.case_id = r.case_id AND cm.member_id IS NOT NULL WHERE r.score IS NOT NULL"                      \
    " AND r.reviewed_on >= ?1 AND r.reviewed_on < ?2 ORDER BY r.id"
/* The 三必评 scores of one branch (?1), for days ?2 <= day < ?3: (rid, cid, aspect, score,
 * day) of the reviews REVIEW_ROWS places in it. */
#define REVIEWS_OF                                                                                           \
    "WITH " CAND ", rb AS (SELECT DISTINCT r.id AS rid, r.case_id AS cid, r.aspect AS aspect,"               \
    " r.score AS score, r.reviewed_on AS day FROM cand JOIN case_members cm ON cm.member_id = cand.mid"      \
    " JOIN case_reviews r ON r.case_id = cm.case_id WHERE r.score IS NOT NULL AND r.reviewed_on >= ?2"       \
    " AND r.reviewed_on < ?3 AND ?1 = " MEMBER_BRANCH("cm.member_id", "r.reviewed_on") ") "
#define LEAD_IS_MEMBER(CID)                                                                                  \
    "EXISTS (SELECT 1 FROM case_members l WHERE l.case_id = " CID " AND l.role = '主办检察官'"          \
    " AND l.member_id IS NOT NULL)"
#define HAS_LEAD(CID)                                                                                        \
    "EXISTS (SELECT 1 FROM case_members l WHERE l.case_id = " CID " AND l.role = '主办检察官')"
/* The four stages of a 四同步 pair, each (branch, the later of its two days, in step), for
 * the stages both sides have done. */
#define STAGES                                                                                               \
    "(SELECT id, branch_id, business_title AS title, max(b, p) AS day,"                                      \
    " abs(julianday(b) - julianday(p)) <= tolerance_days AS ok FROM ("                                       \
    "SELECT id, branch_id, business_title, business_plan_on AS b, party_plan_on AS p, tolerance_days"        \
    " FROM sync_pairs UNION ALL SELECT id, branch_id, business_title, business_deploy_on, party_deploy_on,"  \
    " tolerance_days FROM sync_pairs UNION ALL SELECT id, branch_id, business_title, business_implement_on," \
    " party_implement_on, tolerance_days FROM sync_pairs UNION ALL SELECT id, branch_id, business_title,"    \
    " business_review_on, party_review_on, tolerance_days FROM sync_pairs)"                                  \
    " WHERE b IS NOT NULL AND p IS NOT NULL)"
#define OUTCOMES                                                                                             \
    "(SELECT o.id, o.title, o.achieved_on AS day, o.branch_id AS br FROM project_outcomes o"                 \
    " UNION SELECT o.id, o.title, o.achieved_on, pp.party_branch_id FROM project_outcomes o"                 \
    " JOIN project_parties pp ON pp.project_id = o.project_id WHERE pp.party_branch_id IS NOT NULL)"
#define HONOURS                                                                                              \
    "(SELECT h.id, h.title, printf('%04d-12-31', h.year) AS day,"                                            \
    " coalesce(h.branch_id, (SELECT m.branch_id FROM members m WHERE m.id = h.member_id)) AS br"             \
    " FROM honours h)"

struct entry {
    struct measure m;
    const char *months_sql; /* (branch, "YYYY-MM…", num, den) for days ?1 <= day < ?2, a row a
                               record (summed by the grid: a GROUP BY sorts them); NULL: load_life */
    enum {
        ROWS_BY_BRANCH,  /* months_sql answers (branch, "YYYY-MM…", num, den) */
        ROWS_BY_RECORD,  /* (record, member, day, num, den), a record's rows together: each
                            member placed on the day (member_branch_on), each (record, branch)
                            counted once (load_per_record) */
        ROWS_BY_MEETING, /* (activity, branch, num, den) of the activities held in the days,
                            each counted in the month it was held (load_by_meeting) */
        ROWS_BY_TEAM     /* (case, member or NULL, day, leads) of every member of the teams of
                            the cases closed in the days, a case's rows together: a case with
                            a lead counts (its lead is a party member, 1) once in each branch
                            its party members belonged to that day (load_by_team) */
    } rows;
};

static const struct entry catalogue[] = {
    {{"三会一课完成率", MEASURE_RATE, "比例", "党建",
      "三会一课（支部党员大会、支委会、党小组会、党课）按组织生活规则应开次数中已开的比例：每个已结束的规则"
      "周期（月、季度）计一次，分子为已开次数（不超过应开次数，按党小组计的规则逐个党小组计），分母为应开次"
      "数，记在周期结束的月份",
      "SELECT 'activities', id, kind || '：' || topic, held_on, 1, 0 FROM activities WHERE branch_id = ?1"
      " AND held_on >= ?2 AND held_on < ?3 AND kind IN ('支部党员大会', '支委会', '党小组会', '党课')"
      " ORDER BY held_on, id"},
     NULL,
     ROWS_BY_BRANCH},
    {{"党员出勤率", MEASURE_RATE, "比例", "党建",
      "组织生活考勤中出席人次占应到人次的比例，按活动日期计月，记在活动所属党组织",
      "SELECT 'attendance', a.id, (SELECT name FROM members m WHERE m.id = a.member_id) || '：' || a.status"
      " || '（' || v.topic || '）', v.held_on, a.status = '出席', 1 FROM attendance a"
      " JOIN activities v ON v.id = a.activity_id WHERE a.branch_id = ?1 AND v.held_on >= ?2"
      " AND v.held_on < ?3 ORDER BY v.held_on, a.id"},
     /* a row each, summed by the grid (a GROUP BY here sorted millions of rows, 3× slower),
      * the meetings' ids in order (the rows of a meeting lie together: 2.5× faster than
      * reading them meeting by meeting in the order they were held) */
     "SELECT a.activity_id, a.branch_id, a.status = '出席', 1 FROM attendance a"
     " WHERE a.activity_id IN (SELECT id FROM activities WHERE held_on >= ?1 AND held_on < ?2)",
     ROWS_BY_MEETING},
    {{"主题党日次数", MEASURE_COUNT, "次", "党建", "开展主题党日活动的次数，按活动日期计月",
      "SELECT 'activities', id, topic, held_on, 1, 0 FROM activities WHERE branch_id = ?1 AND kind = "
      "'主题党日'"
      " AND held_on >= ?2 AND held_on < ?3 ORDER BY held_on, id"},
     "SELECT branch_id, held_on, 1, 0 FROM activities WHERE kind = '主题党日' AND held_on >= ?1"
     " AND held_on < ?2",
     ROWS_BY_BRANCH},
    {{"党员学习次数", MEASURE_COUNT, "次", "党建",
      "组织集中学习的次数（组织生活类型为“学习”），按活动日期计月",
      "SELECT 'activities', id, topic, held_on, 1, 0 FROM activities WHERE branch_id = ?1 AND kind = '学习'"
      " AND held_on >= ?2 AND held_on < ?3 ORDER BY held_on, id"},
     "SELECT branch_id, held_on, 1, 0 FROM activities WHERE kind = '学习' AND held_on >= ?1"
     " AND held_on < ?2",
     ROWS_BY_BRANCH},
    {{"荣誉数", MEASURE_COUNT, "项", "党建",
      "党组织及其党员获得的荣誉项数，记在获评年度的 12 月；党员的荣誉记在其所在党组织",
      "SELECT 'honours', id, title, day, 1, 0 FROM " HONOURS " WHERE br = ?1 AND day >= ?2 AND day < ?3"
      " ORDER BY day, id"},
     "SELECT br, substr(day, 1, 7), count(*), 0 FROM " HONOURS " WHERE day >= ?1 AND day < ?2"
     " AND br IS NOT NULL GROUP BY 1, 2",
     ROWS_BY_BRANCH},
    {{"办结案件数", MEASURE_COUNT, "件", "业务",
      "办结的案件数，按办结日期计月；案件记在办结之日办案组成员所在的每个党组织",
      TEAM_OF "SELECT 'cases', c.id, c.case_no || ' ' || c.title, team.day, 1, 0 FROM team"
              " JOIN cases c ON c.id = team.cid ORDER BY team.day, c.id"},
     TEAM_ROWS("1", "0", ""),
     ROWS_BY_RECORD},
    {{"三必评平均分", MEASURE_MEAN, "分", "业务",
      "案件“三必评”（政治考量、社会影响、群众满意）各项评分的平均分，按评价日期计月，记在评价之日办案组成员"
      "所在的党组织",
      REVIEWS_OF "SELECT 'case-reviews', rid, (SELECT c.case_no FROM cases c WHERE c.id = cid) || ' ' ||"
                 " aspect || ' ' || score || ' 分', day, score, 1 FROM rb ORDER BY day, rid"},
     REVIEW_ROWS,
     ROWS_BY_RECORD},
    {{"12309程序性答复及时率", MEASURE_RATE, "比例", "业务",
      "程序性答复期限在本期的 12309 来信来访中，在期限内（含当日）答复的比例；期限未到且尚未答复的不计",
      "SELECT 'requests', id, number || ' ' || summary, procedural_due,"
      " replied_on IS NOT NULL AND replied_on <= procedural_due, 1 FROM requests WHERE branch_id = ?1"
      " AND procedural_due >= ?2 AND procedural_due < ?3"
      " AND (replied_on IS NOT NULL OR procedural_due < ronghe_today()) ORDER BY procedural_due, id"},
     "SELECT branch_id, procedural_due, replied_on IS NOT NULL AND replied_on <= procedural_due, 1"
     " FROM requests WHERE procedural_due >= ?1 AND procedural_due < ?2"
     " AND (replied_on IS NOT NULL OR procedural_due < ronghe_today())",
     ROWS_BY_BRANCH},
    {{"12309办结率", MEASURE_RATE, "比例", "业务", "本期受理的 12309 来信来访中已办结的比例，按受理日期计月",
      "SELECT 'requests', id, number || ' ' || summary, received_on, closed_on IS NOT NULL, 1 FROM requests"
      " WHERE branch_id = ?1 AND received_on >= ?2 AND received_on < ?3 ORDER BY received_on, id"},
     "SELECT branch_id, received_on, closed_on IS NOT NULL, 1 FROM requests"
     " WHERE received_on >= ?1 AND received_on < ?2",
     ROWS_BY_BRANCH},
    {{"公益诉讼立案数", MEASURE_COUNT, "件", "业务", "公益诉讼立案的件数，按立案日期计月",
      "SELECT 'pil-matters', id, title, filed_on, 1, 0 FROM pil_matters WHERE branch_id = ?1"
      " AND filed_on >= ?2 AND filed_on < ?3 ORDER BY filed_on, id"},
     "SELECT branch_id, filed_on, 1, 0 FROM pil_matters WHERE filed_on >= ?1 AND filed_on < ?2",
     ROWS_BY_BRANCH},
    {{"普法宣传次数", MEASURE_COUNT, "次", "业务", "开展普法宣传、检察开放日等外宣活动的次数，按活动日期计月",
      "SELECT 'outreach', id, topic, held_on, 1, 0 FROM outreach WHERE branch_id = ?1 AND held_on >= ?2"
      " AND held_on < ?3 ORDER BY held_on, id"},
     "SELECT branch_id, held_on, 1, 0 FROM outreach WHERE held_on >= ?1 AND held_on < ?2",
     ROWS_BY_BRANCH},
    {{"党员主办案件占比", MEASURE_RATE, "比例", "融合",
      "办结案件中由党员担任主办检察官的比例（分母为有主办检察官的办结案件），按办结日期计月",
      TEAM_OF "SELECT 'cases', c.id, c.case_no || ' ' || c.title, team.day, " LEAD_IS_MEMBER(
          "team.cid") ", 1"
                      " FROM team JOIN cases c ON c.id = team.cid WHERE " HAS_LEAD(
                          "team.cid") " ORDER BY team.day, c.id"},
     /* every member of the team, members of the party or not, and whether they lead it */
     "SELECT c.id, cm.member_id, c.closed_on, cm.role = '主办检察官' FROM cases c CROSS JOIN case_members cm"
     " ON cm.case_id = c.id WHERE c.closed_on >= ?1 AND c.closed_on < ?2 ORDER BY c.closed_on, c.id",
     ROWS_BY_TEAM},
    {{"关联业务组织生活占比", MEASURE_RATE, "比例", "融合",
      "组织生活中关联了业务事项（案件、12309、公益诉讼、巡回检察、外宣、共建项目、四同步）的比例，按活动日期"
      "计月",
      "SELECT 'activities', v.id, v.kind || '：' || v.topic, v.held_on,"
      " EXISTS (SELECT 1 FROM activity_items i WHERE i.activity_id = v.id), 1 FROM activities v"
      " WHERE v.branch_id = ?1 AND v.held_on >= ?2 AND v.held_on < ?3 ORDER BY v.held_on, v.id"},
     "SELECT v.branch_id, v.held_on, EXISTS (SELECT 1 FROM activity_items i WHERE i.activity_id = v.id), 1"
     " FROM activities v WHERE v.held_on >= ?1 AND v.held_on < ?2",
     ROWS_BY_BRANCH},
    {{"四同步同步率", MEASURE_RATE, "比例", "融合",
      "四同步（同步谋划、部署、落实、检查）中业务与党建两方都已完成的环节里，两方相差不超过容差天数的比例，"
      "记在两方中较晚一方完成的月份",
      "SELECT 'sync-pairs', id, title, day, ok, 1 FROM " STAGES " WHERE branch_id = ?1 AND day >= ?2"
      " AND day < ?3 ORDER BY day, id"},
     "SELECT branch_id, substr(day, 1, 7), sum(ok), count(*) FROM " STAGES " WHERE day >= ?1 AND day < ?2"
     " GROUP BY 1, 2",
     ROWS_BY_BRANCH},
    {{"工作法要素佐证率", MEASURE_RATE, "比例", "融合",
      "工作法要素的落实记录中附有业务佐证（案件、12309 等业务记录）的比例，按落实日期计月",
      "SELECT 'element-checks', c.id, coalesce(c.note, c.period), c.checked_on,"
      " EXISTS (SELECT 1 FROM element_evidence e WHERE e.check_id = c.id), 1 FROM element_checks c"
      " WHERE c.branch_id = ?1 AND c.checked_on >= ?2 AND c.checked_on < ?3 ORDER BY c.checked_on, c.id"},
     "SELECT c.branch_id, c.checked_on, EXISTS (SELECT 1 FROM element_evidence e WHERE e.check_id = c.id), 1"
     " FROM element_checks c WHERE c.checked_on >= ?1 AND c.checked_on < ?2",
     ROWS_BY_BRANCH},
    {{"共建成果数", MEASURE_COUNT, "项", "融合",
      "党建共建项目取得的成果项数，按取得日期计月，记在项目所属党组织和参与共建的每个党组织",
      "SELECT 'project-outcomes', id, title, day, 1, 0 FROM " OUTCOMES " WHERE br = ?1 AND day >= ?2"
      " AND day < ?3 ORDER BY day, id"},
     "SELECT br, substr(day, 1, 7), count(*), 0 FROM " OUTCOMES " WHERE day >= ?1 AND day < ?2 GROUP BY 1, 2",
     ROWS_BY_BRANCH},
};
#define N_MEASURES ((int)(sizeof catalogue / sizeof catalogue[0]))

int measure_count(void)
{
    return N_MEASURES;
}

const struct measure *measure_at(int i)
{
    CHECK(i >= 0 && i < N_MEASURES);
    return &catalogue[i].m;
}

int measure_find(const char *name)
{
    for (int i = 0; i < N_MEASURES; i++)
        if (!strcmp(catalogue[i].m.name, name))
            return i;
    return -1;
}

bool measure_value(const struct measure *m, double num, double den, double *value)
{
    if (m->kind == MEASURE_COUNT) {
        *value = num;
        return true;
    }
    if (den == 0)
        return false;
    *value = num / den;
    return true;
}

/* ------------------------------------------------------------------ the grid */

struct measure_grid {
    enum measure_of of;
    int first_year, months, nbranches;
    int64_t *branches; /* the subjects (branches, members or party groups), ascending */
    int *slot;         /* [id - branches[0]]: the index of subject id, or -1; NULL when the
                          ids are too sparse for it (then a search) */
    int only;          /* the one measure it holds (measure_grid_load_one), or -1: all */
    double *pair;      /* [branch][month][measure][2]; with "only", [branch][month][2] */
    bool *absent;      /* [month * N_MEASURES + measure]: not asked for, neither read nor
                          computed (measure_sum over it is false); NULL: none */
};

static int branch_index(const struct measure_grid *g, int64_t id)
{
    if (g->slot) {
        int64_t at = id - g->branches[0];
        return at >= 0 && at <= g->branches[g->nbranches - 1] - g->branches[0] ? g->slot[at] : -1;
    }
    int lo = 0, hi = g->nbranches - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (g->branches[mid] == id)
            return mid;
        if (g->branches[mid] < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* The month index of "YYYY-MM…" in the grid, or -1 outside it. */
static int month_index(const struct measure_grid *g, const char *ym)
{
    /* by hand, not sscanf: a run asks this millions of times */
    if (!ym)
        return -1;
    for (int i = 0; i < 7; i++)
        if (i == 4 ? ym[i] != '-' : (ym[i] < '0' || ym[i] > '9'))
            return -1;
    int y = (ym[0] - '0') * 1000 + (ym[1] - '0') * 100 + (ym[2] - '0') * 10 + (ym[3] - '0');
    int m = (ym[5] - '0') * 10 + (ym[6] - '0');
    if (m < 1 || m > 12)
        return -1;
    int i = (y - g->first_year) * 12 + (m - 1);
    return i >= 0 && i < g->months ? i : -1;
}

/* "YYYY-MM" of month index k of the grid (k may be g->months: the month after). */
static void month_label(const struct measure_grid *g, int k, char out[16])
{
    snprintf(out, 16, "%04d-%02d", g->first_year + k / 12, k % 12 + 1);
}

static double *cell(const struct measure_grid *g, int b, int month, int m)
{
    if (g->only >= 0) {
        CHECK(m == g->only);
        return &g->pair[((size_t)b * (size_t)g->months + (size_t)month) * 2];
    }
    return &g->pair[(((size_t)b * (size_t)g->months + (size_t)month) * N_MEASURES + (size_t)m) * 2];
}

static void add(struct measure_grid *g, int m, int64_t branch, const char *ym, double num, double den)
{
    int b = branch_index(g, branch), k = month_index(g, ym);
    if (b < 0 || k < 0)
        return;
    double *p = cell(g, b, k, m);
    p[0] += num;
    p[1] += den;
}

static int load_sql(struct res_ctx *x, struct measure_grid *g, int m, const char *sql, const char *from,
                    const char *to, struct rerr *err)
{
    store_stmt *st;
    int rc = store_prepare_built(x->c, sql, &st, err);
    if (rc < 0)
        return rc;
    store_bind_text(st, 1, from);
    store_bind_text(st, 2, to);
    while ((rc = store_step(st, err)) == STORE_ROW)
        add(g, m, store_col_int(st, 0), store_col_text(st, 1), store_col_real(st, 2), store_col_real(st, 3));
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* The branches a record counts in so far, each once (a record's rows are few). */
struct branch_set {
    int64_t *v;
    size_t n, cap;
};

/* Adds "branch" unless it is there already: true when added. */
static bool branch_set_add(struct branch_set *s, int64_t branch)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == branch)
            return false;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            die("内存不足");
    }
    s->v[s->n++] = branch;
    return true;
}

/* The pairs of a ROWS_BY_RECORD measure "m" for days from <= day < to: its rows (record,
 * member, day, num, den) come a record at a time, each member is placed in the branch
 * they belonged to on the day ("mb"), and a record counts once for each branch among its
 * rows (a case whose team has two members of one branch counts there once), as a
 * DISTINCT would count it — without SQLite sorting every row to find out. */
static int load_per_record(struct res_ctx *x, struct measure_grid *g, int m, const struct member_branches *mb,
                           const char *from, const char *to, struct rerr *err)
{
    store_stmt *st;
    int rc = store_prepare_built(x->c, catalogue[m].months_sql, &st, err);
    if (rc < 0)
        return rc;
    store_bind_text(st, 1, from);
    store_bind_text(st, 2, to);
    int64_t record = 0;
    struct branch_set seen = {0};
    bool first = true;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        const char *day = store_col_text(st, 2);
        int64_t r = store_col_int(st, 0), branch = member_branch_on(mb, store_col_int(st, 1), day);
        if (first || r != record) {
            first = false;
            record = r;
            seen.n = 0;
        }
        if (branch_set_add(&seen, branch))
            add(g, m, branch, day, store_col_real(st, 3), store_col_real(st, 4));
    }
    store_done(st);
    free(seen.v);
    return rc < 0 ? rc : 0;
}

/* The pairs of a ROWS_BY_TEAM measure "m" for days from <= day < to (the rows of a case
 * as the months query of 党员主办案件占比 gives them: TEAM_ROWS with LEAD_IS_MEMBER and
 * HAS_LEAD, worked out once a case instead of twice a row). */
struct team {
    int64_t id;
    const char *day; /* a copy */
    bool has_lead, lead_is_member;
    struct branch_set branches; /* of its party members */
    char buf[32];               /* a day is YYYY-MM-DD (validated on every write) */
};

static void team_flush(struct measure_grid *g, int m, struct team *t)
{
    for (size_t i = 0; t->has_lead && i < t->branches.n; i++)
        add(g, m, t->branches.v[i], t->day, t->lead_is_member, 1);
    t->branches.n = 0;
    t->has_lead = t->lead_is_member = false;
}

static int load_by_team(struct res_ctx *x, struct measure_grid *g, int m, const struct member_branches *mb,
                        const char *from, const char *to, struct rerr *err)
{
    store_stmt *st;
    int rc = store_prepare_built(x->c, catalogue[m].months_sql, &st, err);
    if (rc < 0)
        return rc;
    store_bind_text(st, 1, from);
    store_bind_text(st, 2, to);
    struct team t = {.id = 0};
    bool first = true;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t id = store_col_int(st, 0);
        if (first || id != t.id) {
            team_flush(g, m, &t);
            first = false;
            t.id = id;
            const char *day = store_col_text(st, 2);
            snprintf(t.buf, sizeof t.buf, "%s", day ? day : "");
            t.day = day ? t.buf : NULL;
        }
        bool member = store_col_type(st, 1) != STORE_NULL, leads = store_col_int(st, 3) != 0;
        t.has_lead = t.has_lead || leads;
        t.lead_is_member = t.lead_is_member || (leads && member);
        if (!member)
            continue;
        branch_set_add(&t.branches, member_branch_on(mb, store_col_int(st, 1), t.day));
    }
    if (rc >= 0)
        team_flush(g, m, &t);
    store_done(st);
    free(t.branches.v);
    return rc < 0 ? rc : 0;
}

/* The pairs of a ROWS_BY_MEETING measure "m" for days from <= day < to: the meetings held
 * then, each with the month it was held, then the measure's rows (activity, branch, num,
 * den), each added in its meeting's month. The rows come in the order of the meetings'
 * ids (any other order is answered by a search). */
static int load_by_meeting(struct res_ctx *x, struct measure_grid *g, int m, const char *from, const char *to,
                           struct rerr *err)
{
    struct meeting {
        int64_t id;
        int k; /* its month in the grid, or -1 */
    } *mt = NULL;
    size_t n = 0, cap = 0;
    store_stmt *st = store_prepare(x->c, "SELECT id, held_on FROM activities WHERE held_on >= ?1"
                                         " AND held_on < ?2 ORDER BY id");
    store_bind_text(st, 1, from);
    store_bind_text(st, 2, to);
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            mt = realloc(mt, cap * sizeof *mt);
            if (!mt)
                die("内存不足");
        }
        mt[n++] = (struct meeting){store_col_int(st, 0), month_index(g, store_col_text(st, 1))};
    }
    store_done(st);
    if (rc >= 0)
        rc = store_prepare_built(x->c, catalogue[m].months_sql, &st, err);
    if (rc < 0) {
        free(mt);
        return rc;
    }
    store_bind_text(st, 1, from);
    store_bind_text(st, 2, to);
    size_t at = 0;
    int64_t last_branch = -1;
    int b = -1;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t id = store_col_int(st, 0), branch = store_col_int(st, 1);
        while (at < n && mt[at].id < id)
            at++;
        if (at == n || mt[at].id != id) { /* out of id order: search */
            size_t lo = 0, hi = n;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (mt[mid].id < id)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            at = lo;
            if (at == n || mt[at].id != id)
                continue; /* not a meeting of the days: IN never gives one */
        }
        if (branch != last_branch) { /* a meeting's rows are mostly of one branch */
            last_branch = branch;
            b = branch_index(g, branch);
        }
        if (b < 0 || mt[at].k < 0)
            continue;
        double *p = cell(g, b, mt[at].k, m);
        p[0] += store_col_real(st, 2);
        p[1] += store_col_real(st, 3);
    }
    store_done(st);
    free(mt);
    return rc < 0 ? rc : 0;
}

/* ---- what the kept months give a grid
 *
 * Per month and measure (STATE(kp, k, m)): KEPT_NONE, computed from the ledgers; KEPT_WHOLE,
 * read as kept (or, for measure_keep, not to be kept: a month not wholly past); KEPT_PART,
 * read as kept but for the branches marked in eval_pairs_dirty (migration 023), whose cells
 * are zeroed and computed again branch by branch; KEPT_SKIP, not asked for (the caller's
 * "want"): neither read, computed nor kept. marks[] are the (month, measure, branch index)
 * of the KEPT_PART cells, sorted. */
enum { KEPT_NONE, KEPT_WHOLE, KEPT_PART, KEPT_SKIP };
struct mark {
    int k, m, b;
};
struct kept {
    unsigned char *state; /* [month * N_MEASURES + measure] */
    struct mark *marks;
    size_t nmarks;
};
#define STATE(kp, k, m) ((kp)->state[(size_t)(k)*N_MEASURES + (size_t)(m)])

static int mark_cmp(const void *pa, const void *pb)
{
    const struct mark *a = pa, *b = pb;
    if (a->k != b->k)
        return a->k < b->k ? -1 : 1;
    if (a->m != b->m)
        return a->m < b->m ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static bool marked(const struct kept *kp, int k, int m, int b)
{
    struct mark key = {k, m, b};
    return kp->nmarks && bsearch(&key, kp->marks, kp->nmarks, sizeof key, mark_cmp) != NULL;
}

/* The pair of measure "m" (one with a months query) of grid branch "b" in month "k", again
 * from the ledgers: the sum of the records its value lists (measure_records), which are
 * what the months query counts, for that branch alone. */
static int load_branch_month(struct res_ctx *x, struct measure_grid *g, int m, int b, int k, struct rerr *err)
{
    char from[24], to[24];
    month_label(g, k, from);
    month_label(g, k + 1, to);
    strcat(from, "-01");
    strcat(to, "-01");
    store_stmt *st;
    int rc = store_prepare_built(
        x->c,
        arena_printf(x->a,
                     "WITH r(coll, id, title, day, num, den) AS (%s) SELECT total(num), total(den) FROM r",
                     catalogue[m].m.records_sql),
        &st, err);
    if (rc < 0)
        return rc;
    store_bind_int(st, 1, g->branches[b]);
    store_bind_text(st, 2, from);
    store_bind_text(st, 3, to);
    if ((rc = store_step(st, err)) == STORE_ROW) {
        double *p = cell(g, b, k, m);
        p[0] = store_col_real(st, 0);
        p[1] = store_col_real(st, 1);
    }
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* 三会一课完成率 ("m") from the branches' completeness of each year (domain/partylife.h,
 * life_periods_over): a rule's period that is over counts in the month it ends. Only the
 * months to compute are added: every branch's when a month of the year is KEPT_NONE, else
 * the marked branches'. */
struct life_add {
    struct measure_grid *g;
    const struct kept *kp;
    int m, y;
};

static void life_add(void *arg, int64_t branch, int last, int required, int met)
{
    const struct life_add *la = arg;
    int b = branch_index(la->g, branch), k = la->y * 12 + last - 1;
    if (b < 0 || last < 1 || last > 12)
        return;
    int st = STATE(la->kp, k, la->m);
    if (st != KEPT_NONE && !(st == KEPT_PART && marked(la->kp, k, la->m, b)))
        return;
    double *pair = cell(la->g, b, k, la->m);
    pair[0] += met;
    pair[1] += required;
}

static int load_life(struct res_ctx *x, struct measure_grid *g, int m, const struct kept *kp,
                     struct rerr *err)
{
    int years = g->months / 12, rc = 0;
    for (int y = 0; rc == 0 && y < years; y++) {
        bool all = false, some = false;
        for (int k = y * 12; k < y * 12 + 12; k++) {
            all = all || STATE(kp, k, m) == KEPT_NONE;
            some = some || STATE(kp, k, m) == KEPT_PART;
        }
        struct life_add la = {g, kp, m, y};
        if (all && g->nbranches > 1) { /* every branch in one walk; a grid of one reads its own */
            rc = life_periods_over(x, g->first_year + y, 0, life_add, &la, err);
            continue;
        }
        for (int b = 0; rc == 0 && (all || some) && b < g->nbranches; b++) {
            bool any = all;
            for (int i = 0; !any && i < 12; i++)
                any = STATE(kp, y * 12 + i, m) == KEPT_PART && marked(kp, y * 12 + i, m, b);
            if (any)
                rc = life_periods_over(x, g->first_year + y, g->branches[b], life_add, &la, err);
        }
    }
    return rc < 0 ? rc : 0;
}

/* The pairs of measure "m" (of the branches' grid) in the months kp has KEPT_NONE, from
 * the ledgers: its query once per run of consecutive such months ("mb": the members'
 * branches, for a ROWS_BY_RECORD measure). Writes the cells of "m" alone (so measures may
 * be computed side by side: compute_side_by_side). */
static int compute_measure(struct res_ctx *x, struct measure_grid *g, const struct kept *kp, int m,
                           const struct member_branches *mb, struct rerr *err)
{
    if (!catalogue[m].months_sql)
        return load_life(x, g, m, kp, err);
    int rc = 0;
    for (int k = 0; rc >= 0 && k < g->months;) {
        if (STATE(kp, k, m) != KEPT_NONE) {
            k++;
            continue;
        }
        int a = k;
        while (k < g->months && STATE(kp, k, m) == KEPT_NONE)
            k++;
        char from[24], to[24];
        month_label(g, a, from);
        month_label(g, k, to);
        strcat(from, "-01");
        strcat(to, "-01");
        switch (catalogue[m].rows) {
        case ROWS_BY_RECORD:
            CHECK(mb);
            rc = load_per_record(x, g, m, mb, from, to, err);
            break;
        case ROWS_BY_MEETING:
            rc = load_by_meeting(x, g, m, from, to, err);
            break;
        case ROWS_BY_TEAM:
            CHECK(mb);
            rc = load_by_team(x, g, m, mb, from, to, err);
            break;
        default:
            rc = load_sql(x, g, m, catalogue[m].months_sql, from, to, err);
        }
    }
    return rc < 0 ? rc : 0;
}

/* The branches' pairs of the marked cells (KEPT_PART), branch by branch. */
static int compute_marks(struct res_ctx *x, struct measure_grid *g, const struct kept *kp, struct rerr *err)
{
    int rc = 0;
    for (size_t i = 0; rc >= 0 && i < kp->nmarks; i++) {
        const struct mark *mk = &kp->marks[i];
        if (catalogue[mk->m].months_sql && (g->only < 0 || mk->m == g->only))
            rc = load_branch_month(x, g, mk->m, mk->b, mk->k, err);
    }
    return rc < 0 ? rc : 0;
}

static bool to_compute(const struct measure_grid *g, const struct kept *kp, int m);

/* The members' branches (member_branches_load) when a measure to compute places members
 * (ROWS_BY_RECORD), else NULL. */
static int members_if_needed(struct res_ctx *x, const struct measure_grid *g, const struct kept *kp,
                             struct member_branches **mb, struct rerr *err)
{
    *mb = NULL;
    for (int m = 0; m < N_MEASURES; m++)
        if ((catalogue[m].rows == ROWS_BY_RECORD || catalogue[m].rows == ROWS_BY_TEAM) &&
            (g->only < 0 || m == g->only) && to_compute(g, kp, m))
            return member_branches_load(x->c, mb, err);
    return 0;
}

/* The pairs of every measure and month not read as kept, from the ledgers
 * (compute_measure), then the marked branches one by one. */
static int compute_months(struct res_ctx *x, struct measure_grid *g, const struct kept *kp, struct rerr *err)
{
    int rc = 0;
    if (g->of != MEASURE_OF_BRANCH) { /* members' and groups' months are never kept: all of them */
        char from[24], to[24];
        snprintf(from, sizeof from, "%04d-01-01", g->first_year);
        snprintf(to, sizeof to, "%04d-01-01", g->first_year + g->months / 12);
        for (int m = 0; rc >= 0 && m < N_MEASURES; m++) {
            const char *sql = measure_people_sql(m, g->of);
            rc = sql ? load_sql(x, g, m, sql, from, to, err) : 0;
        }
        return rc < 0 ? rc : 0;
    }
    struct member_branches *mb;
    rc = members_if_needed(x, g, kp, &mb, err);
    for (int m = 0; rc >= 0 && m < N_MEASURES; m++)
        if (g->only < 0 || m == g->only)
            rc = compute_measure(x, g, kp, m, mb, err);
    member_branches_free(mb);
    return rc < 0 ? rc : compute_marks(x, g, kp, err);
}

/* ---- computing measures side by side
 *
 * measure_keep's months are computed by the caller's thread and one more with a connection
 * of its own, each taking the next measure to compute (the slowest first) until none is
 * left. Each measure's cells are written by one thread, in the order one thread alone
 * would: the same numbers, bit for bit. The second connection's read transaction begins
 * after the caller's; measure_keep's writes upgrade the caller's, which SQLite refuses when
 * anything was committed since it began — so whatever is kept was read from one snapshot. */

/* The measures slowest to compute on the province-scale data (bench/eval), first. */
static const char *const slowest_first[] = {"党员出勤率",      "三必评平均分", "党员主办案件占比",
                                            "三会一课完成率",  "办结案件数",   "关联业务组织生活占比",
                                            "工作法要素佐证率"};
#define N_SLOWEST ((int)(sizeof slowest_first / sizeof slowest_first[0]))

struct side_by_side {
    struct measure_grid *g;
    const struct kept *kp;
    const struct member_branches *mb;
    int order[N_MEASURES], n;
    pthread_mutex_t lock;
    int next; /* the next of order[] to take */
    int rc;   /* the first error, which stops both */
    struct rerr err;
};

struct side_worker {
    struct side_by_side *sh;
    struct res_ctx x;
};

static void side_work(struct side_by_side *sh, struct res_ctx *x)
{
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        int i = sh->rc < 0 ? sh->n : sh->next++;
        pthread_mutex_unlock(&sh->lock);
        if (i >= sh->n)
            return;
        struct rerr e = {0};
        int rc = compute_measure(x, sh->g, sh->kp, sh->order[i], sh->mb, &e);
        if (rc < 0) {
            pthread_mutex_lock(&sh->lock);
            if (sh->rc == 0) {
                sh->rc = rc;
                sh->err = e;
            }
            pthread_mutex_unlock(&sh->lock);
            return;
        }
    }
}

static void *side_thread(void *arg)
{
    struct side_worker *w = arg;
    side_work(w->sh, &w->x);
    return NULL;
}

/* Whether compute_measure() has anything to do for measure "m": months to compute whole,
 * or for 三会一课完成率 (load_life) marked ones too (the others' go to compute_marks). */
static bool to_compute(const struct measure_grid *g, const struct kept *kp, int m)
{
    for (int k = 0; k < g->months; k++)
        if (STATE(kp, k, m) == KEPT_NONE || (!catalogue[m].months_sql && STATE(kp, k, m) == KEPT_PART))
            return true;
    return false;
}

/* compute_months of the branches' grid "g" (every measure), on two threads when a second
 * connection is to be had and more than one measure has months to compute. Called in
 * the caller's read transaction on x->c, which is to be upgraded to write what this
 * computes (see above). */
static int compute_side_by_side(struct res_ctx *x, struct measure_grid *g, const struct kept *kp,
                                struct rerr *err)
{
    CHECK(g->of == MEASURE_OF_BRANCH && g->only < 0);
    struct side_by_side sh = {.g = g, .kp = kp};
    bool taken[N_MEASURES] = {false};
    for (int i = 0; i < N_SLOWEST; i++) {
        int m = measure_find(slowest_first[i]);
        CHECK(m >= 0);
        taken[m] = true;
        if (to_compute(g, kp, m))
            sh.order[sh.n++] = m;
    }
    for (int m = 0; m < N_MEASURES; m++)
        if (!taken[m] && to_compute(g, kp, m))
            sh.order[sh.n++] = m;
    struct member_branches *mb;
    int rc = members_if_needed(x, g, kp, &mb, err);
    if (rc < 0)
        return rc;
    sh.mb = mb; /* read by both threads, written by neither */
    store_conn *c2 = sh.n > 1 ? store_try_acquire(store_conn_owner(x->c)) : NULL;
    struct side_worker w = {.sh = &sh, .x = {.who = x->who}};
    pthread_mutex_init(&sh.lock, NULL);
    pthread_t t;
    bool two = false;
    struct rerr e = {0};
    if (c2 && store_begin_read(c2, &e) == 0) {
        w.x.c = c2;
        w.x.a = arena_new();
        two = pthread_create(&t, NULL, side_thread, &w) == 0;
        if (!two) {
            store_rollback(c2);
            arena_free(w.x.a);
        }
    }
    side_work(&sh, x);
    if (two) {
        pthread_join(t, NULL);
        store_rollback(c2);
        arena_free(w.x.a);
    }
    if (c2)
        store_release(c2);
    pthread_mutex_destroy(&sh.lock);
    member_branches_free(mb);
    if (sh.rc < 0) {
        *err = sh.err;
        return sh.rc;
    }
    return compute_marks(x, g, kp, err);
}

/* ---- the kept months (migration 019: eval_pairs)
 *
 * A row holds one month of one measure for every branch whose pair is not (0, 0): per
 * branch its id, the numerator and the denominator, as 8-byte little-endian numbers
 * (int64, IEEE doubles). "catalogue" fingerprints what computed it (the measures' names
 * and queries, and this layout), so a binary whose measures differ reads none of it; the
 * triggers of migration 019 name the measures each ledger feeds. */
#define RECORD_BYTES 24
#define KEPT_FORMAT "pairs-2"

static void fingerprint(char out[24])
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    const char *parts[2 * N_MEASURES + 1];
    int n = 0;
    parts[n++] = KEPT_FORMAT;
    for (int m = 0; m < N_MEASURES; m++) {
        parts[n++] = catalogue[m].m.name;
        parts[n++] = catalogue[m].months_sql ? catalogue[m].months_sql : "life_periods_over";
    }
    for (int i = 0; i < n; i++)
        for (const char *p = parts[i];; p++) {
            h ^= (unsigned char)*p;
            h *= 1099511628211ull;
            if (!*p)
                break;
        }
    snprintf(out, 24, "%016" PRIx64, h);
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void put_double(unsigned char *p, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    put64(p, v);
}

static double get_double(const unsigned char *p)
{
    uint64_t v = get64(p);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

/* "sql" prepared with ?1..?2 the grid's months ("YYYY-MM", the end excluded), ?3 "now" and
 * ?4 the one measure the grid holds (NULL: all). */
static store_stmt *prepare_months(struct res_ctx *x, const struct measure_grid *g, const char *now,
                                  const char *sql)
{
    char from[16], to[16];
    month_label(g, 0, from);
    month_label(g, g->months, to);
    store_stmt *st = store_prepare(x->c, sql);
    store_bind_text(st, 1, from);
    store_bind_text(st, 2, to);
    store_bind_text(st, 3, now);
    store_bind_text(st, 4, g->only >= 0 ? catalogue[g->only].m.name : NULL);
    return st;
}

/* The marks of migration 023 in the grid's months before "now" into kp->marks, as (month,
 * measure, branch index), sorted; those of branches, measures or months not in the grid
 * left out. */
static int read_marks(struct res_ctx *x, struct measure_grid *g, struct kept *kp, const char *now,
                      struct rerr *err)
{
    store_stmt *st = prepare_months(x, g, now,
                                    "SELECT month, measure, branch_id FROM eval_pairs_dirty"
                                    " WHERE month >= ?1 AND month < ?2 AND month < ?3"
                                    " AND (?4 IS NULL OR measure = ?4)");
    size_t cap = 0;
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int k = month_index(g, store_col_text(st, 0)), m = measure_find(store_col_text(st, 1));
        int b = branch_index(g, store_col_int(st, 2));
        if (k < 0 || m < 0 || b < 0 || (g->only >= 0 && m != g->only))
            continue;
        if (kp->nmarks == cap) {
            cap = cap ? cap * 2 : 64;
            kp->marks = realloc(kp->marks, cap * sizeof *kp->marks);
            if (!kp->marks)
                die("内存不足");
        }
        kp->marks[kp->nmarks++] = (struct mark){k, m, b};
    }
    store_done(st);
    if (kp->nmarks)
        qsort(kp->marks, kp->nmarks, sizeof *kp->marks, mark_cmp);
    return rc < 0 ? rc : 0;
}

/* The kept months of the grid's years before "now" ("YYYY-MM": months not wholly past are
 * never read) into kp->state, and their pairs into the grid: every kept month's when
 * "fill", else only the KEPT_PART ones' (measure_keep writes those back whole). A month of
 * a measure with more than a quarter of the branches marked is computed whole instead
 * (one query for the month costs less than that many for a branch). On return kp->marks
 * holds the marks of KEPT_PART months only, and their cells are zero. */
static int read_kept(struct res_ctx *x, struct measure_grid *g, struct kept *kp, const char *now, bool fill,
                     struct rerr *err)
{
    int rc = read_marks(x, g, kp, now, err);
    if (rc < 0)
        return rc;
    int *marks_in = calloc((size_t)g->months * N_MEASURES, sizeof *marks_in);
    if (!marks_in)
        die("内存不足");
    for (size_t i = 0; i < kp->nmarks; i++)
        marks_in[(size_t)kp->marks[i].k * N_MEASURES + (size_t)kp->marks[i].m]++;
    int limit = g->nbranches / 4 + 1;

    char fp[24];
    fingerprint(fp);
    store_stmt *st = prepare_months(x, g, now,
                                    "SELECT month, measure, data FROM eval_pairs WHERE month >= ?1"
                                    " AND month < ?2 AND month < ?3 AND (?4 IS NULL OR measure = ?4)"
                                    " AND catalogue = ?5");
    store_bind_text(st, 5, fp);
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int k = month_index(g, store_col_text(st, 0)), m = measure_find(store_col_text(st, 1));
        if (k < 0 || m < 0 || (g->only >= 0 && m != g->only) || STATE(kp, k, m) == KEPT_SKIP)
            continue;
        int n_marked = marks_in[(size_t)k * N_MEASURES + (size_t)m];
        if (n_marked > limit)
            continue; /* computed whole */
        const unsigned char *d = store_col_blob(st, 2);
        size_t n = (size_t)store_col_bytes(st, 2);
        if (n % RECORD_BYTES)
            continue; /* not of this layout: computed afresh */
        if (fill || n_marked) {
            /* the records are in ascending branch order, as the grid's branches are: one
             * walk along both (a search for a record out of that order) */
            int pos = 0;
            for (size_t at = 0; at < n; at += RECORD_BYTES) {
                int64_t id = (int64_t)get64(d + at);
                while (pos < g->nbranches && g->branches[pos] < id)
                    pos++;
                int b = pos < g->nbranches && g->branches[pos] == id ? pos : branch_index(g, id);
                if (b < 0)
                    continue;
                double *p = cell(g, b, k, m);
                p[0] = get_double(d + at + 8);
                p[1] = get_double(d + at + 16);
            }
        }
        STATE(kp, k, m) = n_marked ? KEPT_PART : KEPT_WHOLE;
    }
    store_done(st);
    free(marks_in);
    /* keep the marks of KEPT_PART months, their cells zeroed to be computed again */
    size_t w = 0;
    for (size_t i = 0; i < kp->nmarks; i++) {
        const struct mark mk = kp->marks[i];
        if (STATE(kp, mk.k, mk.m) != KEPT_PART)
            continue;
        double *p = cell(g, mk.b, mk.k, mk.m);
        p[0] = p[1] = 0;
        kp->marks[w++] = mk;
    }
    kp->nmarks = w;
    return rc < 0 ? rc : 0;
}

static struct measure_grid *grid_new(struct res_ctx *x, enum measure_of of, int first_year, int last_year,
                                     int64_t branch, int only, struct rerr *err, int *rcp)
{
    struct measure_grid *g = calloc(1, sizeof *g);
    if (!g)
        die("内存不足");
    g->of = of;
    g->only = only;
    g->first_year = first_year;
    g->months = (last_year - first_year + 1) * 12;
    static const char *const count_sql[] = {
        "SELECT count(*) FROM branches WHERE ?1 = 0 OR id = ?1",
        "SELECT count(*) FROM members WHERE ?1 = 0 OR id = ?1",
        "SELECT count(*) FROM party_groups WHERE ?1 = 0 OR id = ?1",
    };
    static const char *const ids_sql[] = {
        "SELECT id FROM branches WHERE ?1 = 0 OR id = ?1 ORDER BY id",
        "SELECT id FROM members WHERE ?1 = 0 OR id = ?1 ORDER BY id",
        "SELECT id FROM party_groups WHERE ?1 = 0 OR id = ?1 ORDER BY id",
    };
    store_stmt *st = store_prepare(x->c, count_sql[of]);
    store_bind_int(st, 1, branch);
    int rc = store_step(st, err);
    int n = rc == STORE_ROW ? (int)store_col_int(st, 0) : 0;
    store_done(st);
    g->branches = calloc((size_t)(n ? n : 1), sizeof *g->branches);
    if (!g->branches)
        die("内存不足");
    st = store_prepare(x->c, ids_sql[of]);
    store_bind_int(st, 1, branch);
    while (rc >= 0 && (rc = store_step(st, err)) == STORE_ROW && g->nbranches < n)
        g->branches[g->nbranches++] = store_col_int(st, 0);
    store_done(st);
    /* ids are mostly dense: a row's subject found at once (the loaders ask it per row) */
    if (g->nbranches && g->branches[g->nbranches - 1] - g->branches[0] < 4 * (int64_t)g->nbranches + 64) {
        size_t span = (size_t)(g->branches[g->nbranches - 1] - g->branches[0]) + 1;
        g->slot = malloc(span * sizeof *g->slot);
        if (!g->slot)
            die("内存不足");
        for (size_t i = 0; i < span; i++)
            g->slot[i] = -1;
        for (int i = 0; i < g->nbranches; i++)
            g->slot[g->branches[i] - g->branches[0]] = i;
    }
    g->pair = calloc((size_t)(g->nbranches ? g->nbranches : 1) * (size_t)g->months *
                         (size_t)(only >= 0 ? 1 : N_MEASURES) * 2,
                     sizeof *g->pair);
    if (!g->pair)
        die("内存不足");
    *rcp = rc < 0 ? rc : 0;
    return g;
}

void measure_grid_free(struct measure_grid *g)
{
    if (!g)
        return;
    free(g->branches);
    free(g->slot);
    free(g->pair);
    free(g->absent);
    free(g);
}

static void this_month(char out[16])
{
    char today[11];
    text_today(today);
    snprintf(out, 16, "%.7s", today);
}

static struct kept kept_new(const struct measure_grid *g)
{
    struct kept kp = {.state = calloc((size_t)g->months * N_MEASURES, 1)};
    if (!kp.state)
        die("内存不足");
    return kp;
}

/* The months of "want" (NULL: all) not asked for are KEPT_SKIP, and absent from the grid. */
static void kept_want(struct measure_grid *g, struct kept *kp, const bool *want)
{
    if (!want)
        return;
    size_t n = (size_t)g->months * N_MEASURES;
    g->absent = calloc(n, sizeof *g->absent);
    if (!g->absent)
        die("内存不足");
    for (size_t i = 0; i < n; i++)
        if (!want[i]) {
            kp->state[i] = KEPT_SKIP;
            g->absent[i] = true;
        }
}

static void kept_free(struct kept *kp)
{
    free(kp->state);
    free(kp->marks);
}

static int grid_load(struct res_ctx *x, enum measure_of of, int first_year, int last_year, int64_t branch,
                     int only, bool kept, const bool *want, struct measure_grid **out, struct rerr *err)
{
    CHECK(first_year <= last_year);
    CHECK(!want || (of == MEASURE_OF_BRANCH && only < 0));
    *out = NULL;
    char now[16];
    this_month(now);
    int rc;
    struct measure_grid *g = grid_new(x, of, first_year, last_year, branch, only, err, &rc);
    struct kept kp = kept_new(g);
    kept_want(g, &kp, want);
    if (rc == 0 && kept && of == MEASURE_OF_BRANCH)
        rc = read_kept(x, g, &kp, now, true, err);
    if (rc == 0)
        rc = compute_months(x, g, &kp, err);
    kept_free(&kp);
    if (rc < 0) {
        measure_grid_free(g);
        return rc;
    }
    *out = g;
    return 0;
}

int measure_grid_load(struct res_ctx *x, int first_year, int last_year, int64_t branch,
                      struct measure_grid **out, struct rerr *err)
{
    return grid_load(x, MEASURE_OF_BRANCH, first_year, last_year, branch, -1, true, NULL, out, err);
}

int measure_grid_load_wanted(struct res_ctx *x, int first_year, int last_year, const bool *want,
                             struct measure_grid **out, struct rerr *err)
{
    return grid_load(x, MEASURE_OF_BRANCH, first_year, last_year, 0, -1, true, want, out, err);
}

int measure_grid_load_one(struct res_ctx *x, int m, int first_year, int last_year, struct measure_grid **out,
                          struct rerr *err)
{
    CHECK(m >= 0 && m < N_MEASURES);
    return grid_load(x, MEASURE_OF_BRANCH, first_year, last_year, 0, m, true, NULL, out, err);
}

int measure_grid_load_of(struct res_ctx *x, enum measure_of of, int first_year, int last_year, int64_t id,
                         struct measure_grid **out, struct rerr *err)
{
    return grid_load(x, of, first_year, last_year, id, -1, of == MEASURE_OF_BRANCH, NULL, out, err);
}

int measure_grid_compute(struct res_ctx *x, int first_year, int last_year, int64_t branch,
                         struct measure_grid **out, struct rerr *err)
{
    return grid_load(x, MEASURE_OF_BRANCH, first_year, last_year, branch, -1, false, NULL, out, err);
}

int measure_keep(struct res_ctx *x, int first_year, int last_year, int *kept, struct rerr *err)
{
    return measure_keep_wanted(x, first_year, last_year, NULL, kept, err);
}

int measure_keep_wanted(struct res_ctx *x, int first_year, int last_year, const bool *want, int *kept,
                        struct rerr *err)
{
    CHECK(first_year <= last_year);
    if (kept)
        *kept = 0;
    char now[16], fp[24], ts[32];
    this_month(now);
    fingerprint(fp);
    text_now(ts);
    /* kept months are every branch's, whoever runs: computed as the system (a county's
     * reader would see only its own branches' 三会一课) */
    struct actor system;
    actor_system(&system);
    struct res_ctx sx = *x;
    sx.who = &system;
    x = &sx;
    int rc = store_begin_read(x->c, err);
    if (rc < 0)
        return rc;
    struct measure_grid *g = grid_new(x, MEASURE_OF_BRANCH, first_year, last_year, 0, -1, err, &rc);
    struct kept kp = kept_new(g);
    kept_want(g, &kp, want);
    if (rc == 0)
        rc = read_kept(x, g, &kp, now, false, err);
    int missing = 0;
    for (int k = 0; k < g->months; k++) {
        char ym[16];
        month_label(g, k, ym);
        for (int m = 0; m < N_MEASURES; m++) {
            if (strcmp(ym, now) >= 0)
                STATE(&kp, k, m) = KEPT_WHOLE; /* not wholly past: never kept */
            missing += STATE(&kp, k, m) == KEPT_NONE || STATE(&kp, k, m) == KEPT_PART;
        }
    }
    if (rc == 0 && missing)
        rc = compute_side_by_side(x, g, &kp, err);
    /* The writes upgrade this read transaction: when another connection has committed since
     * it began (or holds the write lock), SQLite refuses, and nothing is kept this time —
     * what was computed may already be out of date. */
    unsigned char *buf = malloc((size_t)(g->nbranches ? g->nbranches : 1) * RECORD_BYTES);
    if (!buf)
        die("内存不足");
    int wrote = 0;
    bool refused = false;
    for (int k = 0; rc == 0 && missing && !refused && k < g->months; k++)
        for (int m = 0; !refused && m < N_MEASURES; m++) {
            if (STATE(&kp, k, m) == KEPT_WHOLE || STATE(&kp, k, m) == KEPT_SKIP)
                continue;
            size_t n = 0;
            for (int b = 0; b < g->nbranches; b++) {
                const double *p = cell(g, b, k, m);
                if (p[0] == 0 && p[1] == 0)
                    continue;
                put64(buf + n, (uint64_t)g->branches[b]);
                put_double(buf + n + 8, p[0]);
                put_double(buf + n + 16, p[1]);
                n += RECORD_BYTES;
            }
            char ym[16];
            month_label(g, k, ym);
            store_stmt *st =
                store_prepare(x->c, "INSERT OR REPLACE INTO eval_pairs(month, measure, catalogue, data,"
                                    " computed_at) VALUES (?, ?, ?, ?, ?)");
            store_bind_text(st, 1, ym);
            store_bind_text(st, 2, catalogue[m].m.name);
            store_bind_text(st, 3, fp);
            store_bind_blob(st, 4, buf, n);
            store_bind_text(st, 5, ts);
            struct rerr werr = {0};
            if (store_step(st, &werr) < 0) {
                refused = true;
                log_info("measures: months not kept this time (%s)", werr.message);
            } else {
                wrote++;
            }
            store_done(st);
            if (refused)
                break;
            /* the row is whole again: its marks (and any left from a row deleted since) go */
            st = store_prepare(x->c, "DELETE FROM eval_pairs_dirty WHERE month = ? AND measure = ?");
            store_bind_text(st, 1, ym);
            store_bind_text(st, 2, catalogue[m].m.name);
            if (store_step(st, &werr) < 0) {
                refused = true;
                log_info("measures: months not kept this time (%s)", werr.message);
            }
            store_done(st);
        }
    free(buf);
    kept_free(&kp);
    measure_grid_free(g);
    if (rc < 0 || refused || !wrote) {
        store_rollback(x->c);
        return rc < 0 ? rc : 0;
    }
    struct rerr cerr = {0};
    if (store_commit(x->c, &cerr) < 0) {
        log_info("measures: months not kept this time (%s)", cerr.message);
        return 0;
    }
    if (kept)
        *kept = wrote;
    return 0;
}

bool measure_sum(const struct measure_grid *g, int m, int64_t branch, const char *from, const char *to,
                 double *num, double *den)
{
    *num = *den = 0;
    int b = branch_index(g, branch), a = month_index(g, from), z = month_index(g, to);
    if (b < 0 || a < 0 || z < a || (g->of != MEASURE_OF_BRANCH && !measure_people_sql(m, g->of)) ||
        (g->only >= 0 && m != g->only))
        return false;
    for (int k = a; g->absent && k <= z; k++)
        if (g->absent[(size_t)k * N_MEASURES + (size_t)m])
            return false;
    for (int k = a; k <= z; k++) { /* in month order: the same sum every time */
        const double *p = cell(g, b, k, m);
        *num += p[0];
        *den += p[1];
    }
    return true;
}

int measure_records(struct res_ctx *x, int m, int64_t branch, const char *from, const char *to, int limit,
                    json_t **out, struct rerr *err)
{
    CHECK(m >= 0 && m < N_MEASURES);
    store_stmt *st;
    int rc = store_prepare_built(
        x->c, arena_printf(x->a, "SELECT * FROM (%s) LIMIT %d", catalogue[m].m.records_sql, limit), &st, err);
    if (rc < 0)
        return rc;
    store_bind_int(st, 1, branch);
    store_bind_text(st, 2, from);
    store_bind_text(st, 3, to);
    json_t *a = json_array();
    while ((rc = store_step(st, err)) == STORE_ROW)
        json_array_append_new(a, json_pack("{s:s, s:I, s:s, s:s, s:f, s:f}", "coll", store_col_text(st, 0),
                                           "id", (json_int_t)store_col_int(st, 1), "title",
                                           store_col_text(st, 2) ? store_col_text(st, 2) : "", "day",
                                           store_col_text(st, 3) ? store_col_text(st, 3) : "", "num",
                                           store_col_real(st, 4), "den", store_col_real(st, 5)));
    store_done(st);
    if (rc < 0) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return 0;
}
