/*
 * jobs: long work (backups now; imports, exports, model runs and index builds later)
 * runs on a worker thread, never inside a request handler. A job is a row in the jobs
 * table: queued → running → done | failed, with progress (done of total) that the web
 * page polls and the command line draws as a bar.
 *
 * A kind of job is described once (struct job_kind): who may start it and the function
 * that does the work, reporting progress through job_progress().
 */
#ifndef RONGHE_JOBS_H
#define RONGHE_JOBS_H

#include <jansson.h>
#include <stdint.h>

#include "auth/authz.h"
#include "base/err.h"
#include "store/store.h"

struct res_ctx;
struct job;

struct job_kind {
    const char *name;  /* "backup" */
    const char *label; /* "数据库备份" */
    enum write_policy policy;
    /* Do the work. "params" is the validated request body. On success set *result (a
     * JSON object, taken over) and return 0; otherwise fill "err". */
    int (*run)(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err);
};

/* Report progress: "done" of "total" units, with an optional short message. Cheap to
 * call often: the row is written at most every 200 ms, and always at the end. */
void job_progress(struct job *j, int64_t done, int64_t total, const char *message);

/* Start the worker for "s". Jobs left 'running' by a crash are marked failed; queued
 * ones are run. */
void jobs_start(store *s);
/* Let the running job finish, then stop the worker. */
void jobs_stop(void);

/* Queue a job of kind body.kind for the actor in "x" (authorised and audited like any
 * write). *out receives the job record. */
int jobs_submit(struct res_ctx *x, json_t *body, json_t **out, struct rerr *err);

extern const struct resource res_jobs;

#endif
