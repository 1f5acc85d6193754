/*
 * ronghe: the one binary. Subcommands: init, demo, serve, user, backup, restore, audit.
 * Wrong arguments print a clear message and exit 2; failures exit 1.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "base/arena.h"
#include "base/log.h"
#include "demo/demo.h"
#include "domain/resource.h"
#include "http/http.h"
#include "jobs/backup.h"
#include "jobs/jobs.h"
#include "store/store.h"

static const char usage_main[] =
    "ronghe — 党建与业务融合平台（通辽市两级检察院）\n"
    "\n"
    "用法: ronghe 命令 [选项]\n"
    "\n"
    "命令:\n"
    "  init   --db FILE [--org NAME] [--username NAME]   新建空数据库和一个管理员\n"
    "  demo   --db FILE [--password PW]                  新建通辽演示数据库\n"
    "  serve  --db FILE [--listen HOST:PORT] [--backup-keep N]  启动服务（默认 127.0.0.1:8080）\n"
    "  user   add|passwd|list|disable --db FILE ...      管理用户\n"
    "  backup --db FILE [--to FILE | --keep N]           在线备份并校验（服务运行时也可）\n"
    "  restore --db FILE --from BACKUP                   从备份恢复（须先停止服务）\n"
    "  audit  verify --db FILE                           校验审计哈希链\n"
    "\n"
    "ronghe 命令 --help 查看每个命令的说明。\n";

static const char usage_init[] =
    "用法: ronghe init --db FILE [--org NAME] [--username NAME]\n"
    "\n"
    "新建一个空数据库：一个市级检察院（--org，默认 通辽市人民检察院）和一个管理员\n"
    "（--username，默认 admin）。管理员密码从标准输入读取（一行，至少 10 个字符）；\n"
    "标准输入是终端时自动生成一个密码并打印一次。FILE 已存在时拒绝执行。\n";

static const char usage_demo[] =
    "用法: ronghe demo --db FILE [--password PW]\n"
    "\n"
    "新建通辽演示数据库：市院和 8 个基层院、15 个基层党组织、品牌、工作法、荣誉和\n"
    "数百名党员（文章未点名的人员和支部为生成的示例数据，标记为“示例”）。\n"
    "演示账号 admin、viewer、zlt-admin、hlgl-sec 都使用 PW；不给 PW 时生成一个并打印一次。\n"
    "FILE 已存在时拒绝覆盖。\n";

static const char usage_serve[] =
    "用法: ronghe serve --db FILE [--listen HOST:PORT] [--web-dir DIR] [--backup-keep N]\n"
    "\n"
    "提供 JSON API (/api/v1) 和网页界面。默认监听 127.0.0.1:8080。\n"
    "--web-dir 从目录读取网页文件（开发用），否则使用内嵌的界面。\n"
    "--backup-keep 网页上发起的备份（FILE.backups/）保留最新 N 份（默认 7，1–1000）。\n"
    "运行期间持有 FILE.lock 的共享锁（ronghe restore 据此拒绝覆盖）。\n"
    "收到 SIGINT 或 SIGTERM 时正常停止。\n";

static const char usage_user[] =
    "用法:\n"
    "  ronghe user add --db FILE --username NAME --role admin|viewer|secretary\n"
    "                  --procuratorate 检察院 [--branch 党组织] [--display-name 姓名]\n"
    "                  （检察院、党组织写全称、简称或编号，如 --procuratorate 扎鲁特旗人民检察院）\n"
    "  ronghe user passwd --db FILE --username NAME\n"
    "  ronghe user list --db FILE\n"
    "  ronghe user disable --db FILE --username NAME\n"
    "\n"
    "密码从标准输入读取（一行，至少 10 个字符）；标准输入是终端时生成并打印一次。\n";

static const char usage_backup[] =
    "用法: ronghe backup --db FILE [--to FILE | --keep N]\n"
    "\n"
    "在线备份：复制数据库在开始那一刻的完整快照，服务运行时也可以执行，不影响使用。\n"
    "副本先写入临时文件，通过完整性检查和审计链校验后才改为正式文件名。\n"
    "不给 --to 时备份到 FILE.backups/ronghe-<时间>-cli<进程号>.db，并只保留最新 N 份\n"
    "（--keep，默认 7，1–1000）；给 --to 时写到该文件（不能已存在）。\n";

static const char usage_restore[] =
    "用法: ronghe restore --db FILE --from BACKUP\n"
    "\n"
    "用备份 BACKUP 替换数据库 FILE。先校验备份（完整性检查、审计链），未通过则不做任何改动。\n"
    "FILE 正被使用（ronghe serve 或其他命令打开着它）时拒绝执行：请先停止服务。\n"
    "原数据库（连同其 -wal）改名保留为 FILE.before-restore-<时间>；新文件先写入临时文件再改名。\n";

static const char usage_audit[] = "用法: ronghe audit verify --db FILE\n"
                                  "\n"
                                  "从第一条起重算审计记录的哈希链。完整时打印摘要并返回 0；\n"
                                  "发现被修改或删除的记录时打印第一条出错的记录并返回非 0。\n";

static int bad_usage(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "ronghe: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return 2;
}

struct opts {
    const char *db, *to, *from, *listen, *web_dir, *password, *org, *username, *role, *display_name;
    const char *procuratorate, *branch; /* an id, or a name (full or short) */
    const char *keep;                   /* --keep or --backup-keep, checked by keep_value() */
    bool password_given;
};

/* Parse "--name value" options for a subcommand. Returns 0, 1 for --help, 2 on error. */
static int parse_opts(int argc, char **argv, const char *usage, const char *allowed, struct opts *o)
{
    static const struct option longs[] = {{"db", required_argument, 0, 'd'},
                                          {"to", required_argument, 0, 't'},
                                          {"listen", required_argument, 0, 'l'},
                                          {"web-dir", required_argument, 0, 'w'},
                                          {"password", required_argument, 0, 'p'},
                                          {"org", required_argument, 0, 'o'},
                                          {"username", required_argument, 0, 'u'},
                                          {"role", required_argument, 0, 'r'},
                                          {"display-name", required_argument, 0, 'n'},
                                          {"procuratorate", required_argument, 0, 'c'},
                                          {"branch", required_argument, 0, 'b'},
                                          {"from", required_argument, 0, 'f'},
                                          {"keep", required_argument, 0, 'k'},
                                          {"backup-keep", required_argument, 0, 'K'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        if (ch == 'h')
            return fputs(usage, stdout), 1;
        if (ch == '?')
            return bad_usage(usage, "未知选项：%s", argv[optind - 1]);
        if (ch == ':')
            return bad_usage(usage, "选项 %s 缺少参数", argv[optind - 1]);
        if (!strchr(allowed, ch))
            return bad_usage(usage, "此命令不接受选项 %s", argv[optind - 1]);
        switch (ch) {
        case 'd':
            o->db = optarg;
            break;
        case 't':
            o->to = optarg;
            break;
        case 'l':
            o->listen = optarg;
            break;
        case 'w':
            o->web_dir = optarg;
            break;
        case 'p':
            o->password = optarg;
            o->password_given = true;
            break;
        case 'o':
            o->org = optarg;
            break;
        case 'u':
            o->username = optarg;
            break;
        case 'r':
            o->role = optarg;
            break;
        case 'n':
            o->display_name = optarg;
            break;
        case 'c':
            o->procuratorate = optarg;
            break;
        case 'b':
            o->branch = optarg;
            break;
        case 'f':
            o->from = optarg;
            break;
        case 'k':
        case 'K':
            o->keep = optarg;
            break;
        }
    }
    if (optind < argc)
        return bad_usage(usage, "多余的参数：%s", argv[optind]);
    if (strchr(allowed, 'd') && !o->db)
        return bad_usage(usage, "缺少 %s", "--db FILE");
    return 0;
}

/* The number of generations to keep: "arg" (NULL: the default) as 1..BACKUP_KEEP_MAX.
 * Returns 0 with *out set, 2 (wrong arguments) otherwise. */
static int keep_value(const char *arg, const char *usage, int *out)
{
    *out = BACKUP_KEEP_DEFAULT;
    if (!arg)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < 1 || v > BACKUP_KEEP_MAX) {
        fprintf(stderr, "ronghe: 保留份数应为 1 到 %d 的整数：%s\n\n%s", BACKUP_KEEP_MAX, arg, usage);
        return 2;
    }
    *out = (int)v;
    return 0;
}

/* A password from standard input (one line), or a generated one printed once. */
static int read_password(char *out, size_t cap, bool *generated)
{
    *generated = false;
    if (isatty(STDIN_FILENO)) {
        char gen[17];
        password_generate(gen);
        snprintf(out, cap, "%s", gen);
        *generated = true;
        return 0;
    }
    if (!fgets(out, (int)cap, stdin))
        return -1;
    out[strcspn(out, "\r\n")] = 0;
    return 0;
}

static int open_db(const char *path, enum store_open_mode mode, store **s)
{
    struct rerr err = {0};
    if (store_open(path, mode, s, &err) < 0) {
        fprintf(stderr, "ronghe: %s\n", err.message);
        return 1;
    }
    return 0;
}

/* The command line writes as the system actor, through the same audited path as the API. */
struct sys_session {
    store *s;
    store_conn *c;
    struct actor who;
    struct res_ctx x;
};

static int sys_open(const char *path, enum store_open_mode mode, struct sys_session *ss)
{
    if (open_db(path, mode, &ss->s))
        return 1;
    actor_system(&ss->who);
    ss->c = store_acquire(ss->s);
    ss->x = (struct res_ctx){.c = ss->c, .who = &ss->who, .a = arena_new()};
    return 0;
}

static void sys_close(struct sys_session *ss)
{
    arena_free(ss->x.a);
    store_release(ss->c);
    store_close(ss->s);
}

static int report(int rc, const struct rerr *err)
{
    if (rc < 0) {
        fprintf(stderr, "ronghe: %s%s%s\n", err->message, err->field[0] ? " 字段: " : "", err->field);
        return 1;
    }
    return 0;
}

static int cmd_init(int argc, char **argv)
{
    struct opts o = {.org = "通辽市人民检察院", .username = "admin"};
    int p = parse_opts(argc, argv, usage_init, "dou", &o);
    if (p)
        return p == 1 ? 0 : p;
    char pw[256];
    bool gen;
    if (read_password(pw, sizeof pw, &gen) < 0 || strlen(pw) < PASSWORD_MIN_LEN) {
        fprintf(stderr, "ronghe: 密码至少 %d 个字符（从标准输入读取一行）\n", PASSWORD_MIN_LEN);
        return 2;
    }
    struct sys_session ss;
    if (sys_open(o.db, STORE_CREATE_NEW, &ss))
        return 1;
    struct rerr err = {0};
    json_t *out = NULL;
    json_t *org = json_pack("{s:s, s:s, s:i}", "name", o.org, "short_name", o.org, "level", 1);
    int rc = store_begin(ss.c, &err);
    if (rc == 0)
        rc = res_create_in(&ss.x, res_find("procuratorates"), org, &out, &err);
    if (rc == 0) {
        json_t *u = json_pack("{s:s, s:s, s:s, s:s, s:I}", "username", o.username, "display_name",
                              "系统管理员", "password", pw, "role", "admin", "procuratorate_id",
                              json_integer_value(json_object_get(out, "id")));
        rc = res_create_in(&ss.x, res_find("users"), u, NULL, &err);
        json_decref(u);
    }
    json_decref(org);
    json_decref(out);
    rc = rc == 0 ? store_commit(ss.c, &err) : (store_rollback(ss.c), rc);
    sys_close(&ss);
    if (rc < 0) {
        unlink(o.db);
        return report(rc, &err);
    }
    printf("已创建 %s：%s，管理员 %s\n", o.db, o.org, o.username);
    if (gen)
        printf("管理员密码（只显示这一次）：%s\n", pw);
    return 0;
}

static int cmd_demo(int argc, char **argv)
{
    struct opts o = {0};
    int p = parse_opts(argc, argv, usage_demo, "dp", &o);
    if (p)
        return p == 1 ? 0 : p;
    char pw[64];
    if (o.password_given) {
        if (strlen(o.password) < PASSWORD_MIN_LEN) {
            fprintf(stderr, "ronghe: 密码至少 %d 个字符\n", PASSWORD_MIN_LEN);
            return 2;
        }
        snprintf(pw, sizeof pw, "%s", o.password);
    } else {
        password_generate(pw);
    }
    store *s;
    if (open_db(o.db, STORE_CREATE_NEW, &s))
        return 1;
    struct rerr err = {0};
    int rc = demo_populate(s, pw, &err);
    store_close(s);
    if (rc < 0) {
        unlink(o.db);
        return report(rc, &err);
    }
    printf("已创建通辽演示数据库 %s\n", o.db);
    printf("演示账号：admin（市院政治部，管理两级院）、viewer（市院领导，只读）、\n"
           "          zlt-admin（扎鲁特旗院管理员）、hlgl-sec（霍林郭勒市院支部书记）\n");
    if (!o.password_given)
        printf("演示账号密码（只显示这一次）：%s\n", pw);
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    struct opts o = {.listen = "127.0.0.1:8080"};
    int p = parse_opts(argc, argv, usage_serve, "dlwK", &o);
    if (p)
        return p == 1 ? 0 : p;
    struct jobs_config jc;
    if (keep_value(o.keep, usage_serve, &jc.backup_keep))
        return 2;
    jobs_configure(&jc);
    store *s;
    if (open_db(o.db, STORE_OPEN_EXISTING, &s))
        return 1;
    struct http_config cfg = {.listen = o.listen, .web_dir = o.web_dir};
    struct rerr err = {0};
    int rc = http_serve(s, &cfg, &err);
    store_close(s);
    return report(rc, &err);
}

/* The id of the "coll" record named "what": a positive number is taken as the id; else
 * the record whose name (or short name) is exactly "what". */
static int resolve(struct res_ctx *x, const char *coll, const char *what, int64_t in_proc, int64_t *id,
                   struct rerr *err)
{
    char *end;
    long long v = strtoll(what, &end, 10);
    if (!*end && v > 0) {
        *id = v;
        return 0;
    }
    char proc[24];
    snprintf(proc, sizeof proc, "%lld", (long long)in_proc);
    /* within one procuratorate, when given: branch names are unique only there */
    struct res_query q = {
        .n = in_proc ? 3 : 2, .key = {"q", "per_page", "procuratorate_id"}, .val = {what, "500", proc}};
    json_t *page;
    int rc = res_list(x, res_find(coll), &q, &page, err);
    if (rc < 0)
        return rc;
    size_t i;
    json_t *it;
    *id = 0;
    json_array_foreach(json_object_get(page, "items"), i, it)
    {
        const char *name = res_str(it, "name"), *short_name = res_str(it, "short_name");
        if ((name && !strcmp(name, what)) || (short_name && !strcmp(short_name, what)))
            *id = res_int(it, "id");
    }
    json_decref(page);
    if (!*id)
        return rerr_set(err, R_ENOTFOUND, "not_found", coll, "找不到“%s”（请写全称、简称或编号）", what);
    return 0;
}

static int user_by_name(struct res_ctx *x, const char *username, json_t **rec, struct rerr *err)
{
    struct res_query q = {.n = 1, .key = {"username"}, .val = {username}};
    json_t *page;
    int rc = res_list(x, res_find("users"), &q, &page, err);
    if (rc < 0)
        return rc;
    json_t *first = json_array_get(json_object_get(page, "items"), 0);
    if (!first) {
        json_decref(page);
        return rerr_set(err, R_ENOTFOUND, "not_found", "username", "用户 %s 不存在", username);
    }
    *rec = json_incref(first);
    json_decref(page);
    return 0;
}

static int cmd_user(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_user, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    const char *allowed = !strcmp(sub, "add")       ? "durnbc"
                          : !strcmp(sub, "passwd")  ? "du"
                          : !strcmp(sub, "list")    ? "d"
                          : !strcmp(sub, "disable") ? "du"
                                                    : NULL;
    if (!allowed)
        return bad_usage(usage_user, "未知的 user 子命令：%s", sub);
    struct opts o = {0};
    int p = parse_opts(argc - 1, argv + 1, usage_user, allowed, &o);
    if (p)
        return p == 1 ? 0 : p;
    if (strcmp(sub, "list") != 0 && !o.username)
        return bad_usage(usage_user, "缺少 %s", "--username NAME");
    if (!strcmp(sub, "add") && (!o.role || !o.procuratorate))
        return bad_usage(usage_user, "缺少 %s", "--role 或 --procuratorate");
    char pw[256] = "";
    bool gen = false;
    if (!strcmp(sub, "add") || !strcmp(sub, "passwd")) {
        if (read_password(pw, sizeof pw, &gen) < 0 || strlen(pw) < PASSWORD_MIN_LEN) {
            fprintf(stderr, "ronghe: 密码至少 %d 个字符（从标准输入读取一行）\n", PASSWORD_MIN_LEN);
            return 2;
        }
    }
    struct sys_session ss;
    if (sys_open(o.db, STORE_OPEN_EXISTING, &ss))
        return 1;
    struct res_ctx x = ss.x;
    struct rerr err = {0};
    json_t *rec = NULL, *out = NULL, *body = NULL;
    int rc = 0;
    if (!strcmp(sub, "add")) {
        int64_t proc = 0, branch = 0;
        rc = resolve(&x, "procuratorates", o.procuratorate, 0, &proc, &err);
        if (rc == 0 && o.branch)
            rc = resolve(&x, "branches", o.branch, proc, &branch, &err);
        if (rc == 0) {
            body = json_pack("{s:s, s:s, s:s, s:s, s:I}", "username", o.username, "display_name",
                             o.display_name ? o.display_name : o.username, "password", pw, "role", o.role,
                             "procuratorate_id", (json_int_t)proc);
            if (branch)
                json_object_set_new(body, "branch_id", json_integer(branch));
            rc = res_create(&x, res_find("users"), body, &out, &err);
        }
        if (rc == 0)
            printf("已添加用户 %s（%s）\n", o.username, o.role);
    } else if (!strcmp(sub, "list")) {
        struct res_query q = {.n = 1, .key = {"per_page"}, .val = {"500"}};
        rc = res_list(&x, res_find("users"), &q, &out, &err);
        if (rc == 0) {
            printf("%-16s %-10s %-6s %s\n", "用户名", "角色", "状态", "检察院 / 党组织");
            size_t i;
            json_t *u;
            json_array_foreach(json_object_get(out, "items"), i, u)
            {
                printf("%-16s %-10s %-6s %s%s%s\n", res_str(u, "username"), res_str(u, "role"),
                       json_is_true(json_object_get(u, "disabled")) ? "停用" : "正常",
                       res_str(u, "procuratorate_name") ? res_str(u, "procuratorate_name") : "",
                       res_str(u, "branch_name") ? " / " : "",
                       res_str(u, "branch_name") ? res_str(u, "branch_name") : "");
            }
        }
    } else {
        rc = user_by_name(&x, o.username, &rec, &err);
        if (rc == 0) {
            body = !strcmp(sub, "passwd")
                       ? json_pack("{s:O, s:s}", "version", json_object_get(rec, "version"), "password", pw)
                       : json_pack("{s:O, s:b}", "version", json_object_get(rec, "version"), "disabled", 1);
            rc = res_update(&x, res_find("users"), res_int(rec, "id"), body, &out, &err);
        }
        if (rc == 0)
            printf(!strcmp(sub, "passwd") ? "已修改 %s 的密码\n" : "已停用用户 %s\n", o.username);
    }
    if (rc == 0 && gen)
        printf("密码（只显示这一次）：%s\n", pw);
    json_decref(rec);
    json_decref(out);
    json_decref(body);
    sys_close(&ss);
    return report(rc, &err);
}

/* A progress bar on a terminal; nothing when standard error is a file or a pipe. */
static void progress_bar(void *label, int64_t done, int64_t total)
{
    if (!isatty(STDERR_FILENO) || total <= 0)
        return;
    int width = 30, filled = (int)(done * width / total);
    fprintf(stderr, "\r%s [", (const char *)label);
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %3d%% (%" PRId64 "/%" PRId64 " 页)", (int)(done * 100 / total), done, total);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int cmd_backup(int argc, char **argv)
{
    struct opts o = {0};
    int p = parse_opts(argc, argv, usage_backup, "dtk", &o);
    if (p)
        return p == 1 ? 0 : p;
    if (o.to && o.keep)
        return bad_usage(usage_backup, "%s",
                         "--to 和 --keep 不能同时使用（--keep 只管 FILE.backups/ 中的备份）");
    int keep;
    if (keep_value(o.keep, usage_backup, &keep))
        return 2;
    store *s;
    if (open_db(o.db, STORE_OPEN_EXISTING, &s))
        return 1;
    struct rerr err = {0};
    struct backup_result br;
    char tag[32];
    snprintf(tag, sizeof tag, "cli%ld", (long)getpid());
    int rc = o.to ? backup_write(s, o.to, progress_bar, "备份", &br, &err)
                  : backup_generation(s, tag, keep, progress_bar, "备份", &br, &err);
    store_close(s);
    if (rc < 0)
        return report(rc, &err);
    printf("已备份到 %s（%" PRId64 " 页，%" PRId64 " 字节）\n", br.file, br.pages, br.bytes);
    printf("已校验：完整性检查通过，审计链 %" PRId64 " 条记录完好\n", br.audit_entries);
    if (!o.to)
        printf("保留最新 %d 份备份，本次删除旧备份 %d 份\n", keep, br.removed);
    return 0;
}

static int cmd_restore(int argc, char **argv)
{
    struct opts o = {0};
    int p = parse_opts(argc, argv, usage_restore, "df", &o);
    if (p)
        return p == 1 ? 0 : p;
    if (!o.from)
        return bad_usage(usage_restore, "缺少 %s", "--from BACKUP");
    struct restore_report rep;
    struct rerr err = {0};
    int rc = backup_restore(o.db, o.from, &rep, &err);
    if (rc < 0)
        return report(rc, &err);
    printf("已校验备份 %s：完整性检查通过，审计链 %" PRId64 " 条记录完好\n", o.from, rep.audit_entries);
    if (rep.kept[0])
        printf("原数据库已改名保留为 %s%s\n", rep.kept, rep.kept_wal ? "（连同其 -wal 文件）" : "");
    else
        printf("%s 原先不存在，无需保留\n", o.db);
    printf("已恢复到 %s（%" PRId64 " 字节）；旧的 -wal/-shm 已移走，可以启动服务\n", o.db, rep.bytes);
    return 0;
}

static int cmd_audit(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_audit, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "verify") != 0)
        return bad_usage(usage_audit, "未知的 audit 子命令：%s", argv[1]);
    struct opts o = {0};
    int p = parse_opts(argc - 1, argv + 1, usage_audit, "d", &o);
    if (p)
        return p == 1 ? 0 : p;
    store *s;
    if (open_db(o.db, STORE_OPEN_EXISTING, &s))
        return 1;
    store_conn *c = store_acquire(s);
    struct audit_report rep;
    struct rerr err = {0};
    int rc = audit_verify(c, &rep, &err);
    store_release(c);
    store_close(s);
    if (rc == 0) {
        printf("审计链完整：共 %" PRId64 " 条记录，全部校验通过\n", rep.entries);
        return 0;
    }
    if (rc == R_ECONFLICT) {
        printf("审计链已损坏：第一条出错的记录 #%" PRId64 "：%s（此前 %" PRId64 " 条完好）\n", rep.first_bad,
               rep.reason, rep.entries);
        return 3;
    }
    return report(rc, &err);
}

int main(int argc, char **argv)
{
    password_init();
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    argc--;
    argv++;
    if (!strcmp(cmd, "init"))
        return cmd_init(argc, argv);
    if (!strcmp(cmd, "demo"))
        return cmd_demo(argc, argv);
    if (!strcmp(cmd, "serve"))
        return cmd_serve(argc, argv);
    if (!strcmp(cmd, "user"))
        return cmd_user(argc, argv);
    if (!strcmp(cmd, "backup"))
        return cmd_backup(argc, argv);
    if (!strcmp(cmd, "restore"))
        return cmd_restore(argc, argv);
    if (!strcmp(cmd, "audit"))
        return cmd_audit(argc, argv);
    fprintf(stderr, "ronghe: 未知命令：%s\n\n%s", cmd, usage_main);
    return 2;
}
