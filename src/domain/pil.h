/*
 * pil: public-interest litigation (公益诉讼) matters, the patrols (党员突击队 常态化巡查)
 * that raise them, and legal outreach (普法宣传, 公益法律顾问团).
 *
 * A matter's stages are dates in order — 线索 (clue_on) → 立案 (filed_on) → 诉前检察建议
 * (recommended_on) → 整改 (rectified_on) or 起诉 (sued_on) → 回访 (revisited_on) — none
 * before the one it follows, none without it. The administrative organ has two months
 * from the recommendation to reply: reply_due, derived (pil_reply_due), and the list
 * filter ?due=overdue|soon|pending|replied. A patrol's finding becomes a matter in one
 * step (POST /patrols/<id>/lead, pil_lead_in); the matter names its patrol (patrol_id),
 * the patrol answers its matters ("matters").
 *
 * Patrols and outreach name the members who took part (member_ids, a JSON array; every
 * one a member of the record's procuratorate), mirrored by the schema's triggers into
 * patrol_members and outreach_members, which timelines and ?member_id= read.
 */
#ifndef RONGHE_PIL_H
#define RONGHE_PIL_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"

struct resource;
struct res_ctx;
extern const struct resource res_pil_matters, res_patrols, res_outreach;

/* Days before reply_due within which a matter's reply is "soon" due (?due=soon). */
#define PIL_DUE_SOON_DAYS 15

/* The reply deadline of a recommendation issued on "recommended_on" (a valid
 * YYYY-MM-DD): the same day two months later, or that month's last day where it is
 * shorter (12-31 → 02-28, or 02-29 in a leap year). Into "out" (11 bytes). */
void pil_reply_due(const char *recommended_on, char out[11]);

/* Make a public-interest matter from patrol "patrol_id"'s finding inside the caller's
 * transaction: source 巡查, clue_on the patrol's date, the patrol's procuratorate and
 * branch, its findings as the summary, and for a joint patrol the collaboration
 * 党员+行政长官 with the officials' organs as partners. "body" gives "field" (required),
 * and may give "title", "organ", "summary", "sample" and "again" (true: another matter
 * from a patrol that already raised one; without it that is refused, 409 lead_exists).
 * The actor must be allowed to write the patrol and the matter; the matter's creation and
 * a "lead" entry on the patrol are audited. *out: the new matter. */
int pil_lead_in(struct res_ctx *x, int64_t patrol_id, json_t *body, json_t **out, struct rerr *err);

#endif
