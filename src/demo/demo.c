/*
 * demo: runs demo_build() (demo_data.c) through the API's own write path, inside one
 * transaction: the demo appears whole or not at all.
 */
#include "demo/demo.h"

#include <stdio.h>
#include <stdlib.h>

#include "auth/actor.h"
#include "base/arena.h"
#include "base/log.h"
#include "domain/resource.h"
#include "store/store.h"

struct demo {
    struct res_ctx x;
    struct actor who;
    const char *password;
    uint64_t rng;
    int records;
};

int64_t demo_put(struct demo *d, const char *collection, json_t *obj)
{
    const struct resource *r = res_find(collection);
    if (!r)
        BUG("demo: unknown collection");
    if (!obj)
        BUG("demo: NULL object (bad json_pack format?)");
    struct rerr err = {0};
    json_t *out = NULL;
    if (res_create_in(&d->x, r, obj, &out, &err) < 0) {
        char *text = json_dumps(obj, JSON_ENSURE_ASCII);
        die("演示数据错误 (%s): %s [%s %s]\n%s", collection, err.message, err.code, err.field,
            text ? text : "");
    }
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    json_decref(obj);
    d->records++;
    return id;
}

uint32_t demo_rand(struct demo *d, uint32_t n)
{
    CHECK(n > 0);
    /* xorshift64*: small, fast, and the same sequence everywhere. */
    d->rng ^= d->rng >> 12;
    d->rng ^= d->rng << 25;
    d->rng ^= d->rng >> 27;
    return (uint32_t)((d->rng * 2685821657736338717ull) >> 33) % n;
}

struct res_ctx *demo_ctx(struct demo *d)
{
    return &d->x;
}

const char *demo_password(const struct demo *d)
{
    return d->password;
}

int demo_populate(struct store *st, const char *password, struct rerr *err)
{
    struct demo d = {.password = password, .rng = 0x5eed20261130ull};
    actor_system(&d.who);
    snprintf(d.who.username, sizeof d.who.username, "%s", "demo");
    store_conn *c = store_acquire(st);
    d.x = (struct res_ctx){.c = c, .who = &d.who, .a = arena_new()};
    int rc = store_begin(c, err);
    if (rc == 0) {
        demo_build(&d);
        rc = store_commit(c, err);
    }
    arena_free(d.x.a);
    store_release(c);
    if (rc == 0)
        log_info("演示数据：%d 条记录", d.records);
    if (rc == 0)
        rc = demo_evaluation(st, err);
    return rc;
}
