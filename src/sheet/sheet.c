/*
 * sheet: opening a spreadsheet (the format told from its first bytes), the row every
 * reader builds with its caps checked as it grows, and the errors they share.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sheet/sheet_int.h"

void *sheet_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("sheet: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* ---- errors */

int sheet_err(struct rerr *err, int rc, const char *code, const char *fmt, ...)
{
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rerr_set(err, rc, code, NULL, "%s", msg);
}

int sheet_err_bytes(const sheet_reader *r, struct rerr *err)
{
    return sheet_err(err, R_ETOOBIG, "too_large", "文件内容超过 %lld MB 的上限（%s），请拆分后再导入",
                     (long long)(r->lim.max_bytes >> 20),
                     r->format == SHEET_XLSX ? "解压后的大小" : "文本大小");
}

int sheet_err_rows(const sheet_reader *r, struct rerr *err)
{
    return sheet_err(err, R_ETOOBIG, "too_large", "表格超过 %lld 行的上限，请拆分后再导入",
                     (long long)r->lim.max_rows);
}

void sheet_col_name(int col, char out[8])
{
    char tmp[8];
    int n = 0;
    for (int64_t c = (int64_t)(col < 0 ? 0 : col) + 1; c > 0 && n < 7; c = (c - 1) / 26)
        tmp[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

/* ---- the row being built */

void sheet_row_begin(sheet_reader *r, int64_t line)
{
    r->row.n = 0;
    r->row.len = 0;
    r->row.line = line;
}

static int reserve_text(sheet_reader *r, size_t more, struct rerr *err)
{
    struct sheet_rowbuf *b = &r->row;
    if (more > SHEET_MAX_ROW_BYTES || b->len + more > SHEET_MAX_ROW_BYTES)
        return sheet_err(err, R_ETOOBIG, "too_large", "第 %lld 行的内容超过 %zu MB 的上限",
                         (long long)b->line, SHEET_MAX_ROW_BYTES >> 20);
    if (b->len + more > b->text_cap) {
        size_t cap = b->text_cap ? b->text_cap : 4096;
        while (cap < b->len + more)
            cap *= 2;
        b->text = sheet_xrealloc(b->text, cap);
        b->text_cap = cap;
    }
    return 0;
}

int sheet_cell_begin(sheet_reader *r, struct rerr *err)
{
    struct sheet_rowbuf *b = &r->row;
    if (b->n >= r->lim.max_cols)
        return sheet_err(err, R_ETOOBIG, "too_large", "第 %lld 行超过 %d 列的上限", (long long)b->line,
                         r->lim.max_cols);
    if (b->n == b->cap) {
        int cap = b->cap ? b->cap * 2 : 16;
        if (cap > r->lim.max_cols)
            cap = r->lim.max_cols;
        b->cells = sheet_xrealloc(b->cells, (size_t)cap * sizeof *b->cells);
        b->off = sheet_xrealloc(b->off, (size_t)cap * sizeof *b->off);
        b->cap = cap;
    }
    int rc = reserve_text(r, 1, err); /* the NUL sheet_cell_end() writes */
    if (rc < 0)
        return rc;
    b->cell_start = b->len;
    b->cells[b->n] = (struct sheet_cell){.type = SC_EMPTY};
    b->off[b->n] = b->len;
    return 0;
}

int sheet_cell_append(sheet_reader *r, const char *s, size_t n, struct rerr *err)
{
    struct sheet_rowbuf *b = &r->row;
    if (b->len - b->cell_start + n > (size_t)r->lim.max_cell_bytes) {
        char col[8];
        sheet_col_name(b->n, col);
        return sheet_err(err, R_ETOOBIG, "too_large", "第 %lld 行 %s 列的单元格超过 %d 字节的上限",
                         (long long)b->line, col, r->lim.max_cell_bytes);
    }
    int rc = reserve_text(r, n + 1, err);
    if (rc < 0)
        return rc;
    memcpy(b->text + b->len, s, n);
    b->len += n;
    return 0;
}

void sheet_cell_clear(sheet_reader *r)
{
    r->row.len = r->row.cell_start;
}

void sheet_cell_end(sheet_reader *r, enum sheet_cell_type type, double num)
{
    struct sheet_rowbuf *b = &r->row;
    b->text[b->len++] = 0; /* room reserved by sheet_cell_begin() and every append */
    size_t n = b->len - 1 - b->cell_start;
    if (!n && type == SC_TEXT)
        type = SC_EMPTY;
    b->cells[b->n++] = (struct sheet_cell){.type = type, .len = n, .num = num};
}

int sheet_cell_at(sheet_reader *r, int col, struct rerr *err)
{
    while (r->row.n < col) {
        int rc = sheet_cell_begin(r, err);
        if (rc < 0)
            return rc;
        sheet_cell_end(r, SC_EMPTY, 0);
    }
    return sheet_cell_begin(r, err);
}

int sheet_row_end(sheet_reader *r, bool *empty, struct rerr *err)
{
    struct sheet_rowbuf *b = &r->row;
    *empty = true;
    for (int i = 0; i < b->n; i++) {
        b->cells[i].text = b->text + b->off[i];
        if (b->cells[i].type != SC_EMPTY)
            *empty = false;
    }
    if (++r->rows > r->lim.max_rows)
        return sheet_err_rows(r, err);
    r->cells += b->n;
    if (r->cells > r->lim.max_cells)
        return sheet_err(err, R_ETOOBIG, "too_large",
                         "表格的单元格总数超过 %lld 的上限（到第 %lld 行），请拆分后再导入",
                         (long long)r->lim.max_cells, (long long)b->line);
    return 0;
}

const struct sheet_cell *sheet_row_cell(const sheet_reader *r, int col)
{
    return col >= 0 && col < r->row.n ? &r->row.cells[col] : NULL;
}

int sheet_row_set(sheet_reader *r, int col, const struct sheet_cell *v, struct rerr *err)
{
    struct sheet_rowbuf *b = &r->row;
    if (col >= r->lim.max_cols)
        return sheet_err(err, R_ETOOBIG, "too_large", "第 %lld 行超过 %d 列的上限", (long long)b->line,
                         r->lim.max_cols);
    if (col >= b->cap) {
        int cap = b->cap ? b->cap : 16;
        while (cap <= col)
            cap *= 2;
        if (cap > r->lim.max_cols)
            cap = r->lim.max_cols;
        b->cells = sheet_xrealloc(b->cells, (size_t)cap * sizeof *b->cells);
        b->off = sheet_xrealloc(b->off, (size_t)cap * sizeof *b->off);
        b->cap = cap;
    }
    for (; b->n <= col; b->n++)
        b->cells[b->n] = (struct sheet_cell){.type = SC_EMPTY, .text = ""};
    b->cells[col] = *v;
    return 0;
}

bool sheet_row_empty(const sheet_reader *r)
{
    for (int i = 0; i < r->row.n; i++)
        if (r->row.cells[i].type != SC_EMPTY)
            return false;
    return true;
}

/* ---- opening */

static void apply_defaults(struct sheet_limits *l, const struct sheet_options *opt)
{
    *l = opt ? opt->limits : (struct sheet_limits){0};
    if (l->max_rows <= 0)
        l->max_rows = SHEET_DEFAULT_MAX_ROWS;
    if (l->max_cells <= 0)
        l->max_cells = SHEET_DEFAULT_MAX_CELLS;
    if (l->max_bytes <= 0)
        l->max_bytes = SHEET_DEFAULT_MAX_BYTES;
    if (l->max_cols <= 0)
        l->max_cols = SHEET_DEFAULT_MAX_COLS;
    if (l->max_cell_bytes <= 0)
        l->max_cell_bytes = SHEET_DEFAULT_MAX_CELL_BYTES;
}

int sheet_open(const char *path, const struct sheet_options *opt, sheet_reader **out, struct rerr *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sheet_err(err, errno == ENOENT ? R_ENOTFOUND : R_EINVAL, "cannot_open", "无法打开文件：%s",
                         strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sheet_err(err, R_EMEDIA, "not_spreadsheet", "这不是一个普通文件，无法作为表格读取");
    }
    unsigned char head[8] = {0};
    ssize_t n = pread(fd, head, sizeof head, 0);
    if (n < 0) {
        close(fd);
        return sheet_err(err, R_EINVAL, "cannot_open", "无法读取文件：%s", strerror(errno));
    }
    static const unsigned char ole2[8] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};
    if (n == 8 && !memcmp(head, ole2, 8)) {
        close(fd);
        return sheet_err(
            err, R_EMEDIA, "not_spreadsheet",
            "这是旧版 Excel（.xls）或其他 Office 97 格式的文件：请在 Excel 或 WPS 中另存为 .xlsx 后再导入");
    }
    sheet_reader *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    apply_defaults(&r->lim, opt);
    r->bytes_total = st.st_size;
    int rc;
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' &&
        ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6) ||
         (head[2] == 7 && head[3] == 8))) {
        r->format = SHEET_XLSX;
        r->encoding = SHEET_ENC_NONE;
        rc = sheet_xlsx_open(r, fd, opt ? opt->sheet : NULL, err);
    } else {
        r->format = SHEET_CSV;
        if (st.st_size > r->lim.max_bytes) {
            close(fd);
            rc = sheet_err_bytes(r, err);
        } else {
            rc = sheet_csv_open(r, fd, err);
        }
    }
    if (rc < 0) {
        sheet_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

int sheet_next(sheet_reader *r, struct sheet_row *row, struct rerr *err)
{
    *row = (struct sheet_row){0};
    if (r->failed) {
        if (err)
            *err = r->saved;
        return r->saved.rc;
    }
    struct rerr e = {0};
    int rc = r->ops->next(r, &e);
    if (rc < 0) {
        if (!e.rc) /* a reader that forgot to say why: still an error, never a success */
            sheet_err(&e, rc, "bad_file", "读取表格失败");
        r->failed = true;
        r->saved = e;
        if (err)
            *err = e;
        return rc;
    }
    if (rc > 0) {
        row->line = r->row.line;
        row->ncells = r->row.n;
        row->cells = r->row.cells;
    }
    return rc;
}

enum sheet_format sheet_format_of(const sheet_reader *r)
{
    return r->format;
}

enum sheet_encoding sheet_encoding_of(const sheet_reader *r)
{
    return r->encoding;
}

int64_t sheet_bytes_read(const sheet_reader *r)
{
    return r->bytes_read;
}

int64_t sheet_bytes_total(const sheet_reader *r)
{
    return r->bytes_total;
}

void sheet_close(sheet_reader *r)
{
    if (!r)
        return;
    if (r->ops && r->ops->close)
        r->ops->close(r->impl);
    free(r->row.cells);
    free(r->row.off);
    free(r->row.text);
    free(r);
}
