/*
 * expr.c: the formula language (calc/expr.h).
 *
 * Design. A lexer over UTF-8 keeps the line and column (in characters) of every token; a
 * recursive-descent parser, whose depth is bounded by EXPR_MAX_DEPTH (every recursion goes
 * through enter()), emits postfix code for a small stack machine; evaluation runs that code
 * in a loop. Constants are folded only for a unary minus on a number (so 阈值's literal
 * thresholds can be checked). References are kept with the byte spans where they appear,
 * so expr_describe can write the formula with values in their place.
 */
#include "calc/expr.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "calc/decimal.h"

#define MAX_NUMBER 1e15

/* ---- the built-in functions ---------------------------------------------------------- */

enum fn {
    F_LINEAR,
    F_TARGET,
    F_THRESHOLD,
    F_CAP,
    F_FLOOR,
    F_BONUS,
    F_DEDUCT,
    F_MIN,
    F_MAX,
    F_IF,
    F_IFMISSING,
    F_PREVIOUS,
    F_YEAR_AGO,
    F_N
};

static const char *const fn_names[F_N] = {"线性", "目标", "阈值", "封顶",   "保底", "加分",    "扣分",
                                          "最小", "最大", "如果", "缺项时", "上期", "去年同期"};
/* argument counts: min, max (-1: any), and for 阈值 "odd" */
static const int fn_min[F_N] = {3, 2, 3, 2, 2, 3, 3, 1, 1, 3, 2, 1, 1};
static const int fn_max[F_N] = {4, 3, -1, 2, 2, 3, 3, -1, -1, 3, 2, 1, 1};

const char *const *expr_function_names(int *n)
{
    *n = F_N;
    return fn_names;
}

/* ---- code ------------------------------------------------------------------------------ */

enum op_kind {
    OP_NUM,
    OP_REF,
    OP_NEG,
    OP_NOT,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_EQ,
    OP_NE,
    OP_AND,
    OP_OR,
    OP_CALL
};

struct op {
    uint8_t kind, fn;
    uint16_t argc;
    int32_t ref;
    double num;
};

struct span {
    size_t start, end; /* bytes of the text */
    int ref;
};

struct expr {
    char *text;
    size_t len;
    struct op *code;
    int ncode;
    int max_stack;
    struct expr_ref refs[EXPR_MAX_REFS];
    int nrefs;
    struct span *spans;
    int nspans;
};

/* ---- UTF-8 ----------------------------------------------------------------------------- */

int expr_utf8_decode(const char *s, size_t n, size_t i, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = n - i;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    int len;
    uint32_t c, min;
    if ((u[0] & 0xE0) == 0xC0) {
        len = 2, c = u[0] & 0x1F, min = 0x80;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3, c = u[0] & 0x0F, min = 0x800;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4, c = u[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (left < (size_t)len)
        return 0;
    for (int k = 1; k < len; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (u[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Code points of "s" ("len" bytes, well-formed) into a malloc'd array; *n is set. */
static uint32_t *code_points(const char *s, size_t len, int *n)
{
    uint32_t *cps = malloc((len + 1) * sizeof *cps);
    if (!cps)
        die("out of memory");
    int k = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        int l = expr_utf8_decode(s, len, i, &c);
        if (l == 0) {
            c = (unsigned char)s[i];
            l = 1;
        }
        cps[k++] = c;
        i += (size_t)l;
    }
    *n = k;
    return cps;
}

static int edit_distance(const uint32_t *a, int na, const uint32_t *b, int nb)
{
    int *row = malloc(((size_t)nb + 1) * sizeof *row);
    if (!row)
        die("out of memory");
    for (int j = 0; j <= nb; j++)
        row[j] = j;
    for (int i = 1; i <= na; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= nb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    int d = row[nb];
    free(row);
    return d;
}

int expr_suggest(const char *name, size_t len, const char *const *cand, int n)
{
    int na, best = -1, best_d = 0;
    uint32_t *a = code_points(name, len, &na);
    for (int i = 0; i < n; i++) {
        int nb;
        uint32_t *b = code_points(cand[i], strlen(cand[i]), &nb);
        int d = edit_distance(a, na, b, nb);
        int longer = na > nb ? na : nb;
        bool close = d * 2 <= longer && d < nb;
        bool inside =
            na >= 2 && na < nb && memmem(cand[i], strlen(cand[i]), name, len); /* 出勤 → 党员出勤率 */
        if (d > 0 && (close || inside) && (best < 0 || d < best_d)) {
            best = i;
            best_d = d;
        }
        free(b);
    }
    free(a);
    return best;
}

/* ---- the lexer --------------------------------------------------------------------------- */

enum tok_kind {
    T_END,
    T_NUM,
    T_NAME,
    T_LP,
    T_RP,
    T_COMMA,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_EQ,
    T_NE,
    T_AND,
    T_OR,
    T_NOT
};

struct tok {
    enum tok_kind kind;
    size_t start, end; /* bytes */
    int line, col;
    double num;
};

struct parser {
    const char *s;
    size_t n;
    size_t pos;    /* next byte to read */
    int line, col; /* of "pos" */
    struct tok t;  /* the current token */
    const struct expr_catalogue *cat;
    struct expr_error *err;
    bool failed;
    int depth;
    struct expr *e;
    int cap_code, cap_spans;
    int sd; /* stack depth the code emitted so far leaves */
};

static void fail(struct parser *p, int line, int col, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

void expr_error_vset(struct expr_error *err, int line, int col, const char *code, const char *fmt, va_list ap)
{
    err->line = line;
    err->col = col;
    snprintf(err->code, sizeof err->code, "%s", code);
    int k = snprintf(err->message, sizeof err->message, "第 %d 行第 %d 列：", line, col);
    vsnprintf(err->message + k, sizeof err->message - (size_t)k, fmt, ap);
    /* a message cut short by its buffer must still be well-formed UTF-8 */
    size_t m = strlen(err->message), i = 0;
    while (i < m) {
        uint32_t c;
        int l = expr_utf8_decode(err->message, m, i, &c);
        if (l == 0) {
            err->message[i] = 0;
            break;
        }
        i += (size_t)l;
    }
}

static void fail(struct parser *p, int line, int col, const char *code, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    if (!p->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    expr_error_vset(p->err, line, col, code, fmt, ap);
    va_end(ap);
}

static bool is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000;
}

/* Punctuation that a name never holds (everything else non-ASCII may be in a name). */
static bool is_punct(uint32_t c)
{
    return (c >= 0x2000 && c <= 0x206F) || (c >= 0x2190 && c <= 0x22FF) || (c >= 0x3000 && c <= 0x303F) ||
           (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
           (c >= 0xFF5B && c <= 0xFF65) || c == 0xD7 || c == 0xF7 || c == 0xFEFF || (c >= 0x80 && c < 0xA0) ||
           (c >= 0xA0 && c <= 0xBF);
}

static bool is_name_char(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (c >= 0x80 && !is_punct(c));
}

/* The character at p->pos (0 at the end); its length in *len (0 on bad UTF-8). */
static uint32_t peek(struct parser *p, size_t at, int *len)
{
    if (at >= p->n) {
        *len = 0;
        return 0;
    }
    uint32_t c;
    *len = expr_utf8_decode(p->s, p->n, at, &c);
    return *len ? c : 0;
}

static void advance(struct parser *p, uint32_t c, int len)
{
    p->pos += (size_t)len;
    if (c == '\n') {
        p->line++;
        p->col = 1;
    } else {
        p->col++;
    }
}

/* Map a full-width or alternative form of an operator to the ASCII one. */
static uint32_t fold_op(uint32_t c)
{
    switch (c) {
    case 0xFF08:
        return '(';
    case 0xFF09:
        return ')';
    case 0xFF0C:
        return ',';
    case 0xFF0B:
        return '+';
    case 0xFF0D:
        return '-';
    case 0x2212:
        return '-';
    case 0xFF0A:
        return '*';
    case 0xD7:
        return '*';
    case 0xFF0F:
        return '/';
    case 0xF7:
        return '/';
    case 0xFF1C:
        return '<';
    case 0xFF1E:
        return '>';
    case 0xFF1D:
        return '=';
    case 0xFF01:
        return '!';
    case 0xFF05:
        return '%';
    default:
        return c;
    }
}

/* The text of token "t" for a message, cut to about 40 characters. */
static void tok_show(const struct parser *p, const struct tok *t, char *out, size_t cap)
{
    size_t i = t->start, end = t->end;
    int chars = 0;
    while (i < end && chars < 40) {
        uint32_t c;
        int l = expr_utf8_decode(p->s, p->n, i, &c);
        if (l == 0)
            break;
        i += (size_t)l;
        chars++;
    }
    size_t m = i - t->start;
    if (m + 4 > cap)
        m = 0;
    memcpy(out, p->s + t->start, m);
    strcpy(out + m, i < end ? "…" : "");
}

static void lex(struct parser *p)
{
    int len;
    uint32_t c;
    for (;;) { /* white space */
        c = peek(p, p->pos, &len);
        if (len == 0 || !is_space(c))
            break;
        advance(p, c, len);
    }
    struct tok *t = &p->t;
    t->start = t->end = p->pos;
    t->line = p->line;
    t->col = p->col;
    if (p->pos >= p->n) {
        t->kind = T_END;
        return;
    }
    if (len == 0) {
        fail(p, t->line, t->col, "bad_utf8", "不是有效的 UTF-8 文字（文件的编码应为 UTF-8）");
        t->kind = T_END;
        return;
    }
    if (is_name_char(c)) {
        bool digits_only = true, point = false;
        while (len && (is_name_char(c) || (c == '.' && digits_only && !point))) {
            if (c == '.')
                point = true;
            else if (c < '0' || c > '9')
                digits_only = false;
            advance(p, c, len);
            c = peek(p, p->pos, &len);
        }
        bool percent = false;
        size_t digits_end = p->pos;
        if (digits_only && len && fold_op(c) == '%') {
            percent = true;
            advance(p, c, len);
        }
        t->end = p->pos;
        if (!digits_only && point) { /* "1.5abc": a name may not hold a point */
            struct tok bad = *t;
            char show[200];
            tok_show(p, &bad, show, sizeof show);
            fail(p, t->line, t->col, "bad_number", "\"%s\" 既不是数字也不是名称（名称中不能有小数点）", show);
            t->kind = T_END;
            return;
        }
        if (!digits_only) {
            size_t l = t->end - t->start;
            const char *w = p->s + t->start;
            if (l == 3 && !memcmp(w, "且", 3))
                t->kind = T_AND;
            else if (l == 3 && !memcmp(w, "或", 3))
                t->kind = T_OR;
            else if (l == 3 && !memcmp(w, "非", 3))
                t->kind = T_NOT;
            else
                t->kind = T_NAME;
            return;
        }
        size_t l = digits_end - t->start;
        char buf[64];
        if (l >= sizeof buf - 4 || p->s[t->start + l - 1] == '.') {
            char show[200];
            tok_show(p, t, show, sizeof show);
            fail(p, t->line, t->col, l >= sizeof buf - 4 ? "number_range" : "bad_number",
                 l >= sizeof buf - 4 ? "数字 \"%s\" 超出范围（绝对值最大 1000000000000000）"
                                     : "数字 \"%s\" 写得不完整（小数点后应有数字）",
                 show);
            t->kind = T_END;
            return;
        }
        memcpy(buf, p->s + t->start, l);
        strcpy(buf + l, percent ? "e-2" : ""); /* 95% is read as 95e-2: one rounding */
        t->num = strtod(buf, NULL);
        if (!(t->num <= MAX_NUMBER)) {
            char show[200];
            tok_show(p, t, show, sizeof show);
            fail(p, t->line, t->col, "number_range", "数字 \"%s\" 超出范围（绝对值最大 1000000000000000）",
                 show);
            t->kind = T_END;
            return;
        }
        t->kind = T_NUM;
        return;
    }
    uint32_t f = fold_op(c);
    advance(p, c, len);
    int len2;
    uint32_t next = fold_op(peek(p, p->pos, &len2));
    switch (f) {
    case '(':
        t->kind = T_LP;
        break;
    case ')':
        t->kind = T_RP;
        break;
    case ',':
        t->kind = T_COMMA;
        break;
    case '+':
        t->kind = T_PLUS;
        break;
    case '-':
        t->kind = T_MINUS;
        break;
    case '*':
        t->kind = T_STAR;
        break;
    case '/':
        t->kind = T_SLASH;
        break;
    case 0x2264:
        t->kind = T_LE;
        break;
    case 0x2265:
        t->kind = T_GE;
        break;
    case 0x2260:
        t->kind = T_NE;
        break;
    case '<':
    case '>':
        t->kind = f == '<' ? T_LT : T_GT;
        if (next == '=') {
            advance(p, next, len2);
            t->kind = f == '<' ? T_LE : T_GE;
        } else if (f == '<' && next == '>') {
            advance(p, next, len2);
            t->kind = T_NE;
        }
        break;
    case '=':
        t->kind = T_EQ;
        if (next == '=')
            advance(p, next, len2);
        break;
    case '!':
        t->kind = T_NOT;
        if (next == '=') {
            advance(p, next, len2);
            t->kind = T_NE;
        }
        break;
    case '&':
    case '|':
        if (next == f) {
            advance(p, next, len2);
            t->kind = f == '&' ? T_AND : T_OR;
            break;
        }
        /* fall through */
    default: {
        t->end = p->pos;
        char show[16];
        if (c < 0x20 || c == 0x7F)
            snprintf(show, sizeof show, "\\x%02X", (unsigned)c);
        else
            memcpy(show, p->s + t->start, (size_t)len), show[len] = 0;
        fail(p, t->line, t->col, "stray_char", "无法识别的字符 \"%s\"", show);
        t->kind = T_END;
        return;
    }
    }
    t->end = p->pos;
}

/* ---- emitting code ----------------------------------------------------------------------- */

static struct op *emit(struct parser *p, enum op_kind kind, int pops, int pushes)
{
    struct expr *e = p->e;
    if (e->ncode == p->cap_code) {
        p->cap_code = p->cap_code ? 2 * p->cap_code : 32;
        e->code = realloc(e->code, (size_t)p->cap_code * sizeof *e->code);
        if (!e->code)
            die("out of memory");
    }
    struct op *o = &e->code[e->ncode++];
    memset(o, 0, sizeof *o);
    o->kind = (uint8_t)kind;
    p->sd += pushes - pops;
    if (p->sd > e->max_stack)
        e->max_stack = p->sd;
    return o;
}

/* The reference (name, shift), added when new; -1 (with the error set) past the limit. */
static int add_ref(struct parser *p, int name, int shift, const struct tok *at, size_t start, size_t end)
{
    struct expr *e = p->e;
    int r = 0;
    while (r < e->nrefs && !(e->refs[r].name == name && e->refs[r].shift == shift))
        r++;
    if (r == e->nrefs) {
        if (e->nrefs == EXPR_MAX_REFS) {
            fail(p, at->line, at->col, "too_many_refs", "公式引用的指标过多（最多 %d 个不同的引用）",
                 EXPR_MAX_REFS);
            return -1;
        }
        e->refs[e->nrefs++] = (struct expr_ref){.name = name, .shift = shift};
    }
    if (e->nspans == p->cap_spans) {
        p->cap_spans = p->cap_spans ? 2 * p->cap_spans : 8;
        e->spans = realloc(e->spans, (size_t)p->cap_spans * sizeof *e->spans);
        if (!e->spans)
            die("out of memory");
    }
    e->spans[e->nspans++] = (struct span){.start = start, .end = end, .ref = r};
    emit(p, OP_REF, 0, 1)->ref = r;
    return r;
}

/* ---- the parser ---------------------------------------------------------------------------- */

static void parse_or(struct parser *p);

static bool enter(struct parser *p, const struct tok *at)
{
    if (++p->depth > EXPR_MAX_DEPTH) {
        fail(p, at->line, at->col, "too_deep", "公式嵌套过深（括号、函数和正负号最多嵌套 %d 层）",
             EXPR_MAX_DEPTH);
        return false;
    }
    return true;
}

static void expected(struct parser *p, const char *what)
{
    if (p->failed)
        return;
    if (p->t.kind == T_END) {
        fail(p, p->t.line, p->t.col, "unexpected_end", "公式意外结束，此处应为%s", what);
        return;
    }
    char show[200];
    tok_show(p, &p->t, show, sizeof show);
    fail(p, p->t.line, p->t.col, "unexpected_token", "此处应为%s，却是 \"%s\"", what, show);
}

static int name_index(const struct parser *p, size_t start, size_t end)
{
    size_t l = end - start;
    for (int i = 0; i < p->cat->n; i++)
        if (strlen(p->cat->names[i]) == l && !memcmp(p->cat->names[i], p->s + start, l))
            return i;
    return -1;
}

static void unknown_name(struct parser *p, const struct tok *t)
{
    char show[200];
    tok_show(p, t, show, sizeof show);
    int s = expr_suggest(p->s + t->start, t->end - t->start, p->cat->names, p->cat->n);
    bool joined = false; /* "a且b": the operator written without spaces */
    for (size_t i = t->start; i + 3 <= t->end; i++)
        if (!memcmp(p->s + i, "且", 3) || !memcmp(p->s + i, "或", 3))
            joined = true;
    if (s >= 0)
        fail(p, t->line, t->col, "unknown_name", "未知指标 \"%s\"，是否指 \"%s\"？", show, p->cat->names[s]);
    else if (joined)
        fail(p, t->line, t->col, "unknown_name", "未知指标 \"%s\"（“且”“或”“非”两边要留空格）", show);
    else
        fail(p, t->line, t->col, "unknown_name", "未知指标 \"%s\"", show);
}

static void parse_call(struct parser *p, struct tok name)
{
    size_t l = name.end - name.start;
    int fn = 0;
    while (fn < F_N && !(strlen(fn_names[fn]) == l && !memcmp(fn_names[fn], p->s + name.start, l)))
        fn++;
    if (fn == F_N) {
        char show[200];
        tok_show(p, &name, show, sizeof show);
        int s = expr_suggest(p->s + name.start, l, fn_names, F_N);
        if (s >= 0)
            fail(p, name.line, name.col, "unknown_function", "未知函数 \"%s\"，是否指 \"%s\"？", show,
                 fn_names[s]);
        else
            fail(p, name.line, name.col, "unknown_function", "未知函数 \"%s\"", show);
        return;
    }
    struct tok open = p->t;
    if (!enter(p, &open))
        return;
    lex(p);
    if (fn == F_PREVIOUS || fn == F_YEAR_AGO) {
        struct tok arg = p->t;
        if (arg.kind != T_NAME) {
            if (!p->failed)
                fail(p, arg.line, arg.col, "bad_argument", "函数 \"%s\" 的参数必须是一个指标名称",
                     fn_names[fn]);
            return;
        }
        int idx = name_index(p, arg.start, arg.end);
        if (idx < 0) {
            unknown_name(p, &arg);
            return;
        }
        lex(p);
        if (p->t.kind != T_RP) {
            if (p->t.kind == T_END && !p->failed)
                fail(p, open.line, open.col, "unclosed_paren", "括号 \"(\" 没有闭合");
            else
                fail(p, arg.line, arg.col, "bad_argument", "函数 \"%s\" 只有一个参数：一个指标名称",
                     fn_names[fn]);
            return;
        }
        if (add_ref(p, idx, fn == F_PREVIOUS ? EXPR_PREVIOUS : EXPR_YEAR_AGO, &name, name.start, p->t.end) <
            0)
            return;
        p->depth--;
        lex(p);
        return;
    }
    int argc = 0;
    /* for 阈值: the last literal threshold seen, to check they ascend */
    bool have_prev = false;
    double prev = 0;
    struct tok prev_tok = {0};
    if (p->t.kind != T_RP) {
        for (;;) {
            struct tok first = p->t;
            int before = p->e->ncode;
            parse_or(p);
            if (p->failed)
                return;
            argc++;
            if (fn == F_THRESHOLD && argc % 2 == 0) { /* argument 2, 4, …: a threshold */
                struct op *o = &p->e->code[before];
                if (p->e->ncode == before + 1 && o->kind == OP_NUM) {
                    if (have_prev && !(o->num > prev)) {
                        char a[200], b[200];
                        struct tok cur = first;
                        cur.end = p->t.start;
                        while (cur.end > cur.start && is_space((unsigned char)p->s[cur.end - 1]))
                            cur.end--;
                        tok_show(p, &cur, a, sizeof a);
                        tok_show(p, &prev_tok, b, sizeof b);
                        fail(p, first.line, first.col, "thresholds_order",
                             "函数 \"阈值\" 的门槛须从小到大排列：%s 不大于前一个门槛 %s", a, b);
                        return;
                    }
                    have_prev = true;
                    prev = o->num;
                    prev_tok = first;
                    prev_tok.end = p->t.start;
                    while (prev_tok.end > prev_tok.start && is_space((unsigned char)p->s[prev_tok.end - 1]))
                        prev_tok.end--;
                } else {
                    have_prev = false;
                }
            }
            if (p->t.kind == T_COMMA) {
                lex(p);
                continue;
            }
            if (p->t.kind == T_RP)
                break;
            if (p->t.kind == T_END && !p->failed)
                fail(p, open.line, open.col, "unclosed_paren", "括号 \"(\" 没有闭合");
            else
                expected(p, "逗号 \",\" 或右括号 \")\"");
            return;
        }
    }
    bool odd = fn != F_THRESHOLD || argc % 2 == 1;
    if (argc < fn_min[fn] || (fn_max[fn] >= 0 && argc > fn_max[fn]) || !odd) {
        char need[128];
        if (fn == F_THRESHOLD)
            snprintf(need, sizeof need, " 1 个值和成对的门槛、分数，共 3、5、7……个");
        else if (fn_max[fn] < 0)
            snprintf(need, sizeof need, "至少 %d 个", fn_min[fn]);
        else if (fn_max[fn] == fn_min[fn])
            snprintf(need, sizeof need, " %d 个", fn_min[fn]);
        else
            snprintf(need, sizeof need, " %d 或 %d 个", fn_min[fn], fn_max[fn]);
        fail(p, name.line, name.col, "arg_count", "函数 \"%s\" 需要%s参数，这里有 %d 个", fn_names[fn], need,
             argc);
        return;
    }
    struct op *o = emit(p, OP_CALL, argc, 1);
    o->fn = (uint8_t)fn;
    o->argc = (uint16_t)argc;
    p->depth--;
    lex(p);
}

static void parse_primary(struct parser *p)
{
    struct tok t = p->t;
    switch (t.kind) {
    case T_NUM:
        emit(p, OP_NUM, 0, 1)->num = t.num;
        lex(p);
        return;
    case T_NAME: {
        lex(p);
        if (p->t.kind == T_LP) {
            parse_call(p, t);
            return;
        }
        int idx = name_index(p, t.start, t.end);
        if (idx < 0) {
            unknown_name(p, &t);
            return;
        }
        add_ref(p, idx, EXPR_NOW, &t, t.start, t.end);
        return;
    }
    case T_LP: {
        if (!enter(p, &t))
            return;
        lex(p);
        parse_or(p);
        if (p->failed)
            return;
        if (p->t.kind == T_END) {
            fail(p, t.line, t.col, "unclosed_paren", "括号 \"(\" 没有闭合");
            return;
        }
        if (p->t.kind != T_RP) {
            expected(p, "运算符或 \")\"");
            return;
        }
        p->depth--;
        lex(p);
        return;
    }
    default:
        expected(p, "数字、指标名称、函数或 \"(\"");
        return;
    }
}

static void parse_unary(struct parser *p)
{
    struct tok t = p->t;
    if (t.kind == T_MINUS || t.kind == T_PLUS || t.kind == T_NOT) {
        if (!enter(p, &t))
            return;
        lex(p);
        int before = p->e->ncode;
        parse_unary(p);
        if (p->failed)
            return;
        p->depth--;
        if (t.kind == T_MINUS) {
            struct op *o = &p->e->code[before];
            if (p->e->ncode == before + 1 && o->kind == OP_NUM)
                o->num = -o->num; /* a negative number: stays a literal */
            else
                emit(p, OP_NEG, 1, 1);
        } else if (t.kind == T_NOT) {
            emit(p, OP_NOT, 1, 1);
        }
        return;
    }
    parse_primary(p);
}

static void parse_mul(struct parser *p)
{
    parse_unary(p);
    while (!p->failed && (p->t.kind == T_STAR || p->t.kind == T_SLASH)) {
        enum tok_kind k = p->t.kind;
        lex(p);
        parse_unary(p);
        emit(p, k == T_STAR ? OP_MUL : OP_DIV, 2, 1);
    }
}

static void parse_add(struct parser *p)
{
    parse_mul(p);
    while (!p->failed && (p->t.kind == T_PLUS || p->t.kind == T_MINUS)) {
        enum tok_kind k = p->t.kind;
        lex(p);
        parse_mul(p);
        emit(p, k == T_PLUS ? OP_ADD : OP_SUB, 2, 1);
    }
}

static bool is_comparison(enum tok_kind k)
{
    return k >= T_LT && k <= T_NE;
}

static void parse_cmp(struct parser *p)
{
    parse_add(p);
    if (p->failed || !is_comparison(p->t.kind))
        return;
    enum tok_kind k = p->t.kind;
    lex(p);
    parse_add(p);
    if (p->failed)
        return;
    if (is_comparison(p->t.kind)) {
        fail(p, p->t.line, p->t.col, "chained_comparison",
             "比较不能连写（如 a < b < c），请用 \"且\" 连接两个比较：a < b 且 b < c");
        return;
    }
    emit(p, (enum op_kind)(OP_LT + (k - T_LT)), 2, 1);
}

static void parse_and(struct parser *p)
{
    parse_cmp(p);
    while (!p->failed && p->t.kind == T_AND) {
        lex(p);
        parse_cmp(p);
        emit(p, OP_AND, 2, 1);
    }
}

static void parse_or(struct parser *p)
{
    parse_and(p);
    while (!p->failed && p->t.kind == T_OR) {
        lex(p);
        parse_and(p);
        emit(p, OP_OR, 2, 1);
    }
}

void expr_free(struct expr *e)
{
    if (!e)
        return;
    free(e->text);
    free(e->code);
    free(e->spans);
    free(e);
}

struct expr *expr_compile(const char *text, size_t len, const struct expr_catalogue *cat, int line, int col,
                          struct expr_error *err)
{
    static const struct expr_catalogue none = {0, NULL};
    struct parser p = {.s = text, .n = len, .line = line, .col = col, .cat = cat ? cat : &none, .err = err};
    if (err)
        memset(err, 0, sizeof *err);
    if (len > EXPR_MAX_TEXT) {
        fail(&p, line, col, "too_long", "公式过长（%zu 字节，最多 %d 字节）", len, EXPR_MAX_TEXT);
        return NULL;
    }
    p.e = calloc(1, sizeof *p.e);
    if (!p.e)
        die("out of memory");
    lex(&p);
    if (p.t.kind == T_END && !p.failed)
        fail(&p, line, col, "empty", "公式是空的");
    if (!p.failed)
        parse_or(&p);
    if (!p.failed && p.t.kind != T_END)
        expected(&p, p.t.kind == T_RP ? "运算符（这个 \")\" 没有对应的 \"(\"）" : "运算符");
    if (p.failed) {
        expr_free(p.e);
        return NULL;
    }
    CHECK(p.sd == 1 && p.depth == 0);
    struct expr *e = p.e;
    e->text = malloc(len + 1);
    if (!e->text)
        die("out of memory");
    memcpy(e->text, text, len);
    e->text[len] = 0;
    e->len = len;
    return e;
}

bool expr_is_name(const char *s, size_t len)
{
    struct parser p = {.s = s, .n = len, .line = 1, .col = 1};
    lex(&p);
    return !p.failed && p.t.kind == T_NAME && p.t.start == 0 && p.t.end == len;
}

int expr_nrefs(const struct expr *e)
{
    return e->nrefs;
}

const struct expr_ref *expr_ref_at(const struct expr *e, int i)
{
    CHECK(i >= 0 && i < e->nrefs);
    return &e->refs[i];
}

const char *expr_text(const struct expr *e)
{
    return e->text;
}

/* ---- evaluation ----------------------------------------------------------------------------- */

static struct calc_value num(double v)
{
    return isfinite(v) ? calc_number(v) : calc_missing();
}

static double linear(double x, double lo, double hi, double full)
{
    if (lo == hi)
        return x >= hi ? full : 0;
    if (lo < hi) {
        if (x <= lo)
            return 0;
        if (x >= hi)
            return full;
        return full * (x - lo) / (hi - lo);
    }
    if (x >= lo) /* lower is better */
        return 0;
    if (x <= hi)
        return full;
    return full * (lo - x) / (lo - hi);
}

static struct calc_value call(int fn, const struct calc_value *a, int argc)
{
    if (fn == F_MIN || fn == F_MAX) {
        bool any = false;
        double best = 0;
        for (int i = 0; i < argc; i++) {
            if (a[i].missing)
                continue;
            if (!any || (fn == F_MIN ? a[i].v < best : a[i].v > best))
                best = a[i].v;
            any = true;
        }
        return any ? calc_number(best) : calc_missing();
    }
    if (fn == F_IFMISSING)
        return a[0].missing ? a[1] : a[0];
    if (fn == F_IF) {
        if (a[0].missing)
            return calc_missing();
        return a[0].v != 0 ? a[1] : a[2];
    }
    for (int i = 0; i < argc; i++)
        if (a[i].missing)
            return calc_missing();
    switch (fn) {
    case F_LINEAR:
        return num(linear(a[0].v, a[1].v, a[2].v, argc > 3 ? a[3].v : 100));
    case F_TARGET: {
        double full = argc > 2 ? a[2].v : 100;
        if (a[0].v >= a[1].v)
            return num(full);
        if (a[1].v == 0)
            return calc_missing();
        double s = full * a[0].v / a[1].v;
        return num(s < 0 ? 0 : s);
    }
    case F_THRESHOLD: {
        double score = 0;
        for (int i = 1; i + 1 < argc; i += 2) {
            if (i > 1 && !(a[i].v > a[i - 2].v))
                return calc_missing(); /* thresholds computed at run time that do not ascend */
            if (a[0].v >= a[i].v)
                score = a[i + 1].v;
        }
        return num(score);
    }
    case F_CAP:
        return num(a[0].v < a[1].v ? a[0].v : a[1].v);
    case F_FLOOR:
        return num(a[0].v > a[1].v ? a[0].v : a[1].v);
    case F_BONUS:
    case F_DEDUCT: {
        double s = a[0].v * a[1].v;
        if (s > a[2].v)
            s = a[2].v;
        return num(fn == F_BONUS ? s : -s);
    }
    default:
        BUG("unknown function");
    }
}

static struct calc_value logic(bool is_and, struct calc_value a, struct calc_value b)
{
    /* Kleene: a missing operand leaves the answer missing unless the other decides it */
    bool decide = !is_and; /* 或: true decides; 且: false decides */
    if ((!a.missing && (a.v != 0) == decide) || (!b.missing && (b.v != 0) == decide))
        return calc_number(decide ? 1 : 0);
    if (a.missing || b.missing)
        return calc_missing();
    return calc_number(decide ? 0 : 1);
}

struct calc_value expr_eval(const struct expr *e, const struct calc_value *refs)
{
    struct calc_value local[64], *st = local;
    if (e->max_stack > 64) {
        st = malloc((size_t)e->max_stack * sizeof *st);
        if (!st)
            die("out of memory");
    }
    int sp = 0;
    for (int i = 0; i < e->ncode; i++) {
        const struct op *o = &e->code[i];
        switch (o->kind) {
        case OP_NUM:
            st[sp++] = calc_number(o->num);
            break;
        case OP_REF: {
            struct calc_value v = refs[o->ref];
            st[sp++] = v.missing || !isfinite(v.v) ? calc_missing() : v;
            break;
        }
        case OP_NEG:
            if (!st[sp - 1].missing)
                st[sp - 1].v = -st[sp - 1].v;
            break;
        case OP_NOT:
            if (!st[sp - 1].missing)
                st[sp - 1].v = st[sp - 1].v == 0;
            break;
        case OP_CALL:
            sp -= o->argc;
            st[sp] = call(o->fn, st + sp, o->argc);
            sp++;
            break;
        case OP_AND:
        case OP_OR:
            sp--;
            st[sp - 1] = logic(o->kind == OP_AND, st[sp - 1], st[sp]);
            break;
        default: {
            sp--;
            struct calc_value a = st[sp - 1], b = st[sp];
            if (a.missing || b.missing) {
                st[sp - 1] = calc_missing();
                break;
            }
            double x = a.v, y = b.v, r = 0;
            switch (o->kind) {
            case OP_ADD:
                r = x + y;
                break;
            case OP_SUB:
                r = x - y;
                break;
            case OP_MUL:
                r = x * y;
                break;
            case OP_DIV:
                r = y == 0 ? NAN : x / y;
                break;
            case OP_LT:
                r = x < y;
                break;
            case OP_LE:
                r = x <= y;
                break;
            case OP_GT:
                r = x > y;
                break;
            case OP_GE:
                r = x >= y;
                break;
            case OP_EQ:
                r = x == y;
                break;
            case OP_NE:
                r = x != y;
                break;
            default:
                BUG("unknown op");
            }
            st[sp - 1] = num(r);
        }
        }
    }
    CHECK(sp == 1);
    struct calc_value v = st[0];
    if (st != local)
        free(st);
    return v;
}

/* ---- describing -------------------------------------------------------------------------------- */

struct out {
    char *buf;
    size_t cap, len;
    bool cut; /* stopped writing: the rest only counts */
};

static void put(struct out *o, const char *s, size_t n)
{
    if (!o->cut && o->cap > 0) {
        size_t room = o->cap - 1 - o->len; /* not cut: len < cap */
        if (n <= room) {
            memcpy(o->buf + o->len, s, n);
        } else { /* cut between characters */
            size_t k = room;
            while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
                k--;
            memcpy(o->buf + o->len, s, k);
            o->buf[o->len + k] = 0;
            o->cut = true;
        }
    }
    o->len += n;
}

size_t expr_describe(const struct expr *e, const struct calc_value *refs, char *out, size_t cap)
{
    struct out o = {.buf = out, .cap = cap};
    size_t at = 0;
    for (int i = 0; i <= e->nspans; i++) {
        size_t stop = i < e->nspans ? e->spans[i].start : e->len;
        for (size_t k = at; k < stop;) { /* a character at a time, so a cut falls between them */
            uint32_t c;
            int l = expr_utf8_decode(e->text, e->len, k, &c);
            CHECK(l > 0); /* the text compiled */
            if (c == '\n' || c == '\r')
                put(&o, " ", 1);
            else
                put(&o, e->text + k, (size_t)l);
            k += (size_t)l;
        }
        if (i == e->nspans)
            break;
        struct calc_value v = refs[e->spans[i].ref];
        if (v.missing || !isfinite(v.v)) {
            put(&o, "缺项", strlen("缺项"));
        } else {
            char d[CALC_DECIMAL_CAP];
            size_t n = calc_decimal(v.v, 4, d, sizeof d);
            bool neg = d[0] == '-';
            if (neg)
                put(&o, "(", 1);
            put(&o, d, n);
            if (neg)
                put(&o, ")", 1);
        }
        at = e->spans[i].end;
    }
    if (cap > 0 && !o.cut)
        out[o.len] = 0;
    return o.len;
}
