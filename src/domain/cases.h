/*
 * cases: the business ledger's cases (案件), each case's handling team (一案一专班:
 * party members, staff who are not, outside units) and its 三必评 reviews.
 *
 * A case belongs to a procuratorate; its stages are dated in a fixed order, of which
 * each type uses its own list (case_stages_of). The team's party composition — how many
 * party members, how many 员额检察官, whether a party member leads it — is counted from
 * the team whenever the case is read; nothing about it is ever stored or accepted.
 */
#ifndef RONGHE_CASES_H
#define RONGHE_CASES_H

#include <stdbool.h>

struct resource;
extern const struct resource res_cases, res_case_members, res_case_reviews;

/* The stage date columns in their order: received_on (受理), decided_on (审查决定),
 * filed_on (起诉/提起诉讼/抗诉), judged_on (法院裁判), closed_on (办结). */
#define CASE_NSTAGES 5
extern const char *const case_stage_fields[CASE_NSTAGES];
/* The stages' generic names (the ?stage= values): 受理, 审查决定, 起诉, 裁判, 办结. */
extern const char *const case_stage_names[CASE_NSTAGES];

/* The stages case type "type" goes through, as labels for that type: labels[i] is the
 * label of case_stage_fields[i], or NULL when that type has no such stage (审查逮捕 has
 * no 起诉 or 裁判). NULL for an unknown type. */
const char *const *case_stages_of(const char *type);

/* Whether a case handled in "language" (汉语, 蒙古语, 双语) needs an interpreter for a
 * party who uses "party_language" (汉语, 蒙古语, 双语, 其他; NULL: not recorded): when
 * the party does not use the handling language — a Mongolian-speaking party in a case
 * handled in 汉语 or the other way round, or a party of another language. A case
 * handled bilingually needs none for a 汉语 or 蒙古语 party, nor does a bilingual party. */
bool case_needs_interpreter(const char *language, const char *party_language);

#endif
