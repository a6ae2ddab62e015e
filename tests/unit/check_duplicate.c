/*
 * WSADuplicateSocket offers (server/duplicate.c): offer, claim once by the
 * right process, expiry on the hand-moved clock, and the reference that an
 * offer holds on its socket until it is claimed or expires.
 */
#include "check_suites.h"
#include "check_net.h"
#include "ws.h"
#include "sock.h"
#include "linger.h"
#include "duplicate.h"

#define SOURCE_PID 100
#define TARGET_PID 200
/* How long an offer waits (duplicate.c keeps this to itself). */
#define LIFETIME_MS (120 * 1000)

static struct ws2_socket *new_sock(void)
{
    int status = -1;
    struct ws2_socket *sock = sock_create(WS_AF_INET, WS_SOCK_STREAM, 0, &status);

    ck_assert_msg(sock != NULL, "sock_create failed with %d", status);
    ck_assert_uint_eq(sock->refs, 1);
    return sock;
}

static void setup(void)
{
    use_fake_clock();
}

START_TEST(test_offer_and_claim)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token = 0;
    int status = -1;

    ck_assert_int_eq(dup_count(), 0);
    ck_assert_int_eq(dup_offer(sock, TARGET_PID, &token), 0);
    ck_assert_uint_ne(token, 0);
    ck_assert_uint_eq(dup_count(), 1);
    /* The offer holds a reference of its own. */
    ck_assert_uint_eq(sock->refs, 2);
    ck_assert_ptr_eq(dup_claim(token, TARGET_PID, &status), sock);
    ck_assert_int_eq(status, 0);
    ck_assert_uint_eq(dup_count(), 0);
    /* ...which the claimer now holds: the count does not move. */
    ck_assert_uint_eq(sock->refs, 2);
    sock_unref(sock, NULL);
    sock_unref(sock, NULL);
    ck_assert_uint_eq(sock_count(), 0);
}
END_TEST

START_TEST(test_wrong_process)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token;
    int status = -1;

    ck_assert_int_eq(dup_offer(sock, TARGET_PID, &token), 0);
    ck_assert_ptr_null(dup_claim(token, SOURCE_PID, &status));
    ck_assert_int_eq(status, WSAEINVAL);
    /* The offer is still there for the right process. */
    ck_assert_uint_eq(dup_count(), 1);
    ck_assert_uint_eq(sock->refs, 2);
    ck_assert_ptr_eq(dup_claim(token, TARGET_PID, &status), sock);
    ck_assert_int_eq(status, 0);
}
END_TEST

START_TEST(test_double_claim)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token;
    int status = -1;

    ck_assert_int_eq(dup_offer(sock, TARGET_PID, &token), 0);
    ck_assert_ptr_eq(dup_claim(token, TARGET_PID, &status), sock);
    status = -1;
    ck_assert_ptr_null(dup_claim(token, TARGET_PID, &status));
    ck_assert_int_eq(status, WSAEINVAL);
    ck_assert_uint_eq(sock->refs, 2);
}
END_TEST

START_TEST(test_unknown_token)
{
    int status = -1;

    ck_assert_ptr_null(dup_claim(0, TARGET_PID, &status));
    ck_assert_int_eq(status, WSAEINVAL);
    status = -1;
    ck_assert_ptr_null(dup_claim(12345, TARGET_PID, &status));
    ck_assert_int_eq(status, WSAEINVAL);
}
END_TEST

START_TEST(test_offers_are_distinct)
{
    struct ws2_socket *sock = new_sock();
    uint32_t t1, t2;
    int status;

    ck_assert_int_eq(dup_offer(sock, TARGET_PID, &t1), 0);
    ck_assert_int_eq(dup_offer(sock, TARGET_PID, &t2), 0);
    ck_assert_uint_ne(t1, t2);
    ck_assert_uint_eq(sock->refs, 3);
    ck_assert_uint_eq(dup_count(), 2);
    ck_assert_ptr_eq(dup_claim(t2, TARGET_PID, &status), sock);
    ck_assert_ptr_eq(dup_claim(t1, TARGET_PID, &status), sock);
    ck_assert_uint_eq(sock->refs, 3);
}
END_TEST

START_TEST(test_expiry)
{
    struct ws2_socket *sock = new_sock();
    uint64_t start = fake_now;
    uint32_t token;
    int status;

    ck_assert_int_eq(dup_timeout(), -1);
    ck_assert_int_eq(dup_offer(sock, TARGET_PID, &token), 0);
    ck_assert_int_eq(dup_timeout(), LIFETIME_MS);
    fake_now = start + LIFETIME_MS - 1;
    ck_assert_int_eq(dup_timeout(), 1);
    dup_expire();
    ck_assert_uint_eq(dup_count(), 1);
    fake_now = start + LIFETIME_MS;
    ck_assert_int_eq(dup_timeout(), 0);
    dup_expire();
    /* Gone with its reference; the source's handle keeps the socket. */
    ck_assert_uint_eq(dup_count(), 0);
    ck_assert_uint_eq(sock->refs, 1);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_ptr_null(dup_claim(token, TARGET_PID, &status));
    ck_assert_int_eq(status, WSAEINVAL);
    ck_assert_int_eq(dup_timeout(), -1);
}
END_TEST

START_TEST(test_offer_outlives_source)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token;
    int status;

    /* The parent duplicates, closes its own handle, the child claims. */
    ck_assert_int_eq(dup_offer(sock, TARGET_PID, &token), 0);
    ck_assert_int_eq(sock_unref(sock, NULL), 0);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_uint_eq(sock->refs, 1);
    ck_assert_ptr_eq(dup_claim(token, TARGET_PID, &status), sock);
    ck_assert_int_ge(sock->fd, 0);
    ck_assert_uint_eq(sock->refs, 1);
    sock_unref(sock, NULL);
    ck_assert_uint_eq(sock_count(), 0);
}
END_TEST

START_TEST(test_expiry_tears_down_last_reference)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token;

    ck_assert_int_eq(dup_offer(sock, TARGET_PID, &token), 0);
    sock_unref(sock, NULL);
    fake_now += LIFETIME_MS;
    dup_expire();
    /* The offer held the last reference: the socket went with it. */
    ck_assert_uint_eq(dup_count(), 0);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_uint_eq(linger_count(), 0);
}
END_TEST

Suite *duplicate_suite(void)
{
    Suite *s = suite_create("duplicate");
    TCase *tc = tcase_create("offers");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_offer_and_claim);
    tcase_add_test(tc, test_wrong_process);
    tcase_add_test(tc, test_double_claim);
    tcase_add_test(tc, test_unknown_token);
    tcase_add_test(tc, test_offers_are_distinct);
    tcase_add_test(tc, test_expiry);
    tcase_add_test(tc, test_offer_outlives_source);
    tcase_add_test(tc, test_expiry_tears_down_last_reference);
    suite_add_tcase(s, tc);
    return s;
}
