/*
 * password: the password rule, Argon2id hashes (libsodium) and random tokens.
 *
 * One rule (password_rule_check) decides every password that is set, whoever sets it: the
 * API's user create and update, `ronghe init`, `user add`, `user passwd`, `demo
 * --password`; and login applies the same maximum (password_fits) before it hashes.
 * The strength rules are those a 等保 level-3 system is held to: at least
 * PASSWORD_MIN_LEN characters, at least three of four classes (upper case, lower case,
 * digit, other), not containing the username, not all one repeated character or white
 * space, and not on the list of common passwords (common-passwords.txt, embedded).
 */
#ifndef RONGHE_PASSWORD_H
#define RONGHE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define PASSWORD_HASH_MAX 128
#define PASSWORD_MIN_LEN 10    /* characters (code points) */
#define PASSWORD_MAX_LEN 64    /* characters (code points) */
#define PASSWORD_MAX_BYTES 256 /* bytes of UTF-8: 64 four-byte characters fit */
/* A username shorter than this is not looked for inside the password (a one-letter
 * name would forbid every password holding that letter). */
#define PASSWORD_USERNAME_MIN 3

/* Call once before any other function here. */
void password_init(void);

/* The rule: 0 when "pw" may be set for the account "username" (NULL or "": none known),
 * else R_EINVAL with "err" naming field "password" and saying in Chinese which rule it
 * breaks: code "too_long" over the maximum, "invalid_value" for text that is not UTF-8
 * or holds control characters, "weak_password" for each strength rule. */
int password_rule_check(const char *pw, const char *username, struct rerr *err);

/* True when "pw" is within the maximum (PASSWORD_MAX_LEN characters and
 * PASSWORD_MAX_BYTES bytes). Login refuses a longer one as a wrong password without
 * hashing it: no such password can have been set. */
bool password_fits(const char *pw);

/* Hash "pw" into "out". At most two hashes run at once (each takes ~19 MiB), so a burst
 * of logins cannot exhaust memory. Returns 0 or R_EINTERNAL. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
bool password_verify(const char *hash, const char *pw);

/* "n" random bytes as 2n hex characters into "out" (2n+1 bytes). */
void token_hex(char *out, size_t n);
/* sha256 of "s" as 64 hex characters into "out" (65 bytes). */
void sha256_hex(const char *s, char out[65]);
/* A readable random password (16 characters) into "out" (17 bytes), one that
 * password_rule_check() accepts for "username" (NULL: any account). */
void password_generate(char out[17], const char *username);

#endif
