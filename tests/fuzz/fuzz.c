/* fuzz.c: the demo database, accounts and checks the targets share (see fuzz.h). */
#include "fuzz.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "demo/demo.h"
#include "jobs/jobs.h"

struct fuzz_account fuzz_accounts[FU_N] = {
    [FU_ADMIN] = {.username = "admin"},
    [FU_VIEWER] = {.username = "viewer"},
    [FU_COUNTY] = {.username = "zlt-admin"},
    [FU_SECRETARY] = {.username = "hlgl-sec"},
};

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

static char dir[256];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void fuzz_remove_tree(const char *path)
{
    nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_dir(void)
{
    if (dir[0])
        fuzz_remove_tree(dir);
}

const char *fuzz_dir(void)
{
    if (!dir[0]) {
        /* Memory rather than disk where there is some: a commit's fsync costs nothing. */
        const char *tmp = getenv("TMPDIR");
        if (!tmp || !*tmp)
            tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(dir, sizeof dir, "%s/ronghe-fuzz.XXXXXX", tmp);
        if (!mkdtemp(dir))
            fuzz_fail("mkdtemp %s failed", dir);
        atexit(remove_dir);
    }
    return dir;
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    if (!in || !out)
        fuzz_fail("cannot copy %s to %s", from, to);
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            fuzz_fail("short write to %s", to);
    fclose(in);
    if (fclose(out) != 0)
        fuzz_fail("cannot write %s", to);
}

/* "path" + "suffix" into "out" (300 bytes). */
static const char *beside(char out[300], const char *path, const char *suffix)
{
    snprintf(out, 300, "%s%s", path, suffix);
    return out;
}

store *fuzz_open_copy(const char *from, const char *to)
{
    char a[300], b[300];
    unlink(beside(a, to, "-wal"));
    unlink(beside(a, to, "-shm"));
    copy_file(from, to);
    /* The audit key and anchors live beside the database (auth/audit.h). */
    copy_file(beside(a, from, ".audit-key"), beside(b, to, ".audit-key"));
    chmod(b, 0600);
    copy_file(beside(a, from, ".audit-anchors"), beside(b, to, ".audit-anchors"));
    store *s;
    struct rerr err = {0};
    if (store_open(to, STORE_OPEN_EXISTING, &s, &err) < 0 || audit_open_key(s, &err) < 0)
        fuzz_fail("opening %s: %s", to, err.message);
    jobs_register(); /* the jobs collection, as a server has it (res_all) */
    return s;
}

void fuzz_close(store *s)
{
    audit_close(s);
    store_close(s);
}

static int64_t user_id(store_conn *c, const char *username)
{
    store_stmt *st = store_prepare(c, "SELECT id FROM users WHERE username = ?");
    store_bind_text(st, 1, username);
    int64_t id = store_step(st, NULL) == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    if (!id)
        fuzz_fail("demo has no user %s", username);
    return id;
}

const char *fuzz_demo(bool sessions)
{
    static char path[300];
    if (path[0])
        return path;
    password_init();
    snprintf(path, sizeof path, "%s/demo.db", fuzz_dir());
    store *s;
    struct rerr err = {0};
    if (store_open(path, STORE_CREATE_NEW, &s, &err) < 0 || audit_open_key(s, &err) < 0 ||
        demo_populate(s, FUZZ_PASSWORD, &err) < 0)
        fuzz_fail("cannot build the demo: %s", err.message);
    store_conn *c = store_acquire(s);
    for (int i = 0; i < FU_N; i++) {
        struct fuzz_account *u = &fuzz_accounts[i];
        if (actor_load(c, user_id(c, u->username), &u->who, &err) < 0)
            fuzz_fail("actor_load %s: %s", u->username, err.message);
        if (sessions &&
            session_login(c, u->username, FUZZ_PASSWORD, "127.0.0.1", "fuzz", &u->s, &u->who, &err) < 0)
            fuzz_fail("session_login %s: %s", u->username, err.message);
    }
    store_release(c);
    fuzz_close(s); /* checkpoints: the file alone is the whole database */
    return path;
}

void fuzz_check_rerr(const char *what, int rc, const struct rerr *e)
{
    if (rc >= 0)
        fuzz_fail("%s: expected an error, got %d", what, rc);
    if (e->rc != rc)
        fuzz_fail("%s: returned %d but the error says %d (%s)", what, rc, e->rc, e->code);
    if (rc == R_EINTERNAL || rc == R_EBUSY) /* one thread, no contention: never busy */
        fuzz_fail("%s: internal error (would be a 500/503) from input: %s [%s]", what, e->message, e->code);
    if (!e->code[0])
        fuzz_fail("%s: error %d without a code", what, rc);
    if (!fuzz_json_text_ok(e->code) || !fuzz_json_text_ok(e->message) || !fuzz_json_text_ok(e->field))
        fuzz_fail("%s: error text is not well-formed UTF-8 (it cannot go into a JSON answer): code=%s "
                  "field=%s message=%s",
                  what, e->code, e->field, e->message);
}

bool fuzz_json_text_ok(const char *s)
{
    json_t *j = json_string(s); /* what reply_error() does with it: NULL for malformed UTF-8 */
    json_decref(j);
    return j != NULL;
}

void __llvm_profile_reset_counters(void) __attribute__((weak)); /* clang's profile runtime */

void fuzz_ready(void)
{
    if (__llvm_profile_reset_counters)
        __llvm_profile_reset_counters();
}

char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}
