/*
 * jbuf: a growing byte buffer for writing JSON text straight from data, for answers too
 * hot to build as a tree first. Owns malloc'd memory; jbuf_take() hands it over (for a
 * response that frees it). Out of memory aborts, as everywhere.
 */
#ifndef RONGHE_JBUF_H
#define RONGHE_JBUF_H

#include <stddef.h>
#include <stdint.h>

struct jbuf {
    char *data;
    size_t len, cap;
};

void jbuf_raw(struct jbuf *b, const char *s, size_t n);
void jbuf_lit(struct jbuf *b, const char *s); /* a NUL-terminated literal, as is */
/* "s" (well-formed UTF-8) as a JSON string, quoted and escaped. */
void jbuf_str(struct jbuf *b, const char *s);
void jbuf_int(struct jbuf *b, int64_t v);
void jbuf_real(struct jbuf *b, double v);
/* The text, NUL-terminated; the buffer is empty afterwards. */
char *jbuf_take(struct jbuf *b, size_t *len);
void jbuf_free(struct jbuf *b);

#endif
