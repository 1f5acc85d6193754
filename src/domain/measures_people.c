/*
 * measures_people.c: the measures of the catalogue (domain/measures.h) that also have a
 * meaning for a member or a party group, with that meaning: the monthly pairs of each
 * member (or group) and the records behind a value. A measure not listed here has no
 * value for them (缺项): a member holds no 三会一课 of their own, and 12309 matters, public-
 * interest cases and outreach are the branch's.
 *
 * A member's records are their own: the meetings they attended, the cases whose team they
 * were on. A party group's are its members' on the day (the group a member's term gives
 * for that day, else their group now), so a transfer never moves the past.
 */
#include <string.h>

#include "domain/measures.h"
#include "domain/measures_internal.h"

/* The party group member MEMBER belonged to on day DAY. */
#define MEMBER_GROUP(MEMBER, DAY)                                                                            \
    "coalesce((SELECT mt.party_group_id FROM member_terms mt WHERE mt.member_id = " MEMBER                   \
    " AND mt.from_date <= " DAY " AND (mt.to_date IS NULL OR mt.to_date > " DAY ")"                          \
    " ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.party_group_id FROM members m WHERE m.id = " MEMBER     \
    "))"

/* A member's attendance at meetings of kind KINDS (an SQL condition on v), as (subject,
 * month, numerator, denominator); SUBJECT is the member or their group on the day. */
#define ATTENDED(SUBJECT, NUM, DEN, WHERE)                                                                   \
    "SELECT " SUBJECT ", substr(v.held_on, 1, 7), " NUM ", " DEN " FROM attendance a"                        \
    " JOIN activities v ON v.id = a.activity_id WHERE v.held_on >= ?1 AND v.held_on < ?2" WHERE              \
    " GROUP BY 1, 2"
#define GROUP_OF_A MEMBER_GROUP("a.member_id", "v.held_on")

/* A closed case once per member of its team (cm), for days ?1 <= closed_on < ?2. */
#define CLOSED                                                                                               \
    " FROM cases c JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL"                   \
    " WHERE c.closed_on >= ?1 AND c.closed_on < ?2"
#define GROUP_OF_CM MEMBER_GROUP("cm.member_id", "c.closed_on")

static const struct people {
    const char *measure;
    const char *member_def, *member_sql; /* NULL: no value for a member */
    const char *group_def, *group_sql;   /* NULL: no value for a party group */
} people[] = {
    {"党员出勤率", "本人在组织生活考勤中出席的次数占应到次数的比例，按活动日期计月",
     ATTENDED("a.member_id", "sum(a.status = '出席')", "count(*)", ""),
     "党小组成员（按活动当日所在党小组）在组织生活考勤中出席人次占应到人次的比例，按活动日期计月",
     ATTENDED(GROUP_OF_A, "sum(a.status = '出席')", "count(*)", "")},
    {"主题党日次数", "本人出席主题党日活动的次数，按活动日期计月",
     ATTENDED("a.member_id", "count(*)", "0", " AND v.kind = '主题党日' AND a.status = '出席'"), NULL, NULL},
    {"党员学习次数", "本人出席集中学习（组织生活类型为“学习”）的次数，按活动日期计月",
     ATTENDED("a.member_id", "count(*)", "0", " AND v.kind = '学习' AND a.status = '出席'"), NULL, NULL},
    {"荣誉数", "本人获得的荣誉项数，记在获评年度的 12 月",
     "SELECT member_id, printf('%04d-12', year), count(*), 0 FROM honours WHERE member_id IS NOT NULL"
     " AND printf('%04d-12-31', year) >= ?1 AND printf('%04d-12-31', year) < ?2 GROUP BY 1, 2",
     "党小组成员（按获评年度 12 月 31 日所在党小组）获得的荣誉项数，记在获评年度的 12 月",
     "SELECT " MEMBER_GROUP(
         "h.member_id",
         "printf('%04d-12-31', h.year)") ", printf('%04d-12', h.year),"
                                         " count(*), 0 FROM honours h WHERE h.member_id IS NOT NULL AND "
                                         "printf('%04d-12-31', h.year) >= ?1"
                                         " AND printf('%04d-12-31', h.year) < ?2 GROUP BY 1, 2"},
    {"办结案件数", "本人作为办案组成员办结的案件数，按办结日期计月",
     "SELECT cm.member_id, substr(c.closed_on, 1, 7), count(DISTINCT c.id), 0" CLOSED " GROUP BY 1, 2",
     "办案组中有党小组成员（按办结之日所在党小组）的办结案件数，按办结日期计月",
     "SELECT " GROUP_OF_CM ", substr(c.closed_on, 1, 7), count(DISTINCT c.id), 0" CLOSED " GROUP BY 1, 2"},
    {"三必评平均分", "本人所在办案组办理案件的“三必评”各项评分的平均分，按评价日期计月",
     "SELECT cm.member_id, substr(r.reviewed_on, 1, 7), sum(r.score), count(*) FROM case_reviews r"
     " JOIN (SELECT DISTINCT case_id, member_id FROM case_members WHERE member_id IS NOT NULL) cm"
     " ON cm.case_id = r.case_id WHERE r.score IS NOT NULL AND r.reviewed_on >= ?1 AND r.reviewed_on < ?2"
     " GROUP BY 1, 2",
     "办案组中有党小组成员（按评价之日所在党小组）的案件“三必评”各项评分的平均分，按评价日期计月",
     "SELECT g, substr(day, 1, 7), sum(score), count(*) FROM (SELECT DISTINCT r.id, r.score,"
     " r.reviewed_on AS day, " MEMBER_GROUP(
         "cm.member_id", "r.reviewed_on") " AS g FROM case_reviews r"
                                          " JOIN case_members cm ON cm.case_id = r.case_id AND cm.member_id "
                                          "IS NOT NULL WHERE r.score IS NOT NULL"
                                          " AND r.reviewed_on >= ?1 AND r.reviewed_on < ?2) GROUP BY 1, 2"},
    {"党员主办案件占比", "本人办结的案件中由本人担任主办检察官的比例，按办结日期计月",
     "SELECT cm.member_id, substr(c.closed_on, 1, 7), count(DISTINCT CASE WHEN cm.role = '主办检察官'"
     " THEN c.id END), count(DISTINCT c.id)" CLOSED " GROUP BY 1, 2",
     "党小组成员参与办结的案件中由党小组成员担任主办检察官的比例，按办结日期计月",
     "SELECT " GROUP_OF_CM ", substr(c.closed_on, 1, 7), count(DISTINCT CASE WHEN cm.role = '主办检察官'"
     " THEN c.id END), count(DISTINCT c.id)" CLOSED " GROUP BY 1, 2"},
    {"关联业务组织生活占比", "本人出席的组织生活中关联了业务事项的比例，按活动日期计月",
     ATTENDED("a.member_id", "sum(EXISTS (SELECT 1 FROM activity_items i WHERE i.activity_id = v.id))",
              "count(*)", " AND a.status = '出席'"),
     "党小组召开的组织生活（党小组会）中关联了业务事项的比例，按活动日期计月",
     "SELECT v.party_group_id, substr(v.held_on, 1, 7), sum(EXISTS (SELECT 1 FROM activity_items i"
     " WHERE i.activity_id = v.id)), count(*) FROM activities v WHERE v.party_group_id IS NOT NULL"
     " AND v.held_on >= ?1 AND v.held_on < ?2 GROUP BY 1, 2"},
};
#define NPEOPLE ((int)(sizeof people / sizeof people[0]))

static const struct people *find(int m)
{
    const char *name = measure_at(m)->name;
    for (int i = 0; i < NPEOPLE; i++)
        if (!strcmp(people[i].measure, name))
            return &people[i];
    return NULL;
}

const char *measure_people_sql(int m, enum measure_of of)
{
    const struct people *p = find(m);
    return !p ? NULL : of == MEASURE_OF_MEMBER ? p->member_sql : of == MEASURE_OF_GROUP ? p->group_sql : NULL;
}

const char *measure_definition(int m, enum measure_of of)
{
    if (of == MEASURE_OF_BRANCH)
        return measure_at(m)->definition;
    const struct people *p = find(m);
    return !p ? NULL : of == MEASURE_OF_MEMBER ? p->member_def : p->group_def;
}
