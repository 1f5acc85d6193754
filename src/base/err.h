/*
 * err: the one error convention. A function returns 0 on success or a negative
 * R_E* code on failure, with results through out-parameters. When it fails it fills a
 * caller-owned struct rerr once: a stable code for programs, a Chinese message for a
 * person and, where one input field is at fault, its name. The HTTP layer maps the R_E*
 * code to a status in one table (http/respond.c).
 */
#ifndef RONGHE_ERR_H
#define RONGHE_ERR_H

enum {
    R_SUCCESS = 0,
    R_EINVAL = -1,     /* 400: the input is malformed or invalid */
    R_EAUTH = -2,      /* 401: not signed in, or bad credentials */
    R_EFORBID = -3,    /* 403: signed in, but not allowed */
    R_ENOTFOUND = -4,  /* 404 */
    R_ECONFLICT = -5,  /* 409: stale version, duplicate, still in use */
    R_ETOOBIG = -6,    /* 413 */
    R_EUNPROC = -7,    /* 422: well-formed but refers to something absent or unrelated */
    R_ETHROTTLE = -8,  /* 429 */
    R_EMETHOD = -9,    /* 405 */
    R_EMEDIA = -12,    /* 415: a body of a content type the endpoint does not take */
    R_EINTERNAL = -10, /* 500: a bug or the store failed */
    R_EBUSY = -11      /* 503: the store stayed busy past its wait; the client may retry */
};

struct rerr {
    int rc;            /* one of R_E* */
    char code[32];     /* stable, e.g. "version_conflict" */
    char message[256]; /* Chinese, for a person */
    char field[64];    /* offending field, or "" */
    int retry_after;   /* seconds a client should wait (sent as Retry-After), or 0 */
};

/* Fill "e" (if not NULL; retry_after becomes 0) and return "rc". The message is
 * printf-formatted. */
int rerr_set(struct rerr *e, int rc, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Clear "e" to R_SUCCESS. */
void rerr_clear(struct rerr *e);

#endif
