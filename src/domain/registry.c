/* The collections the API serves, by URL name. */
#include <string.h>

#include "domain/brand.h"
#include "domain/member.h"
#include "domain/org.h"
#include "domain/resource.h"
#include "domain/user.h"
#include "jobs/jobs.h"

const struct resource *const res_all[] = {
    &res_procuratorates,
    &res_departments,
    &res_branches,
    &res_party_groups,
    &res_members,
    &res_brands,
    &res_methods,
    &res_method_elements,
    &res_honours,
    &res_users,
    &res_audit,
    &res_jobs,
    NULL,
};

const struct resource *res_find(const char *name)
{
    for (int i = 0; res_all[i]; i++)
        if (!strcmp(res_all[i]->name, name))
            return res_all[i];
    return NULL;
}
