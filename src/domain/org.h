/*
 * org: procuratorates, departments, branches (基层党组织) and party groups (党小组).
 */
#ifndef RONGHE_ORG_H
#define RONGHE_ORG_H

#include <jansson.h>

#include "base/err.h"

struct resource;
struct res_ctx;

extern const struct resource res_procuratorates, res_branches, res_departments, res_party_groups;

/* The whole organisation as a tree: city procuratorate → its departments, branches
 * (→ party groups) and county procuratorates (children), each alike. */
int org_tree(struct res_ctx *x, json_t **out, struct rerr *err);

#endif
