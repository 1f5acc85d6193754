/*
 * fuzz: what the libFuzzer targets in tests/fuzz/ share.
 *
 * Each target is one file, tests/fuzz/<name>.c, linked against the project's own objects
 * built with clang -fsanitize=fuzzer-no-link,address,undefined (Makefile: `make fuzz`).
 * Nothing here replaces a part of the system: the targets drive the real store, the real
 * resource engine and the real HTTP server on a real demo database.
 *
 * A finding is anything that stops the process: a sanitizer report, a leak, a CHECK/BUG
 * abort, die() (exit 1 inside an input, which libFuzzer reports as "fuzz target exited"),
 * or fuzz_fail() when an input breaks a contract a target checks (an answer 500, an
 * error message that is not UTF-8, a tampered audit chain that verifies).
 */
#ifndef RONGHE_FUZZ_H
#define RONGHE_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "auth/session.h"
#include "base/err.h"
#include "store/store.h"

/* libFuzzer's entry points (declared for -Wmissing-prototypes). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The demo's four accounts, as the README lists them. */
enum fuzz_user { FU_ADMIN, FU_VIEWER, FU_COUNTY, FU_SECRETARY, FU_N };

struct fuzz_account {
    const char *username; /* admin, viewer, zlt-admin, hlgl-sec */
    struct actor who;     /* loaded with actor_load() */
    struct session s;     /* a signed-in session, when fuzz_demo(true) opened them */
};
extern struct fuzz_account fuzz_accounts[FU_N];

/* Every demo account's password. */
#define FUZZ_PASSWORD "Ronghe-Fuzz-2026"

/* A fresh directory for this process's files (under $TMPDIR, else /dev/shm, else /tmp),
 * removed at a normal exit. */
const char *fuzz_dir(void);

/* Remove "path" and everything under it. */
void fuzz_remove_tree(const char *path);

/* Build the Tongliao demo once per process through demo_populate() and fill
 * fuzz_accounts; with "sessions", also sign each account in (session_login). Returns the
 * path of the closed, checkpointed database file, which callers copy and never open. */
const char *fuzz_demo(bool sessions);

/* Copy database file "from" to "to" (removing any -wal/-shm of "to" first), with its
 * audit key and anchors, and open it with its key. fuzz_close() closes it. */
store *fuzz_open_copy(const char *from, const char *to);
void fuzz_close(store *s);

/* Called at the end of each target's LLVMFuzzerInitialize: in the coverage build (make
 * fuzz-coverage) it forgets what setting up (the demo, the server) ran, so the report
 * shows what the inputs reach. Does nothing in the fuzzing build. */
void fuzz_ready(void);

/* Stop with a finding: print "fuzz: <message>" and abort(), so libFuzzer keeps the input. */
_Noreturn void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Fail unless "e" is an error the HTTP layer can answer as it must: rc is negative and
 * not R_EINTERNAL (input never causes a 500), code is set, and code, message and field
 * are well-formed UTF-8 (they go into a JSON answer). R_EBUSY is refused too: the
 * targets that call this run one thread, so nothing contends. "what" names the call. */
void fuzz_check_rerr(const char *what, int rc, const struct rerr *e);

/* True when "s" can be a JSON string (well-formed UTF-8), as jansson decides it. */
bool fuzz_json_text_ok(const char *s);

/* A NUL-terminated copy of "data" (malloc'd; embedded NULs end it early). */
char *fuzz_cstr(const uint8_t *data, size_t size);

#endif
