/*
 * password: Argon2id hashes (libsodium) and random tokens.
 */
#ifndef RONGHE_PASSWORD_H
#define RONGHE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX 128
#define PASSWORD_MIN_LEN 10

/* The one rule for a new password, for every way one is set (the API, init, user add,
 * user passwd, demo). 0, or R_EINVAL with a Chinese message saying what is wrong.
 * "username" is the account's (may be ""). */
struct rerr;
int password_rule_check(const char *pw, const char *username, struct rerr *err);

/* Call once before any other function here. */
void password_init(void);

/* Hash "pw" into "out". At most two hashes run at once (each takes ~19 MiB), so a burst
 * of logins cannot exhaust memory. Returns 0 or R_EINTERNAL. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
bool password_verify(const char *hash, const char *pw);

/* "n" random bytes as 2n hex characters into "out" (2n+1 bytes). */
void token_hex(char *out, size_t n);
/* sha256 of "s" as 64 hex characters into "out" (65 bytes). */
void sha256_hex(const char *s, char out[65]);
/* A readable random password (16 characters) into "out" (17 bytes). */
void password_generate(char out[17]);

#endif
