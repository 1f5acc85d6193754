/*
 * arena: memory with one owner. Everything allocated from an arena is freed together by
 * arena_free(); a request gets one arena, freed when its response has been sent.
 * Allocation failure aborts: there is no sensible way to answer without memory.
 */
#ifndef RONGHE_ARENA_H
#define RONGHE_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n); /* zeroed, 16-byte aligned */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
