/*
 * actor: who is doing something, and the data scope that follows from it.
 *
 * Roles: admin writes inside its scope; viewer only reads; secretary writes only the
 * records of its own branch. Scope: a user of the city procuratorate (level 1) sees both
 * levels (scope_all); a county user sees its own procuratorate. ACTOR_SYSTEM is the
 * command line (init, demo, user add): trusted, scope_all.
 */
#ifndef RONGHE_ACTOR_H
#define RONGHE_ACTOR_H

#include <stdbool.h>
#include <stdint.h>

enum role { ROLE_NONE = 0, ROLE_ADMIN, ROLE_VIEWER, ROLE_SECRETARY, ROLE_SYSTEM };

struct actor {
    int64_t user_id; /* 0 for the system */
    char username[64];
    enum role role;
    int64_t procuratorate_id;
    int64_t branch_id; /* secretaries only; else 0 */
    bool scope_all;    /* city-level user or system */
};

const char *role_name(enum role r);
enum role role_parse(const char *s); /* ROLE_NONE if unknown */

/* The command line's actor. */
void actor_system(struct actor *a);

#endif
