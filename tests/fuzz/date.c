/*
 * date: src/sheet/date.c — the dates people type (sheet_date_parse) and Excel's serials
 * (sheet_date_from_serial). Byte 0 chooses: even, the rest is typed text; odd, the rest is
 * a serial (8 bytes as a double, else the text through strtod), bit 1 the 1904 system.
 *
 * Held to the contract: a parsed date is YYYY-MM-DD, a real day (the C library's mktime
 * agrees), and parses again to itself; a serial's date is YYYY-MM-DD or YYYY-MM-DD
 * HH:MM:SS, parses as a date, and is the serial's day (sheet_serial_of gives it back,
 * but for Excel's 1900-02-29 and times alone).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "sheet/sheet_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_ready();
    return 0;
}

static void check_day(const char *d)
{
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        fuzz_fail("not YYYY-MM-DD: %s", d);
    struct tm tm = {
        .tm_year = atoi(d) - 1900, .tm_mon = atoi(d + 5) - 1, .tm_mday = atoi(d + 8), .tm_hour = 12};
    struct tm copy = tm;
    if (timegm(&tm) == (time_t)-1 || tm.tm_mday != copy.tm_mday || tm.tm_mon != copy.tm_mon)
        fuzz_fail("not a real day: %s", d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool serial = data[0] & 1, d1904 = data[0] & 2;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    char out[20], again[11];
    if (!serial) {
        if (sheet_date_parse(text, len, out) < 0)
            return 0;
        check_day(out);
        if (sheet_date_parse(out, 10, again) < 0 || strcmp(out, again))
            fuzz_fail("%s does not parse to itself", out);
        return 0;
    }
    double v;
    if (len == 8) {
        memcpy(&v, text, 8);
    } else {
        char *s = fuzz_cstr((const uint8_t *)text, len);
        v = strtod(s, NULL);
        free(s);
    }
    if (sheet_date_from_serial(v, d1904, out) < 0)
        return 0;
    size_t n = strlen(out);
    if (n != 10 && (n != 19 || out[10] != ' ' || out[13] != ':' || out[16] != ':'))
        fuzz_fail("serial %.17g gave \"%s\"", v, out);
    char day[11];
    memcpy(day, out, 10);
    day[10] = 0;
    bool phantom = !d1904 && !strcmp(day, "1900-02-29");
    if (!phantom)
        check_day(day);
    if (sheet_date_parse(out, n, again) < 0 && !phantom)
        fuzz_fail("serial %.17g gave \"%s\", which does not parse", v, out);
    double back = sheet_serial_of(day, d1904);
    if (!phantom && v >= 1 && (back > v + 6e-6 || back < v - 1 - 1e-9)) /* a time rounds up to the next day */
        fuzz_fail("serial %.17g gave %s, whose serial is %.17g", v, day, back);
    return 0;
}
