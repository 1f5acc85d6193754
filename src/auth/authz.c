#include "auth/authz.h"

#include <stdio.h>
#include <string.h>

const char *role_name(enum role r)
{
    switch (r) {
    case ROLE_ADMIN:
        return "admin";
    case ROLE_VIEWER:
        return "viewer";
    case ROLE_SECRETARY:
        return "secretary";
    case ROLE_SYSTEM:
        return "system";
    default:
        return "none";
    }
}

enum role role_parse(const char *s)
{
    if (!strcmp(s, "admin"))
        return ROLE_ADMIN;
    if (!strcmp(s, "viewer"))
        return ROLE_VIEWER;
    if (!strcmp(s, "secretary"))
        return ROLE_SECRETARY;
    return ROLE_NONE;
}

void actor_system(struct actor *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", "system");
    a->role = ROLE_SYSTEM;
    a->scope_all = true;
}

int authz_read_collection(const struct actor *a, enum read_policy p, struct rerr *err)
{
    if (a->role == ROLE_NONE)
        return rerr_set(err, R_EAUTH, "unauthenticated", "", "请先登录");
    if (p == READ_ADMIN && a->role != ROLE_ADMIN && a->role != ROLE_VIEWER && a->role != ROLE_SYSTEM)
        return rerr_set(err, R_EFORBID, "forbidden", "", "只有管理员和领导可以查看");
    return 0;
}

bool authz_read_narrowed(const struct actor *a, enum read_policy p, int64_t *proc_id)
{
    if (p == READ_SIGNED_IN || a->scope_all)
        return false;
    *proc_id = a->procuratorate_id;
    return true;
}

bool authz_read_own_rows(const struct actor *a, enum read_policy p)
{
    return p == READ_OWN && a->role != ROLE_ADMIN && a->role != ROLE_VIEWER && a->role != ROLE_SYSTEM;
}

bool authz_reveal_personal(const struct actor *a)
{
    return a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM;
}

bool authz_can_write_any(const struct actor *a)
{
    return a->role == ROLE_ADMIN || a->role == ROLE_SECRETARY || a->role == ROLE_SYSTEM;
}

int authz_write_row(const struct actor *a, enum write_policy p, const struct row_scope *s, struct rerr *err)
{
    if (a->role == ROLE_NONE)
        return rerr_set(err, R_EAUTH, "unauthenticated", "", "请先登录");
    if (a->role == ROLE_SYSTEM)
        return 0;
    if (p == WRITE_NONE || a->role == ROLE_VIEWER)
        return rerr_set(err, R_EFORBID, "forbidden", "", "当前账号只能查看，不能修改");
    if (a->role == ROLE_ADMIN) {
        if (a->scope_all)
            return 0;
        if (p == WRITE_CITY_ADMIN)
            return rerr_set(err, R_EFORBID, "forbidden", "", "此操作仅限市院管理员");
        if (s->procuratorate_id == a->procuratorate_id)
            return 0;
        return rerr_set(err, R_EFORBID, "forbidden", "", "无权修改其他检察院的数据");
    }
    if (a->role == ROLE_SECRETARY) {
        if (p == WRITE_BRANCH && a->branch_id && s->branch_id == a->branch_id)
            return 0;
        return rerr_set(err, R_EFORBID, "forbidden", "", "支部书记只能修改本支部的记录");
    }
    return rerr_set(err, R_EFORBID, "forbidden", "", "无权操作");
}

int authz_export_collection(const struct actor *a, enum read_policy rp, enum export_policy ep,
                            struct rerr *err)
{
    int rc = authz_read_collection(a, rp, err);
    if (rc < 0)
        return rc;
    if (a->role == ROLE_SYSTEM || ep == EXPORT_READERS)
        return 0;
    if (ep == EXPORT_ADMIN && a->role == ROLE_ADMIN)
        return 0;
    if (ep == EXPORT_ADMIN)
        return rerr_set(err, R_EFORBID, "forbidden", "", "只有管理员可以导出这些数据（含个人信息）");
    return rerr_set(err, R_EFORBID, "forbidden", "", "这些数据不提供导出");
}

/* Whether some row exists that "a" may write under policy "p": authz_write_row's rules
 * without a row. */
static bool may_write_some(const struct actor *a, enum write_policy p)
{
    switch (a->role) {
    case ROLE_SYSTEM:
        return true;
    case ROLE_ADMIN:
        return p != WRITE_NONE && (p != WRITE_CITY_ADMIN || a->scope_all);
    case ROLE_SECRETARY:
        return p == WRITE_BRANCH && a->branch_id;
    default:
        return false;
    }
}

void authz_collection(const struct actor *a, enum read_policy rp, enum write_policy wp, enum export_policy ep,
                      struct authz_may *out)
{
    bool read = authz_read_collection(a, rp, NULL) == 0;
    bool write = read && may_write_some(a, wp);
    *out = (struct authz_may){.read = read,
                              .create = write,
                              .update = write,
                              .del = write,
                              .export = authz_export_collection(a, rp, ep, NULL) == 0};
}
