#include "auth/password.h"

#include <ctype.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "base/log.h"
#include "base/text.h"

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

/* ------------------------------------------------------------------ the rule */

extern const char ronghe_common_passwords[]; /* common-passwords.txt, embedded */

/* The code point at "*p" (well-formed UTF-8), advancing "*p" past it. */
static uint32_t next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t cp;
    int n;
    if (s[0] < 0x80)
        cp = s[0], n = 0;
    else if ((s[0] & 0xe0) == 0xc0)
        cp = s[0] & 0x1f, n = 1;
    else if ((s[0] & 0xf0) == 0xe0)
        cp = s[0] & 0x0f, n = 2;
    else
        cp = s[0] & 0x07, n = 3;
    for (int i = 1; i <= n; i++)
        cp = (cp << 6) | (s[i] & 0x3f);
    *p = s + n + 1;
    return cp;
}

static bool is_space(uint32_t cp)
{
    return cp == 0x20 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* True when "pw", its ASCII letters lowered, is a line of the common-password list. */
static bool is_common(const char *pw)
{
    char low[PASSWORD_MAX_BYTES + 1];
    size_t n = strlen(pw);
    CHECK(n < sizeof low); /* callers check the maximum first */
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)tolower((unsigned char)pw[i]);
    for (const char *line = ronghe_common_passwords; *line;) {
        size_t len = strcspn(line, "\n");
        if (line[0] != '#' && len == n && !memcmp(line, low, n))
            return true;
        line += len + (line[len] == '\n');
    }
    return false;
}

bool password_fits(const char *pw)
{
    return strlen(pw) <= PASSWORD_MAX_BYTES && text_utf8_len(pw) <= PASSWORD_MAX_LEN;
}

static int weak(struct rerr *err, const char *msg)
{
    return rerr_set(err, R_EINVAL, "weak_password", "password", "%s", msg);
}

int password_rule_check(const char *pw, const char *username, struct rerr *err)
{
    if (!password_fits(pw))
        return rerr_set(err, R_EINVAL, "too_long", "password", "密码最多 %d 个字符（不超过 %d 字节）",
                        PASSWORD_MAX_LEN, PASSWORD_MAX_BYTES);
    if (!text_utf8_ok(pw))
        return rerr_set(err, R_EINVAL, "invalid_value", "password", "密码含有控制字符或无效的 UTF-8 编码");
    size_t chars = 0, spaces = 0, same = 0;
    uint32_t first = 0;
    bool upper = false, lower = false, digit = false, other = false;
    for (const unsigned char *p = (const unsigned char *)pw; *p;) {
        uint32_t cp = next_cp(&p);
        if (is_control(cp))
            return rerr_set(err, R_EINVAL, "invalid_value", "password", "密码不能包含换行、制表符等控制字符");
        if (chars++ == 0)
            first = cp;
        same += cp == first;
        spaces += is_space(cp);
        if (cp >= 'A' && cp <= 'Z')
            upper = true;
        else if (cp >= 'a' && cp <= 'z')
            lower = true;
        else if (cp >= '0' && cp <= '9')
            digit = true;
        else
            other = true;
    }
    if (chars < PASSWORD_MIN_LEN)
        return rerr_set(err, R_EINVAL, "weak_password", "password", "密码至少 %d 个字符", PASSWORD_MIN_LEN);
    if (spaces == chars)
        return weak(err, "密码不能全是空格或其他空白字符");
    if (same == chars)
        return weak(err, "密码不能由同一个字符重复组成");
    if (username && strlen(username) >= PASSWORD_USERNAME_MIN && strcasestr(pw, username))
        return weak(err, "密码不能包含用户名（不区分大小写）");
    if (is_common(pw))
        return weak(err, "这是常见的弱密码，很容易被猜中，请换一个");
    if (upper + lower + digit + other < 3)
        return weak(err, "密码须包含大写字母、小写字母、数字、其他符号这四类中的至少三类");
    return 0;
}

/* ------------------------------------------------------------------ hashing */

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

void password_generate(char out[17], const char *username)
{
    /* No 0/O, 1/l/I: it will be read off a screen and typed. Upper, lower and digits:
     * a draw that misses a class (about 1 in 30) is drawn again. */
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int tries = 0;; tries++) {
        CHECK(tries < 1000);
        for (int i = 0; i < 16; i++)
            out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
        out[16] = 0;
        if (password_rule_check(out, username, NULL) == 0)
            return;
    }
}
