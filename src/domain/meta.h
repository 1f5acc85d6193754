/*
 * meta: every collection described for a client (GET /api/v1/_meta), from the same
 * descriptors that validate writes (resource.h), so that the web interface never keeps
 * a limit, an enumeration or a permission of its own.
 *
 * {"collections":[{"name", "label", "default_sort",
 *    "may": {"read", "create", "update", "delete", "export"}   for the actor, from authz
 *    "fields": [{"name", "label", "kind", "required", "write", "notnull", "filter",
 *                "sort", "search", "future", "max_len", "min", "max", "values", "ref",
 *                "required_if"}]}]}
 *
 * kind is one of int text date bool enum ref json; max_len (code points) is given for
 * writable text and date fields, min and max for integers with bounds, values for
 * enumerations, ref (the referenced collection's URL name) for references. A field
 * required only in some cases (resource.required_if) has "required_if": {"field",
 * "value"} (required while that field has that value), or "required": "create" (on
 * create only) instead of a boolean. Hidden fields and secret ones that cannot be
 * written are not listed. docs/api.md has the whole contract.
 */
#ifndef RONGHE_META_H
#define RONGHE_META_H

#include <jansson.h>

#include "auth/actor.h"
#include "domain/resource.h"

/* One collection as the contract above describes it, for "who". NULL only when out of
 * memory. */
json_t *meta_collection(const struct actor *who, const struct resource *r);

/* {"collections": [...]} for every collection in res_all, in that order. */
int meta_json(const struct actor *who, json_t **out, struct rerr *err);

#endif
