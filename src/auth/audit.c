/*
 * audit: the chained, keyed audit record (formats and files: audit.h; what it proves and
 * against whom: docs/audit.md).
 *
 * A store with a key carries a struct audit_state (store_set_ext): the key, the paths of
 * the key and anchors files, and the anchoring bookkeeping. audit_append() runs in every
 * write transaction: it reads the chain's last row and the head (two indexed lookups),
 * checks that they agree and that the head is authenticated, and computes three HMACs.
 * Anchors are written off that path (a thread, or at close), each with one fsync.
 */
#include "auth/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/text.h"

#define MAC_BYTES crypto_auth_hmacsha256_BYTES /* 32 */
#define KEY_BYTES crypto_auth_hmacsha256_KEYBYTES
#define HEX_BYTES (2 * MAC_BYTES + 1)
#define AUDIT_MAGIC 0x41554454u
#define PATH_CAP 4200

static const char head_label[] = "ronghe-audit-head";         /* followed by a 0 byte */
static const char anchor_prefix[] = "ronghe-audit-anchor 1 "; /* the anchor line's start */

struct audit_state {
    unsigned magic;
    unsigned char key[KEY_BYTES];
    char key_path[PATH_CAP], anchors_path[PATH_CAP];
    /* anchoring: "appended" counts this process's entries since open (never reset);
     * "anchored_at" is its value at the last anchor this process wrote; "floor" the
     * highest count any anchor this process knows of has recorded. */
    _Atomic int64_t appended, anchored_at, floor;
    pthread_mutex_t lock; /* the fields below, "anchored_at"'s writes, one anchor write at a time */
    pthread_cond_t wake;
    int64_t anchored_count;
    bool thread_running, stop;
    pthread_t thread;
    store *s;
    /* a batch (audit_batch_begin .. _end): the connection whose entries chain in memory
     * from (batch_count, batch_mac), and whether the head is behind them. Only the writer
     * holding the write lock touches the two fields; "batch" is read by every append. */
    _Atomic(store_conn *) batch;
    int64_t batch_start, batch_count;
    unsigned char batch_mac[MAC_BYTES];
};

/* ------------------------------------------------------------------ encoding */

struct wbuf {
    unsigned char *p;
    size_t cap, len;
};

static void put(struct wbuf *w, const void *src, size_t n)
{
    if (w->len < w->cap) {
        size_t room = w->cap - w->len;
        memcpy(w->p + w->len, src, n < room ? n : room);
    }
    w->len += n;
}

static void put_u64(struct wbuf *w, uint64_t v)
{
    unsigned char b[8];
    for (int i = 7; i >= 0; i--, v >>= 8)
        b[i] = (unsigned char)(v & 0xff);
    put(w, b, sizeof b);
}

static void put_int(struct wbuf *w, int64_t v)
{
    put(w, "I", 1);
    put_u64(w, (uint64_t)v);
}

static void put_text(struct wbuf *w, const char *s)
{
    if (!s) {
        put(w, "N", 1);
        return;
    }
    size_t n = strlen(s);
    put(w, "S", 1);
    put_u64(w, (uint64_t)n);
    put(w, s, n);
}

size_t audit_encode(const struct audit_entry *e, unsigned char *buf, size_t cap)
{
    struct wbuf w = {.p = buf, .cap = buf ? cap : 0};
    const unsigned char version = AUDIT_FORMAT;
    put(&w, "RHAU", 4);
    put(&w, &version, 1);
    put_int(&w, e->id);
    put_text(&w, e->ts);
    put_int(&w, e->user_id);
    put_text(&w, e->username);
    put_text(&w, e->action);
    put_text(&w, e->entity);
    put_int(&w, e->entity_id);
    put_int(&w, e->procuratorate_id);
    put_text(&w, e->before);
    put_text(&w, e->after);
    return w.len;
}

/* ------------------------------------------------------------------ the two formulas */

/* Format 2: HMAC(key, prev ‖ encode(e)). */
static void entry_mac(const unsigned char key[KEY_BYTES], const unsigned char prev[MAC_BYTES],
                      const struct audit_entry *e, unsigned char out[MAC_BYTES])
{
    unsigned char small[2048];
    size_t n = audit_encode(e, small, sizeof small);
    unsigned char *enc = small;
    if (n > sizeof small) {
        if (!(enc = malloc(n)))
            die("内存不足 (audit)");
        audit_encode(e, enc, n);
    }
    crypto_auth_hmacsha256_state h;
    crypto_auth_hmacsha256_init(&h, key, KEY_BYTES);
    crypto_auth_hmacsha256_update(&h, prev, MAC_BYTES);
    crypto_auth_hmacsha256_update(&h, enc, n);
    crypto_auth_hmacsha256_final(&h, out);
    if (enc != small)
        free(enc);
}

static void feed(crypto_hash_sha256_state *h, const char *s)
{
    crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
    crypto_hash_sha256_update(h, (const unsigned char *)"|", 1);
}

static void feed_int(crypto_hash_sha256_state *h, int64_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%" PRId64, v);
    feed(h, num);
}

/* Format 1, as earlier builds wrote it (NULL text fed as ""): verified, never written. */
static void legacy_hash(const char *prev_hex, const struct audit_entry *e, char out[HEX_BYTES])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    feed(&h, prev_hex);
    feed_int(&h, e->id);
    feed(&h, e->ts ? e->ts : "");
    feed_int(&h, e->user_id);
    feed(&h, e->username ? e->username : "");
    feed(&h, e->action ? e->action : "");
    feed(&h, e->entity ? e->entity : "");
    feed_int(&h, e->entity_id);
    feed_int(&h, e->procuratorate_id);
    feed(&h, e->before ? e->before : "");
    feed(&h, e->after ? e->after : "");
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(out, HEX_BYTES, d, sizeof d);
}

static void head_tag(const unsigned char key[KEY_BYTES], int64_t count, const unsigned char mac[MAC_BYTES],
                     unsigned char out[MAC_BYTES])
{
    unsigned char n[8];
    uint64_t v = (uint64_t)count;
    for (int i = 7; i >= 0; i--, v >>= 8)
        n[i] = (unsigned char)(v & 0xff);
    crypto_auth_hmacsha256_state h;
    crypto_auth_hmacsha256_init(&h, key, KEY_BYTES);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)head_label, sizeof head_label); /* with its 0 */
    crypto_auth_hmacsha256_update(&h, n, sizeof n);
    crypto_auth_hmacsha256_update(&h, mac, MAC_BYTES);
    crypto_auth_hmacsha256_final(&h, out);
}

static void text_tag(const unsigned char key[KEY_BYTES], const char *s, size_t n, char out[HEX_BYTES])
{
    unsigned char t[MAC_BYTES];
    crypto_auth_hmacsha256(t, (const unsigned char *)s, n, key);
    sodium_bin2hex(out, HEX_BYTES, t, sizeof t);
}

/* 64 lowercase hex digits into 32 bytes; false for anything else. */
static bool unhex(const char *s, unsigned char out[MAC_BYTES])
{
    if (!s || strlen(s) != 2 * MAC_BYTES)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return sodium_hex2bin(out, MAC_BYTES, s, 2 * MAC_BYTES, NULL, NULL, NULL) == 0;
}

static bool tag_equal(const char *a_hex, const char *b_hex)
{
    return strlen(a_hex) == strlen(b_hex) && sodium_memcmp(a_hex, b_hex, strlen(a_hex)) == 0;
}

/* ------------------------------------------------------------------ the head */

struct head {
    int format; /* 0: absent; 1: "count:hash"; 2: keyed */
    int64_t count;
    char mac[HEX_BYTES]; /* the chain value at "count" */
    char tag[HEX_BYTES]; /* format 2 */
};

static bool parse_i64(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 18)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Parse meta.audit_head; false when it is neither format. */
static bool head_parse(const char *v, struct head *h)
{
    memset(h, 0, sizeof *h);
    const char *p = v;
    if (!strncmp(p, "v2:", 3)) { /* a format-1 head starts with a digit */
        p += 3;
        const char *c1 = strchr(p, ':');
        if (!c1 || !parse_i64(p, (size_t)(c1 - p), &h->count))
            return false;
        const char *c2 = strchr(c1 + 1, ':');
        if (!c2 || c2 - (c1 + 1) != 2 * MAC_BYTES || strlen(c2 + 1) != 2 * MAC_BYTES)
            return false;
        memcpy(h->mac, c1 + 1, 2 * MAC_BYTES);
        memcpy(h->tag, c2 + 1, 2 * MAC_BYTES);
        h->format = 2;
        return true;
    }
    const char *c = strchr(p, ':');
    if (!c || !parse_i64(p, (size_t)(c - p), &h->count) || strlen(c + 1) != 2 * MAC_BYTES)
        return false;
    memcpy(h->mac, c + 1, 2 * MAC_BYTES);
    h->format = 1;
    return true;
}

/* True when a format-2 head's tag is the key's. */
static bool head_authentic(const unsigned char key[KEY_BYTES], const struct head *h)
{
    unsigned char mac[MAC_BYTES], t[MAC_BYTES];
    char hex[HEX_BYTES];
    if (h->format != 2 || !unhex(h->mac, mac))
        return false;
    head_tag(key, h->count, mac, t);
    sodium_bin2hex(hex, sizeof hex, t, sizeof t);
    return tag_equal(hex, h->tag);
}

static void head_format(const unsigned char key[KEY_BYTES], int64_t count, const unsigned char mac[MAC_BYTES],
                        char *out, size_t cap)
{
    unsigned char t[MAC_BYTES];
    char mac_hex[HEX_BYTES], tag_hex[HEX_BYTES];
    head_tag(key, count, mac, t);
    sodium_bin2hex(mac_hex, sizeof mac_hex, mac, MAC_BYTES);
    sodium_bin2hex(tag_hex, sizeof tag_hex, t, sizeof t);
    snprintf(out, cap, "v2:%" PRId64 ":%s:%s", count, mac_hex, tag_hex);
}

static int read_head(store_conn *c, struct head *h, bool *valid, struct rerr *err)
{
    memset(h, 0, sizeof *h);
    *valid = true;
    store_stmt *st = store_prepare(c, "SELECT value FROM meta WHERE key = 'audit_head'");
    int rc = store_step(st, err);
    if (rc == STORE_ROW)
        *valid = head_parse(store_col_text(st, 0), h);
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* The chain's last row: id, hash (hex) and format; id 0 for an empty table. */
struct last {
    int64_t id;
    int fmt;
    char hash[HEX_BYTES];
};

static int read_last(store_conn *c, struct last *l, struct rerr *err)
{
    memset(l, 0, sizeof *l);
    store_stmt *st = store_prepare(c, "SELECT id, hash, fmt FROM audit ORDER BY id DESC LIMIT 1");
    int rc = store_step(st, err);
    if (rc == STORE_ROW) {
        l->id = store_col_int(st, 0);
        snprintf(l->hash, sizeof l->hash, "%s", store_col_text(st, 1));
        l->fmt = (int)store_col_int(st, 2);
    }
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* The chain's end as stored: its last row and its head. */
struct tail {
    struct last l;
    struct head h;
    bool valid; /* the head parses */
};

static int read_tail(store_conn *c, struct tail *t, struct rerr *err)
{
    int rc = read_last(c, &t->l, err);
    return rc < 0 ? rc : read_head(c, &t->h, &t->valid, err);
}

static int chain_refused(struct rerr *err, const char *why)
{
    return rerr_set(err, R_EINTERNAL, "audit_chain", "",
                    "审计链异常，拒绝写入：%s（请运行 ronghe audit verify 检查）", why);
}

/* The tail a new entry is chained to: the last row, checked against the head. Inside
 * the caller's write transaction. */
static int tail_for_append(store_conn *c, const struct audit_state *st, int64_t *count,
                           unsigned char mac[MAC_BYTES], struct rerr *err)
{
    struct tail t;
    int rc = read_tail(c, &t, err);
    if (rc < 0)
        return rc;
    const struct last l = t.l;
    const struct head h = t.h;
    if (!t.valid)
        return chain_refused(err, "链头格式错误");
    if (l.id == 0 && h.format == 0) {
        *count = 0;
        memset(mac, 0, MAC_BYTES);
    } else if (l.id == 0) {
        return chain_refused(err, "审计表为空而链头仍在：记录被删除");
    } else if (h.format == 0) {
        return chain_refused(err, "链头缺失");
    } else if (h.format == 2 && !head_authentic(st->key, &h)) {
        return chain_refused(err, "链头的校验码不符（链头被篡改，或密钥文件不是这个库的）");
    } else if (h.format == 1 && l.fmt != 1) {
        return chain_refused(err, "链头为旧格式而最后一条记录有密钥");
    } else if (h.count != l.id || strcmp(h.mac, l.hash) != 0) {
        return chain_refused(err, "最后一条记录与链头不符（记录被删除或修改）");
    } else if (!unhex(l.hash, mac)) {
        return chain_refused(err, "最后一条记录的链值格式错误");
    } else {
        *count = l.id;
    }
    if (*count < atomic_load(&st->floor))
        return chain_refused(err, "审计链比已写入的锚点短（记录被截断）");
    return 0;
}

/* ------------------------------------------------------------------ files */

static int files_path(char *out, const char *db_path, const char *suffix, struct rerr *err)
{
    int n = snprintf(out, PATH_CAP, "%s%s", db_path, suffix);
    if (n < 0 || n >= PATH_CAP)
        return rerr_set(err, R_EINVAL, "path", "db", "数据库路径过长");
    return 0;
}

static void fsync_dir_of(const char *path)
{
    char dir[PATH_CAP];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = 0;
    else if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Load the 32-byte key at "path". R_ENOTFOUND when there is no such file. */
static int key_load(const char *path, unsigned char key[KEY_BYTES], struct rerr *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT)
        return rerr_set(err, R_ENOTFOUND, "audit_key", "key", "审计密钥文件 %s 不存在", path);
    if (fd < 0)
        return rerr_set(err, R_EINVAL, "audit_key", "key", "无法读取审计密钥文件 %s：%s", path,
                        strerror(errno));
    struct stat sb;
    int rc = 0;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size != KEY_BYTES)
        rc = rerr_set(err, R_EINVAL, "audit_key", "key", "审计密钥文件 %s 不是 %d 字节的普通文件", path,
                      KEY_BYTES);
    else if (sb.st_mode & 077)
        rc = rerr_set(err, R_EINVAL, "audit_key", "key",
                      "审计密钥文件 %s 的权限过宽（%03o）：只能由所有者读写（chmod 600）", path,
                      (unsigned)(sb.st_mode & 0777));
    else if (read(fd, key, KEY_BYTES) != KEY_BYTES)
        rc = rerr_set(err, R_EINVAL, "audit_key", "key", "无法读取审计密钥文件 %s", path);
    close(fd);
    return rc;
}

/* Write "n" bytes to a new file "path" (mode 0600) atomically: a temporary file, fsync,
 * then link(), which fails if "path" exists. Returns 0, 1 when "path" already existed
 * (nothing written), or a negative error. */
static int file_create(const char *path, const void *data, size_t n, struct rerr *err)
{
    char tmp[PATH_CAP + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return rerr_set(err, R_EINTERNAL, "audit_key", "", "无法创建 %s：%s", path, strerror(errno));
    if (write_all(fd, data, n) < 0 || fsync(fd) < 0) {
        rerr_set(err, R_EINTERNAL, "audit_key", "", "无法写入 %s：%s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        return err->rc;
    }
    close(fd);
    int rc = link(tmp, path);
    int e = errno;
    unlink(tmp);
    if (rc < 0 && e == EEXIST)
        return 1;
    if (rc < 0)
        return rerr_set(err, R_EINTERNAL, "audit_key", "", "无法创建 %s：%s", path, strerror(e));
    fsync_dir_of(path);
    return 0;
}

static int file_copy(const char *from, const char *to, struct rerr *err)
{
    FILE *f = fopen(from, "rb");
    if (!f)
        return rerr_set(err, R_EINTERNAL, "backup", "", "无法读取 %s：%s", from, strerror(errno));
    int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        fclose(f);
        return rerr_set(err, R_ECONFLICT, "exists", "to", "无法创建 %s：%s", to, strerror(errno));
    }
    char buf[65536];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, f)) > 0)
        if (write_all(fd, buf, n) < 0)
            rc = -1;
    if (rc == 0 && (ferror(f) || fsync(fd) < 0))
        rc = -1;
    fclose(f);
    close(fd);
    if (rc < 0) {
        unlink(to);
        return rerr_set(err, R_EINTERNAL, "backup", "", "无法复制 %s 到 %s", from, to);
    }
    return 0;
}

/* ------------------------------------------------------------------ anchor lines */

struct anchor {
    int64_t count;
    char mac[HEX_BYTES];
    char time[32];
    int64_t line;
};

/* Parse and authenticate one line (without its newline). 0, or -1 malformed, -2 bad tag. */
static int anchor_parse(const unsigned char key[KEY_BYTES], const char *line, struct anchor *a)
{
    size_t pre = sizeof anchor_prefix - 1;
    if (strncmp(line, anchor_prefix, pre) != 0)
        return -1;
    const char *p = line + pre;
    const char *sp1 = strchr(p, ' ');
    if (!sp1 || !parse_i64(p, (size_t)(sp1 - p), &a->count) || a->count < 1)
        return -1;
    const char *sp2 = strchr(sp1 + 1, ' ');
    if (!sp2 || sp2 - (sp1 + 1) != 2 * MAC_BYTES)
        return -1;
    memcpy(a->mac, sp1 + 1, 2 * MAC_BYTES);
    a->mac[2 * MAC_BYTES] = 0;
    unsigned char raw[MAC_BYTES];
    if (!unhex(a->mac, raw))
        return -1;
    const char *sp3 = strchr(sp2 + 1, ' ');
    if (!sp3 || sp3 - (sp2 + 1) < 1 || sp3 - (sp2 + 1) >= (long)sizeof a->time)
        return -1;
    memcpy(a->time, sp2 + 1, (size_t)(sp3 - (sp2 + 1)));
    a->time[sp3 - (sp2 + 1)] = 0;
    const char *tag = sp3 + 1;
    if (strlen(tag) != 2 * MAC_BYTES || !unhex(tag, raw))
        return -1;
    char want[HEX_BYTES];
    text_tag(key, line, (size_t)(sp3 - line), want);
    return tag_equal(want, tag) ? 0 : -2;
}

/* The last line of the anchors file (NUL-terminated, without newline) into "out";
 * false when the file is absent or empty. */
static bool last_line(const char *path, char *out, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat sb;
    char buf[1024];
    ssize_t n = 0;
    if (fstat(fd, &sb) == 0 && sb.st_size > 0) {
        off_t from = sb.st_size > (off_t)sizeof buf ? sb.st_size - (off_t)sizeof buf : 0;
        n = pread(fd, buf, sizeof buf, from);
    }
    close(fd);
    if (n <= 0)
        return false;
    size_t end = (size_t)n;
    if (buf[end - 1] == '\n')
        end--;
    size_t start = end;
    while (start > 0 && buf[start - 1] != '\n')
        start--;
    if (end - start >= cap)
        return false;
    memcpy(out, buf + start, end - start);
    out[end - start] = 0;
    return true;
}

/* Append "count"/"mac" as an anchor line, fsync'd. Caller holds st->lock. */
static int anchor_write(struct audit_state *st, int64_t count, const char *mac_hex,
                        struct audit_anchor_info *out, struct rerr *err)
{
    char now[32], line[256], tag[HEX_BYTES];
    text_now(now);
    if (out) {
        out->count = count;
        snprintf(out->mac, sizeof out->mac, "%s", mac_hex);
        snprintf(out->time, sizeof out->time, "%s", now);
    }
    int n = snprintf(line, sizeof line, "%s%" PRId64 " %s %s", anchor_prefix, count, mac_hex, now);
    text_tag(st->key, line, (size_t)n, tag);
    n += snprintf(line + n, sizeof line - (size_t)n, " %s\n", tag);
    struct stat sb;
    bool existed = stat(st->anchors_path, &sb) == 0;
    int fd = open(st->anchors_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return rerr_set(err, R_EINTERNAL, "audit_anchor", "", "无法打开锚点文件 %s：%s", st->anchors_path,
                        strerror(errno));
    /* One write of one line: appends from several processes do not interleave. */
    int rc = write_all(fd, line, (size_t)n) < 0 || fsync(fd) < 0 ? -1 : 0;
    int e = errno;
    close(fd);
    if (rc < 0)
        return rerr_set(err, R_EINTERNAL, "audit_anchor", "", "无法写入锚点文件 %s：%s", st->anchors_path,
                        strerror(e));
    if (!existed)
        fsync_dir_of(st->anchors_path);
    st->anchored_count = count;
    int64_t f = atomic_load(&st->floor);
    while (count > f && !atomic_compare_exchange_weak(&st->floor, &f, count))
        ;
    return 0;
}

/* ------------------------------------------------------------------ key and state */

static int anchor_head(struct audit_state *st, bool force, struct audit_anchor_info *out, struct rerr *err);

static struct audit_state *state_of(store *s)
{
    struct audit_state *st = s ? store_ext(s) : NULL;
    CHECK(!st || st->magic == AUDIT_MAGIC);
    return st;
}

int audit_check_new(const char *db_path, struct rerr *err)
{
    char p[PATH_CAP];
    const char *suffix[] = {".audit-key", ".audit-anchors"};
    for (int i = 0; i < 2; i++) {
        if (files_path(p, db_path, suffix[i], err) < 0)
            return err->rc;
        struct stat sb;
        if (lstat(p, &sb) == 0)
            return rerr_set(err, R_ECONFLICT, "exists", "db",
                            "文件 %s 已存在（属于另一个数据库？），不会用于新数据库；请先移走它", p);
    }
    return 0;
}

void audit_remove_files(const char *db_path)
{
    char p[PATH_CAP];
    if (files_path(p, db_path, ".audit-key", NULL) == 0)
        unlink(p);
    if (files_path(p, db_path, ".audit-anchors", NULL) == 0)
        unlink(p);
}

/* Whether the chain already has keyed entries: its last row is format 2, or its head
 * is (an earlier format-1 row after a format-2 one is verify's to report). */
static int chain_keyed(store_conn *c, bool *keyed, int64_t *last_id, struct rerr *err)
{
    struct tail t;
    int rc = read_tail(c, &t, err);
    if (rc < 0)
        return rc;
    *keyed = t.l.fmt == 2 || t.h.format == 2 || !t.valid;
    *last_id = t.l.id;
    return 0;
}

/* At open: the head must be the key's, and the last anchor in the file ours and
 * matching the chain at its count. */
static int check_open(store_conn *c, struct audit_state *st, struct rerr *err)
{
    struct head h;
    bool valid;
    int rc = read_head(c, &h, &valid, err);
    if (rc < 0)
        return rc;
    if (!valid || !head_authentic(st->key, &h))
        return rerr_set(err, R_EINTERNAL, "audit_chain", "",
                        "审计链头未通过密钥 %s 的校验（链头被篡改，或密钥文件不是这个库的）：拒绝写入"
                        "（请运行 ronghe audit verify 检查）",
                        st->key_path);
    char line[512];
    if (!last_line(st->anchors_path, line, sizeof line))
        return 0;
    struct anchor a;
    int p = anchor_parse(st->key, line, &a);
    if (p < 0)
        return rerr_set(err, R_EINTERNAL, "audit_anchor", "",
                        "锚点文件 %s 的最后一行%s：拒绝写入（请运行 ronghe audit verify 检查）",
                        st->anchors_path, p == -2 ? "校验码不符（被篡改，或不是这个库的锚点）" : "格式错误");
    store_stmt *q = store_prepare(c, "SELECT hash FROM audit WHERE id = ?");
    store_bind_int(q, 1, a.count);
    rc = store_step(q, err);
    bool match = rc == STORE_ROW && !strcmp(store_col_text(q, 0), a.mac);
    store_done(q);
    if (rc < 0)
        return rc;
    if (!match)
        return rerr_set(err, R_EINTERNAL, "audit_chain", "",
                        "审计链与最后一个锚点（%s，第 %" PRId64
                        " 条）不符：记录被截断或重写，拒绝写入（请运行 ronghe audit verify 检查）",
                        a.time, a.count);
    atomic_store(&st->floor, a.count);
    st->anchored_count = a.count;
    return 0;
}

static void state_free(struct audit_state *st)
{
    sodium_memzero(st->key, sizeof st->key);
    pthread_mutex_destroy(&st->lock);
    pthread_cond_destroy(&st->wake);
    free(st);
}

/* No key file: make one, unless the chain already has keyed entries or anchors (which
 * only a key could have written). */
static int key_create_for(store_conn *c, struct audit_state *st, struct rerr *err)
{
    bool keyed = false;
    int64_t last_id = 0;
    int rc = store_begin_read(c, err);
    if (rc == 0) {
        rc = chain_keyed(c, &keyed, &last_id, err);
        store_rollback(c);
    }
    struct stat sb;
    if (rc == 0 && (keyed || stat(st->anchors_path, &sb) == 0))
        rc = rerr_set(err, R_EINTERNAL, "audit_key", "key",
                      "审计密钥文件 %s 缺失：审计链已有用密钥认证的记录（或锚点），没有原密钥不能写入。"
                      "请从保存处恢复这个文件",
                      st->key_path);
    if (rc < 0)
        return rc;
    unsigned char fresh[KEY_BYTES];
    randombytes_buf(fresh, sizeof fresh);
    rc = file_create(st->key_path, fresh, sizeof fresh, err);
    sodium_memzero(fresh, sizeof fresh);
    /* ours (0), or another process's made just now (1): load what is there */
    return rc < 0 ? rc : key_load(st->key_path, st->key, err);
}

/* One entry about the chain itself, by the system, in a transaction of its own
 * (which the caller has begun). */
static int append_note(store_conn *c, const char *action, json_t *after, struct rerr *err)
{
    struct actor sys;
    actor_system(&sys);
    int rc = audit_append(c, &sys, action, "audit", 0, 0, NULL, after, err);
    json_decref(after);
    return rc;
}

int audit_open_key(store *s, struct rerr *err)
{
    CHECK(!store_ext(s));
    struct audit_state *st = calloc(1, sizeof *st);
    if (!st)
        die("内存不足");
    st->magic = AUDIT_MAGIC;
    st->s = s;
    st->anchored_count = -1;
    pthread_mutex_init(&st->lock, NULL);
    pthread_cond_init(&st->wake, NULL);
    int rc;
    if ((rc = files_path(st->key_path, store_path(s), ".audit-key", err)) < 0 ||
        (rc = files_path(st->anchors_path, store_path(s), ".audit-anchors", err)) < 0) {
        state_free(st);
        return rc;
    }
    store_conn *c = store_acquire(s);
    bool created = false;
    rc = key_load(st->key_path, st->key, err);
    if (rc == R_ENOTFOUND && (rc = key_create_for(c, st, err)) == 0)
        created = true;
    /* With a key it did not just make, the chain must already be keyed and agree with
     * the last anchor; checked before anything is appended to it. */
    bool keyed = false;
    int64_t last_id = 0;
    if (rc == 0 && (rc = store_begin_read(c, err)) == 0) {
        rc = chain_keyed(c, &keyed, &last_id, err);
        if (rc == 0 && !keyed && !created)
            rc = rerr_set(err, R_EINTERNAL, "audit_chain", "",
                          "审计密钥文件 %s 已存在，链中却没有用密钥认证的记录（记录被清空或改写为旧格式）："
                          "拒绝写入（请运行 ronghe audit verify 检查；若是升级到本版本时中断所致，"
                          "移走该密钥文件后重试）",
                          st->key_path);
        if (rc == 0 && keyed)
            rc = check_open(c, st, err);
        store_rollback(c);
    }
    /* The first keyed entry, once, with the key just made: for a new database its first
     * entry; for one written by an earlier build, the line between its format-1 entries
     * and what follows. And a lost anchors file is recorded in the chain itself. */
    struct stat sb;
    bool no_anchors = stat(st->anchors_path, &sb) != 0;
    if (rc == 0 && (!keyed || no_anchors) && (rc = store_begin(c, err)) == 0) {
        store_set_ext(s, st);
        rc = chain_keyed(c, &keyed, &last_id, err);
        if (rc == 0 && !keyed)
            rc = append_note(c, "audit_key",
                             json_pack("{s:i, s:I, s:s}", "format", AUDIT_FORMAT, "legacy_entries",
                                       (json_int_t)last_id, "key_file", ".audit-key"),
                             err);
        else if (rc == 0 && stat(st->anchors_path, &sb) != 0) {
            log_warn("锚点文件 %s 不存在：记入审计链并写入新的锚点（此前的锚点已丢失）", st->anchors_path);
            rc = append_note(c, "anchors_lost",
                             json_pack("{s:s, s:I}", "anchors_file", ".audit-anchors", "entries_before",
                                       (json_int_t)last_id),
                             err);
        }
        rc = rc == 0 ? store_commit(c, err) : (store_rollback(c), rc);
    }
    store_release(c);
    store_set_ext(s, rc == 0 ? st : NULL);
    if (rc < 0) {
        state_free(st);
        return rc;
    }
    if (no_anchors && (rc = audit_anchor_now(s, NULL, err)) < 0) {
        audit_close(s);
        return rc;
    }
    return 0;
}

void audit_close(store *s)
{
    struct audit_state *st = state_of(s);
    if (!st)
        return;
    pthread_mutex_lock(&st->lock);
    bool joined = st->thread_running;
    st->stop = true;
    pthread_cond_broadcast(&st->wake);
    pthread_mutex_unlock(&st->lock);
    if (joined)
        pthread_join(st->thread, NULL);
    if (atomic_load(&st->appended) != st->anchored_at || joined) {
        struct rerr e = {0};
        if (anchor_head(st, false, NULL, &e) < 0)
            log_warn("关闭时未能写入审计锚点：%s", e.message);
    }
    store_set_ext(s, NULL);
    state_free(st);
}

/* ------------------------------------------------------------------ anchoring */

/* Anchor the committed head: always when "force", else only when it moved since this
 * process's last anchor. The head is read holding the write lock, so that a transaction
 * whose appends woke the thread has committed (or rolled back) by then; the lock is held
 * for that one read, the anchor is written after. */
static int anchor_head(struct audit_state *st, bool force, struct audit_anchor_info *out, struct rerr *err)
{
    int64_t appended = atomic_load(&st->appended);
    store_conn *c = store_acquire(st->s);
    struct head h;
    bool valid;
    int rc = store_begin(c, err);
    if (rc == 0) {
        rc = read_head(c, &h, &valid, err);
        store_rollback(c);
    }
    store_release(c);
    if (rc == 0 && (!valid || !head_authentic(st->key, &h)))
        rc = rerr_set(err, R_ECONFLICT, "audit_chain", "",
                      "审计链头%s：不写锚点（请运行 ronghe audit verify 检查）",
                      h.format == 0 && valid ? "缺失" : "未通过密钥校验");
    pthread_mutex_lock(&st->lock);
    if (rc == 0 && (force || h.count != st->anchored_count))
        rc = anchor_write(st, h.count, h.mac, out, err);
    /* even on failure: the thread waits for the next batch rather than retrying at once */
    st->anchored_at = appended;
    pthread_mutex_unlock(&st->lock);
    return rc;
}

int audit_anchor_now(store *s, struct audit_anchor_info *out, struct rerr *err)
{
    struct audit_state *st = state_of(s);
    if (!st)
        return rerr_set(err, R_EINTERNAL, "audit_key", "", "审计密钥未加载：不能写锚点");
    return anchor_head(st, true, out, err);
}

static void *anchor_thread(void *arg)
{
    struct audit_state *st = arg;
    pthread_mutex_lock(&st->lock);
    while (!st->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += AUDIT_ANCHOR_SECONDS;
        while (!st->stop && atomic_load(&st->appended) - st->anchored_at < AUDIT_ANCHOR_EVERY)
            if (pthread_cond_timedwait(&st->wake, &st->lock, &until) == ETIMEDOUT)
                break;
        if (st->stop)
            break;
        pthread_mutex_unlock(&st->lock);
        struct rerr e = {0};
        if (anchor_head(st, false, NULL, &e) < 0)
            log_warn("未能写入审计锚点：%s", e.message);
        pthread_mutex_lock(&st->lock);
    }
    pthread_mutex_unlock(&st->lock);
    return NULL;
}

int audit_anchor_start(store *s, struct rerr *err)
{
    struct audit_state *st = state_of(s);
    if (!st)
        return rerr_set(err, R_EINTERNAL, "audit_key", "", "审计密钥未加载");
    pthread_mutex_lock(&st->lock);
    int rc = 0;
    if (!st->thread_running) {
        if (pthread_create(&st->thread, NULL, anchor_thread, st) != 0)
            rc = rerr_set(err, R_EINTERNAL, "audit_anchor", "", "无法启动审计锚点线程");
        else
            st->thread_running = true;
    }
    pthread_mutex_unlock(&st->lock);
    return rc;
}

int audit_backup_files(store *s, const char *to_db, struct audit_anchor_info *out, struct rerr *err)
{
    struct audit_state *st = state_of(s);
    if (!st)
        return rerr_set(err, R_EINTERNAL, "audit_key", "", "审计密钥未加载：不能备份审计文件");
    char key_to[PATH_CAP], anchors_to[PATH_CAP];
    int rc;
    if ((rc = files_path(key_to, to_db, ".audit-key", err)) < 0 ||
        (rc = files_path(anchors_to, to_db, ".audit-anchors", err)) < 0 ||
        (rc = audit_anchor_now(s, out, err)) < 0)
        return rc;
    /* Under the lock: no anchor is half-written into the copy. */
    pthread_mutex_lock(&st->lock);
    rc = file_copy(st->key_path, key_to, err);
    if (rc == 0 && (rc = file_copy(st->anchors_path, anchors_to, err)) < 0)
        unlink(key_to);
    pthread_mutex_unlock(&st->lock);
    if (rc == 0)
        fsync_dir_of(key_to);
    return rc;
}

/* ------------------------------------------------------------------ append */

static int put_head(store_conn *c, const struct audit_state *st, int64_t count,
                    const unsigned char mac[MAC_BYTES], struct rerr *err)
{
    char head[192];
    head_format(st->key, count, mac, head, sizeof head);
    return store_meta_put(c, "audit_head", head, err);
}

/* The state of "c"'s store, which must have its key: 0 with *st, or the refusal. */
static int keyed_state(store_conn *c, struct audit_state **st, struct rerr *err)
{
    if ((*st = state_of(store_conn_owner(c))))
        return 0;
    return rerr_set(err, R_EINTERNAL, "audit_key", "",
                    "审计密钥未加载：拒绝写入无法认证的审计记录（数据库须经 audit_open_key 打开）");
}

int audit_batch_begin(store_conn *c, struct rerr *err)
{
    struct audit_state *st;
    int rc = keyed_state(c, &st, err);
    if (rc < 0)
        return rc;
    CHECK(atomic_load(&st->batch) == NULL);
    if ((rc = tail_for_append(c, st, &st->batch_count, st->batch_mac, err)) == 0) {
        st->batch_start = st->batch_count;
        atomic_store(&st->batch, c);
    }
    return rc;
}

int audit_batch_rewound(store_conn *c, struct rerr *err)
{
    struct audit_state *st = state_of(store_conn_owner(c));
    CHECK(st && atomic_load(&st->batch) == c);
    struct last l;
    int rc = read_last(c, &l, err);
    if (rc < 0)
        return rc;
    /* the batch's first entry follows a tail checked by audit_batch_begin(); every later
     * one was appended by this connection inside this transaction */
    if (l.id == 0) {
        st->batch_count = 0;
        memset(st->batch_mac, 0, MAC_BYTES);
    } else if (!unhex(l.hash, st->batch_mac)) {
        return chain_refused(err, "最后一条记录的链值格式错误");
    } else {
        st->batch_count = l.id;
    }
    return 0;
}

int audit_batch_end(store_conn *c, bool keep, struct rerr *err)
{
    struct audit_state *st = state_of(store_conn_owner(c));
    CHECK(st && atomic_load(&st->batch) == c);
    atomic_store(&st->batch, NULL);
    /* the head as it was at the start stays when the batch left no entry */
    if (!keep || st->batch_count == st->batch_start)
        return 0;
    return put_head(c, st, st->batch_count, st->batch_mac, err);
}

static char *dump(json_t *j)
{
    return j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
}

int audit_append(store_conn *c, const struct actor *who, const char *action, const char *entity,
                 int64_t entity_id, int64_t procuratorate_id, json_t *before, json_t *after, struct rerr *err)
{
    struct audit_state *st;
    int rc = keyed_state(c, &st, err);
    if (rc < 0)
        return rc;
    int64_t count = 0;
    unsigned char prev[MAC_BYTES];
    bool batched = atomic_load(&st->batch) == c;
    if (batched) {
        count = st->batch_count;
        memcpy(prev, st->batch_mac, MAC_BYTES);
    } else if ((rc = tail_for_append(c, st, &count, prev, err)) < 0) {
        return rc;
    }

    char ts[32];
    text_now(ts);
    char *b = dump(before), *a = dump(after);
    if ((before && !b) || (after && !a)) {
        free(b);
        free(a);
        return rerr_set(err, R_EINTERNAL, "audit", "", "无法生成审计记录");
    }
    struct audit_entry e = {.id = count + 1,
                            .ts = ts,
                            .user_id = who->user_id,
                            .username = who->username,
                            .action = action,
                            .entity = entity,
                            .entity_id = entity_id,
                            .procuratorate_id = procuratorate_id,
                            .before = b,
                            .after = a};
    unsigned char mac[MAC_BYTES];
    entry_mac(st->key, prev, &e, mac);
    char prev_hex[HEX_BYTES], mac_hex[HEX_BYTES];
    sodium_bin2hex(prev_hex, sizeof prev_hex, prev, sizeof prev);
    sodium_bin2hex(mac_hex, sizeof mac_hex, mac, sizeof mac);

    store_stmt *q = store_prepare(c, "INSERT INTO audit(id, ts, user_id, username, action, entity, entity_id,"
                                     " procuratorate_id, before, after, prev_hash, hash, fmt)"
                                     " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,2)");
    store_bind_int(q, 1, e.id);
    store_bind_text(q, 2, ts);
    if (who->user_id)
        store_bind_int(q, 3, who->user_id);
    else
        store_bind_null(q, 3);
    store_bind_text(q, 4, who->username);
    store_bind_text(q, 5, action);
    store_bind_text(q, 6, entity);
    store_bind_int(q, 7, entity_id);
    store_bind_int(q, 8, procuratorate_id);
    store_bind_text(q, 9, b);
    store_bind_text(q, 10, a);
    store_bind_text(q, 11, prev_hex);
    store_bind_text(q, 12, mac_hex);
    rc = store_step(q, err);
    store_done(q);
    free(b);
    free(a);
    if (rc < 0)
        return rc;

    if (batched) {
        st->batch_count = e.id;
        memcpy(st->batch_mac, mac, MAC_BYTES);
    } else if ((rc = put_head(c, st, e.id, mac, err)) < 0) {
        return rc;
    }
    /* Wake the anchoring thread once AUDIT_ANCHOR_EVERY entries are not anchored; it reads
     * the head after this transaction ends, so an entry rolled back is never anchored.
     * A busy lock means the thread is awake (or an anchor is being written, with its
     * fsync, which this transaction must not wait for): the next append tries again. */
    int64_t n = atomic_fetch_add(&st->appended, 1) + 1;
    if (n - atomic_load(&st->anchored_at) >= AUDIT_ANCHOR_EVERY && pthread_mutex_trylock(&st->lock) == 0) {
        pthread_cond_signal(&st->wake);
        pthread_mutex_unlock(&st->lock);
    }
    return 0;
}

/* ------------------------------------------------------------------ verify */

struct anchors {
    struct anchor *a;
    size_t n, cap;
};

static int anchor_cmp(const void *x, const void *y)
{
    const struct anchor *a = x, *b = y;
    return a->count < b->count ? -1 : a->count > b->count ? 1 : (a->line > b->line) - (a->line < b->line);
}

static bool broken(struct audit_report *rep, int64_t id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool broken(struct audit_report *rep, int64_t id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->reason, sizeof rep->reason, fmt, ap);
    va_end(ap);
    rep->broken = true;
    rep->first_bad = id;
    return true;
}

/* Read and authenticate every anchor line of "path". Returns 0 (the report may say
 * broken) or a negative error when the file cannot be read. */
static int anchors_read(const char *path, const unsigned char key[KEY_BYTES], struct anchors *out,
                        struct audit_report *rep, struct rerr *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return rerr_set(err, R_EINVAL, "anchors", "anchors", "无法读取锚点文件 %s：%s", path,
                        strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int64_t no = 0;
    while (!rep->broken && (n = getline(&line, &cap, f)) >= 0) {
        no++;
        if (n == 0 || line[n - 1] != '\n') {
            broken(rep, 0, "锚点文件 %s 第 %" PRId64 " 行不完整", path, no);
            break;
        }
        line[n - 1] = 0;
        struct anchor a = {.line = no};
        int p = anchor_parse(key, line, &a);
        if (p < 0) {
            broken(rep, 0, "锚点文件 %s 第 %" PRId64 " 行%s", path, no,
                   p == -2 ? "的校验码不符（锚点被伪造或篡改，或不是用这个密钥写的）" : "格式错误");
            break;
        }
        if (out->n == out->cap) {
            out->cap = out->cap ? 2 * out->cap : 64;
            if (!(out->a = realloc(out->a, out->cap * sizeof *out->a)))
                die("内存不足");
        }
        out->a[out->n++] = a;
    }
    free(line);
    fclose(f);
    qsort(out->a, out->n, sizeof *out->a, anchor_cmp);
    rep->anchors = (int64_t)out->n;
    if (out->n) {
        rep->anchor_count = out->a[out->n - 1].count;
        snprintf(rep->anchor_time, sizeof rep->anchor_time, "%s", out->a[out->n - 1].time);
    }
    return 0;
}

/* The verify query gives each row's columns 0-12, then the raw values of three number
 * columns, whose types are checked apart from the reads of 2, 6 and 7 (a read may
 * convert a value, after which its type is no longer told). */
enum { RAW_USER_ID = 13, RAW_ENTITY_ID, RAW_PROCURATORATE_ID };

/* Text columns of a row, as the encoding sees them: a value holding a NUL byte would
 * hide what follows from it, so the stored length must be the C string's. */
static bool texts_whole(store_stmt *q, const int cols[], int n)
{
    for (int i = 0; i < n; i++) {
        if (store_col_type(q, cols[i]) == STORE_NULL)
            continue;
        if ((int64_t)strlen(store_col_text(q, cols[i])) != store_col_bytes(q, cols[i]))
            return false;
    }
    return true;
}

struct walk {
    const unsigned char *key; /* NULL: none found */
    const char *key_path;
    const struct anchors *an;
    size_t next_anchor;   /* first anchor not yet matched */
    int64_t last_matched; /* count of the last anchor that matched */
    int64_t keyed;
    char prev[HEX_BYTES];
};

/* Check one row. Returns 0 (the report may say broken), or R_ENOTFOUND for a keyed
 * entry with no key to check it. */
static int walk_row(store_stmt *q, struct walk *w, struct audit_report *rep, struct rerr *err)
{
    int64_t expect = rep->entries + 1;
    struct audit_entry e = {
        .id = store_col_int(q, 0),
        .ts = store_col_text(q, 1),
        .user_id = store_col_int(q, 2),
        .username = store_col_text(q, 3),
        .action = store_col_text(q, 4),
        .entity = store_col_text(q, 5),
        .entity_id = store_col_int(q, 6),
        .procuratorate_id = store_col_int(q, 7),
        .before = store_col_type(q, 8) == STORE_NULL ? NULL : store_col_text(q, 8),
        .after = store_col_type(q, 9) == STORE_NULL ? NULL : store_col_text(q, 9),
    };
    const char *stored_prev = store_col_text(q, 10), *stored = store_col_text(q, 11);
    int64_t fmt = store_col_int(q, 12);
    static const int text_cols[] = {1, 3, 4, 5, 8, 9};
    if (e.id != expect)
        return broken(rep, expect, "第 %" PRId64 " 条记录缺失（链在此处断开，下一条是 #%" PRId64 "）", expect,
                      e.id),
               0;
    if (strcmp(stored_prev, w->prev) != 0)
        return broken(rep, e.id, "第 %" PRId64 " 条记录的前序链值与上一条不符（记录被删除、插入或换位）",
                      e.id),
               0;
    if (!texts_whole(q, text_cols, 6))
        return broken(rep, e.id, "第 %" PRId64 " 条记录的文字含有 NUL 字节（被篡改）", e.id), 0;
    char got[HEX_BYTES];
    if (fmt == 1) {
        if (w->keyed)
            return broken(rep, e.id,
                          "第 %" PRId64
                          " 条是旧格式（无密钥）记录，却出现在有密钥的记录之后（链被改写为可重算的格式）",
                          e.id),
                   0;
        legacy_hash(w->prev, &e, got);
        rep->legacy++;
    } else if (fmt == 2) {
        if (!w->key)
            return rerr_set(err, R_ENOTFOUND, "audit_key", "key",
                            "缺少审计密钥文件 %s：不能校验用密钥认证的记录（可用 --key FILE 指定）",
                            w->key_path);
        /* the numbers append writes: user_id NULL or a user, the others present */
        if (store_col_type(q, RAW_USER_ID) == STORE_INT ? e.user_id == 0
                                                        : store_col_type(q, RAW_USER_ID) != STORE_NULL)
            return broken(rep, e.id, "第 %" PRId64 " 条记录的操作人编号被修改", e.id), 0;
        if (store_col_type(q, RAW_ENTITY_ID) != STORE_INT ||
            store_col_type(q, RAW_PROCURATORATE_ID) != STORE_INT)
            return broken(rep, e.id, "第 %" PRId64 " 条记录的对象编号被修改", e.id), 0;
        unsigned char prev[MAC_BYTES], mac[MAC_BYTES];
        if (!unhex(w->prev, prev))
            return broken(rep, e.id, "第 %" PRId64 " 条记录的前序链值格式错误", e.id), 0;
        entry_mac(w->key, prev, &e, mac);
        sodium_bin2hex(got, sizeof got, mac, sizeof mac);
        w->keyed++;
    } else {
        return broken(rep, e.id, "第 %" PRId64 " 条记录的格式 %" PRId64 " 未知", e.id, fmt), 0;
    }
    if (!tag_equal(got, stored))
        return broken(rep, e.id, "第 %" PRId64 " 条记录的内容已被修改（%s不符）", e.id,
                      fmt == 2 ? "密钥校验码" : "哈希"),
               0;
    /* every anchor at this count must hold this chain value */
    for (; w->next_anchor < w->an->n && w->an->a[w->next_anchor].count == e.id; w->next_anchor++) {
        const struct anchor *a = &w->an->a[w->next_anchor];
        if (!tag_equal(a->mac, got))
            return broken(rep, w->last_matched + 1,
                          "链在第 %" PRId64 " 条处与锚点（%s，锚点文件第 %" PRId64 " 行）不符：第 %" PRId64
                          "–%" PRId64 " 条之间的记录被重写",
                          e.id, a->time, a->line, w->last_matched + 1, e.id),
                   0;
        w->last_matched = e.id;
    }
    memcpy(w->prev, got, sizeof w->prev);
    rep->entries++;
    return 0;
}

/* After the walk: the head, the anchors beyond the chain, a key with nothing keyed. */
static void check_end(store_conn *c, struct walk *w, bool anchors_present, const char *anchors_path,
                      struct audit_report *rep, struct rerr *err)
{
    if (rep->entries == 0) {
        broken(rep, 1, "审计表为空：每个数据库创建时至少写入一条审计记录，记录被整体删除");
        return;
    }
    if (w->next_anchor < w->an->n) {
        const struct anchor *a = &w->an->a[w->an->n - 1];
        broken(rep, rep->entries + 1,
               "链只有 %" PRId64 " 条，而锚点（%s，锚点文件第 %" PRId64 " 行）记录了 %" PRId64
               " 条：第 %" PRId64 " 条起的记录被删除（截断）",
               rep->entries, a->time, a->line, a->count, rep->entries + 1);
        return;
    }
    struct head h;
    bool valid;
    if (read_head(c, &h, &valid, err) < 0) {
        broken(rep, 0, "无法读取链头：%s", err->message);
        return;
    }
    if (!valid) {
        broken(rep, 0, "链头格式错误（链头被篡改）");
        return;
    }
    if (h.format == 0) {
        broken(rep, rep->entries + 1, "链头标记缺失（链头被删除）");
        return;
    }
    if (w->keyed && h.format != 2) {
        broken(rep, rep->entries + 1, "链头为旧格式（无密钥），而链中有用密钥认证的记录（链头被替换）");
        return;
    }
    if (h.format == 2 && (!w->key || !head_authentic(w->key, &h))) {
        broken(rep, rep->entries + 1, "链头的密钥校验码不符（链头被伪造或篡改）");
        return;
    }
    if (h.count != rep->entries || strcmp(h.mac, w->prev) != 0) {
        if (h.count > rep->entries)
            broken(rep, rep->entries + 1,
                   "链头记录了 %" PRId64 " 条，实际只有 %" PRId64 " 条：第 %" PRId64 " 条之后的记录被删除",
                   h.count, rep->entries, rep->entries);
        else
            broken(rep, h.count + 1,
                   "链头记录了 %" PRId64 " 条，实际有 %" PRId64 " 条：链头被回退或记录被伪造", h.count,
                   rep->entries);
        return;
    }
    if (w->key && !w->keyed)
        broken(rep, rep->entries + 1, "有审计密钥，链中却没有用密钥认证的记录（链被改写为可重算的旧格式）");
    else if (!w->key && anchors_present)
        broken(rep, 0, "有锚点文件 %s，却没有密钥文件：密钥被移走，或链被改写为旧格式", anchors_path);
    else if (w->keyed && !anchors_present)
        broken(rep, 0, "锚点文件 %s 不存在（有密钥的库创建时即写入第一个锚点）：无法排除记录被截断",
               anchors_path);
}

int audit_verify(store *s, const char *key_path, const char *anchors_path, struct audit_report *rep,
                 struct rerr *err)
{
    memset(rep, 0, sizeof *rep);
    char kp[PATH_CAP], ap[PATH_CAP];
    int rc;
    if ((rc = files_path(kp, key_path ? key_path : store_path(s), key_path ? "" : ".audit-key", err)) < 0 ||
        (rc = files_path(ap, anchors_path ? anchors_path : store_path(s),
                         anchors_path ? "" : ".audit-anchors", err)) < 0)
        return rc;
    unsigned char key[KEY_BYTES];
    rc = key_load(kp, key, err);
    if (rc < 0 && (key_path || rc != R_ENOTFOUND))
        return rc;
    rerr_clear(err);
    struct walk w = {.key = rc == 0 ? key : NULL, .key_path = kp};
    memset(w.prev, '0', 2 * MAC_BYTES);
    rep->keyed = w.key != NULL;

    struct anchors an = {0};
    w.an = &an;
    struct stat sb;
    bool anchors_present = stat(ap, &sb) == 0;
    if (!anchors_present && anchors_path)
        return rerr_set(err, R_ENOTFOUND, "anchors", "anchors", "锚点文件 %s 不存在", ap);
    if (anchors_present && w.key && (rc = anchors_read(ap, key, &an, rep, err)) < 0)
        goto out;

    store_conn *c = store_acquire(s);
    if ((rc = store_begin_read(c, err)) < 0) {
        store_release(c);
        goto out;
    }
    store_stmt *q = store_prepare(c, "SELECT id, ts, coalesce(user_id, 0), username, action, entity,"
                                     " entity_id, procuratorate_id, before, after, prev_hash, hash, fmt,"
                                     " user_id, entity_id, procuratorate_id FROM audit ORDER BY id");
    rc = 0;
    while (!rep->broken && rc == 0 && (rc = store_step(q, err)) == STORE_ROW)
        rc = walk_row(q, &w, rep, err);
    store_done(q);
    if (rc == STORE_DONE && !rep->broken)
        check_end(c, &w, anchors_present, ap, rep, err);
    store_rollback(c);
    store_release(c);
    if (rc == STORE_DONE || rc == STORE_ROW)
        rc = 0;
    snprintf(rep->head_mac, sizeof rep->head_mac, "%s", w.prev);
out:
    sodium_memzero(key, sizeof key);
    free(an.a);
    if (rc < 0)
        return rc;
    return rep->broken ? R_ECONFLICT : 0;
}
