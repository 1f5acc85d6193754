#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int rerr_set(struct rerr *e, int rc, const char *code, const char *field, const char *fmt, ...)
{
    if (!e)
        return rc;
    e->rc = rc;
    snprintf(e->code, sizeof e->code, "%s", code ? code : "");
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return rc;
}

void rerr_clear(struct rerr *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}
