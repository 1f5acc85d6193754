#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"

int rerr_set(struct rerr *e, int rc, const char *code, const char *field, const char *fmt, ...)
{
    if (!e)
        return rc;
    e->rc = rc;
    e->retry_after = 0;
    snprintf(e->code, sizeof e->code, "%s", code ? code : "");
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    /* The parts may quote input (a field name, a value) and the bounded copies may cut a
     * character in half: what leaves here is always well-formed UTF-8, so it can always
     * be sent as JSON. */
    text_utf8_repair(e->code);
    text_utf8_repair(e->field);
    text_utf8_repair(e->message);
    return rc;
}

void rerr_clear(struct rerr *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}
