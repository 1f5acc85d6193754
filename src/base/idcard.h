/*
 * idcard: the citizen identity number of GB 11643-1999 (公民身份号码).
 *
 * Eighteen characters: a six-digit region code (行政区划代码), the birth date as
 * YYYYMMDD, a three-digit sequence number whose last digit is odd for men and even for
 * women, and a check character: the first 17 digits weighted 7 9 10 5 8 4 2 1 6 3 7 9
 * 10 5 8 4 2, summed mod 11, and that remainder r mapped through "10X98765432" (ISO 7064
 * MOD 11-2). Knows nothing of members; it only reads and makes numbers.
 *
 * Fifteen-digit numbers (the first generation, before 1999) are refused: their
 * conversion needs the century, which they do not carry, and every card in use today
 * carries 18 characters.
 */
#ifndef RONGHE_IDCARD_H
#define RONGHE_IDCARD_H

#include <stdbool.h>

enum idcard_status {
    IDCARD_OK = 0,
    IDCARD_OLD15,    /* 15 digits: the first-generation number */
    IDCARD_LENGTH,   /* not 18 characters */
    IDCARD_CHARS,    /* not 17 digits followed by a digit or X */
    IDCARD_REGION,   /* region code starts with 0 (no province has one) */
    IDCARD_DATE,     /* the embedded birth date is not a real date (1900-2100) */
    IDCARD_FUTURE,   /* the embedded birth date lies after "today" */
    IDCARD_SEQUENCE, /* sequence number 000 */
    IDCARD_CHECKSUM  /* the check character does not match */
};

struct idcard {
    char number[19];     /* normalised: lowercase x made X */
    char birth_date[11]; /* YYYY-MM-DD */
    bool male;           /* the 17th digit is odd */
};

/* Read "s" as an identity number, given "today" (YYYY-MM-DD). Returns IDCARD_OK and
 * fills *out, or the first thing wrong with it (*out then undefined). */
enum idcard_status idcard_parse(const char *s, const char *today, struct idcard *out);

/* A person's description of what is wrong (Chinese), for "st" != IDCARD_OK. */
const char *idcard_problem(enum idcard_status st);

/* The check character for the first 17 characters of "digits17" (all digits). */
char idcard_check_char(const char *digits17);

/* Make a well-formed number from region code "region6" (six digits), birth date
 * "birth" (YYYY-MM-DD) and sequence "seq" (1-999; its parity is the gender, so pass an
 * odd one for a man) into "out". For test and demo data. Returns false when the parts
 * are malformed. */
bool idcard_make(const char *region6, const char *birth, int seq, char out[19]);

/* "number" with all but its first 4 and last 1 characters replaced by '*'
 * ("1505*************X"), into "out" (at most 40 bytes of "number" are read). A birth date is shown
 * beside the number to those who see it masked, so what is hidden is the rest of the
 * region code and the sequence number. */
void idcard_mask(const char *number, char out[41]);

#endif
