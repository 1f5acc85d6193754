/*
 * audit: the chained, keyed record of every write (what it proves: docs/audit.md).
 *
 * audit_append() is called inside the transaction of the write it records (the caller
 * holds the write lock), so a write and its entry commit or vanish together.
 *
 * Format 2, every entry this build writes:
 *     mac(n) = HMAC-SHA256(key, mac(n-1) ‖ audit_encode(entry n))
 * mac(0) is 32 zero bytes; stored as hex in prev_hash and hash, fmt = 2. The key is 32
 * random bytes in FILE.audit-key (mode 0600) beside the database FILE, never inside it.
 * meta.audit_head = "v2:<count>:<mac(count) hex>:<tag hex>", tag = HMAC-SHA256(key,
 * "ronghe-audit-head" 0x00 ‖ count as 8 bytes big-endian ‖ mac(count)), so that a
 * removed tail, or an emptied table, shows.
 *
 * Format 1, entries written before the key existed (fmt = 1), are kept and verified by
 * their own formula, sha256(prev "|" id "|" ts "|" user_id "|" username "|" action "|"
 * entity "|" entity_id "|" procuratorate_id "|" before "|" after "|"), which anyone can
 * recompute: verify counts them apart, and refuses one after a format-2 entry.
 *
 * Anchors: FILE.audit-anchors, opened O_APPEND, one line per anchor, fsync'd:
 *     "ronghe-audit-anchor 1 <count> <mac(count) hex> <UTC time> <tag hex>\n"
 * tag = HMAC-SHA256(key, the line up to the space before the tag). Written when a
 * database is created or first keyed, every AUDIT_ANCHOR_EVERY entries and at least
 * every AUDIT_ANCHOR_SECONDS while a server writes, when a writing process closes the
 * database, before a backup, and by `ronghe audit anchor`.
 */
#ifndef RONGHE_AUDIT_H
#define RONGHE_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "base/err.h"
#include "store/store.h"

#define AUDIT_FORMAT 2
#define AUDIT_ANCHOR_EVERY 1000
#define AUDIT_ANCHOR_SECONDS 60

/* ---- the encoding of one entry */

/* Every text may be NULL (encoded apart from ""); user_id 0 is "no user" (the system,
 * stored as NULL). */
struct audit_entry {
    int64_t id;
    const char *ts;
    int64_t user_id;
    const char *username, *action, *entity;
    int64_t entity_id, procuratorate_id;
    const char *before, *after; /* compact JSON, sorted keys; NULL when absent */
};

/* The format-2 encoding of "e": the bytes "RHAU" and AUDIT_FORMAT, then the ten fields in
 * the order above, each as 'I' + 8 bytes big-endian (numbers), 'S' + 8-byte big-endian
 * length + the bytes (text) or 'N' (NULL text). No two entries share an encoding.
 * Writes the first min(result, "cap") bytes to "buf" (which may be NULL when "cap" is 0)
 * and returns the whole length. Never fails. */
size_t audit_encode(const struct audit_entry *e, unsigned char *buf, size_t cap);

/* ---- the key, beside the database */

/* Load the key of store "s" from store_path(s) + ".audit-key" and keep it with the store,
 * which audit_append() then uses; call once after store_open(), before the store is
 * shared, and audit_close() before store_close(). Where the key file is missing and the
 * chain has no keyed entry yet (a new database, or one written by an earlier build), it
 * is created (32 bytes from libsodium, mode 0600) and a first keyed entry is appended
 * ("audit_key" on entity "audit": the number of older entries), then anchored. A missing
 * key for a chain that has keyed entries, or a key file that others may read, is an
 * error: writes are refused rather than written unauthenticated. */
int audit_open_key(store *s, struct rerr *err);

/* Stop the anchoring thread, anchor the head if this process wrote since its last
 * anchor, and forget the key. Safe on a store without a key. */
void audit_close(store *s);

/* Before creating database "db_path": fails when its key or anchors file already exists
 * (left by another database; they would not match a new chain). */
int audit_check_new(const char *db_path, struct rerr *err);

/* Remove the key and anchors files of "db_path" (a database that could not be created). */
void audit_remove_files(const char *db_path);

/* ---- anchors */

/* An anchor as written: the head's count and chain value, and when. */
struct audit_anchor_info {
    int64_t count;
    char mac[65];
    char time[32];
};

/* Append the committed head (count, MAC, now) to the anchors file and fsync it; "out"
 * (may be NULL) gets what was written. Refuses (R_ECONFLICT) a head that is not
 * authenticated by the key. Takes the write lock briefly to read the head: never call it
 * while this thread holds a transaction. */
int audit_anchor_now(store *s, struct audit_anchor_info *out, struct rerr *err);

/* Anchor from a thread of its own while the server runs: after every AUDIT_ANCHOR_EVERY
 * entries this process appends, and every AUDIT_ANCHOR_SECONDS when the head has moved.
 * audit_close() stops it. */
int audit_anchor_start(store *s, struct rerr *err);

/* For a backup of "s" to "to_db": anchor now, then copy the key and the anchors to
 * to_db + ".audit-key" and ".audit-anchors" (mode 0600, must not exist); "out" (may be
 * NULL) gets the anchor, for the backup's report. Call it BEFORE the database is copied,
 * so that no copied anchor is newer than the copied chain. */
int audit_backup_files(store *s, const char *to_db, struct audit_anchor_info *out, struct rerr *err);

/* ---- writing and verifying */

/* Append one entry. "before"/"after" may be NULL (create has no before, delete no
 * after); they are stored as compact JSON with sorted keys. Fails (and writes nothing)
 * without a key, or when the chain's tail does not match its authenticated head. */
int audit_append(store_conn *c, const struct actor *who, const char *action, const char *entity,
                 int64_t entity_id, int64_t procuratorate_id, json_t *before, json_t *after,
                 struct rerr *err);

/* ---- many entries in one transaction (an import) */

/* From here until audit_batch_end(), the entries connection "c" appends (audit_append, by
 * whichever caller) chain in memory: the tail is read and checked once, here, and the head
 * written once, at the end, instead of both at every entry. Call inside the write
 * transaction that will hold the entries, and end the batch before that transaction
 * commits or rolls back. One batch at a time per store: the writer holds the write lock. */
int audit_batch_begin(store_conn *c, struct rerr *err);
/* After a ROLLBACK TO a savepoint inside the batch: the chain goes on from the last entry
 * the table still holds. */
int audit_batch_rewound(store_conn *c, struct rerr *err);
/* End the batch; with "keep" (the transaction is about to commit) first write the head of
 * the entries appended in it. */
int audit_batch_end(store_conn *c, bool keep, struct rerr *err);

struct audit_report {
    int64_t entries;      /* entries checked and intact, before the first broken one */
    int64_t legacy;       /* of them, format 1 (no key) */
    int64_t anchors;      /* anchors read */
    int64_t anchor_count; /* the last anchor's count and time, when there is one */
    char anchor_time[32];
    char head_mac[65]; /* the chain's MAC after the last intact entry */
    bool keyed;        /* a key was found and used */
    bool broken;
    int64_t first_bad; /* when broken: the first entry at fault, or 0 if none is */
    char reason[320];  /* when broken: why, in Chinese */
};

/* Walk the chain of "s" from its first entry, checking each entry against its format,
 * the head, and every anchor: each anchored (count, MAC) must match the chain at that
 * count, and the chain may not be shorter than any. "key_path" and "anchors_path" may be
 * NULL for the files beside the database. Returns 0 when intact, R_ECONFLICT when
 * broken ("rep" says where and why), or another negative error when it cannot check
 * (no key for a keyed chain, an unreadable file). */
int audit_verify(store *s, const char *key_path, const char *anchors_path, struct audit_report *rep,
                 struct rerr *err);

#endif
