#include "domain/user.h"

#include <string.h>

#include "auth/password.h"
#include "auth/throttle.h"
#include "domain/resource.h"

static const char *const roles[] = {"admin", "viewer", "secretary", NULL};

static const struct field user_fields[] = {
    {"username", "用户名", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH | FF_FILTER, 40, NULL, NULL,
     0, 0},
    {"display_name", "姓名", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SEARCH, 40, NULL, NULL, 0, 0},
    {"password", "密码", FT_TEXT, FF_WRITE | FF_SECRET, PASSWORD_MAX_LEN, NULL, NULL, 0, 0},
    {"password_hash", "", FT_TEXT, FF_HIDDEN | FF_DERIVED, 0, NULL, NULL, 0, 0},
    {"role", "角色", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, roles, NULL, 0, 0},
    {"procuratorate_id", "所属检察院", FT_REF, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, "procuratorates",
     0, 0},
    {"branch_id", "所属党组织", FT_REF, FF_WRITE | FF_FILTER | FF_SAME_PROC, 0, NULL, "branches", 0, 0},
    {"disabled", "停用", FT_BOOL, FF_WRITE | FF_NOTNULL | FF_FILTER, 0, NULL, NULL, 0, 0},
};

static const struct res_required user_required[] = {
    {"password", NULL, NULL, "新用户必须设置密码"},
    {"branch_id", "role", "secretary", "支部书记账号必须选择所属党组织"},
    {0},
};

static int username_ok(const char *u)
{
    if (!*u)
        return 0;
    for (const char *p = u; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_' || *p == '.'))
            return 0;
    return 1;
}

static int user_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    const char *u = res_str(row, "username");
    if (!u || !username_ok(u))
        return rerr_set(err, R_EINVAL, "invalid_value", "username", "用户名只能包含字母、数字、- _ .");
    const char *pw = res_str(row, "password");
    if (pw) {
        /* Hashed by user_prepare() outside the transaction when the API writes; the
         * command line and the demo, which hold their own transaction, hash here. */
        const char *hash = x->prepared ? res_str(x->prepared, "password_hash") : NULL;
        char own[PASSWORD_HASH_MAX];
        if (!hash) {
            int rc = password_rule_check(pw, u, err);
            if (rc < 0)
                return rc;
            if (password_hash(pw, own) < 0)
                return rerr_set(err, R_EINTERNAL, "internal", "", "密码处理失败");
            hash = own;
        }
        json_object_set_new(row, "password_hash", json_string(hash));
        json_object_del(row, "password");
    }
    /* Nobody raises an account above their own scope: a county administrator cannot make
     * a city account, and nobody edits their own role. */
    if (before && res_int(before, "id") == x->who->user_id &&
        (strcmp(res_str(before, "role"), res_str(row, "role")) || res_int(row, "disabled")))
        return rerr_set(err, R_EFORBID, "forbidden", "role", "不能修改自己的角色或停用自己");
    return 0;
}

/* A password in the body is checked against the rules and hashed here, before the
 * write transaction and after the engine has decided the actor may write this user. */
static int user_prepare(struct res_ctx *x, json_t *body, json_t *before, struct rerr *err)
{
    json_t *pw = json_object_get(body, "password");
    if (!json_is_string(pw) || !*json_string_value(pw))
        return 0; /* absent, or wrong: the checks in the transaction say what is wrong */
    const char *username = res_str(body, "username");
    if (!username && before)
        username = res_str(before, "username");
    int rc = password_rule_check(json_string_value(pw), username ? username : "", err);
    if (rc < 0)
        return rc;
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(json_string_value(pw), hash) < 0)
        return rerr_set(err, R_EINTERNAL, "internal", "", "密码处理失败");
    x->prepared = json_pack("{s:s}", "password_hash", hash);
    return x->prepared ? 0 : rerr_set(err, R_EINTERNAL, "internal", "", "密码处理失败");
}

/* A user who has ever signed in stays, disabled: their sessions and the audit entries
 * that name them keep meaning someone. Only an account never used may be deleted. */
static int user_removable(struct res_ctx *x, json_t *before, struct rerr *err)
{
    store_stmt *st = store_prepare(x->c, "SELECT EXISTS (SELECT 1 FROM sessions WHERE user_id = ?)"
                                         " OR EXISTS (SELECT 1 FROM audit WHERE entity = 'session'"
                                         " AND entity_id = ? AND action = 'login')");
    store_bind_int(st, 1, res_int(before, "id"));
    store_bind_int(st, 2, res_int(before, "id"));
    int rc = store_step(st, err);
    bool used = rc == STORE_ROW && store_col_int(st, 0);
    store_done(st);
    if (rc < 0)
        return rc;
    if (used)
        return rerr_set(err, R_ECONFLICT, "user_has_signed_in", "",
                        "用户“%s”已登录过系统，不能删除（审计记录需保留其身份）；请改为停用该用户",
                        res_str(before, "username"));
    return 0;
}

/* POST /users/<id>/unlock: lift the user's login limits (auth/throttle.h). City
 * administrators only, decided before the user is looked up so that 403 tells nothing. */
static int unlock_action(struct res_ctx *x, int64_t id, json_t *body, json_t **out, struct rerr *err)
{
    struct row_scope anywhere = {0};
    int rc = authz_write_row(x->who, WRITE_CITY_ADMIN, &anywhere, err);
    return rc < 0 ? rc : throttle_unlock(x->c, x->who, id, out, err);
}

static const struct res_action user_actions[] = {
    {.name = "unlock", .method = "POST", .status = 200, .run = unlock_action},
    {0},
};

const struct resource res_users = {
    .name = "users",
    .table = "users",
    .label = "用户",
    .fields = user_fields,
    .nfields = sizeof user_fields / sizeof user_fields[0],
    .extras = "(SELECT name FROM procuratorates p WHERE p.id = t.procuratorate_id) AS procuratorate_name,"
              " (SELECT name FROM branches b WHERE b.id = t.branch_id) AS branch_name,"
              " (EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = t.id) OR EXISTS (SELECT 1 FROM audit a"
              " WHERE a.entity = 'session' AND a.entity_id = t.id AND a.action = 'login')) AS has_signed_in",
    .ignored = "procuratorate_name branch_name has_signed_in",
    .read = READ_ADMIN,
    .write = WRITE_ADMIN,
    .export = EXPORT_ADMIN,
    .default_sort = "username",
    .by_procuratorate = true,
    .check = user_check,
    .required_if = user_required,
    .prepare = user_prepare,
    .removable = user_removable,
    .actions = user_actions,
};
