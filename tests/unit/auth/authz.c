/* Unit tests for src/auth/authz.c: the role × scope rules, as a table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four headers above, in this order */
#include <cmocka.h>
#include <string.h>

#include "auth/authz.h"

static struct actor make(enum role r, int64_t proc, int64_t branch, bool all)
{
    struct actor a = {
        .user_id = 9, .role = r, .procuratorate_id = proc, .branch_id = branch, .scope_all = all};
    strcpy(a.username, "t");
    return a;
}

/* One of each: the city administrator, a county one (procuratorate 9), the leadership,
 * the secretary of branch 7 in procuratorate 3, and nobody. */
struct cast {
    struct actor city, county, viewer, sec, anon;
};

static struct cast cast(void)
{
    return (struct cast){.city = make(ROLE_ADMIN, 1, 0, true),
                         .county = make(ROLE_ADMIN, 9, 0, false),
                         .viewer = make(ROLE_VIEWER, 1, 0, true),
                         .sec = make(ROLE_SECRETARY, 3, 7, false)};
}

static void write_matrix(void **state)
{
    (void)state;
    struct cast k = cast();
    struct actor *city = &k.city, *county = &k.county, *viewer = &k.viewer, *sec = &k.sec, *anon = &k.anon;
    struct row_scope own9 = {9, 15}, other = {3, 8}, secbranch = {3, 7};
    struct {
        struct actor *a;
        enum write_policy p;
        struct row_scope *s;
        int want;
    } cases[] = {
        {city, WRITE_CITY_ADMIN, &other, 0},       {county, WRITE_CITY_ADMIN, &own9, R_EFORBID},
        {county, WRITE_ADMIN, &own9, 0},           {county, WRITE_ADMIN, &other, R_EFORBID},
        {county, WRITE_BRANCH, &own9, 0},          {viewer, WRITE_BRANCH, &other, R_EFORBID},
        {sec, WRITE_BRANCH, &secbranch, 0},        {sec, WRITE_BRANCH, &other, R_EFORBID},
        {sec, WRITE_ADMIN, &secbranch, R_EFORBID}, {anon, WRITE_BRANCH, &other, R_EAUTH},
        {city, WRITE_NONE, &other, R_EFORBID},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rerr e = {0};
        int rc = authz_write_row(cases[i].a, cases[i].p, cases[i].s, &e);
        if (rc != cases[i].want)
            fail_msg("case %zu: got %d want %d", i, rc, cases[i].want);
        if (rc)
            assert_true(strlen(e.message) > 0);
    }
}

static void read_scope(void **state)
{
    (void)state;
    struct actor county = make(ROLE_ADMIN, 9, 0, false);
    struct actor viewer = make(ROLE_VIEWER, 1, 0, true);
    struct actor sec = make(ROLE_SECRETARY, 3, 7, false);
    int64_t p = 0;
    assert_false(authz_read_narrowed(&viewer, READ_SCOPED, &p));
    assert_true(authz_read_narrowed(&county, READ_SCOPED, &p));
    assert_int_equal(p, 9);
    assert_false(authz_read_narrowed(&county, READ_SIGNED_IN, &p));
    struct rerr e;
    assert_int_equal(authz_read_collection(&sec, READ_ADMIN, &e), R_EFORBID);
    assert_int_equal(authz_read_collection(&viewer, READ_ADMIN, &e), 0);
    assert_int_equal(authz_read_collection(&county, READ_ADMIN, &e), 0);
    struct actor anon = {0};
    assert_int_equal(authz_read_collection(&anon, READ_SIGNED_IN, &e), R_EAUTH);
}

/* Exporting is its own permission: leadership reads members and users but takes no copy
 * of personal data away; a secretary exports what everyone reads, not the members. */
static void export_matrix(void **state)
{
    (void)state;
    struct cast k = cast();
    struct actor *city = &k.city, *county = &k.county, *viewer = &k.viewer, *sec = &k.sec, *anon = &k.anon;
    struct {
        struct actor *a;
        enum read_policy r;
        enum export_policy e;
        int want;
    } cases[] = {
        {city, READ_SCOPED, EXPORT_ADMIN, 0},
        {county, READ_SCOPED, EXPORT_ADMIN, 0},
        {viewer, READ_SCOPED, EXPORT_ADMIN, R_EFORBID},
        {viewer, READ_SIGNED_IN, EXPORT_READERS, 0},
        {sec, READ_SCOPED, EXPORT_ADMIN, R_EFORBID},
        {sec, READ_SIGNED_IN, EXPORT_READERS, 0},
        {sec, READ_ADMIN, EXPORT_READERS, R_EFORBID},
        {city, READ_ADMIN, EXPORT_NONE, R_EFORBID},
        {anon, READ_SIGNED_IN, EXPORT_READERS, R_EAUTH},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rerr e = {0};
        int rc = authz_export_collection(cases[i].a, cases[i].r, cases[i].e, &e);
        if (rc != cases[i].want)
            fail_msg("case %zu: got %d want %d", i, rc, cases[i].want);
    }
}

/* What a collection offers as a whole agrees with authz_write_row on some row. */
static void collection_may(void **state)
{
    (void)state;
    struct actor county = make(ROLE_ADMIN, 9, 0, false);
    struct actor viewer = make(ROLE_VIEWER, 1, 0, true);
    struct actor sec = make(ROLE_SECRETARY, 3, 7, false);
    struct actor sec_nobranch = make(ROLE_SECRETARY, 3, 0, false);
    struct authz_may m;
    authz_collection(&county, READ_SIGNED_IN, WRITE_CITY_ADMIN, EXPORT_READERS, &m);
    assert_true(m.read && !m.create && !m.update && !m.del && m.export);
    authz_collection(&county, READ_ADMIN, WRITE_ADMIN, EXPORT_ADMIN, &m);
    assert_true(m.read && m.create && m.update && m.del && m.export);
    authz_collection(&viewer, READ_SCOPED, WRITE_BRANCH, EXPORT_ADMIN, &m);
    assert_true(m.read && !m.create && !m.update && !m.del && !m.export);
    authz_collection(&sec, READ_SCOPED, WRITE_BRANCH, EXPORT_ADMIN, &m);
    assert_true(m.read && m.create && m.update && m.del && !m.export);
    authz_collection(&sec, READ_ADMIN, WRITE_ADMIN, EXPORT_ADMIN, &m);
    assert_true(!m.read && !m.create && !m.export);
    authz_collection(&sec_nobranch, READ_SCOPED, WRITE_BRANCH, EXPORT_READERS, &m);
    assert_false(m.create);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_matrix),
        cmocka_unit_test(read_scope),
        cmocka_unit_test(export_matrix),
        cmocka_unit_test(collection_may),
    };
    return cmocka_run_group_tests_name("auth/authz", tests, NULL, NULL);
}
