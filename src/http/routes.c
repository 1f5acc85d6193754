/* routes: matching a path against the table (see routes.h). */
#include "http/routes.h"

#include <stdbool.h>
#include <string.h>

#include "domain/resource.h"
#include "http/http.h"
#include "store/files.h"

#define BEIJING_OFFSET_S (8 * 3600) /* UTC+8, no summer time */

unsigned route_method(const char *m)
{
    static const struct {
        const char *name;
        unsigned bit;
    } methods[] = {{"GET", RM_GET}, {"HEAD", RM_HEAD},   {"POST", RM_POST},
                   {"PUT", RM_PUT}, {"PATCH", RM_PATCH}, {"DELETE", RM_DELETE}};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (!strcmp(m, methods[i].name))
            return methods[i].bit;
    return 0;
}

int route_split(arena *a, const char *path, const char *seg[ROUTE_MAX_SEGS])
{
    char *copy = arena_strdup(a, path);
    int n = 0;
    for (char *save = NULL, *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (n == ROUTE_MAX_SEGS)
            return -1;
        seg[n++] = t;
    }
    return n;
}

/* Whether "pattern" matches the "nseg" segments "seg". */
static bool match(const char *pattern, const char *const *seg, int nseg)
{
    int i = 0;
    for (const char *p = pattern; *p; i++) {
        p += *p == '/';
        size_t n = strcspn(p, "/");
        if (i == nseg)
            return false;
        if (*p == ':') {
            if (n == 5 && !strncmp(p, ":coll", 5) && !res_find(seg[i]))
                return false;
        } else if (strlen(seg[i]) != n || strncmp(p, seg[i], n) != 0) {
            return false;
        }
        p += n;
    }
    return i == nseg;
}

int route_find(const struct route *table, const char *method, const char *const *seg, int nseg,
               const struct route **out)
{
    unsigned m = route_method(method);
    bool path_known = false;
    for (const struct route *r = table; r->pattern; r++) {
        if (!match(r->pattern, seg, nseg))
            continue;
        if (r->methods & m) {
            *out = r;
            return 0;
        }
        path_known = true;
    }
    return path_known ? R_EMETHOD : R_ENOTFOUND;
}

long route_body_limit(arena *a, const char *method, const char *path, bool *to_file)
{
    if (to_file)
        *to_file = false;
    const char *seg[ROUTE_MAX_SEGS];
    const struct route *r;
    int n = route_split(a, path, seg);
    int rc = n <= 0 ? R_ENOTFOUND : route_find(api_routes, method, seg, n, &r);
    if (rc < 0)
        return rc;
    if (r->flags & ROUTE_FILE_BODY) {
        if (to_file)
            *to_file = true;
        return (long)files_max_bytes();
    }
    return r->flags & ROUTE_BODY ? HTTP_MAX_BODY : r->flags & ROUTE_SMALL_BODY ? ROUTE_SMALL_BODY_MAX : 0;
}

int route_capture(const struct route *r, const char *capture)
{
    size_t cn = strlen(capture);
    int i = 0;
    for (const char *p = r->pattern; *p; i++) {
        p += *p == '/';
        size_t n = strcspn(p, "/");
        if (n == cn && !strncmp(p, capture, n))
            return i;
        p += n;
    }
    return -1;
}

int64_t route_expires(enum route_cache c, time_t now)
{
    if (c != ROUTE_CACHE_TODAY)
        return 0;
    int64_t local = (int64_t)now + BEIJING_OFFSET_S;
    int64_t next_midnight = (local / 86400 + 1) * 86400;
    return next_midnight - BEIJING_OFFSET_S;
}
