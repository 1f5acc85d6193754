/*
 * xlsx: a workbook's worksheet read row by row.
 *
 * Opening reads the small parts whole: _rels/.rels to find the workbook, workbook.xml (the
 * sheets' names, the 1904 date system) and its rels to find the chosen sheet's part, the
 * shared strings (kept in memory: they are inflated under the same byte budget as the
 * rest) and styles.xml (which cell formats are dates). Merged cells are listed after the
 * rows, so a byte-level pre-scan of the sheet finds those that touch the first
 * SHEET_HEADER_ROWS rows; it also refuses a sheet that inflates past the cap before any
 * row is given. Then the sheet is parsed as it inflates, expat pausing after each row.
 *
 * Cells: shared and inline strings (rich-text runs joined, phonetic runs left out),
 * numbers as written, booleans, t="str" formula results, t="e" errors, t="d" ISO dates;
 * a formula's cached <v> is all that is used. A number whose format is a date becomes
 * SC_DATE. A cell without a value is left out (an SC_EMPTY where a later cell needs it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sheet/sheet_int.h"

#define MAX_RELS 10000
#define MAX_SHEETS 10000
#define MAX_XF 65536
#define MAX_NUMFMT 4096
#define MAX_MERGES 100000

struct rel {
    char *id, *type, *target;
};

struct wb_sheet {
    char *name, *rid;
};

struct merge {
    int r1, c1, r2, c2; /* 1-based rows, 0-based columns, inclusive */
    bool seen;          /* the top-left cell's value has been taken */
    enum sheet_cell_type type;
    double num;
    char *text;
};

struct xlsx {
    zip_t *z;
    int64_t budget; /* bytes the parts may still inflate to */
    bool date1904;
    /* shared strings: one buffer of NUL-terminated strings, and where each begins */
    char *sst;
    size_t sst_len, sst_cap;
    size_t *sst_off;
    int64_t sst_n, sst_offcap;
    /* styles: which cell formats (the index in <c s="…">) are dates */
    bool *xf_date;
    int nxf;
    struct merge *merges;
    int nmerge;
    /* the sheet being read */
    struct sheet_xml x;
    struct sheet_ctx *ctx;
};

/* ---- small helpers */

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(sheet_xrealloc(NULL, n), s, n);
}

/* A growing text buffer with a cap: sheet_xlsx's collectors of <v> and <t>. */
struct text {
    char *s;
    size_t len, cap, max;
    bool over;
};

static void text_add(struct text *t, const char *s, size_t n)
{
    if (t->over || t->len + n > t->max) {
        t->over = true;
        return;
    }
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        t->s = sheet_xrealloc(t->s, cap);
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = 0;
}

static void text_reset(struct text *t)
{
    t->len = 0;
    t->over = false;
    if (t->s)
        t->s[0] = 0;
}

/* "part"'s folder with "target" resolved against it (OPC: relative, or absolute from the
 * package root), ./ and ../ removed. Into "out" (cap bytes); false if it does not fit. */
static bool resolve(const char *part, const char *target, char *out, size_t cap)
{
    char tmp[1024];
    if (target[0] == '/') {
        snprintf(tmp, sizeof tmp, "%s", target + 1);
    } else {
        const char *slash = strrchr(part, '/');
        int dir = slash ? (int)(slash - part + 1) : 0;
        if (snprintf(tmp, sizeof tmp, "%.*s%s", dir, part, target) >= (int)sizeof tmp)
            return false;
    }
    size_t o = 0;
    for (char *seg = tmp, *next; seg; seg = next) {
        next = strchr(seg, '/');
        if (next)
            *next++ = 0;
        if (!*seg || !strcmp(seg, "."))
            continue;
        if (!strcmp(seg, "..")) {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            continue;
        }
        size_t n = strlen(seg);
        if (o + (o > 0) + n + 1 > cap)
            return false;
        if (o > 0)
            out[o++] = '/';
        memcpy(out + o, seg, n);
        o += n;
    }
    out[o] = 0;
    return o > 0;
}

/* The last segment of a relationship type URI ("…/relationships/worksheet" → "worksheet"). */
static const char *rel_kind(const char *type)
{
    const char *s = strrchr(type, '/');
    return s ? s + 1 : type;
}

/* "AB12" → column 27 (0-based), or -1. The digits are not looked at. */
static int col_of_ref(const char *ref)
{
    int64_t c = 0;
    int n = 0;
    for (; (*ref >= 'A' && *ref <= 'Z') || (*ref >= 'a' && *ref <= 'z'); ref++, n++) {
        if (n >= 4)
            return -1;
        c = c * 26 + ((*ref | 0x20) - 'a' + 1);
    }
    return n ? (int)(c - 1) : -1;
}

/* "AB12" → row 12, or -1. */
static int64_t row_of_ref(const char *ref)
{
    while ((*ref >= 'A' && *ref <= 'Z') || (*ref >= 'a' && *ref <= 'z'))
        ref++;
    int64_t v = 0;
    if (*ref < '0' || *ref > '9')
        return -1;
    for (; *ref >= '0' && *ref <= '9'; ref++)
        if ((v = v * 10 + (*ref - '0')) > INT32_MAX)
            return -1;
    return *ref ? -1 : v;
}

/* A non-negative integer written in full, or -1. */
static int64_t whole(const char *s)
{
    if (!s || !*s)
        return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > INT32_MAX)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* ---- parsing a small part whole */

struct part_ctx {
    struct sheet_xml *x; /* first: see sheet_int.h */
    struct xlsx *w;
    sheet_reader *r;
    int depth;
    const char *root; /* the element the part must start with, or NULL */
    /* rels */
    struct rel *rels;
    int nrels;
    /* workbook */
    struct wb_sheet *sheets;
    int nsheets;
    /* styles */
    bool in_numfmts, in_cellxfs;
    int *fmt_id;
    bool *fmt_date;
    int nfmt;
    int *xf_fmt;
    /* shared strings */
    bool in_si, in_t, in_rph;
    struct text t;
};

static int part_fail(struct part_ctx *c, int rc, const char *code, const char *msg)
{
    sheet_err(&c->x->err, rc, code, "%s", msg);
    sheet_xml_fail(c->x);
    return rc;
}

static int run_part(struct part_ctx *c, const char *part, XML_StartElementHandler start,
                    XML_EndElementHandler end, XML_CharacterDataHandler text, struct rerr *err)
{
    struct sheet_xml x;
    c->x = &x;
    int rc = sheet_xml_open(&x, c->w->z, part, &c->w->budget, c, start, end, text, err);
    if (rc == 0)
        rc = sheet_xml_run(&x, err);
    sheet_xml_close(&x);
    c->x = NULL;
    return rc;
}

/* The root element is what the part must be; a different one says what the file is. */
static bool root_ok(struct part_ctx *c, const char *local)
{
    if (c->depth++ > 0 || !c->root || !strcmp(local, c->root))
        return true;
    const char *what = !strcmp(local, "document")       ? "这是 Word 文档，不是 Excel 表格"
                       : !strcmp(local, "presentation") ? "这是 PowerPoint 演示文稿，不是 Excel 表格"
                                                        : "压缩包中没有 Excel 工作簿：这不是 .xlsx 表格";
    part_fail(c, R_EMEDIA, "not_spreadsheet", what);
    return false;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct part_ctx *c = ud;
    if (!root_ok(c, sheet_xml_local(name)) || strcmp(sheet_xml_local(name), "Relationship"))
        return;
    const char *id = sheet_xml_attr(atts, "Id"), *type = sheet_xml_attr(atts, "Type");
    const char *target = sheet_xml_attr(atts, "Target"), *mode = sheet_xml_attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && !strcmp(mode, "External")))
        return;
    if (c->nrels >= MAX_RELS) {
        part_fail(c, R_EINVAL, "bad_xlsx", "XLSX 文件的关系表过大");
        return;
    }
    c->rels = sheet_xrealloc(c->rels, (size_t)(c->nrels + 1) * sizeof *c->rels);
    c->rels[c->nrels++] = (struct rel){xstrdup(id), xstrdup(type), xstrdup(target)};
}

static void XMLCALL any_end(void *ud, const XML_Char *name)
{
    ((struct part_ctx *)ud)->depth--;
}

static void free_rels(struct part_ctx *c)
{
    for (int i = 0; i < c->nrels; i++) {
        free(c->rels[i].id);
        free(c->rels[i].type);
        free(c->rels[i].target);
    }
    free(c->rels);
    c->rels = NULL;
    c->nrels = 0;
}

/* The relationships of "part" (its _rels/NAME.rels), or none when there is no such file. */
static int read_rels(struct part_ctx *c, const char *part, struct rerr *err)
{
    char path[1100];
    const char *slash = strrchr(part, '/');
    int dir = slash ? (int)(slash - part + 1) : 0;
    snprintf(path, sizeof path, "%.*s_rels/%s.rels", dir, part, part + dir);
    if (!sheet_zip_has(c->w->z, path))
        return 0;
    c->depth = 0;
    c->root = NULL;
    return run_part(c, path, rels_start, any_end, NULL, err);
}

static const struct rel *rel_of_kind(const struct part_ctx *c, const char *kind)
{
    for (int i = 0; i < c->nrels; i++)
        if (!strcmp(rel_kind(c->rels[i].type), kind))
            return &c->rels[i];
    return NULL;
}

static void XMLCALL workbook_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct part_ctx *c = ud;
    const char *local = sheet_xml_local(name);
    if (!root_ok(c, local))
        return;
    if (!strcmp(local, "workbookPr")) {
        const char *v = sheet_xml_attr(atts, "date1904");
        c->w->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (!strcmp(local, "sheet")) {
        const char *n = sheet_xml_attr(atts, "name"), *id = NULL;
        for (int i = 0; atts[i]; i += 2) /* r:id, in the relationships namespace */
            if (!strcmp(sheet_xml_local(atts[i]), "id") && strchr(atts[i], ' '))
                id = atts[i + 1];
        if (!n || !id)
            return;
        if (c->nsheets >= MAX_SHEETS) {
            part_fail(c, R_EINVAL, "bad_xlsx", "XLSX 文件的工作表过多");
            return;
        }
        c->sheets = sheet_xrealloc(c->sheets, (size_t)(c->nsheets + 1) * sizeof *c->sheets);
        c->sheets[c->nsheets++] = (struct wb_sheet){xstrdup(n), xstrdup(id)};
    }
}

/* ---- styles: which formats are dates */

/* A format code is a date or time when, outside quoted text, [brackets] and escapes, it
 * has y, m, d, h or s (General and text formats have none that count). */
static bool date_format(const char *f)
{
    if (!strncasecmp(f, "General", 7))
        return false;
    for (const char *p = f; *p && *p != ';'; p++) {
        switch (*p) {
        case '"':
            p = strchr(p + 1, '"');
            if (!p)
                return false;
            break;
        case '[':
            p = strchr(p + 1, ']');
            if (!p)
                return false;
            break;
        case '\\':
        case '_':
        case '*':
            if (!*++p)
                return false;
            break;
        default:
            if (strchr("ymdhsYMDHS", *p))
                return true;
        }
    }
    return false;
}

/* Built-in formats that are dates or times: 14–22, 45–47, and the East Asian ones
 * (27–36, 50–58: 年月日 and 时分秒 in Chinese Excel and WPS). */
static bool builtin_date(int64_t id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct part_ctx *c = ud;
    const char *local = sheet_xml_local(name);
    if (!root_ok(c, local))
        return;
    if (!strcmp(local, "numFmts"))
        c->in_numfmts = true;
    else if (!strcmp(local, "cellXfs"))
        c->in_cellxfs = true;
    else if (c->in_numfmts && !strcmp(local, "numFmt")) {
        int64_t id = whole(sheet_xml_attr(atts, "numFmtId"));
        const char *code = sheet_xml_attr(atts, "formatCode");
        if (id < 0 || !code)
            return;
        if (c->nfmt >= MAX_NUMFMT) {
            part_fail(c, R_EINVAL, "bad_xlsx", "XLSX 文件的数字格式过多");
            return;
        }
        c->fmt_id = sheet_xrealloc(c->fmt_id, (size_t)(c->nfmt + 1) * sizeof *c->fmt_id);
        c->fmt_date = sheet_xrealloc(c->fmt_date, (size_t)(c->nfmt + 1) * sizeof *c->fmt_date);
        c->fmt_id[c->nfmt] = (int)id;
        c->fmt_date[c->nfmt++] = date_format(code);
    } else if (c->in_cellxfs && !strcmp(local, "xf")) {
        if (c->w->nxf >= MAX_XF) {
            part_fail(c, R_EINVAL, "bad_xlsx", "XLSX 文件的单元格格式过多");
            return;
        }
        int64_t id = whole(sheet_xml_attr(atts, "numFmtId"));
        c->xf_fmt = sheet_xrealloc(c->xf_fmt, (size_t)(c->w->nxf + 1) * sizeof *c->xf_fmt);
        c->xf_fmt[c->w->nxf++] = id < 0 ? 0 : (int)id;
    }
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
    struct part_ctx *c = ud;
    const char *local = sheet_xml_local(name);
    c->depth--;
    if (!strcmp(local, "numFmts"))
        c->in_numfmts = false;
    else if (!strcmp(local, "cellXfs"))
        c->in_cellxfs = false;
}

static int read_styles(struct part_ctx *c, const char *part, struct rerr *err)
{
    c->depth = 0;
    c->root = "styleSheet";
    int rc = run_part(c, part, styles_start, styles_end, NULL, err);
    struct xlsx *w = c->w;
    if (rc == 0) {
        w->xf_date = sheet_xrealloc(NULL, (size_t)w->nxf * sizeof *w->xf_date + 1);
        for (int i = 0; i < w->nxf; i++) {
            int id = c->xf_fmt[i];
            bool d = builtin_date(id);
            for (int k = 0; k < c->nfmt; k++) /* a custom format overrides a built-in id */
                if (c->fmt_id[k] == id)
                    d = c->fmt_date[k];
            w->xf_date[i] = d;
        }
    }
    free(c->fmt_id);
    free(c->fmt_date);
    free(c->xf_fmt);
    return rc;
}

/* ---- shared strings */

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct part_ctx *c = ud;
    const char *local = sheet_xml_local(name);
    if (!root_ok(c, local))
        return;
    if (!strcmp(local, "si")) {
        c->in_si = true;
        text_reset(&c->t);
    } else if (c->in_si && !strcmp(local, "rPh")) {
        c->in_rph = true;
    } else if (c->in_si && !strcmp(local, "t")) {
        c->in_t = true;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    struct part_ctx *c = ud;
    if (c->in_t && !c->in_rph)
        text_add(&c->t, s, (size_t)len);
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    struct part_ctx *c = ud;
    const char *local = sheet_xml_local(name);
    c->depth--;
    if (!strcmp(local, "t")) {
        c->in_t = false;
    } else if (!strcmp(local, "rPh")) {
        c->in_rph = false;
    } else if (!strcmp(local, "si") && c->in_si) {
        c->in_si = false;
        struct xlsx *w = c->w;
        if (c->t.over) {
            char msg[160];
            snprintf(msg, sizeof msg, "XLSX 文件的共享字符串表中有超过 %d 字节的单元格文字",
                     c->r->lim.max_cell_bytes);
            part_fail(c, R_ETOOBIG, "too_large", msg);
            return;
        }
        size_t n = c->t.s ? sheet_xml_unescape(c->t.s, c->t.len) : 0;
        if (w->sst_n == w->sst_offcap) {
            w->sst_offcap = w->sst_offcap ? w->sst_offcap * 2 : 1024;
            w->sst_off = sheet_xrealloc(w->sst_off, (size_t)w->sst_offcap * sizeof *w->sst_off);
        }
        if (w->sst_len + n + 1 > w->sst_cap) {
            size_t cap = w->sst_cap ? w->sst_cap : 65536;
            while (cap < w->sst_len + n + 1)
                cap *= 2;
            w->sst = sheet_xrealloc(w->sst, cap);
            w->sst_cap = cap;
        }
        w->sst_off[w->sst_n++] = w->sst_len;
        if (n)
            memcpy(w->sst + w->sst_len, c->t.s, n);
        w->sst[w->sst_len + n] = 0;
        w->sst_len += n + 1;
    }
}

/* ---- merged cells: a byte-level pre-scan */

#define SCAN_CONTEXT 300 /* bytes after "mergeCell" that hold its ref */

/* "A1:C2" → a merge, if it touches the header rows. */
static int add_merge(struct xlsx *w, const char *ref, size_t n, struct rerr *err)
{
    char a[32], *b;
    if (n >= sizeof a)
        return 0;
    memcpy(a, ref, n);
    a[n] = 0;
    if (!(b = strchr(a, ':')))
        return 0;
    *b++ = 0;
    int c1 = col_of_ref(a), c2 = col_of_ref(b);
    int64_t r1 = row_of_ref(a), r2 = row_of_ref(b);
    if (c1 < 0 || c2 < c1 || r1 < 1 || r2 < r1 || r1 > SHEET_HEADER_ROWS || c2 >= SHEET_DEFAULT_MAX_COLS)
        return 0;
    if (w->nmerge >= MAX_MERGES)
        return sheet_err(err, R_EINVAL, "bad_xlsx", "XLSX 文件的合并单元格过多");
    w->merges = sheet_xrealloc(w->merges, (size_t)(w->nmerge + 1) * sizeof *w->merges);
    w->merges[w->nmerge++] = (struct merge){
        .r1 = (int)r1, .c1 = c1, .r2 = (int)(r2 > SHEET_HEADER_ROWS ? SHEET_HEADER_ROWS : r2), .c2 = c2};
    return 0;
}

static bool name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
           ch == '-' || ch == '.';
}

/* The mergeCell element whose name is at buf[h] (with "lo" the first byte held): its ref. */
static int scan_one(struct xlsx *w, const char *buf, size_t lo, size_t h, size_t total, struct rerr *err)
{
    size_t k = h; /* the '<' before the name, past a prefix ("<x:mergeCell") */
    if (k > lo && buf[k - 1] == ':')
        for (k--; k > lo && name_char(buf[k - 1]) && h - k < 40;)
            k--;
    if (k <= lo || buf[k - 1] != '<')
        return 0;
    size_t p = h + 9, end = h + SCAN_CONTEXT < total ? h + SCAN_CONTEXT : total;
    if (p >= end || !strchr(" \t\r\n/>", buf[p]))
        return 0; /* mergeCells, or another name */
    for (; p + 4 < end && buf[p] != '>'; p++) {
        if (memcmp(buf + p, "ref", 3) || !strchr(" \t\r\n", buf[p - 1]))
            continue;
        size_t q = p + 3;
        while (q < end && strchr(" \t\r\n", buf[q]))
            q++;
        if (q >= end || buf[q] != '=')
            continue;
        for (q++; q < end && strchr(" \t\r\n", buf[q]);)
            q++;
        if (q >= end || (buf[q] != '"' && buf[q] != '\''))
            continue;
        const char *v = buf + q + 1, *e = memchr(v, buf[q], (size_t)(buf + end - v));
        return e ? add_merge(w, v, (size_t)(e - v), err) : 0;
    }
    return 0;
}

static int scan_merges(struct xlsx *w, sheet_reader *r, const char *part, struct rerr *err)
{
    int64_t budget = r->lim.max_bytes; /* a pass of its own over the same bytes */
    struct sheet_zip_entry e;
    int rc = sheet_zip_entry_open(&e, w->z, part, &budget, err);
    if (rc < 0)
        return rc;
    enum { CARRY = 512 };
    char *buf = sheet_xrealloc(NULL, CARRY + SHEET_XML_CHUNK);
    size_t held = 0, next = 0; /* bytes carried over; where the search goes on */
    for (;;) {
        int64_t n = sheet_zip_entry_read(&e, buf + held, SHEET_XML_CHUNK, err);
        if (n < 0) {
            rc = (int)n;
            break;
        }
        size_t total = held + (size_t)n;
        bool final = n == 0;
        size_t restart = total > 8 ? total - 8 : 0;
        while (next + 9 <= total) {
            const char *hit = memmem(buf + next, total - next, "mergeCell", 9);
            if (!hit)
                break;
            size_t h = (size_t)(hit - buf);
            if (!final && total - h < SCAN_CONTEXT) {
                restart = h;
                break;
            }
            if ((rc = scan_one(w, buf, 0, h, total, err)) < 0)
                break;
            next = h + 9;
        }
        if (rc < 0 || final)
            break;
        if (restart < next)
            restart = next;
        size_t keep = restart > 64 ? restart - 64 : 0; /* room to look back for "<x:" */
        memmove(buf, buf + keep, total - keep);
        held = total - keep;
        next = restart - keep;
    }
    free(buf);
    r->bytes_total = e.claimed ? e.claimed : e.bytes;
    sheet_zip_entry_close(&e);
    return rc;
}

/* ---- the sheet, row by row */

struct sheet_ctx {
    struct sheet_xml *x; /* first: see sheet_int.h */
    struct xlsx *w;
    sheet_reader *r;
    bool in_data, in_row, in_c, in_v, in_is, in_t, in_rph;
    bool have_row; /* a row is ready: the parse paused after it */
    int64_t row, last_row;
    int col, next_col;
    char type[16];
    int64_t style;
    struct text v;
};

static void sheet_fail(struct sheet_ctx *c)
{
    sheet_xml_fail(c->x);
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct sheet_ctx *c = ud;
    const char *local = sheet_xml_local(name);
    if (!c->in_data) {
        c->in_data = !strcmp(local, "sheetData");
        return;
    }
    if (!c->in_row) {
        if (strcmp(local, "row"))
            return;
        const char *rv = sheet_xml_attr(atts, "r");
        int64_t n = rv ? whole(rv) : c->last_row + 1;
        if (n < 1 || n <= c->last_row) {
            sheet_err(&c->x->err, R_EINVAL, "bad_xlsx", "XLSX 文件已损坏：第 %lld 行之后的行号“%.20s”不对",
                      (long long)c->last_row, rv ? rv : "");
            {
                sheet_fail(c);
                return;
            }
        }
        if (n > c->r->lim.max_rows) {
            sheet_err_rows(c->r, &c->x->err);
            {
                sheet_fail(c);
                return;
            }
        }
        c->in_row = true;
        c->row = c->last_row = n;
        c->next_col = 0;
        sheet_row_begin(c->r, n);
        return;
    }
    if (!c->in_c) {
        if (strcmp(local, "c"))
            return;
        const char *ref = sheet_xml_attr(atts, "r"), *t = sheet_xml_attr(atts, "t");
        int col = ref ? col_of_ref(ref) : c->next_col;
        if (col < c->next_col) {
            sheet_err(&c->x->err, R_EINVAL, "bad_xlsx", "XLSX 文件已损坏：第 %lld 行的单元格“%.20s”位置不对",
                      (long long)c->row, ref ? ref : "");
            {
                sheet_fail(c);
                return;
            }
        }
        c->in_c = true;
        c->col = col;
        c->next_col = col + 1;
        snprintf(c->type, sizeof c->type, "%s", t ? t : "n");
        c->style = whole(sheet_xml_attr(atts, "s"));
        text_reset(&c->v);
        return;
    }
    if (!strcmp(local, "v"))
        c->in_v = true;
    else if (!strcmp(local, "is"))
        c->in_is = true;
    else if (c->in_is && !strcmp(local, "rPh"))
        c->in_rph = true;
    else if (c->in_is && !strcmp(local, "t"))
        c->in_t = true;
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
    struct sheet_ctx *c = ud;
    if (c->in_v || (c->in_t && !c->in_rph))
        text_add(&c->v, s, (size_t)len);
}

/* t="d": an ISO 8601 date and time, as SC_DATE. */
static int iso_date(struct sheet_ctx *c, char out[20], double *serial)
{
    char d[11];
    const char *v = c->v.s;
    if (c->v.len < 10 || sheet_date_parse(v, c->v.len, d) < 0 || sheet_date_parse(v, 10, d) < 0)
        return -1;
    int h = 0, mi = 0, s = 0;
    if (c->v.len > 10)
        sscanf(v + 11, "%2d:%2d:%2d", &h, &mi, &s);
    *serial = sheet_serial_of(d, c->w->date1904) + (h * 3600 + mi * 60 + s) / 86400.0;
    return sheet_date_from_serial(*serial, c->w->date1904, out);
}

/* The cell just ended into the row. */
static int put_cell(struct sheet_ctx *c, struct rerr *err)
{
    sheet_reader *r = c->r;
    struct xlsx *w = c->w;
    const char *t = c->type, *text = c->v.s ? c->v.s : "";
    size_t n = c->v.len;
    enum sheet_cell_type type = SC_TEXT;
    double num = 0;
    char buf[20];
    if (c->v.over) {
        char col[8];
        sheet_col_name(c->col, col);
        return sheet_err(err, R_ETOOBIG, "too_large", "第 %lld 行 %s 列的单元格超过 %d 字节的上限",
                         (long long)c->row, col, r->lim.max_cell_bytes);
    }
    if (!strcmp(t, "s")) {
        int64_t i = whole(text);
        if (i < 0 || i >= w->sst_n)
            return sheet_err(err, R_EINVAL, "bad_xlsx", "XLSX 文件已损坏：第 %lld 行引用了不存在的共享字符串",
                             (long long)c->row);
        text = w->sst + w->sst_off[i];
        n = strlen(text);
    } else if (!strcmp(t, "inlineStr") || !strcmp(t, "str")) {
        n = n ? sheet_xml_unescape(c->v.s, n) : 0;
    } else if (!strcmp(t, "b")) {
        type = SC_BOOL;
        num = !strcmp(text, "1") || !strcasecmp(text, "true");
        text = num ? "TRUE" : "FALSE";
        n = strlen(text);
    } else if (!strcmp(t, "e")) {
        type = SC_ERROR;
    } else if (!n) {
        return 0; /* a number cell with no value: nothing */
    } else if (!strcmp(t, "d")) {
        if (iso_date(c, buf, &num) < 0)
            return sheet_err(err, R_EINVAL, "bad_xlsx", "XLSX 文件已损坏：第 %lld 行的日期“%.20s”无效",
                             (long long)c->row, text);
        type = SC_DATE;
        text = buf;
        n = strlen(buf);
    } else {
        char *end;
        num = strtod(text, &end);
        if (*end || end == text || num != num) {
            num = 0; /* not a number after all: kept as the text it is */
        } else if (c->style >= 0 && c->style < w->nxf && w->xf_date[c->style] &&
                   sheet_date_from_serial(num, w->date1904, buf) == 0) {
            type = SC_DATE;
            text = buf;
            n = strlen(buf);
        } else {
            type = SC_NUMBER;
        }
    }
    if (!n && type == SC_TEXT)
        return 0;
    int rc = sheet_cell_at(r, c->col, err);
    if (rc == 0)
        rc = sheet_cell_append(r, text, n, err);
    if (rc == 0)
        sheet_cell_end(r, type, num);
    return rc;
}

/* Merged ranges in the header rows: take each top-left value, then fill what it covers. */
static int fill_merges(struct sheet_ctx *c, struct rerr *err)
{
    struct xlsx *w = c->w;
    for (int i = 0; i < w->nmerge; i++) {
        struct merge *m = &w->merges[i];
        if (m->r1 == c->row) {
            const struct sheet_cell *tl = sheet_row_cell(c->r, m->c1);
            m->seen = true;
            m->type = tl ? tl->type : SC_EMPTY;
            m->num = tl ? tl->num : 0;
            free(m->text);
            m->text = xstrdup(tl ? tl->text : "");
        }
    }
    for (int i = 0; i < w->nmerge; i++) {
        struct merge *m = &w->merges[i];
        if (!m->seen || c->row < m->r1 || c->row > m->r2 || m->type == SC_EMPTY)
            continue;
        for (int col = m->c1; col <= m->c2; col++) {
            if (c->row == m->r1 && col == m->c1)
                continue;
            struct sheet_cell v = {.type = m->type, .text = m->text, .len = strlen(m->text), .num = m->num};
            int rc = sheet_row_set(c->r, col, &v, err);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    struct sheet_ctx *c = ud;
    const char *local = sheet_xml_local(name);
    if (!c->in_data)
        return;
    if (c->in_c) {
        if (!strcmp(local, "v"))
            c->in_v = false;
        else if (!strcmp(local, "is"))
            c->in_is = false;
        else if (!strcmp(local, "rPh"))
            c->in_rph = false;
        else if (!strcmp(local, "t"))
            c->in_t = false;
        else if (!strcmp(local, "c")) {
            c->in_c = c->in_v = c->in_is = c->in_t = c->in_rph = false;
            if (put_cell(c, &c->x->err) < 0)
                sheet_fail(c);
        }
        return;
    }
    if (c->in_row && !strcmp(local, "row")) {
        c->in_row = false;
        bool empty;
        if (sheet_row_end(c->r, &empty, &c->x->err) < 0) {
            sheet_fail(c);
            return;
        }
        if (c->row <= SHEET_HEADER_ROWS && c->w->nmerge) {
            if (fill_merges(c, &c->x->err) < 0) {
                sheet_fail(c);
                return;
            }
            empty = sheet_row_empty(c->r);
        }
        if (!empty) {
            c->have_row = true;
            sheet_xml_pause(c->x);
        }
        return;
    }
    if (!strcmp(local, "sheetData"))
        c->in_data = false;
}

static int xlsx_next(sheet_reader *r, struct rerr *err)
{
    struct xlsx *w = r->impl;
    struct sheet_ctx *c = w->ctx;
    c->have_row = false;
    int rc = sheet_xml_run(&w->x, err);
    r->bytes_read = w->x.e.bytes < r->bytes_total ? w->x.e.bytes : r->bytes_total;
    if (rc < 0)
        return rc;
    if (rc == 0)
        r->bytes_read = r->bytes_total;
    return rc > 0 && c->have_row ? 1 : 0;
}

static void xlsx_close(void *impl)
{
    struct xlsx *w = impl;
    if (!w)
        return;
    sheet_xml_close(&w->x);
    if (w->ctx)
        free(w->ctx->v.s);
    free(w->ctx);
    free(w->sst);
    free(w->sst_off);
    free(w->xf_date);
    for (int i = 0; i < w->nmerge; i++)
        free(w->merges[i].text);
    free(w->merges);
    if (w->z)
        zip_discard(w->z);
    free(w);
}

static const struct sheet_ops xlsx_ops = {xlsx_next, xlsx_close};

/* ---- opening */

/* The workbook part, from the package's relationships (or where Excel puts it). */
static int find_workbook(struct part_ctx *c, char *out, size_t cap, struct rerr *err)
{
    int rc = read_rels(c, "", err); /* _rels/.rels */
    if (rc < 0)
        return rc;
    const struct rel *rel = rel_of_kind(c, "officeDocument");
    bool ok = rel && resolve("", rel->target, out, cap);
    free_rels(c);
    if (ok)
        return 0;
    if (sheet_zip_has(c->w->z, "xl/workbook.xml")) {
        snprintf(out, cap, "xl/workbook.xml");
        return 0;
    }
    if (sheet_zip_has(c->w->z, "content.xml") && sheet_zip_has(c->w->z, "mimetype"))
        return sheet_err(
            err, R_EMEDIA, "not_spreadsheet",
            "这是 OpenDocument（.ods/.odt）文件，不是 .xlsx：请在 WPS 或 Excel 中另存为 .xlsx 后再导入");
    if (sheet_zip_has(c->w->z, "word/document.xml"))
        return sheet_err(err, R_EMEDIA, "not_spreadsheet", "这是 Word 文档，不是 Excel 表格");
    return sheet_err(err, R_EMEDIA, "not_spreadsheet", "这是一个压缩包，不是 Excel（.xlsx）表格");
}

/* The sheet called "want" (NULL: the first) as the part that holds it. */
static int find_sheet(struct part_ctx *c, const char *wb, const char *want, char *out, size_t cap,
                      struct rerr *err)
{
    int pick = -1;
    for (int i = 0; i < c->nsheets && pick < 0; i++)
        if (!want || !strcmp(c->sheets[i].name, want))
            pick = i;
    for (int i = 0; i < c->nsheets && pick < 0; i++)
        if (!strcasecmp(c->sheets[i].name, want))
            pick = i;
    if (pick < 0) {
        if (!want)
            return sheet_err(err, R_EINVAL, "bad_xlsx", "XLSX 文件中没有工作表");
        char names[160] = "";
        size_t n = 0;
        for (int i = 0; i < c->nsheets && n < sizeof names - 1; i++)
            n += (size_t)snprintf(names + n, sizeof names - n, "%s“%s”", i ? "、" : "", c->sheets[i].name);
        return sheet_err(err, R_EUNPROC, "no_such_sheet", "工作簿中没有名为“%.60s”的工作表（有：%s）", want,
                         names);
    }
    for (int i = 0; i < c->nrels; i++) {
        if (strcmp(c->rels[i].id, c->sheets[pick].rid))
            continue;
        if (strcmp(rel_kind(c->rels[i].type), "worksheet"))
            return sheet_err(err, R_EUNPROC, "no_such_sheet", "“%.60s”是图表或宏表，不是数据工作表",
                             c->sheets[pick].name);
        if (resolve(wb, c->rels[i].target, out, cap) && sheet_zip_has(c->w->z, out))
            return 0;
        break;
    }
    return sheet_err(err, R_EINVAL, "bad_xlsx", "XLSX 文件已损坏：找不到工作表“%.60s”的内容",
                     c->sheets[pick].name);
}

static int open_parts(sheet_reader *r, struct xlsx *w, const char *want, struct rerr *err)
{
    struct part_ctx c = {.w = w, .r = r, .t = {.max = (size_t)r->lim.max_cell_bytes}};
    char wb[1024], part[1024];
    int rc = find_workbook(&c, wb, sizeof wb, err);
    if (rc < 0)
        return rc;
    if (!sheet_zip_has(w->z, wb))
        return sheet_err(err, R_EINVAL, "bad_xlsx", "XLSX 文件已损坏：缺少工作簿 %s", wb);
    c.root = "workbook";
    c.depth = 0;
    rc = run_part(&c, wb, workbook_start, any_end, NULL, err);
    if (rc == 0)
        rc = read_rels(&c, wb, err);
    if (rc == 0)
        rc = find_sheet(&c, wb, want, part, sizeof part, err);
    char sst_part[1024] = "", styles_part[1024] = "";
    if (rc == 0) {
        const struct rel *sst = rel_of_kind(&c, "sharedStrings"), *styles = rel_of_kind(&c, "styles");
        if (sst && !resolve(wb, sst->target, sst_part, sizeof sst_part))
            sst_part[0] = 0;
        if (styles && !resolve(wb, styles->target, styles_part, sizeof styles_part))
            styles_part[0] = 0;
    }
    for (int i = 0; i < c.nsheets; i++) {
        free(c.sheets[i].name);
        free(c.sheets[i].rid);
    }
    free(c.sheets);
    free_rels(&c);
    if (rc == 0 && styles_part[0] && sheet_zip_has(w->z, styles_part))
        rc = read_styles(&c, styles_part, err);
    if (rc == 0 && sst_part[0] && sheet_zip_has(w->z, sst_part)) {
        c.root = "sst";
        c.depth = 0;
        rc = run_part(&c, sst_part, sst_start, sst_end, sst_text, err);
    }
    free(c.t.s);
    if (rc == 0)
        rc = scan_merges(w, r, part, err);
    if (rc < 0)
        return rc;
    struct sheet_ctx *sc = calloc(1, sizeof *sc);
    if (!sc)
        abort();
    w->ctx = sc;
    *sc = (struct sheet_ctx){.w = w, .r = r, .v = {.max = (size_t)r->lim.max_cell_bytes}};
    rc = sheet_xml_open(&w->x, w->z, part, &w->budget, sc, sheet_start, sheet_end, sheet_text, err);
    sc->x = &w->x;
    return rc;
}

int sheet_xlsx_open(sheet_reader *r, int fd, const char *sheet, struct rerr *err)
{
    struct xlsx *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    r->impl = w;
    r->ops = &xlsx_ops;
    w->budget = r->lim.max_bytes;
    int rc = sheet_zip_open(fd, &w->z, err);
    if (rc < 0)
        return rc;
    return open_parts(r, w, sheet, err);
}
