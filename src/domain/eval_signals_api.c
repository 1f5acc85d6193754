/*
 * eval_signals_api.c: the formalism signals as people read and review them
 * (domain/evaluation.h: GET /eval/signals, GET /eval/signals/:id, POST
 * /eval/signals/:id/review). eval_signals.c raises them.
 *
 * Scope: READ_SCOPED narrowed once more for a secretary, who sees only the own branch's
 * signals; a county reader sees its procuratorate's. A review is an administrator's
 * (WRITE_ADMIN) inside the signal's scope, at the version the reviewer saw, audited.
 * The two minutes of a 纪要雷同 are read live for the side-by-side view: a meeting of
 * another procuratorate than the reader's shows only its title and day (the copied
 * passages are in the reader's own meeting).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "base/text.h"
#include "domain/evaluation.h"
#include "domain/resource.h"

static const char *const kinds[] = {"纪要雷同", "全勤异常", "补录", "突击", "要素无佐证", NULL};
static const char *const states[] = {"待审核", "已核实", "属实", NULL};

#define NOTE_MAX_CHARS 500
#define PER_PAGE_MAX 200

static bool one_of(const char *const *set, const char *v)
{
    for (; *set; set++)
        if (!strcmp(*set, v))
            return true;
    return false;
}

/* Whose signals "who" reads: *proc (0: every procuratorate) and *branch (0: every
 * branch; a secretary's own, or -1 when it has none). */
static int reader(const struct actor *who, int64_t *proc, int64_t *branch, struct rerr *err)
{
    int rc = authz_read_collection(who, READ_SCOPED, err);
    if (rc < 0)
        return rc;
    if (!authz_read_narrowed(who, READ_SCOPED, proc))
        *proc = 0;
    *branch = who->role == ROLE_SECRETARY ? (who->branch_id ? who->branch_id : -1) : 0;
    return 0;
}

static int positive(const char *key, const char *v, int64_t max, int64_t *out, struct rerr *err)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || !*v || n <= 0 || n > max)
        return rerr_set(err, R_EINVAL, "bad_query", key, "%s 应为 1 至 %" PRId64 " 的整数", key, max);
    *out = n;
    return 0;
}

#define SIGNAL_COLUMNS                                                                                       \
    "s.id, s.procuratorate_id, s.branch_id, b.name, s.kind, s.period, s.summary, s.records, s.status, "      \
    "s.note,"                                                                                                \
    " s.reviewed_by, coalesce(u.display_name, u.username), s.reviewed_at, s.sample, s.version, "             \
    "s.created_at,"                                                                                          \
    " s.updated_at, s.detail"
#define SIGNAL_FROM                                                                                          \
    " FROM eval_signals s JOIN branches b ON b.id = s.branch_id LEFT JOIN users u ON u.id = s.reviewed_by"

static json_t *text_or_null(store_stmt *st, int i)
{
    return store_col_type(st, i) == STORE_NULL ? json_null() : json_string(store_col_text(st, i));
}

static json_t *parsed(store_stmt *st, int i)
{
    json_t *j = json_loads(store_col_text(st, i), 0, NULL);
    return j ? j : json_null();
}

static json_t *signal_of(store_stmt *st, bool with_detail)
{
    json_t *o = json_pack(
        "{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:b, s:I, s:s, s:s}", "id",
        (json_int_t)store_col_int(st, 0), "procuratorate_id", (json_int_t)store_col_int(st, 1), "branch_id",
        (json_int_t)store_col_int(st, 2), "branch", store_col_text(st, 3), "kind", store_col_text(st, 4),
        "period", store_col_text(st, 5), "summary", store_col_text(st, 6), "records", parsed(st, 7), "status",
        store_col_text(st, 8), "note", text_or_null(st, 9), "reviewed_by",
        store_col_type(st, 10) == STORE_NULL ? json_null() : json_integer(store_col_int(st, 10)), "reviewer",
        text_or_null(st, 11), "reviewed_at", text_or_null(st, 12), "sample", store_col_int(st, 13) != 0,
        "version", (json_int_t)store_col_int(st, 14), "created_at", store_col_text(st, 15), "updated_at",
        store_col_text(st, 16));
    if (with_detail)
        json_object_set_new(o, "detail", parsed(st, 17));
    return o;
}

/* The list's filters as ?1..?5 of its WHERE (NULL texts bind NULL). */
static void bind_filters(store_stmt *st, int64_t proc, int64_t own_branch, const char *period,
                         const char *kind, int64_t branch)
{
    store_bind_int(st, 1, proc);
    store_bind_int(st, 2, own_branch);
    store_bind_text(st, 3, period);
    store_bind_text(st, 4, kind);
    store_bind_int(st, 5, branch);
}

int eval_signals_list(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err)
{
    int64_t proc, own_branch, branch = 0, page = 1, per_page = 50;
    int rc = reader(x->who, &proc, &own_branch, err);
    if (rc < 0)
        return rc;
    const char *period = NULL, *status = NULL, *kind = NULL;
    struct eval_period per;
    bool seen[6] = {0};
    static const char *const keys[] = {"period", "status", "kind", "branch_id", "page", "per_page"};
    for (int i = 0; i < q->n; i++) {
        const char *k = q->key[i], *v = q->val[i];
        int w = 0;
        while (w < 6 && strcmp(keys[w], k) != 0)
            w++;
        if (w == 6 || seen[w])
            return rerr_set(
                err, R_EINVAL, "bad_query", k,
                "未知或重复的查询参数“%s”（可用 period、status、kind、branch_id、page、per_page）", k);
        seen[w] = true;
        if (w == 0) {
            if ((rc = eval_period_parse(v, &per, err)) < 0)
                return rc;
            period = per.label;
        } else if (w == 1) {
            if (!one_of(states, v))
                return rerr_set(err, R_EINVAL, "bad_query", k, "审核状态 status 应为 待审核、已核实 或 属实");
            status = v;
        } else if (w == 2) {
            if (!one_of(kinds, v))
                return rerr_set(err, R_EINVAL, "bad_query", k,
                                "信号类型 kind 应为 纪要雷同、全勤异常、补录、突击 或 要素无佐证");
            kind = v;
        } else if ((rc = positive(k, v,
                                  w == 3   ? INT64_MAX
                                  : w == 4 ? 100000
                                           : PER_PAGE_MAX,
                                  w == 3   ? &branch
                                  : w == 4 ? &page
                                           : &per_page,
                                  err)) < 0) {
            return rc;
        }
    }
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    const char *where = " WHERE (?1 = 0 OR s.procuratorate_id = ?1) AND (?2 = 0 OR s.branch_id = ?2)"
                        " AND (?3 IS NULL OR s.period = ?3) AND (?4 IS NULL OR s.kind = ?4)"
                        " AND (?5 = 0 OR s.branch_id = ?5)";
    char *sql =
        arena_printf(x->a, "SELECT s.status, count(*) FROM eval_signals s%s GROUP BY s.status", where);
    store_stmt *st;
    json_t *counts = json_pack("{s:i, s:i, s:i}", "待审核", 0, "已核实", 0, "属实", 0);
    json_int_t total = 0;
    if ((rc = store_prepare_built(x->c, sql, &st, err)) == 0) {
        bind_filters(st, proc, own_branch, period, kind, branch);
        while ((rc = store_step(st, err)) == STORE_ROW) {
            json_object_set_new(counts, store_col_text(st, 0), json_integer(store_col_int(st, 1)));
            if (!status || !strcmp(status, store_col_text(st, 0)))
                total += store_col_int(st, 1);
        }
        store_done(st);
    }
    json_t *items = json_array();
    if (rc >= 0) {
        sql = arena_printf(x->a,
                           "SELECT " SIGNAL_COLUMNS SIGNAL_FROM "%s AND (?6 IS NULL OR s.status = ?6)"
                           " ORDER BY s.status <> '待审核', s.period DESC, s.id DESC LIMIT ?7 OFFSET ?8",
                           where);
        if ((rc = store_prepare_built(x->c, sql, &st, err)) == 0) {
            bind_filters(st, proc, own_branch, period, kind, branch);
            store_bind_text(st, 6, status); /* NULL binds NULL */
            store_bind_int(st, 7, per_page);
            store_bind_int(st, 8, (page - 1) * per_page);
            while ((rc = store_step(st, err)) == STORE_ROW)
                json_array_append_new(items, signal_of(st, false));
            store_done(st);
        }
    }
    store_rollback(x->c);
    if (rc < 0) {
        json_decref(counts);
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:I, s:o}", "items", items, "total", total, "counts", counts);
    return 0;
}

/* The signal "id" as "who" may read it, into *out (with its detail), or 404. Inside the
 * caller's transaction. */
static int signal_read(struct res_ctx *x, int64_t id, json_t **out, struct rerr *err)
{
    int64_t proc, branch;
    int rc = reader(x->who, &proc, &branch, err);
    if (rc < 0)
        return rc;
    store_stmt *st =
        store_prepare(x->c, "SELECT " SIGNAL_COLUMNS SIGNAL_FROM " WHERE s.id = ?1"
                            " AND (?2 = 0 OR s.procuratorate_id = ?2) AND (?3 = 0 OR s.branch_id = ?3)");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, proc);
    store_bind_int(st, 3, branch);
    rc = store_step(st, err);
    if (rc == STORE_ROW)
        *out = signal_of(st, true);
    store_done(st);
    if (rc == STORE_DONE)
        return rerr_set(err, R_ENOTFOUND, "not_found", "", "形式化信号不存在（编号 %" PRId64 "）", id);
    return rc < 0 ? rc : 0;
}

/* 纪要雷同: the two meetings' minutes as they stand, for the side-by-side view. */
static int minutes_texts(struct res_ctx *x, json_t *sig, struct rerr *err)
{
    int64_t proc = 0;
    if (!authz_read_narrowed(x->who, READ_SCOPED, &proc))
        proc = 0;
    json_t *texts = json_array(), *rec;
    size_t i;
    int rc = 0;
    json_array_foreach(json_object_get(sig, "records"), i, rec)
    {
        store_stmt *st = store_prepare(x->c, "SELECT procuratorate_id, minutes FROM activities WHERE id = ?");
        store_bind_int(st, 1, json_integer_value(json_object_get(rec, "id")));
        rc = store_step(st, err);
        json_t *t =
            json_pack("{s:I, s:O, s:O, s:O}", "id", json_integer_value(json_object_get(rec, "id")), "title",
                      json_object_get(rec, "title"), "day", json_object_get(rec, "day"), "branch",
                      json_object_get(rec, "branch") ? json_object_get(rec, "branch") : json_null());
        if (rc == STORE_ROW && (!proc || store_col_int(st, 0) == proc))
            json_object_set_new(t, "text", text_or_null(st, 1));
        else
            json_object_set_new(t, "text", json_null());
        json_object_set_new(t, "hidden",
                            json_boolean(rc == STORE_ROW && proc && store_col_int(st, 0) != proc));
        json_object_set_new(t, "deleted", json_boolean(rc == STORE_DONE));
        store_done(st);
        json_array_append_new(texts, t);
        if (rc < 0)
            break;
        rc = 0;
    }
    json_object_set_new(sig, "texts", texts);
    return rc;
}

int eval_signal_get(struct res_ctx *x, int64_t id, json_t **out, struct rerr *err)
{
    int rc = store_begin_read(x->c, err);
    if (rc < 0)
        return rc;
    *out = NULL;
    rc = signal_read(x, id, out, err);
    if (rc == 0 && !strcmp(json_string_value(json_object_get(*out, "kind")), "纪要雷同"))
        rc = minutes_texts(x, *out, err);
    store_rollback(x->c);
    if (rc < 0 && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* {decision, note, version}: nothing else; 已核实 needs a note. */
static int review_body(json_t *body, const char **decision, const char **note, int64_t *version,
                       struct rerr *err)
{
    if (!json_is_object(body))
        return rerr_set(err, R_EINVAL, "invalid_body", "",
                        "请求体应为 {\"decision\", \"note\", \"version\"}");
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        if (strcmp(k, "decision") && strcmp(k, "note") && strcmp(k, "version"))
            return rerr_set(err, R_EINVAL, "unknown_field", k, "未知字段“%s”（可用 decision、note、version）",
                            k);
    }
    json_t *d = json_object_get(body, "decision"), *n = json_object_get(body, "note"),
           *ver = json_object_get(body, "version");
    if (!d || json_is_null(d))
        return rerr_set(err, R_EINVAL, "required", "decision", "请选择审核结论：已核实 或 属实");
    if (!json_is_string(d) ||
        (strcmp(json_string_value(d), "已核实") && strcmp(json_string_value(d), "属实")))
        return rerr_set(err, R_EINVAL, "invalid_value", "decision", "审核结论应为 已核实 或 属实");
    if (n && !json_is_null(n) && !json_is_string(n))
        return rerr_set(err, R_EINVAL, "invalid_type", "note", "审核说明应为文字");
    *note = n && json_is_string(n) ? json_string_value(n) : "";
    if (!text_utf8_ok(*note) || text_utf8_len(*note) > NOTE_MAX_CHARS)
        return rerr_set(err, R_EINVAL, "too_long", "note", "审核说明最多 %d 字", NOTE_MAX_CHARS);
    const char *p = *note;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || !strncmp(p, "\u3000", 3))
        p += !strncmp(p, "\u3000", 3) ? 3 : 1;
    *decision = json_string_value(d);
    if (!strcmp(*decision, "已核实") && !*p)
        return rerr_set(err, R_EINVAL, "required", "note", "标记为“已核实”须填写核实情况说明");
    if (!ver || json_is_null(ver))
        return rerr_set(err, R_EINVAL, "required", "version", "请提供版本号 version（防止覆盖他人的审核）");
    if (!json_is_integer(ver))
        return rerr_set(err, R_EINVAL, "invalid_type", "version", "版本号 version 应为整数");
    *version = json_integer_value(ver);
    return 0;
}

int eval_signal_review(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    const char *decision = NULL, *note = "";
    int64_t version = 0;
    *out = NULL;
    int rc = review_body(body, &decision, &note, &version, err);
    if (rc < 0)
        return rc;
    if ((rc = store_begin(x->c, err)) < 0)
        return rc;
    json_t *before = NULL;
    rc = signal_read(x, id, &before, err);
    struct row_scope s = {0};
    if (rc == 0) {
        s.procuratorate_id = json_integer_value(json_object_get(before, "procuratorate_id"));
        s.branch_id = json_integer_value(json_object_get(before, "branch_id"));
        rc = authz_write_row(x->who, WRITE_ADMIN, &s, err);
    }
    if (rc == 0 && json_integer_value(json_object_get(before, "version")) != version)
        rc = rerr_set(err, R_ECONFLICT, "version_conflict", "version",
                      "该信号已被他人审核或更新，请刷新后重试");
    char now[32];
    text_now(now);
    if (rc == 0) {
        store_stmt *st =
            store_prepare(x->c, "UPDATE eval_signals SET status = ?, note = ?, reviewed_by = ?,"
                                " reviewed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?");
        store_bind_text(st, 1, decision);
        if (*note)
            store_bind_text(st, 2, note);
        else
            store_bind_null(st, 2);
        if (x->who->user_id)
            store_bind_int(st, 3, x->who->user_id);
        else
            store_bind_null(st, 3);
        store_bind_text(st, 4, now);
        store_bind_text(st, 5, now);
        store_bind_int(st, 6, id);
        rc = store_step(st, err);
        store_done(st);
        rc = rc < 0 ? rc : 0;
    }
    if (rc == 0) {
        json_t *was = json_pack("{s:O, s:O, s:O, s:O}", "status", json_object_get(before, "status"), "note",
                                json_object_get(before, "note"), "kind", json_object_get(before, "kind"),
                                "period", json_object_get(before, "period"));
        json_t *after = json_pack("{s:s, s:o, s:s, s:I}", "status", decision, "note",
                                  *note ? json_string(note) : json_null(), "reviewed_at", now, "version",
                                  (json_int_t)(version + 1));
        rc = audit_append(x->c, x->who, "review", "eval-signals", id, s.procuratorate_id, was, after, err);
        json_decref(was);
        json_decref(after);
    }
    json_decref(before);
    if (rc == 0)
        rc = signal_read(x, id, out, err);
    rc = rc == 0 ? store_commit(x->c, err) : (store_rollback(x->c), rc);
    if (rc < 0 && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}
