/*
 * xml: expat over a zip part, fed in chunks as they inflate, and able to stop after any
 * element (a worksheet gives one row per sheet_next) and go on from there.
 *
 * No DTD is ever processed: a DOCTYPE stops the parse with dtd_refused, which is what
 * external entities (XXE) and entity expansion (billion laughs) need; without a DTD an
 * entity reference other than the five XML defines is an error. A single tag longer than
 * MAX_TAG is refused before expat would buffer it, so memory stays flat whatever the part.
 */
#include <stdlib.h>
#include <string.h>

#include "sheet/sheet_int.h"

#define MAX_TAG ((size_t)1 << 20)

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

int sheet_xml_open(struct sheet_xml *x, zip_t *z, const char *part, int64_t *budget, void *ud,
                   XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
                   struct rerr *err)
{
    memset(x, 0, sizeof *x);
    int rc = sheet_zip_entry_open(&x->e, z, part, budget, err);
    if (rc < 0)
        return rc;
    x->p = XML_ParserCreateNS(NULL, ' ');
    if (!x->p)
        abort();
    x->buf = sheet_xrealloc(NULL, SHEET_XML_CHUNK);
    /* the handlers' user data must start with a pointer to this struct (see sheet_int.h) */
    XML_SetUserData(x->p, ud);
    XML_SetElementHandler(x->p, start, end);
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

/* Refuses a tag (from '<' to '>') longer than MAX_TAG, across chunks. */
static bool tags_fit(struct sheet_xml *x, const char *p, size_t n)
{
    const char *end = p + n;
    while (p < end) {
        if (!x->in_tag) {
            const char *lt = memchr(p, '<', (size_t)(end - p));
            if (!lt)
                return true;
            x->in_tag = true;
            x->tag_len = 0;
            p = lt + 1;
        } else {
            const char *gt = memchr(p, '>', (size_t)(end - p));
            x->tag_len += (size_t)((gt ? gt : end) - p);
            if (x->tag_len > MAX_TAG)
                return false;
            if (!gt)
                return true;
            x->in_tag = false;
            p = gt + 1;
        }
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
    const char *sp = strrchr(name, ' ');
    return sp ? sp + 1 : name;
}

const char *sheet_xml_attr(const char **atts, const char *local)
{
    for (int i = 0; atts[i]; i += 2)
        if (!strcmp(sheet_xml_local(atts[i]), local))
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
