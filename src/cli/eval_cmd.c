/*
 * eval_cmd.c: `ronghe eval` — check a scheme file, add it to a database as a new edition,
 * run it over a period (a progress bar on a terminal, then the ranking of branches), and
 * print one branch's explanation as JSON (docs/evaluation.md).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calc/scheme.h"
#include "cli/cli.h"
#include "domain/evaluation.h"
#include "domain/progress.h"

static const char usage_eval[] =
    "用法：\n"
    "  ronghe eval check SCHEME-FILE\n"
    "      检查考评方案文件，不计算：有错时退出码 1，并逐条列出（第几行第几列、原因）\n"
    "  ronghe eval add --db FILE --name 名称 SCHEME-FILE\n"
    "      把方案文件存入数据库，作为该名称的新一版\n"
    "  ronghe eval run --db FILE [--scheme 名称[@版本]] --period 2025[-Q3|-07]\n"
    "      按方案（默认最新保存的方案）计算该期间各党组织和检察院的结果并保存，打印党组织排名\n"
    "  ronghe eval explain --db FILE --branch ID --period 2025 [--procuratorate|--member|--party-group]\n"
    "      以 JSON 打印一个党组织（或检察院、党员、党小组：ID 为其编号）最近一次计算结果的完整解释\n";

static int eval_bad(const char *fmt, const char *arg)
{
    fprintf(stderr, "ronghe eval: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage_eval);
    return 2;
}

/* The whole of file "path" (at most SCHEME_MAX_TEXT bytes), NUL-terminated; the caller
 * frees it. NULL with the reason on stderr. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ronghe eval: 无法打开 %s\n", path);
        return NULL;
    }
    char *buf = malloc(SCHEME_MAX_TEXT + 2);
    size_t n = buf ? fread(buf, 1, SCHEME_MAX_TEXT + 1, f) : 0;
    fclose(f);
    if (!buf || n > SCHEME_MAX_TEXT) {
        fprintf(stderr, "ronghe eval: %s 超过 %d KB 的上限\n", path, SCHEME_MAX_TEXT / 1024);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    if (strlen(buf) != n) {
        fprintf(stderr, "ronghe eval: %s 含有空字节，不是方案文本\n", path);
        free(buf);
        return NULL;
    }
    return buf;
}

static int eval_check_cmd(int argc, char **argv)
{
    if (argc != 2)
        return eval_bad("%s", "check 需要且只需要一个方案文件");
    char *text = read_text(argv[1]);
    if (!text)
        return 1;
    json_t *r = eval_scheme_check(text);
    free(text);
    int rc = 0;
    if (json_is_true(json_object_get(r, "ok"))) {
        printf("%s：方案有效（%d 个维度，%d 个指标）\n", argv[1],
               (int)json_integer_value(json_object_get(r, "dimensions")),
               (int)json_integer_value(json_object_get(r, "indicators")));
    } else {
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(r, "errors"), i, e)
        {
            fprintf(stderr, "%s：%s\n", argv[1], json_string_value(json_object_get(e, "message")));
        }
        rc = 1;
    }
    json_decref(r);
    return rc;
}

struct eval_opts {
    const char *db, *name, *scheme, *period;
    int64_t branch;
    const char *of; /* the explain query's key: branch_id, procuratorate_id, member_id, party_group_id */
    const char *file;
};

static int eval_opts(int argc, char **argv, struct eval_opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, 0, 'd'},     {"name", required_argument, 0, 'n'},
        {"scheme", required_argument, 0, 's'}, {"period", required_argument, 0, 'p'},
        {"branch", required_argument, 0, 'b'}, {"procuratorate", no_argument, 0, 'P'},
        {"member", no_argument, 0, 'M'},       {"party-group", no_argument, 0, 'G'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    *o = (struct eval_opts){0};
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'h':
            fputs(usage_eval, stdout);
            return 1;
        case 'd':
            o->db = optarg;
            break;
        case 'n':
            o->name = optarg;
            break;
        case 's':
            o->scheme = optarg;
            break;
        case 'p':
            o->period = optarg;
            break;
        case 'P':
        case 'M':
        case 'G':
            if (o->of)
                return eval_bad("%s", "--procuratorate、--member、--party-group 只能用一个");
            o->of = ch == 'P' ? "procuratorate_id" : ch == 'M' ? "member_id" : "party_group_id";
            break;
        case 'b':
            o->branch = strtoll(optarg, &end, 10);
            if (*end || o->branch <= 0)
                return eval_bad("--branch 应为正整数：%s", optarg);
            break;
        case ':':
            return eval_bad("选项 %s 缺少参数", argv[optind - 1]);
        default:
            return eval_bad("未知选项：%s", argv[optind - 1]);
        }
    }
    for (; optind < argc; optind++) {
        if (o->file)
            return eval_bad("多余的参数：%s", argv[optind]);
        o->file = argv[optind];
    }
    if (!o->db)
        return eval_bad("%s", "缺少 --db FILE");
    return 0;
}

static int eval_add_cmd(int argc, char **argv)
{
    struct eval_opts o;
    int p = eval_opts(argc, argv, &o);
    if (p)
        return p == 1 ? 0 : p;
    if (!o.name || !o.file)
        return eval_bad("%s", "add 需要 --name 名称 和一个方案文件");
    char *text = read_text(o.file);
    if (!text)
        return 1;
    struct sys_session ss;
    if (sys_open(o.db, STORE_OPEN_EXISTING, true, &ss)) {
        free(text);
        return 1;
    }
    struct rerr err = {0};
    /* the city procuratorate owns a scheme the command line adds */
    store_stmt *st = store_prepare(ss.c, "SELECT min(id) FROM procuratorates WHERE level = 1");
    int64_t city = store_step(st, &err) == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    json_t *body =
        json_pack("{s:I, s:s, s:s}", "procuratorate_id", (json_int_t)city, "name", o.name, "text", text);
    json_t *out = NULL;
    int rc = res_create(&ss.x, &res_eval_schemes, body, &out, &err);
    json_decref(body);
    free(text);
    if (rc == 0)
        printf("已保存考评方案“%s”第 %" PRId64 " 版（编号 %" PRId64 "）\n", o.name, res_int(out, "edition"),
               res_int(out, "id"));
    json_decref(out);
    sys_close(&ss);
    return report(rc, &err);
}

/* The id of scheme "spec" (名称 or 名称@版本; NULL: the newest saved), or 0 with err. */
static int64_t scheme_id_of(struct sys_session *ss, const char *spec, struct rerr *err)
{
    char name[400] = "";
    int64_t edition = 0;
    if (spec) {
        snprintf(name, sizeof name, "%s", spec);
        char *at = strrchr(name, '@');
        if (at) {
            char *end;
            edition = strtoll(at + 1, &end, 10);
            if (*end || edition <= 0) {
                rerr_set(err, R_EINVAL, "invalid_value", "scheme", "版本应为正整数：%s", at + 1);
                return 0;
            }
            *at = 0;
        }
    }
    store_stmt *st =
        store_prepare(ss->c, "SELECT id FROM eval_schemes WHERE (?1 = '' OR name = ?1)"
                             " AND (?2 = 0 OR edition = ?2) ORDER BY edition DESC, id DESC LIMIT 1");
    store_bind_text(st, 1, name);
    store_bind_int(st, 2, edition);
    int64_t id = store_step(st, err) == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    if (!id && !err->rc)
        rerr_set(err, R_ENOTFOUND, "not_found", "scheme",
                 spec ? "没有考评方案“%s”" : "数据库中还没有考评方案%s",
                 spec ? spec : "（用 ronghe eval add 保存一个）");
    return id;
}

static int eval_run_cmd(int argc, char **argv)
{
    struct eval_opts o;
    int p = eval_opts(argc, argv, &o);
    if (p)
        return p == 1 ? 0 : p;
    if (!o.period || o.file)
        return eval_bad("%s", o.file ? "run 不接受文件参数" : "缺少 --period（如 2025、2025-Q3、2025-07）");
    struct sys_session ss;
    if (sys_open(o.db, STORE_OPEN_EXISTING, true, &ss))
        return 1;
    struct rerr err = {0};
    json_t *summary = NULL;
    int rc = -1;
    int64_t id = scheme_id_of(&ss, o.scheme, &err);
    if (id) {
        struct progress pr = {.report = bar_report};
        bool bar = isatty(STDERR_FILENO); /* a bar on a terminal; nothing in a log */
        rc = eval_run(&ss.x, id, o.period, bar ? &pr : NULL, &summary, &err);
        if (bar)
            fputs("\n", stderr);
    }
    sys_close(&ss);
    if (rc < 0)
        return report(rc ? rc : -1, &err);
    printf("%s\t%s\t%s\t%s\t%s\t%s\n", "名次", "总分", "融合指数", "同频共振", "变化", "党组织");
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(summary, "ranking"), i, row)
    {
        json_t *rk = json_object_get(row, "rank");
        const char *total = json_string_value(json_object_get(row, "total"));
        const char *fusion = json_string_value(json_object_get(row, "fusion"));
        const char *res = json_string_value(json_object_get(row, "resonance"));
        const char *mv = json_string_value(json_object_get(row, "movement"));
        char rank[16] = "—";
        if (json_is_integer(rk))
            snprintf(rank, sizeof rank, "%d", (int)json_integer_value(rk));
        printf("%s\t%s\t%s\t%s\t%s\t%s\n", rank, total ? total : "缺项", fusion ? fusion : "缺项",
               res ? res : "缺项", mv ? mv : "", json_string_value(json_object_get(row, "name")));
    }
    printf("运行编号 %" PRId64 "，期间 %s，共 %d 个对象\n",
           (int64_t)json_integer_value(json_object_get(summary, "run_id")),
           json_string_value(json_object_get(summary, "period")),
           (int)json_integer_value(json_object_get(summary, "subjects")));
    json_decref(summary);
    return 0;
}

static int eval_explain_cmd(int argc, char **argv)
{
    struct eval_opts o;
    int p = eval_opts(argc, argv, &o);
    if (p)
        return p == 1 ? 0 : p;
    if (!o.period || !o.branch)
        return eval_bad("%s", !o.period ? "缺少 --period" : "缺少 --branch ID");
    struct sys_session ss;
    if (sys_open(o.db, STORE_OPEN_EXISTING, false, &ss))
        return 1;
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, o.branch);
    struct res_query q = {.n = 2, .key = {o.of ? o.of : "branch_id", "period"}, .val = {id, o.period}};
    json_t *out = NULL;
    struct rerr err = {0};
    int rc = eval_explain(&ss.x, &q, &out, &err);
    sys_close(&ss);
    if (rc == 0) {
        char *text = json_dumps(out, JSON_INDENT(2));
        puts(text ? text : "{}");
        free(text);
        json_decref(out);
    }
    return report(rc, &err);
}

int cmd_eval(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_eval, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "check"))
        return eval_check_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "add"))
        return eval_add_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "run"))
        return eval_run_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "explain"))
        return eval_explain_cmd(argc - 1, argv + 1);
    return eval_bad("未知的子命令：%s", sub);
}
