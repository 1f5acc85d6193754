/*
 * log: one line per event on standard error. die() is for "cannot continue" (exit 1),
 * BUG() for a broken invariant of our own (abort, so a core or sanitizer trace follows).
 */
#ifndef RONGHE_LOG_H
#define RONGHE_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void bug_at(const char *file, int line, const char *msg);

#define BUG(msg) bug_at(__FILE__, __LINE__, (msg))
/* Assertions stay on in every build: they guard hand-offs between layers. */
#define CHECK(cond)                                                                                          \
    do {                                                                                                     \
        if (!(cond))                                                                                         \
            bug_at(__FILE__, __LINE__, "check failed: " #cond);                                              \
    } while (0)

#endif
