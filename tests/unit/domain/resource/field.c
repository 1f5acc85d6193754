/*
 * Unit tests for src/domain/resource/field.c: each kind of field's operations (validate,
 * bind, encode, filter) and the base columns, on a real SQLite file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/password.h"
#include "base/text.h"
#include "domain/org.h"
#include "domain/resource.h"
#include "domain/resource/internal.h"

#include "../fixture.h"

/* validate of kind "k" for field "f" on "v" (taken): 0, or the error's rc with its code in e. */
static int check(const struct field *f, json_t *v, struct rerr *e)
{
    *e = (struct rerr){0};
    int rc = kind_ops_of(f->kind)->validate(f, v, e);
    json_decref(v);
    return rc;
}

/* "e" is the caller's struct rerr. */
#define ASSERT_REFUSED(f, v, want_rc, want_code)                                                             \
    do {                                                                                                     \
        assert_int_equal(check(f, v, &e), want_rc);                                                          \
        assert_string_equal(e.code, want_code);                                                              \
        assert_string_equal(e.field, (f)->name);                                                             \
    } while (0)

static void ints_at_bounds(void **state)
{
    (void)state;
    struct rerr e;
    const struct field level = {"level", "层级", FT_INT, FF_WRITE, 0, NULL, NULL, 1, 2};
    assert_int_equal(check(&level, json_integer(1), &e), 0);
    assert_int_equal(check(&level, json_integer(2), &e), 0);
    ASSERT_REFUSED(&level, json_integer(0), R_EINVAL, "invalid_value");
    ASSERT_REFUSED(&level, json_integer(3), R_EINVAL, "invalid_value");
    ASSERT_REFUSED(&level, json_string("1"), R_EINVAL, "invalid_type");
    ASSERT_REFUSED(&level, json_real(1.0), R_EINVAL, "invalid_type");
    ASSERT_REFUSED(&level, json_true(), R_EINVAL, "invalid_type");
    /* min == max: no bounds at all */
    const struct field any = {"n", "数", FT_INT, FF_WRITE, 0, NULL, NULL, 0, 0};
    assert_int_equal(check(&any, json_integer(INT64_MAX), &e), 0);
    assert_int_equal(check(&any, json_integer(INT64_MIN), &e), 0);
    /* a reference is a positive integer; that the row exists is checked later */
    const struct field ref = {"branch_id", "党组织", FT_REF, FF_WRITE, 0, NULL, "branches", 0, 0};
    assert_int_equal(check(&ref, json_integer(7), &e), 0);
    ASSERT_REFUSED(&ref, json_integer(0), R_EUNPROC, "invalid_reference");
    ASSERT_REFUSED(&ref, json_integer(-1), R_EUNPROC, "invalid_reference");
    ASSERT_REFUSED(&ref, json_string("7"), R_EINVAL, "invalid_type");
}

static void bools_and_enums(void **state)
{
    (void)state;
    struct rerr e;
    const struct field b = {"disabled", "停用", FT_BOOL, FF_WRITE, 0, NULL, NULL, 0, 0};
    assert_int_equal(check(&b, json_true(), &e), 0);
    assert_int_equal(check(&b, json_false(), &e), 0);
    ASSERT_REFUSED(&b, json_integer(1), R_EINVAL, "invalid_type");
    ASSERT_REFUSED(&b, json_string("true"), R_EINVAL, "invalid_type");
    static const char *const colours[] = {"红", "蓝", NULL};
    const struct field en = {"colour", "颜色", FT_ENUM, FF_WRITE, 0, colours, NULL, 0, 0};
    assert_int_equal(check(&en, json_string("红"), &e), 0);
    assert_int_equal(check(&en, json_string("蓝"), &e), 0);
    ASSERT_REFUSED(&en, json_string("绿"), R_EINVAL, "invalid_value");
    ASSERT_REFUSED(&en, json_string("红 "), R_EINVAL, "invalid_value");
    ASSERT_REFUSED(&en, json_integer(0), R_EINVAL, "invalid_type");
}

/* Text limits count characters, not bytes: a limit of 3 takes three 4-byte characters. */
static void text_length_in_characters(void **state)
{
    (void)state;
    struct rerr e;
    const struct field t = {"name", "名称", FT_TEXT, FF_WRITE | FF_REQUIRED, 3, NULL, NULL, 0, 0};
    assert_int_equal(check(&t, json_string("𠀀𠀀𠀀"), &e), 0); /* 12 bytes, 3 characters */
    assert_int_equal(check(&t, json_string("abc"), &e), 0);
    ASSERT_REFUSED(&t, json_string("𠀀𠀀𠀀𠀀"), R_EINVAL, "too_long");
    assert_non_null(strstr(e.message, "3"));
    ASSERT_REFUSED(&t, json_string("abcd"), R_EINVAL, "too_long");
    ASSERT_REFUSED(&t, json_string(""), R_EINVAL, "required");
    ASSERT_REFUSED(&t, json_stringn("a\0b", 3), R_EINVAL, "invalid_value"); /* an embedded NUL */
    ASSERT_REFUSED(&t, json_integer(3), R_EINVAL, "invalid_type");
    /* No max_len: RES_DEFAULT_MAX_LEN characters. */
    const struct field d = {"note", "备注", FT_TEXT, FF_WRITE, 0, NULL, NULL, 0, 0};
    char s[4 * (RES_DEFAULT_MAX_LEN + 1) + 1] = "";
    for (int i = 0; i < RES_DEFAULT_MAX_LEN; i++)
        strcat(s, "𠀀");
    assert_int_equal(check(&d, json_string(s), &e), 0);
    strcat(s, "a");
    ASSERT_REFUSED(&d, json_string(s), R_EINVAL, "too_long");
    assert_int_equal(check(&d, json_string(""), &e), 0); /* not required: empty is fine */
}

static void dates(void **state)
{
    (void)state;
    struct rerr e;
    const struct field d = {"founded", "成立日期", FT_DATE, FF_WRITE, 10, NULL, NULL, 0, 0};
    assert_int_equal(check(&d, json_string("2024-02-29"), &e), 0);
    assert_int_equal(check(&d, json_string("1900-01-01"), &e), 0);
    assert_int_equal(check(&d, json_string(""), &e), 0); /* empty: cleared */
    ASSERT_REFUSED(&d, json_string("2023-02-29"), R_EINVAL, "invalid_date");
    ASSERT_REFUSED(&d, json_string("2023-2-3"), R_EINVAL, "invalid_date");
    ASSERT_REFUSED(&d, json_string("2023-13-01"), R_EINVAL, "invalid_date");
    ASSERT_REFUSED(&d, json_string("2099-01-01"), R_EINVAL, "invalid_date");
    assert_non_null(strstr(e.message, "不能晚于今天"));
    ASSERT_REFUSED(&d, json_integer(20240101), R_EINVAL, "invalid_type");
    const struct field dl = {"due", "截止日期", FT_DATE, FF_WRITE | FF_FUTURE, 10, NULL, NULL, 0, 0};
    assert_int_equal(check(&dl, json_string("2099-01-01"), &e), 0);
    ASSERT_REFUSED(&dl, json_string("2099-02-29"), R_EINVAL, "invalid_date");
}

/* Tomorrow in Beijing, the day the server's "today" turns over. */
static void tomorrow(char out[11])
{
    time_t t = time(NULL) + 8 * 3600 + 24 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int create_branch(struct fx *f, const struct resource *r, const char *founded, struct rerr *e)
{
    json_t *out = NULL;
    json_t *body = json_pack("{s:I,s:s,s:s,s:s}", "procuratorate_id", (json_int_t)f->county, "name", founded,
                             "kind", "党支部", "founded", founded);
    int rc = res_create(&f->x, r, body, &out, e);
    json_decref(body);
    json_decref(out);
    return rc;
}

/* A date after today is refused unless the field says it may lie in the future
 * (FF_FUTURE: a deadline); either way it must be a real date. */
static void future_dates(void **state)
{
    struct fx *f = *state;
    char next[11], today[11];
    tomorrow(next);
    text_today(today);
    struct rerr e = {0};
    /* Without FF_FUTURE (a branch's founding date): tomorrow is refused, today is not. */
    assert_int_equal(create_branch(f, &res_branches, next, &e), R_EINVAL);
    assert_string_equal(e.code, "invalid_date");
    assert_string_equal(e.field, "founded");
    assert_non_null(strstr(e.message, "不能晚于今天"));
    assert_int_equal(create_branch(f, &res_branches, today, &e), 0);
    /* The same collection with the field marked FF_FUTURE. */
    struct field fields[64];
    assert_true(res_branches.nfields <= 64);
    memcpy(fields, res_branches.fields, (size_t)res_branches.nfields * sizeof fields[0]);
    for (int i = 0; i < res_branches.nfields; i++)
        if (!strcmp(fields[i].name, "founded"))
            fields[i].flags |= FF_FUTURE;
    struct resource deadline = res_branches;
    deadline.fields = fields;
    assert_int_equal(res_check_descriptor(&deadline, &e), 0);
    assert_int_equal(create_branch(f, &deadline, next, &e), 0);
    assert_int_equal(create_branch(f, &deadline, "2099-12-31", &e), 0);
    assert_int_equal(create_branch(f, &deadline, "2099-02-30", &e), R_EINVAL);
    assert_string_equal(e.code, "invalid_date");
}

/* Bound through the kind's bind, read back through its to_json and to_text: the value
 * given comes back, in the same form both ways. */
static void bind_and_encode_round_trip(void **state)
{
    struct fx *f = *state;
    struct {
        enum field_kind k;
        const char *in, *out; /* JSON text */
    } cases[] = {
        {FT_INT, "-42", "-42"},
        {FT_REF, "7", "7"},
        {FT_BOOL, "true", "true"},
        {FT_BOOL, "false", "false"},
        {FT_TEXT, "\"引号\\\"换行\\n𠀀\"", "\"引号\\\"换行\\n𠀀\""},
        {FT_DATE, "\"2024-02-29\"", "\"2024-02-29\""},
        {FT_ENUM, "\"党支部\"", "\"党支部\""},
        {FT_JSON, "{\"b\":[1,2],\"a\":null}", "{\"a\":null,\"b\":[1,2]}"},
        {FT_JSON, "[\"x\"]", "[\"x\"]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct kind_ops *k = kind_ops_of(cases[i].k);
        json_t *in = json_loads(cases[i].in, JSON_DECODE_ANY, NULL);
        json_t *want = json_loads(cases[i].out, JSON_DECODE_ANY, NULL);
        assert_non_null(in);
        store_stmt *st = store_prepare(f->c, "SELECT ?, NULL");
        k->bind(st, 1, in);
        assert_int_equal(store_step(st, NULL), STORE_ROW);
        json_t *tree = k->to_json(st, 0);
        if (!json_equal(tree, want))
            fail_msg("case %zu (%s): tree %s", i, k->name, json_dumps(tree, JSON_ENCODE_ANY));
        json_decref(tree);
        if (k->to_text) {
            struct jbuf b = {0};
            k->to_text(st, 0, &b);
            size_t len;
            char *text = jbuf_take(&b, &len);
            json_t *parsed = json_loads(text, JSON_DECODE_ANY, NULL);
            if (!json_equal(parsed, want))
                fail_msg("case %zu (%s): text %s", i, k->name, text);
            json_decref(parsed);
            free(text);
        }
        json_t *null = k->to_json(st, 1); /* a NULL column is null, whatever the kind */
        assert_true(json_is_null(null));
        json_decref(null);
        store_done(st);
        json_decref(in);
        json_decref(want);
    }
    /* A JSON column that does not parse is shown as the text it is. */
    store_stmt *st = store_prepare(f->c, "SELECT 'not json'");
    assert_int_equal(store_step(st, NULL), STORE_ROW);
    json_t *v = kind_ops_of(FT_JSON)->to_json(st, 0);
    assert_string_equal(json_string_value(v), "not json");
    json_decref(v);
    store_done(st);
    assert_null(kind_ops_of(FT_JSON)->to_text); /* goes through the tree */
}

/* filter of kind "k" on "val": its rc; *nb the values it bound. */
static int filter(struct fx *f, const struct field *fl, const char *val, int *nb, struct rerr *e)
{
    struct query q = {.a = f->x.a, .where = ""};
    *e = (struct rerr){0};
    int rc = kind_ops_of(fl->kind)->filter(&q, fl, val, e);
    *nb = q.nb;
    if (rc == 0)
        assert_non_null(strstr(q.where, fl->name));
    else
        assert_string_equal(q.where, ""); /* a refused filter narrows nothing */
    return rc;
}

static void filters_by_kind(void **state)
{
    struct fx *f = *state;
    struct rerr e;
    int nb;
    static const char *const kinds[] = {"党支部", "党总支", NULL};
    const struct field i = {"level", "层级", FT_INT, FF_FILTER, 0, NULL, NULL, 1, 2};
    const struct field r = {"branch_id", "党组织", FT_REF, FF_FILTER, 0, NULL, "branches", 0, 0};
    const struct field b = {"disabled", "停用", FT_BOOL, FF_FILTER, 0, NULL, NULL, 0, 0};
    const struct field en = {"kind", "类型", FT_ENUM, FF_FILTER, 0, kinds, NULL, 0, 0};
    const struct field t = {"position", "职务", FT_TEXT, FF_FILTER, 0, NULL, NULL, 0, 0};
    assert_int_equal(filter(f, &i, "2", &nb, &e), 0);
    assert_int_equal(nb, 1);
    assert_int_equal(filter(f, &i, "-9223372036854775808", &nb, &e), 0);
    assert_int_equal(filter(f, &i, "2x", &nb, &e), R_EINVAL);
    assert_string_equal(e.code, "bad_query");
    assert_int_equal(filter(f, &i, "99999999999999999999", &nb, &e), R_EINVAL);
    assert_int_equal(filter(f, &r, "abc", &nb, &e), R_EINVAL);
    const char *yes[] = {"true", "1", "false", "0"};
    for (int k = 0; k < 4; k++)
        assert_int_equal(filter(f, &b, yes[k], &nb, &e), 0);
    assert_int_equal(filter(f, &b, "yes", &nb, &e), R_EINVAL);
    assert_string_equal(e.code, "bad_query");
    assert_int_equal(filter(f, &en, "党总支", &nb, &e), 0);
    assert_int_equal(filter(f, &en, "党委", &nb, &e), R_EINVAL);
    assert_string_equal(e.field, "kind");
    assert_int_equal(filter(f, &t, "任意文本", &nb, &e), 0);
    assert_int_equal(nb, 1);
}

/* The columns every table has are described once; a collection's own field wins. */
static void base_columns_described_once(void **state)
{
    (void)state;
    const char *base[] = {"id",         "version",          "sample",   "created_at",
                          "updated_at", "procuratorate_id", "branch_id"};
    int n = 0;
    while (res_base_column(n))
        n++;
    assert_int_equal(n, 7);
    for (int i = 0; i < 7; i++)
        assert_string_equal(res_base_column(i)->name, base[i]);
    assert_null(res_base_column(-1));
    const struct resource *users = res_find("users"); /* no sample field of its own */
    assert_int_equal(res_column_of(users, "sample")->kind, FT_BOOL);
    assert_string_equal(res_column_of(users, "procuratorate_id")->label, "所属检察院"); /* its own */
    assert_null(res_column_of(users, "bogus"));
    assert_string_equal(res_kind_name(FT_DATE), "date");
    assert_string_equal(res_kind_name(FT_JSON), "json");
    /* hidden columns have no operations: they are never written out */
    assert_null(column_ops(users, "password_hash"));
    assert_ptr_equal(column_ops(users, "no_such_column"), &untyped_ops);
    assert_true(base_echoed("created_at"));
    assert_false(base_echoed("version"));
    assert_true(base_audited("version"));
    assert_false(base_audited("procuratorate_id"));
}

static void words_in_lists(void **state)
{
    (void)state;
    assert_true(word_in("procuratorate_name member_count", "member_count"));
    assert_true(word_in("procuratorate_name member_count", "procuratorate_name"));
    assert_false(word_in("procuratorate_name member_count", "member"));
    assert_false(word_in("procuratorate_name member_count", "name"));
    assert_false(word_in("a b", ""));
    assert_false(word_in(NULL, "a"));
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ints_at_bounds),
        cmocka_unit_test(bools_and_enums),
        cmocka_unit_test(text_length_in_characters),
        cmocka_unit_test(dates),
        cmocka_unit_test_setup_teardown(future_dates, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bind_and_encode_round_trip, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(filters_by_kind, fx_setup, fx_teardown),
        cmocka_unit_test(base_columns_described_once),
        cmocka_unit_test(words_in_lists),
    };
    return cmocka_run_group_tests_name("domain/resource/field", tests, NULL, NULL);
}
