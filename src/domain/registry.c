/* The collections the API serves, by URL name: the domain's own, then those the layers
 * above register at startup (jobs: jobs_register()). */
#include <string.h>

#include "domain/attachment.h"
#include "domain/brand.h"
#include "domain/cases.h"
#include "domain/evaluation.h"
#include "domain/joint.h"
#include "domain/member.h"
#include "domain/org.h"
#include "domain/partylife.h"
#include "domain/pil.h"
#include "domain/resource.h"
#include "domain/service.h"
#include "domain/user.h"

const struct resource *res_all[RES_MAX_COLLECTIONS + 1] = {
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
    &res_member_terms,
    &res_activities,
    &res_attendance,
    &res_activity_items,
    &res_life_rules,
    /* joint.h */
    &res_sync_pairs,
    &res_element_checks,
    &res_element_evidence,
    &res_projects,
    &res_project_parties,
    &res_project_activities,
    &res_project_outcomes,
    &res_pairings,
    &res_pairing_progress,
    &res_guidance,
    /* cases.h */
    &res_cases,
    &res_case_members,
    &res_case_reviews,
    /* pil.h */
    &res_pil_matters,
    &res_patrols,
    &res_outreach,
    /* attachment.h */
    &res_attachments,
    /* service.h */
    &res_holidays,
    &res_requests,
    &res_request_replies,
    /* evaluation.h */
    &res_eval_schemes,
    &res_eval_manual_values,
    NULL,
};

int res_register(const struct resource *r, struct rerr *err)
{
    int n = 0;
    for (; res_all[n]; n++)
        if (res_all[n] == r)
            return 0;
    if (n == RES_MAX_COLLECTIONS)
        return rerr_set(err, R_EINTERNAL, "internal", "", "集合过多（最多 %d 个），无法登记 %s",
                        RES_MAX_COLLECTIONS, r->name);
    res_all[n] = r;
    return 0;
}

const struct resource *res_find(const char *name)
{
    for (int i = 0; res_all[i]; i++)
        if (!strcmp(res_all[i]->name, name))
            return res_all[i];
    return NULL;
}
