/*
 * service: 12309 public service — the working-day calendar (holidays), requests with their
 * deadlines, replies and satisfaction, the rates the procuratorates report, and the public
 * progress lookup.
 *
 * Deadlines are derived, never typed: procedural_due (the 7th working day after
 * received_on), result_due (3 months after it, moved to the next working day when it falls
 * on a holiday), next_followup_due (a month after the latest progress, result or follow-up
 * while the request stays open) and next_due (the earliest of them still to be met), each
 * with a Chinese note of how it was computed (domain/workdays.h). They are STORED, and
 * recomputed in the same transaction as every write that changes an input: the request
 * itself, one of its replies, or the holidays table (every request, when an administrator
 * edits the calendar). So lists filter on columns (?due=overdue is an index range) and a
 * reader never sees a deadline of a calendar that no longer holds.
 */
#ifndef RONGHE_SERVICE_H
#define RONGHE_SERVICE_H

#include <jansson.h>

#include "base/err.h"
#include "store/store.h"

struct resource;
struct res_ctx;
struct res_query;
extern const struct resource res_holidays;
extern const struct resource res_requests;
extern const struct resource res_request_replies;

/* GET /request-rates?procuratorate_id=&from=&to=: per procuratorate (those "x" may read)
 * and in all, over requests received from..to: replied within 7 working days, result or
 * progress within 3 months, share of bad reviews, each with its counts. A rate whose
 * denominator is 0 is null, never 0. */
int service_rates(struct res_ctx *x, const struct res_query *q, json_t **out, struct rerr *err);

/* POST /public/progress {number, code}, for nobody signed in: the stages and dates of the
 * one request whose number and receipt code match, nothing else. Throttled like a login
 * (auth/throttle.h) per address and per number; an unknown number and a wrong code get
 * the same answer (R_ENOTFOUND "no_match"). Lookups are logged, not audited. */
int service_progress(store_conn *c, const char *address, json_t *body, json_t **out, struct rerr *err);

/* A new receipt code: "out" (9 bytes) gets 8 characters of an alphabet without look-alikes
 * (no 0/O, 1/I/L), "hash" (128 bytes) what is stored. */
void service_receipt_new(char out[9], char hash[128]);

#endif
