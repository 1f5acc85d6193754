/*
 * files: the bytes of attachments, kept beside the database, content-addressed.
 *
 * A database FILE has its files under FILE.files/: each one at ab/cdef… where abcdef…
 * is the SHA-256 of its content in lower-case hex (the first two digits a directory, so
 * no directory holds more than a 256th of them), plus tmp/ for uploads still arriving.
 * The same content is stored once, however many records name it.
 *
 * Crash safety. An upload is written to a temporary file in tmp/ (the same file system
 * as its final place, so the rename below is atomic) while it arrives, hashed on the
 * way. Once whole: fsync the file, rename it to its content path (creating and syncing
 * the ab/ directory when new), fsync that directory. Only then is the row that names it
 * committed (by the caller), so a committed row never names a file that is not on disk;
 * a crash before the rename leaves a temporary file, one after it an unreferenced file:
 * both are orphans, which files_sweep() removes (temporary files no longer written to,
 * content files that no row names), once they are older than a grace period, so that a
 * file placed a moment ago for a row about to commit is never taken.
 *
 * The root is configured once per process (files_configure) before any thread uses it.
 */
#ifndef RONGHE_FILES_H
#define RONGHE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define FILES_MAX_DEFAULT ((int64_t)20 << 20) /* the largest upload, unless configured */
#define FILES_HEX_LEN 64                      /* a SHA-256 in hex */
#define FILES_PATH_MAX 4096

/* Use "db_path".files/ as the root (created, mode 0700, with tmp/), and "max_bytes" as
 * the largest file taken (1 .. 1 GiB). 0 or an error naming the directory. */
int files_configure(const char *db_path, int64_t max_bytes, struct rerr *err);
/* The root ("FILE.files"), or NULL before files_configure(). */
const char *files_root(void);
/* The configured largest file, in bytes (FILES_MAX_DEFAULT before files_configure). */
int64_t files_max_bytes(void);

/* Whether "hex" is a SHA-256 in lower-case hex (64 digits 0-9a-f). */
bool files_hex_valid(const char *hex);
/* The content path of "hex" under "root": "root/ab/cdef…" into "out" ("cap" bytes).
 * 0, or -1 when "hex" is not valid or the path does not fit. */
int files_path(const char *root, const char *hex, char *out, size_t cap);

/* An upload being received: a temporary file under tmp/, hashed as it is written. */
typedef struct files_tmp files_tmp;
/* A new temporary file (mode 0600). NULL with "err" set (R_EBUSY: no root, or the disk
 * refuses). */
files_tmp *files_tmp_open(struct rerr *err);
/* Append "n" bytes; 0, or -1 when the disk refuses (full): the upload is then lost
 * (files_tmp_abort). */
int files_tmp_write(files_tmp *t, const void *p, size_t n);
/* Bytes written so far. */
int64_t files_tmp_size(const files_tmp *t);
/* A descriptor to read the content so far (pread: the type is detected from it); owned
 * by "t". */
int files_tmp_fd(const files_tmp *t);
/* Close and remove the temporary file, free "t". NULL is a no-op. */
void files_tmp_abort(files_tmp *t);
/* Finish: the SHA-256 into "hex" (FILES_HEX_LEN + 1), the file made durable at its
 * content path as described at the top (if that content is there already, the
 * temporary file is dropped and the existing one's time refreshed, so that a sweep
 * treats it as new). "t" is freed either way. 0, or an error (the disk refused:
 * nothing is left behind). */
int files_tmp_commit(files_tmp *t, char hex[FILES_HEX_LEN + 1], struct rerr *err);

/* Make what was written so far durable (fsync): 0 or -1. So that a later files_tmp_keep()
 * or files_tmp_commit() finds little left to sync (inside a transaction, say). */
int files_tmp_sync(files_tmp *t);

/* Finish otherwise: the upload made durable under "dest" (a path on the same file system,
 * outside the content store: a job's input), not content-addressed. "t" is freed either
 * way; 0, or an error (nothing is left behind). */
int files_tmp_keep(files_tmp *t, const char *dest, struct rerr *err);

/* Open the content of "hex" for reading: *fd (the caller closes it) and *size. R_ENOTFOUND
 * when it is not there. */
int files_open_read(const char *hex, int *fd, int64_t *size, struct rerr *err);
/* Remove the content of "hex" (and sync its directory). 0, also when it was not there. */
int files_remove(const char *hex);

/* Remove orphans: temporary files not written to for "grace_s" seconds, and content files
 * older than that which "used" (asked with each one's hex) says no row names. "used"
 * returns 1 (named), 0 (not), negative (could not tell: the file is kept). Counts what
 * was removed into *removed (may be NULL). 0, or an error (no root). */
int files_sweep(int (*used)(void *arg, const char *hex), void *arg, int grace_s, int *removed,
                struct rerr *err);

#endif
