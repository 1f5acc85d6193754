/*
 * demo: the Tongliao demo data set (the article's procuratorates, branches, brands,
 * methods and honours, plus generated 示例 people and branches).
 *
 * The data goes through the same write path as the API (res_create), so every rule
 * that guards a user's input also guards the demo, and every record is audited.
 */
#ifndef RONGHE_DEMO_H
#define RONGHE_DEMO_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"

struct store;
struct demo;

/* Fill an empty, migrated store with the demo. Every demo account gets "password".
 * Returns 0, or a negative error with "err" set. */
int demo_populate(struct store *st, const char *password, struct rerr *err);

/* After demo_populate: the default scheme saved and run over the demo's two years
 * (demo_eval.c). */
int demo_evaluation(struct store *st, struct rerr *err);

/* 0 when "password" may be set for every demo account (password_check for each of
 * them), else R_EINVAL with "err" saying why. Written in demo_data.c. */
int demo_password_check(const char *password, struct rerr *err);

/* ---- used by demo_data.c, implemented in demo.c ---- */

/* Create one record of "collection" (an API collection name such as "members") from
 * "obj" (which this call takes over and frees) and return its id. Any validation error
 * is a bug in the demo data: it aborts with the message. */
int64_t demo_put(struct demo *d, const char *collection, json_t *obj);

/* Deterministic pseudo-random numbers for the generated (示例) part: the same demo every
 * time. demo_rand(d, n) returns 0..n-1. */
uint32_t demo_rand(struct demo *d, uint32_t n);

/* The context demo_put() writes with (the system actor, inside the demo's transaction):
 * for generators that look up the ids of what demo_build() made (x->c). */
struct res_ctx *demo_ctx(struct demo *d);

/* The password given to `ronghe demo`. */
const char *demo_password(const struct demo *d);

/* Attach the "n" bytes at "bytes" as file "name" to record "id" of "coll" (marked 示例;
 * the type is detected from the bytes, as for an upload): the attachment's id. Needs the
 * data directory (files_configure); any refusal is a bug in the demo: it aborts. In
 * demo_attachments.c, which also gives every honour a placeholder certificate scan:
 * demo_build_attachments(), skipped when there is no data directory. */
int64_t demo_attach(struct demo *d, const char *coll, int64_t id, const char *name, const void *bytes,
                    size_t n);
void demo_build_attachments(struct demo *d);

/* Written in demo_data.c: build the whole data set through demo_put(). */
void demo_build(struct demo *d);

/* Written in demo_joint.c: the joint ledgers' two years (四同步, element checks, projects,
 * pairings, guidance), once the organisation and the methods are there; and whether a
 * demo method of that name is checked off per "month" or per "quarter". */
void demo_build_joint(struct demo *d);
const char *demo_method_period(const char *name);
/* demo_partylife.c: two years of organisation life (activities, attendance, transfers);
 * demo_link_partylife, once the business ledgers exist: meetings linked to their items. */
void demo_build_partylife(struct demo *d);
/* demo_signals.c: entry dates as people would have entered the records, and the few
 * records the evaluation's formalism signals then find; last, once every ledger is there. */
void demo_build_signals(struct demo *d);
void demo_link_partylife(struct demo *d);
/* Written in demo_cases.c: two years of cases, their teams and 三必评 (called at the end
 * of demo_build(), once the organisation and members are there). */
void demo_build_cases(struct demo *d);
/* Written in demo_pil.c: two years of patrols, public-interest matters and outreach. */
void demo_build_pil(struct demo *d);
/* The ledgers' two years, each in its own file, called at the end of demo_build(). */
void demo_build_service(struct demo *d); /* demo_service.c: 12309 requests and replies */

#endif
