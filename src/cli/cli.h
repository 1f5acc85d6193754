/*
 * cli.h: what the command line's files share (main.c the commands and their dispatch,
 * eval_cmd.c `ronghe eval`).
 */
#ifndef RONGHE_CLI_H
#define RONGHE_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/actor.h"
#include "base/err.h"
#include "domain/resource.h"
#include "store/store.h"

/* The command line writes as the system actor, through the same audited path as the API. */
struct sys_session {
    store *s;
    store_conn *c;
    struct actor who;
    struct res_ctx x;
};

/* Open "path" as the system ("keyed": the command may write): 0, or 1 with the reason on
 * standard error. */
int sys_open(const char *path, enum store_open_mode mode, bool keyed, struct sys_session *ss);
void sys_close(struct sys_session *ss);
/* The exit status of a command that ended with "rc": 0, or 1 with err's message on stderr. */
int report(int rc, const struct rerr *err);
/* The progress bar of a long command on a terminal (stderr): struct progress's report. */
void bar_report(void *arg, int64_t done, int64_t total, const char *msg);

/* `ronghe eval check|run|explain` (eval_cmd.c). */
int cmd_eval(int argc, char **argv);

#endif
