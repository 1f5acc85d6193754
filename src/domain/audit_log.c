/*
 * audit_log: the audit chain as a read-only collection, for people.
 *
 * Filters beyond the descriptor's own: ?from= and ?to= (dates, YYYY-MM-DD, Beijing
 * time, both inclusive) and ?actor= (who did it: a username, or the display name of a
 * user the reader may see). Each entry answered carries, besides its stored columns,
 * "actor_name" (the operator as a reader knows them: the display name, or what the
 * system writes as) and "names" ({field: {id: name}}: the records its before and after
 * refer to, by name). A name is given only for a row the reader may read; any other
 * reference stays a bare id, so the audit tells nobody what lies outside their scope.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/authz.h"
#include "base/text.h"
#include "domain/resource.h"
#include "domain/user.h"

static const struct field audit_fields[] = {
    {"ts", "时间", FT_TEXT, FF_SORT, 0, NULL, NULL, 0, 0},
    {"username", "操作人", FT_TEXT, FF_FILTER | FF_SEARCH, 0, NULL, NULL, 0, 0},
    {"user_id", "操作人编号", FT_INT, FF_FILTER, 0, NULL, NULL, 0, 0},
    {"action", "操作", FT_TEXT, FF_FILTER, 0, NULL, NULL, 0, 0},
    {"entity", "对象类型", FT_TEXT, FF_FILTER, 0, NULL, NULL, 0, 0},
    {"entity_id", "对象编号", FT_INT, FF_FILTER, 0, NULL, NULL, 0, 0},
    {"procuratorate_id", "检察院", FT_REF, FF_FILTER, 0, NULL, "procuratorates", 0, 0},
    {"before", "修改前", FT_JSON, 0, 0, NULL, NULL, 0, 0},
    {"after", "修改后", FT_JSON, 0, 0, NULL, NULL, 0, 0},
};

/* How the operators that are not people read (src/demo writes as "demo", the command
 * line as "system"; neither has a user_id). */
#define DEMO_ACTOR "示例数据（系统生成）"
#define SYSTEM_ACTOR "系统（命令行）"

/* ------------------------------------------------------------------ filters */

/* The UTC instant (as stored in audit.ts, "YYYY-MM-DDTHH:MM:SS") at which Beijing
 * date "date" plus "days" begins. "date" has passed text_date_ok(). */
static void beijing_day_start(const char *date, int days, char out[24])
{
    struct tm tm = {0};
    sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_mday += days;
    time_t t = timegm(&tm) - 8 * 3600;
    struct tm utc;
    gmtime_r(&t, &utc);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%S", &utc);
}

static int audit_filter(struct res_ctx *x, const char *key, const char *val, struct query *q,
                        struct rerr *err)
{
    if (!strcmp(key, "from") || !strcmp(key, "to")) {
        if (!text_date_ok(val))
            return rerr_set(err, R_EINVAL, "bad_query", key,
                            "查询参数 %s 无效：应为日期 YYYY-MM-DD（如 2026-01-31），且须是真实的日期", key);
        char at[24];
        bool from = key[0] == 'f';
        const char *to = from ? query_param(q, "to") : NULL;
        if (to && text_date_ok(to) && strcmp(val, to) > 0) /* dates as YYYY-MM-DD sort as text */
            return rerr_set(err, R_EINVAL, "bad_query", key,
                            "查询参数 from 无效：起始日期 %s 晚于结束日期 %s", val, to);
        beijing_day_start(val, from ? 0 : 1, at);
        query_where(q, from ? "t.ts >= ?" : "t.ts < ?");
        query_bind_text(q, arena_strdup(x->a, at));
        return 1;
    }
    if (!strcmp(key, "actor")) {
        if (strlen(val) > 4 * 64 || !text_utf8_ok(val) || text_utf8_len(val) > 64)
            return rerr_set(err, R_EINVAL, "bad_query", key,
                            "查询参数 actor 无效：应为用户名或姓名（最多 64 个字）");
        /* A display name counts only for users the reader may see: no one learns who is
         * called what outside their scope by filtering on it. */
        int64_t proc = 0;
        bool users_readable = authz_read_collection(x->who, res_users.read, NULL) == 0;
        bool narrowed = authz_read_narrowed(x->who, res_users.read, &proc);
        if (!users_readable) {
            query_where(q, "t.username = ?");
            query_bind_text(q, val);
            return 1;
        }
        query_where(q, narrowed ? "t.username = ? OR t.user_id IN (SELECT u.id FROM users u WHERE"
                                  " u.display_name = ? AND u.procuratorate_id = ?)"
                                : "t.username = ? OR t.user_id IN (SELECT u.id FROM users u WHERE"
                                  " u.display_name = ?)");
        query_bind_text(q, val);
        query_bind_text(q, val);
        if (narrowed)
            query_bind_int(q, proc);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ names */

/* The column a person knows a row of "r" by, or NULL. */
static const char *name_column(const struct resource *r)
{
    static const char *const cols[] = {"name", "title", "label", "display_name"};
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
        for (int i = 0; i < r->nfields; i++)
            if (!strcmp(r->fields[i].name, cols[c]))
                return cols[c];
    return NULL;
}

/* The name of row "id" of "r" into a new JSON string, or NULL when there is no such row,
 * it has no name, or the reader may not read it. */
static json_t *row_name(struct res_ctx *x, const struct resource *r, int64_t id, struct rerr *err, int *rc)
{
    const char *col = name_column(r);
    if (!col || authz_read_collection(x->who, r->read, NULL) < 0)
        return NULL;
    /* the same text for the same collection: the store prepares it once per connection */
    const char *sql = arena_printf(x->a, "SELECT %s, procuratorate_id FROM %s WHERE id = ?", col, r->table);
    int64_t proc = 0;
    bool narrowed = authz_read_narrowed(x->who, r->read, &proc);
    store_stmt *st = store_prepare(x->c, sql);
    store_bind_int(st, 1, id);
    json_t *name = NULL;
    int s = store_step(st, err);
    if (s == STORE_ROW && (!narrowed || store_col_int(st, 1) == proc) && store_col_text(st, 0))
        name = json_string(store_col_text(st, 0));
    store_done(st);
    if (s < 0)
        *rc = s;
    return name;
}

/* Add to "names" the name of every reference in "rec" (an entry's before or after) that
 * the reader may see. */
static int name_refs(struct res_ctx *x, const struct resource *r, json_t *rec, json_t *names,
                     struct rerr *err)
{
    if (!json_is_object(rec))
        return 0;
    for (int i = 0; i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        json_t *v = json_object_get(rec, f->name);
        if (f->kind != FT_REF || !json_is_integer(v))
            continue;
        const struct resource *ref = res_of_table(f->ref);
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(v));
        json_t *byid = json_object_get(names, f->name);
        if (!ref || (byid && json_object_get(byid, key)))
            continue;
        int rc = 0;
        json_t *name = row_name(x, ref, json_integer_value(v), err, &rc);
        if (rc < 0)
            return rc;
        if (!name)
            continue;
        if (!byid) {
            byid = json_object();
            json_object_set_new(names, f->name, byid);
        }
        json_object_set_new(byid, key, name);
    }
    return 0;
}

/* The operator as the reader knows them. */
static json_t *actor_name(struct res_ctx *x, json_t *entry, struct rerr *err, int *rc)
{
    const char *username = res_str(entry, "username");
    int64_t uid = res_int(entry, "user_id");
    if (!uid)
        return json_string(username && !strcmp(username, "demo")     ? DEMO_ACTOR
                           : username && !strcmp(username, "system") ? SYSTEM_ACTOR
                           : username                                ? username
                                                                     : "");
    json_t *n = row_name(x, &res_users, uid, err, rc);
    return n ? n : json_string(username ? username : "");
}

static int audit_expand(struct res_ctx *x, json_t *entry, struct rerr *err)
{
    int rc = 0;
    json_object_set_new(entry, "actor_name", actor_name(x, entry, err, &rc));
    if (rc < 0)
        return rc;
    const char *entity = res_str(entry, "entity");
    const struct resource *r = entity ? res_find(entity) : NULL;
    json_t *names = json_object();
    if (r && ((rc = name_refs(x, r, json_object_get(entry, "before"), names, err)) < 0 ||
              (rc = name_refs(x, r, json_object_get(entry, "after"), names, err)) < 0)) {
        json_decref(names);
        return rc;
    }
    json_object_set_new(entry, "names", names);
    return 0;
}

const struct resource res_audit = {
    .name = "audit",
    .table = "audit",
    .label = "审计记录",
    .fields = audit_fields,
    .nfields = sizeof audit_fields / sizeof audit_fields[0],
    .read = READ_ADMIN,
    .write = WRITE_NONE,
    .export = EXPORT_ADMIN,
    .default_sort = "-id",
    .filter = audit_filter,
    .expand = audit_expand,
};
