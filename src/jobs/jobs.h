/*
 * jobs: long work (backups now; imports, exports, model runs and index builds later)
 * runs on a worker thread, never inside a request handler. A job is a row in the jobs
 * table: queued → running → done | failed, written when it starts and when it ends; the
 * progress of the running job (done of total, only ever growing) is kept in memory and
 * answered from there by reads of the collection, which the web page polls.
 *
 * A kind of job is described once (struct job_kind): who may start it (and so see where
 * its result lives on the server, and download it) and the function that does the work,
 * reporting progress through job_progress().
 */
#ifndef RONGHE_JOBS_H
#define RONGHE_JOBS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth/authz.h"
#include "base/err.h"
#include "store/store.h"

struct res_ctx;
struct res_file;
struct job;

struct job_kind {
    const char *name;  /* "backup" */
    const char *label; /* "数据库备份" */
    enum write_policy policy;
    /* Do the work. "params" is the validated request body. On success set *result (a
     * JSON object, taken over) and return 0; otherwise fill "err". */
    int (*run)(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err);
    bool downloadable; /* result.name is a file in the backups directory */
};

/* Report progress: "done" of "total" units, with an optional short message. Cheap (in
 * memory only: nothing is written to the database); values lower than those already
 * reported are ignored. */
void job_progress(struct job *j, int64_t done, int64_t total, const char *message);

struct jobs_config {
    int backup_keep; /* generations kept in "<db>.backups", 1..BACKUP_KEEP_MAX (jobs/backup.h) */
};
/* Before jobs_start(); the defaults are BACKUP_KEEP_DEFAULT. */
void jobs_configure(const struct jobs_config *cfg);

/* Add the jobs collection to the domain's (res_register): jobs_start() does; a program
 * that serves the collection without the worker calls it itself. */
void jobs_register(void);

/* Start the worker for "s" (jobs_register() included). Jobs left 'running' by a crash are marked failed;
 * queued ones are run; temporaries a killed backup left in "<db>.backups" are removed. */
void jobs_start(store *s);
/* Let the running job finish, then stop the worker. */
void jobs_stop(void);

/* Queue a job of kind body.kind for the actor in "x" (authorised and audited like any
 * write). *out receives the job record. */
int jobs_submit(struct res_ctx *x, json_t *body, json_t **out, struct rerr *err);

/* Whether "who" may start some kind of job in its own procuratorate (the collection's
 * "create" in GET /api/v1/_meta: its POST action's "may"). */
bool jobs_may_submit(const struct actor *who);

/* The file a finished job produced, for GET /jobs/<id>/download (the collection's
 * "download" action): opened read-only, with its size and a file name to offer. Only for
 * whoever may start that kind of job; to anyone else, and for jobs with no file (not
 * done, another kind, pruned), 404 like a row out of scope. The read is audited
 * ("download"). The caller owns out->fd. */
int jobs_download(struct res_ctx *x, int64_t id, struct res_file *out, struct rerr *err);

extern const struct resource res_jobs;

#endif
