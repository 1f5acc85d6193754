/*
 * proxy: the client's address when requests come through reverse proxies.
 *
 * With no trusted proxy configured (the default) a request's address is its peer's and
 * X-Forwarded-For is ignored, from everyone. With proxy_trust("127.0.0.1,10.0.0.0/8"), a
 * request whose peer is one of those has its X-Forwarded-For read from the right (the
 * last header first, each header's last hop first): a hop that is a trusted proxy is
 * passed over, and the first one that is not is the client. Whatever lies left of it was
 * written by the client and is never believed. A hop that is not an IP address ends the
 * walk: the client is then the last trusted hop. The result is canonical text
 * (inet_ntop; IPv4-mapped IPv6 as IPv4), so one address has one spelling.
 */
#ifndef RONGHE_PROXY_H
#define RONGHE_PROXY_H

#include <microhttpd.h>
#include <stdbool.h>

#include "base/err.h"

#define PROXY_MAX 64      /* entries in the trusted list */
#define PROXY_MAX_HOPS 32 /* X-Forwarded-For hops looked at */

/* Trust the comma-separated "list" of addresses and CIDR blocks (IPv4 or IPv6; NULL or ""
 * trusts none), replacing any list before. R_EINVAL with a Chinese message naming the
 * bad entry. Call before serving: the list is read without a lock. */
int proxy_trust(const char *list, struct rerr *err);

/* Is "address" (text) in the trusted list? */
bool proxy_trusted(const char *address);

/* The client behind peer "peer", given the "n" X-Forwarded-For header values "xff" in
 * the order received, into "out" (64 bytes). */
void proxy_client(const char *peer, const char *const *xff, int n, char out[64]);

/* Replace "address" (64 bytes; in: the peer's, out: the client's) by proxy_client() over
 * the request's X-Forwarded-For headers. Returns whether the peer is a trusted proxy (so
 * that other forwarded headers of the request may be believed too). Does nothing and
 * returns false when no proxy is trusted. */
bool proxy_request_address(struct MHD_Connection *conn, char address[64]);

#endif
