/*
 * user: accounts (role, procuratorate, branch); audit_log.c: the read-only audit collection.
 */
#ifndef RONGHE_USER_H
#define RONGHE_USER_H

struct resource;
extern const struct resource res_users, res_audit;

#endif
