/*
 * session: sign-in and sessions (login throttling: auth/throttle.h).
 *
 * The cookie carries a random token; the database keeps only its sha256, so a copy of
 * the database opens no session. Each session has its own CSRF token, which every
 * write must echo in X-CSRF-Token.
 *
 * A session ends at logout; after SESSION_IDLE_S without a request; SESSION_LIFETIME_S
 * after login whatever happens; and at once, with every other session of its user,
 * when that user's password, disabled flag, role, procuratorate or branch changes. The
 * last is a trigger on users (users_end_sessions, migration 003), so it happens in the
 * transaction of the change whoever makes it (the API, `ronghe user passwd` in another
 * process); a server sees another process's commit within STORE_EXTERNAL_MS, and every
 * session it keeps in memory is dropped when it does.
 */
#ifndef RONGHE_SESSION_H
#define RONGHE_SESSION_H

#include <jansson.h>
#include <stdbool.h>

#include "auth/actor.h"
#include "base/err.h"
#include "store/store.h"

#define SESSION_TOKEN_LEN 64 /* hex characters */
/* 等保: a session ends after 30 minutes without a request, and 12 hours after login. */
#define SESSION_IDLE_S (30 * 60)
#define SESSION_LIFETIME_S (12 * 3600)

/* Read the overrides of the two limits, for tests only: RONGHE_SESSION_IDLE_S and
 * RONGHE_SESSION_LIFETIME_S (seconds, 1 to 30 days). Call once when `serve` starts,
 * before any request; without it the constants hold. R_EINVAL for a bad value. */
int session_configure(struct rerr *err);
/* The absolute lifetime in force, in seconds (the cookie's Max-Age). */
int session_lifetime_s(void);

struct session {
    char token[SESSION_TOKEN_LEN + 1];
    char csrf[33];
};

/* Check "username"/"password" from "address" and open a session, remembering
 * "user_agent" (may be NULL; kept as printable ASCII, cut to 200 bytes) for the user's
 * list of sessions. Throttled (see auth/throttle.h): R_ETHROTTLE, with err->retry_after. */
int session_login(store_conn *c, const char *username, const char *password, const char *address,
                  const char *user_agent, struct session *out, struct actor *who, struct rerr *err);

/* The actor behind cookie "token"; R_EAUTH when unknown, ended (idle, lifetime) or
 * disabled, and the session counts as used now (see session.c for how coarsely). "csrf"
 * (33 bytes) receives the session's CSRF token. "gen" is store_generation() taken for
 * this request: a session seen at the same generation (and within the last minute) is
 * answered from memory. */
int session_lookup(store *s, const char *token, uint64_t gen, struct actor *who, char csrf[33],
                   struct rerr *err);

/* session_lookup() from memory alone: true when "token" was seen at generation "gen"
 * within the last minute. Never touches the database. */
bool session_peek(const char *token, uint64_t gen, struct actor *who, char csrf[33]);

int session_logout(store_conn *c, const char *token, const struct actor *who, struct rerr *err);

/* The sessions of "who" that have not ended, newest use first, as {"items": [{id,
 * created_at, last_seen_at, expires_at, idle_expires_at, address, user_agent, current}],
 * "total"}; "current" marks the one of cookie "token". Never a token or its hash. */
int session_list(store_conn *c, const char *token, const struct actor *who, json_t **out, struct rerr *err);
/* End session "id" of "who" (R_ENOTFOUND when "who" has none of that id: another's
 * session is not found either), audited. */
int session_end(store_conn *c, const struct actor *who, int64_t id, struct rerr *err);
/* End every session of "who" but the one of cookie "token", audited; "*ended" is how many. */
int session_end_others(store_conn *c, const char *token, const struct actor *who, int64_t *ended,
                       struct rerr *err);

/* "who" changes their own password from "current" to "fresh" (the session of cookie
 * "token", from "address"). A wrong "current" is counted as a failed login of the
 * account from that address (auth/throttle.h: R_ETHROTTLE once over the limits) and
 * answered R_EINVAL wrong_password (field "current"); "fresh" must pass
 * password_rule_check (field "new"). It is hashed before the write transaction; the
 * change ends every other session of the user (users_end_sessions) and keeps this one,
 * audited as action "password" on users/<id>. */
int session_change_password(store_conn *c, const char *token, const struct actor *who, const char *address,
                            const char *current, const char *fresh, struct rerr *err);
/* Fill "who" from user "user_id" (role, scope). */
int actor_load(store_conn *c, int64_t user_id, struct actor *who, struct rerr *err);

#endif
