/*
 * json: request bodies parsed as the API parses them (api.c body_json: jansson with
 * JSON_REJECT_DUPLICATES), and every way the system writes JSON back out.
 *
 * Input: the body. A body that does not parse must give an error the HTTP layer can
 * answer (the message quotes jansson's, which may quote the input); one that parses must
 * be written back, in each of the forms the system writes (API answers: compact; JSON
 * columns: sorted keys; audit entries: sorted keys, ASCII only), as text that parses to
 * the same value.
 */
#include <jansson.h>
#include <stdlib.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_ready();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        struct rerr err;
        int rc = rerr_set(&err, R_EINVAL, "bad_json", "", "JSON 格式错误（第 %d 行第 %d 列）：%s", je.line,
                          je.column, je.text);
        fuzz_check_rerr("body_json", rc, &err);
        return 0;
    }
    static const size_t forms[] = {JSON_COMPACT, JSON_COMPACT | JSON_SORT_KEYS,
                                   JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char *text = json_dumps(j, forms[i]);
        if (!text)
            fuzz_fail("a parsed body cannot be written back (form %zu)", i);
        json_t *back = json_loads(text, JSON_REJECT_DUPLICATES, &je);
        if (!back || !json_equal(j, back))
            fuzz_fail("a body written back (form %zu) does not read as itself: %s", i, back ? text : je.text);
        json_decref(back);
        free(text);
    }
    json_decref(j);
    return 0;
}
