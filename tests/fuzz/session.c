/*
 * session: the cookie token path — session_peek() and session_lookup() with any token.
 *
 * Input: byte 0 chooses how the token is made: 0 takes the rest as it is; 1-4 take the
 * session token of one of the four demo accounts and XOR the rest into it (so most
 * inputs are near-misses of a real token: one character changed, cut short, upper-case).
 *
 * A token opens a session exactly when it is, byte for byte, one that session_login()
 * issued, and then as that account with that session's CSRF token; anything else is
 * R_EAUTH with an error the HTTP layer can answer. Lookups only read.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

static store *db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[300];
    snprintf(path, sizeof path, "%s/session.db", fuzz_dir());
    db = fuzz_open_copy(fuzz_demo(true), path);
    fuzz_ready();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 200)
        return -1;
    char token[256] = "";
    unsigned mode = data[0] % 5;
    if (mode == 0) {
        memcpy(token, data + 1, size - 1);
    } else {
        snprintf(token, sizeof token, "%s", fuzz_accounts[mode - 1].s.token);
        for (size_t i = 1; i < size && i - 1 < SESSION_TOKEN_LEN; i++)
            token[i - 1] ^= (char)data[i];
    }
    int owner = -1;
    for (int i = 0; i < FU_N; i++)
        if (!strcmp(token, fuzz_accounts[i].s.token))
            owner = i;
    uint64_t gen = store_generation(db);
    struct actor who;
    char csrf[33];
    bool peeked = session_peek(token, gen, &who, csrf);
    if (peeked && owner < 0)
        fuzz_fail("session_peek accepted a token nobody was given");
    struct rerr err = {0};
    int rc = session_lookup(db, token, gen, &who, csrf, &err);
    if (owner < 0) {
        if (rc != R_EAUTH)
            fuzz_fail("session_lookup answered %d to a token nobody was given", rc);
        fuzz_check_rerr("session_lookup", rc, &err);
        return 0;
    }
    const struct fuzz_account *u = &fuzz_accounts[owner];
    if (rc < 0)
        fuzz_fail("session_lookup refused %s's own token: %s", u->username, err.message);
    if (who.user_id != u->who.user_id || who.role != u->who.role || strcmp(csrf, u->s.csrf) != 0)
        fuzz_fail("%s's token opened the session of user %lld", u->username, (long long)who.user_id);
    return 0;
}
