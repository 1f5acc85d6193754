/*
 * service.c: the three collections of 12309 (holidays, requests, request-replies), their
 * derived deadlines (see service.h for where they are computed and when), the rates, the
 * receipt codes and the public progress lookup.
 */
#include "domain/service.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/audit.h"
#include "auth/throttle.h"
#include "base/log.h"
#include "base/text.h"
#include "domain/resource.h"
#include "domain/workdays.h"

#define NOTE_CAP 512
#define PROCEDURAL_DAYS 7 /* 程序性答复: 7 working days (12309 检察服务中心 rules) */
#define RESULT_MONTHS 3   /* 办理过程或结果答复: 3 months */
#define FOLLOWUP_MONTHS 1 /* then every month while the matter is open */
#define SOON_DAYS 3       /* ?due=soon: due within 3 days */

/* A note into "dst" (cap bytes), cut when too long. */
static void note_set(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note_set(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
    text_utf8_repair(dst);
}

/* ------------------------------------------------------------------ the calendar */

/* The holidays table as a calendar, leaving out row "skip" (0: none): what the calendar
 * will be once a write of that row is done, the caller adding the row's new state. */
static int calendar_load(struct res_ctx *x, int64_t skip, struct workcal **out, struct rerr *err)
{
    struct workcal *cal = workcal_new(x->a);
    store_stmt *st = store_prepare(x->c, "SELECT id, date, kind, name FROM holidays ORDER BY date");
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if (store_col_int(st, 0) == skip)
            continue;
        workcal_mark(cal, store_col_text(st, 1), strcmp(store_col_text(st, 2), "班") ? WD_REST : WD_WORK,
                     store_col_text(st, 3));
    }
    store_done(st);
    if (rc < 0)
        return rc;
    *out = cal;
    return 0;
}

/* ------------------------------------------------------------------ deriving a request */

/* What a request's deadlines are computed from. Dates are NULL when absent. */
struct req_inputs {
    const char *received, *closed;
    const char *replied; /* earliest 程序性答复, 办理进展 or 办理结果 */
    const char *result;  /* earliest 办理进展 or 办理结果 (3个月内答复办理过程或结果) */
    const char *latest;  /* latest 办理进展, 办理结果 or 回访: the monthly follow-up runs from it */
    const char *earliest; /* earliest reply of any kind */
};

struct req_derived {
    char procedural[11], result[11], followup[11], next[11];
    char procedural_note[NOTE_CAP], result_note[NOTE_CAP], followup_note[NOTE_CAP];
    bool has_followup, has_next;
    const char *status;
};

static const char *min_date(const char *a, const char *b)
{
    return !a ? b : !b ? a : strcmp(a, b) <= 0 ? a : b;
}

static const char *max_date(const char *a, const char *b)
{
    return !a ? b : !b ? a : strcmp(a, b) >= 0 ? a : b;
}

static bool answers(const char *kind)
{
    return strcmp(kind, "回访") != 0;
}

static bool progresses(const char *kind)
{
    return !strcmp(kind, "办理进展") || !strcmp(kind, "办理结果");
}

/* Fold one reply into "in" (strings owned by the caller's arena). */
static void fold_reply(struct req_inputs *in, const char *kind, const char *date)
{
    in->earliest = min_date(in->earliest, date);
    if (answers(kind))
        in->replied = min_date(in->replied, date);
    if (progresses(kind))
        in->result = min_date(in->result, date);
    if (progresses(kind) || !strcmp(kind, "回访"))
        in->latest = max_date(in->latest, date);
}

/* The replies of request "id" stored now, leaving out reply "skip" (0: none). */
static int replies_fold(struct res_ctx *x, int64_t id, int64_t skip, struct req_inputs *in, struct rerr *err)
{
    store_stmt *st =
        store_prepare(x->c, "SELECT kind, date FROM request_replies WHERE request_id = ? AND id <> ?");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, skip);
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW)
        fold_reply(in, arena_strdup(x->a, store_col_text(st, 0)), arena_strdup(x->a, store_col_text(st, 1)));
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* "base" plus "months", moved to the next working day when it ends on a rest day, with the
 * note of both steps. */
static int months_due(const struct workcal *cal, const char *base, int months, char out[11], char *note,
                      size_t cap, const char *prefix)
{
    char plain[11], why1[NOTE_CAP], why2[NOTE_CAP];
    int rc = workcal_add_months(base, months, plain, why1, sizeof why1);
    if (rc == 0)
        rc = workcal_roll_forward(cal, plain, out, why2, sizeof why2);
    if (rc < 0)
        return rc;
    note_set(note, cap, "%s，%s%s%s", prefix, why1, why2[0] ? "，" : "", why2);
    return 0;
}

static int derive(const struct workcal *cal, const struct req_inputs *in, struct req_derived *d)
{
    memset(d, 0, sizeof *d);
    char why[NOTE_CAP], prefix[64];
    int rc = workcal_add_working_days(cal, in->received, PROCEDURAL_DAYS, d->procedural, why, sizeof why);
    if (rc < 0)
        return rc;
    note_set(d->procedural_note, sizeof d->procedural_note, "%s 收到，%s", in->received, why);
    note_set(prefix, sizeof prefix, "%s 收到", in->received);
    if ((rc = months_due(cal, in->received, RESULT_MONTHS, d->result, d->result_note, sizeof d->result_note,
                         prefix)) < 0)
        return rc;
    if (!in->closed && in->result && in->latest) {
        note_set(prefix, sizeof prefix, "%s 最近一次答复或回访", in->latest);
        if ((rc = months_due(cal, in->latest, FOLLOWUP_MONTHS, d->followup, d->followup_note,
                             sizeof d->followup_note, prefix)) < 0)
            return rc;
        size_t n = strlen(d->followup_note);
        note_set(d->followup_note + n, sizeof d->followup_note - n, "；办结前每月回访一次");
        d->has_followup = true;
    }
    const char *next = in->closed        ? NULL
                       : !in->replied    ? d->procedural
                       : !in->result     ? d->result
                       : d->has_followup ? d->followup
                                         : NULL;
    if (next) {
        memcpy(d->next, next, 11);
        d->has_next = true;
    }
    d->status = in->closed ? "已办结" : in->replied ? "办理中" : "待答复";
    return 0;
}

static json_t *date_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* The derived columns of "d" and "in" into record "row". */
static void derived_into(json_t *row, const struct req_inputs *in, const struct req_derived *d)
{
    json_object_set_new(row, "procedural_due", json_string(d->procedural));
    json_object_set_new(row, "procedural_due_note", json_string(d->procedural_note));
    json_object_set_new(row, "result_due", json_string(d->result));
    json_object_set_new(row, "result_due_note", json_string(d->result_note));
    json_object_set_new(row, "next_followup_due", d->has_followup ? json_string(d->followup) : json_null());
    json_object_set_new(row, "next_followup_note",
                        d->has_followup ? json_string(d->followup_note) : json_null());
    json_object_set_new(row, "next_due", d->has_next ? json_string(d->next) : json_null());
    json_object_set_new(row, "replied_on", date_or_null(in->replied));
    json_object_set_new(row, "result_on", date_or_null(in->result));
    json_object_set_new(row, "status", json_string(d->status));
}

/* Write the derived state of request "id" (a consequence of the audited write that
 * changed its inputs: a reply, the calendar). */
static int derived_store(struct res_ctx *x, int64_t id, const struct req_inputs *in,
                         const struct req_derived *d, struct rerr *err)
{
    store_stmt *st =
        store_prepare(x->c, "UPDATE requests SET procedural_due = ?, procedural_due_note = ?,"
                            " result_due = ?, result_due_note = ?, next_followup_due = ?,"
                            " next_followup_note = ?, next_due = ?, replied_on = ?, result_on = ?,"
                            " status = ? WHERE id = ?");
    store_bind_text(st, 1, d->procedural);
    store_bind_text(st, 2, d->procedural_note);
    store_bind_text(st, 3, d->result);
    store_bind_text(st, 4, d->result_note);
    store_bind_text(st, 5, d->has_followup ? d->followup : NULL);
    store_bind_text(st, 6, d->has_followup ? d->followup_note : NULL);
    store_bind_text(st, 7, d->has_next ? d->next : NULL);
    store_bind_text(st, 8, in->replied);
    store_bind_text(st, 9, in->result);
    store_bind_text(st, 10, d->status);
    store_bind_int(st, 11, id);
    int rc = store_step(st, err);
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* Recompute every request's deadlines with calendar "cal" (an edit of the holidays). Only
 * rows whose deadlines change are written. */
static int recompute_all(struct res_ctx *x, const struct workcal *cal, struct rerr *err)
{
    store_stmt *st = store_prepare(
        x->c, "SELECT r.id, r.received_on, r.closed_on, r.replied_on, r.result_on,"
              " (SELECT max(q.date) FROM request_replies q WHERE q.request_id = r.id"
              "  AND q.kind IN ('办理进展', '办理结果', '回访')),"
              " r.procedural_due, r.result_due, coalesce(r.next_followup_due, ''), r.procedural_due_note,"
              " r.result_due_note, coalesce(r.next_followup_note, '')"
              " FROM requests r");
    struct change {
        int64_t id;
        struct req_inputs in;
        struct req_derived d;
    };
    size_t n = 0, cap = 64;
    struct change *ch = malloc(cap * sizeof *ch);
    if (!ch)
        abort();
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct req_inputs in = {0};
        in.received = store_col_text(st, 1);
        in.closed = store_col_type(st, 2) == STORE_NULL ? NULL : store_col_text(st, 2);
        in.replied = store_col_type(st, 3) == STORE_NULL ? NULL : store_col_text(st, 3);
        in.result = store_col_type(st, 4) == STORE_NULL ? NULL : store_col_text(st, 4);
        in.latest = store_col_type(st, 5) == STORE_NULL ? NULL : store_col_text(st, 5);
        struct req_derived d;
        if (derive(cal, &in, &d) < 0)
            continue; /* a received_on the engine never lets in */
        if (!strcmp(d.procedural, store_col_text(st, 6)) && !strcmp(d.result, store_col_text(st, 7)) &&
            !strcmp(d.has_followup ? d.followup : "", store_col_text(st, 8)) &&
            !strcmp(d.procedural_note, store_col_text(st, 9)) &&
            !strcmp(d.result_note, store_col_text(st, 10)) &&
            !strcmp(d.has_followup ? d.followup_note : "", store_col_text(st, 11)))
            continue;
        if (n == cap) {
            cap *= 2;
            struct change *m = realloc(ch, cap * sizeof *ch);
            if (!m)
                abort();
            ch = m;
        }
        in.received = arena_strdup(x->a, in.received);
        in.closed = in.closed ? arena_strdup(x->a, in.closed) : NULL;
        in.replied = in.replied ? arena_strdup(x->a, in.replied) : NULL;
        in.result = in.result ? arena_strdup(x->a, in.result) : NULL;
        ch[n++] = (struct change){store_col_int(st, 0), in, d};
    }
    store_done(st);
    for (size_t i = 0; rc >= 0 && i < n; i++)
        rc = derived_store(x, ch[i].id, &ch[i].in, &ch[i].d, err);
    free(ch);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ holidays */

static const char *const holiday_kinds[] = {"休", "班", NULL};

static const struct field holiday_fields[] = {
    {"date", "日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT | FF_FUTURE, 10, NULL, NULL, 0, 0},
    {"kind", "类型", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, holiday_kinds, NULL, 0, 0},
    {"name", "名称", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH, 20, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

static int weekday_of(const char *date)
{
    int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
    /* Sakamoto's method: 0 = Sunday */
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

/* The calendar is the whole system's: only the city's administrators change it (decided
 * here first, so that no recomputation runs for a write that will be refused). A 班 day is
 * a Saturday or Sunday. Every request's deadlines follow the new calendar in the same
 * transaction. */
static int holiday_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    struct row_scope anywhere = {0};
    int rc = authz_write_row(x->who, WRITE_CITY_ADMIN, &anywhere, err);
    if (rc < 0)
        return rc;
    const char *date = res_str(row, "date"), *kind = res_str(row, "kind");
    int wd = weekday_of(date);
    if (!strcmp(kind, "班") && wd != 0 && wd != 6)
        return rerr_set(err, R_EUNPROC, "inconsistent", "kind",
                        "调休上班日（班）应为星期六或星期日，%s 是工作日", date);
    int year = atoi(date);
    if (year < 2000 || year > 2100)
        return rerr_set(err, R_EINVAL, "out_of_range", "date", "节假日日期应在 2000 至 2100 年之间");
    struct workcal *cal;
    if ((rc = calendar_load(x, before ? res_int(before, "id") : 0, &cal, err)) < 0)
        return rc;
    workcal_mark(cal, date, strcmp(kind, "班") ? WD_REST : WD_WORK, res_str(row, "name"));
    return recompute_all(x, cal, err);
}

static int holiday_removable(struct res_ctx *x, json_t *before, struct rerr *err)
{
    struct row_scope anywhere = {0};
    int rc = authz_write_row(x->who, WRITE_CITY_ADMIN, &anywhere, err);
    struct workcal *cal;
    if (rc == 0)
        rc = calendar_load(x, res_int(before, "id"), &cal, err);
    return rc < 0 ? rc : recompute_all(x, cal, err);
}

const struct resource res_holidays = {
    .name = "holidays",
    .table = "holidays",
    .label = "节假日",
    .fields = holiday_fields,
    .nfields = sizeof holiday_fields / sizeof holiday_fields[0],
    .read = READ_SIGNED_IN,
    .write = WRITE_CITY_ADMIN,
    .export = EXPORT_READERS,
    .default_sort = "date",
    .check = holiday_check,
    .removable = holiday_removable,
    .title = "t.name",
    .date = "t.date",
    .import_key = "date",
};

/* ------------------------------------------------------------------ receipt codes */

static const char receipt_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"; /* 31: no 0 O 1 I L */

/* "v1$<salt hex>$<BLAKE2b-256(code) keyed by the salt, hex>". A fast hash is enough here: a
 * code opens only the stages and dates of one request, which anyone holding the database
 * reads anyway; online guessing is throttled. */
static void receipt_hash(const char *code, const unsigned char salt[16], char out[128])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)code, strlen(code), salt, 16);
    char sh[33], hh[65];
    sodium_bin2hex(sh, sizeof sh, salt, 16);
    sodium_bin2hex(hh, sizeof hh, h, sizeof h);
    snprintf(out, 128, "v1$%s$%s", sh, hh);
}

void service_receipt_new(char out[9], char hash[128])
{
    for (int i = 0; i < 8; i++)
        out[i] = receipt_alphabet[randombytes_uniform(sizeof receipt_alphabet - 1)];
    out[8] = 0;
    unsigned char salt[16];
    randombytes_buf(salt, sizeof salt);
    receipt_hash(out, salt, hash);
}

/* Whether "code" (already normalised) matches "stored". */
static bool receipt_matches(const char *stored, const char *code)
{
    unsigned char salt[16];
    size_t n = 0;
    if (!stored || strncmp(stored, "v1$", 3) != 0 || strlen(stored) != 3 + 32 + 1 + 64 ||
        sodium_hex2bin(salt, sizeof salt, stored + 3, 32, NULL, &n, NULL) != 0 || n != 16)
        return false;
    char again[128];
    receipt_hash(code, salt, again);
    return sodium_memcmp(again, stored, strlen(stored)) == 0;
}

/* "in" as a code: letters upper-cased, spaces and dashes dropped; false when it cannot be
 * one (then it is still answered as a wrong code). */
static bool receipt_normalise(const char *in, char out[9])
{
    int n = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (n == 8 || !strchr(receipt_alphabet, c) || !c)
            return false;
        out[n++] = c;
    }
    out[n] = 0;
    return n == 8;
}

/* ------------------------------------------------------------------ requests */

static const char *const request_channels[] = {"来信", "来访", "网络", "电话", "视频", NULL};
static const char *const request_kinds[] = {"控告",     "申诉",     "举报", "咨询",
                                            "国家赔偿", "司法救助", "其他", NULL};
static const char *const request_statuses[] = {"待答复", "办理中", "已办结", NULL};
static const char *const satisfactions[] = {"满意", "基本满意", "不满意", NULL};

static const struct field request_fields[] = {
    {"branch_id", "承办党组织", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "branches", 0, 0},
    RES_DERIVED_PROC_FIELD,
    {"department_id", "承办部门", FT_REF, FF_WRITE | FF_FILTER | FF_SAME_PROC, 0, NULL, "departments", 0, 0},
    {"number", "受理编号", FT_TEXT, FF_WRITE | FF_SORT | FF_SEARCH, 40, NULL, NULL, 0, 0},
    {"channel", "来源渠道", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, request_channels, NULL, 0, 0},
    {"kind", "诉求类型", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, request_kinds, NULL, 0, 0},
    {"received_on", "收到日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"requester_name", "来访人/来信人", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_MASKED, 30, NULL, NULL, 0, 0},
    {"summary", "诉求摘要", FT_TEXT, FF_WRITE | FF_SEARCH, 1000, NULL, NULL, 0, 0},
    {"status", "办理状态", FT_ENUM, FF_DERIVED | FF_FILTER, 0, request_statuses, NULL, 0, 0},
    {"procedural_due", "程序性答复期限", FT_DATE, FF_DERIVED | FF_FUTURE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"procedural_due_note", "程序性答复期限计算", FT_TEXT, FF_DERIVED, NOTE_CAP, NULL, NULL, 0, 0},
    {"result_due", "办理结果答复期限", FT_DATE, FF_DERIVED | FF_FUTURE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"result_due_note", "办理结果答复期限计算", FT_TEXT, FF_DERIVED, NOTE_CAP, NULL, NULL, 0, 0},
    {"next_followup_due", "下次回访期限", FT_DATE, FF_DERIVED | FF_FUTURE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"next_followup_note", "下次回访期限计算", FT_TEXT, FF_DERIVED, NOTE_CAP, NULL, NULL, 0, 0},
    {"next_due", "最近期限", FT_DATE, FF_DERIVED | FF_FUTURE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"replied_on", "程序性答复日期", FT_DATE, FF_DERIVED | FF_SORT, 10, NULL, NULL, 0, 0},
    {"result_on", "过程或结果答复日期", FT_DATE, FF_DERIVED | FF_SORT, 10, NULL, NULL, 0, 0},
    {"closed_on", "办结日期", FT_DATE, FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"satisfaction", "满意度", FT_ENUM, FF_WRITE | FF_FILTER, 0, satisfactions, NULL, 0, 0},
    {"receipt_hash", "查询码（散列）", FT_TEXT, FF_HIDDEN, 128, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* The request's number when none is given: 12309-<year of receipt>-<sequence within the
 * procuratorate and year>. */
static int number_new(struct res_ctx *x, json_t *row, struct rerr *err)
{
    char prefix[16];
    note_set(prefix, sizeof prefix, "12309-%.4s-", res_str(row, "received_on"));
    store_stmt *st = store_prepare(x->c, "SELECT count(*) FROM requests WHERE procuratorate_id = ?"
                                         " AND substr(number, 1, 11) = ?");
    store_bind_int(st, 1, res_int(row, "procuratorate_id"));
    store_bind_text(st, 2, prefix);
    int rc = store_step(st, err);
    int64_t n = rc == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    if (rc < 0)
        return rc;
    for (int tries = 0; tries < 100; tries++) { /* numbers typed by hand may sit in the way */
        char number[40];
        snprintf(number, sizeof number, "%s%04" PRId64, prefix, n + 1 + tries);
        st = store_prepare(x->c, "SELECT 1 FROM requests WHERE procuratorate_id = ? AND number = ?");
        store_bind_int(st, 1, res_int(row, "procuratorate_id"));
        store_bind_text(st, 2, number);
        rc = store_step(st, err);
        store_done(st);
        if (rc < 0)
            return rc;
        if (rc == STORE_DONE) {
            json_object_set_new(row, "number", json_string(number));
            return 0;
        }
    }
    return rerr_set(err, R_ECONFLICT, "duplicate", "number", "无法生成受理编号，请手工填写");
}

static int request_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    int rc;
    /* The masked name sent back (as a reader who sees it masked got it) is no change. */
    const char *name = res_str(row, "requester_name");
    if (name && strchr(name, '*')) {
        if (!before)
            return rerr_set(err, R_EINVAL, "invalid_value", "requester_name", "姓名不能含有 *");
        json_object_set(row, "requester_name", json_object_get(before, "requester_name"));
    }
    const char *number = res_str(row, "number");
    if (!number || !*number) {
        if ((rc = number_new(x, row, err)) < 0)
            return rc;
    } else if (strspn(number, " ") == strlen(number) || strchr(number, '\n'))
        return rerr_set(err, R_EINVAL, "invalid_value", "number", "受理编号不能为空白或换行");
    struct req_inputs in = {.received = res_str(row, "received_on"), .closed = res_str(row, "closed_on")};
    if (before && (rc = replies_fold(x, res_int(before, "id"), 0, &in, err)) < 0)
        return rc;
    if (in.earliest && strcmp(in.earliest, in.received) < 0)
        return rerr_set(err, R_EUNPROC, "inconsistent", "received_on", "收到日期不能晚于已登记的答复日期 %s",
                        in.earliest);
    if (in.closed) {
        if (!in.replied)
            return rerr_set(err, R_EUNPROC, "no_reply", "closed_on", "尚未答复，不能办结：请先登记答复");
        const char *last = max_date(in.replied, in.result);
        if (strcmp(in.closed, last) < 0)
            return rerr_set(err, R_EUNPROC, "inconsistent", "closed_on", "办结日期不能早于答复日期 %s", last);
    }
    if (res_str(row, "satisfaction") && !in.replied)
        return rerr_set(err, R_EUNPROC, "no_reply", "satisfaction", "尚未答复，不能登记满意度评价");
    struct workcal *cal;
    struct req_derived d;
    if ((rc = calendar_load(x, 0, &cal, err)) < 0)
        return rc;
    if (derive(cal, &in, &d) < 0)
        return rerr_set(err, R_EINVAL, "invalid_value", "received_on", "收到日期无法计算期限");
    derived_into(row, &in, &d);
    if (!before) { /* the code of the receipt: from the create action, else one nobody knows */
        const char *h = res_str(x->prepared, "receipt_hash");
        char code[9], fresh[128];
        if (!h) {
            service_receipt_new(code, fresh);
            h = fresh;
        }
        json_object_set_new(row, "receipt_hash", json_string(h));
    }
    return 0;
}

static int request_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                          struct rerr *err)
{
    char today[11], soon[11];
    text_today(today);
    workcal_add_days(today, SOON_DAYS, soon);
    if (!strcmp(key, "due")) {
        if (!strcmp(val, "overdue")) {
            query_where(q, "t.next_due < ?");
            query_bind_text(q, arena_strdup(x->a, today));
        } else if (!strcmp(val, "soon")) {
            query_where(q, "t.next_due >= ? AND t.next_due <= ?");
            query_bind_text(q, arena_strdup(x->a, today));
            query_bind_text(q, arena_strdup(x->a, soon));
        } else if (!strcmp(val, "ontime")) {
            query_where(q, "(t.next_due IS NULL OR t.next_due > ?)");
            query_bind_text(q, arena_strdup(x->a, soon));
        } else if (!strcmp(val, "late")) {
            query_where(q, "((t.replied_on IS NOT NULL AND t.replied_on > t.procedural_due)"
                           " OR (t.result_on IS NOT NULL AND t.result_on > t.result_due))");
        } else
            return rerr_set(err, R_EINVAL, "bad_query", key,
                            "查询参数 due 应为 overdue（已超期）、soon（3日内到期）、ontime（未到期）或 "
                            "late（曾超期答复）");
        return 1;
    }
    if (!strcmp(key, "from") || !strcmp(key, "to")) {
        if (!text_date_ok(val))
            return rerr_set(err, R_EINVAL, "bad_query", key, "查询参数 %s 应为日期（YYYY-MM-DD）", key);
        const char *other = query_param(q, !strcmp(key, "from") ? "to" : "from");
        if (other && text_date_ok(other) &&
            strcmp(!strcmp(key, "from") ? val : other, !strcmp(key, "from") ? other : val) > 0)
            return rerr_set(err, R_EINVAL, "bad_query", "from", "开始日期不能晚于结束日期");
        query_where(q, !strcmp(key, "from") ? "t.received_on >= ?" : "t.received_on <= ?");
        query_bind_text(q, arena_strdup(x->a, val));
        return 1;
    }
    return 0;
}

/* The record as the requester's receipt needs it, with "code" shown this once. */
static void receipt_into(json_t *out, const char *code)
{
    json_object_set_new(out, "receipt_code", json_string(code));
}

/* POST /requests: created through the engine like any record, with a receipt code drawn
 * here and handed to the check hook (x->prepared), which stores only its hash; the answer
 * carries the code itself, this once. */
static int request_create(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    (void)id;
    char code[9], hash[128];
    service_receipt_new(code, hash);
    x->prepared = json_pack("{s:s}", "receipt_hash", hash);
    int rc = res_create(x, &res_requests, body, out, err);
    if (rc == 0)
        receipt_into(*out, code);
    return rc;
}

/* The scope of request "id" for a write by "x", decided as the engine decides (read scope
 * first, so that another procuratorate's request is not found). */
static int request_for_write(struct res_ctx *x, int64_t id, json_t **rec, struct rerr *err)
{
    int rc = res_get(x, &res_requests, id, rec, err);
    if (rc < 0)
        return rc;
    struct row_scope s = {res_int(*rec, "procuratorate_id"), res_int(*rec, "branch_id")};
    if ((rc = authz_write_row(x->who, res_requests.write, &s, err)) < 0) {
        json_decref(*rec);
        *rec = NULL;
    }
    return rc;
}

/* POST /requests/<id>/receipt: a new receipt code (the old one stops working), to print
 * for the requester; audited as "receipt" without the code or its hash. */
static int request_receipt(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    (void)body;
    json_t *rec;
    int rc = request_for_write(x, id, &rec, err);
    if (rc < 0)
        return rc;
    char code[9], hash[128];
    service_receipt_new(code, hash);
    if ((rc = store_begin(x->c, err)) < 0) {
        json_decref(rec);
        return rc;
    }
    store_stmt *st = store_prepare(x->c, "UPDATE requests SET receipt_hash = ? WHERE id = ?");
    store_bind_text(st, 1, hash);
    store_bind_int(st, 2, id);
    rc = store_step(st, err);
    store_done(st);
    json_t *note = json_pack("{s:s}", "receipt", "重新生成查询码");
    if (rc >= 0)
        rc = audit_append(x->c, x->who, "receipt", res_requests.name, id, res_int(rec, "procuratorate_id"),
                          NULL, note, err);
    json_decref(note);
    if (rc >= 0)
        rc = store_commit(x->c, err);
    else
        store_rollback(x->c);
    if (rc < 0) {
        json_decref(rec);
        return rc;
    }
    *out = json_pack("{s:I, s:O, s:O, s:s, s:O}", "id", (json_int_t)id, "number",
                     json_object_get(rec, "number"), "received_on", json_object_get(rec, "received_on"),
                     "receipt_code", code, "procuratorate_name", json_object_get(rec, "procuratorate_name"));
    json_decref(rec);
    return 0;
}

/* One deadline as the request page shows it: the date, how it was computed, whether it
 * was met, and the working days left. */
static json_t *deadline_json(const struct workcal *cal, const char *today, const char *key, const char *label,
                             json_t *due, json_t *note, json_t *done)
{
    const char *d = json_string_value(due), *met = json_string_value(done);
    json_t *o = json_pack("{s:s, s:s, s:O, s:O, s:O}", "key", key, "label", label, "due", due, "note",
                          note ? note : json_null(), "done_on", done ? done : json_null());
    const char *state;
    char soon[11];
    workcal_add_days(today, SOON_DAYS, soon);
    if (!d)
        state = "none";
    else if (met)
        state = strcmp(met, d) <= 0 ? "met" : "met_late";
    else if (strcmp(d, today) < 0)
        state = "overdue";
    else if (strcmp(d, soon) <= 0)
        state = "soon";
    else
        state = "pending";
    json_object_set_new(o, "state", json_string(state));
    if (d && !met)
        json_object_set_new(o, "working_days_left",
                            json_integer(workcal_working_days_between(cal, today, d)));
    return o;
}

/* GET /requests/<id>/deadlines: the countdown of the request page. */
static int request_deadlines(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    (void)body;
    json_t *rec;
    int rc = res_get(x, &res_requests, id, &rec, err);
    if (rc < 0)
        return rc;
    struct workcal *cal;
    if ((rc = store_begin_read(x->c, err)) == 0) {
        rc = calendar_load(x, 0, &cal, err);
        store_rollback(x->c);
    }
    if (rc < 0) {
        json_decref(rec);
        return rc;
    }
    char today[11];
    text_today(today);
    json_t *list = json_array();
    json_array_append_new(list, deadline_json(cal, today, "procedural", "程序性答复（7个工作日）",
                                              json_object_get(rec, "procedural_due"),
                                              json_object_get(rec, "procedural_due_note"),
                                              json_object_get(rec, "replied_on")));
    json_array_append_new(list, deadline_json(cal, today, "result", "办理过程或结果答复（3个月）",
                                              json_object_get(rec, "result_due"),
                                              json_object_get(rec, "result_due_note"),
                                              json_object_get(rec, "result_on")));
    json_t *fu = json_object_get(rec, "next_followup_due");
    if (json_is_string(fu))
        json_array_append_new(list, deadline_json(cal, today, "followup", "办结前每月回访", fu,
                                                  json_object_get(rec, "next_followup_note"), NULL));
    *out = json_pack("{s:I, s:s, s:O, s:o}", "id", (json_int_t)id, "today", today, "status",
                     json_object_get(rec, "status"), "deadlines", list);
    json_decref(rec);
    return 0;
}

/* A request registered by mistake is deleted whole: its replies go with it, each deletion
 * audited in the same transaction. */
static int request_removable(struct res_ctx *x, json_t *before, struct rerr *err)
{
    int64_t id = res_int(before, "id");
    store_stmt *st = store_prepare(x->c, "SELECT id FROM request_replies WHERE request_id = ? ORDER BY id");
    store_bind_int(st, 1, id);
    int64_t ids[256];
    int n = 0, rc;
    while ((rc = store_step(st, err)) == STORE_ROW && n < 256)
        ids[n++] = store_col_int(st, 0);
    store_done(st);
    if (rc < 0)
        return rc;
    if (n == 256)
        return rerr_set(err, R_ECONFLICT, "in_use", "", "该诉求的答复过多，请先逐条删除答复");
    for (int i = 0; i < n; i++) {
        /* the audit keeps the reply as it was, its stored columns */
        st =
            store_prepare(x->c, "SELECT procuratorate_id, branch_id, request_id, kind, date, content, sample,"
                                " version, created_at, updated_at FROM request_replies WHERE id = ?");
        store_bind_int(st, 1, ids[i]);
        json_t *reply = NULL;
        if ((rc = store_step(st, err)) == STORE_ROW)
            reply = json_pack(
                "{s:I, s:I, s:I, s:I, s:s, s:s, s:o, s:b, s:I, s:s, s:s}", "id", (json_int_t)ids[i],
                "procuratorate_id", (json_int_t)store_col_int(st, 0), "branch_id",
                (json_int_t)store_col_int(st, 1), "request_id", (json_int_t)store_col_int(st, 2), "kind",
                store_col_text(st, 3), "date", store_col_text(st, 4), "content",
                store_col_type(st, 5) == STORE_NULL ? json_null() : json_string(store_col_text(st, 5)),
                "sample", (int)store_col_int(st, 6), "version", (json_int_t)store_col_int(st, 7),
                "created_at", store_col_text(st, 8), "updated_at", store_col_text(st, 9));
        store_done(st);
        if (rc < 0)
            return rc;
        st = store_prepare(x->c, "DELETE FROM request_replies WHERE id = ?");
        store_bind_int(st, 1, ids[i]);
        rc = store_step(st, err);
        store_done(st);
        if (rc >= 0)
            rc = audit_append(x->c, x->who, "delete", res_request_replies.name, ids[i],
                              res_int(reply, "procuratorate_id"), reply, NULL, err);
        json_decref(reply);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* On the handling branch's timeline: the receipt of each request (never the requester's
 * name), and each reply. */
static const struct res_event request_events[] = {
    {"12309受理", "t.received_on", "'12309 ' || t.kind || '（' || t.channel || '）' || t.number",
     "t.branch_id = ?", NULL, NULL},
    {"12309办结", "t.closed_on", "'12309 办结 ' || t.number", "t.branch_id = ?", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
static const struct res_event reply_events[] = {
    {"12309答复", "t.date",
     "'12309 ' || t.kind || ' ' || coalesce((SELECT r.number FROM requests r WHERE r.id = t.request_id), '')",
     "t.branch_id = ?", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};

static const struct res_action request_actions[] = {
    {.name = NULL, .method = "POST", .status = 201, .body = true, .run = request_create},
    {.name = "receipt", .method = "POST", .status = 200, .run = request_receipt},
    {.name = "deadlines", .method = "GET", .status = 200, .run = request_deadlines},
    {0},
};

static const struct dependent request_deps[] = {
    {&res_request_replies, "request_id", true},
    {NULL, NULL, false},
};

const struct resource res_requests = {
    .name = "requests",
    .table = "requests",
    .label = "12309诉求",
    .fields = request_fields,
    .nfields = sizeof request_fields / sizeof request_fields[0],
    .extras = "(SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
              " (SELECT name FROM departments d WHERE d.id = t.department_id) AS department_name",
    .ignored = "branch_name procuratorate_name department_name receipt_code",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_ADMIN,
    .scope_from = "branch_id",
    .default_sort = "-received_on",
    .by_procuratorate = true,
    .check = request_check,
    .filter = request_filter,
    .removable = request_removable,
    .deps = request_deps,
    .actions = request_actions,
    .title = "t.number || ' ' || t.kind",
    .date = "t.received_on",
    .events = request_events,
    .import_key = "procuratorate_id number",
};

/* ------------------------------------------------------------------ replies */

static const char *const reply_kinds[] = {"程序性答复", "办理进展", "办理结果", "回访", NULL};

static const struct field reply_fields[] = {
    {"request_id", "所属诉求", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "requests", 0, 0},
    RES_DERIVED_BRANCH_FIELD,
    RES_DERIVED_PROC_FIELD,
    {"kind", "答复类型", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, reply_kinds, NULL, 0, 0},
    {"date", "日期", FT_DATE, FF_REQUIRED | FF_WRITE | FF_SORT, 10, NULL, NULL, 0, 0},
    {"content", "内容", FT_TEXT, FF_WRITE, 2000, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* Request "id"'s own inputs (received, closed, satisfaction) into "in" and *sat. */
static int request_inputs(struct res_ctx *x, int64_t id, struct req_inputs *in, const char **sat,
                          struct rerr *err)
{
    store_stmt *st =
        store_prepare(x->c, "SELECT received_on, closed_on, satisfaction FROM requests WHERE id = ?");
    store_bind_int(st, 1, id);
    int rc = store_step(st, err);
    if (rc == STORE_ROW) {
        in->received = arena_strdup(x->a, store_col_text(st, 0));
        in->closed = store_col_type(st, 1) == STORE_NULL ? NULL : arena_strdup(x->a, store_col_text(st, 1));
        *sat = store_col_type(st, 2) == STORE_NULL ? NULL : arena_strdup(x->a, store_col_text(st, 2));
    }
    store_done(st);
    if (rc == STORE_DONE)
        return rerr_set(err, R_EUNPROC, "invalid_reference", "request_id", "所属诉求不存在");
    return rc < 0 ? rc : 0;
}

/* Recompute request "id" from its replies as they will be: the stored ones but "skip",
 * plus "kind"/"date" when given; refuse a state the request's own rules forbid. */
static int request_follow(struct res_ctx *x, int64_t id, int64_t skip, const char *kind, const char *date,
                          struct rerr *err)
{
    struct req_inputs in = {0};
    const char *sat = NULL;
    int rc = request_inputs(x, id, &in, &sat, err);
    if (rc == 0)
        rc = replies_fold(x, id, skip, &in, err);
    if (rc < 0)
        return rc;
    if (kind)
        fold_reply(&in, kind, date);
    if (!in.replied && sat)
        return rerr_set(err, R_EUNPROC, "no_reply", "", "该诉求已登记满意度评价，不能删除其唯一的答复");
    if (!in.replied && in.closed)
        return rerr_set(err, R_EUNPROC, "no_reply", "", "该诉求已办结，不能删除其唯一的答复");
    struct workcal *cal;
    struct req_derived d;
    if ((rc = calendar_load(x, 0, &cal, err)) < 0)
        return rc;
    if (derive(cal, &in, &d) < 0)
        return rerr_set(err, R_EINTERNAL, "internal", "", "无法计算诉求期限");
    return derived_store(x, id, &in, &d, err);
}

static int reply_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    int64_t req = res_int(row, "request_id");
    if (before && req != res_int(before, "request_id"))
        return rerr_set(err, R_EUNPROC, "inconsistent", "request_id", "答复不能改挂到另一件诉求");
    struct req_inputs in = {0};
    const char *sat = NULL;
    int rc = request_inputs(x, req, &in, &sat, err);
    if (rc < 0)
        return rc;
    /* The scope is checked after this hook: refuse a write out of scope before reading on. */
    struct row_scope s = {res_int(row, "procuratorate_id"), res_int(row, "branch_id")};
    if ((rc = authz_write_row(x->who, WRITE_BRANCH, &s, err)) < 0)
        return rc;
    const char *kind = res_str(row, "kind"), *date = res_str(row, "date");
    if (strcmp(date, in.received) < 0)
        return rerr_set(err, R_EUNPROC, "inconsistent", "date", "答复日期不能早于收到日期 %s", in.received);
    if (in.closed && answers(kind) && strcmp(date, in.closed) > 0)
        return rerr_set(err, R_EUNPROC, "inconsistent", "date", "诉求已于 %s 办结，之后只能登记回访",
                        in.closed);
    int64_t self = before ? res_int(before, "id") : 0;
    if (!answers(kind)) {
        struct req_inputs prior = {0};
        if ((rc = replies_fold(x, req, self, &prior, err)) < 0)
            return rc;
        if (!prior.replied || strcmp(prior.replied, date) > 0)
            return rerr_set(err, R_EUNPROC, "no_reply", "kind", "回访应在答复之后：该诉求在 %s 前尚无答复",
                            date);
    }
    return request_follow(x, req, self, kind, date, err);
}

static int reply_removable(struct res_ctx *x, json_t *before, struct rerr *err)
{
    return request_follow(x, res_int(before, "request_id"), res_int(before, "id"), NULL, NULL, err);
}

const struct resource res_request_replies = {
    .name = "request-replies",
    .table = "request_replies",
    .label = "12309答复",
    .fields = reply_fields,
    .nfields = sizeof reply_fields / sizeof reply_fields[0],
    .extras = "(SELECT number FROM requests r WHERE r.id = t.request_id) AS request_number",
    .ignored = "request_number",
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_ADMIN,
    .scope_from = "request_id",
    .default_sort = "date",
    .check = reply_check,
    .removable = reply_removable,
    .title = "t.kind || ' ' || coalesce((SELECT r.number FROM requests r WHERE r.id = t.request_id), '')",
    .date = "t.date",
    .events = reply_events,
};

/* ------------------------------------------------------------------ rates */

static json_t *rate(int64_t num, int64_t den)
{
    return den ? json_real((double)(int64_t)((double)num * 10000.0 / (double)den + 0.5) / 10000.0)
               : json_null();
}

/* One row of the rates query as the answer's object. */
static json_t *rates_row(store_stmt *st, int base)
{
    int64_t v[13];
    for (int i = 0; i < 13; i++)
        v[i] = store_col_int(st, base + i);
    /* received; procedural: due, in time, late, overdue; result: due, in time, late, overdue;
     * reviews: reviewed, 满意, 基本满意, 不满意 */
    json_t *o = json_pack(
        "{s:I, s:{s:I, s:I, s:I, s:I, s:o, s:s}, s:{s:I, s:I, s:I, s:I, s:o, s:s}, s:{s:I, s:I, s:I, s:I, "
        "s:o, s:s}}",
        "received", (json_int_t)v[0], "procedural", "due", (json_int_t)v[1], "in_time", (json_int_t)v[2],
        "late", (json_int_t)v[3], "overdue", (json_int_t)v[4], "rate", rate(v[2], v[1]), "explain",
        "7个工作日内程序性答复件数 / 应答复件数（已答复，或期限已过）", "result", "due", (json_int_t)v[5],
        "in_time", (json_int_t)v[6], "late", (json_int_t)v[7], "overdue", (json_int_t)v[8], "rate",
        rate(v[6], v[5]), "explain", "3个月内答复办理过程或结果件数 / 应答复件数（已答复，或期限已过）",
        "reviews", "reviewed", (json_int_t)v[9], "satisfied", (json_int_t)v[10], "basic", (json_int_t)v[11],
        "bad", (json_int_t)v[12], "bad_share", rate(v[12], v[9]), "explain", "不满意件数 / 已评价件数");
    return o;
}

int service_rates(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err)
{
    int rc = authz_read_collection(x->who, res_requests.read, err);
    if (rc < 0)
        return rc;
    const char *from = "1900-01-01", *to = "2999-12-31";
    int64_t proc = 0;
    for (int i = 0; i < q->n; i++) {
        const char *k = q->key[i], *v = q->val[i];
        if (!strcmp(k, "from") || !strcmp(k, "to")) {
            if (!text_date_ok(v))
                return rerr_set(err, R_EINVAL, "bad_query", k, "查询参数 %s 应为日期（YYYY-MM-DD）", k);
            *(!strcmp(k, "from") ? &from : &to) = v;
        } else if (!strcmp(k, "procuratorate_id")) {
            char *end;
            proc = strtoll(v, &end, 10);
            if (!*v || *end || proc <= 0)
                return rerr_set(err, R_EINVAL, "bad_query", k, "查询参数 procuratorate_id 应为正整数");
        } else
            return rerr_set(err, R_EINVAL, "bad_query", k, "未知的查询参数：%s", k);
    }
    if (strcmp(from, to) > 0)
        return rerr_set(err, R_EINVAL, "bad_query", "from", "开始日期不能晚于结束日期");
    int64_t own;
    if (authz_read_narrowed(x->who, res_requests.read, &own)) {
        if (proc && proc != own)
            return rerr_set(err, R_EFORBID, "forbidden", "procuratorate_id", "无权查看其他检察院的12309数据");
        proc = own;
    }
    char today[11];
    text_today(today);
    static const char cols[] =
        "count(r.id),"
        " sum(replied_on IS NOT NULL OR procedural_due < ?1),"
        " sum(replied_on IS NOT NULL AND replied_on <= procedural_due),"
        " sum(replied_on IS NOT NULL AND replied_on > procedural_due),"
        " sum(replied_on IS NULL AND procedural_due < ?1),"
        " sum(result_on IS NOT NULL OR result_due < ?1),"
        " sum(result_on IS NOT NULL AND result_on <= result_due),"
        " sum(result_on IS NOT NULL AND result_on > result_due),"
        " sum(result_on IS NULL AND result_due < ?1),"
        " sum(satisfaction IS NOT NULL), sum(satisfaction = '满意'), sum(satisfaction = '基本满意'),"
        " sum(satisfaction = '不满意')";
    if ((rc = store_begin_read(x->c, err)) < 0)
        return rc;
    /* One grouped pass; procuratorates without requests are listed with zeros. */
    char *sql = arena_printf(x->a,
                             "SELECT p.id, p.name, %s FROM procuratorates p LEFT JOIN requests r"
                             " ON r.procuratorate_id = p.id AND r.received_on >= ?2 AND r.received_on <= ?3"
                             " WHERE ?4 = 0 OR p.id = ?4 GROUP BY p.id ORDER BY p.level, p.sort, p.id",
                             cols);
    store_stmt *st;
    if ((rc = store_prepare_built(x->c, sql, &st, err)) < 0) {
        store_rollback(x->c);
        return rc;
    }
    store_bind_text(st, 1, today);
    store_bind_text(st, 2, from);
    store_bind_text(st, 3, to);
    store_bind_int(st, 4, proc);
    json_t *items = json_array();
    int64_t sum[13] = {0};
    while ((rc = store_step(st, err)) == STORE_ROW) {
        json_t *o = rates_row(st, 2);
        json_object_set_new(o, "procuratorate_id", json_integer(store_col_int(st, 0)));
        json_object_set_new(o, "procuratorate_name", json_string(store_col_text(st, 1)));
        json_array_append_new(items, o);
        for (int i = 0; i < 13; i++)
            sum[i] += store_col_int(st, 2 + i);
    }
    store_done(st);
    store_rollback(x->c);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    if (proc && json_array_size(items) == 0) {
        json_decref(items);
        return rerr_set(err, R_ENOTFOUND, "not_found", "procuratorate_id", "检察院不存在");
    }
    /* the totals, through the same builder */
    store_stmt *tot = store_prepare(x->c, "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13");
    for (int i = 0; i < 13; i++)
        store_bind_int(tot, i + 1, sum[i]);
    json_t *total = NULL;
    if ((rc = store_step(tot, err)) == STORE_ROW)
        total = rates_row(tot, 0);
    store_done(tot);
    if (!total) {
        json_decref(items);
        return rc < 0 ? rc : rerr_set(err, R_EINTERNAL, "internal", "", "统计失败");
    }
    *out = json_pack("{s:s, s:s, s:s, s:o, s:o}", "from", from, "to", to, "today", today, "items", items,
                     "total", total);
    return 0;
}

/* ------------------------------------------------------------------ the public page */

/* What the requester sees: the stages and dates, nothing typed by staff. */
static int progress_answer(store_conn *c, int64_t id, json_t **out, struct rerr *err)
{
    store_stmt *st = store_prepare(c, "SELECT r.number, p.name, r.received_on, r.status, r.procedural_due,"
                                      " r.replied_on, r.result_due, r.result_on, r.closed_on"
                                      " FROM requests r JOIN procuratorates p ON p.id = r.procuratorate_id"
                                      " WHERE r.id = ?");
    store_bind_int(st, 1, id);
    int rc = store_step(st, err);
    if (rc != STORE_ROW) {
        store_done(st);
        return rc < 0 ? rc : rerr_set(err, R_ENOTFOUND, "no_match", "", "受理编号或查询码不正确");
    }
#define COL(i) (store_col_type(st, i) == STORE_NULL ? json_null() : json_string(store_col_text(st, i)))
    json_t *stages = json_array();
    json_array_append_new(stages, json_pack("{s:s, s:o}", "stage", "受理", "date", COL(2)));
    json_array_append_new(stages,
                          json_pack("{s:s, s:o, s:o}", "stage", "程序性答复", "date", COL(5), "due", COL(4)));
    json_array_append_new(
        stages, json_pack("{s:s, s:o, s:o}", "stage", "办理过程或结果答复", "date", COL(7), "due", COL(6)));
    json_array_append_new(stages, json_pack("{s:s, s:o}", "stage", "办结", "date", COL(8)));
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o}", "number", COL(0), "procuratorate", COL(1), "received_on",
                     COL(2), "status", COL(3), "stages", stages);
#undef COL
    store_done(st);
    st = store_prepare(c, "SELECT kind, date FROM request_replies WHERE request_id = ? ORDER BY date, id");
    store_bind_int(st, 1, id);
    json_t *events = json_array();
    while ((rc = store_step(st, err)) == STORE_ROW)
        json_array_append_new(
            events, json_pack("{s:s, s:s}", "stage", store_col_text(st, 0), "date", store_col_text(st, 1)));
    store_done(st);
    json_object_set_new(*out, "events", events);
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    return 0;
}

int service_progress(store_conn *c, const char *address, json_t *body, json_t **out, struct rerr *err)
{
    const char *number = NULL, *code = NULL;
    if (json_unpack_ex(body, NULL, JSON_STRICT, "{s:s, s:s}", "number", &number, "code", &code) < 0)
        return rerr_set(err, R_EINVAL, "invalid_type", "", "请输入受理编号 number 和查询码 code（文本）");
    if (!*number || !*code)
        return rerr_set(err, R_EINVAL, "required", !*number ? "number" : "code",
                        !*number ? "请输入受理编号" : "请输入查询码");
    if (strlen(number) > 60 || strlen(code) > 32)
        return rerr_set(err, R_EINVAL, "too_long", strlen(number) > 60 ? "number" : "code",
                        "受理编号或查询码过长");
    /* counted per address and per number, as a login is per address and account */
    char key[72];
    snprintf(key, sizeof key, "12309:%s", number);
    struct throttle_ticket t;
    int rc = throttle_begin(c, key, address, &t, err);
    if (rc < 0) {
        if (rc == R_ETHROTTLE)
            snprintf(err->message, sizeof err->message, "查询过于频繁，请 %d 秒后再试", err->retry_after);
        return rc;
    }
    char norm[9];
    bool well_formed = receipt_normalise(code, norm);
    int64_t found = 0;
    if ((rc = store_begin_read(c, err)) < 0) {
        throttle_end(&t, true); /* not the requester's fault */
        return rc;
    }
    store_stmt *st = store_prepare(c, "SELECT id, receipt_hash FROM requests WHERE number = ? LIMIT 16");
    store_bind_text(st, 1, number);
    bool any = false;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        any = true;
        if (well_formed && !found && receipt_matches(store_col_text(st, 1), norm))
            found = store_col_int(st, 0);
    }
    store_done(st);
    if (!any) /* the same work for an unknown number as for a wrong code */
        receipt_matches("v1$00000000000000000000000000000000$"
                        "0000000000000000000000000000000000000000000000000000000000000000",
                        norm);
    if (rc >= 0 && found)
        rc = progress_answer(c, found, out, err);
    store_rollback(c);
    if (rc < 0) {
        throttle_end(&t, true);
        return rc;
    }
    throttle_end(&t, found != 0);
    if (!found) {
        log_info("12309 progress: no match for a number from %s", address ? address : "-");
        return rerr_set(err, R_ENOTFOUND, "no_match", "", "受理编号或查询码不正确，请核对回执后重试");
    }
    log_info("12309 progress: request %" PRId64 " looked up from %s", found, address ? address : "-");
    return 0;
}
