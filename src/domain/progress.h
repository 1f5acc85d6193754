/*
 * progress: how long work in the domain (an import, an export) reports how far it has
 * gone and learns that it should stop, without knowing who runs it: a background job
 * (jobs/) or the command line (a progress bar on a terminal).
 */
#ifndef RONGHE_PROGRESS_H
#define RONGHE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
    /* "done" of "total" units so far (total 0 while unknown) and a short Chinese message
     * (may be NULL). Called at most every few thousand units; may be NULL. */
    void (*report)(void *arg, int64_t done, int64_t total, const char *message);
    /* True once the work should stop and leave nothing behind; may be NULL (never). */
    bool (*cancelled)(void *arg);
    void *arg;
};

static inline void progress_report(const struct progress *p, int64_t done, int64_t total, const char *message)
{
    if (p && p->report)
        p->report(p->arg, done, total, message);
}

static inline bool progress_cancelled(const struct progress *p)
{
    return p && p->cancelled && p->cancelled(p->arg);
}

#endif
