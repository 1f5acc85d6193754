/*
 * Unit tests for src/jobs/backup.c on real files in a temporary directory: a copy is
 * verified (with the audit key and anchors that travel with it) before it gets its name,
 * a tampered copy is refused, generations are pruned with their audit files, stale
 * temporaries (and only they) are removed, and restore refuses a database in use, keeps
 * the one it replaces (with its -wal, key and anchors), records itself in the restored
 * chain, and refuses a bad backup without changing anything.
 */
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
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/actor.h"
#include "auth/audit.h"
#include "auth/password.h"
#include "domain/resource.h"
#include "jobs/backup.h"
#include "store/store.h"

static char dir[64], db[96], gens[112];

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[512];
            snprintf(p, sizeof p, "%s/%s", path, e->d_name);
            remove_tree(p);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static bool present(const char *fmt, const char *a)
{
    char p[2 * BACKUP_PATH_MAX];
    snprintf(p, sizeof p, fmt, a);
    return access(p, F_OK) == 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int count_in(const char *path, const char *with)
{
    DIR *d = opendir(path);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strstr(e->d_name, with) != NULL;
    if (d)
        closedir(d);
    return n;
}

/* A database with a few audited records (procuratorates, by the system actor). */
static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ronghe-backup-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db, sizeof db, "%s/r.db", dir);
    snprintf(gens, sizeof gens, "%s.backups", db);
    store *s;
    struct rerr e = {0};
    if (store_open(db, STORE_CREATE_NEW, &s, &e) < 0 || audit_open_key(s, &e) < 0)
        fail_msg("%s", e.message);
    struct actor who;
    actor_system(&who);
    store_conn *c = store_acquire(s);
    struct res_ctx x = {.c = c, .who = &who, .a = arena_new()};
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "测试检察院%d", i);
        json_t *body = json_pack("{s:s, s:s, s:i}", "name", name, "short_name", name, "level", i ? 2 : 1);
        if (i)
            json_object_set_new(body, "parent_id", json_integer(1));
        if (res_create(&x, res_find("procuratorates"), body, NULL, &e) < 0)
            fail_msg("%s", e.message);
        json_decref(body);
    }
    arena_free(x.a);
    store_release(c);
    audit_close(s);
    store_close(s);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(dir);
    return 0;
}

/* Opened as every writer opens it: with its audit key. */
static store *open_db(void)
{
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(db, STORE_OPEN_EXISTING, &s, &e), 0);
    assert_int_equal(audit_open_key(s, &e), 0);
    return s;
}

static void close_db(store *s)
{
    audit_close(s);
    store_close(s);
}

/* Entries of "path"'s chain (read-only). */
static int64_t entries_of(const char *path)
{
    store *s;
    struct rerr e = {0};
    assert_int_equal(store_open(path, STORE_OPEN_READONLY, &s, &e), 0);
    store_conn *c = store_acquire(s);
    store_stmt *st = store_prepare(c, "SELECT count(*) FROM audit");
    assert_int_equal(store_step(st, &e), STORE_ROW);
    int64_t n = store_col_int(st, 0);
    store_done(st);
    store_release(c);
    store_close(s);
    return n;
}

static void write_verify_and_refuse(void **state)
{
    (void)state;
    store *s = open_db();
    struct backup_result r;
    struct rerr e = {0};
    char to[160];
    snprintf(to, sizeof to, "%s/copy.db", dir);
    int64_t n = entries_of(db);
    assert_true(n >= 5); /* the five records, and the key's own first entry */
    assert_int_equal(backup_write(s, to, NULL, NULL, &r, &e), 0);
    assert_int_equal(r.audit_entries, n);
    assert_int_equal(r.anchor_count, n);
    assert_true(present("%s.audit-key", to) && present("%s.audit-anchors", to));
    assert_true(r.pages > 0 && r.bytes == r.pages * 4096);
    assert_string_equal(r.name, "copy.db");
    assert_false(present("%s/copy.db.tmp", dir));
    /* never over an existing file */
    assert_int_equal(backup_write(s, to, NULL, NULL, &r, &e), R_ECONFLICT);
    /* nor while another writer has the temporary (it is locked) */
    char tmp[176];
    snprintf(to, sizeof to, "%s/other.db", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", to);
    int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0 && flock(fd, LOCK_EX) == 0);
    assert_int_equal(backup_write(s, to, NULL, NULL, &r, &e), R_ECONFLICT);
    assert_false(present("%s/other.db", dir));
    assert_false(present("%s/other.db.audit-key", dir));
    close(fd);
    close_db(s);

    struct backup_check chk;
    snprintf(to, sizeof to, "%s/copy.db", dir);
    assert_int_equal(backup_verify(to, NULL, NULL, &chk, &e), 0);
    assert_int_equal(chk.audit_entries, n);
    assert_true(chk.keyed && chk.anchors >= 1);
    /* An edited audit entry in a copy (the trigger dropped, as someone holding the file
     * can): refused, and said why. */
    store *c;
    assert_int_equal(store_open(to, STORE_OPEN_EXISTING, &c, &e), 0);
    store_conn *cc = store_acquire(c);
    assert_int_equal(store_exec(cc,
                                "DROP TRIGGER audit_no_update;"
                                " UPDATE audit SET username = 'mallory' WHERE id = 3",
                                &e),
                     0);
    store_release(cc);
    store_close(c);
    assert_int_equal(backup_verify(to, NULL, NULL, &chk, &e), R_ECONFLICT);
    assert_string_equal(e.code, "audit_broken");
    assert_non_null(strstr(e.message, "审计链校验未通过"));
}

static void generations_and_stale_temporaries(void **state)
{
    (void)state;
    store *s = open_db();
    struct backup_result r;
    struct rerr e = {0};
    char first[BACKUP_PATH_MAX] = "", tag[8];
    for (int i = 0; i < 4; i++) {
        snprintf(tag, sizeof tag, "t%d", i);
        assert_int_equal(backup_generation(s, tag, 2, NULL, NULL, &r, &e), 0);
        assert_int_equal(r.removed, i < 2 ? 0 : 1);
        if (i == 0)
            snprintf(first, sizeof first, "%s", r.name);
    }
    /* The newest two remain: this one and the one before. */
    assert_int_equal(count_in(gens, ".db"), 6); /* two copies, each with its key and anchors */
    assert_int_equal(count_in(gens, ".audit-key"), 2);
    assert_true(present("%s", r.file));
    assert_int_equal(count_in(gens, "-t2.db") + count_in(gens, "-t3.db"), 6);
    char p[BACKUP_PATH_MAX + 256];
    snprintf(p, sizeof p, "%s/%s", gens, first);
    assert_false(present("%s", p));
    assert_int_equal(backup_generation(s, "x", 0, NULL, NULL, &r, &e), R_EINVAL);

    /* What a killed writer leaves: a temporary and its journal, unlocked. And a temporary
     * being written now: locked. Only the first two go. */
    char stale[BACKUP_PATH_MAX + 64], journal[BACKUP_PATH_MAX + 80], live[BACKUP_PATH_MAX + 64];
    snprintf(stale, sizeof stale, "%s/ronghe-20260101-000000-9.db.tmp", gens);
    snprintf(journal, sizeof journal, "%s-journal", stale);
    snprintf(live, sizeof live, "%s/ronghe-20260101-000000-10.db.tmp", gens);
    fclose(fopen(stale, "w"));
    fclose(fopen(journal, "w"));
    int fd = open(live, O_RDWR | O_CREAT, 0600);
    assert_true(fd >= 0 && flock(fd, LOCK_EX) == 0);
    char orphan[BACKUP_PATH_MAX + 80]; /* a -wal whose temporary is gone */
    snprintf(orphan, sizeof orphan, "%s/ronghe-20260101-000000-11.db.tmp-wal", gens);
    fclose(fopen(orphan, "w"));
    /* the key of a copy killed before its rename, and that of one being written now */
    char stale_key[BACKUP_PATH_MAX + 80], live_key[BACKUP_PATH_MAX + 80];
    snprintf(stale_key, sizeof stale_key, "%s/ronghe-20260101-000000-9.db.audit-key", gens);
    snprintf(live_key, sizeof live_key, "%s/ronghe-20260101-000000-10.db.audit-key", gens);
    fclose(fopen(stale_key, "w"));
    fclose(fopen(live_key, "w"));
    assert_int_equal(backup_clean_stale(gens), 4);
    assert_false(present("%s", stale) || present("%s", journal) || present("%s", orphan) ||
                 present("%s", stale_key));
    assert_true(present("%s", live) && present("%s", live_key));
    close(fd);
    assert_int_equal(backup_clean_stale(gens), 2);
    assert_int_equal(count_in(gens, ".db"), 6); /* the generations were not touched */
    close_db(s);

    assert_true(backup_name_valid("ronghe-20261201-120000-5.db"));
    assert_false(backup_name_valid("ronghe-x/../../etc.db"));
    assert_false(backup_name_valid("ronghe-a\"b.db"));
    assert_false(backup_name_valid("other-20261201.db"));
}

static void restore(void **state)
{
    (void)state;
    store *s = open_db();
    struct backup_result r;
    struct restore_report rep;
    struct rerr e = {0};
    assert_int_equal(backup_generation(s, "r", 3, NULL, NULL, &r, &e), 0);
    int64_t at_backup = r.audit_entries;
    /* In use: refused, nothing changed. */
    assert_int_equal(backup_restore(db, r.file, &rep, &e), R_ECONFLICT);
    assert_string_equal(e.code, "in_use");
    assert_false(present("%s.restore.tmp", db));
    /* A change after the backup, which the restore will undo. */
    store_conn *c = store_acquire(s);
    assert_int_equal(store_exec(c, "UPDATE procuratorates SET name = '已改' WHERE id = 2", &e), 0);
    store_release(c);
    close_db(s);
    /* A -wal and -shm beside the database, as a killed server leaves them. */
    char side[160];
    snprintf(side, sizeof side, "%s-wal", db);
    write_file(side, "not a valid WAL header: SQLite ignores it, restore keeps it");
    snprintf(side, sizeof side, "%s-shm", db);
    write_file(side, "");
    assert_int_equal(backup_restore(db, r.file, &rep, &e), 0);
    assert_int_equal(rep.audit_entries, at_backup);
    assert_true(rep.kept[0] && present("%s", rep.kept));
    assert_true(rep.kept_wal && present("%s-wal", rep.kept));
    assert_true(present("%s.audit-key", rep.kept) && present("%s.audit-anchors", rep.kept));
    assert_true(present("%s.audit-key", db) && present("%s.audit-anchors", db));
    assert_false(present("%s-wal", db) || present("%s-shm", db) || present("%s.restore.tmp", db));
    /* The restored chain verifies against its anchors, and holds the restore itself. */
    struct backup_check chk;
    assert_int_equal(backup_verify(db, NULL, NULL, &chk, &e), 0);
    assert_int_equal(chk.audit_entries, at_backup + 1);
    s = open_db();
    c = store_acquire(s);
    store_stmt *st = store_prepare(c, "SELECT name FROM procuratorates WHERE id = 2");
    assert_int_equal(store_step(st, &e), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "测试检察院1");
    store_done(st);
    st = store_prepare(c, "SELECT action, entity, after FROM audit ORDER BY id DESC LIMIT 1");
    assert_int_equal(store_step(st, &e), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "restore");
    assert_string_equal(store_col_text(st, 1), "database");
    assert_non_null(strstr(store_col_text(st, 2), r.name));
    store_done(st);
    store_release(c);
    close_db(s);

    /* A bad backup changes nothing: not a database; a missing file; the database itself. */
    char junk[160];
    snprintf(junk, sizeof junk, "%s/junk.db", dir);
    write_file(junk, "this is text and not an SQLite database; restore must refuse it in Chinese ....");
    struct stat before, after;
    assert_int_equal(stat(db, &before), 0);
    assert_true(backup_restore(db, junk, &rep, &e) < 0);
    assert_string_equal(e.code, "bad_backup");
    assert_int_equal(backup_restore(db, "/nonexistent/x.db", &rep, &e), R_ENOTFOUND);
    assert_int_equal(backup_restore(db, db, &rep, &e), R_EINVAL);
    assert_int_equal(stat(db, &after), 0);
    assert_true(before.st_ino == after.st_ino && before.st_mtime == after.st_mtime);
    assert_false(present("%s.restore.tmp", db));
    /* A copy whose key did not come along: a keyed chain it cannot verify, refused. */
    char nokey[160], kf[180];
    snprintf(nokey, sizeof nokey, "%s/nokey.db", dir);
    s = open_db();
    assert_int_equal(backup_write(s, nokey, NULL, NULL, &r, &e), 0);
    close_db(s);
    snprintf(kf, sizeof kf, "%s.audit-key", nokey);
    unlink(kf);
    assert_int_equal(stat(db, &before), 0);
    assert_true(backup_restore(db, nokey, &rep, &e) < 0);
    assert_int_equal(stat(db, &after), 0);
    assert_true(before.st_ino == after.st_ino && before.st_mtime == after.st_mtime);
    assert_false(present("%s.restore.tmp", db) || present("%s.restore.tmp.audit-key", db));
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(write_verify_and_refuse, setup, teardown),
        cmocka_unit_test_setup_teardown(generations_and_stale_temporaries, setup, teardown),
        cmocka_unit_test_setup_teardown(restore, setup, teardown),
    };
    return cmocka_run_group_tests_name("jobs/backup", tests, NULL, NULL);
}
