/*
 * transfer: the kinds of job that carry data in and out of the collections (issue 8),
 * each a thin shell over its domain module: the job's params checked and authorised,
 * the domain function run with the submitter as actor and the job's progress, its file
 * put where job_output() says. One line each in jobs.c's kinds[].
 */
#ifndef RONGHE_TRANSFER_H
#define RONGHE_TRANSFER_H

#include <jansson.h>

#include "jobs/jobs.h"

/* "export" (export_job.c): params {"collection": "members", "format": "xlsx"|"csv",
 * "query": {"branch_id": "3", "sort": "-name", "q": "张", ...} (what GET /<coll> takes;
 * values text or numbers), "columns": ["name", ...], "labels": ["姓名", ...]} (both
 * optional; labels one per column, "" for the default header). Authorised by the
 * collection's export policy (domain/export.h export_check); the result is
 * {"rows", "bytes", "name", "display_name"}, the file the submitter's alone. */
int export_job_authorize(struct res_ctx *x, json_t *params, struct rerr *err);
int export_job_run(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err);

/* "eval" (eval_job.c): params {"scheme_id": N, "period": "2025" | "2025-Q3" | "2025-07"};
 * an administrator's, inside their scope. The result is eval_run's summary (the run's id
 * and the ranking of branches). */
int eval_job_authorize(struct res_ctx *x, json_t *params, struct rerr *err);
int eval_job_run(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err);

#endif
