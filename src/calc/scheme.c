/*
 * scheme.c: the evaluation scheme file and one subject's result (calc/scheme.h).
 *
 * Parsing runs in two passes. The first splits the text into sections and `键 = 值`
 * entries (with the byte span and the line and column of every key and value); the second
 * reads the sections in a fixed order ([方案], the dimensions, the indicators, the honours,
 * [信号]) so that every name an entry needs is known when it is read. Errors are collected
 * from both and sorted into file order at the end.
 */
#include "calc/scheme.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "calc/decimal.h"

static const char *const subject_names[SCHEME_SUBJECTS] = {"党支部", "检察院", "党员", "党小组"};
static const char *const group_names[SCHEME_GROUPS] = {"党建", "业务", "融合"};
static const struct expr_catalogue group_cat = {SCHEME_GROUPS, group_names};
static const char *const default_fusion = "0.25 * 党建 + 0.25 * 业务 + 0.5 * 融合";

/* the result names every scheme has, ahead of its dimensions and indicators */
enum { RN_TOTAL, RN_FUSION, RN_PARTY, RN_BUSINESS, RN_FUSION_GROUP, RN_RESONANCE, RN_RANK, RN_FIXED };
static const char *const fixed_result_names[RN_FIXED] = {"总分", "融合指数", "党建", "业务",
                                                         "融合", "同频共振", "排名"};

enum rkind { RK_FIXED, RK_DIM, RK_IND };
struct rname {
    int kind, index;
};

struct scheme {
    char *name, *description;
    int missing_rule;
    double floor;
    struct expr *fusion;
    int ndims, nind, nhon, nsig;
    struct scheme_dim dims[SCHEME_MAX_DIMS];
    struct scheme_indicator ind[SCHEME_MAX_INDICATORS];
    struct scheme_honour hon[SCHEME_MAX_HONOURS];
    struct scheme_signal sig[SCHEME_MAX_SIGNALS];
    int nmeasures;
    char **rnames;
    struct rname *rmap;
    struct expr_catalogue rcat;
};

const char *scheme_subject_name(int subject)
{
    return subject >= 0 && subject < SCHEME_SUBJECTS ? subject_names[subject] : "";
}

const char *scheme_group_name(int group)
{
    return group >= 0 && group < SCHEME_GROUPS ? group_names[group] : "";
}

const struct expr_catalogue *scheme_group_names(void)
{
    return &group_cat;
}

/* ---- errors ------------------------------------------------------------------------------ */

struct errlist {
    struct expr_error *e;
    int n, cap;
};

static struct expr_error *err_new(struct errlist *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->e = realloc(l->e, (size_t)l->cap * sizeof *l->e);
        if (!l->e)
            die("out of memory");
    }
    struct expr_error *e = &l->e[l->n++];
    memset(e, 0, sizeof *e);
    return e;
}

static void add_err(struct errlist *l, int line, int col, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add_err(struct errlist *l, int line, int col, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    expr_error_vset(err_new(l), line, col, code, fmt, ap);
    va_end(ap);
}

/* Errors are sorted by (line, column, order found) so that errors at one place keep the
 * order they were found in (qsort is not stable). */
struct err_key {
    int line, col, seq;
};

static int err_order(const void *a, const void *b)
{
    const struct err_key *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- pass 1: sections and entries -------------------------------------------------------- */

enum sec_kind { SEC_SCHEME, SEC_DIM, SEC_IND, SEC_HONOUR, SEC_SIGNAL };
static const char *const sec_words[] = {"方案", "维度", "指标", "荣誉", "信号"};
/* the keys of each kind of section (NULL for [信号]: any name) */
static const char *const scheme_keys[] = {"名称", "说明", "缺项", "融合指数", NULL};
static const char *const dim_keys[] = {"权重", "分组", "说明", NULL};
static const char *const ind_keys[] = {"维度", "权重", "公式", "计分", "说明", "手工录入", "适用", NULL};
static const char *const honour_keys[] = {"条件", "说明", NULL};
static const char *const *const section_key_names[] = {scheme_keys, dim_keys, ind_keys, honour_keys, NULL};

struct entry {
    size_t koff, klen, voff, vlen;
    int kline, kcol, vline, vcol;
};

struct section {
    int kind;
    size_t noff, nlen; /* its name */
    int line, col;     /* of the header */
    struct entry *e;
    int n, cap;
};

struct reader {
    const char *t;
    size_t len;
    struct errlist errs;
    struct section *sec;
    int nsec, capsec;
    struct entry *open; /* the entry a continuation line extends */
};

static bool is_blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0xFEFF;
}

/* Skip blanks forward from byte "i" (counting characters into *col); returns the new i. */
static size_t skip_blanks(const char *t, size_t end, size_t i, int *col)
{
    while (i < end) {
        uint32_t c;
        int l = expr_utf8_decode(t, end, i, &c);
        if (!l || !is_blank(c))
            break;
        i += (size_t)l;
        (*col)++;
    }
    return i;
}

/* The end of the text in [i, end) with trailing blanks dropped. */
static size_t trim_end(const char *t, size_t i, size_t end)
{
    for (;;) {
        if (end > i && (t[end - 1] == ' ' || t[end - 1] == '\t' || t[end - 1] == '\r')) {
            end--;
        } else if (end >= i + 3 && !memcmp(t + end - 3, "\u3000", 3)) {
            end -= 3;
        } else {
            return end;
        }
    }
}

static bool starts(const char *t, size_t i, size_t end, const char *w)
{
    size_t n = strlen(w);
    return end - i >= n && !memcmp(t + i, w, n);
}

static int chars_between(const char *t, size_t a, size_t b)
{
    int n = 0;
    for (size_t i = a; i < b; i++)
        n += ((unsigned char)t[i] & 0xC0) != 0x80;
    return n;
}

static void read_header(struct reader *r, size_t i, size_t end, int line, int col)
{
    r->open = NULL;
    size_t close = 0;
    size_t inner = i + (r->t[i] == '[' ? 1 : 3);
    if (end > inner && r->t[end - 1] == ']')
        close = end - 1;
    else if (end >= inner + 3 && !memcmp(r->t + end - 3, "】", 3))
        close = end - 3;
    if (!close) {
        add_err(&r->errs, line, col, "syntax", "节标题没有结束的 \"]\"");
        return;
    }
    int c2 = col + chars_between(r->t, i, inner);
    size_t a = skip_blanks(r->t, close, inner, &c2), b = trim_end(r->t, a, close);
    int kind = -1;
    for (int k = 0; k < 5; k++)
        if (starts(r->t, a, b, sec_words[k]))
            kind = k;
    size_t noff = a + (kind >= 0 ? 6 : 0);
    int ncol = c2 + (kind >= 0 ? 2 : 0);
    bool sep = noff < b && (r->t[noff] == ' ' || r->t[noff] == '\t' || starts(r->t, noff, b, "\u3000") ||
                            r->t[noff] == ':' || starts(r->t, noff, b, "："));
    if (kind >= 0 && noff < b && !sep)
        kind = -1;
    if (kind < 0) {
        add_err(&r->errs, line, col, "unknown_section",
                "未知的节 \"%.*s\"，应为 [方案]、[维度 名称]、[指标 名称]、[荣誉 名称] 或 [信号]",
                (int)(end - i), r->t + i);
        return;
    }
    if (sep) {
        int l = r->t[noff] == ':' || r->t[noff] == ' ' || r->t[noff] == '\t' ? 1 : 3;
        noff += (size_t)l;
        ncol++;
        noff = skip_blanks(r->t, b, noff, &ncol);
    }
    bool named = kind == SEC_DIM || kind == SEC_IND || kind == SEC_HONOUR;
    if (named && noff >= b) {
        add_err(&r->errs, line, col, "syntax", "节 [%s] 需要名称，如 [%s 名称]", sec_words[kind],
                sec_words[kind]);
        return;
    }
    if (!named && noff < b) {
        add_err(&r->errs, line, col, "syntax", "节 [%s] 不带名称", sec_words[kind]);
        return;
    }
    if (r->nsec == r->capsec) {
        r->capsec = r->capsec ? 2 * r->capsec : 16;
        r->sec = realloc(r->sec, (size_t)r->capsec * sizeof *r->sec);
        if (!r->sec)
            die("out of memory");
    }
    r->sec[r->nsec++] = (struct section){
        .kind = kind, .noff = noff, .nlen = b - noff, .line = line, .col = named ? ncol : col};
}

static void read_entry(struct reader *r, size_t i, size_t end, int line, int col)
{
    size_t eq = i;
    int eqlen = 0;
    for (; eq < end; eq++) {
        if (r->t[eq] == '=') {
            eqlen = 1;
            break;
        }
        if (starts(r->t, eq, end, "＝")) {
            eqlen = 3;
            break;
        }
    }
    r->open = NULL;
    if (!eqlen) {
        add_err(&r->errs, line, col, "syntax", "此行应为 \"键 = 值\"、节标题 [……] 或以 # 开头的注释");
        return;
    }
    size_t kend = trim_end(r->t, i, eq);
    if (kend == i) {
        add_err(&r->errs, line, col, "syntax", "\"=\" 前缺少键名");
        return;
    }
    if (r->nsec == 0) {
        add_err(&r->errs, line, col, "syntax", "\"键 = 值\" 之前应有节标题，如 [方案]");
        return;
    }
    int vcol = col + chars_between(r->t, i, eq) + 1;
    size_t v = skip_blanks(r->t, end, eq + (size_t)eqlen, &vcol);
    struct section *s = &r->sec[r->nsec - 1];
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->e = realloc(s->e, (size_t)s->cap * sizeof *s->e);
        if (!s->e)
            die("out of memory");
    }
    struct entry *e = &s->e[s->n++];
    *e = (struct entry){.koff = i,
                        .klen = kend - i,
                        .voff = v,
                        .vlen = end - v,
                        .kline = line,
                        .kcol = col,
                        .vline = line,
                        .vcol = vcol};
    r->open = e;
}

/* An indented line [a, b) continues the open entry's value unless it is a header or
 * starts with a key of the current section (so keys may be indented too); a [信号] value is
 * a number and never continues. */
static bool continues(const struct reader *r, size_t a, size_t b)
{
    if (r->t[a] == '[' || starts(r->t, a, b, "【") || r->nsec == 0)
        return false;
    const char *const *keys = section_key_names[r->sec[r->nsec - 1].kind];
    if (!keys)
        return false;
    for (int k = 0; keys[k]; k++)
        if (starts(r->t, a, b, keys[k])) {
            size_t e = a + strlen(keys[k]);
            while (e < b && (r->t[e] == ' ' || r->t[e] == '\t'))
                e++;
            if (e < b && (r->t[e] == '=' || starts(r->t, e, b, "＝")))
                return false;
        }
    return true;
}

static void read_lines(struct reader *r)
{
    size_t i = 0;
    int line = 1;
    if (starts(r->t, 0, r->len, "\xEF\xBB\xBF"))
        i = 3;
    while (i <= r->len) {
        size_t nl = i;
        while (nl < r->len && r->t[nl] != '\n')
            nl++;
        /* a line must be well-formed UTF-8 */
        bool ok = true;
        int col = 1;
        for (size_t k = i; k < nl;) {
            uint32_t c;
            int l = expr_utf8_decode(r->t, nl, k, &c);
            if (!l) {
                add_err(&r->errs, line, col, "bad_utf8", "不是有效的 UTF-8 文字（方案文件的编码应为 UTF-8）");
                ok = false;
                break;
            }
            k += (size_t)l;
            col++;
        }
        if (ok) {
            col = 1;
            size_t a = skip_blanks(r->t, nl, i, &col), b = trim_end(r->t, a, nl);
            if (a == b) {
                r->open = NULL;
            } else if (r->t[a] == '#' || r->t[a] == ';' || starts(r->t, a, b, "；")) {
                r->open = NULL;
            } else if (a > i && r->open && continues(r, a, b)) {
                r->open->vlen = b - r->open->voff;
            } else if (r->t[a] == '[' || starts(r->t, a, b, "【")) {
                read_header(r, a, b, line, col);
            } else {
                read_entry(r, a, b, line, col);
            }
        } else {
            r->open = NULL;
        }
        i = nl + 1;
        line++;
    }
}

/* ---- pass 2: the sections' meaning ---------------------------------------------------------- */

struct builder {
    struct reader *r;
    struct scheme *s;
    const struct expr_catalogue *measures;
    struct expr_catalogue rule_cat; /* the measures and 值 */
    const char **rule_names;
    const struct section *dim_sec[SCHEME_MAX_DIMS];
    const struct section *ind_sec[SCHEME_MAX_INDICATORS];
    int too_many; /* indicators past the limit (reported once) */
};

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        die("out of memory");
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static bool key_is(const struct reader *r, const struct entry *e, const char *k)
{
    return e->klen == strlen(k) && !memcmp(r->t + e->koff, k, e->klen);
}

static bool val_is(const struct reader *r, const struct entry *e, const char *v)
{
    return e->vlen == strlen(v) && !memcmp(r->t + e->voff, v, e->vlen);
}

/* Check the keys of section "sec" against "allowed" (NULL-terminated; NULL: any key) and
 * refuse repeated keys. Returns the entry for each allowed key in "found" (or NULL). */
static void section_keys(struct builder *b, const struct section *sec, const char *const *allowed,
                         const struct entry **found)
{
    struct reader *r = b->r;
    for (int i = 0; i < sec->n; i++) {
        const struct entry *e = &sec->e[i];
        for (int j = 0; j < i; j++)
            if (sec->e[j].klen == e->klen && !memcmp(r->t + sec->e[j].koff, r->t + e->koff, e->klen)) {
                add_err(&r->errs, e->kline, e->kcol, "duplicate_key", "\"%.*s\" 在本节中重复（第 %d 行已有）",
                        (int)e->klen, r->t + e->koff, sec->e[j].kline);
                goto next;
            }
        if (!allowed)
            continue;
        int k = 0;
        while (allowed[k] && !key_is(r, e, allowed[k]))
            k++;
        if (allowed[k]) {
            found[k] = e;
        } else {
            char list[256] = "";
            for (int m = 0; allowed[m]; m++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", m ? "、" : "", allowed[m]);
            add_err(&r->errs, e->kline, e->kcol, "unknown_key",
                    "节 [%s] 中没有 \"%.*s\" 这一项，可用的有：%s", sec_words[sec->kind], (int)e->klen,
                    r->t + e->koff, list);
        }
    next:;
    }
}

static bool parse_number(const char *t, size_t n, double *out)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, t, n);
    buf[n] = 0;
    for (size_t i = 0; i < n; i++)
        if (!((buf[i] >= '0' && buf[i] <= '9') || buf[i] == '.' || (i == 0 && buf[i] == '-')))
            return false;
    char *end;
    double v = strtod(buf, &end);
    if (*end || !isfinite(v) || fabs(v) > 1e15)
        return false;
    *out = v;
    return true;
}

/* A number for a message: at most 4 places, no trailing zeros. */
static const char *show_num(double v, char *buf)
{
    calc_decimal(v, 4, buf, CALC_DECIMAL_CAP);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf);
        while (e > dot && (e[-1] == '0' || e[-1] == '.')) {
            bool was_dot = e[-1] == '.';
            *--e = 0;
            if (was_dot)
                break;
        }
    }
    return buf;
}

static bool read_weight(struct builder *b, const struct entry *e, double *w)
{
    struct reader *r = b->r;
    if (!parse_number(r->t + e->voff, e->vlen, w) || !(*w > 0)) {
        add_err(&r->errs, e->vline, e->vcol, "bad_weight", "权重应为正数，却是 \"%.*s\"", (int)e->vlen,
                r->t + e->voff);
        return false;
    }
    return true;
}

static struct expr *compile_entry(struct builder *b, const struct entry *e, const struct expr_catalogue *cat)
{
    struct expr_error err;
    struct expr *x = expr_compile(b->r->t + e->voff, e->vlen, cat, e->vline, e->vcol, &err);
    if (!x)
        *err_new(&b->r->errs) = err;
    return x;
}

static void need(struct builder *b, const struct section *sec, const char *key, const char *hint)
{
    add_err(&b->r->errs, sec->line, sec->col, "missing_key", "%s \"%.*s\" 缺少 \"%s\"%s",
            sec_words[sec->kind], (int)sec->nlen, b->r->t + sec->noff, key, hint);
}

static void read_scheme_section(struct builder *b, const struct section *sec)
{
    const char *const *keys = section_key_names[SEC_SCHEME];
    const struct entry *f[4] = {0};
    struct reader *r = b->r;
    struct scheme *s = b->s;
    section_keys(b, sec, keys, f);
    if (f[0] && f[0]->vlen)
        s->name = dup_n(r->t + f[0]->voff, f[0]->vlen);
    else
        add_err(&r->errs, sec->line, sec->col, "missing_key", "[方案] 缺少 \"名称\"");
    if (f[1])
        s->description = dup_n(r->t + f[1]->voff, f[1]->vlen);
    if (f[2]) {
        const struct entry *e = f[2];
        double n;
        const char *v = r->t + e->voff;
        size_t a = 3, z = e->vlen >= 6 ? e->vlen - 6 : 0;
        while (a < z && v[a] == ' ')
            a++;
        while (z > a && v[z - 1] == ' ')
            z--;
        if (val_is(r, e, "重新分配权重")) {
            s->missing_rule = SCHEME_REWEIGHT;
        } else if (e->vlen > 9 && starts(v, 0, e->vlen, "按") && !memcmp(v + e->vlen - 6, "分计", 6) &&
                   parse_number(v + a, z - a, &n)) {
            s->missing_rule = SCHEME_FLOOR;
            s->floor = n;
        } else {
            add_err(&r->errs, e->vline, e->vcol, "bad_value",
                    "\"缺项\" 应为 \"重新分配权重\" 或 \"按 N 分计\"（N 为 0 到 100 的数），却是 \"%.*s\"",
                    (int)e->vlen, v);
        }
        if (s->missing_rule == SCHEME_FLOOR && (s->floor < 0 || s->floor > 100))
            add_err(&r->errs, e->vline, e->vcol, "bad_value", "\"按 N 分计\" 的 N 应在 0 到 100 之间");
    }
    if (f[3])
        s->fusion = compile_entry(b, f[3], &group_cat);
}

static bool name_ok(struct builder *b, const struct section *sec)
{
    if (expr_is_name(b->r->t + sec->noff, sec->nlen))
        return true;
    add_err(&b->r->errs, sec->line, sec->col, "bad_value",
            "名称 \"%.*s\" "
            "不能用在公式中：名称由汉字、字母、数字和下划线组成，不能是纯数字、\"且\"、\"或\"、\"非\"",
            (int)sec->nlen, b->r->t + sec->noff);
    return false;
}

static void read_dim(struct builder *b, const struct section *sec)
{
    const char *const *keys = section_key_names[SEC_DIM];
    const struct entry *f[3] = {0};
    struct reader *r = b->r;
    struct scheme *s = b->s;
    section_keys(b, sec, keys, f);
    if (!name_ok(b, sec))
        return;
    for (int d = 0; d < s->ndims; d++)
        if (strlen(s->dims[d].name) == sec->nlen && !memcmp(s->dims[d].name, r->t + sec->noff, sec->nlen)) {
            add_err(&r->errs, sec->line, sec->col, "duplicate_name", "维度 \"%.*s\" 重复（第 %d 行已有）",
                    (int)sec->nlen, r->t + sec->noff, s->dims[d].line);
            return;
        }
    if (s->ndims == SCHEME_MAX_DIMS) {
        add_err(&r->errs, sec->line, sec->col, "too_many", "维度过多（最多 %d 个）", SCHEME_MAX_DIMS);
        return;
    }
    struct scheme_dim *d = &s->dims[s->ndims];
    b->dim_sec[s->ndims++] = sec;
    d->name = dup_n(r->t + sec->noff, sec->nlen);
    d->description = dup_n(f[2] ? r->t + f[2]->voff : "", f[2] ? f[2]->vlen : 0);
    d->line = sec->line;
    d->group = -1;
    if (!f[0])
        need(b, sec, "权重", "");
    else
        read_weight(b, f[0], &d->weight);
    if (f[1]) {
        for (int g = 0; g < SCHEME_GROUPS; g++)
            if (val_is(r, f[1], group_names[g]))
                d->group = g;
        if (d->group < 0)
            add_err(&r->errs, f[1]->vline, f[1]->vcol, "bad_value",
                    "\"分组\" 应为 党建、业务 或 融合，却是 \"%.*s\"", (int)f[1]->vlen, r->t + f[1]->voff);
    } else {
        need(b, sec, "分组", "（党建、业务 或 融合）");
    }
}

static void default_dims(struct scheme *s)
{
    static const char *const names[] = {"政治", "业务", "创新", "协作"};
    static const double weights[] = {30, 30, 20, 20};
    static const int groups[] = {SCHEME_G_PARTY, SCHEME_G_BUSINESS, SCHEME_G_FUSION, SCHEME_G_FUSION};
    for (int i = 0; i < 4; i++)
        s->dims[i] = (struct scheme_dim){.name = dup_n(names[i], strlen(names[i])),
                                         .description = dup_n("", 0),
                                         .weight = weights[i],
                                         .group = groups[i]};
    s->ndims = 4;
}

static void read_subjects(struct builder *b, const struct entry *e, unsigned *out)
{
    struct reader *r = b->r;
    const char *v = r->t + e->voff;
    size_t i = 0;
    *out = 0;
    while (i < e->vlen) {
        size_t j = i;
        while (j < e->vlen && v[j] != ',' && v[j] != ' ' && !starts(v, j, e->vlen, "，") &&
               !starts(v, j, e->vlen, "、"))
            j++;
        if (j > i) {
            int k = 0;
            while (k < SCHEME_SUBJECTS &&
                   !(strlen(subject_names[k]) == j - i && !memcmp(subject_names[k], v + i, j - i)))
                k++;
            if (k == SCHEME_SUBJECTS) {
                add_err(&r->errs, e->vline, e->vcol + chars_between(v, 0, i), "bad_value",
                        "\"适用\" 中的 \"%.*s\" 不是评价对象，应为 党支部、检察院、党员、党小组",
                        (int)(j - i), v + i);
                return;
            }
            *out |= 1u << k;
        }
        i = j < e->vlen ? j + (v[j] == ',' || v[j] == ' ' ? 1 : 3) : j;
    }
    if (!*out)
        add_err(&r->errs, e->vline, e->vcol, "bad_value",
                "\"适用\" 没有写评价对象（党支部、检察院、党员、党小组）");
}

static void read_indicator(struct builder *b, const struct section *sec)
{
    const char *const *keys = section_key_names[SEC_IND];
    enum { K_DIM, K_WEIGHT, K_FORMULA, K_RULE, K_DESC, K_MANUAL, K_SUBJECTS };
    const struct entry *f[7] = {0};
    struct reader *r = b->r;
    struct scheme *s = b->s;
    section_keys(b, sec, keys, f);
    if (!name_ok(b, sec))
        return;
    for (int i = 0; i < s->nind; i++)
        if (strlen(s->ind[i].name) == sec->nlen && !memcmp(s->ind[i].name, r->t + sec->noff, sec->nlen)) {
            add_err(&r->errs, sec->line, sec->col, "duplicate_name", "指标 \"%.*s\" 重复（第 %d 行已有）",
                    (int)sec->nlen, r->t + sec->noff, s->ind[i].line);
            return;
        }
    if (s->nind == SCHEME_MAX_INDICATORS) {
        if (b->too_many++)
            return;
        add_err(&r->errs, sec->line, sec->col, "too_many", "指标过多（最多 %d 个）", SCHEME_MAX_INDICATORS);
        return;
    }
    struct scheme_indicator *ind = &s->ind[s->nind];
    b->ind_sec[s->nind++] = sec;
    ind->name = dup_n(r->t + sec->noff, sec->nlen);
    ind->description = dup_n(f[K_DESC] ? r->t + f[K_DESC]->voff : "", f[K_DESC] ? f[K_DESC]->vlen : 0);
    ind->line = sec->line;
    ind->dim = -1;
    ind->subjects = 1u << SCHEME_BRANCH;
    if (f[K_DIM]) {
        const struct entry *e = f[K_DIM];
        for (int d = 0; d < s->ndims; d++)
            if (val_is(r, e, s->dims[d].name))
                ind->dim = d;
        if (ind->dim < 0) {
            const char *names[SCHEME_MAX_DIMS];
            for (int d = 0; d < s->ndims; d++)
                names[d] = s->dims[d].name;
            int sug = expr_suggest(r->t + e->voff, e->vlen, names, s->ndims);
            char list[512] = "";
            for (int d = 0; d < s->ndims; d++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", d ? "、" : "", names[d]);
            if (sug >= 0)
                add_err(&r->errs, e->vline, e->vcol, "unknown_dimension",
                        "未知维度 \"%.*s\"，是否指 \"%s\"？", (int)e->vlen, r->t + e->voff, names[sug]);
            else
                add_err(&r->errs, e->vline, e->vcol, "unknown_dimension",
                        "未知维度 \"%.*s\"，方案中的维度有：%s", (int)e->vlen, r->t + e->voff, list);
        }
    } else {
        need(b, sec, "维度", "");
    }
    if (f[K_WEIGHT])
        read_weight(b, f[K_WEIGHT], &ind->weight);
    else
        need(b, sec, "权重", "");
    if (f[K_MANUAL]) {
        if (val_is(r, f[K_MANUAL], "是"))
            ind->manual = true;
        else if (!val_is(r, f[K_MANUAL], "否"))
            add_err(&r->errs, f[K_MANUAL]->vline, f[K_MANUAL]->vcol, "bad_value",
                    "\"手工录入\" 应为 \"是\" 或 \"否\"");
    }
    if (ind->manual && f[K_FORMULA])
        add_err(&r->errs, f[K_FORMULA]->kline, f[K_FORMULA]->kcol, "manual_formula",
                "手工录入的指标不写 \"公式\"：它的值由人录入并经第二人审核");
    else if (f[K_FORMULA])
        ind->formula = compile_entry(b, f[K_FORMULA], b->measures);
    else if (!ind->manual)
        need(b, sec, "公式", "（或写 \"手工录入 = 是\"）");
    if (f[K_RULE]) {
        struct expr *rule = compile_entry(b, f[K_RULE], &b->rule_cat);
        ind->rule = rule;
        for (int k = 0; rule && k < expr_nrefs(rule); k++) {
            const struct expr_ref *ref = expr_ref_at(rule, k);
            if (ref->name == b->measures->n && ref->shift != EXPR_NOW) {
                add_err(&r->errs, f[K_RULE]->vline, f[K_RULE]->vcol, "bad_argument",
                        "计分规则中不能用 上期(值) 或 去年同期(值)：请对指标名称用 上期()");
                break;
            }
        }
    } else {
        need(b, sec, "计分", "（如 线性(值, 60%, 100%)）");
    }
    if (f[K_SUBJECTS])
        read_subjects(b, f[K_SUBJECTS], &ind->subjects);
}

/* The result names of scheme_result_names(); duplicates are errors. */
static void build_result_names(struct builder *b)
{
    struct scheme *s = b->s;
    struct reader *r = b->r;
    int cap = RN_FIXED + 2 * s->ndims + s->nind;
    s->rnames = calloc((size_t)cap, sizeof *s->rnames);
    s->rmap = calloc((size_t)cap, sizeof *s->rmap);
    if (!s->rnames || !s->rmap)
        die("out of memory");
    int n = 0;
    for (int i = 0; i < RN_FIXED; i++) {
        s->rnames[n] = dup_n(fixed_result_names[i], strlen(fixed_result_names[i]));
        s->rmap[n++] = (struct rname){RK_FIXED, i};
    }
    for (int d = 0; d < s->ndims; d++) {
        size_t l = strlen(s->dims[d].name);
        char *nm = malloc(l + 7);
        if (!nm)
            die("out of memory");
        memcpy(nm, s->dims[d].name, l);
        memcpy(nm + l, "维度", 7);
        s->rnames[n] = nm;
        s->rmap[n++] = (struct rname){RK_DIM, d};
    }
    for (int d = 0; d < s->ndims; d++) {
        bool taken = false;
        for (int k = 0; k < n; k++)
            taken |= !strcmp(s->rnames[k], s->dims[d].name);
        if (taken)
            continue;
        s->rnames[n] = dup_n(s->dims[d].name, strlen(s->dims[d].name));
        s->rmap[n++] = (struct rname){RK_DIM, d};
    }
    for (int i = 0; i < s->nind; i++) {
        int k = 0;
        while (k < n && strcmp(s->rnames[k], s->ind[i].name))
            k++;
        if (k < n) {
            const struct section *sec = b->ind_sec[i];
            add_err(&r->errs, sec->line, sec->col, "duplicate_name",
                    "指标名称 \"%s\" 与%s重复：荣誉条件中无法区分，请换一个名称", s->ind[i].name,
                    s->rmap[k].kind == RK_FIXED
                        ? "结果名称（总分、融合指数、党建、业务、融合、同频共振、排名）"
                        : "维度名称");
            continue;
        }
        s->rnames[n] = dup_n(s->ind[i].name, strlen(s->ind[i].name));
        s->rmap[n++] = (struct rname){RK_IND, i};
    }
    s->rcat = (struct expr_catalogue){n, (const char *const *)s->rnames};
}

/* Whether "t" at "i" is the word "w" (UTF-8, 3 bytes) with white space on both sides. */
static bool word_at(const char *t, size_t n, size_t i, const char *w)
{
    return i > 0 && i + 3 < n && !memcmp(t + i, w, 3) && t[i - 1] && strchr(" \t\r\n", t[i - 1]) &&
           t[i + 3] && strchr(" \t\r\n", t[i + 3]);
}

/* Honour "h"'s conditions: its rule's text cut at each 且 outside parentheses, each part
 * compiled alone, when there is no 或 outside them (a 或 would bind the parts otherwise)
 * and there are 2..SCHEME_MAX_CONDITIONS parts; else none. The rule compiled, so each part
 * does (a comparison or a function call between 且s); one that does not drops them all. */
static void split_conditions(struct builder *b, const struct entry *e, struct scheme_honour *h)
{
    const char *t = b->r->t + e->voff;
    size_t n = e->vlen, cut[SCHEME_MAX_CONDITIONS + 1];
    int ncut = 0, depth = 0;
    cut[ncut++] = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '(')
            depth++;
        else if (t[i] == ')')
            depth--;
        else if (depth == 0 && word_at(t, n, i, "或"))
            return;
        else if (depth == 0 && word_at(t, n, i, "且")) {
            if (ncut == SCHEME_MAX_CONDITIONS)
                return;
            cut[ncut++] = i;
        }
    }
    if (ncut < 2)
        return;
    cut[ncut] = n;
    for (int k = 0; k < ncut; k++) {
        size_t from = k ? cut[k] + 3 : 0, to = cut[k + 1];
        while (from < to && strchr(" \t\r\n", t[from]) && t[from])
            from++;
        while (to > from && strchr(" \t\r\n", t[to - 1]) && t[to - 1])
            to--;
        struct expr_error err;
        struct expr *x = expr_compile(t + from, to - from, &b->s->rcat, e->vline, e->vcol, &err);
        if (!x) {
            for (int j = 0; j < h->nconditions; j++)
                expr_free((struct expr *)h->condition[j]);
            h->nconditions = 0;
            return;
        }
        h->condition[h->nconditions++] = x;
    }
}

static void read_honour(struct builder *b, const struct section *sec)
{
    const char *const *keys = section_key_names[SEC_HONOUR];
    const struct entry *f[2] = {0};
    struct reader *r = b->r;
    struct scheme *s = b->s;
    section_keys(b, sec, keys, f);
    for (int h = 0; h < s->nhon; h++)
        if (strlen(s->hon[h].name) == sec->nlen && !memcmp(s->hon[h].name, r->t + sec->noff, sec->nlen)) {
            add_err(&r->errs, sec->line, sec->col, "duplicate_name", "荣誉 \"%.*s\" 重复（第 %d 行已有）",
                    (int)sec->nlen, r->t + sec->noff, s->hon[h].line);
            return;
        }
    if (s->nhon == SCHEME_MAX_HONOURS) {
        add_err(&r->errs, sec->line, sec->col, "too_many", "荣誉过多（最多 %d 个）", SCHEME_MAX_HONOURS);
        return;
    }
    struct scheme_honour *h = &s->hon[s->nhon++];
    h->name = dup_n(r->t + sec->noff, sec->nlen);
    h->description = dup_n(f[1] ? r->t + f[1]->voff : "", f[1] ? f[1]->vlen : 0);
    h->line = sec->line;
    if (f[0])
        h->rule = compile_entry(b, f[0], &s->rcat);
    else
        need(b, sec, "条件", "（如 总分 >= 90 且 排名 <= 3）");
    if (h->rule)
        split_conditions(b, f[0], h);
}

static void read_signals(struct builder *b, const struct section *sec)
{
    struct reader *r = b->r;
    struct scheme *s = b->s;
    section_keys(b, sec, NULL, NULL);
    for (int i = 0; i < sec->n; i++) {
        const struct entry *e = &sec->e[i];
        bool dup = false;
        for (int k = 0; k < i; k++)
            dup |= sec->e[k].klen == e->klen && !memcmp(r->t + sec->e[k].koff, r->t + e->koff, e->klen);
        if (dup)
            continue;
        double v;
        if (!parse_number(r->t + e->voff, e->vlen, &v)) {
            add_err(&r->errs, e->vline, e->vcol, "bad_value", "信号阈值 \"%.*s\" 应为数字，却是 \"%.*s\"",
                    (int)e->klen, r->t + e->koff, (int)e->vlen, r->t + e->voff);
            continue;
        }
        if (s->nsig == SCHEME_MAX_SIGNALS) {
            add_err(&r->errs, e->kline, e->kcol, "too_many", "信号阈值过多（最多 %d 个）",
                    SCHEME_MAX_SIGNALS);
            return;
        }
        s->sig[s->nsig++] = (struct scheme_signal){.name = dup_n(r->t + e->koff, e->klen), .value = v};
    }
}

static void check_weights(struct builder *b)
{
    struct scheme *s = b->s;
    struct reader *r = b->r;
    int line1 = s->ndims && s->dims[0].line ? s->dims[0].line : 1;
    int col1 = s->ndims && s->dims[0].line ? b->dim_sec[0]->col : 1;
    double sum = 0;
    char list[1024] = "", nb[CALC_DECIMAL_CAP];
    for (int d = 0; d < s->ndims; d++) {
        sum += s->dims[d].weight;
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s %s", d ? " + " : "", s->dims[d].name,
                 show_num(s->dims[d].weight, nb));
    }
    bool weights_ok = true;
    for (int d = 0; d < s->ndims; d++)
        weights_ok &= s->dims[d].weight > 0;
    if (weights_ok && fabs(sum - 100) > 1e-9)
        add_err(&r->errs, line1, col1, "weight_sum", "各维度的权重之和应为 100，现为 %s（%s）",
                show_num(sum, nb), list);
    for (int d = 0; d < s->ndims; d++) {
        int dl = s->dims[d].line ? s->dims[d].line : 1, dc = s->dims[d].line ? b->dim_sec[d]->col : 1;
        bool any = false;
        for (int i = 0; i < s->nind; i++)
            any |= s->ind[i].dim == d;
        if (!any) {
            add_err(&r->errs, dl, dc, "no_indicators", "维度 \"%s\" 没有指标", s->dims[d].name);
            continue;
        }
        for (int k = 0; k < SCHEME_SUBJECTS; k++) {
            double w = 0;
            bool n = false, bad = false;
            for (int i = 0; i < s->nind; i++)
                if (s->ind[i].dim == d && (s->ind[i].subjects & (1u << k))) {
                    w += s->ind[i].weight;
                    n = true;
                    bad |= !(s->ind[i].weight > 0);
                }
            if (n && !bad && fabs(w - 100) > 1e-9)
                add_err(&r->errs, dl, dc, "weight_sum",
                        "维度 \"%s\" 中适用于%s的指标权重之和应为 100，现为 %s", s->dims[d].name,
                        subject_names[k], show_num(w, nb));
        }
    }
}

void scheme_free(struct scheme *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->description);
    expr_free(s->fusion);
    for (int d = 0; d < s->ndims; d++) {
        free((char *)s->dims[d].name);
        free((char *)s->dims[d].description);
    }
    for (int i = 0; i < s->nind; i++) {
        free((char *)s->ind[i].name);
        free((char *)s->ind[i].description);
        expr_free((struct expr *)s->ind[i].formula);
        expr_free((struct expr *)s->ind[i].rule);
    }
    for (int h = 0; h < s->nhon; h++) {
        free((char *)s->hon[h].name);
        free((char *)s->hon[h].description);
        expr_free((struct expr *)s->hon[h].rule);
        for (int k = 0; k < s->hon[h].nconditions; k++)
            expr_free((struct expr *)s->hon[h].condition[k]);
    }
    for (int i = 0; i < s->nsig; i++)
        free((char *)s->sig[i].name);
    for (int i = 0; i < s->rcat.n; i++)
        free(s->rnames[i]);
    free(s->rnames);
    free(s->rmap);
    free(s);
}

struct scheme *scheme_parse(const char *text, size_t len, const struct expr_catalogue *measures,
                            struct scheme_errors *errs)
{
    static const struct expr_catalogue none = {0, NULL};
    if (!measures)
        measures = &none;
    memset(errs, 0, sizeof *errs);
    struct reader r = {.t = text, .len = len};
    struct scheme *s = calloc(1, sizeof *s);
    if (!s)
        die("out of memory");
    s->nmeasures = measures->n;
    struct builder b = {.r = &r, .s = s, .measures = measures};
    if (len > SCHEME_MAX_TEXT) {
        add_err(&r.errs, 1, 1, "too_big", "方案文件过大（%zu 字节，最多 %d 字节）", len, SCHEME_MAX_TEXT);
    } else {
        read_lines(&r);
        b.rule_names = malloc(((size_t)measures->n + 1) * sizeof *b.rule_names);
        if (!b.rule_names)
            die("out of memory");
        for (int i = 0; i < measures->n; i++)
            b.rule_names[i] = measures->names[i];
        b.rule_names[measures->n] = "值";
        b.rule_cat = (struct expr_catalogue){measures->n + 1, b.rule_names};
        int nscheme = 0, nsignal = 0;
        for (int i = 0; i < r.nsec; i++) {
            const struct section *sec = &r.sec[i];
            if (sec->kind == SEC_SCHEME && nscheme++ == 0)
                read_scheme_section(&b, sec);
            else if (sec->kind == SEC_SCHEME || (sec->kind == SEC_SIGNAL && nsignal++ > 0))
                add_err(&r.errs, sec->line, sec->col, "duplicate_name", "节 [%s] 只能有一个",
                        sec_words[sec->kind]);
        }
        if (!nscheme)
            add_err(&r.errs, 1, 1, "missing_key", "方案文件缺少 [方案] 节（其中写 名称 = ……）");
        for (int i = 0; i < r.nsec; i++)
            if (r.sec[i].kind == SEC_DIM)
                read_dim(&b, &r.sec[i]);
        bool any_dim = false;
        for (int i = 0; i < r.nsec; i++)
            any_dim |= r.sec[i].kind == SEC_DIM;
        if (!any_dim)
            default_dims(s);
        for (int i = 0; i < r.nsec; i++)
            if (r.sec[i].kind == SEC_IND)
                read_indicator(&b, &r.sec[i]);
        build_result_names(&b);
        for (int i = 0; i < r.nsec; i++)
            if (r.sec[i].kind == SEC_HONOUR)
                read_honour(&b, &r.sec[i]);
            else if (r.sec[i].kind == SEC_SIGNAL)
                read_signals(&b, &r.sec[i]);
        if (!s->fusion && nscheme) {
            struct expr_error err;
            s->fusion = expr_compile(default_fusion, strlen(default_fusion), &group_cat, 1, 1, &err);
            CHECK(s->fusion);
        }
        if (s->nind == 0)
            add_err(&r.errs, 1, 1, "no_indicators", "方案中没有指标（用 [指标 名称] 节写出每个指标）");
        else
            check_weights(&b);
        free(b.rule_names);
    }
    for (int i = 0; i < r.nsec; i++)
        free(r.sec[i].e);
    free(r.sec);
    struct err_key *order = malloc(((size_t)r.errs.n + 1) * sizeof *order);
    if (!order)
        die("out of memory");
    for (int i = 0; i < r.errs.n; i++)
        order[i] = (struct err_key){r.errs.e[i].line, r.errs.e[i].col, i};
    qsort(order, (size_t)r.errs.n, sizeof *order, err_order);
    int keep = r.errs.n < SCHEME_MAX_ERRORS ? r.errs.n : SCHEME_MAX_ERRORS;
    for (int i = 0; i < keep; i++)
        errs->e[i] = r.errs.e[order[i].seq];
    errs->n = keep;
    errs->more = r.errs.n - keep;
    free(order);
    free(r.errs.e);
    if (errs->n) {
        scheme_free(s);
        return NULL;
    }
    if (!s->description)
        s->description = dup_n("", 0);
    return s;
}

/* ---- accessors ---------------------------------------------------------------------------------- */

const char *scheme_name(const struct scheme *s)
{
    return s->name;
}
const char *scheme_description(const struct scheme *s)
{
    return s->description;
}
int scheme_missing_rule(const struct scheme *s)
{
    return s->missing_rule;
}
double scheme_missing_floor(const struct scheme *s)
{
    return s->missing_rule == SCHEME_FLOOR ? s->floor : 0;
}
int scheme_ndims(const struct scheme *s)
{
    return s->ndims;
}
const struct scheme_dim *scheme_dim(const struct scheme *s, int i)
{
    CHECK(i >= 0 && i < s->ndims);
    return &s->dims[i];
}
int scheme_nindicators(const struct scheme *s)
{
    return s->nind;
}
const struct scheme_indicator *scheme_indicator(const struct scheme *s, int i)
{
    CHECK(i >= 0 && i < s->nind);
    return &s->ind[i];
}
int scheme_nhonours(const struct scheme *s)
{
    return s->nhon;
}
const struct scheme_honour *scheme_honour(const struct scheme *s, int i)
{
    CHECK(i >= 0 && i < s->nhon);
    return &s->hon[i];
}
int scheme_nsignals(const struct scheme *s)
{
    return s->nsig;
}
const struct scheme_signal *scheme_signal_at(const struct scheme *s, int i)
{
    CHECK(i >= 0 && i < s->nsig);
    return &s->sig[i];
}
double scheme_signal(const struct scheme *s, const char *name, double dflt)
{
    for (int i = 0; i < s->nsig; i++)
        if (!strcmp(s->sig[i].name, name))
            return s->sig[i].value;
    return dflt;
}
const struct expr *scheme_fusion(const struct scheme *s)
{
    return s->fusion;
}
const struct expr_catalogue *scheme_result_names(const struct scheme *s)
{
    return &s->rcat;
}

/* ---- evaluation ----------------------------------------------------------------------------------- */

void scheme_needs(const struct scheme *s, bool *need)
{
    for (int i = 0; i < s->nind; i++)
        for (int pass = 0; pass < 2; pass++) {
            const struct expr *e = pass ? s->ind[i].rule : s->ind[i].formula;
            for (int k = 0; e && k < expr_nrefs(e); k++) {
                const struct expr_ref *ref = expr_ref_at(e, k);
                if (ref->name < s->nmeasures)
                    need[ref->name * 3 + ref->shift] = true;
            }
        }
}

void scheme_formula_values(const struct scheme *s, int i, const struct calc_value *measures,
                           struct calc_value *refs)
{
    const struct expr *e = scheme_indicator(s, i)->formula;
    for (int k = 0; e && k < expr_nrefs(e); k++) {
        const struct expr_ref *ref = expr_ref_at(e, k);
        refs[k] = measures[ref->name * 3 + ref->shift];
    }
}

void scheme_rule_values(const struct scheme *s, int i, const struct calc_value *measures,
                        struct calc_value value, struct calc_value *refs)
{
    const struct expr *e = scheme_indicator(s, i)->rule;
    for (int k = 0; k < expr_nrefs(e); k++) {
        const struct expr_ref *ref = expr_ref_at(e, k);
        refs[k] = ref->name == s->nmeasures ? value : measures[ref->name * 3 + ref->shift];
    }
}

void scheme_fusion_values(const struct scheme *s, const struct scheme_result *r, struct calc_value *refs)
{
    for (int k = 0; k < expr_nrefs(s->fusion); k++)
        refs[k] = r->group[expr_ref_at(s->fusion, k)->name].score;
}

int scheme_evaluate(const struct scheme *s, int subject, const struct calc_value *measures,
                    const struct calc_value *manual, struct scheme_result *out)
{
    if (subject < 0 || subject >= SCHEME_SUBJECTS)
        return R_EINVAL;
    memset(out, 0, sizeof *out);
    out->subject = subject;
    out->nindicators = s->nind;
    out->ndims = s->ndims;
    struct calc_value refs[EXPR_MAX_REFS];
    /* 1. each indicator's value and score */
    for (int i = 0; i < s->nind; i++) {
        const struct scheme_indicator *ind = &s->ind[i];
        struct scheme_indicator_result *x = &out->ind[i];
        x->applicable = (ind->subjects >> subject) & 1;
        x->value = x->rule = x->score = calc_missing();
        if (!x->applicable)
            continue;
        if (ind->manual) {
            x->value = manual ? manual[i] : calc_missing();
            if (!isfinite(x->value.v))
                x->value = calc_missing();
            x->pending = x->value.missing;
        } else {
            scheme_formula_values(s, i, measures, refs);
            x->value = expr_eval(ind->formula, refs);
        }
        if (!x->pending) {
            scheme_rule_values(s, i, measures, x->value, refs);
            x->rule = expr_eval(ind->rule, refs);
        }
        if (!x->rule.missing)
            x->score = calc_number(x->rule.v < 0 ? 0 : x->rule.v > 100 ? 100 : x->rule.v);
        x->missing = x->score.missing;
        x->floored = x->missing && s->missing_rule == SCHEME_FLOOR;
    }
    /* 2. each dimension: Σ w·s / Σ w over its counted indicators */
    for (int d = 0; d < s->ndims; d++) {
        struct scheme_dim_result *y = &out->dim[d];
        double sw = 0, sws = 0;
        for (int i = 0; i < s->nind; i++) {
            struct scheme_indicator_result *x = &out->ind[i];
            if (s->ind[i].dim != d || !x->applicable)
                continue;
            y->applicable = true;
            if (x->missing && !x->floored)
                continue;
            x->score_used = x->floored ? s->floor : x->score.v;
            sw += s->ind[i].weight;
            sws += s->ind[i].weight * x->score_used;
        }
        y->indicator_weight_sum = sw;
        y->score = sw > 0 ? calc_number(sws / sw) : calc_missing();
        for (int i = 0; i < s->nind; i++) {
            struct scheme_indicator_result *x = &out->ind[i];
            if (s->ind[i].dim != d || !x->applicable || (x->missing && !x->floored) || !(sw > 0))
                continue;
            x->weight_used = 100 * s->ind[i].weight / sw;
            x->contribution = s->ind[i].weight * x->score_used / sw;
        }
    }
    /* 3. the total and the groups: Σ W·D / Σ W over the counted dimensions */
    double tw = 0, tws = 0, gw[SCHEME_GROUPS] = {0}, gws[SCHEME_GROUPS] = {0};
    for (int d = 0; d < s->ndims; d++) {
        const struct scheme_dim_result *y = &out->dim[d];
        if (!y->applicable || y->score.missing)
            continue;
        tw += s->dims[d].weight;
        tws += s->dims[d].weight * y->score.v;
        gw[s->dims[d].group] += s->dims[d].weight;
        gws[s->dims[d].group] += s->dims[d].weight * y->score.v;
    }
    out->total_weight_sum = tw;
    out->total = tw > 0 ? calc_number(tws / tw) : calc_missing();
    for (int g = 0; g < SCHEME_GROUPS; g++) {
        out->group[g].weight_sum = gw[g];
        out->group[g].score = gw[g] > 0 ? calc_number(gws[g] / gw[g]) : calc_missing();
    }
    for (int d = 0; d < s->ndims; d++) {
        struct scheme_dim_result *y = &out->dim[d];
        if (!y->applicable || y->score.missing)
            continue;
        y->weight_used = 100 * s->dims[d].weight / tw;
        y->contribution = s->dims[d].weight * y->score.v / tw;
        y->group_weight_used = 100 * s->dims[d].weight / gw[s->dims[d].group];
    }
    /* 4. the fusion index */
    scheme_fusion_values(s, out, refs);
    out->fusion = expr_eval(s->fusion, refs);
    return 0;
}

void scheme_honour_values(const struct scheme *s, int h, const struct scheme_result *r,
                          struct calc_value resonance, struct calc_value rank, struct calc_value *refs)
{
    scheme_condition_values(s, scheme_honour(s, h)->rule, r, resonance, rank, refs);
}

void scheme_condition_values(const struct scheme *s, const struct expr *e, const struct scheme_result *r,
                             struct calc_value resonance, struct calc_value rank, struct calc_value *refs)
{
    for (int k = 0; k < expr_nrefs(e); k++) {
        const struct rname *m = &s->rmap[expr_ref_at(e, k)->name];
        struct calc_value v = calc_missing();
        if (expr_ref_at(e, k)->shift != EXPR_NOW) {
            v = calc_missing(); /* results of other periods are not at hand here */
        } else if (m->kind == RK_DIM) {
            v = r->dim[m->index].applicable ? r->dim[m->index].score : calc_missing();
        } else if (m->kind == RK_IND) {
            v = r->ind[m->index].applicable ? r->ind[m->index].score : calc_missing();
        } else {
            switch (m->index) {
            case RN_TOTAL:
                v = r->total;
                break;
            case RN_FUSION:
                v = r->fusion;
                break;
            case RN_PARTY:
                v = r->group[SCHEME_G_PARTY].score;
                break;
            case RN_BUSINESS:
                v = r->group[SCHEME_G_BUSINESS].score;
                break;
            case RN_FUSION_GROUP:
                v = r->group[SCHEME_G_FUSION].score;
                break;
            case RN_RESONANCE:
                v = resonance;
                break;
            case RN_RANK:
                v = rank;
                break;
            default:
                BUG("result name");
            }
        }
        refs[k] = v;
    }
}

struct calc_value scheme_honour_eval(const struct scheme *s, int h, const struct scheme_result *r,
                                     struct calc_value resonance, struct calc_value rank)
{
    return scheme_condition_eval(s, scheme_honour(s, h)->rule, r, resonance, rank);
}

struct calc_value scheme_condition_eval(const struct scheme *s, const struct expr *e,
                                        const struct scheme_result *r, struct calc_value resonance,
                                        struct calc_value rank)
{
    struct calc_value refs[EXPR_MAX_REFS];
    scheme_condition_values(s, e, r, resonance, rank, refs);
    struct calc_value v = expr_eval(e, refs);
    if (!v.missing)
        v.v = v.v != 0;
    return v;
}
