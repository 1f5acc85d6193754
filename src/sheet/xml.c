/*
 * xml: expat over a zip part, fed in chunks as they inflate, and able to stop after any
 * element (a worksheet gives one row per sheet_next) and go on from there.
 *
 * No DTD is ever processed: a DOCTYPE stops the parse with dtd_refused, which is what
 * external entities (XXE) and entity expansion (billion laughs) need; without a DTD an
 * entity reference other than the five XML defines is an error. A tag (or comment) longer
 * than MAX_TAG is refused before expat would buffer it, so memory stays flat whatever the
 * part. Namespaces are not resolved: elements and attributes are known by their local
 * names, whatever prefix a producer chose (x:row, row).
 */
#include <stdlib.h>
#include <string.h>

#include "sheet/sheet_int.h"

#define MAX_TAG ((size_t)1 << 20)
/* Elements open at once: a worksheet needs five, expat would keep every one of a million. */
#define MAX_DEPTH 256

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal)
{
    struct sheet_xml *x = *(struct sheet_xml **)ud;
    x->dtd = true;
    XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value, int len,
                              const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid,
                              const XML_Char *notation)
{
    struct sheet_xml *x = *(struct sheet_xml **)ud;
    x->dtd = true;
    XML_StopParser(x->p, XML_FALSE);
}

/* Distinct element and attribute names in a part: a worksheet has a few dozen, and expat
 * keeps a record of every one for the parser's life. Names of up to 3 bytes (row, c, v, r,
 * s, t…: nearly all there are) are let through uncounted: there are too few of them to
 * matter. */
#define MAX_NAMES 1024

static bool name_fits(struct sheet_xml *x, const char *s)
{
    if (!s[0] || !s[1] || !s[2] || !s[3])
        return true;
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    h |= 1;
    size_t cap = sizeof x->names / sizeof x->names[0];
    for (size_t i = h % cap;; i = (i + 1) % cap) {
        if (x->names[i] == h)
            return true;
        if (!x->names[i]) {
            if (x->nnames >= MAX_NAMES)
                return false;
            x->names[i] = h;
            x->nnames++;
            return true;
        }
    }
}

/* Every element passes here first, to be counted. */
static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct sheet_xml *x = *(struct sheet_xml **)ud;
    bool names_ok = name_fits(x, name);
    for (int i = 0; names_ok && atts[i]; i += 2)
        names_ok = name_fits(x, atts[i]);
    if (!names_ok) {
        sheet_err(&x->err, R_EINVAL, "bad_xlsx", "XLSX 文件的 %s 中不同的元素名超过 %d 个，不是正常的表格",
                  x->e.name, MAX_NAMES);
        sheet_xml_fail(x);
        return;
    }
    if (++x->depth > MAX_DEPTH) {
        sheet_err(&x->err, R_EINVAL, "bad_xlsx", "XLSX 文件的 %s 中元素嵌套超过 %d 层，不是正常的表格",
                  x->e.name, MAX_DEPTH);
        sheet_xml_fail(x);
        return;
    }
    if (x->start && !x->rc) /* (expat may report an element after a handler failed) */
        x->start(ud, name, atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct sheet_xml *x = *(struct sheet_xml **)ud;
    x->depth--;
    if (x->end && !x->rc)
        x->end(ud, name);
}

int sheet_xml_open(struct sheet_xml *x, zip_t *z, const char *part, struct sheet_budget *budget, void *ud,
                   XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
                   struct rerr *err)
{
    memset(x, 0, sizeof *x);
    int rc = sheet_zip_entry_open(&x->e, z, part, budget, err);
    if (rc < 0)
        return rc;
    x->p = XML_ParserCreate(NULL); /* names keep their prefixes: matched by local part */
    if (!x->p)
        abort();
    x->buf = sheet_xrealloc(NULL, SHEET_XML_CHUNK);
    /* the handlers' user data must start with a pointer to this struct (see sheet_int.h) */
    XML_SetUserData(x->p, ud);
    x->start = start;
    x->end = end;
    XML_SetElementHandler(x->p, on_start, on_end);
    XML_SetCharacterDataHandler(x->p, text);
    XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
    XML_SetEntityDeclHandler(x->p, on_entity);
    XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
    return 0;
}

void sheet_xml_pause(struct sheet_xml *x)
{
    XML_StopParser(x->p, XML_TRUE);
}

void sheet_xml_fail(struct sheet_xml *x)
{
    if (!x->rc)
        x->rc = x->err.rc ? x->err.rc : R_EINVAL;
    XML_StopParser(x->p, XML_FALSE);
}

/* Bounds what expat may have to hold at once: a tag can hold no '<', and text holds none
 * either, so the bytes between one '<' and the next are at most MAX_TAG; comments, CDATA
 * and processing instructions (which may hold '<') are measured to their end marker. */
static bool tags_fit(struct sheet_xml *x, const char *p, size_t n)
{
    const char *end = p + n;
    while (p < end) {
        if (x->special) { /* inside <!-- … -->, <![CDATA[ … ]]> or <? … ?> */
            const char *stop = x->special;
            size_t k = strlen(stop);
            for (; p < end; p++, x->run++) {
                if (*p == stop[x->matched])
                    x->matched++;
                else /* "]]]>" and "--->": a repeated first byte keeps what it matched */
                    x->matched = *p != stop[0] ? 0 : x->matched >= 2 && stop[1] == stop[0] ? 2 : 1;
                if (x->matched == k)
                    break;
            }
            if (x->run > MAX_TAG)
                return false;
            if (p == end)
                return true;
            p++;
            x->special = NULL;
            x->run = 0;
            continue;
        }
        if (x->after_bang) { /* "<!" then '[' is CDATA, anything else a comment (or DOCTYPE) */
            x->after_bang = false;
            x->special = *p == '[' ? "]]>" : "-->";
            x->matched = 0;
            continue;
        }
        if (x->after_lt) { /* the byte after a '<' says what begins */
            x->after_lt = false;
            if (*p == '?') {
                x->special = "?>";
                x->matched = 0;
                p++;
                continue;
            }
            if (*p == '!') {
                x->after_bang = true;
                p++;
                continue;
            }
        }
        const char *lt = memchr(p, '<', (size_t)(end - p));
        x->run += (size_t)((lt ? lt : end) - p);
        if (x->run > MAX_TAG)
            return false;
        if (!lt)
            return true;
        x->run = 0;
        x->after_lt = true;
        p = lt + 1;
    }
    return true;
}

static int parse_error(struct sheet_xml *x, struct rerr *err)
{
    if (x->rc) {
        if (err)
            *err = x->err;
        return x->rc;
    }
    if (x->dtd)
        return sheet_err(
            err, R_EINVAL, "dtd_refused",
            "XLSX 文件的 %s 含有 DTD（DOCTYPE）声明：为了安全不予读取，Excel 和 WPS 保存的文件不会有它",
            x->e.name);
    return sheet_err(err, R_EINVAL, "bad_xlsx", "XLSX 文件已损坏：%s 不是正确的 XML（第 %lu 行：%s）",
                     x->e.name, (unsigned long)XML_GetCurrentLineNumber(x->p),
                     XML_ErrorString(XML_GetErrorCode(x->p)));
}

int sheet_xml_run(struct sheet_xml *x, struct rerr *err)
{
    for (;;) {
        enum XML_Status st;
        if (x->suspended) {
            x->suspended = false;
            st = XML_ResumeParser(x->p);
        } else {
            if (x->done)
                return 0;
            int64_t n = sheet_zip_entry_read(&x->e, x->buf, SHEET_XML_CHUNK, err);
            if (n < 0)
                return (int)n;
            x->final = n == 0;
            if (!tags_fit(x, x->buf, (size_t)n))
                return sheet_err(err, R_ETOOBIG, "too_large",
                                 "XLSX 文件的 %s 中有超过 1 MB 的 XML 标签，不予读取", x->e.name);
            st = XML_Parse(x->p, x->buf, (int)n, x->final);
        }
        if (st == XML_STATUS_SUSPENDED) {
            x->suspended = true;
            return 1;
        }
        if (st == XML_STATUS_ERROR)
            return parse_error(x, err);
        if (x->final) {
            x->done = true;
            return 0;
        }
    }
}

void sheet_xml_close(struct sheet_xml *x)
{
    if (x->p)
        XML_ParserFree(x->p);
    free(x->buf);
    sheet_zip_entry_close(&x->e);
    memset(x, 0, sizeof *x);
}

const char *sheet_xml_local(const char *name)
{
    const char *local = name;
    for (const char *p = name; *p; p++)
        if (*p == ':')
            local = p + 1;
    return local;
}

const char *sheet_xml_attr(const char **atts, const char *local)
{
    for (int i = 0; atts[i]; i += 2)
        if ((atts[i][0] != 'x' || strncmp(atts[i], "xmlns", 5)) && !strcmp(sheet_xml_local(atts[i]), local))
            return atts[i + 1];
    return NULL;
}

size_t sheet_xml_unescape(char *s, size_t n)
{
    /* Excel writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x). */
    if (!memmem(s, n, "_x", 2))
        return n;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned v = 0;
        bool esc = i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
        for (int k = 2; esc && k < 6; k++) {
            char c = s[i + k];
            int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            esc = d >= 0;
            v = v * 16 + (unsigned)(d < 0 ? 0 : d);
        }
        if (!esc || !v || (v >= 0xd800 && v <= 0xdfff)) {
            s[o++] = s[i++];
            continue;
        }
        i += 7;
        if (v < 0x80) {
            s[o++] = (char)v;
        } else if (v < 0x800) {
            s[o++] = (char)(0xc0 | v >> 6);
            s[o++] = (char)(0x80 | (v & 0x3f));
        } else {
            s[o++] = (char)(0xe0 | v >> 12);
            s[o++] = (char)(0x80 | (v >> 6 & 0x3f));
            s[o++] = (char)(0x80 | (v & 0x3f));
        }
    }
    s[o] = 0;
    return o;
}
