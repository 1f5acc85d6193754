/*
 * session: sign-in and sessions (login throttling: auth/throttle.h).
 *
 * The cookie carries a random token; the database keeps only its sha256, so a copy of
 * the database opens no session. Each session has its own CSRF token, which every
 * write must echo in X-CSRF-Token.
 */
#ifndef RONGHE_SESSION_H
#define RONGHE_SESSION_H

#include <stdbool.h>

#include "auth/actor.h"
#include "base/err.h"
#include "store/store.h"

#define SESSION_TOKEN_LEN 64 /* hex characters */
#define SESSION_HOURS 12

struct session {
    char token[SESSION_TOKEN_LEN + 1];
    char csrf[33];
};

/* Check "username"/"password" from "address" and open a session. Throttled (see
 * auth/throttle.h): R_ETHROTTLE, with err->retry_after. */
int session_login(store_conn *c, const char *username, const char *password, const char *address,
                  struct session *out, struct actor *who, struct rerr *err);

/* The actor behind cookie "token"; R_EAUTH when unknown, expired or disabled. "csrf"
 * (33 bytes) receives the session's CSRF token. "gen" is store_generation() taken for
 * this request: a session seen at the same generation (and within the last minute) is
 * answered from memory. */
int session_lookup(store *s, const char *token, uint64_t gen, struct actor *who, char csrf[33],
                   struct rerr *err);

/* session_lookup() from memory alone: true when "token" was seen at generation "gen"
 * within the last minute. Never touches the database. */
bool session_peek(const char *token, uint64_t gen, struct actor *who, char csrf[33]);

int session_logout(store_conn *c, const char *token, const struct actor *who, struct rerr *err);

/* Fill "who" from user "user_id" (role, scope). */
int actor_load(store_conn *c, int64_t user_id, struct actor *who, struct rerr *err);

#endif
