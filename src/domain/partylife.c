/*
 * partylife: the organisation-life ledger (see partylife.h).
 *
 * Sections: member terms (kept by the members write path), activities, attendance (one
 * row per expected attendee, and a batch action recording a whole meeting), activity
 * items, life rules, and the 三会一课 completeness read.
 */
#include "domain/partylife.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "base/log.h"
#include "base/text.h"
#include "domain/item.h"
#include "domain/resource.h"

static const char *const activity_kinds[] = {"支部党员大会", "支委会", "党小组会", "党课",
                                             "主题党日",     "学习",   NULL};
static const char *const study_dimensions[] = {"党性锤炼", "专业实训", "智慧赋能", NULL};

/* The members expected at an activity: ?1 its date, ?2 its party group (0: none), ?3
 * its branch; the table member_terms as "mt". */
#define EXPECTED_WHERE                                                                                       \
    "mt.from_date <= ?1 AND (mt.to_date IS NULL OR mt.to_date > ?1)"                                         \
    " AND ((?2 > 0 AND mt.party_group_id = ?2) OR (?2 = 0 AND mt.branch_id = ?3))"

static void bind_expected(store_stmt *st, const char *held_on, int64_t group, int64_t branch)
{
    store_bind_text(st, 1, held_on);
    store_bind_int(st, 2, group);
    store_bind_int(st, 3, branch);
}

/* ================================================================ member terms */

static const struct field term_fields[] = {
    {"member_id", "党员", FT_REF, FF_DERIVED | FF_FILTER, 0, NULL, "members", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"branch_id", "党组织", FT_REF, FF_DERIVED | FF_FILTER, 0, NULL, "branches", 0, 0},
    {"party_group_id", "党小组", FT_REF, FF_DERIVED | FF_FILTER, 0, NULL, "party_groups", 0, 0},
    {"from_date", "起始日期", FT_DATE, FF_DERIVED | FF_SORT, 10, NULL, NULL, 0, 0},
    {"to_date", "调出日期", FT_DATE, FF_DERIVED | FF_SORT, 10, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* ?on=YYYY-MM-DD: the terms covering that day. */
static int term_filter(struct res_ctx *x, const char *key, const char *val, struct query *q, struct rerr *err)
{
    if (strcmp(key, "on") != 0)
        return 0;
    if (!text_date_ok(val))
        return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 on 应为日期（YYYY-MM-DD）");
    query_where(q, "t.from_date <= ? AND (t.to_date IS NULL OR t.to_date > ?)");
    query_bind_text(q, arena_strdup(x->a, val));
    query_bind_text(q, arena_strdup(x->a, val));
    return 1;
}

/* On the member's timeline only, and only a transfer (a term that follows another): a
 * first term begins with 入党 or with the member's entry, which the member's own events
 * tell. */
#define TERM_PLACE                                                                                           \
    "(SELECT name FROM branches b WHERE b.id = t.branch_id) ||"                                              \
    " coalesce('（' || (SELECT name FROM party_groups g WHERE g.id = t.party_group_id) || '）', '')"
static const struct res_event term_events[] = {
    {"组织关系",
     "(CASE WHEN EXISTS (SELECT 1 FROM member_terms p WHERE p.member_id = t.member_id AND p.to_date = "
     "t.from_date"
     " AND p.id <> t.id) THEN t.from_date END)",
     "'调入' || " TERM_PLACE, NULL, "t.member_id = ?", NULL},
    {0},
};

const struct resource res_member_terms = {
    .name = "member-terms",
    .table = "member_terms",
    .label = "党员组织关系记录",
    .fields = term_fields,
    .nfields = sizeof term_fields / sizeof term_fields[0],
    .extras = "(SELECT name FROM members m WHERE m.id = t.member_id) AS member_name,"
              " (SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT name FROM party_groups g WHERE g.id = t.party_group_id) AS party_group_name",
    .ignored = "member_name branch_name party_group_name",
    .read = READ_SCOPED,
    .write = WRITE_NONE,
    .export = EXPORT_ADMIN,
    .default_sort = "from_date",
    .filter = term_filter,
    .title = TERM_PLACE,
    .date = "t.from_date",
    .events = term_events,
};

/* Term "id" as the audit keeps it. */
static int term_json(struct res_ctx *x, int64_t id, json_t **out, struct rerr *err)
{
    store_stmt *st = store_prepare(x->c, "SELECT id, procuratorate_id, branch_id, member_id, party_group_id,"
                                         " from_date, to_date, sample, version, created_at, updated_at"
                                         " FROM member_terms WHERE id = ?");
    store_bind_int(st, 1, id);
    int rc = store_step(st, err);
    if (rc == STORE_ROW) {
        json_t *o = json_object();
        static const char *const cols[] = {
            "id",      "procuratorate_id", "branch_id", "member_id",  "party_group_id", "from_date",
            "to_date", "sample",           "version",   "created_at", "updated_at"};
        for (int i = 0; i < (int)(sizeof cols / sizeof cols[0]); i++) {
            json_t *v;
            switch (store_col_type(st, i)) {
            case STORE_NULL:
                v = json_null();
                break;
            case STORE_INT:
                v = !strcmp(cols[i], "sample") ? json_boolean(store_col_int(st, i))
                                               : json_integer(store_col_int(st, i));
                break;
            default:
                v = json_string(store_col_text(st, i));
            }
            json_object_set_new(o, cols[i], v);
        }
        *out = o;
    }
    store_done(st);
    if (rc == STORE_DONE)
        return rerr_set(err, R_EINTERNAL, "internal", "", "党员组织关系记录 %lld 不存在", (long long)id);
    return rc < 0 ? rc : 0;
}

/* The member's open term: its id and start, or id 0 when there is none. */
static int open_term(struct res_ctx *x, int64_t member_id, int64_t *id, char from[11], struct rerr *err)
{
    store_stmt *st =
        store_prepare(x->c, "SELECT id, from_date FROM member_terms WHERE member_id = ? AND to_date IS NULL");
    store_bind_int(st, 1, member_id);
    int rc = store_step(st, err);
    *id = 0;
    from[0] = 0;
    if (rc == STORE_ROW) {
        *id = store_col_int(st, 0);
        snprintf(from, 11, "%s", store_col_text(st, 1));
    }
    store_done(st);
    return rc < 0 ? rc : 0;
}

static bool transferred(json_t *row, json_t *before)
{
    return before && (res_int(row, "branch_id") != res_int(before, "branch_id") ||
                      res_int(row, "party_group_id") != res_int(before, "party_group_id"));
}

int member_terms_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    if (!transferred(row, before))
        return 0;
    char today[11], from[11];
    text_today(today);
    const char *day = res_str(row, "moved_on") ? res_str(row, "moved_on") : today;
    int64_t term;
    int rc = open_term(x, res_int(before, "id"), &term, from, err);
    if (rc < 0)
        return rc;
    if (term && strcmp(day, from) < 0)
        return rerr_set(
            err, R_EUNPROC, "inconsistent", "moved_on",
            "调动日期（%s）不能早于该党员在现党组织（党小组）的起始日期（%s）；已有的记录不会被改写", day,
            from);
    return 0;
}

static int term_open(struct res_ctx *x, json_t *row, int64_t member_id, const char *from, struct rerr *err)
{
    char ts[32];
    text_now(ts);
    store_stmt *st = store_prepare(x->c, "INSERT INTO member_terms(procuratorate_id, branch_id, member_id,"
                                         " party_group_id, from_date, sample, created_at, updated_at)"
                                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    store_bind_int(st, 1, res_int(row, "procuratorate_id"));
    store_bind_int(st, 2, res_int(row, "branch_id"));
    store_bind_int(st, 3, member_id);
    if (res_int(row, "party_group_id"))
        store_bind_int(st, 4, res_int(row, "party_group_id"));
    else
        store_bind_null(st, 4);
    store_bind_text(st, 5, from);
    store_bind_int(st, 6, json_is_true(json_object_get(row, "sample")));
    store_bind_text(st, 7, ts);
    store_bind_text(st, 8, ts);
    int rc = store_step(st, err);
    store_done(st);
    if (rc < 0)
        return rc;
    int64_t id = store_last_id(x->c);
    json_t *after;
    if ((rc = term_json(x, id, &after, err)) < 0)
        return rc;
    rc = audit_append(x->c, x->who, "create", res_member_terms.name, id, res_int(row, "procuratorate_id"),
                      NULL, after, err);
    json_decref(after);
    return rc;
}

static int term_close(struct res_ctx *x, int64_t id, const char *day, struct rerr *err)
{
    json_t *before, *after = NULL;
    int rc = term_json(x, id, &before, err);
    if (rc < 0)
        return rc;
    char ts[32];
    text_now(ts);
    store_stmt *st = store_prepare(
        x->c, "UPDATE member_terms SET to_date = ?, updated_at = ?, version = version + 1 WHERE id = ?");
    store_bind_text(st, 1, day);
    store_bind_text(st, 2, ts);
    store_bind_int(st, 3, id);
    rc = store_step(st, err);
    store_done(st);
    if (rc >= 0 && (rc = term_json(x, id, &after, err)) == 0)
        rc = audit_append(x->c, x->who, "update", res_member_terms.name, id,
                          res_int(before, "procuratorate_id"), before, after, err);
    json_decref(before);
    json_decref(after);
    return rc < 0 ? rc : 0;
}

int member_terms_follow(struct res_ctx *x, int64_t member_id, json_t *row, json_t *before, struct rerr *err)
{
    char today[11];
    text_today(today);
    const char *moved = res_str(row, "moved_on");
    if (!before) {
        const char *from = moved                          ? moved
                           : res_str(row, "joined_party") ? res_str(row, "joined_party")
                                                          : today;
        return term_open(x, row, member_id, from, err);
    }
    if (!transferred(row, before))
        return 0;
    const char *day = moved ? moved : today;
    int64_t term;
    char from[11];
    int rc = open_term(x, member_id, &term, from, err);
    if (rc == 0 && term)
        rc = term_close(x, term, day, err);
    return rc < 0 ? rc : term_open(x, row, member_id, day, err);
}

/* ================================================================ activities */

static const struct field activity_fields[] = {
    {"branch_id", "所属党组织", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"party_group_id", "党小组", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "party_groups", 0, 0},
    {"kind", "活动类型", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, activity_kinds, NULL, 0, 0},
    {"study_dimension", "学习维度", FT_ENUM, FF_WRITE | FF_FILTER, 0, study_dimensions, NULL, 0, 0},
    {"held_on", "日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"topic", "主题", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH | FF_SORT, 200, NULL, NULL, 0, 0},
    {"speaker", "主讲人", FT_TEXT, FF_WRITE | FF_SEARCH, 50, NULL, NULL, 0, 0},
    {"place", "地点", FT_TEXT, FF_WRITE, 100, NULL, NULL, 0, 0},
    {"minutes", "会议记录", FT_TEXT, FF_WRITE | FF_SEARCH, 20000, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

static const struct res_required activity_required[] = {
    {"study_dimension", "kind", "学习", "学习活动应选择学习维度（党性锤炼、专业实训、智慧赋能）"},
    {"party_group_id", "kind", "党小组会", "党小组会应选择党小组"},
    {0},
};

static int activity_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    const char *kind = res_str(row, "kind");
    if (kind && strcmp(kind, "学习") != 0 && res_str(row, "study_dimension"))
        json_object_set_new(row, "study_dimension", json_null()); /* only study has a dimension */
    int64_t group = res_int(row, "party_group_id"), branch = res_int(row, "branch_id");
    if (group) {
        int64_t gb;
        int rc = res_lookup_int(x, "party_groups", "branch_id", group, "party_group_id", &gb, err);
        if (rc < 0)
            return rc;
        if (gb != branch)
            return rerr_set(err, R_EUNPROC, "inconsistent", "party_group_id", "党小组不属于该党组织");
    }
    if (!before)
        return 0;
    /* Attendance already recorded must stay that of expected attendees. */
    const char *held = res_str(row, "held_on");
    if (!strcmp(held, res_str(before, "held_on")) && group == res_int(before, "party_group_id") &&
        branch == res_int(before, "branch_id"))
        return 0;
    store_stmt *st = store_prepare(x->c, "SELECT count(*), min(m.name) FROM attendance a"
                                         " JOIN members m ON m.id = a.member_id WHERE a.activity_id = ?4"
                                         " AND NOT EXISTS (SELECT 1 FROM member_terms mt"
                                         "  WHERE mt.member_id = a.member_id AND " EXPECTED_WHERE ")");
    bind_expected(st, held, group, branch);
    store_bind_int(st, 4, res_int(before, "id"));
    int rc = store_step(st, err);
    if (rc == STORE_ROW && store_col_int(st, 0) > 0)
        rc = rerr_set(err, R_EUNPROC, "inconsistent", "held_on",
                      "已登记考勤的“%s”等 %lld 人按新的日期或党组织不是应到人员，请先调整其考勤记录",
                      store_col_text(st, 1), (long long)store_col_int(st, 0));
    store_done(st);
    return rc < 0 ? rc : 0;
}

static int activity_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                           struct rerr *err)
{
    (void)x;
    size_t n = strlen(val);
    if (!strcmp(key, "month")) { /* YYYY-MM */
        char first[16];
        snprintf(first, sizeof first, "%.7s-01", val);
        if (n != 7 || !text_date_ok(first))
            return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 month 应为年月（YYYY-MM）");
        query_where(q, "substr(t.held_on, 1, 7) = ?");
        query_bind_text(q, arena_strdup(x->a, val));
        return 1;
    }
    if (!strcmp(key, "year")) {
        char first[16];
        snprintf(first, sizeof first, "%.4s-01-01", val);
        if (n != 4 || !text_date_ok(first))
            return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 year 应为年份（YYYY）");
        query_where(q, "substr(t.held_on, 1, 4) = ?");
        query_bind_text(q, arena_strdup(x->a, val));
        return 1;
    }
    if (!strcmp(key, "from") || !strcmp(key, "to")) {
        if (!text_date_ok(val))
            return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 应为日期（YYYY-MM-DD）", key);
        const char *from = query_param(q, "from"), *to = query_param(q, "to");
        if (from && to && strcmp(from, to) > 0 && !strcmp(key, "from"))
            return rerr_set(err, R_EINVAL, "bad_query", key, "起始日期不能晚于截止日期");
        query_where(q, !strcmp(key, "from") ? "t.held_on >= ?" : "t.held_on <= ?");
        query_bind_text(q, arena_strdup(x->a, val));
        return 1;
    }
    return 0;
}

/* An activity answered carries its attendance figures: expected (the members of its
 * branch or party group on its date), present, absent, unrecorded, and rate (present
 * over expected; null when nobody is expected or nothing is recorded yet: a meeting whose
 * attendance was never taken has no rate, not 0%). */
static int activity_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    store_stmt *st = store_prepare(
        x->c, "SELECT (SELECT count(DISTINCT mt.member_id) FROM member_terms mt WHERE " EXPECTED_WHERE "),"
              " (SELECT count(*) FROM attendance a WHERE a.activity_id = ?4 AND a.status = '出席'),"
              " (SELECT count(*) FROM attendance a WHERE a.activity_id = ?4 AND a.status = '缺席')");
    bind_expected(st, res_str(rec, "held_on"), res_int(rec, "party_group_id"), res_int(rec, "branch_id"));
    store_bind_int(st, 4, res_int(rec, "id"));
    int rc = store_step(st, err);
    if (rc == STORE_ROW) {
        int64_t expected = store_col_int(st, 0), present = store_col_int(st, 1),
                absent = store_col_int(st, 2);
        int64_t unrecorded = expected - present - absent;
        json_t *a = json_object();
        json_object_set_new(a, "expected", json_integer(expected));
        json_object_set_new(a, "present", json_integer(present));
        json_object_set_new(a, "absent", json_integer(absent));
        json_object_set_new(a, "unrecorded", json_integer(unrecorded > 0 ? unrecorded : 0));
        json_object_set_new(a, "rate",
                            expected && present + absent
                                ? json_real((double)(present * 1000 / expected) / 1000.0)
                                : json_null());
        json_object_set_new(rec, "attendance", a);
    }
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* ---- GET /activities/<id>/expected: who is expected, with their attendance if recorded */

static int expected_action(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    (void)body;
    json_t *act;
    int rc = res_get(x, &res_activities, id, &act, err);
    if (rc < 0)
        return rc;
    if ((rc = store_begin_read(x->c, err)) < 0) {
        json_decref(act);
        return rc;
    }
    const char *sql =
        arena_printf(x->a,
                     "SELECT m.id, m.name, mt.party_group_id, g.name, a.id, a.status, a.reason, a.note, "
                     "a.version, m.position"
                     " FROM member_terms mt JOIN members m ON m.id = mt.member_id"
                     " LEFT JOIN party_groups g ON g.id = mt.party_group_id"
                     " LEFT JOIN attendance a ON a.activity_id = ?4 AND a.member_id = mt.member_id"
                     " WHERE " EXPECTED_WHERE " ORDER BY %s, m.id",
                     store_sql_text_order(x->a, "m.name"));
    store_stmt *st;
    if ((rc = store_prepare_built(x->c, sql, &st, err)) == 0) {
        bind_expected(st, res_str(act, "held_on"), res_int(act, "party_group_id"), res_int(act, "branch_id"));
        store_bind_int(st, 4, id);
        json_t *items = json_array();
        while ((rc = store_step(st, err)) == STORE_ROW) {
            json_t *it = json_pack("{s:I, s:s}", "member_id", (json_int_t)store_col_int(st, 0), "name",
                                   store_col_text(st, 1));
            json_object_set_new(it, "party_group_id",
                                store_col_type(st, 2) == STORE_NULL ? json_null()
                                                                    : json_integer(store_col_int(st, 2)));
            json_object_set_new(it, "party_group_name",
                                store_col_type(st, 3) == STORE_NULL ? json_null()
                                                                    : json_string(store_col_text(st, 3)));
            json_object_set_new(it, "position",
                                store_col_type(st, 9) == STORE_NULL ? json_null()
                                                                    : json_string(store_col_text(st, 9)));
            json_t *att = json_null();
            if (store_col_type(st, 4) != STORE_NULL) {
                att = json_pack("{s:I, s:s, s:I}", "id", (json_int_t)store_col_int(st, 4), "status",
                                store_col_text(st, 5), "version", (json_int_t)store_col_int(st, 8));
                json_object_set_new(att, "reason",
                                    store_col_type(st, 6) == STORE_NULL ? json_null()
                                                                        : json_string(store_col_text(st, 6)));
                json_object_set_new(att, "note",
                                    store_col_type(st, 7) == STORE_NULL ? json_null()
                                                                        : json_string(store_col_text(st, 7)));
            }
            json_object_set_new(it, "attendance", att);
            json_array_append_new(items, it);
        }
        store_done(st);
        if (rc >= 0) {
            rc = 0;
            *out = json_pack("{s:o, s:I, s:o}", "items", items, "total", (json_int_t)json_array_size(items),
                             "activity", act);
            act = NULL;
        } else {
            json_decref(items);
        }
    }
    store_rollback(x->c);
    json_decref(act);
    return rc;
}

/* ---- POST /activities/<id>/attendance {"rows": [...]}: a whole meeting at once */

#define BATCH_MAX 500

static int batch_row(struct res_ctx *x, int64_t activity, size_t i, json_t *given, json_t *done,
                     struct rerr *err)
{
    if (!json_is_object(given))
        return rerr_set(err, R_EINVAL, "invalid_type", "rows", "第 %zu 行应为 JSON 对象", i + 1);
    json_t *body = json_deep_copy(given);
    json_object_set_new(body, "activity_id", json_integer(activity));
    int64_t member = json_integer_value(json_object_get(given, "member_id"));
    int64_t existing = 0;
    if (member > 0) {
        store_stmt *st =
            store_prepare(x->c, "SELECT id FROM attendance WHERE activity_id = ? AND member_id = ?");
        store_bind_int(st, 1, activity);
        store_bind_int(st, 2, member);
        int rc = store_step(st, err);
        if (rc == STORE_ROW)
            existing = store_col_int(st, 0);
        store_done(st);
        if (rc < 0) {
            json_decref(body);
            return rc;
        }
    }
    json_t *rec = NULL;
    int rc;
    if (existing && json_object_get(given, "version"))
        rc = res_update_in(x, &res_attendance, existing, body, &rec, err);
    else
        rc = res_create_in(x, &res_attendance, body, &rec, err);
    json_decref(body);
    if (rc < 0) {
        char msg[sizeof err->message], head[32];
        snprintf(msg, sizeof msg, "%s", err->message);
        int n = snprintf(head, sizeof head, "第 %zu 行：", i + 1);
        memcpy(err->message, head, (size_t)n);
        /* the row's number first; the message cut at the buffer, never inside a character */
        size_t room = sizeof err->message - (size_t)n - 1, len = strlen(msg);
        while (len > room)
            for (len--; len && ((unsigned char)msg[len] & 0xC0) == 0x80; len--)
                ;
        memcpy(err->message + n, msg, len);
        err->message[n + len] = 0;
        return rc;
    }
    json_array_append_new(done, rec);
    return 0;
}

static int batch_action(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    json_t *rows = json_object_get(body, "rows");
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        if (strcmp(k, "rows") != 0)
            return rerr_set(err, R_EINVAL, "unknown_field", k, "未知字段：%s", k);
    }
    if (!json_is_array(rows) || !json_array_size(rows))
        return rerr_set(err, R_EINVAL, "required", "rows",
                        "请提供考勤记录 rows（每行 member_id、status、reason）");
    if (json_array_size(rows) > BATCH_MAX)
        return rerr_set(err, R_EINVAL, "too_many", "rows", "一次最多登记 %d 条考勤", BATCH_MAX);
    json_t *act;
    int rc = res_get(x, &res_activities, id, &act, err); /* 404 for one the actor may not read */
    if (rc < 0)
        return rc;
    json_decref(act);
    if ((rc = store_begin(x->c, err)) < 0)
        return rc;
    json_t *done = json_array();
    for (size_t i = 0; rc == 0 && i < json_array_size(rows); i++)
        rc = batch_row(x, id, i, json_array_get(rows, i), done, err);
    if (rc < 0 || (rc = store_commit(x->c, err)) < 0) {
        store_rollback(x->c);
        json_decref(done);
        return rc;
    }
    json_t *now = NULL;
    if ((rc = res_get(x, &res_activities, id, &now, err)) < 0) {
        json_decref(done);
        return rc;
    }
    *out = json_pack("{s:o, s:o}", "activity", now, "rows", done);
    return 0;
}

static const struct res_action activity_actions[] = {
    {.name = "expected", .method = "GET", .status = 200, .run = expected_action},
    {.name = "attendance", .method = "POST", .status = 200, .body = true, .run = batch_action},
    {0},
};

/* ================================================================ attendance */

static const char *const attendance_statuses[] = {"出席", "缺席", NULL};
static const char *const absence_reasons[] = {"公差", "病假", "事假", "其他", NULL};

static const struct field attendance_fields[] = {
    {"activity_id", "组织生活", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "activities", 0, 0},
    RES_DERIVED_PROC_FIELD,
    RES_DERIVED_BRANCH_FIELD,
    {"member_id", "党员", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "members", 0, 0},
    {"status", "出席情况", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, attendance_statuses, NULL, 0, 0},
    {"reason", "缺席原因", FT_ENUM, FF_WRITE | FF_FILTER, 0, absence_reasons, NULL, 0, 0},
    {"note", "备注", FT_TEXT, FF_WRITE, 200, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

static const struct res_required attendance_required[] = {
    {"reason", "status", "缺席", "缺席应填写原因（公差、病假、事假、其他）"},
    {0},
};

/* Why member "member" is not expected at activity "act": the message says where the
 * member was on that day. */
static int not_expected(struct res_ctx *x, int64_t member, json_t *act, struct rerr *err)
{
    const char *held = res_str(act, "held_on");
    store_stmt *st =
        store_prepare(x->c, "SELECT m.name,"
                            " (SELECT b.name FROM member_terms mt JOIN branches b ON b.id = mt.branch_id"
                            "  WHERE mt.member_id = m.id AND mt.from_date <= ?2"
                            "  AND (mt.to_date IS NULL OR mt.to_date > ?2)),"
                            " (SELECT min(mt.from_date) FROM member_terms mt WHERE mt.member_id = m.id),"
                            " (SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = m.id"
                            "  AND mt.from_date <= ?2 AND (mt.to_date IS NULL OR mt.to_date > ?2))"
                            " FROM members m WHERE m.id = ?1");
    store_bind_int(st, 1, member);
    store_bind_text(st, 2, held);
    int rc = store_step(st, err);
    if (rc == STORE_ROW) {
        const char *name = store_col_text(st, 0);
        if (store_col_type(st, 1) == STORE_NULL)
            rc = rerr_set(err, R_EUNPROC, "inconsistent", "member_id",
                          "党员“%s”在 %s 尚未编入任何党组织（组织关系自 %s 起），不是这次活动的应到人员",
                          name, held, store_col_type(st, 2) == STORE_NULL ? "—" : store_col_text(st, 2));
        else if (store_col_int(st, 3) == res_int(act, "branch_id"))
            rc = rerr_set(err, R_EUNPROC, "inconsistent", "member_id",
                          "党员“%s”在 %s 不属于该党小组，不是这次党小组活动的应到人员", name, held);
        else
            rc =
                rerr_set(err, R_EUNPROC, "inconsistent", "member_id",
                         "党员“%s”在 %s 属于“%s”，不是这次活动的应到人员", name, held, store_col_text(st, 1));
    } else if (rc == STORE_DONE) {
        rc = rerr_set(err, R_EUNPROC, "invalid_reference", "member_id", "党员不存在或无权查看");
    }
    store_done(st);
    return rc;
}

static int attendance_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    /* Only someone who may write here hears who is expected where. */
    struct row_scope s = {.procuratorate_id = res_int(row, "procuratorate_id"),
                          .branch_id = res_int(row, "branch_id")};
    int rc = authz_write_row(x->who, res_attendance.write, &s, err);
    if (rc < 0)
        return rc;
    const char *status = res_str(row, "status");
    if (status && !strcmp(status, "出席") && res_str(row, "reason"))
        json_object_set_new(row, "reason", json_null()); /* present: no reason for absence */
    int64_t member = res_int(row, "member_id"), activity = res_int(row, "activity_id");
    int64_t proc;
    if ((rc = res_lookup_int(x, "members", "procuratorate_id", member, "member_id", &proc, err)) < 0)
        return rc;
    json_t *act = json_object();
    store_stmt *st =
        store_prepare(x->c, "SELECT held_on, coalesce(party_group_id, 0), branch_id FROM activities"
                            " WHERE id = ?");
    store_bind_int(st, 1, activity);
    if ((rc = store_step(st, err)) == STORE_ROW) {
        json_object_set_new(act, "held_on", json_string(store_col_text(st, 0)));
        json_object_set_new(act, "party_group_id", json_integer(store_col_int(st, 1)));
        json_object_set_new(act, "branch_id", json_integer(store_col_int(st, 2)));
    } else if (rc == STORE_DONE) {
        rc = rerr_set(err, R_EUNPROC, "invalid_reference", "activity_id", "组织生活记录不存在或无权查看");
    }
    store_done(st);
    if (rc >= 0) {
        st = store_prepare(x->c, "SELECT 1 FROM member_terms mt WHERE mt.member_id = ?4 AND " EXPECTED_WHERE);
        bind_expected(st, res_str(act, "held_on"), res_int(act, "party_group_id"), res_int(act, "branch_id"));
        store_bind_int(st, 4, member);
        rc = store_step(st, err);
        store_done(st);
        if (rc == STORE_DONE)
            rc = not_expected(x, member, act, err);
    }
    json_decref(act);
    if (rc < 0)
        return rc;
    st = store_prepare(x->c, "SELECT m.name FROM attendance a JOIN members m ON m.id = a.member_id"
                             " WHERE a.activity_id = ? AND a.member_id = ? AND a.id <> ?");
    store_bind_int(st, 1, activity);
    store_bind_int(st, 2, member);
    store_bind_int(st, 3, before ? res_int(before, "id") : 0);
    rc = store_step(st, err);
    if (rc == STORE_ROW)
        rc = rerr_set(err, R_ECONFLICT, "duplicate", "member_id", "党员“%s”在这次活动已有考勤记录",
                      store_col_text(st, 0));
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* A member's timeline shows the meetings attended (or missed, and why); the branch's
 * shows the meeting itself (activity_events). */
#define ATTENDANCE_TITLE                                                                                                 \
    "(CASE t.status WHEN '出席' THEN '出席' ELSE '缺席（' || coalesce(t.reason, '未说明原因') || '）' END)" \
    " || coalesce((SELECT v.kind || '：' || v.topic FROM activities v WHERE v.id = t.activity_id), '')"
static const struct res_event attendance_events[] = {
    {"组织生活", "(SELECT held_on FROM activities v WHERE v.id = t.activity_id)", ATTENDANCE_TITLE, NULL,
     "t.member_id = ?", NULL},
    {0},
};

const struct resource res_attendance = {
    .name = "attendance",
    .table = "attendance",
    .label = "考勤记录",
    .fields = attendance_fields,
    .nfields = sizeof attendance_fields / sizeof attendance_fields[0],
    .extras = "(SELECT name FROM members m WHERE m.id = t.member_id) AS member_name,"
              " (SELECT topic FROM activities v WHERE v.id = t.activity_id) AS activity_topic,"
              " (SELECT kind FROM activities v WHERE v.id = t.activity_id) AS activity_kind,"
              " (SELECT held_on FROM activities v WHERE v.id = t.activity_id) AS activity_held_on",
    .ignored = "member_name activity_topic activity_kind activity_held_on",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_ADMIN,
    .scope_from = "activity_id",
    .default_sort = "id",
    .title = ATTENDANCE_TITLE,
    .date = "(SELECT held_on FROM activities v WHERE v.id = t.activity_id)",
    .events = attendance_events,
    .check = attendance_check,
    .required_if = attendance_required,
    .import_key = "activity_id member_id",
};

/* ================================================================ activity items */

static const char *const item_colls[] = {"cases",    "requests", "pil-matters", "patrols",
                                         "outreach", "projects", "sync-pairs",  NULL};

static const struct field item_fields[] = {
    {"activity_id", "组织生活", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "activities", 0, 0},
    RES_DERIVED_PROC_FIELD,
    RES_DERIVED_BRANCH_FIELD,
    {"item_coll", "业务类别", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, item_colls, NULL, 0, 0},
    {"item_id", "业务记录", FT_INT, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, NULL, 1, 9007199254740991},
    {"note", "说明", FT_TEXT, FF_WRITE, 200, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

static int item_link_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    struct row_scope s = {.procuratorate_id = res_int(row, "procuratorate_id"),
                          .branch_id = res_int(row, "branch_id")};
    int rc = authz_write_row(x->who, res_activity_items.write, &s, err);
    if (rc < 0)
        return rc;
    const char *coll = res_str(row, "item_coll");
    int64_t item = res_int(row, "item_id");
    /* The business item must exist and be readable by the actor. */
    if ((rc = item_check(x, coll, item, item_colls, "item_id", NULL, err)) < 0)
        return rc;
    store_stmt *st =
        store_prepare(x->c, "SELECT 1 FROM activity_items WHERE activity_id = ? AND item_coll = ?"
                            " AND item_id = ? AND id <> ?");
    store_bind_int(st, 1, res_int(row, "activity_id"));
    store_bind_text(st, 2, coll);
    store_bind_int(st, 3, item);
    store_bind_int(st, 4, before ? res_int(before, "id") : 0);
    rc = store_step(st, err);
    store_done(st);
    if (rc == STORE_ROW)
        return rerr_set(err, R_ECONFLICT, "duplicate", "item_id", "这次活动已关联该业务记录");
    return rc < 0 ? rc : 0;
}

/* A link answered names what it links to: {label, title, date}, or null when the
 * record has gone since. */
static int item_link_expand(struct res_ctx *x, json_t *rec, struct rerr *err)
{
    struct item_ref ref;
    int rc = item_describe(x, res_str(rec, "item_coll"), res_int(rec, "item_id"), &ref, err);
    if (rc == R_ENOTFOUND) {
        json_object_set_new(rec, "item", json_null());
        return 0;
    }
    if (rc < 0)
        return rc;
    json_t *it = json_pack("{s:s, s:s}", "label", ref.label, "title", ref.title);
    json_object_set_new(it, "date", ref.date ? json_string(ref.date) : json_null());
    json_object_set_new(rec, "item", it);
    return 0;
}

const struct resource res_activity_items = {
    .name = "activity-items",
    .table = "activity_items",
    .label = "活动关联业务",
    .fields = item_fields,
    .nfields = sizeof item_fields / sizeof item_fields[0],
    .extras = "(SELECT topic FROM activities v WHERE v.id = t.activity_id) AS activity_topic,"
              " (SELECT held_on FROM activities v WHERE v.id = t.activity_id) AS activity_held_on",
    .ignored = "activity_topic activity_held_on item",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "activity_id",
    .default_sort = "id",
    .title = "(SELECT topic FROM activities v WHERE v.id = t.activity_id)",
    .date = "(SELECT held_on FROM activities v WHERE v.id = t.activity_id)",
    .check = item_link_check,
    .expand = item_link_expand,
};

/* A meeting deleted takes its attendance and its links to business items with it, each
 * deletion authorised and audited like one of its own (the meeting recorded in error
 * goes whole). */
static int activity_removable(struct res_ctx *x, json_t *before, struct rerr *err)
{
    static const struct {
        const struct resource *r;
        const char *sql;
    } parts[] = {
        {&res_attendance, "SELECT id, version FROM attendance WHERE activity_id = ? ORDER BY id"},
        {&res_activity_items, "SELECT id, version FROM activity_items WHERE activity_id = ? ORDER BY id"},
    };
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        /* ids first: the statement is not stepped while rows are deleted */
        int64_t n = 0, cap = 64, (*rows)[2] = arena_alloc(x->a, (size_t)cap * sizeof *rows);
        store_stmt *st = store_prepare(x->c, parts[p].sql);
        store_bind_int(st, 1, res_int(before, "id"));
        int rc;
        while ((rc = store_step(st, err)) == STORE_ROW) {
            if (n == cap) {
                int64_t(*grown)[2] = arena_alloc(x->a, (size_t)cap * 2 * sizeof *rows);
                memcpy(grown, rows, (size_t)n * sizeof *rows);
                rows = grown;
                cap *= 2;
            }
            rows[n][0] = store_col_int(st, 0);
            rows[n][1] = store_col_int(st, 1);
            n++;
        }
        store_done(st);
        if (rc < 0)
            return rc;
        for (int64_t i = 0; i < n; i++)
            if ((rc = res_delete_in(x, parts[p].r, rows[i][0], rows[i][1], err)) < 0)
                return rc;
    }
    return 0;
}

/* Attendance and linked items move with their activity to another branch. */
static const struct dependent activity_deps[] = {
    {&res_attendance, "activity_id", true},
    {&res_activity_items, "activity_id", true},
    {NULL, NULL, false},
};

static const struct res_event activity_events[] = {
    {"组织生活", "t.held_on", "t.kind || '：' || t.topic", EVENT_OWN_BRANCH, NULL,
     "EXISTS (SELECT 1 FROM activity_items i WHERE i.activity_id = t.id AND i.item_coll = 'cases'"
     " AND i.item_id = ?)"},
    {0},
};

const struct resource res_activities = {
    .name = "activities",
    .table = "activities",
    .label = "组织生活记录",
    .fields = activity_fields,
    .nfields = sizeof activity_fields / sizeof activity_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT name FROM party_groups g WHERE g.id = t.party_group_id) AS party_group_name,"
              " (SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
              " (SELECT count(*) FROM activity_items i WHERE i.activity_id = t.id) AS item_count",
    .ignored = "branch_name party_group_name procuratorate_name item_count attendance",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_READERS,
    .scope_from = "branch_id",
    .default_sort = "-held_on",
    .title = "t.kind || '：' || t.topic",
    .date = "t.held_on",
    .events = activity_events,
    .check = activity_check,
    .removable = activity_removable,
    .filter = activity_filter,
    .expand = activity_expand,
    .required_if = activity_required,
    .deps = activity_deps,
    .actions = activity_actions,
};

/* ================================================================ life rules */

static const char *const rule_periods[] = {"月", "季度", "年", NULL};

static const struct field rule_fields[] = {
    {"procuratorate_id", "适用检察院", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "procuratorates", 0, 0},
    {"branch_id", "适用党组织", FT_REF, FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    {"level", "适用层级", FT_INT, FF_WRITE | FF_FILTER, 0, NULL, NULL, 1, 2},
    {"kind", "活动类型", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, activity_kinds, NULL, 0, 0},
    {"period", "周期", FT_ENUM, FF_REQUIRED | FF_WRITE, 0, rule_periods, NULL, 0, 0},
    {"required_count", "每周期应开次数", FT_INT, FF_REQUIRED | FF_WRITE, 0, NULL, NULL, 0, 31},
    {"per_party_group", "按党小组分别计", FT_BOOL, FF_WRITE | FF_NOTNULL, 0, NULL, NULL, 0, 0},
    {"note", "说明", FT_TEXT, FF_WRITE, 200, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* A rule for one branch lies in that branch's procuratorate; a rule for one branch is
 * not narrowed by level as well. */
static int rule_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    int64_t branch = res_int(row, "branch_id");
    if (!branch)
        return 0;
    if (res_int(row, "level"))
        return rerr_set(err, R_EUNPROC, "inconsistent", "level", "适用于某一党组织的规则不再区分层级");
    int64_t proc;
    int rc = res_lookup_int(x, "branches", "procuratorate_id", branch, "branch_id", &proc, err);
    if (rc < 0)
        return rc;
    int64_t given = res_int(row, "procuratorate_id");
    if (given && given != proc)
        return rerr_set(err, R_EUNPROC, "inconsistent", "branch_id", "该党组织不属于所选检察院");
    json_object_set_new(row, "procuratorate_id", json_integer(proc));
    return 0;
}

const struct resource res_life_rules = {
    .name = "life-rules",
    .table = "life_rules",
    .label = "组织生活规则",
    .fields = rule_fields,
    .nfields = sizeof rule_fields / sizeof rule_fields[0],
    .extras = "(SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
              " (SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name",
    .ignored = "procuratorate_name branch_name",
    .read = READ_SIGNED_IN,
    .write = WRITE_ADMIN,
    .export = EXPORT_READERS,
    .default_sort = "id",
    .title = "t.kind || '每' || t.period || t.required_count || '次'",
    .check = rule_check,
};

/* ================================================================ completeness */

int life_period_of(const char *period, int year, int month, char label[24], int *first, int *last)
{
    if (!strcmp(period, "月")) {
        *first = *last = month;
        snprintf(label, 24, "%04d-%02d", year, month);
    } else if (!strcmp(period, "季度")) {
        int q = (month - 1) / 3;
        *first = q * 3 + 1;
        *last = q * 3 + 3;
        snprintf(label, 24, "%04d-Q%d", year, q + 1);
    } else if (!strcmp(period, "年")) {
        *first = 1;
        *last = 12;
        snprintf(label, 24, "%04d", year);
    } else {
        return -1;
    }
    return 0;
}

#define N_KINDS 6
#define MAX_GROUPS 32

struct rule_pick {
    int64_t id;
    int spec; /* how specific: -1 none applies */
    char period[16];
    int count;
    bool per_group;
};

struct held {
    int64_t id;
    int kind;  /* index in activity_kinds */
    int month; /* 1..12 */
    int64_t group;
};

static int kind_index(const char *k)
{
    for (int i = 0; activity_kinds[i]; i++)
        if (!strcmp(activity_kinds[i], k))
            return i;
    return -1;
}

/* A row of life_rules, as pick_from() weighs it. */
struct rule {
    int64_t id, proc, branch, level; /* 0: not narrowed so */
    int kind;                        /* index in activity_kinds, or -1 */
    char period[16];
    int count;
    bool per_group;
};

/* Every rule, in id order, into *out (the caller's arena's) and *n. */
static int load_rules(struct res_ctx *x, struct rule **out, int *n, struct rerr *err)
{
    int cap = 16;
    *n = 0;
    *out = arena_alloc(x->a, (size_t)cap * sizeof **out);
    store_stmt *st = store_prepare(x->c, "SELECT id, coalesce(procuratorate_id, 0), coalesce(branch_id, 0),"
                                         " coalesce(level, 0), kind, period, required_count, per_party_group"
                                         " FROM life_rules ORDER BY id");
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if (*n == cap) {
            struct rule *grown = arena_alloc(x->a, (size_t)cap * 2 * sizeof *grown);
            memcpy(grown, *out, (size_t)cap * sizeof *grown);
            *out = grown;
            cap *= 2;
        }
        struct rule *r = &(*out)[(*n)++];
        *r = (struct rule){.id = store_col_int(st, 0),
                           .proc = store_col_int(st, 1),
                           .branch = store_col_int(st, 2),
                           .level = store_col_int(st, 3),
                           .kind = kind_index(store_col_text(st, 4)),
                           .count = (int)store_col_int(st, 6),
                           .per_group = store_col_int(st, 7) != 0};
        snprintf(r->period, sizeof r->period, "%s", store_col_text(st, 5));
    }
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* The most specific rule of each kind that applies to a branch of procuratorate "proc"
 * (of level "level"): one for the branch itself, else for its procuratorate, else for
 * every procuratorate; one narrowed to the branch's level before one that is not; the
 * newest of equals. */
static void pick_from(const struct rule *rules, int n, int64_t branch, int64_t proc, int64_t level,
                      struct rule_pick *pick)
{
    for (int k = 0; k < N_KINDS; k++)
        pick[k] = (struct rule_pick){.spec = -1};
    for (int i = 0; i < n; i++) {
        const struct rule *r = &rules[i];
        int spec;
        if (r->branch)
            spec = r->branch == branch ? 8 : -1;
        else if (r->proc && r->proc != proc)
            spec = -1;
        else if (r->level && r->level != level)
            spec = -1;
        else
            spec = (r->proc ? 4 : 0) + (r->level ? 1 : 0);
        if (r->kind < 0 || spec < 0 || spec < pick[r->kind].spec)
            continue;
        struct rule_pick *p = &pick[r->kind];
        p->id = r->id;
        p->spec = spec;
        snprintf(p->period, sizeof p->period, "%s", r->period);
        p->count = r->count;
        p->per_group = r->per_group;
    }
}

static int pick_rules(struct res_ctx *x, int64_t branch, int64_t proc, int64_t level, struct rule_pick *pick,
                      struct rerr *err)
{
    struct rule *rules;
    int n;
    int rc = load_rules(x, &rules, &n, err);
    if (rc == 0)
        pick_from(rules, n, branch, proc, level, pick);
    return rc;
}

/* One period's figures for kind "k": held (activities of the kind in months first..last,
 * for "group" alone when it is not 0), required, satisfied (held up to what is required,
 * per party group when the rule counts them apart). */
static void period_figures(const struct held *h, int nh, int k, int first, int last,
                           const struct rule_pick *p, const int64_t *groups, int ngroups, int *held,
                           int *required, int *satisfied, json_t *ids, json_t *per_group)
{
    *held = 0;
    int by_group[MAX_GROUPS] = {0};
    for (int i = 0; i < nh; i++) {
        if (h[i].kind != k || h[i].month < first || h[i].month > last)
            continue;
        (*held)++;
        if (ids)
            json_array_append_new(ids, json_integer(h[i].id));
        for (int g = 0; g < ngroups; g++)
            if (groups[g] == h[i].group)
                by_group[g]++;
    }
    if (p->per_group) {
        *required = p->count * ngroups;
        *satisfied = 0;
        for (int g = 0; g < ngroups; g++) {
            *satisfied += by_group[g] < p->count ? by_group[g] : p->count;
            if (per_group)
                json_array_append_new(per_group, json_pack("{s:I, s:i}", "party_group_id",
                                                           (json_int_t)groups[g], "held", by_group[g]));
        }
    } else {
        *required = p->count;
        *satisfied = *held < p->count ? *held : p->count;
    }
}

/* "over", "current" or "future" for months first..last of "year" against today. */
static const char *period_state(int year, int first, int last, int ty, int tm)
{
    int start = year * 12 + first, end = year * 12 + last, now = ty * 12 + tm;
    return end < now ? "over" : start > now ? "future" : "current";
}

static json_t *cell_json(const char *kind, const char *label, const char *state, int held_month, json_t *ids,
                         int period_held, int required, int satisfied)
{
    int short_of = required - satisfied;
    const char *status = required == 0               ? "exempt"
                         : short_of == 0             ? "met"
                         : !strcmp(state, "over")    ? "missing"
                         : !strcmp(state, "current") ? "due"
                                                     : "future";
    json_t *c =
        json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:s}", "kind", kind, "period", label, "period_held",
                  period_held, "required", required, "missing", !strcmp(state, "over") ? short_of : 0, "due",
                  !strcmp(state, "current") ? short_of : 0, "held", held_month, "status", status);
    if (ids)
        json_object_set_new(c, "activity_ids", ids);
    return c;
}

int life_completeness_in(struct res_ctx *x, int64_t branch_id, int year, json_t **out, struct rerr *err)
{
    store_stmt *st =
        store_prepare(x->c, "SELECT b.procuratorate_id, p.level, b.name FROM branches b"
                            " JOIN procuratorates p ON p.id = b.procuratorate_id WHERE b.id = ?");
    store_bind_int(st, 1, branch_id);
    int rc = store_step(st, err);
    int64_t proc = 0, level = 0, own;
    char name[256] = "";
    if (rc == STORE_ROW) {
        proc = store_col_int(st, 0);
        level = store_col_int(st, 1);
        snprintf(name, sizeof name, "%s", store_col_text(st, 2));
    }
    store_done(st);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE || (authz_read_narrowed(x->who, res_activities.read, &own) && own != proc))
        return rerr_set(err, R_ENOTFOUND, "not_found", "branch_id", "党组织不存在或无权查看");

    int64_t groups[MAX_GROUPS];
    int ngroups = 0;
    json_t *jgroups = json_array();
    st = store_prepare(x->c, "SELECT id, name FROM party_groups WHERE branch_id = ? ORDER BY sort, id");
    store_bind_int(st, 1, branch_id);
    while ((rc = store_step(st, err)) == STORE_ROW && ngroups < MAX_GROUPS) {
        groups[ngroups++] = store_col_int(st, 0);
        json_array_append_new(jgroups, json_pack("{s:I, s:s}", "id", (json_int_t)store_col_int(st, 0), "name",
                                                 store_col_text(st, 1)));
    }
    store_done(st);
    struct rule_pick pick[N_KINDS];
    if (rc < 0 || (rc = pick_rules(x, branch_id, proc, level, pick, err)) < 0) {
        json_decref(jgroups);
        return rc;
    }

    /* The year's activities (a branch holds a few hundred at most). */
    char from[24], to[24];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    int cap = 64, nh = 0;
    struct held *h = arena_alloc(x->a, (size_t)cap * sizeof *h);
    st = store_prepare(x->c, "SELECT id, kind, held_on, coalesce(party_group_id, 0) FROM activities"
                             " WHERE branch_id = ? AND held_on BETWEEN ? AND ? ORDER BY held_on, id");
    store_bind_int(st, 1, branch_id);
    store_bind_text(st, 2, from);
    store_bind_text(st, 3, to);
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if (nh == cap) {
            struct held *grown = arena_alloc(x->a, (size_t)cap * 2 * sizeof *h);
            memcpy(grown, h, (size_t)nh * sizeof *h);
            h = grown;
            cap *= 2;
        }
        int month = 0;
        sscanf(store_col_text(st, 2) + 5, "%2d", &month);
        h[nh++] = (struct held){.id = store_col_int(st, 0),
                                .kind = kind_index(store_col_text(st, 1)),
                                .month = month,
                                .group = store_col_int(st, 3)};
    }
    store_done(st);
    if (rc < 0) {
        json_decref(jgroups);
        return rc;
    }

    char today[11];
    text_today(today);
    int ty = 0, tm = 0;
    sscanf(today, "%4d-%2d", &ty, &tm);
    json_t *kinds = json_array(), *months = json_array(), *periods = json_array(), *summary = json_object();
    for (int k = 0; k < N_KINDS; k++) {
        const struct rule_pick *p = &pick[k];
        if (p->spec < 0)
            continue;
        json_array_append_new(kinds, json_pack("{s:s, s:I, s:s, s:i, s:b}", "kind", activity_kinds[k],
                                               "rule_id", (json_int_t)p->id, "period", p->period,
                                               "required_count", p->count, "per_party_group", p->per_group));
        int tot_held = 0, tot_req = 0, tot_missing = 0, tot_due = 0;
        for (int m = 1; m <= 12;) {
            char label[24];
            int first, last;
            if (life_period_of(p->period, year, m, label, &first, &last) < 0)
                break;
            int held, required, satisfied;
            json_t *ids = json_array(), *per_group = p->per_group ? json_array() : NULL;
            period_figures(h, nh, k, first, last, p, groups, ngroups, &held, &required, &satisfied, ids,
                           per_group);
            const char *state = period_state(year, first, last, ty, tm);
            json_t *pc = cell_json(activity_kinds[k], label, state, held, ids, held, required, satisfied);
            json_object_set_new(pc, "from", json_integer(first));
            json_object_set_new(pc, "to", json_integer(last));
            json_object_set_new(pc, "state", json_string(state));
            if (per_group)
                json_object_set_new(pc, "groups", per_group);
            tot_held += held;
            tot_req += required;
            tot_missing += json_integer_value(json_object_get(pc, "missing"));
            tot_due += json_integer_value(json_object_get(pc, "due"));
            json_array_append_new(periods, pc);
            m = last + 1;
        }
        json_object_set_new(summary, activity_kinds[k],
                            json_pack("{s:i, s:i, s:i, s:i}", "held", tot_held, "required", tot_req,
                                      "missing", tot_missing, "due", tot_due));
    }
    for (int m = 1; m <= 12; m++) {
        json_t *cells = json_array();
        for (int k = 0; k < N_KINDS; k++) {
            const struct rule_pick *p = &pick[k];
            if (p->spec < 0)
                continue;
            char label[24];
            int first, last, held, required, satisfied, held_month, r2, s2;
            life_period_of(p->period, year, m, label, &first, &last);
            json_t *ids = json_array();
            period_figures(h, nh, k, m, m, p, groups, ngroups, &held_month, &r2, &s2, ids, NULL);
            period_figures(h, nh, k, first, last, p, groups, ngroups, &held, &required, &satisfied, NULL,
                           NULL);
            /* A period's shortfall shows in the month it ends (or, while it runs, in every
             * month of it as due); the months before its end are marked by its state. */
            const char *state = period_state(year, first, last, ty, tm);
            json_t *c =
                cell_json(activity_kinds[k], label, state, held_month, ids, held, required, satisfied);
            if (m != last && !strcmp(state, "over"))
                json_object_set_new(c, "missing", json_integer(0));
            json_array_append_new(cells, c);
        }
        char label[24];
        snprintf(label, sizeof label, "%04d-%02d", year, m);
        json_array_append_new(months, json_pack("{s:s, s:o}", "month", label, "cells", cells));
    }
    *out = json_pack("{s:I, s:s, s:i, s:s, s:o, s:o, s:o, s:o, s:o}", "branch_id", (json_int_t)branch_id,
                     "branch_name", name, "year", year, "today", today, "party_groups", jgroups, "kinds",
                     kinds, "months", months, "periods", periods, "summary", summary);
    return 0;
}

/* life_periods_over: the branches' party groups and the year's activities are read
 * whole, each in the order of branch id, and walked beside the branches. */
struct branch_walk {
    store_stmt *st;
    bool more; /* st holds a row */
};

static int walk_next(struct branch_walk *w, struct rerr *err)
{
    int rc = store_step(w->st, err);
    w->more = rc == STORE_ROW;
    return rc < 0 ? rc : 0;
}

int life_periods_over(struct res_ctx *x, int year, int64_t only, life_period_fn *fn, void *arg,
                      struct rerr *err)
{
    int64_t own = 0;
    if (!authz_read_narrowed(x->who, res_activities.read, &own))
        own = 0;
    struct rule *rules;
    int nrules;
    int rc = load_rules(x, &rules, &nrules, err);
    if (rc < 0)
        return rc;
    char from[24], to[24], today[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    text_today(today);
    int ty = 0, tm = 0;
    sscanf(today, "%4d-%2d", &ty, &tm);
    store_stmt *bs =
        store_prepare(x->c, "SELECT b.id, b.procuratorate_id, p.level FROM branches b"
                            " JOIN procuratorates p ON p.id = b.procuratorate_id"
                            " WHERE (?1 = 0 OR b.id = ?1) AND (?2 = 0 OR b.procuratorate_id = ?2)"
                            " ORDER BY b.id");
    store_bind_int(bs, 1, only);
    store_bind_int(bs, 2, own);
    /* as life_completeness_in reads them: the first MAX_GROUPS groups by (sort, id), the
     * activities of the year by (held_on, id) */
    struct branch_walk gw = {
        store_prepare(x->c, "SELECT branch_id, id FROM party_groups WHERE ?1 = 0 OR branch_id = ?1"
                            " ORDER BY branch_id, sort, id"),
        false};
    store_bind_int(gw.st, 1, only);
    struct branch_walk aw = {
        store_prepare(
            x->c, only ? "SELECT branch_id, id, kind, held_on, coalesce(party_group_id, 0) FROM activities"
                         " WHERE held_on BETWEEN ?1 AND ?2 AND branch_id = ?3 ORDER BY held_on, id"
                       : "SELECT branch_id, id, kind, held_on, coalesce(party_group_id, 0) FROM activities"
                         " WHERE held_on BETWEEN ?1 AND ?2 ORDER BY branch_id, held_on, id"),
        false};
    store_bind_text(aw.st, 1, from);
    store_bind_text(aw.st, 2, to);
    if (only)
        store_bind_int(aw.st, 3, only);
    if ((rc = walk_next(&gw, err)) == 0)
        rc = walk_next(&aw, err);
    int cap = 256;
    struct held *h = malloc((size_t)cap * sizeof *h);
    if (!h)
        die("内存不足");
    while (rc == 0 && (rc = store_step(bs, err)) == STORE_ROW) {
        rc = 0;
        int64_t branch = store_col_int(bs, 0), proc = store_col_int(bs, 1), level = store_col_int(bs, 2);
        int64_t groups[MAX_GROUPS];
        int ngroups = 0, nh = 0;
        while (rc == 0 && gw.more && store_col_int(gw.st, 0) <= branch) {
            if (store_col_int(gw.st, 0) == branch && ngroups < MAX_GROUPS)
                groups[ngroups++] = store_col_int(gw.st, 1);
            rc = walk_next(&gw, err);
        }
        while (rc == 0 && aw.more && store_col_int(aw.st, 0) <= branch) {
            if (store_col_int(aw.st, 0) == branch) {
                if (nh == cap) {
                    cap *= 2;
                    h = realloc(h, (size_t)cap * sizeof *h);
                    if (!h)
                        die("内存不足");
                }
                int month = 0;
                sscanf(store_col_text(aw.st, 3) + 5, "%2d", &month);
                h[nh++] = (struct held){.id = store_col_int(aw.st, 1),
                                        .kind = kind_index(store_col_text(aw.st, 2)),
                                        .month = month,
                                        .group = store_col_int(aw.st, 4)};
            }
            rc = walk_next(&aw, err);
        }
        if (rc < 0)
            break;
        struct rule_pick pick[N_KINDS];
        pick_from(rules, nrules, branch, proc, level, pick);
        /* the periods loop of life_completeness_in, without its JSON */
        for (int k = 0; k < N_KINDS; k++) {
            const struct rule_pick *p = &pick[k];
            if (p->spec < 0)
                continue;
            for (int m = 1; m <= 12;) {
                char label[24];
                int first, last, held, required, satisfied;
                if (life_period_of(p->period, year, m, label, &first, &last) < 0)
                    break;
                period_figures(h, nh, k, first, last, p, groups, ngroups, &held, &required, &satisfied, NULL,
                               NULL);
                if (!strcmp(period_state(year, first, last, ty, tm), "over"))
                    fn(arg, branch, last, required, satisfied);
                m = last + 1;
            }
        }
    }
    free(h);
    store_done(aw.st);
    store_done(gw.st);
    store_done(bs);
    return rc < 0 ? rc : 0;
}

int life_completeness(struct res_ctx *x, int64_t branch_id, int year, json_t **out, struct rerr *err)
{
    int rc = authz_read_collection(x->who, res_activities.read, err);
    if (rc < 0)
        return rc;
    if (year == 0) {
        char today[11];
        text_today(today);
        sscanf(today, "%4d", &year);
    }
    if (year < 2000 || year > 2100)
        return rerr_set(err, R_EINVAL, "bad_query", "year", "年份 year 应在 2000 至 2100 之间");
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    rc = life_completeness_in(x, branch_id, year, out, err);
    store_rollback(x->c);
    return rc;
}
