/*
 * text: UTF-8, dates and Chinese-name helpers. Knows nothing of the domain.
 */
#ifndef RONGHE_TEXT_H
#define RONGHE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

/* True when "s" (NUL-terminated) is well-formed UTF-8 without control characters (C0
 * other than tab, newline and carriage return; DEL; C1). */
bool text_utf8_ok(const char *s);

/* Make "s" well-formed UTF-8 in place: a character cut off at the end (by a bounded
 * copy) is dropped, and any other byte that does not belong to a well-formed sequence
 * becomes '?'. Control characters are kept. Never lengthens "s". */
void text_utf8_repair(char *s);

/* The "len" bytes of "s" without white space at either end (ASCII space, tab, CR, LF;
 * NBSP U+00A0; ideographic space U+3000): from "*start", "*n" bytes. */
void text_trim(const char *s, size_t len, const char **start, size_t *n);

/* True when "s" is NULL, empty or only such white space. */
bool text_blank(const char *s);

/* "s" for quoting in a message: its first "max_chars" code points, and "…" when there
 * were more, into "out" ("size" bytes, always well-formed UTF-8). */
void text_clip(const char *s, size_t max_chars, char *out, size_t size);

/* Number of code points in well-formed UTF-8 "s". */
size_t text_utf8_len(const char *s);

/* The number the "n" digits at "s" make, or -1 when one of them is not a digit (a NUL
 * among them included: "s" is read no further than its end). */
int text_digits(const char *s, int n);

/* True when "s" is a real calendar date written YYYY-MM-DD between 1900-01-01 and
 * 2100-12-31. */
bool text_date_ok(const char *s);

/* Today's date (UTC+8, Beijing time) as YYYY-MM-DD into "out" (11 bytes). */
void text_today(char out[11]);

/* The current instant as an ISO 8601 UTC timestamp with milliseconds (25 bytes). */
void text_now(char out[32]);

/* Search folding: NFKC case fold (which also drops Mongolian variation selectors) and
 * remove white space. Returns an arena string, or NULL for malformed input. */
char *text_fold(arena *a, const char *s);

/* The search key of a personal name: its folded form, its pinyin run together and
 * its pinyin initials, space-separated ("张伟 zhangwei zw"). Thread-safe. */
char *text_name_key(arena *a, const char *name, const char *name_mn);

/* Load ICU's pinyin transliterator now (it takes ~0.5 s) rather than in the first
 * request that needs it. Thread-safe; servers call it from a background thread. */
void text_warm(void);

/* Chinese collation (pinyin order, as a Chinese reader expects a name list sorted).
 * A collator is used by one thread at a time: make one per database connection. */
typedef struct text_collator text_collator;
text_collator *text_collator_new(void); /* NULL when ICU has no zh data */
void text_collator_free(void *c);       /* void *: usable as a destructor callback */
int text_collate(void *c, int alen, const void *a, int blen, const void *b);

#endif
