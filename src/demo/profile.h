/*
 * profile: how busy each demo branch is, month by month, in party life and in business
 * work over the demo's two years (2024-01 .. 2025-12), so that the generated ledgers
 * differ between branches the way real ones do (示例: the article states none of these
 * numbers) and the evaluation has something real to measure:
 *   CITY1  strong in party life (“九联”工作法), business average
 *   CITY2  strong in business (刑事检察), party life average
 *   KEQ3   strong in both, moving together; its 12309 record earns “0差评” honestly
 *   HLGL   the two rise and fall together month by month, rising over the two years
 *   NM1    the two do not move together (one up when the other is down)
 *   KL2    gaps in 三会一课 (life_gaps)
 *   KUL    every member present at every branch meeting of 2025, attendance recorded at
 *          each (perfect_attendance): the 全勤异常 signal a reviewer should look at
 *   KZZ    public-interest litigation (文物, 草原) strong
 *   ZLT    bilingual cases and mobile outreach
 * The others are middling with noise. Deterministic: the same numbers on every run,
 * whatever order the generators ask in.
 */
#ifndef RONGHE_DEMO_PROFILE_H
#define RONGHE_DEMO_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

struct demo;

/* The demo's ledgers span these months: m = 0 is 2024-01, m = 23 is 2025-12. */
#define DEMO_FIRST_YEAR 2024
#define DEMO_MONTHS 24

struct demo_profile {
    const char *key;              /* "CITY1" … "ZLT" */
    const char *branch_name;      /* the demo branch it describes */
    double party[DEMO_MONTHS];    /* 0..1: how much party life the month holds */
    double business[DEMO_MONTHS]; /* 0..1: how much business work */
    bool life_gaps;               /* 三会一课 has gaps (a 支委会 or 党课 skipped now and then) */
    double steady;                /* 0..1: how far the month's own draws are damped (demo_draw) */
    bool perfect_attendance;      /* 2025: attendance taken at every branch meeting, all present */
};

/* The profile of demo branch "branch_id" (looked up by its name), or NULL for a branch
 * that is not one of the demo's fifteen. */
const struct demo_profile *demo_profile(struct demo *d, int64_t branch_id);

/* The profile by key ("KEQ3"), or NULL. */
const struct demo_profile *demo_profile_by_key(const char *key);
/* The profile of the demo branch named "name", or NULL. */
const struct demo_profile *demo_profile_by_name(const char *name);

/* A deterministic number in [0, 1) from "seed" and "n": noise that does not depend on
 * the order in which the generators run. */
double demo_noise(uint32_t seed, uint32_t n);

/* demo_noise drawn for a month of branch profile "p" (NULL: undamped): pulled towards 0.5
 * by p->steady, so that a steady branch's records follow its intensities closely and its
 * two ledgers visibly move together. */
double demo_draw(const struct demo_profile *p, uint32_t seed, uint32_t n);

#endif
