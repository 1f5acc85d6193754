/*
 * throttle: how often a login may be tried, decided so that neither the input nor
 * concurrency can empty it, and so that a guesser is slowed without locking out the
 * account's owner.
 *
 * Three limits, each over a sliding window of THROTTLE_WINDOW_MIN..+3 minutes:
 *   - a pair (account, address): THROTTLE_PAIR_FREE failures, then every further attempt
 *     waits 1 s, 2 s, 4 s … (THROTTLE_PAIR_CAP_S at most) after the pair's last failure;
 *   - an address, across accounts: THROTTLE_ADDRESS_MAX failures;
 *   - an account, across addresses: THROTTLE_ACCOUNT_MAX failures. Once over it, only
 *     addresses with no failure for the account in the window may still try, so the
 *     owner's own address keeps working while the attack goes on.
 * An IPv6 address counts by its /64 (one host holds a whole /64). "account" is the
 * username as typed: unknown names are counted exactly like real ones.
 *
 * The counts live in a count-min sketch (rows of saturating counters per time bucket,
 * indexed by SipHash with a key drawn at random per process): memory is fixed, nothing
 * is ever evicted, and a collision can only over-count, never forget. Without the key
 * no input can be aimed at another's counters.
 *
 * An attempt is counted before its password is checked: throttle_begin() checks and
 * counts under one lock, so concurrent attempts cannot all pass the check; a success
 * gives the count back (throttle_end). A failure stays counted and is logged (warn,
 * with the address) but not audited: failures would otherwise let anyone fill the audit.
 *
 * An administrator lifts the limits of an account with throttle_unlock() (the command
 * line's `user unlock` runs in another process): it moves the account's generation in
 * table login_unlocks, which throttle_begin() reads at every login, so the account and
 * its pairs start from zero, and for THROTTLE_GRACE_MIN minutes the account may be
 * tried from addresses that are over their own limit.
 */
#ifndef RONGHE_THROTTLE_H
#define RONGHE_THROTTLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth/actor.h"
#include "base/err.h"
#include "store/store.h"

#define THROTTLE_WINDOW_MIN 15
#define THROTTLE_PAIR_FREE 5
#define THROTTLE_PAIR_CAP_S 300
#define THROTTLE_ADDRESS_MAX 20
#define THROTTLE_ACCOUNT_MAX 100
#define THROTTLE_GRACE_MIN 15

#define THROTTLE_ROWS 4

/* One attempt between throttle_begin() and throttle_end(); on the caller's stack. Its
 * fields are the throttle's own. A ticket never ended counts as a failure. */
struct throttle_ticket {
    int64_t epoch;                   /* the time bucket the attempt was counted in */
    uint16_t cell[3][THROTTLE_ROWS]; /* pair, address, account */
    uint16_t counted;                /* bit (key * ROWS + row): that counter was raised */
    bool open;
    char username[68]; /* for the log: cut (at a character) to 64 bytes */
    char address[64];
};

/* Who is trying, as throttle_reserve() sees it. "generation" is the account's unlock
 * generation; "grace" true while an unlock is recent (see above). */
struct throttle_who {
    const char *username;
    const char *address; /* IPv4 or IPv6 text; anything else counts as given */
    int64_t generation;
    bool grace;
};

/* Check and count one login attempt of "username" from "address" now. 0 with "t" open;
 * R_ETHROTTLE with a Chinese message saying when to try again and err->retry_after in
 * seconds; or a store error. Reads login_unlocks through "c". */
int throttle_begin(store_conn *c, const char *username, const char *address, struct throttle_ticket *t,
                   struct rerr *err);

/* The attempt's outcome: "success" gives the count back; a failure keeps it and logs it. */
void throttle_end(struct throttle_ticket *t, bool success);

/* throttle_begin() without the database, at monotonic time "now_ms". */
int throttle_reserve(const struct throttle_who *w, int64_t now_ms, struct throttle_ticket *t,
                     struct rerr *err);

/* Lift the limits of user "user_id" (see above) as "who", audited in the same
 * transaction. "out" (may be NULL) receives {id, username, generation}. R_ENOTFOUND
 * when there is no such user. Authorisation is the caller's. */
int throttle_unlock(store_conn *c, const struct actor *who, int64_t user_id, json_t **out, struct rerr *err);

/* Forget every count and draw a new key. For tests only. */
void throttle_reset(void);

#endif
