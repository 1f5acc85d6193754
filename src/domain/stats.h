/*
 * stats: the home page's figures for leadership and administrators — counts per
 * procuratorate and the distributions the charts draw (age bands, 民族, 员额检察官, 党龄,
 * honours by year and level).
 *
 * Authorised and scoped exactly as the member list (READ_SCOPED through authz): a
 * city-level user counts every procuratorate, a county user only their own. Honours are
 * counted in the same scope (their list may be read by anyone signed in, but the home
 * page shows the reader's own scope). Ages and 党龄 are computed for today in Beijing
 * time (UTC+8), so an answer is good until the next midnight there and no longer.
 */
#ifndef RONGHE_STATS_H
#define RONGHE_STATS_H

#include <jansson.h>

#include "base/err.h"

struct res_ctx;

/* Everything in one read transaction, so the figures agree with each other. *out is the
 * caller's (json_decref). */
int stats_home(struct res_ctx *x, json_t **out, struct rerr *err);

#endif
