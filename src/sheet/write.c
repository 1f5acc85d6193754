/*
 * write: sheet_write.h's writer. One struct for both formats; each cell call checks the
 * order and the limits here, then goes to the XLSX half (libxlsxwriter) or the CSV half
 * (our own, a buffered stdio stream).
 *
 * libxlsxwriter 1.1.4 has no quote-prefix format property, so neutralised text is written
 * with the text number format ("@", id 49) and, once the workbook is closed, the cellXfs
 * of that number format get quotePrefix="1" in xl/styles.xml (through libzip: that small
 * entry is replaced, the others are copied as they are). Only neutralised text uses
 * format 49, so nothing else is touched.
 */
#include "sheet/sheet_write.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "base/text.h"

/* Format flags: one lazily made libxlsxwriter format per combination. */
enum { F_BOLD = 1, F_QUOTE = 2, F_MARK = 4, F_DATE = 8, F_DATETIME = 16, F_COUNT = 32 };

#define XLSX_MAX_COLS 16384
#define XLSX_MAX_CHARS 32767 /* characters in a cell */
#define XLSX_INLINE_LIST 255 /* characters of a drop-down given inline */
#define TEXT_NUMFMT 49       /* "@" */
#define LISTS_SHEET "下拉选项"

struct sheet_writer {
    enum sheet_out f;
    bool streaming;
    char path[PATH_MAX];
    char tmpdir[PATH_MAX];
    struct rerr first; /* the first failure; first.rc 0 while none */
    int64_t row;       /* the current row (-1 before the first) */
    int col;           /* CSV: fields written on the current row */
    /* XLSX */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_worksheet *lists; /* the hidden sheet of long drop-downs, or NULL */
    int64_t lists_rows;
    lxw_format *fmt[F_COUNT];
    bool bold_header; /* row 0 of the current sheet in bold */
    bool quoted;      /* some cell used the neutralised text format */
    /* CSV */
    FILE *fp;
    int ncols; /* the widest row so far */
};

/* ---- errors */

static int fail(sheet_writer *w, int rc, const char *code, const char *fmt, const char *detail)
{
    if (!w->first.rc)
        rerr_set(&w->first, rc, code, NULL, fmt, detail ? detail : "");
    return rc;
}

static int fail_lxw(sheet_writer *w, lxw_error e)
{
    if (e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
        return fail(w, R_ETOOBIG, "too_large", "表格超出 Excel 的行列上限%s", "");
    return fail(w, R_EINTERNAL, "sheet_write", "无法写入表格文件：%s", lxw_strerror(e));
}

/* Text a spreadsheet would take for a formula (or the start of one). */
static bool needs_neutralising(const char *s)
{
    return s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

/* ---- open */

int sheet_writer_open(const char *path, enum sheet_out f, bool streaming, sheet_writer **out,
                      struct rerr *err)
{
    *out = NULL;
    if (!path || !*path || strlen(path) >= PATH_MAX || (f != SHEET_OUT_XLSX && f != SHEET_OUT_CSV))
        return rerr_set(err, R_EINVAL, "sheet_write", NULL, "导出文件的路径或格式无效");
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return rerr_set(err, R_EINTERNAL, "sheet_write", NULL, "无法创建文件 %s：%s", path, strerror(errno));
    sheet_writer *w = calloc(1, sizeof *w);
    if (!w) {
        fclose(fp);
        unlink(path);
        return rerr_set(err, R_EINTERNAL, "sheet_write", NULL, "内存不足");
    }
    w->f = f;
    w->streaming = streaming;
    w->row = -1;
    snprintf(w->path, sizeof w->path, "%s", path);
    if (f == SHEET_OUT_CSV) {
        w->fp = fp;
        setvbuf(fp, NULL, _IOFBF, 1 << 16);
        fputs("\xEF\xBB\xBF", fp);
        *out = w;
        return 0;
    }
    /* libxlsxwriter writes the file only when it is closed; the early fopen tells a bad
     * path now. Its temporary files go beside the output, not to a /tmp that may be RAM. */
    fclose(fp);
    snprintf(w->tmpdir, sizeof w->tmpdir, "%s", path);
    char *slash = strrchr(w->tmpdir, '/');
    if (slash)
        slash[slash == w->tmpdir ? 1 : 0] = '\0';
    else
        snprintf(w->tmpdir, sizeof w->tmpdir, ".");
    lxw_workbook_options o = {.constant_memory = streaming, .tmpdir = w->tmpdir};
    w->wb = workbook_new_opt(path, &o);
    if (!w->wb) {
        free(w);
        unlink(path);
        return rerr_set(err, R_EINTERNAL, "sheet_write", NULL, "无法创建 XLSX 工作簿");
    }
    *out = w;
    return 0;
}

/* ---- XLSX */

static lxw_format *format_of(sheet_writer *w, int flags)
{
    if (!flags)
        return NULL;
    if (w->fmt[flags])
        return w->fmt[flags];
    lxw_format *x = workbook_add_format(w->wb);
    if (!x)
        return NULL;
    if (flags & F_BOLD)
        format_set_bold(x);
    if (flags & F_QUOTE)
        format_set_num_format_index(x, TEXT_NUMFMT);
    if (flags & F_MARK) {
        format_set_bg_color(x, 0xFFC7CE); /* Excel's own "bad" style */
        format_set_font_color(x, 0x9C0006);
    }
    if (flags & F_DATE)
        format_set_num_format(x, "yyyy-mm-dd");
    if (flags & F_DATETIME)
        format_set_num_format(x, "yyyy-mm-dd hh:mm:ss");
    w->fmt[flags] = x;
    return x;
}

/* Shortens a sheet name to Excel's 31 characters and replaces what it forbids. */
static void sheet_name_clean(const char *name, char *out, size_t cap)
{
    size_t n = 0;
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)(name && *name ? name : "Sheet1");
         *p && chars < 31;) {
        size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
        if (n + len >= cap)
            break;
        if (len == 1 && (strchr("[]:*?/\\", *p) || *p < 0x20))
            out[n++] = '_';
        else
            for (size_t i = 0; i < len && p[i]; i++)
                out[n++] = (char)p[i];
        for (size_t i = 0; i < len && *p; i++)
            p++;
        chars++;
    }
    out[n] = '\0';
    /* Excel also refuses a name that begins or ends with an apostrophe. */
    if (out[0] == '\'')
        out[0] = '_';
    if (n && out[n - 1] == '\'')
        out[n - 1] = '_';
}

static int add_sheet(sheet_writer *w, const char *name)
{
    char clean[128];
    sheet_name_clean(name, clean, sizeof clean);
    if (workbook_get_worksheet_by_name(w->wb, clean))
        return fail(w, R_ECONFLICT, "sheet_write", "工作表名“%s”重复", clean);
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, clean);
    if (!ws)
        return fail(w, R_EINTERNAL, "sheet_write", "无法添加工作表“%s”", clean);
    w->ws = ws;
    w->row = -1;
    w->bold_header = false;
    return 0;
}

static lxw_worksheet *current(sheet_writer *w)
{
    if (!w->ws && !w->first.rc)
        add_sheet(w, "Sheet1");
    return w->ws;
}

int sheet_add_sheet(sheet_writer *w, const char *name)
{
    if (w->first.rc)
        return w->first.rc;
    if (w->f != SHEET_OUT_XLSX)
        return 0;
    return add_sheet(w, name);
}

void sheet_column(sheet_writer *w, int col, double width)
{
    if (w->f != SHEET_OUT_XLSX || w->first.rc || col < 0 || col >= XLSX_MAX_COLS || !current(w))
        return;
    if (width < 1)
        width = 1;
    if (width > 255)
        width = 255;
    worksheet_set_column(w->ws, (lxw_col_t)col, (lxw_col_t)col, width, NULL);
}

void sheet_freeze_header(sheet_writer *w)
{
    if (w->f != SHEET_OUT_XLSX || w->first.rc || !current(w))
        return;
    worksheet_freeze_panes(w->ws, 1, 0);
    w->bold_header = true;
}

/* ---- the checks every cell goes through */

static int cell_check(sheet_writer *w, int64_t row, int col)
{
    if (w->first.rc)
        return w->first.rc;
    if (row < 0 || col < 0)
        return fail(w, R_EINTERNAL, "bad_order", "表格的行列号无效%s", "");
    if (col >= XLSX_MAX_COLS)
        return fail(w, R_ETOOBIG, "too_large", "表格的列数超出上限（16384 列）%s", "");
    if (w->f == SHEET_OUT_XLSX) {
        if (row >= SHEET_XLSX_MAX_ROWS)
            return fail(w, R_ETOOBIG, "too_large", "一个 Excel 工作表最多 1048576 行%s", "");
        if (!current(w))
            return w->first.rc;
        if (w->streaming && row < w->row)
            return fail(w, R_EINTERNAL, "bad_order", "流式写入时行必须按顺序写%s", "");
        if (row > w->row)
            w->row = row;
        return 0;
    }
    if (row < w->row || (row == w->row && col < w->col))
        return fail(w, R_EINTERNAL, "bad_order", "CSV 必须按行、行内从左到右写%s", "");
    return 0;
}

static int header_flags(const sheet_writer *w, int64_t row)
{
    return w->bold_header && row == 0 ? F_BOLD : 0;
}

/* What ends a text cut to fit a cell, so that a reader knows the cell is not the whole
 * text (the CSV export keeps it whole). */
#define XLSX_CUT_MARK "…（超出 Excel 单元格 32767 字符的上限，以下已截去；CSV 导出保留全文）"

/* The UTF-16 code units of the UTF-8 character led by byte "c" (0 for a continuation
 * byte): as Excel counts a cell's characters. */
static size_t utf16_units(unsigned char c)
{
    return (c & 0xC0) == 0x80 ? 0 : c >= 0xF0 ? 2 : 1;
}

/* Text for XLSX: at most 32,767 characters as Excel counts them (UTF-16 code units: a
 * character beyond the BMP, four bytes in UTF-8, counts two). A longer one is cut on a
 * character boundary and ends with XLSX_CUT_MARK; the copy is in "*cut" (NULL returned
 * when there is no memory for it). Every cell of an export comes here: a text that fits is
 * counted once and returned as it is. */
static const char *xlsx_fit(const char *s, char **cut)
{
    *cut = NULL;
    size_t units = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((units += utf16_units(*p)) > XLSX_MAX_CHARS)
            break;
    if (units <= XLSX_MAX_CHARS)
        return s;
    size_t room = XLSX_MAX_CHARS, keep = 0;
    for (const unsigned char *m = (const unsigned char *)XLSX_CUT_MARK; *m; m++)
        room -= utf16_units(*m);
    /* the whole characters that fit beside the mark */
    for (units = 0; (units += utf16_units((unsigned char)s[keep])) <= room;)
        do
            keep++;
        while (utf16_units((unsigned char)s[keep]) == 0);
    size_t mark = strlen(XLSX_CUT_MARK);
    if (!(*cut = malloc(keep + mark + 1)))
        return NULL;
    memcpy(*cut, s, keep);
    memcpy(*cut + keep, XLSX_CUT_MARK, mark + 1);
    return *cut;
}

static int xlsx_text_on(sheet_writer *w, lxw_worksheet *ws, int64_t row, int col, const char *s, int flags)
{
    if (needs_neutralising(s)) {
        flags |= F_QUOTE;
        w->quoted = true;
    }
    char *cut;
    const char *fit = xlsx_fit(s, &cut);
    if (!fit)
        return fail(w, R_EINTERNAL, "sheet_write", "内存不足%s", "");
    lxw_error e = fit[0] || flags
                      ? worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, fit, format_of(w, flags))
                      : LXW_NO_ERROR;
    free(cut);
    return e ? fail_lxw(w, e) : 0;
}

/* ---- CSV */

static void csv_end_row(sheet_writer *w)
{
    if (w->col > w->ncols)
        w->ncols = w->col;
    for (; w->col < w->ncols; w->col++)
        if (w->col > 0)
            putc(',', w->fp);
    fputs("\r\n", w->fp);
}

/* Moves to "row", "col": ends the rows before, writes the empty fields between. */
static void csv_seek(sheet_writer *w, int64_t row, int col)
{
    while (w->row < row) {
        if (w->row >= 0)
            csv_end_row(w);
        w->row++;
        w->col = 0;
    }
    for (; w->col < col; w->col++)
        if (w->col > 0)
            putc(',', w->fp);
    if (w->col > 0)
        putc(',', w->fp);
    w->col++;
}

static int csv_field(sheet_writer *w, int64_t row, int col, const char *s, bool neutralise)
{
    csv_seek(w, row, col);
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        putc('"', w->fp);
    if (neutralise && needs_neutralising(s))
        putc('\'', w->fp);
    if (quote) {
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                putc('"', w->fp);
            putc(*p, w->fp);
        }
        putc('"', w->fp);
    } else {
        fputs(s, w->fp);
    }
    if (ferror(w->fp))
        return fail(w, R_EINTERNAL, "sheet_write", "无法写入 CSV 文件：%s", strerror(errno));
    return 0;
}

/* ---- cells */

int sheet_text(sheet_writer *w, int64_t row, int col, const char *utf8)
{
    int rc = cell_check(w, row, col);
    if (rc)
        return rc;
    if (!utf8)
        utf8 = "";
    if (w->f == SHEET_OUT_CSV)
        return csv_field(w, row, col, utf8, true);
    return xlsx_text_on(w, w->ws, row, col, utf8, header_flags(w, row));
}

/* The shortest text that reads back as "v". */
static void number_text(double v, char *out, size_t cap)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(out, cap, "%.0f", v);
        return;
    }
    snprintf(out, cap, "%.15g", v);
    if (strtod(out, NULL) != v)
        snprintf(out, cap, "%.17g", v);
}

int sheet_number(sheet_writer *w, int64_t row, int col, double v)
{
    int rc = cell_check(w, row, col);
    if (rc)
        return rc;
    if (!isfinite(v))
        return w->f == SHEET_OUT_CSV ? csv_field(w, row, col, "", false) : 0;
    if (w->f == SHEET_OUT_CSV) {
        char text[40];
        number_text(v, text, sizeof text);
        return csv_field(w, row, col, text, false);
    }
    lxw_error e =
        worksheet_write_number(w->ws, (lxw_row_t)row, (lxw_col_t)col, v, format_of(w, header_flags(w, row)));
    return e ? fail_lxw(w, e) : 0;
}

/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (a T for the space; fractions of a second and a
 * trailing Z are allowed and dropped) into "dt"; "*with_time" says which. <0 when not a
 * real date or before 1900. */
static int date_parse(const char *s, lxw_datetime *dt, bool *with_time)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = strlen(s);
    if (n < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = text_digits(s, 4), m = text_digits(s + 5, 2), d = text_digits(s + 8, 2);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -1;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return -1;
    *dt = (lxw_datetime){.year = y, .month = m, .day = d};
    *with_time = false;
    if (n == 10)
        return 0;
    if (n < 19 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':')
        return -1;
    int hh = text_digits(s + 11, 2), mm = text_digits(s + 14, 2), ss = text_digits(s + 17, 2);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
        return -1;
    const char *rest = s + 19;
    if (*rest == '.')
        for (rest++; *rest >= '0' && *rest <= '9'; rest++)
            ;
    if (*rest == 'Z')
        rest++;
    if (*rest)
        return -1;
    dt->hour = (uint8_t)hh;
    dt->min = (uint8_t)mm;
    dt->sec = ss;
    *with_time = true;
    return 0;
}

int sheet_date(sheet_writer *w, int64_t row, int col, const char *yyyy_mm_dd)
{
    lxw_datetime dt;
    bool with_time;
    if (!yyyy_mm_dd || date_parse(yyyy_mm_dd, &dt, &with_time) < 0)
        return sheet_text(w, row, col, yyyy_mm_dd);
    int rc = cell_check(w, row, col);
    if (rc)
        return rc;
    if (w->f == SHEET_OUT_CSV) {
        char text[20];
        snprintf(text, sizeof text, "%04d-%02d-%02d", dt.year, dt.month, dt.day);
        if (with_time)
            snprintf(text + 10, sizeof text - 10, " %02d:%02d:%02d", dt.hour, dt.min, (int)dt.sec);
        return csv_field(w, row, col, text, false);
    }
    int flags = header_flags(w, row) | (with_time ? F_DATETIME : F_DATE);
    lxw_error e = worksheet_write_datetime(w->ws, (lxw_row_t)row, (lxw_col_t)col, &dt, format_of(w, flags));
    return e ? fail_lxw(w, e) : 0;
}

int sheet_bool(sheet_writer *w, int64_t row, int col, bool v)
{
    int rc = cell_check(w, row, col);
    if (rc)
        return rc;
    if (w->f == SHEET_OUT_CSV)
        return csv_field(w, row, col, v ? "TRUE" : "FALSE", false);
    lxw_error e =
        worksheet_write_boolean(w->ws, (lxw_row_t)row, (lxw_col_t)col, v, format_of(w, header_flags(w, row)));
    return e ? fail_lxw(w, e) : 0;
}

/* ---- drop-downs and marks */

int sheet_list(sheet_writer *w, int64_t first, int64_t last, int col, const char *const *values)
{
    if (w->first.rc)
        return w->first.rc;
    if (w->f != SHEET_OUT_XLSX)
        return 0;
    if (!values || !values[0] || first < 0 || last < first || col < 0 || col >= XLSX_MAX_COLS)
        return fail(w, R_EINTERNAL, "sheet_write", "下拉列表的参数无效%s", "");
    if (!current(w))
        return w->first.rc;
    if (last >= SHEET_XLSX_MAX_ROWS)
        last = SHEET_XLSX_MAX_ROWS - 1;
    size_t n = 0, chars = 0;
    bool inline_ok = true;
    for (; values[n]; n++) {
        chars += strlen(values[n]) + 1; /* bytes bound the characters */
        if (strpbrk(values[n], ",\"") || !values[n][0])
            inline_ok = false;
    }
    if (n > XLSX_MAX_COLS)
        return fail(w, R_ETOOBIG, "too_large", "下拉列表的选项过多%s", "");
    lxw_data_validation dv = {
        .validate = LXW_VALIDATION_TYPE_LIST,
        .show_error = LXW_VALIDATION_ON,
        .error_type = LXW_VALIDATION_ERROR_TYPE_STOP,
        .error_title = "输入有误",
        .error_message = "请从下拉列表中选择一项。",
    };
    char formula[256];
    if (inline_ok && chars - 1 <= XLSX_INLINE_LIST) {
        dv.value_list = (char **)values;
    } else {
        /* One row of the hidden sheet per list: rows stay in order in streaming mode. */
        if (!w->lists) {
            w->lists = workbook_add_worksheet(w->wb, LISTS_SHEET);
            if (!w->lists)
                return fail(w, R_EINTERNAL, "sheet_write", "无法添加工作表“%s”", LISTS_SHEET);
            worksheet_hide(w->lists);
        }
        if (w->lists_rows >= SHEET_XLSX_MAX_ROWS)
            return fail(w, R_ETOOBIG, "too_large", "下拉列表过多%s", "");
        for (size_t i = 0; i < n; i++) {
            int rc = xlsx_text_on(w, w->lists, w->lists_rows, (int)i, values[i], 0);
            if (rc)
                return rc;
        }
        lxw_rowcol_to_formula_abs(formula, LISTS_SHEET, (lxw_row_t)w->lists_rows, 0, (lxw_row_t)w->lists_rows,
                                  (lxw_col_t)(n - 1));
        w->lists_rows++;
        dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        dv.value_formula = formula;
    }
    lxw_error e = worksheet_data_validation_range(w->ws, (lxw_row_t)first, (lxw_col_t)col, (lxw_row_t)last,
                                                  (lxw_col_t)col, &dv);
    return e ? fail_lxw(w, e) : 0;
}

int sheet_mark(sheet_writer *w, int64_t row, int col, const char *text, const char *why)
{
    int rc = cell_check(w, row, col);
    if (rc)
        return rc;
    if (!text)
        text = "";
    if (w->f == SHEET_OUT_CSV)
        return csv_field(w, row, col, text, true);
    rc = xlsx_text_on(w, w->ws, row, col, text, header_flags(w, row) | F_MARK);
    if (rc || !why || !*why)
        return rc;
    char *cut;
    const char *fit = xlsx_fit(why, &cut);
    lxw_comment_options o = {.author = "ronghe", .width = 240, .height = 90};
    lxw_error e = worksheet_write_comment_opt(w->ws, (lxw_row_t)row, (lxw_col_t)col, fit, &o);
    free(cut);
    return e ? fail_lxw(w, e) : 0;
}

/* ---- close */

/* quotePrefix="1" on each cell format of the text number format in xl/styles.xml. */
static int xlsx_quote_prefix(sheet_writer *w)
{
    int zerr = 0;
    zip_t *za = zip_open(w->path, 0, &zerr);
    if (!za)
        return fail(w, R_EINTERNAL, "sheet_write", "无法打开刚写成的 XLSX：%s", "zip_open");
    zip_int64_t idx = zip_name_locate(za, "xl/styles.xml", 0);
    zip_stat_t st;
    char *xml = NULL, *out = NULL;
    if (idx < 0 || zip_stat_index(za, (zip_uint64_t)idx, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
        st.size > (1 << 24))
        goto bad;
    xml = malloc(st.size + 1);
    zip_file_t *zf = xml ? zip_fopen_index(za, (zip_uint64_t)idx, 0) : NULL;
    if (!zf)
        goto bad;
    zip_int64_t got = zip_fread(zf, xml, st.size);
    zip_fclose(zf);
    if (got != (zip_int64_t)st.size)
        goto bad;
    xml[st.size] = '\0';
    static const char from[] = "<xf numFmtId=\"49\" ", to[] = "<xf quotePrefix=\"1\" numFmtId=\"49\" ";
    size_t hits = 0;
    for (const char *p = xml; (p = strstr(p, from)); p += sizeof from - 1)
        hits++;
    size_t cap = st.size + hits * (sizeof to - sizeof from) + 1, n = 0;
    out = malloc(cap);
    if (!out)
        goto bad;
    for (const char *p = xml;;) {
        const char *q = strstr(p, from);
        size_t keep = q ? (size_t)(q - p) : strlen(p);
        memcpy(out + n, p, keep);
        n += keep;
        if (!q)
            break;
        memcpy(out + n, to, sizeof to - 1);
        n += sizeof to - 1;
        p = q + sizeof from - 1;
    }
    zip_source_t *src = zip_source_buffer(za, out, n, 1);
    if (!src)
        goto bad;
    out = NULL; /* the source owns it now */
    if (zip_file_replace(za, (zip_uint64_t)idx, src, 0) < 0) {
        zip_source_free(src);
        goto bad;
    }
    free(xml);
    if (zip_close(za) < 0) {
        fail(w, R_EINTERNAL, "sheet_write", "无法写入 XLSX：%s", zip_strerror(za));
        zip_discard(za);
        return w->first.rc;
    }
    return 0;
bad:
    free(xml);
    free(out);
    zip_discard(za);
    return fail(w, R_EINTERNAL, "sheet_write", "无法写入 XLSX 的样式%s", "");
}

int sheet_writer_close(sheet_writer *w, struct rerr *err)
{
    if (!w)
        return 0;
    if (w->f == SHEET_OUT_CSV) {
        if (!w->first.rc && w->row >= 0)
            csv_end_row(w);
        if ((fflush(w->fp) != 0 || ferror(w->fp)) && !w->first.rc)
            fail(w, R_EINTERNAL, "sheet_write", "无法写入 CSV 文件：%s", strerror(errno));
        if (fclose(w->fp) != 0 && !w->first.rc)
            fail(w, R_EINTERNAL, "sheet_write", "无法写入 CSV 文件：%s", strerror(errno));
    } else {
        if (!w->first.rc)
            current(w); /* a workbook needs a sheet */
        lxw_error e = workbook_close(w->wb);
        if (e && !w->first.rc)
            fail_lxw(w, e);
        if (!w->first.rc && w->quoted)
            xlsx_quote_prefix(w);
    }
    int rc = w->first.rc;
    if (rc) {
        unlink(w->path);
        if (err)
            *err = w->first;
    }
    free(w);
    return rc;
}
