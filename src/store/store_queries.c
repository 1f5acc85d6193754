/*
 * store_queries: the named operations of store.h, for statements whose SQL is not the
 * same in every database the store may sit on. The layers above call these instead of
 * writing such SQL themselves; a backend whose dialect differs gives its own version of
 * this file. What is here is written on store.h alone.
 */
#include "store/store.h"

/* Upsert: SQLite (3.24+) and PostgreSQL (9.5+) both take ON CONFLICT ... DO UPDATE. */
int store_meta_put(store_conn *c, const char *key, const char *value, struct rerr *err)
{
    store_stmt *st = store_prepare(c, "INSERT INTO meta(key, value) VALUES (?, ?)"
                                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    store_bind_text(st, 1, key);
    store_bind_text(st, 2, value);
    int rc = store_step(st, err);
    store_done(st);
    return rc < 0 ? rc : 0;
}

/* The spellings the resource engine builds its lists with (store.h). */
char *store_sql_contains(arena *a, const char *col)
{
    return arena_printf(a, "instr(%s, ?) > 0", col);
}

char *store_sql_text_order(arena *a, const char *col)
{
    return arena_printf(a, "%s COLLATE zh", col); /* the collation store_sqlite.c registers */
}

const char *store_sql_page(void)
{
    return "LIMIT ? OFFSET ?";
}
