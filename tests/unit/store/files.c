/* Unit tests for src/store/files.c: where a file lives, how an upload becomes one, and
 * what the sweep takes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/files.h"

static char db[64];

static int setup(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/ronghe-files-%d.db", (int)getpid());
    struct rerr err = {0};
    return files_configure(db, 1024, &err);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s.files", db);
    return system(cmd) == 0 ? 0 : -1;
}

static int count_in(const char *sub)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", files_root(), sub);
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void paths(void **state)
{
    (void)state;
    char out[256];
    const char *hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    assert_int_equal(files_path("/data/x.db.files", hex, out, sizeof out), 0);
    assert_string_equal(out,
                        "/data/x.db.files/e3/b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_true(files_hex_valid(hex));
    assert_false(files_hex_valid("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
    assert_false(files_hex_valid("../../../../etc/passwd"));
    assert_false(files_hex_valid("e3b0"));
    assert_int_equal(files_path("/r", "../x", out, sizeof out), -1);
    assert_int_equal(files_path("/r", hex, out, 10), -1); /* does not fit */
    char root[96];
    snprintf(root, sizeof root, "%s.files", db);
    assert_string_equal(files_root(), root);
    assert_int_equal(files_max_bytes(), 1024);
    struct rerr err = {0};
    assert_int_equal(files_configure(db, 0, &err), R_EINVAL);
}

static void an_upload_becomes_its_hash(void **state)
{
    (void)state;
    struct rerr err = {0};
    files_tmp *t = files_tmp_open(&err);
    assert_non_null(t);
    assert_int_equal(count_in("tmp"), 1);
    assert_int_equal(files_tmp_write(t, "ab", 2), 0);
    assert_int_equal(files_tmp_write(t, "c", 1), 0);
    assert_int_equal(files_tmp_size(t), 3);
    char hex[FILES_HEX_LEN + 1];
    assert_int_equal(files_tmp_commit(t, hex, &err), 0);
    /* SHA-256("abc"), FIPS 180-2 appendix B.1 */
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(count_in("tmp"), 0);
    int fd;
    int64_t size;
    assert_int_equal(files_open_read(hex, &fd, &size, &err), 0);
    char buf[4] = {0};
    assert_int_equal(read(fd, buf, 3), 3);
    assert_string_equal(buf, "abc");
    close(fd);
    /* the same content again: one file */
    t = files_tmp_open(&err);
    files_tmp_write(t, "abc", 3);
    assert_int_equal(files_tmp_commit(t, hex, &err), 0);
    assert_int_equal(count_in("ba"), 1);
    assert_int_equal(count_in("tmp"), 0);
    /* an abandoned one leaves nothing */
    t = files_tmp_open(&err);
    files_tmp_write(t, "half", 4);
    files_tmp_abort(t);
    assert_int_equal(count_in("tmp"), 0);
    files_tmp_abort(NULL);
    assert_int_equal(files_remove(hex), 0);
    assert_int_equal(files_remove(hex), 0); /* already gone is fine */
    assert_int_equal(files_open_read(hex, &fd, &size, &err), R_ENOTFOUND);
}

static const char *keep_hex;
static int used(void *arg, const char *hex)
{
    (void)arg;
    return keep_hex && !strcmp(hex, keep_hex);
}

static void age(const char *path, int seconds)
{
    struct timespec ts[2] = {{.tv_sec = time(NULL) - seconds}, {.tv_sec = time(NULL) - seconds}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void the_sweep_takes_old_orphans_only(void **state)
{
    (void)state;
    struct rerr err = {0};
    char a[FILES_HEX_LEN + 1], b[FILES_HEX_LEN + 1], pa[512], pb[512], tmp[512], other[512];
    files_tmp *t = files_tmp_open(&err);
    files_tmp_write(t, "kept", 4);
    files_tmp_commit(t, a, &err);
    t = files_tmp_open(&err);
    files_tmp_write(t, "orphan", 6);
    files_tmp_commit(t, b, &err);
    files_path(files_root(), a, pa, sizeof pa);
    files_path(files_root(), b, pb, sizeof pb);
    snprintf(tmp, sizeof tmp, "%s/tmp/upload-crashed", files_root());
    snprintf(other, sizeof other, "%s/notes.txt", files_root());
    FILE *f = fopen(tmp, "w");
    fputs("half", f);
    fclose(f);
    f = fopen(other, "w");
    fclose(f);
    keep_hex = a;
    int removed = -1;
    /* all young: nothing goes */
    assert_int_equal(files_sweep(used, NULL, 60, &removed, &err), 0);
    assert_int_equal(removed, 0);
    age(pa, 120);
    age(pb, 120);
    age(tmp, 120);
    age(other, 120);
    assert_int_equal(files_sweep(used, NULL, 60, &removed, &err), 0);
    assert_int_equal(removed, 2);
    assert_int_equal(access(pa, F_OK), 0);  /* named */
    assert_int_equal(access(pb, F_OK), -1); /* not */
    assert_int_equal(access(tmp, F_OK), -1);
    assert_int_equal(access(other, F_OK), 0); /* not ours: never touched */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths),
        cmocka_unit_test(an_upload_becomes_its_hash),
        cmocka_unit_test(the_sweep_takes_old_orphans_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
