/*
 * measures_terms.c: the branch a member belonged to on a day, for the grid (measures.c),
 * read once from member_terms and members and answered in C: the case measures ask it
 * for every member of every team, which as a correlated subquery (MEMBER_BRANCH) cost
 * more than the rest of their query.
 *
 * The rule is MEMBER_BRANCH's, exactly: of the member's terms with from_date <= day and
 * (to_date NULL or to_date > day), the one with the latest from_date (the highest id among
 * equal ones); with none, the member's branch now; with no such member (or no branch),
 * none. Days compare as SQLite compares text (byte by byte, then by length), which is
 * strcmp's order for text without NUL bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "domain/measures_internal.h"

struct term {
    const char *from, *to; /* to: NULL while open */
    int64_t branch;
};

struct who {
    int64_t id, branch; /* branch: 0 when none */
    int first, n;       /* their terms: terms[first .. first + n), latest from_date first */
};

struct member_branches {
    struct who *members; /* ascending id */
    int nmembers;
    int *slot; /* [id - members[0].id]: the index of member id, or -1; NULL: ids too sparse */
    struct term *terms;
    char *text; /* the days, NUL-separated, that terms[] point into */
};

static void *grow(void *p, size_t n, size_t size)
{
    void *q = realloc(p, n * size);
    if (!q)
        die("内存不足");
    return q;
}

int member_branches_load(store_conn *c, struct member_branches **out, struct rerr *err)
{
    *out = NULL;
    struct member_branches *mb = calloc(1, sizeof *mb);
    if (!mb)
        die("内存不足");
    size_t cap = 0, tcap = 0, ntext = 0, textcap = 0;
    int nterms = 0;
    size_t *from_at = NULL, *to_at = NULL; /* offsets into text until it stops growing */
    store_stmt *st = store_prepare(c, "SELECT id, coalesce(branch_id, 0) FROM members ORDER BY id");
    int rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if ((size_t)mb->nmembers == cap) {
            cap = cap ? cap * 2 : 1024;
            mb->members = grow(mb->members, cap, sizeof *mb->members);
        }
        mb->members[mb->nmembers++] =
            (struct who){.id = store_col_int(st, 0), .branch = store_col_int(st, 1), .first = 0, .n = 0};
    }
    store_done(st);
    if (rc >= 0) {
        /* a member's terms together, in the order MEMBER_BRANCH tries them */
        st = store_prepare(c, "SELECT member_id, from_date, to_date, branch_id FROM member_terms"
                              " ORDER BY member_id, from_date DESC, id DESC");
        int at = 0;
        while ((rc = store_step(st, err)) == STORE_ROW) {
            int64_t member = store_col_int(st, 0);
            while (at < mb->nmembers && mb->members[at].id < member)
                at++;
            if (at == mb->nmembers || mb->members[at].id != member)
                continue; /* no such member: MEMBER_BRANCH never asks for one */
            if ((size_t)nterms == tcap) {
                tcap = tcap ? tcap * 2 : 1024;
                mb->terms = grow(mb->terms, tcap, sizeof *mb->terms);
                from_at = grow(from_at, tcap, sizeof *from_at);
                to_at = grow(to_at, tcap, sizeof *to_at);
            }
            if (!mb->members[at].n)
                mb->members[at].first = nterms;
            mb->members[at].n++;
            const char *parts[2] = {store_col_text(st, 1), store_col_text(st, 2)};
            size_t *offs[2] = {&from_at[nterms], &to_at[nterms]};
            for (int i = 0; i < 2; i++) {
                if (!parts[i]) {
                    *offs[i] = (size_t)-1;
                    continue;
                }
                size_t len = strlen(parts[i]) + 1;
                if (ntext + len > textcap) {
                    textcap = (ntext + len) * 2;
                    mb->text = grow(mb->text, textcap, 1);
                }
                memcpy(mb->text + ntext, parts[i], len);
                *offs[i] = ntext;
                ntext += len;
            }
            mb->terms[nterms++].branch = store_col_int(st, 3);
        }
        store_done(st);
    }
    for (int i = 0; i < nterms; i++) {
        /* from_date is NOT NULL; an absent one would match no day, as in SQL */
        mb->terms[i].from = from_at[i] == (size_t)-1 ? NULL : mb->text + from_at[i];
        mb->terms[i].to = to_at[i] == (size_t)-1 ? NULL : mb->text + to_at[i];
    }
    free(from_at);
    free(to_at);
    int64_t first = mb->nmembers ? mb->members[0].id : 0,
            last = mb->nmembers ? mb->members[mb->nmembers - 1].id : 0;
    if (mb->nmembers && last - first < 4 * (int64_t)mb->nmembers + 64) {
        size_t span = (size_t)(last - first) + 1;
        mb->slot = malloc(span * sizeof *mb->slot);
        if (!mb->slot)
            die("内存不足");
        for (size_t i = 0; i < span; i++)
            mb->slot[i] = -1;
        for (int i = 0; i < mb->nmembers; i++)
            mb->slot[mb->members[i].id - first] = i;
    }
    if (rc < 0) {
        member_branches_free(mb);
        return rc;
    }
    *out = mb;
    return 0;
}

/* The branch of members[at] on "day". */
static int64_t branch_of(const struct member_branches *mb, int at, const char *day)
{
    const struct who *w = &mb->members[at];
    if (!day) /* a comparison with NULL holds of no term */
        return w->branch;
    for (int i = w->first; i < w->first + w->n; i++) {
        const struct term *t = &mb->terms[i];
        if (t->from && strcmp(t->from, day) <= 0 && (!t->to || strcmp(t->to, day) > 0))
            return t->branch;
    }
    return w->branch;
}

int64_t member_branch_on(const struct member_branches *mb, int64_t member, const char *day)
{
    if (mb->slot) {
        int64_t at = member - mb->members[0].id;
        if (at < 0 || at > mb->members[mb->nmembers - 1].id - mb->members[0].id || mb->slot[at] < 0)
            return 0;
        return branch_of(mb, mb->slot[at], day);
    }
    int lo = 0, hi = mb->nmembers - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        const struct who *w = &mb->members[mid];
        if (w->id < member) {
            lo = mid + 1;
        } else if (w->id > member) {
            hi = mid - 1;
        } else {
            return branch_of(mb, mid, day);
        }
    }
    return 0;
}

void member_branches_free(struct member_branches *mb)
{
    if (!mb)
        return;
    free(mb->members);
    free(mb->slot);
    free(mb->terms);
    free(mb->text);
    free(mb);
}
