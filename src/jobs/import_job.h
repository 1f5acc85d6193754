/*
 * import_job: the "import" kind of job (jobs.c kinds[]): a spreadsheet uploaded with
 * POST /api/v1/jobs/upload?kind=import&collection=KIND[&update=true][&check=true]
 * [&sheet=NAME] imported by domain/import.h as its submitter, all or nothing, with the
 * XLSX report of the rejected rows as the job's own file.
 */
#ifndef RONGHE_IMPORT_JOB_H
#define RONGHE_IMPORT_JOB_H

#include "jobs/jobs.h"

/* Rejected rows listed in the job's result (every one is counted; the report has them all
 * up to IMPORT_REPORT_ROWS). */
#define IMPORT_JOB_ERRORS 200
/* Data rows an uploaded file may hold (the command line takes up to IMPORT_MAX_ROWS, or
 * --max-rows): a web import holds the write lock for as long as it runs. */
#define IMPORT_JOB_MAX_ROWS 200000

/* params: collection (required), update, check (booleans), sheet (text); nothing else.
 * Authorised as a create in the collection by x->who (its write policy). */
int import_job_authorize(struct res_ctx *x, json_t *params, struct rerr *err);
int import_job_run(struct job *j, store *s, json_t *params, json_t **result, struct rerr *err);

#endif
