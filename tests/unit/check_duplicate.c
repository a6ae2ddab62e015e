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

/* A duplication token, by value. */
struct token
{
    uint32_t w[WS2_DUP_TOKEN_WORDS];
};

/* Offer `sock` to the target process; returns the offer's token. */
static struct token offer(struct ws2_socket *sock)
{
    struct token token = { { 0 } };

    ck_assert_int_eq(dup_offer(sock, TARGET_PID, token.w), 0);
    return token;
}

/* The target process claims `token` and gets `sock`, status 0. */
static void claim_succeeds(struct token token, struct ws2_socket *sock)
{
    int status = -1;

    ck_assert_ptr_eq(dup_claim(token.w, TARGET_PID, &status), sock);
    ck_assert_int_eq(status, 0);
}

/* Process `pid` claims `token` and is refused with WSAEINVAL. */
static void claim_refused(struct token token, uint32_t pid)
{
    int status = -1;

    ck_assert_ptr_null(dup_claim(token.w, pid, &status));
    ck_assert_int_eq(status, WSAEINVAL);
}

static void setup(void)
{
    use_fake_clock();
}

START_TEST(test_offer_and_claim)
{
    struct ws2_socket *sock = new_sock();
    struct token token;

    ck_assert_int_eq(dup_count(), 0);
    token = offer(sock);
    ck_assert_uint_ne(token.w[0], 0);
    ck_assert_uint_eq(dup_count(), 1);
    /* The offer holds a reference of its own. */
    ck_assert_uint_eq(sock->refs, 2);
    claim_succeeds(token, sock);
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
    struct token token = offer(sock);

    claim_refused(token, SOURCE_PID);
    /* The offer is still there for the right process. */
    ck_assert_uint_eq(dup_count(), 1);
    ck_assert_uint_eq(sock->refs, 2);
    claim_succeeds(token, sock);
}
END_TEST

START_TEST(test_double_claim)
{
    struct ws2_socket *sock = new_sock();
    struct token token = offer(sock);
    int status = -1;

    ck_assert_ptr_eq(dup_claim(token.w, TARGET_PID, &status), sock);
    claim_refused(token, TARGET_PID);
    ck_assert_uint_eq(sock->refs, 2);
}
END_TEST

START_TEST(test_unknown_token)
{
    struct token zero = { { 0 } }, other = { { 12345, 1, 2, 3 } };

    claim_refused(zero, TARGET_PID);
    claim_refused(other, TARGET_PID);
}
END_TEST

/* Every one of the 128 bits counts. */
START_TEST(test_token_bits)
{
    struct ws2_socket *sock = new_sock();
    struct token token = offer(sock), wrong;
    unsigned int i;

    for (i = 0; i < WS2_DUP_TOKEN_WORDS * 32; i++)
    {
        wrong = token;
        wrong.w[i / 32] ^= 1u << (i % 32);
        claim_refused(wrong, TARGET_PID);
    }
    claim_succeeds(token, sock);
}
END_TEST

START_TEST(test_offers_are_distinct)
{
    struct ws2_socket *sock = new_sock();
    struct token t1 = offer(sock), t2 = offer(sock);
    unsigned int i;
    int status;

    /* Not a counter: each word differs (a chance of 2^-32 each to fail). */
    for (i = 0; i < WS2_DUP_TOKEN_WORDS; i++) ck_assert_uint_ne(t1.w[i], t2.w[i]);
    ck_assert_uint_eq(sock->refs, 3);
    ck_assert_uint_eq(dup_count(), 2);
    ck_assert_ptr_eq(dup_claim(t2.w, TARGET_PID, &status), sock);
    ck_assert_ptr_eq(dup_claim(t1.w, TARGET_PID, &status), sock);
    ck_assert_uint_eq(sock->refs, 3);
}
END_TEST

START_TEST(test_expiry)
{
    struct ws2_socket *sock = new_sock();
    uint64_t start = fake_now;
    struct token token;

    ck_assert_int_eq(dup_timeout(), -1);
    token = offer(sock);
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
    claim_refused(token, TARGET_PID);
    ck_assert_int_eq(dup_timeout(), -1);
}
END_TEST

START_TEST(test_offer_outlives_source)
{
    struct ws2_socket *sock = new_sock();
    struct token token;
    int status;

    /* The parent duplicates, closes its own handle, the child claims. */
    token = offer(sock);
    ck_assert_int_eq(sock_unref(sock, NULL), 0);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_uint_eq(sock->refs, 1);
    ck_assert_ptr_eq(dup_claim(token.w, TARGET_PID, &status), sock);
    ck_assert_int_ge(sock->fd, 0);
    ck_assert_uint_eq(sock->refs, 1);
    sock_unref(sock, NULL);
    ck_assert_uint_eq(sock_count(), 0);
}
END_TEST

START_TEST(test_expiry_tears_down_last_reference)
{
    struct ws2_socket *sock = new_sock();

    offer(sock);
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
    tcase_add_test(tc, test_token_bits);
    tcase_add_test(tc, test_offers_are_distinct);
    tcase_add_test(tc, test_expiry);
    tcase_add_test(tc, test_offer_outlives_source);
    tcase_add_test(tc, test_expiry_tears_down_last_reference);
    suite_add_tcase(s, tc);
    return s;
}
