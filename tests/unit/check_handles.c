/*
 * Per-process handle tables (server/handles.c).  The table only stores the
 * references its callers bring, so plain zeroed socket objects stand in for
 * real ones here (handle_close, which drops them, is in check_requests.c).
 */
#include <stdlib.h>
#include "sock.h"
#include "handles.h"
#include "check_suites.h"

static struct ws2_socket *fake_socks;

static struct ws2_socket *fake(unsigned int i)
{
    return &fake_socks[i];
}

static void setup(void)
{
    fake_socks = calloc(8192, sizeof(*fake_socks));
    ck_assert_ptr_nonnull(fake_socks);
}

static void teardown(void)
{
    free(fake_socks);
    fake_socks = NULL;
}

START_TEST(test_empty_table)
{
    struct handle_table t;

    handles_init(&t);
    ck_assert_uint_eq(t.used, 0);
    ck_assert_ptr_null(handles_get(&t, 0));
    ck_assert_ptr_null(handles_get(&t, 1));
    ck_assert_ptr_null(handles_get(&t, UINT32_MAX));
    ck_assert_ptr_null(handles_remove(&t, 0));
    ck_assert_ptr_null(handles_remove(&t, 1));
    ck_assert_uint_eq(t.used, 0);
    handles_free(&t);
    handles_free(&t); /* twice is harmless: free resets the table */
    ck_assert_ptr_null(handles_get(&t, 1));
}
END_TEST

START_TEST(test_first_handles)
{
    struct handle_table t;

    handles_init(&t);
    ck_assert_uint_eq(handles_add(&t, fake(0)), 1);
    ck_assert_uint_eq(handles_add(&t, fake(1)), 2);
    ck_assert_uint_eq(handles_add(&t, fake(2)), 3);
    ck_assert_uint_eq(t.used, 3);
    ck_assert_ptr_eq(handles_get(&t, 1), fake(0));
    ck_assert_ptr_eq(handles_get(&t, 2), fake(1));
    ck_assert_ptr_eq(handles_get(&t, 3), fake(2));
    handles_free(&t);
}
END_TEST

START_TEST(test_zero_and_out_of_range)
{
    struct handle_table t;

    handles_init(&t);
    ck_assert_uint_eq(handles_add(&t, fake(0)), 1);
    ck_assert_ptr_null(handles_get(&t, 0));
    /* Inside the allocated slots but never handed out. */
    ck_assert_ptr_null(handles_get(&t, 2));
    ck_assert_ptr_null(handles_get(&t, t.size));
    /* Beyond the slots. */
    ck_assert_ptr_null(handles_get(&t, t.size + 1));
    ck_assert_ptr_null(handles_get(&t, 0x10000));
    ck_assert_ptr_null(handles_get(&t, UINT32_MAX));
    ck_assert_ptr_null(handles_remove(&t, 0));
    ck_assert_ptr_null(handles_remove(&t, 2));
    ck_assert_ptr_null(handles_remove(&t, t.size + 1));
    ck_assert_ptr_null(handles_remove(&t, UINT32_MAX));
    /* None of that disturbed the real handle. */
    ck_assert_uint_eq(t.used, 1);
    ck_assert_ptr_eq(handles_get(&t, 1), fake(0));
    handles_free(&t);
}
END_TEST

START_TEST(test_remove_returns_socket)
{
    struct handle_table t;

    handles_init(&t);
    handles_add(&t, fake(0));
    handles_add(&t, fake(1));
    ck_assert_ptr_eq(handles_remove(&t, 2), fake(1));
    ck_assert_uint_eq(t.used, 1);
    ck_assert_ptr_null(handles_get(&t, 2));
    /* A handle goes once. */
    ck_assert_ptr_null(handles_remove(&t, 2));
    ck_assert_uint_eq(t.used, 1);
    ck_assert_ptr_eq(handles_get(&t, 1), fake(0));
    ck_assert_ptr_eq(handles_remove(&t, 1), fake(0));
    ck_assert_uint_eq(t.used, 0);
    handles_free(&t);
}
END_TEST

START_TEST(test_lowest_free_reused)
{
    struct handle_table t;
    unsigned int i;

    handles_init(&t);
    for (i = 0; i < 5; i++) ck_assert_uint_eq(handles_add(&t, fake(i)), i + 1);
    handles_remove(&t, 4);
    handles_remove(&t, 2);
    /* 2 before 4, and 6 only once both are taken again. */
    ck_assert_uint_eq(handles_add(&t, fake(10)), 2);
    ck_assert_uint_eq(handles_add(&t, fake(11)), 4);
    ck_assert_uint_eq(handles_add(&t, fake(12)), 6);
    ck_assert_ptr_eq(handles_get(&t, 2), fake(10));
    ck_assert_ptr_eq(handles_get(&t, 4), fake(11));
    ck_assert_ptr_eq(handles_get(&t, 6), fake(12));
    ck_assert_ptr_eq(handles_get(&t, 5), fake(4));
    /* Handle 1 too. */
    handles_remove(&t, 1);
    ck_assert_uint_eq(handles_add(&t, fake(13)), 1);
    ck_assert_uint_eq(t.used, 6);
    handles_free(&t);
}
END_TEST

START_TEST(test_reuse_after_emptied)
{
    struct handle_table t;
    unsigned int i;

    handles_init(&t);
    for (i = 0; i < 20; i++) handles_add(&t, fake(i));
    for (i = 1; i <= 20; i++) ck_assert_ptr_eq(handles_remove(&t, i), fake(i - 1));
    ck_assert_uint_eq(t.used, 0);
    ck_assert_uint_eq(handles_add(&t, fake(100)), 1);
    handles_free(&t);
    /* A freed table starts over. */
    ck_assert_uint_eq(handles_add(&t, fake(101)), 1);
    ck_assert_ptr_eq(handles_get(&t, 1), fake(101));
    handles_free(&t);
}
END_TEST

START_TEST(test_refs)
{
    struct handle_table a, b;
    struct ws2_socket *sock = fake(0);
    uint32_t h1, h2, h3;

    handles_init(&a);
    handles_init(&b);
    /* The callers' references, as sock_create and dup_claim would give them. */
    sock->refs = 3;
    h1 = handles_add(&a, sock);
    /* Two handles in one process (a duplicate) and one in another. */
    h2 = handles_add(&a, sock);
    h3 = handles_add(&b, sock);
    ck_assert_uint_ne(h1, h2);
    ck_assert_uint_eq(h3, 1);
    /* add keeps the caller's reference, it takes none of its own. */
    ck_assert_uint_eq(sock->refs, 3);
    ck_assert_ptr_eq(handles_get(&a, h1), sock);
    ck_assert_ptr_eq(handles_get(&a, h2), sock);
    ck_assert_ptr_eq(handles_get(&b, h3), sock);
    /* get takes no reference. */
    ck_assert_uint_eq(sock->refs, 3);
    /* remove hands the reference to the caller: the count is unchanged. */
    ck_assert_ptr_eq(handles_remove(&a, h1), sock);
    ck_assert_uint_eq(sock->refs, 3);
    ck_assert_ptr_eq(handles_get(&a, h2), sock);
    /* Other sockets are untouched. */
    handles_add(&a, fake(1));
    ck_assert_uint_eq(fake(1)->refs, 0);
    ck_assert_uint_eq(sock->refs, 3);
    handles_free(&a);
    handles_free(&b);
}
END_TEST

START_TEST(test_growth_past_16)
{
    struct handle_table t;
    unsigned int i;

    handles_init(&t);
    for (i = 0; i < 16; i++) ck_assert_uint_eq(handles_add(&t, fake(i)), i + 1);
    ck_assert_uint_eq(handles_add(&t, fake(16)), 17);
    ck_assert_uint_eq(handles_add(&t, fake(17)), 18);
    ck_assert_uint_ge(t.size, 18);
    ck_assert_uint_eq(t.used, 18);
    for (i = 0; i < 18; i++) ck_assert_ptr_eq(handles_get(&t, i + 1), fake(i));
    ck_assert_ptr_null(handles_get(&t, 19));
    handles_free(&t);
}
END_TEST

START_TEST(test_growth_thousands)
{
    enum
    {
        COUNT = 5000
    };
    struct handle_table t;
    unsigned int i;

    handles_init(&t);
    for (i = 0; i < COUNT; i++) ck_assert_uint_eq(handles_add(&t, fake(i)), i + 1);
    ck_assert_uint_eq(t.used, COUNT);
    ck_assert_uint_ge(t.size, COUNT);
    for (i = 0; i < COUNT; i++)
    {
        ck_assert_ptr_eq(handles_get(&t, i + 1), fake(i));
        ck_assert_uint_eq(fake(i)->refs, 0);
    }
    ck_assert_ptr_null(handles_get(&t, COUNT + 1));
    /* Holes deep in the table are found again, lowest first. */
    ck_assert_ptr_eq(handles_remove(&t, 4000), fake(3999));
    ck_assert_ptr_eq(handles_remove(&t, 17), fake(16));
    ck_assert_ptr_eq(handles_remove(&t, 2500), fake(2499));
    ck_assert_uint_eq(t.used, COUNT - 3);
    ck_assert_uint_eq(handles_add(&t, fake(6000)), 17);
    ck_assert_uint_eq(handles_add(&t, fake(6001)), 2500);
    ck_assert_uint_eq(handles_add(&t, fake(6002)), 4000);
    ck_assert_uint_eq(handles_add(&t, fake(6003)), COUNT + 1);
    ck_assert_ptr_eq(handles_get(&t, 4000), fake(6002));
    ck_assert_ptr_eq(handles_get(&t, COUNT + 1), fake(6003));
    ck_assert_ptr_eq(handles_get(&t, COUNT), fake(COUNT - 1));
    ck_assert_uint_eq(t.used, COUNT + 1);
    handles_free(&t);
}
END_TEST

Suite *handles_suite(void)
{
    Suite *s = suite_create("handles");
    TCase *tc = tcase_create("table");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_empty_table);
    tcase_add_test(tc, test_first_handles);
    tcase_add_test(tc, test_zero_and_out_of_range);
    tcase_add_test(tc, test_remove_returns_socket);
    tcase_add_test(tc, test_lowest_free_reused);
    tcase_add_test(tc, test_reuse_after_emptied);
    tcase_add_test(tc, test_refs);
    tcase_add_test(tc, test_growth_past_16);
    tcase_add_test(tc, test_growth_thousands);
    suite_add_tcase(s, tc);
    return s;
}
