/* proxy: trusted reverse proxies and X-Forwarded-For (see proxy.h). */
#include "http/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct net {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int bits;
};

static struct net trusted[PROXY_MAX];
static int n_trusted;

/* Parse address text "s" into "family"/"addr" (IPv4-mapped IPv6 becomes IPv4). */
static bool parse_ip(const char *s, int *family, unsigned char addr[16])
{
    struct in6_addr a6;
    if (inet_pton(AF_INET, s, addr) == 1) {
        *family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, s, &a6) != 1)
        return false;
    if (IN6_IS_ADDR_V4MAPPED(&a6)) {
        *family = AF_INET;
        memcpy(addr, a6.s6_addr + 12, 4);
    } else {
        *family = AF_INET6;
        memcpy(addr, a6.s6_addr, 16);
    }
    return true;
}

static bool in_net(const struct net *n, int family, const unsigned char *addr)
{
    if (n->family != family)
        return false;
    int whole = n->bits / 8, rest = n->bits % 8;
    if (memcmp(n->addr, addr, (size_t)whole) != 0)
        return false;
    if (!rest)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (n->addr[whole] & mask) == (addr[whole] & mask);
}

static bool trusted_ip(int family, const unsigned char *addr)
{
    for (int i = 0; i < n_trusted; i++)
        if (in_net(&trusted[i], family, addr))
            return true;
    return false;
}

int proxy_trust(const char *list, struct rerr *err)
{
    struct net nets[PROXY_MAX];
    int n = 0;
    for (const char *p = list ? list : ""; *p;) {
        size_t len = strcspn(p, ",");
        char entry[64];
        const char *s = p;
        size_t l = len;
        while (l && (*s == ' ' || *s == '\t'))
            s++, l--;
        while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
            l--;
        if (!l || l >= sizeof entry)
            return rerr_set(err, R_EINVAL, "bad_trusted_proxy", "trusted-proxy",
                            "可信代理列表中有空项或过长的项（应为逗号分隔的 IP 地址或 CIDR，如 10.0.0.0/8）");
        memcpy(entry, s, l);
        entry[l] = 0;
        char shown[64]; /* the entry as given, for messages */
        memcpy(shown, entry, l + 1);
        if (n == PROXY_MAX)
            return rerr_set(err, R_EINVAL, "bad_trusted_proxy", "trusted-proxy", "可信代理最多 %d 项",
                            PROXY_MAX);
        struct net *net = &nets[n];
        char *slash = strchr(entry, '/');
        long bits = -1;
        if (slash) {
            *slash = 0;
            size_t digits = strspn(slash + 1, "0123456789");
            bits = digits && digits <= 3 && !slash[1 + digits] ? strtol(slash + 1, NULL, 10) : 999;
        }
        if (!parse_ip(entry, &net->family, net->addr))
            return rerr_set(err, R_EINVAL, "bad_trusted_proxy", "trusted-proxy",
                            "可信代理“%s”不是 IP 地址（应为 IP 地址或 CIDR，如 10.0.0.0/8）", shown);
        int max = net->family == AF_INET ? 32 : 128;
        if (bits > max)
            return rerr_set(err, R_EINVAL, "bad_trusted_proxy", "trusted-proxy",
                            "可信代理“%s”的前缀长度无效（IPv4 为 0–32，IPv6 为 0–128）", shown);
        net->bits = bits < 0 ? max : (int)bits;
        n++;
        p += len;
        if (*p == ',' && !p[1])
            return rerr_set(err, R_EINVAL, "bad_trusted_proxy", "trusted-proxy",
                            "可信代理列表不能以逗号结尾");
        if (*p == ',')
            p++;
    }
    memcpy(trusted, nets, sizeof nets);
    n_trusted = n;
    return 0;
}

bool proxy_trusted(const char *address)
{
    int family;
    unsigned char addr[16];
    return n_trusted && parse_ip(address, &family, addr) && trusted_ip(family, addr);
}

/* One hop "s" (length "n", maybe padded, maybe with a port: 1.2.3.4:80, [::1]:80) as
 * canonical text into "out"; false when it is not an IP address. Sets "is_trusted". */
static bool hop(const char *s, size_t n, char out[64], bool *is_trusted)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char buf[64];
    if (!n || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *ip = buf;
    if (buf[0] == '[') { /* [IPv6] or [IPv6]:port */
        char *close = strchr(buf, ']');
        if (!close || (close[1] && (close[1] != ':' || !close[2] ||
                                    strspn(close + 2, "0123456789") != strlen(close + 2))))
            return false;
        *close = 0;
        ip = buf + 1;
    } else {
        char *colon = strchr(buf, ':');
        if (colon && !strchr(colon + 1, ':')) { /* one colon: IPv4:port */
            if (!colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
                return false;
            *colon = 0;
        }
    }
    int family;
    unsigned char addr[16];
    if (!parse_ip(ip, &family, addr) || !inet_ntop(family, addr, out, 64))
        return false;
    *is_trusted = trusted_ip(family, addr);
    return true;
}

void proxy_client(const char *peer, const char *const *xff, int n, char out[64])
{
    snprintf(out, 64, "%s", peer);
    if (!proxy_trusted(peer))
        return;
    int hops = 0;
    for (int h = n - 1; h >= 0; h--) {
        const char *v = xff[h] ? xff[h] : "";
        size_t end = strlen(v);
        for (;;) {
            size_t start = end;
            while (start > 0 && v[start - 1] != ',')
                start--;
            char address[64];
            bool is_trusted;
            if (++hops > PROXY_MAX_HOPS || !hop(v + start, end - start, address, &is_trusted))
                return; /* the last trusted hop, already in "out" */
            memcpy(out, address, 64);
            if (!is_trusted)
                return;
            if (start == 0)
                break;
            end = start - 1;
        }
    }
}

struct forwarded {
    const char *v[16]; /* the last 16 X-Forwarded-For headers */
    int n;
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct forwarded *f = cls;
    if (strcasecmp(key, "X-Forwarded-For") != 0)
        return MHD_YES;
    if (f->n == 16) {
        memmove(f->v, f->v + 1, sizeof f->v[0] * 15);
        f->n--;
    }
    f->v[f->n++] = value ? value : "";
    return MHD_YES;
}

bool proxy_request_address(struct MHD_Connection *conn, char address[64])
{
    if (!n_trusted || !proxy_trusted(address))
        return false;
    struct forwarded f = {.n = 0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect, &f);
    char client[64];
    proxy_client(address, f.v, f.n, client);
    memcpy(address, client, 64);
    return true;
}
