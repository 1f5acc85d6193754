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
#include "domain/progress.h"
#include "store/files.h"
#include "store/store.h"

struct res_ctx;
struct res_file;
struct job;

struct job_kind {
    const char *name;  /* "backup" */
    const char *label; /* "数据库备份" */
    enum write_policy policy;
    /* Do the work. "params" is the validated request body. On success set *result (a
     * JSON object, taken over) and return 0; otherwise fill "err" (code "cancelled" when
     * it stopped because job_cancelled() said so: the job then ends 'cancelled'). */
    int (*run)(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err);
    bool downloadable; /* result.name is a file: in the backups directory, or for "own"
                          kinds the job's own (job_output) */
    /* Validate "params" (the body without "kind"; for an upload, the query's keys) and
     * authorise them for x->who: an export by the collection's export policy, an import
     * by its write policy. Replaces "policy" when set (which then only says who sees
     * server paths in results); NULL: the body may carry nothing but "kind". */
    int (*authorize)(struct res_ctx *x, json_t *params, struct rerr *err);
    /* The result and its file are the submitter's alone: only they download it (exports
     * and imports carry personal data the next administrator has not chosen to take). */
    bool own;
    /* The job takes a file uploaded with it (POST /jobs/upload, jobs_submit_file):
     * job_input() during the run; removed when the job ends. */
    bool input;
};

/* The submitter of "j", as they stand when it runs (role and scope re-read: a user
 * disabled meanwhile is refused, R_EAUTH). The system for jobs the command line made. */
int job_actor(struct job *j, struct actor *out, struct rerr *err);
/* Whether someone asked the running job to stop (POST /jobs/<id>/cancel). Cheap. */
bool job_cancelled(struct job *j);
/* report → job_progress, cancelled → job_cancelled: for domain work that takes a
 * struct progress. Valid while the job runs. */
const struct progress *job_progress_of(struct job *j);
/* Where the job's own file goes: "<db>.jobs/<id>.<ext>" into "path" (the directory made,
 * mode 0700). Put its base name in result.name (and a Chinese result.display_name to
 * offer); the owner may download it for JOBS_KEEP_HOURS, then it is removed. 0 or -1. */
#define JOBS_KEEP_HOURS 24
int job_output(struct job *j, const char *ext, char *path, size_t cap);
/* The uploaded file of a kind with "input", or NULL. */
const char *job_input(struct job *j);

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

/* Queue a job of kind params.kind (a kind with "input") whose file is "up", an upload
 * received whole (taken over: kept as the job's input, or removed on any error). As
 * jobs_submit otherwise. */
int jobs_submit_file(struct res_ctx *x, json_t *params, files_tmp *up, json_t **out, struct rerr *err);

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
