/*
 * calc/similar.h: near-duplicate Chinese text — minutes copied between meetings or
 * branches (a 形式化 signal for a person to review, never a penalty).
 *
 * The measure (docs/evaluation-statistics.md states it for people):
 *   1. Normalise: decode UTF-8, skipping any byte that does not begin a well-formed
 *      sequence (it is not a character); drop white space, control characters and
 *      punctuation (ASCII, full-width, CJK and general punctuation); fold full-width
 *      ASCII (Ａ１) to half-width and ASCII letters to lower case; keep every other
 *      character (Chinese characters, letters, digits, 〇, other symbols).
 *   2. Shingles: every run of k consecutive normalised characters (code points, never
 *      part of one), as a set; a text of fewer than k characters has none.
 *   3. Jaccard similarity of two texts: |A ∩ B| / |A ∪ B| of their shingle sets (0 when
 *      either is empty). Shingles are compared by a 64-bit hash of their characters.
 *   4. Candidates among many texts: MinHash signatures (one minimum per hash function,
 *      the functions fixed by constant seeds, so every run gives the same signatures),
 *      cut into bands; two texts sharing any band are a candidate, and each candidate's
 *      exact Jaccard decides. With h hashes in b bands of r = h/b rows, a pair of
 *      similarity s is a candidate with probability 1 - (1 - s^r)^b.
 *   5. Passages: the maximal common runs of at least m normalised characters, chosen
 *      longest first so no two overlap in either text, mapped back to the original
 *      texts (see struct sim_passage).
 *
 * Limits: only the first SIM_MAX_BYTES bytes of a text are read (a longer one is cut,
 * with a flag); memory and time are linear in the text (see sim_passages for its cost).
 * Nothing here knows records or collections: texts are identified by the caller's ids.
 */
#ifndef RONGHE_CALC_SIMILAR_H
#define RONGHE_CALC_SIMILAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define SIM_MAX_BYTES (200 * 1024) /* the part of a text that is read */
#define SIM_DEFAULT_K 5            /* shingle length, characters */
#define SIM_DEFAULT_HASHES 128     /* MinHash functions */
#define SIM_DEFAULT_BANDS 32       /* LSH bands (4 rows each: candidates from s ≈ 0.42) */
#define SIM_DEFAULT_MIN_PASSAGE 8  /* shortest passage shown, characters */
#define SIM_MAX_K 64
#define SIM_MAX_HASHES 1024
#define SIM_MAX_TEXTS 1000000
#define SIM_MAX_BAND_ENTRIES (1 << 26) /* texts × bands that sim_pairs sorts (1 GiB) */
#define SIM_MAX_CANDIDATES 50000000

/* The normalised form of "text" ("len" bytes, not necessarily NUL-terminated), as
 * NUL-terminated UTF-8 into "*out" (malloc'd; the caller frees it) with its length in
 * "*out_len" (NULL to skip). "*truncated" (NULL to skip) is set when the text was
 * longer than SIM_MAX_BYTES. Returns 0. */
int sim_normalise(const char *text, size_t len, char **out, size_t *out_len, bool *truncated);

/* The exact Jaccard similarity of the k-shingle sets of "a" and "b" into "*out". k ≤ 0
 * means SIM_DEFAULT_K. Errors: R_EINVAL for k > SIM_MAX_K. */
int sim_jaccard(const char *a, size_t alen, const char *b, size_t blen, int k, double *out, struct rerr *e);

/* ---- an index of many texts --------------------------------------------------------- */

typedef struct sim_index sim_index;

/* A new, empty index into "*out" (sim_index_free frees it): shingles of "k" characters,
 * "hashes" MinHash functions in "bands" bands (0 for each means its default).
 * Errors: R_EINVAL when k or hashes is out of range or bands does not divide hashes. */
int sim_index_new(int k, int hashes, int bands, sim_index **out, struct rerr *e);
void sim_index_free(sim_index *ix);

/* Add text "id" (unique in the index: sim_pairs refuses a repeated one). The index keeps
 * its shingle set and signature (about 8 bytes a character plus 8 a hash), not the text.
 * "*truncated" as for sim_normalise. Errors: R_EINVAL for a NULL text with len > 0;
 * R_ETOOBIG past SIM_MAX_TEXTS texts. */
int sim_add(sim_index *ix, int64_t id, const char *text, size_t len, bool *truncated, struct rerr *e);

/* Called once per pair, id_a < id_b, in ascending order of (id_a, id_b); a non-zero
 * return stops sim_pairs, which returns it. */
typedef int (*sim_pair_fn)(void *ctx, int64_t id_a, int64_t id_b, double jaccard);

/* Every candidate pair (sharing a band) whose exact Jaccard is at least "threshold"
 * (in (0, 1]; a pair with Jaccard 0 is never reported). Deterministic: the same texts
 * added in any order give the same calls. Memory: 16 bytes per text and band, plus 8 per
 * candidate. Errors: R_EINVAL for a bad threshold; R_ECONFLICT for an id added twice;
 * R_ETOOBIG when texts × bands passes SIM_MAX_BAND_ENTRIES or more than
 * SIM_MAX_CANDIDATES candidates arise (many identical texts: raise the rows per band). */
int sim_pairs(sim_index *ix, double threshold, sim_pair_fn fn, void *ctx, struct rerr *e);

/* ---- matched passages ------------------------------------------------------------- */

/* One passage common to both texts. Offsets are into the original texts: bytes, and
 * characters counted as well-formed UTF-8 code points (skipped bytes are not counted).
 * A passage starts at its first matched character and ends after its last, so white
 * space and punctuation between matched characters lie inside it (they were dropped by
 * normalisation, and the normalised forms of the two substrings are equal); ones before
 * the first or after the last do not. */
struct sim_passage {
    size_t a_byte, a_bytes; /* a[a_byte .. a_byte + a_bytes) */
    size_t a_char, a_chars;
    size_t b_byte, b_bytes;
    size_t b_char, b_chars;
    size_t len; /* normalised characters in common, ≥ m */
};

/* The passages of at least "m" normalised characters (m ≤ 0: SIM_DEFAULT_MIN_PASSAGE)
 * common to "a" and "b", in the order of a, into "*out" (malloc'd; the caller frees it,
 * NULL when none) and "*n". Found by seeding on equal m-character windows (hashed,
 * sorted, then compared character by character) and extending each to its maximal
 * length; the longest are kept first and any passage overlapping a kept one in either
 * text is dropped. Cost: O((|a| + |b|) log |b|) time and O(|a| + |b|) memory; a window
 * that occurs more than 8 times in b seeds only its first 8 places, and the extension
 * work is capped at 16 · (|a| + |b|) characters: when a cap cuts the search (highly
 * repetitive text), "*incomplete" (NULL to skip) is set and the passages found so far
 * are returned. Errors: R_EINVAL for NULL arguments. */
int sim_passages(const char *a, size_t alen, const char *b, size_t blen, int m, struct sim_passage **out,
                 int *n, bool *incomplete, struct rerr *e);

#endif
