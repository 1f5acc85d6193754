/*
 * eval_internal.h: what the evaluation's files share (eval_scheme.c the schemes, eval_run.c
 * the runs and their results), and nobody else. The interface is domain/evaluation.h.
 */
#ifndef RONGHE_EVAL_INTERNAL_H
#define RONGHE_EVAL_INTERNAL_H

#include <jansson.h>

#include "base/err.h"
#include "calc/expr.h"
#include "calc/scheme.h"

/* A scheme's text, in characters: so many four-byte characters still fit calc's
 * SCHEME_MAX_TEXT bytes (checked at compile time in eval_scheme.c). */
#define EVAL_SCHEME_MAX_CHARS 60000

/* The measure catalogue's names as formulas see them (domain/measures.h order). */
const struct expr_catalogue *eval_catalogue(void);

/* Parse "text": 0 with *out (the caller's: scheme_free), or R_EINVAL "bad_scheme" with
 * every error as JSON in *errors (when not NULL; the caller's). */
int eval_scheme_compile(const char *text, struct scheme **out, json_t **errors, struct rerr *err);

#endif
