/*
 * ronghe: the one binary. Subcommands: init, demo, serve, user, backup, restore, audit, files, export.
 * Wrong arguments print a clear message and exit 2; failures exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "base/arena.h"
#include "base/log.h"
#include "cli/cli.h"
#include "demo/demo.h"
#include "domain/attachment.h"
#include "domain/export.h"
#include "domain/import.h"
#include "domain/resource.h"
#include "domain/template.h"
#include "domain/timeline.h"
#include "http/http.h"
#include "http/proxy.h"
#include "jobs/backup.h"
#include "jobs/jobs.h"
#include "store/files.h"
#include "store/store.h"

/* The one rule (password_rule_check), said once for every --help that takes a password. */
#define PASSWORD_RULE_TEXT                                                                                               \
    "密码规则：10 到 64 个字符；大写字母、小写字母、数字、其他符号四类中至少三类；\n" \
    "不能包含用户名，不能全是空白或同一个字符，不能是常见弱密码。\n"

static const char usage_main[] =
    "ronghe — 党建与业务融合平台（通辽市两级检察院）\n"
    "\n"
    "用法: ronghe 命令 [选项]\n"
    "\n"
    "命令:\n"
    "  init   --db FILE [--org NAME] [--username NAME]   新建空数据库和一个管理员\n"
    "  demo   --db FILE [--password PW]                  新建通辽演示数据库\n"
    "  serve  --db FILE [--listen HOST:PORT] [--trusted-proxy LIST] [--backup-keep N]  启动服务（默认 "
    "127.0.0.1:8080）\n"
    "  user   add|passwd|list|disable|unlock --db FILE ...  管理用户\n"
    "  backup --db FILE [--to FILE | --keep N]           在线备份并校验（服务运行时也可）\n"
    "  restore --db FILE --from BACKUP                   从备份恢复（须先停止服务）\n"
    "  audit  verify --db FILE [--anchors F] [--key F]   校验审计链（密钥、锚点）\n"
    "  audit  anchor --db FILE                           立即写入一个审计锚点\n"
    "  files  sweep --db FILE [--grace SECONDS]          清理没有记录引用的附件文件\n"
    "  import --db FILE KIND FILE [--check] [--update]   从 XLSX/CSV 导入（全部通过才写入）\n"
    "  template KIND --to FILE.xlsx                      生成导入模板\n"
    "  export --db FILE KIND [--filter k=v …] --to FILE.xlsx|FILE.csv  导出一个数据集的列表\n"
    "  eval check|run|explain …                          考评：检查方案、计算排名、解释得分\n"
    "\n"
    "ronghe 命令 --help 查看每个命令的说明。\n";

static const char usage_init[] =
    "用法: ronghe init --db FILE [--org NAME] [--username NAME]\n"
    "\n"
    "新建一个空数据库：一个市级检察院（--org，默认 通辽市人民检察院）和一个管理员\n"
    "（--username，默认 admin）。管理员密码从标准输入读取（一行）；标准输入是终端时\n"
    "自动生成一个密码并打印一次。FILE 已存在时拒绝执行。\n"
    "\n" PASSWORD_RULE_TEXT;

static const char usage_demo[] =
    "用法: ronghe demo --db FILE [--password PW | --password-file F]\n"
    "\n"
    "新建通辽演示数据库：市院和 8 个基层院、15 个基层党组织、品牌、工作法、荣誉和\n"
    "数百名党员（文章未点名的人员和支部为生成的示例数据，标记为“示例”）。\n"
    "演示账号 admin、viewer、zlt-admin、hlgl-sec 都使用 PW；不给 PW 时生成一个并打印一次，\n"
    "给了 --password-file 时改为写入文件 F（权限 0600，只有你能读），不打印。\n"
    "FILE 已存在时拒绝覆盖。\n"
    "\n" PASSWORD_RULE_TEXT;

static const char usage_serve[] =
    "用法: ronghe serve --db FILE [--listen HOST:PORT] [--trusted-proxy LIST] [--web-dir DIR]\n"
    "                    [--secure-cookie] [--backup-keep N] [--attachment-max-mib N]\n"
    "\n"
    "提供 JSON API (/api/v1) 和网页界面。默认监听 127.0.0.1:8080。\n"
    "--trusted-proxy 可信的反向代理：逗号分隔的 IP 地址或 CIDR（如 127.0.0.1,10.0.0.0/8，\n"
    "可重复给出）。只有来自这些地址的请求才采信 X-Forwarded-For（取最右边的非代理地址\n"
    "为客户端地址）；其他请求的 X-Forwarded-For 一律忽略。不给时不采信任何转发头。\n"
    "--web-dir 从目录读取网页文件（开发用），否则使用内嵌的界面。\n"
    "--secure-cookie 给登录 Cookie 加上 Secure（经 HTTPS 提供服务时使用，如在反向代理之后）。\n"
    "--backup-keep 网页上发起的备份（FILE.backups/）保留最新 N 份（默认 7，1–1000）。\n"
    "--attachment-max-mib 附件大小上限，单位 MiB（默认 20，1–1024）。附件存放在 FILE.files/，\n"
    "按内容的 SHA-256 命名；启动时清理崩溃遗留的、没有记录引用的文件（见 ronghe files sweep）。\n"
    "运行期间持有 FILE.lock 的共享锁（ronghe restore 据此拒绝覆盖）。\n"
    "登录会话 30 分钟无操作即结束，登录 12 小时后无论如何结束。\n"
    "收到 SIGINT 或 SIGTERM 时正常停止。\n";

static const char usage_user[] =
    "用法:\n"
    "  ronghe user add --db FILE --username NAME --role admin|viewer|secretary\n"
    "                  --procuratorate 检察院 [--branch 党组织] [--display-name 姓名]\n"
    "                  （检察院、党组织写全称、简称或编号，如 --procuratorate 扎鲁特旗人民检察院）\n"
    "  ronghe user passwd --db FILE --username NAME\n"
    "  ronghe user list --db FILE\n"
    "  ronghe user disable --db FILE --username NAME\n"
    "  ronghe user unlock --db FILE --username NAME\n"
    "                  （解除登录限制：该账号的失败计数清零，15 分钟内不受所在地址的限制；\n"
    "                  正在运行的服务在该账号下次登录时即生效）\n"
    "\n"
    "密码从标准输入读取（一行）；标准输入是终端时生成并打印一次。\n"
    "修改密码、停用都会立即结束该用户的所有登录会话（服务运行时也是）。\n"
    "\n" PASSWORD_RULE_TEXT;

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

static const char usage_audit[] =
    "用法:\n"
    "  ronghe audit verify --db FILE [--anchors FILE] [--key FILE]\n"
    "  ronghe audit anchor --db FILE\n"
    "\n"
    "verify 从第一条起重算审计链（每条用密钥 FILE.audit-key 认证），并与链头和锚点文件\n"
    "（默认 FILE.audit-anchors；--anchors 指定保存在别处的副本）中的每个锚点核对。\n"
    "完整时打印摘要并返回 0；发现被修改、删除、截断或清空时打印第一条出错的记录并\n"
    "返回 3；无法校验（如缺少密钥文件）返回 1。说明见 docs/audit.md。\n"
    "anchor 把当前链头（条数、链值、时间）追加到锚点文件；请定期把锚点文件复制到别处保存。\n";

static int bad_usage(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "ronghe: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return 2;
}

struct opts {
    const char *db, *to, *listen, *web_dir, *password, *password_file, *org, *username, *role, *display_name;
    const char *key, *anchors;          /* audit verify */
    const char *from;                   /* restore */
    const char *keep;                   /* --keep or --backup-keep, checked by keep_value() */
    const char *attachment_max, *grace; /* serve --attachment-max-mib, files sweep --grace */
    const char *procuratorate, *branch; /* an id, or a name (full or short) */
    bool password_given, secure_cookie;
    char trusted_proxy[1024]; /* every --trusted-proxy, joined by commas */
};

/* Parse "--name value" options for a subcommand. Returns 0, 1 for --help, 2 on error. */
static int parse_opts(int argc, char **argv, const char *usage, const char *allowed, struct opts *o)
{
    static const struct option longs[] = {{"db", required_argument, 0, 'd'},
                                          {"to", required_argument, 0, 't'},
                                          {"listen", required_argument, 0, 'l'},
                                          {"web-dir", required_argument, 0, 'w'},
                                          {"password", required_argument, 0, 'p'},
                                          {"password-file", required_argument, 0, 'P'},
                                          {"secure-cookie", no_argument, 0, 'S'},
                                          {"org", required_argument, 0, 'o'},
                                          {"username", required_argument, 0, 'u'},
                                          {"role", required_argument, 0, 'r'},
                                          {"display-name", required_argument, 0, 'n'},
                                          {"procuratorate", required_argument, 0, 'c'},
                                          {"branch", required_argument, 0, 'b'},
                                          {"trusted-proxy", required_argument, 0, 'x'},
                                          {"key", required_argument, 0, 'k'},
                                          {"anchors", required_argument, 0, 'a'},
                                          {"from", required_argument, 0, 'f'},
                                          {"keep", required_argument, 0, 'e'},
                                          {"backup-keep", required_argument, 0, 'K'},
                                          {"attachment-max-mib", required_argument, 0, 'M'},
                                          {"grace", required_argument, 0, 'g'},
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
        case 'P':
            o->password_file = optarg;
            break;
        case 'S':
            o->secure_cookie = true;
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
        case 'x': {
            size_t used = strlen(o->trusted_proxy);
            if (used + strlen(optarg) + 2 > sizeof o->trusted_proxy)
                return bad_usage(usage, "%s", "--trusted-proxy 的列表过长");
            snprintf(o->trusted_proxy + used, sizeof o->trusted_proxy - used, "%s%s", used ? "," : "",
                     optarg);
            break;
        }
        case 'k':
            o->key = optarg;
            break;
        case 'a':
            o->anchors = optarg;
            break;
        case 'f':
            o->from = optarg;
            break;
        case 'e':
        case 'K':
            o->keep = optarg;
            break;
        case 'M':
            o->attachment_max = optarg;
            break;
        case 'g':
            o->grace = optarg;
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

/* Room for the longest password the rule allows, its line end and the NUL. */
#define PASSWORD_LINE (PASSWORD_MAX_BYTES + 3)

/* A password for account "username" from standard input (one line), or on a terminal a
 * generated one (the caller prints it once), into "out" (PASSWORD_LINE bytes). Returns 0,
 * or 2 with the message printed when there is none or the rule refuses it. */
static int read_password(char out[PASSWORD_LINE], const char *username, bool *generated)
{
    *generated = false;
    if (isatty(STDIN_FILENO)) {
        char gen[17];
        password_generate(gen, username);
        snprintf(out, PASSWORD_LINE, "%s", gen);
        *generated = true;
        return 0;
    }
    if (!fgets(out, PASSWORD_LINE, stdin)) {
        fprintf(stderr, "ronghe: 请从标准输入提供密码（一行）\n");
        return 2;
    }
    size_t n = strcspn(out, "\r\n");
    bool whole = out[n] != 0 || feof(stdin); /* else the line goes on past the buffer */
    out[n] = 0;
    struct rerr err = {0};
    if (!whole)
        rerr_set(&err, R_EINVAL, "too_long", "password", "密码最多 %d 个字符（不超过 %d 字节）",
                 PASSWORD_MAX_LEN, PASSWORD_MAX_BYTES);
    if (!whole || password_rule_check(out, username, &err) < 0) {
        fprintf(stderr, "ronghe: %s\n", err.message);
        return 2;
    }
    return 0;
}

/* The branch timelines' rows and triggers as this build's collections declare them
 * (domain/timeline.h), before anything is written. */
static int sync_timelines(store *s, struct rerr *err)
{
    store_conn *c = store_acquire(s);
    int rc = timeline_sync(c, err);
    store_release(c);
    return rc;
}

/* Open the database and, for every command that may write, its audit key (created with
 * a new database, or on the first open of one written by an earlier build). */
static int open_db_as(const char *path, enum store_open_mode mode, bool keyed, store **s)
{
    struct rerr err = {0};
    if ((mode == STORE_CREATE_NEW && audit_check_new(path, &err) < 0) ||
        store_open(path, mode, s, &err) < 0) {
        fprintf(stderr, "ronghe: %s\n", err.message);
        return 1;
    }
    bool keyed_open = false;
    if ((keyed && !(keyed_open = audit_open_key(*s, &err) == 0)) ||
        (mode != STORE_OPEN_READONLY && sync_timelines(*s, &err) < 0)) {
        fprintf(stderr, "ronghe: %s\n", err.message);
        if (keyed_open)
            audit_close(*s);
        store_close(*s);
        if (mode == STORE_CREATE_NEW) {
            unlink(path);
            audit_remove_files(path);
        }
        return 1;
    }
    return 0;
}

static int open_db(const char *path, enum store_open_mode mode, store **s)
{
    return open_db_as(path, mode, true, s);
}

static void close_db(store *s)
{
    audit_close(s);
    store_close(s);
}

/* "keyed": the command may write (every one but a listing). */
int sys_open(const char *path, enum store_open_mode mode, bool keyed, struct sys_session *ss)
{
    if (open_db_as(path, mode, keyed, &ss->s))
        return 1;
    actor_system(&ss->who);
    ss->c = store_acquire(ss->s);
    ss->x = (struct res_ctx){.c = ss->c, .who = &ss->who, .a = arena_new()};
    return 0;
}

void sys_close(struct sys_session *ss)
{
    arena_free(ss->x.a);
    store_release(ss->c);
    close_db(ss->s);
}

int report(int rc, const struct rerr *err)
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
    char pw[PASSWORD_LINE];
    bool gen;
    if ((p = read_password(pw, o.username, &gen)) != 0)
        return p;
    struct sys_session ss;
    if (sys_open(o.db, STORE_CREATE_NEW, true, &ss))
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
        audit_remove_files(o.db);
        return report(rc, &err);
    }
    printf("已创建 %s：%s，管理员 %s\n", o.db, o.org, o.username);
    printf("审计密钥：%s.audit-key（请另行妥善保存一份）；锚点：%s.audit-anchors\n", o.db, o.db);
    if (gen)
        printf("管理员密码（只显示这一次）：%s\n", pw);
    return 0;
}

/* Write "secret" and a newline to "path" (created or emptied, never through a symbolic
 * link), readable only by its owner. */
static int write_secret(const char *path, const char *secret, struct rerr *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return rerr_set(err, R_EINVAL, "write", "password-file", "无法写入 %s", path);
    size_t n = strlen(secret);
    bool ok = fchmod(fd, 0600) == 0 && write(fd, secret, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(path);
        return rerr_set(err, R_EINVAL, "write", "password-file", "无法写入 %s", path);
    }
    return 0;
}

static int cmd_demo(int argc, char **argv)
{
    struct opts o = {0};
    int p = parse_opts(argc, argv, usage_demo, "dpP", &o);
    if (p)
        return p == 1 ? 0 : p;
    if (o.password_given && o.password_file)
        return bad_usage(usage_demo, "%s", "--password 和 --password-file 只能给一个");
    struct rerr err = {0};
    char pw[PASSWORD_LINE];
    if (o.password_given) {
        if (demo_password_check(o.password, &err) < 0) {
            fprintf(stderr, "ronghe: %s\n", err.message);
            return 2;
        }
        snprintf(pw, sizeof pw, "%s", o.password);
    } else {
        do
            password_generate(pw, NULL);
        while (demo_password_check(pw, NULL) < 0); /* it would hold a demo username */
    }
    store *s;
    if (open_db(o.db, STORE_CREATE_NEW, &s))
        return 1;
    int rc = files_configure(o.db, FILES_MAX_DEFAULT, &err); /* the demo's files go beside it */
    if (rc == 0)
        rc = demo_populate(s, pw, &err);
    close_db(s);
    if (rc == 0 && o.password_file && write_secret(o.password_file, pw, &err) < 0)
        rc = R_EINVAL;
    if (rc < 0) {
        unlink(o.db);
        audit_remove_files(o.db);
        return report(rc, &err);
    }
    printf("已创建通辽演示数据库 %s\n", o.db);
    printf("演示账号：admin（市院政治部，管理两级院）、viewer（市院领导，只读）、\n"
           "          zlt-admin（扎鲁特旗院管理员）、hlgl-sec（霍林郭勒市院支部书记）\n");
    if (o.password_file)
        printf("演示账号密码已写入 %s（只有你能读）\n", o.password_file);
    else if (!o.password_given)
        printf("演示账号密码（只显示这一次）：%s\n", pw);
    return 0;
}

/* Orphans (files.h) are taken only once older than this: an upload's file is placed a
 * moment before its row commits, and a temporary file being written is touched at least
 * every 10 s (the server's idle timeout). */
#define FILES_SWEEP_GRACE 600

/* Remove the orphaned files of the database "s" (files_configure() done), saying how many. */
static int sweep_files(store *s, int grace, struct rerr *err)
{
    store_conn *c = store_acquire(s);
    int removed = 0, rc = attachment_sweep(c, grace, &removed, err);
    store_release(c);
    if (rc == 0 && removed)
        log_info("清理了 %d 个没有记录引用的附件文件", removed);
    return rc;
}

static const char usage_files[] =
    "用法: ronghe files sweep --db FILE [--grace SECONDS]\n"
    "\n"
    "清理 FILE.files/ 中没有任何附件记录引用的文件和中断上传遗留的临时文件（崩溃或\n"
    "断线后可能留下），只清理超过 SECONDS 秒（默认 600）未改动的，服务运行时也可执行。\n"
    "ronghe serve 启动时会自动执行一次。\n";

static int cmd_files(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "sweep") != 0) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
            return fputs(usage_files, stdout), 0;
        return bad_usage(usage_files, "%s", "请指定子命令 sweep");
    }
    struct opts o = {0};
    int p = parse_opts(argc - 1, argv + 1, usage_files, "dg", &o);
    if (p)
        return p == 1 ? 0 : p;
    int grace = FILES_SWEEP_GRACE;
    if (o.grace) {
        char *end;
        long g = strtol(o.grace, &end, 10);
        if (*end || !*o.grace || g < 0 || g > 86400 * 365)
            return bad_usage(usage_files, "%s", "--grace 应为不小于 0 的秒数");
        grace = (int)g;
    }
    store *s;
    if (open_db(o.db, STORE_OPEN_EXISTING, &s))
        return 1;
    struct rerr err = {0};
    store_conn *c = NULL;
    int removed = 0, rc = files_configure(o.db, FILES_MAX_DEFAULT, &err);
    if (rc == 0) {
        c = store_acquire(s);
        rc = attachment_sweep(c, grace, &removed, &err);
        store_release(c);
    }
    close_db(s);
    if (rc < 0)
        return report(rc, &err);
    printf("已清理 %d 个没有记录引用的附件文件（%s.files/）\n", removed, o.db);
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    struct opts o = {.listen = "127.0.0.1:8080"};
    int p = parse_opts(argc, argv, usage_serve, "dlwxSKM", &o);
    if (p)
        return p == 1 ? 0 : p;
    struct jobs_config jc;
    if (keep_value(o.keep, usage_serve, &jc.backup_keep))
        return 2;
    jobs_configure(&jc);
    struct rerr perr = {0};
    if (proxy_trust(o.trusted_proxy, &perr) < 0)
        return bad_usage(usage_serve, "%s", perr.message);
    struct rerr err = {0};
    if (session_configure(&err) < 0) {
        fprintf(stderr, "ronghe: %s\n", err.message);
        return 2;
    }
    int64_t max = FILES_MAX_DEFAULT;
    if (o.attachment_max) {
        char *end;
        long mib = strtol(o.attachment_max, &end, 10);
        if (*end || !*o.attachment_max || mib < 1 || mib > 1024)
            return bad_usage(usage_serve, "%s", "--attachment-max-mib 应为 1 到 1024 之间的整数");
        max = (int64_t)mib << 20;
    }
    store *s;
    if (open_db(o.db, STORE_OPEN_EXISTING, &s))
        return 1;
    if (files_configure(o.db, max, &err) < 0 || sweep_files(s, FILES_SWEEP_GRACE, &err) < 0) {
        close_db(s);
        return report(R_EINVAL, &err);
    }
    attachment_configure();
    struct http_config cfg = {.listen = o.listen, .web_dir = o.web_dir, .secure_cookie = o.secure_cookie};
    int rc = audit_anchor_start(s, &err);
    if (rc == 0)
        rc = http_serve(s, &cfg, &err);
    close_db(s); /* anchors the head written while serving */
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
                          : !strcmp(sub, "unlock")  ? "du"
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
    char pw[PASSWORD_LINE] = "";
    bool gen = false;
    if ((!strcmp(sub, "add") || !strcmp(sub, "passwd")) && (p = read_password(pw, o.username, &gen)) != 0)
        return p;
    struct sys_session ss;
    if (sys_open(o.db, STORE_OPEN_EXISTING, strcmp(sub, "list") != 0, &ss))
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
    } else if (!strcmp(sub, "unlock")) {
        rc = user_by_name(&x, o.username, &rec, &err);
        if (rc == 0)
            rc = throttle_unlock(ss.c, &ss.who, res_int(rec, "id"), NULL, &err);
        if (rc == 0)
            printf("已解除用户 %s 的登录限制（正在运行的服务在其下次登录时生效）\n", o.username);
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

/* A progress bar of "done" of "total" "unit"s on a terminal; nothing when standard error
 * is a file or a pipe. */
static void draw_bar(const char *label, int64_t done, int64_t total, const char *unit)
{
    if (!isatty(STDERR_FILENO) || total <= 0)
        return;
    int width = 30, filled = (int)(done * width / total);
    fprintf(stderr, "\r%s [", label);
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %3d%% (%" PRId64 "/%" PRId64 " %s)", (int)(done * 100 / total), done, total, unit);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static void progress_bar(void *label, int64_t done, int64_t total)
{
    draw_bar(label, done, total, "页");
}

static int cmd_backup(int argc, char **argv)
{
    struct opts o = {0};
    int p = parse_opts(argc, argv, usage_backup, "dte", &o);
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
    close_db(s);
    if (rc < 0)
        return report(rc, &err);
    printf("已备份到 %s（%" PRId64 " 页，%" PRId64 " 字节）\n", br.file, br.pages, br.bytes);
    printf("已校验：完整性检查通过，审计链 %" PRId64 " 条记录完好（已锚定第 %" PRId64
           " 条；审计密钥和锚点在 %s.audit-key、.audit-anchors）\n",
           br.audit_entries, br.anchor_count, br.file);
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
        printf("原数据库已改名保留为 %s%s，连同其审计密钥和锚点\n", rep.kept,
               rep.kept_wal ? "（及其 -wal 文件）" : "");
    else
        printf("%s 原先不存在，无需保留\n", o.db);
    printf("已恢复到 %s（%" PRId64 " 字节），备份的审计密钥和锚点放在它旁边；旧的 -wal/-shm 已移走\n", o.db,
           rep.bytes);
    printf("这次恢复已记入恢复后的审计链（操作 restore）。现在可以启动服务\n");
    return 0;
}

static int audit_anchor_cmd(const struct opts *o)
{
    store *s;
    if (open_db(o->db, STORE_OPEN_EXISTING, &s))
        return 1;
    struct rerr err = {0};
    struct audit_anchor_info a;
    int rc = audit_anchor_now(s, &a, &err);
    close_db(s);
    if (rc == 0)
        printf("已写入锚点：共 %" PRId64 " 条，链值 %s，时间 %s（%s.audit-anchors）\n", a.count, a.mac,
               a.time, o->db);
    return report(rc, &err);
}

static int audit_verify_cmd(const struct opts *o)
{
    store *s;
    /* verify writes nothing of its own: no key is created, nothing is anchored */
    if (open_db_as(o->db, STORE_OPEN_EXISTING, false, &s))
        return 1;
    struct audit_report rep;
    struct rerr err = {0};
    int rc = audit_verify(s, o->key, o->anchors, &rep, &err);
    store_close(s);
    if (rc == 0) {
        printf("审计链完整：共 %" PRId64 " 条记录，全部校验通过\n", rep.entries);
        if (rep.entries > rep.legacy)
            printf("  用密钥认证的记录 %" PRId64 " 条\n", rep.entries - rep.legacy);
        if (rep.legacy)
            printf("  旧格式（无密钥）条目 %" PRId64 " 条：只能发现简单修改，不能证明未被重写\n", rep.legacy);
        if (!rep.keyed)
            printf("  没有审计密钥：用本版本打开一次（如 ronghe serve 或 ronghe audit anchor）即启用\n");
        printf("  链头：第 %" PRId64 " 条，链值 %s\n", rep.entries, rep.head_mac);
        if (rep.anchors)
            printf("  锚点 %" PRId64 " 个，全部相符；最后一个：第 %" PRId64 " 条（%s），其后 %" PRId64
                   " 条尚未锚定\n",
                   rep.anchors, rep.anchor_count, rep.anchor_time, rep.entries - rep.anchor_count);
        return 0;
    }
    if (rc == R_ECONFLICT) {
        if (rep.first_bad)
            printf("审计链已损坏：第一条出错的记录 #%" PRId64 "：%s（此前 %" PRId64 " 条完好）\n",
                   rep.first_bad, rep.reason, rep.entries);
        else
            printf("审计链已损坏：%s（校验了 %" PRId64 " 条）\n", rep.reason, rep.entries);
        return 3;
    }
    return report(rc, &err);
}

static int cmd_audit(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_audit, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    bool verify = !strcmp(argv[1], "verify");
    if (!verify && strcmp(argv[1], "anchor") != 0)
        return bad_usage(usage_audit, "未知的 audit 子命令：%s", argv[1]);
    struct opts o = {0};
    int p = parse_opts(argc - 1, argv + 1, usage_audit, verify ? "dka" : "d", &o);
    if (p)
        return p == 1 ? 0 : p;
    return verify ? audit_verify_cmd(&o) : audit_anchor_cmd(&o);
}

/* ---------------------------------------------------------------- import, template */

static const char usage_import_head[] =
    "用法: ronghe import --db FILE KIND FILE [--check] [--update] [--sheet NAME] [--report R.xlsx]\n"
    "                    [--max-rows N]\n"
    "\n"
    "把表格 FILE（XLSX，或 UTF-8 / GB18030 编码的 CSV，按内容识别）导入集合 KIND。\n"
    "列按表头（中文列名，见 ronghe template）识别，顺序不限，多余的列忽略。每一行都按与\n"
    "网页录入相同的规则检查并记入审计；全部通过才在一个事务中写入，任何一行有错误时\n"
    "一行也不写入，在标准错误上列出每个错误（行号、列名、值、原因），返回 1。\n"
    "--check   只检查，不写入\n"
    "--update  更新模式：按集合的识别列（如案号）找到已有记录时更新它；否则这样的行报错\n"
    "--sheet   XLSX 的工作表名（默认第一个）\n"
    "--report  有错误时把出错的行写成 XLSX，标出有错的单元格\n"
    "--max-rows 数据行上限（默认 1000000）\n"
    "\n"
    "KIND:\n";

static void usage_kinds(FILE *out, const char *head)
{
    fputs(head, out);
    for (int i = 0; res_all[i]; i++)
        if (import_supported(res_all[i]))
            fprintf(out, "  %-22s %s\n", res_all[i]->name, res_all[i]->label);
}

static const char usage_template_head[] =
    "用法: ronghe template KIND --to FILE.xlsx\n"
    "\n"
    "生成集合 KIND 的导入模板：表头、下拉选项、填写说明（第二个工作表）和示例。\n"
    "\n"
    "KIND:\n";

void bar_report(void *arg, int64_t done, int64_t total, const char *msg)
{
    (void)arg;
    if (total > 0) {
        int pct = (int)(done * 100 / total), fill = pct / 4;
        fprintf(stderr, "\r[%.*s%*s] %3d%% %s\033[K", fill, "#########################", 25 - fill, "", pct,
                msg ? msg : "");
    } else
        fprintf(stderr, "\r%s\033[K", msg ? msg : "");
    fflush(stderr);
}

static const struct resource *importable(const char *kind, FILE *out, const char *head)
{
    const struct resource *r = res_find(kind);
    if (r && import_supported(r))
        return r;
    fprintf(stderr, "ronghe: %s%s\n\n", r ? "此集合不能从表格导入：" : "未知的集合：", kind);
    usage_kinds(out, head);
    return NULL;
}

static int cmd_template(int argc, char **argv)
{
    const char *to = NULL, *kind = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return usage_kinds(stdout, usage_template_head), 0;
        if (!strcmp(argv[i], "--to") && i + 1 < argc)
            to = argv[++i];
        else if (argv[i][0] == '-' || kind) {
            fprintf(stderr, "ronghe: 无法识别的参数：%s\n\n", argv[i]);
            return usage_kinds(stderr, usage_template_head), 2;
        } else
            kind = argv[i];
    }
    if (!kind || !to) {
        fprintf(stderr, "ronghe: 缺少 %s\n\n", kind ? "--to FILE.xlsx" : "KIND");
        return usage_kinds(stderr, usage_template_head), 2;
    }
    const struct resource *r = importable(kind, stderr, usage_template_head);
    if (!r)
        return 2;
    struct rerr err = {0};
    if (report(template_write(r, to, &err), &err))
        return 1;
    printf("已生成%s的导入模板：%s\n", r->label, to);
    return 0;
}

static int cmd_import(int argc, char **argv)
{
    const char *db = NULL, *kind = NULL, *file = NULL, *report_to = NULL;
    struct import_options io = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return usage_kinds(stdout, usage_import_head), 0;
        if (!strcmp(a, "--check"))
            io.check = true;
        else if (!strcmp(a, "--update"))
            io.update = true;
        else if (!strcmp(a, "--db") && more)
            db = argv[++i];
        else if (!strcmp(a, "--sheet") && more)
            io.sheet = argv[++i];
        else if (!strcmp(a, "--report") && more)
            report_to = argv[++i];
        else if (!strcmp(a, "--max-rows") && more) {
            char *end;
            errno = 0;
            long long v = strtoll(argv[++i], &end, 10);
            if (errno || *end || v < 1 || v > 100000000) {
                fprintf(stderr, "ronghe: --max-rows 应为 1 到 100000000 的整数：%s\n", argv[i]);
                return 2;
            }
            io.max_rows = v;
        } else if (a[0] == '-' || (kind && file)) {
            fprintf(stderr, "ronghe: 无法识别的参数：%s\n\n", a);
            return usage_kinds(stderr, usage_import_head), 2;
        } else if (!kind)
            kind = a;
        else
            file = a;
    }
    if (!db || !kind || !file) {
        fprintf(stderr, "ronghe: 缺少 %s\n\n", !db ? "--db FILE" : !kind ? "KIND" : "要导入的文件");
        return usage_kinds(stderr, usage_import_head), 2;
    }
    const struct resource *r = importable(kind, stderr, usage_import_head);
    if (!r)
        return 2;
    struct sys_session ss;
    if (sys_open(db, STORE_OPEN_EXISTING, true, &ss))
        return 1;
    struct progress bar = {.report = bar_report};
    io.progress = isatty(STDERR_FILENO) ? &bar : NULL;
    struct import_result res;
    struct rerr err = {0};
    int rc = import_file(&ss.x, r, file, &io, &res, &err);
    if (io.progress)
        fputs("\r\033[K", stderr);
    int status = 0;
    if (rc < 0) {
        status = report(rc, &err);
    } else {
        for (int i = 0; i < res.nerrors; i++) {
            const struct import_error *e = &res.errors[i];
            fprintf(stderr, "第 %" PRId64 " 行", e->line);
            if (e->column[0])
                fprintf(stderr, " 列“%s”", e->column);
            if (e->value[0])
                fprintf(stderr, " 值“%s”", e->value);
            fprintf(stderr, "：%s\n", e->message);
        }
        if (res.error_count > res.nerrors)
            fprintf(stderr, "……另有 %" PRId64 " 个错误未列出\n", res.error_count - res.nerrors);
        for (int i = 0; i < res.nignored; i++)
            fprintf(stderr, "提示：忽略了不认识的列“%s”\n", res.ignored[i]);
        if (res.error_count) {
            fprintf(stderr, "%s：共 %" PRId64 " 行，%" PRId64 " 行有错误，未写入任何数据\n", r->label,
                    res.rows, res.error_count);
            status = 1;
            if (report_to) {
                struct rerr re = {0};
                if (import_report_write(&res, report_to, &re) < 0)
                    fprintf(stderr, "ronghe: %s\n", re.message);
                else
                    fprintf(stderr, "错误报告：%s\n", report_to);
            }
        } else if (io.check)
            printf("%s：检查通过，共 %" PRId64 " 行（新增 %" PRId64 "，更新 %" PRId64
                   "）；未写入（--check）\n",
                   r->label, res.rows, res.created, res.updated);
        else
            printf("%s：已导入 %" PRId64 " 行（新增 %" PRId64 "，更新 %" PRId64 "）\n", r->label, res.written,
                   res.created, res.updated);
    }
    import_result_free(&res);
    sys_close(&ss);
    return status;
}

/* ---- export */

static const char usage_export[] =
    "用法: ronghe export --db FILE KIND [--filter k=v …] [--sort F] [--columns a,b] --to FILE.xlsx|FILE.csv\n"
    "\n"
    "把数据集 KIND 的列表导出为 Excel（.xlsx）或 CSV（UTF-8 带 BOM，Excel 可直接打开），格式由\n"
    "--to 的扩展名决定。--filter 与网页列表的筛选相同（可重复，如 --filter branch_id=3\n"
    "--filter q=张），--sort 为排序字段（前加 - 为倒序），--columns 为逗号分隔的列名（默认：\n"
    "全部可读字段，关联字段以名称代替编号）。以系统身份导出全部记录，记入审计（操作 export）。\n"
    "以 = + - @ 制表符或回车开头的文字按文字写出，不会被当作公式。标准错误是终端时显示进度条。\n"
    "\n"
    "KIND:\n";

/* Rows so far (struct progress's report). */
static void export_bar(void *arg, int64_t done, int64_t total, const char *message)
{
    draw_bar(arg, done, total, "行");
}

static void export_usage(FILE *out)
{
    fputs(usage_export, out);
    for (int i = 0; res_all[i]; i++)
        if (res_all[i]->export != EXPORT_NONE)
            fprintf(out, "  %-22s %s\n", res_all[i]->name, res_all[i]->label);
}

static int export_bad(const char *fmt, const char *arg)
{
    fprintf(stderr, "ronghe: ");
    fprintf(stderr, fmt, arg);
    fputs("\n\n", stderr);
    export_usage(stderr);
    return 2;
}

static int cmd_export(int argc, char **argv)
{
    static const struct option longs[] = {{"db", required_argument, 0, 'd'},
                                          {"to", required_argument, 0, 't'},
                                          {"filter", required_argument, 0, 'f'},
                                          {"sort", required_argument, 0, 's'},
                                          {"columns", required_argument, 0, 'c'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    const char *db = NULL, *to = NULL, *columns = NULL, *kind = NULL;
    struct res_query q = {0};
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        if (ch == 'h')
            return export_usage(stdout), 0;
        if (ch == '?')
            return export_bad("未知选项：%s", argv[optind - 1]);
        if (ch == ':')
            return export_bad("选项 %s 缺少参数", argv[optind - 1]);
        if (ch == 'd')
            db = optarg;
        else if (ch == 't')
            to = optarg;
        else if (ch == 'c')
            columns = optarg;
        else if (q.n == RES_MAX_PARAMS)
            return export_bad("%s", "筛选条件过多");
        else if (ch == 's') {
            q.key[q.n] = "sort";
            q.val[q.n++] = optarg;
        } else {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg)
                return export_bad("--filter 应写作 字段=值：%s", optarg);
            *eq = '\0';
            q.key[q.n] = optarg;
            q.val[q.n++] = eq + 1;
        }
    }
    for (; optind < argc; optind++) {
        if (kind)
            return export_bad("多余的参数：%s", argv[optind]);
        kind = argv[optind];
    }
    if (!db || !to || !kind)
        return export_bad("缺少 %s", !db ? "--db FILE" : !to ? "--to FILE" : "KIND");
    const struct resource *r = res_find(kind);
    if (!r || r->export == EXPORT_NONE)
        return export_bad("没有可以导出的数据集：%s", kind);
    const char *ext = strrchr(to, '.');
    int format = export_format_parse(ext ? ext + 1 : NULL);
    if (format < 0)
        return export_bad("--to 的扩展名应为 .xlsx 或 .csv：%s", to);
    const char *cols[EXPORT_MAX_COLUMNS];
    int ncols = 0;
    char *list = columns ? strdup(columns) : NULL;
    for (char *save = NULL, *c = list ? strtok_r(list, ",", &save) : NULL; c;
         c = strtok_r(NULL, ",", &save)) {
        if (ncols == EXPORT_MAX_COLUMNS) {
            free(list);
            return export_bad("%s", "--columns 的列过多");
        }
        cols[ncols++] = c;
    }
    struct sys_session ss;
    if (sys_open(db, STORE_OPEN_EXISTING, true, &ss)) {
        free(list);
        return 1;
    }
    /* Written beside the target and renamed when complete: a failed export leaves an
     * existing file as it was. */
    char part[4096];
    snprintf(part, sizeof part, "%s.part-%ld%s", to, (long)getpid(), ext);
    struct export_spec spec = {.r = r,
                               .query = &q,
                               .columns = ncols ? cols : NULL,
                               .ncolumns = ncols,
                               .format = (enum sheet_out)format};
    struct progress pr = {.report = export_bar, .arg = (void *)"导出"};
    struct export_result res;
    struct rerr err = {0};
    int rc = export_run(&ss.x, &spec, part, &pr, &res, &err);
    if (rc == 0 && rename(part, to) != 0) {
        rc = rerr_set(&err, R_EINTERNAL, "io", "", "无法写入 %s：%s", to, strerror(errno));
        unlink(part);
    }
    sys_close(&ss);
    free(list);
    if (rc == 0)
        printf("已导出 %s %" PRId64 " 行到 %s（%" PRId64 " 字节）\n", r->label, res.rows, to, res.bytes);
    return report(rc, &err);
}

/* glibc gives the top of the heap back to the kernel whenever more than 128 KiB of it is
 * free; SQLite makes and frees a temporary b-tree for every row a trigger's IN (SELECT …)
 * touches, and each free then paid a brk() that the next row's malloc paid back: 250,000
 * rows inserted through such a trigger spent 9 s of their 12 s in the kernel (bench/transfer
 * notes in docs/benchmarks.md). Kept up to 64 MiB of free heap instead: the trims that still
 * happen are of real surpluses. Large blocks (the page cache's, a sheet's rows) still come
 * from mmap above 4 MiB, so a finished import's memory goes back. */
static void malloc_tune(void)
{
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
}

int main(int argc, char **argv)
{
    malloc_tune();
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
    if (!strcmp(cmd, "files"))
        return cmd_files(argc, argv);
    if (!strcmp(cmd, "import"))
        return cmd_import(argc, argv);
    if (!strcmp(cmd, "template"))
        return cmd_template(argc, argv);
    if (!strcmp(cmd, "export"))
        return cmd_export(argc, argv);
    if (!strcmp(cmd, "eval"))
        return cmd_eval(argc, argv);
    fprintf(stderr, "ronghe: 未知命令：%s\n\n%s", cmd, usage_main);
    return 2;
}
