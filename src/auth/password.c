#include "auth/password.h"

#include <semaphore.h>
#include <sodium.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"

/* OWASP's Argon2id minimum: 19 MiB, 2 passes. */
#define PW_OPS 2
#define PW_MEM (19u * 1024 * 1024)

static sem_t hashing;

void password_init(void)
{
    if (sodium_init() < 0)
        die("libsodium 初始化失败");
    sem_init(&hashing, 0, 2);
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
    CHECK(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX);
    sem_wait(&hashing);
    int rc = crypto_pwhash_str(out, pw, strlen(pw), PW_OPS, PW_MEM);
    sem_post(&hashing);
    return rc == 0 ? 0 : R_EINTERNAL;
}

bool password_verify(const char *hash, const char *pw)
{
    sem_wait(&hashing);
    int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
    sem_post(&hashing);
    return rc == 0;
}

int password_rule_check(const char *pw, const char *username, struct rerr *err)
{
    (void)username;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
        n += (*p & 0xc0) != 0x80;
    if (n < PASSWORD_MIN_LEN)
        return rerr_set(err, R_EINVAL, "invalid_value", "password", "密码至少 %d 个字符", PASSWORD_MIN_LEN);
    return 0;
}

void token_hex(char *out, size_t n)
{
    unsigned char buf[64];
    CHECK(n <= sizeof buf);
    randombytes_buf(buf, n);
    sodium_bin2hex(out, 2 * n + 1, buf, n);
}

void sha256_hex(const char *s, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, 65, d, sizeof d);
}

void password_generate(char out[17])
{
    /* No 0/O, 1/l/I: it will be read off a screen and typed. */
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 16; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[16] = 0;
}
