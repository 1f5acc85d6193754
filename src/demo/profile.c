/*
 * profile: the demo branches' monthly intensities (see profile.h), computed once from a
 * small table of traits: a base level and a two-year trend for each side, how strongly
 * each follows the shared seasonal rhythm (party life peaks around 七一 and at the year's
 * end; business work at each quarter's end), and how much of a common monthly shock both
 * sides share (positive: they move together; negative: against each other).
 */
#include "demo/profile.h"

#include <pthread.h>
#include <string.h>

#include "demo/demo.h"
#include "domain/resource.h"
#include "store/store.h"

static const struct trait {
    const char *key, *branch;
    double party, party_trend, business, business_trend;
    double shared; /* weight of the common shock on business (party always takes it with +1) */
    bool gaps;
    double steady; /* demo_profile.steady */
    bool perfect;  /* demo_profile.perfect_attendance */
} traits[] = {
    {"CITY1", "通辽市人民检察院第一党支部", 0.85, 0.05, 0.55, 0.05, 0.0, false, 0.0, false},
    {"CITY2", "通辽市人民检察院第二党支部", 0.62, 0.05, 0.88, 0.04, 0.2, false, 0.0, false},
    {"CITY3", "通辽市人民检察院第三党支部", 0.60, 0.00, 0.60, 0.03, 0.0, false, 0.0, false},
    {"KEQ1", "科尔沁区人民检察院第一党支部", 0.55, 0.04, 0.50, 0.02, 0.0, false, 0.0, false},
    {"KEQ2", "科尔沁区人民检察院第二党支部", 0.58, 0.02, 0.64, 0.03, 0.0, false, 0.0, false},
    {"KEQ3", "科尔沁区人民检察院第三党支部", 0.72, 0.06, 0.74, 0.06, 1.0, false, 0.8, false},
    {"HLGL", "霍林郭勒市人民检察院党支部", 0.50, 0.35, 0.50, 0.35, 1.0, false, 0.5, false},
    {"KL1", "开鲁县人民检察院第一党支部", 0.50, 0.02, 0.55, 0.00, 0.0, false, 0.0, false},
    {"KL2", "开鲁县人民检察院第二党支部", 0.35, 0.00, 0.60, 0.02, 0.0, true, 0.0, false},
    {"KZZ", "科尔沁左翼中旗人民检察院党支部", 0.70, 0.05, 0.80, 0.06, 0.3, false, 0.0, false},
    {"KZH", "科尔沁左翼后旗人民检察院党支部", 0.55, 0.03, 0.60, 0.02, 0.0, false, 0.0, false},
    {"KUL", "库伦旗人民检察院党支部", 0.60, 0.00, 0.50, 0.04, 0.0, false, 0.0, true},
    {"NM1", "奈曼旗人民检察院第一党支部", 0.55, 0.00, 0.55, 0.00, -1.0, false, 0.0, false},
    {"NM2", "奈曼旗人民检察院第二党支部", 0.50, 0.02, 0.50, 0.02, 0.0, false, 0.0, false},
    {"ZLT", "扎鲁特旗人民检察院党支部", 0.75, 0.05, 0.75, 0.05, 0.4, false, 0.0, false},
};
#ifndef SWING
#define SWING 0.9
#endif
#define NTRAITS (sizeof traits / sizeof traits[0])

static struct demo_profile profiles[NTRAITS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

double demo_noise(uint32_t seed, uint32_t n)
{
    /* a 32-bit integer hash (xorshift-multiply) of the pair */
    uint32_t h = seed * 0x9e3779b9u ^ (n + 0x7f4a7c15u);
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return (double)h / 4294967296.0;
}

double demo_draw(const struct demo_profile *p, uint32_t seed, uint32_t n)
{
    double v = demo_noise(seed, n);
    return p ? 0.5 + (v - 0.5) * (1 - p->steady) : v;
}

static double clamp01(double v)
{
    return v < 0.05 ? 0.05 : v > 1.0 ? 1.0 : v;
}

static void build(void)
{
    for (size_t i = 0; i < NTRAITS; i++) {
        const struct trait *t = &traits[i];
        struct demo_profile *p = &profiles[i];
        p->key = t->key;
        p->branch_name = t->branch;
        p->life_gaps = t->gaps;
        p->steady = t->steady;
        p->perfect_attendance = t->perfect;
        for (int m = 0; m < DEMO_MONTHS; m++) {
            int month = m % 12 + 1;
            double f = m / (double)(DEMO_MONTHS - 1);
            /* party life: 七一 and the year's end (民主生活会, 述职) */
            double ps = month == 6 || month == 7 ? 0.10 : month == 12 ? 0.08 : month == 2 ? -0.10 : 0.0;
            /* business: quarter ends busier, 春节 month quieter */
            double bs = month % 3 == 0 ? 0.06 : month == 2 ? -0.12 : 0.0;
            /* the common shock: what moves both where a branch's two move together; the more
             * they share it, the wider it swings and the less each side moves on its own */
            double tie = t->shared < 0 ? -t->shared : t->shared;
            double shock = (demo_noise((uint32_t)i * 7 + 1, (uint32_t)m) - 0.5) * (0.5 + SWING * tie);
            double own_p = (demo_noise((uint32_t)i * 7 + 2, (uint32_t)m) - 0.5) * 0.16 * (1 - 0.7 * tie);
            double own_b = (demo_noise((uint32_t)i * 7 + 3, (uint32_t)m) - 0.5) * 0.16 * (1 - 0.7 * tie);
            double sp = t->shared != 0.0 ? shock : 0.0;
            p->party[m] = clamp01(t->party + t->party_trend * f + ps + sp + own_p);
            p->business[m] = clamp01(t->business + t->business_trend * f + bs + t->shared * shock + own_b);
        }
    }
}

/* The profile whose key (by_name false) or branch name is "s", or NULL. */
static const struct demo_profile *find(bool by_name, const char *s)
{
    pthread_once(&once, build);
    for (size_t i = 0; i < NTRAITS; i++)
        if (!strcmp(by_name ? profiles[i].branch_name : profiles[i].key, s))
            return &profiles[i];
    return NULL;
}

const struct demo_profile *demo_profile_by_key(const char *key)
{
    return find(false, key);
}

const struct demo_profile *demo_profile_by_name(const char *name)
{
    return find(true, name);
}

const struct demo_profile *demo_profile(struct demo *d, int64_t branch_id)
{
    store_stmt *st = store_prepare(demo_ctx(d)->c, "SELECT name FROM branches WHERE id = ?");
    store_bind_int(st, 1, branch_id);
    const struct demo_profile *found = NULL;
    if (store_step(st, NULL) == STORE_ROW && store_col_text(st, 0))
        found = find(true, store_col_text(st, 0));
    store_done(st);
    return found;
}
