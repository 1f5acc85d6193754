/*
 * attachment: the attachments collection (see attachment.h).
 *
 * The one write of a new attachment is attachment_upload(): the file is placed first
 * (files_tmp_commit: durable at its content path), then the row is created through the
 * engine (res_create_in: validation, scope, the audit entry, in one transaction) with
 * what the upload measured handed to the check hook in x->prepared; a JSON POST or a
 * PATCH, which come without it, are refused by the hook. Placing a file and committing
 * the row that names it, and deleting a row and removing the file no other row names,
 * each happen under files_lock, so a file is never removed between an upload finding it
 * there and its row committing.
 */
#include "domain/attachment.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/audit.h"
#include "base/log.h"
#include "base/text.h"
#include "domain/filetype.h"
#include "domain/item.h"

static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;

/* The collections whose records may carry attachments (the CHECK IN of the table): the
 * ledgers of issue 7 and honours (a certificate's scan). One that is not served (not
 * registered in this build) is refused like an unknown one. */
static const char *const owner_colls[] = {"activities",  "patrols",  "projects", "outreach", "cases",
                                          "pil-matters", "requests", "honours",  NULL};

/* Not const: the size's bounds are set to the configured limit (attachment_configure),
 * so that _meta tells the interface what the server takes before a byte is sent. */
#define SIZE_FIELD 4
static struct field attachment_fields[] = {
    {"owner_coll", "所属记录类型", FT_ENUM, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, owner_colls, NULL, 0, 0},
    {"owner_id", "所属记录", FT_INT, FF_REQUIRED | FF_WRITE | FF_FILTER, 0, NULL, NULL, 0, 0},
    {"name", "文件名", FT_TEXT, FF_REQUIRED | FF_WRITE | FF_SORT | FF_SEARCH, ATTACHMENT_NAME_MAX, NULL, NULL,
     0, 0},
    {"content_type", "文件类型", FT_ENUM, FF_DERIVED | FF_FILTER, 0, filetype_allowed, NULL, 0, 0},
    {"size", "大小（字节）", FT_INT, FF_DERIVED | FF_SORT, 0, NULL, NULL, 0, 0},
    {"sha256", "SHA-256 摘要", FT_TEXT, FF_DERIVED, FILES_HEX_LEN, NULL, NULL, 0, 0},
    {"uploaded_by", "上传人", FT_REF, FF_DERIVED, 0, NULL, "users", 0, 0},
    {"uploaded_by_name", "上传人", FT_TEXT, FF_DERIVED, 100, NULL, NULL, 0, 0},
    RES_DERIVED_PROC_FIELD,
    RES_DERIVED_BRANCH_FIELD,
    {"created_at", "上传时间", FT_TEXT, FF_SORT, 0, NULL, NULL, 0, 0},
    RES_SAMPLE_FIELD,
};

/* ---------------------------------------------------------------- the owner */

struct owner {
    const struct resource *r;
    struct row_scope scope;
};

/* The owner record "coll"/"id": a collection that may own attachments and is served
 * (400 on owner_coll otherwise), a row that exists and "x->who" may read (item_check:
 * 422 invalid_reference on owner_id otherwise, one it may not read answered as absent). */
static int owner_find(struct res_ctx *x, const char *coll, int64_t id, struct owner *o, struct rerr *err)
{
    bool allowed = false;
    for (int i = 0; coll && owner_colls[i]; i++)
        allowed |= !strcmp(owner_colls[i], coll);
    o->r = allowed ? res_find(coll) : NULL;
    if (!o->r)
        return rerr_set(err, R_EINVAL, "invalid_value", "owner_coll", "不能给这类记录添加附件：%.40s",
                        coll ? coll : "");
    struct item_ref ref;
    int rc = item_check(x, coll, id, owner_colls, "owner_id", &ref, err);
    if (rc < 0)
        return rc;
    o->scope = (struct row_scope){.procuratorate_id = ref.procuratorate_id, .branch_id = ref.branch_id};
    return 0;
}

/* Whether the owner of stored attachment "rec" is gone (deleted since, or of a kind this
 * build does not serve): then the attachment's own scope decides alone. An owner that is
 * there but that "x->who" may not read is not gone. */
static bool owner_gone(struct res_ctx *x, json_t *rec)
{
    struct item_ref ref;
    struct rerr ignored = {0};
    const char *coll = res_str(rec, "owner_coll");
    return !coll || !res_find(coll) ||
           item_describe(x, coll, res_int(rec, "owner_id"), &ref, &ignored) == R_ENOTFOUND;
}

/* The owner, which "x->who" must also be allowed to write (the owner's own policy). */
static int owner_writable(struct res_ctx *x, const char *coll, int64_t id, struct owner *o, struct rerr *err)
{
    int rc = owner_find(x, coll, id, o, err);
    return rc < 0 ? rc : authz_write_row(x->who, o->r->write, &o->scope, err);
}

/* ---------------------------------------------------------------- hooks */

/* Only from an upload (x->prepared: what it measured; never changed: .immutable); the
 * scope and the uploader taken from the owner and the actor. */
static int attachment_check(struct res_ctx *x, json_t *row, json_t *before, struct rerr *err)
{
    (void)before;
    json_t *p = x->prepared;
    if (!json_is_object(p))
        return rerr_set(err, R_EINVAL, "upload_required", "",
                        "附件须以文件本身上传：POST /api/v1/attachments?owner_coll=…&owner_id=…&name=…"
                        "（Content-Type: application/octet-stream）");
    struct owner o;
    int rc = owner_writable(x, res_str(row, "owner_coll"), res_int(row, "owner_id"), &o, err);
    if (rc < 0)
        return rc;
    json_object_set_new(row, "procuratorate_id", json_integer(o.scope.procuratorate_id));
    json_object_set_new(row, "branch_id", o.scope.branch_id ? json_integer(o.scope.branch_id) : json_null());
    json_object_set(row, "content_type", json_object_get(p, "content_type"));
    json_object_set(row, "size", json_object_get(p, "size"));
    json_object_set(row, "sha256", json_object_get(p, "sha256"));
    json_object_set_new(row, "uploaded_by", x->who->user_id ? json_integer(x->who->user_id) : json_null());
    const char *who = x->who->username;
    store_stmt *st = store_prepare(x->c, "SELECT display_name FROM users WHERE id = ?");
    store_bind_int(st, 1, x->who->user_id);
    if (store_step(st, NULL) == STORE_ROW)
        who = arena_strdup(x->a, store_col_text(st, 0));
    store_done(st);
    /* the operators that are not people read as the audit log names them (audit_log.c) */
    if (!x->who->user_id)
        who = !strcmp(who, "demo") ? "示例数据（系统生成）" : "系统";
    json_object_set_new(row, "uploaded_by_name", json_string(who));
    return 0;
}

/* Deleting needs the right to write the owner as well; an owner that is gone (a record
 * deleted since) leaves the attachment's own scope to decide. An owner the actor may not
 * read: 422, as if absent. */
static int attachment_removable(struct res_ctx *x, json_t *before, struct rerr *err)
{
    struct owner o;
    if (owner_gone(x, before))
        return 0;
    int rc = owner_find(x, res_str(before, "owner_coll"), res_int(before, "owner_id"), &o, err);
    return rc < 0 ? rc : authz_write_row(x->who, o.r->write, &o.scope, err);
}

/* ---------------------------------------------------------------- download */

/* RFC 6266's ASCII fallback: the name's letters, digits, '.', '-' and '_' (others '_'),
 * keeping its extension readable. */
static void ascii_name(const char *name, int64_t id, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < cap; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(".-_", *p))
            out[n++] = *p;
    out[n] = 0;
    if (n && out[0] != '.')
        return;
    char ext[16] = "";
    const char *dot = strrchr(out, '.');
    if (dot && strlen(dot) < sizeof ext)
        memcpy(ext, dot, strlen(dot) + 1);
    snprintf(out, cap, "attachment-%" PRId64 "%s", id, ext);
}

static int attachment_download(struct res_ctx *x, int64_t id, struct res_file *out, struct rerr *err)
{
    json_t *rec;
    int rc = res_get(x, &res_attachments, id, &rec, err);
    if (rc < 0)
        return rc;
    struct owner o;
    const char *hex = res_str(rec, "sha256"), *name = res_str(rec, "name"),
               *type = res_str(rec, "content_type");
    if (!owner_gone(x, rec) && /* else the row's own scope (res_get above) decides */
        (rc = owner_find(x, res_str(rec, "owner_coll"), res_int(rec, "owner_id"), &o, err)) == R_EUNPROC)
        rc = rerr_set(err, R_ENOTFOUND, "not_found", "",
                      "附件不存在或无权查看"); /* its record is not the reader's */
    int fd = -1;
    int64_t size = 0;
    if (rc == 0)
        rc = files_open_read(hex, &fd, &size, err);
    if (rc < 0) {
        json_decref(rec);
        return rc;
    }
    out->fd = fd;
    out->size = size;
    ascii_name(name, id, out->name, sizeof out->name);
    out->display_name = arena_strdup(x->a, name);
    out->content_type = "application/octet-stream";
    for (int i = 0; filetype_allowed[i]; i++)
        if (!strcmp(filetype_allowed[i], type))
            out->content_type =
                !strcmp(type, "text/plain") ? "text/plain; charset=utf-8" : filetype_allowed[i];
    /* A copy of the file leaves the server: recorded as the jobs' downloads are. */
    json_t *after = json_pack("{s:s, s:s, s:I}", "name", name, "sha256", hex, "size", (json_int_t)size);
    if ((rc = store_begin(x->c, err)) == 0 &&
        (rc = audit_append(x->c, x->who, "download", "attachments", id, res_int(rec, "procuratorate_id"),
                           NULL, after, err)) == 0)
        rc = store_commit(x->c, err);
    else
        store_rollback(x->c);
    json_decref(after);
    json_decref(rec);
    if (rc < 0) {
        close(fd);
        return rc;
    }
    return 0;
}

static const struct res_action attachment_actions[] = {
    {.name = "download", .method = "GET", .status = 200, .file = attachment_download},
    {0},
};

const struct resource res_attachments = {
    .name = "attachments",
    .table = "attachments",
    .label = "附件",
    .fields = attachment_fields,
    .nfields = sizeof attachment_fields / sizeof attachment_fields[0],
    .read = READ_SCOPED,
    .write = WRITE_BRANCH,
    .export = EXPORT_ADMIN,
    .default_sort = "-id",
    .title = "t.name",
    .date = "substr(t.created_at, 1, 10)",
    .immutable = true,
    .check = attachment_check,
    .removable = attachment_removable,
    .actions = attachment_actions,
};

/* ---------------------------------------------------------------- upload, delete, sweep */

void attachment_configure(void)
{
    CHECK(!strcmp(attachment_fields[SIZE_FIELD].name, "size"));
    attachment_fields[SIZE_FIELD].min = 1;
    attachment_fields[SIZE_FIELD].max = files_max_bytes();
}

const char *attachment_clean_name(arena *a, const char *name)
{
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    char *out = arena_alloc(a, strlen(base) + 1);
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)base; *p;) {
        unsigned char c = *p;
        size_t k = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
        uint32_t cp = k == 1 ? c : c & (0x7f >> k);
        for (size_t j = 1; j < k && p[j]; j++)
            cp = cp << 6 | (p[j] & 0x3f);
        bool drop = cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
                    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp == 0xfeff;
        if (!drop) {
            memcpy(out + n, p, k);
            n += k;
        }
        p += k;
    }
    out[n] = 0;
    /* trim spaces (and ideographic spaces) at both ends */
    char *s = out;
    for (;;) {
        if (*s == ' ')
            s++;
        else if (!strncmp(s, "\xe3\x80\x80", 3))
            s += 3;
        else
            break;
    }
    for (size_t len = strlen(s); len;) {
        if (s[len - 1] == ' ')
            s[--len] = 0;
        else if (len >= 3 && !strcmp(s + len - 3, "\xe3\x80\x80"))
            s[len -= 3] = 0;
        else
            break;
    }
    return *s ? s : "附件";
}

/* Whether "s" is well-formed UTF-8 (control characters or not). */
static bool utf8_valid(arena *a, const char *s)
{
    char *copy = arena_strdup(a, s);
    text_utf8_repair(copy);
    return !strcmp(copy, s);
}

static int parse_owner_id(const char *s, int64_t *id)
{
    if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
        return -1;
    *id = strtoll(s, NULL, 10);
    return *id > 0 ? 0 : -1;
}

/* Whether a row names "hex". 1, 0, or negative. */
static int hex_used(store_conn *c, const char *hex)
{
    store_stmt *st = store_prepare(c, "SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1");
    store_bind_text(st, 1, hex);
    int rc = store_step(st, NULL);
    store_done(st);
    return rc < 0 ? rc : rc == STORE_ROW;
}

/* attachment_upload() and attachment_create_in(): "own" says whether the row is written
 * in a transaction of its own (committed here) or in the caller's. */
static int place(struct res_ctx *x, const char *owner_coll, const char *owner_id, const char *name,
                 files_tmp *t, bool own, bool sample, json_t **out, struct rerr *err)
{
    int64_t oid = 0;
    struct owner o;
    int rc = 0;
    *out = NULL;
    if (!owner_coll || !*owner_coll)
        rc = rerr_set(err, R_EINVAL, "required", "owner_coll", "请指定附件所属记录的类型 owner_coll");
    else if (parse_owner_id(owner_id, &oid) < 0)
        rc = rerr_set(err, R_EINVAL, "required", "owner_id", "请指定附件所属记录的编号 owner_id（正整数）");
    else if (!name || !*name)
        rc = rerr_set(err, R_EINVAL, "required", "name", "请提供文件名 name");
    else if (!utf8_valid(x->a, name)) /* control characters are allowed here: cleaned below */
        rc = rerr_set(err, R_EINVAL, "invalid_text", "name", "文件名不是有效的 UTF-8 文本");
    /* Refused as early as possible, before the file is placed: nothing to clean up. */
    if (rc == 0)
        rc = owner_writable(x, owner_coll, oid, &o, err);
    const char *shown = rc == 0 ? attachment_clean_name(x->a, name) : NULL;
    if (rc == 0 && text_utf8_len(shown) > ATTACHMENT_NAME_MAX)
        rc = rerr_set(err, R_EINVAL, "too_long", "name", "文件名不能超过 %d 个字符", ATTACHMENT_NAME_MAX);
    int64_t size = t ? files_tmp_size(t) : 0;
    if (rc == 0 && !size)
        rc = rerr_set(err, R_EINVAL, "empty_file", "file", "上传的文件是空的");
    const char *type = rc == 0 ? filetype_detect(files_tmp_fd(t), size, shown) : NULL;
    if (rc == 0 && !type)
        rc = rerr_set(err, R_EMEDIA, "unsupported_type", "file",
                      "不支持的文件类型（按文件内容识别，与文件名无关）：只接受 PDF、JPEG、PNG、WebP 图片、"
                      "Word（DOCX/DOC）、Excel（XLSX/XLS）和纯文本（UTF-8）");
    if (rc < 0) {
        files_tmp_abort(t);
        return rc;
    }
    char hex[FILES_HEX_LEN + 1];
    pthread_mutex_lock(&files_lock);
    if ((rc = files_tmp_commit(t, hex, err)) < 0) {
        pthread_mutex_unlock(&files_lock);
        return rc;
    }
    x->prepared = json_pack("{s:s, s:I, s:s}", "content_type", type, "size", (json_int_t)size, "sha256", hex);
    json_t *body = json_pack("{s:s, s:I, s:s, s:b}", "owner_coll", owner_coll, "owner_id", (json_int_t)oid,
                             "name", shown, "sample", sample);
    if (!own || (rc = store_begin(x->c, err)) == 0) {
        rc = res_create_in(x, &res_attachments, body, out, err);
        if (own && rc == 0)
            rc = store_commit(x->c, err);
        else if (own)
            store_rollback(x->c);
    }
    json_decref(body);
    json_decref(x->prepared);
    x->prepared = NULL;
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
        if (hex_used(x->c, hex) == 0) /* refused: the file goes unless another row names it */
            files_remove(hex);
    }
    pthread_mutex_unlock(&files_lock);
    return rc;
}

int attachment_upload(struct res_ctx *x, const char *owner_coll, const char *owner_id, const char *name,
                      files_tmp *t, json_t **out, struct rerr *err)
{
    return place(x, owner_coll, owner_id, name, t, true, false, out, err);
}

int attachment_create_in(struct res_ctx *x, const char *owner_coll, int64_t owner_id, const char *name,
                         const void *bytes, size_t n, bool sample, json_t **out, struct rerr *err)
{
    files_tmp *t = files_tmp_open(err);
    if (!t)
        return R_EBUSY;
    if (files_tmp_write(t, bytes, n) < 0) {
        files_tmp_abort(t);
        return rerr_set(err, R_EBUSY, "no_storage", "", "服务器无法保存文件（磁盘已满或不可写）");
    }
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, owner_id);
    return place(x, owner_coll, id, name, t, false, sample, out, err);
}

int attachment_delete(struct res_ctx *x, int64_t id, int64_t version, struct rerr *err)
{
    json_t *rec;
    int rc = res_get(x, &res_attachments, id, &rec, err);
    if (rc < 0)
        return rc;
    char hex[FILES_HEX_LEN + 1];
    snprintf(hex, sizeof hex, "%s", res_str(rec, "sha256"));
    json_decref(rec);
    pthread_mutex_lock(&files_lock);
    rc = res_delete(x, &res_attachments, id, version, err);
    if (rc == 0 && hex_used(x->c, hex) == 0 && files_remove(hex) < 0)
        log_warn("无法删除附件文件 %s（将由清理任务处理）", hex);
    pthread_mutex_unlock(&files_lock);
    return rc;
}

int attachment_owner_removable(struct res_ctx *x, const struct resource *r, int64_t id, struct rerr *err)
{
    bool owner = false;
    for (int i = 0; owner_colls[i]; i++)
        owner |= !strcmp(owner_colls[i], r->name);
    if (!owner)
        return 0;
    store_stmt *st =
        store_prepare(x->c, "SELECT count(*) FROM attachments WHERE owner_coll = ? AND owner_id = ?");
    store_bind_text(st, 1, r->name);
    store_bind_int(st, 2, id);
    int rc = store_step(st, err);
    int64_t n = rc == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    if (rc < 0)
        return rc;
    return n ? rerr_set(err, R_ECONFLICT, "in_use", "", "该%s还有 %" PRId64 " 个附件，请先删除附件", r->label,
                        n)
             : 0;
}

static int sweep_used(void *arg, const char *hex)
{
    return hex_used(arg, hex);
}

int attachment_sweep(store_conn *c, int grace_s, int *removed, struct rerr *err)
{
    pthread_mutex_lock(&files_lock);
    int rc = files_sweep(sweep_used, c, grace_s, removed, err);
    pthread_mutex_unlock(&files_lock);
    return rc;
}
