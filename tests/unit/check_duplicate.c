/*
 * WSADuplicateSocket offers (server/duplicate.c): offer, claim once by the
 * target process only, the bound per source, the index by token, expiry
 * (for a target that has not connected) from an ordered list, release when
 * the target exits, and the reference that an offer holds on its socket.
 *
 * The processes are structs of the test's own, made known to duplicate.c
 * as HELLO and process exit do (client.c).
 */
#include <string.h>
#include <time.h>
#include "check_suites.h"
#include "check_net.h"
#include "ws.h"
#include "sock.h"
#include "client.h"
#include "linger.h"
#include "duplicate.h"

#define SOURCE_PID 100
#define TARGET_PID 200
#define OTHER_PID  300
/* A Windows process that never connects. */
#define ABSENT_PID 400
/* How long an offer to a process that has not connected waits (duplicate.c
 * keeps this to itself). */
#define LIFETIME_MS (120 * 1000)

static struct ws2_process source, target, other;

/* A client process known by the Unix pid `pid` and the Windows pid `win_pid`. */
static void process_init(struct ws2_process *p, pid_t pid, uint32_t win_pid)
{
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    p->win_pid = win_pid;
    p->pidfd.fd = -1;
}

static void hello(struct ws2_process *p)
{
    ck_assert_int_eq(dup_process_hello(p), 0);
}

static struct ws2_socket *new_sock(void)
{
    int status = -1;
    struct ws2_socket *sock = sock_create(WS_AF_INET, WS_SOCK_STREAM, 0, &status);

    ck_assert_msg(sock != NULL, "sock_create failed with %d", status);
    ck_assert_uint_eq(sock->refs, 1);
    return sock;
}

/* `from` offers `sock` to `to_win_pid`; the offer's token goes to `token`. */
static void offer_from(struct ws2_process *from, struct ws2_socket *sock, uint32_t to_win_pid, uint32_t *token)
{
    ck_assert_int_eq(dup_offer(sock, from, to_win_pid, token), 0);
}

/* The source offers `sock` to the target process. */
static void offer(struct ws2_socket *sock, uint32_t *token)
{
    offer_from(&source, sock, TARGET_PID, token);
}

/* `p` claims `token` and gets `sock`, status 0. */
static void claim_succeeds(const uint32_t *token, struct ws2_process *p, struct ws2_socket *sock)
{
    int status = -1;

    ck_assert_ptr_eq(dup_claim(token, p, &status), sock);
    ck_assert_int_eq(status, 0);
}

/* `p` claims `token` and is refused with WSAEINVAL. */
static void claim_refused(const uint32_t *token, struct ws2_process *p)
{
    int status = -1;

    ck_assert_ptr_null(dup_claim(token, p, &status));
    ck_assert_int_eq(status, WSAEINVAL);
}

static void setup(void)
{
    use_fake_clock();
    process_init(&source, 1001, SOURCE_PID);
    process_init(&target, 1002, TARGET_PID);
    process_init(&other, 1003, OTHER_PID);
    hello(&source);
    hello(&target);
    hello(&other);
}

START_TEST(test_offer_and_claim)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token[WS2_DUP_TOKEN_WORDS];

    ck_assert_int_eq(dup_count(), 0);
    offer(sock, token);
    ck_assert_uint_ne(token[0], 0);
    ck_assert_uint_eq(dup_count(), 1);
    ck_assert_uint_eq(dup_made_by(&source), 1);
    /* The target is connected: the offer is its own, it does not expire. */
    ck_assert_int_eq(dup_timeout(), -1);
    /* The offer holds a reference of its own. */
    ck_assert_uint_eq(sock->refs, 2);
    claim_succeeds(token, &target, sock);
    ck_assert_uint_eq(dup_count(), 0);
    ck_assert_uint_eq(dup_made_by(&source), 0);
    /* ...which the claimer now holds: the count does not move. */
    ck_assert_uint_eq(sock->refs, 2);
    sock_unref(sock, NULL);
    sock_unref(sock, NULL);
    ck_assert_uint_eq(sock_count(), 0);
}
END_TEST

START_TEST(test_other_process_refused)
{
    struct ws2_socket *sock = new_sock();
    struct ws2_process impostor;
    uint32_t token[WS2_DUP_TOKEN_WORDS];

    offer(sock, token);
    claim_refused(token, &source);
    claim_refused(token, &other);
    /* Another process that says it is the target is not let in while the
     * target lives, and claims nothing. */
    process_init(&impostor, 1004, TARGET_PID);
    ck_assert_int_eq(dup_process_hello(&impostor), WSAEACCES);
    ck_assert_ptr_eq(dup_process_of(TARGET_PID), &target);
    claim_refused(token, &impostor);
    /* The offer is still there for the right process. */
    ck_assert_uint_eq(dup_count(), 1);
    ck_assert_uint_eq(sock->refs, 2);
    claim_succeeds(token, &target, sock);
}
END_TEST

START_TEST(test_token)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token[WS2_DUP_TOKEN_WORDS], wrong[WS2_DUP_TOKEN_WORDS], zero[WS2_DUP_TOKEN_WORDS] = { 0 };
    unsigned int i;

    offer(sock, token);
    claim_refused(zero, &target);
    /* Every one of the 128 bits counts. */
    for (i = 0; i < WS2_DUP_TOKEN_WORDS * 32; i++)
    {
        memcpy(wrong, token, sizeof(wrong));
        wrong[i / 32] ^= 1u << (i % 32);
        claim_refused(wrong, &target);
    }
    claim_succeeds(token, &target, sock);
    /* Once only. */
    claim_refused(token, &target);
    ck_assert_uint_eq(sock->refs, 2);
}
END_TEST

START_TEST(test_tokens_are_random)
{
    struct ws2_socket *sock = new_sock();
    uint32_t t[2][WS2_DUP_TOKEN_WORDS];
    unsigned int i;

    offer(sock, t[0]);
    offer(sock, t[1]);
    /* Not a counter: each word differs (a chance of 2^-32 each to fail). */
    for (i = 0; i < WS2_DUP_TOKEN_WORDS; i++) ck_assert_uint_ne(t[0][i], t[1][i]);
    ck_assert_uint_eq(sock->refs, 3);
    ck_assert_uint_eq(dup_count(), 2);
    claim_succeeds(t[1], &target, sock);
    claim_succeeds(t[0], &target, sock);
    ck_assert_uint_eq(sock->refs, 3);
}
END_TEST

/* Enough offers to make the index grow many times, from many sources: each
 * is found under its own token, by its own target only. */
START_TEST(test_index)
{
    enum
    {
        SOURCES = 20,
        EACH = 1000
    };
    static struct ws2_process sources[SOURCES];
    static uint32_t tokens[SOURCES * EACH][WS2_DUP_TOKEN_WORDS];
    struct ws2_socket *sock = new_sock();
    unsigned int i;

    for (i = 0; i < SOURCES; i++)
    {
        process_init(&sources[i], 2000 + i, 1000 + 4 * i);
        hello(&sources[i]);
    }
    for (i = 0; i < SOURCES * EACH; i++) offer_from(&sources[i % SOURCES], sock, TARGET_PID, tokens[i]);
    ck_assert_uint_eq(dup_count(), SOURCES * EACH);
    /* Claimed in another order than made. */
    for (i = 0; i < SOURCES * EACH; i += 2) claim_refused(tokens[i], &other);
    for (i = 1; i < SOURCES * EACH; i += 2) claim_succeeds(tokens[i], &target, sock);
    for (i = 0; i < SOURCES * EACH; i += 2) claim_succeeds(tokens[i], &target, sock);
    ck_assert_uint_eq(dup_count(), 0);
    ck_assert_uint_eq(sock->refs, 1 + SOURCES * EACH);
}
END_TEST

START_TEST(test_bound_per_source)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token[WS2_DUP_TOKEN_WORDS], first[WS2_DUP_TOKEN_WORDS];
    unsigned int i;

    offer(sock, first);
    for (i = 1; i < OFFERS_PER_SOURCE; i++) offer(sock, token);
    ck_assert_uint_eq(dup_made_by(&source), OFFERS_PER_SOURCE);
    /* One more is refused, to any target, and takes no reference. */
    ck_assert_int_eq(dup_offer(sock, &source, TARGET_PID, token), WSAENOBUFS);
    ck_assert_int_eq(dup_offer(sock, &source, ABSENT_PID, token), WSAENOBUFS);
    ck_assert_uint_eq(sock->refs, 1 + OFFERS_PER_SOURCE);
    /* Other processes have bounds of their own. */
    offer_from(&other, sock, TARGET_PID, token);
    ck_assert_uint_eq(dup_made_by(&other), 1);
    /* A claimed offer makes room. */
    claim_succeeds(first, &target, sock);
    offer(sock, token);
    ck_assert_int_eq(dup_offer(sock, &source, TARGET_PID, token), WSAENOBUFS);
    /* So does the target's exit, which takes its offers. */
    dup_process_gone(&target);
    ck_assert_uint_eq(dup_made_by(&source), 0);
    ck_assert_uint_eq(dup_count(), 0);
    ck_assert_uint_eq(sock->refs, 2);
    offer_from(&source, sock, OTHER_PID, token);
}
END_TEST

START_TEST(test_not_windows_processes)
{
    struct ws2_socket *sock = new_sock();
    struct ws2_process anonymous, unknown;
    uint32_t token[WS2_DUP_TOKEN_WORDS];

    /* A client with no Windows pid (ws2server --stats), or one that never
     * said HELLO, offers nothing; nor is pid 0 a target. */
    process_init(&anonymous, 1005, 0);
    hello(&anonymous);
    ck_assert_ptr_null(dup_process_of(0));
    ck_assert_int_eq(dup_offer(sock, &anonymous, TARGET_PID, token), WSAEINVAL);
    process_init(&unknown, 1006, 500);
    ck_assert_int_eq(dup_offer(sock, &unknown, TARGET_PID, token), WSAEINVAL);
    ck_assert_int_eq(dup_offer(sock, &source, 0, token), WSAEINVAL);
    ck_assert_uint_eq(dup_count(), 0);
    ck_assert_uint_eq(sock->refs, 1);
}
END_TEST

START_TEST(test_expiry)
{
    struct ws2_socket *sock = new_sock();
    uint64_t start = fake_now;
    uint32_t token[WS2_DUP_TOKEN_WORDS];

    ck_assert_int_eq(dup_timeout(), -1);
    offer_from(&source, sock, ABSENT_PID, token);
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
    ck_assert_uint_eq(dup_made_by(&source), 0);
    ck_assert_uint_eq(sock->refs, 1);
    ck_assert_uint_eq(sock_count(), 1);
    claim_refused(token, &target);
    ck_assert_int_eq(dup_timeout(), -1);
}
END_TEST

/* The offers that can expire are kept in the order they expire: the timer
 * and the expiry look at the first ones only.  With the largest number of
 * offers that 50 processes can have waiting, 200,000 passes of the loop's
 * timer work take well under a second (a walk of every offer in each pass
 * would take tens of seconds). */
START_TEST(test_expiry_without_walk)
{
    enum
    {
        SOURCES = 50,
        PASSES = 200000
    };
    static struct ws2_process sources[SOURCES];
    struct ws2_socket *sock = new_sock();
    uint32_t token[WS2_DUP_TOKEN_WORDS];
    uint64_t start = fake_now;
    struct timespec t0, t1;
    unsigned int i, n = SOURCES * OFFERS_PER_SOURCE, wrong = 0;
    double secs;

    for (i = 0; i < SOURCES; i++)
    {
        process_init(&sources[i], 2000 + i, 1000 + 4 * i);
        hello(&sources[i]);
    }
    /* One per ms: each expires a ms after the one before. */
    for (i = 0; i < n; i++)
    {
        offer_from(&sources[i % SOURCES], sock, ABSENT_PID, token);
        fake_now++;
    }
    fake_now = start + LIFETIME_MS - 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* (No check inside the loop: Check marks each one, a system call.) */
    for (i = 0; i < PASSES; i++)
    {
        wrong += dup_timeout() != 1;
        dup_expire();
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_uint_eq(wrong, 0);
    secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(secs < 1.0, "%u passes over %u offers took %.3f s", PASSES, n, secs);
    ck_assert_uint_eq(dup_count(), n);
    /* They go one by one, in order. */
    for (i = 0; i < 3; i++)
    {
        fake_now++;
        dup_expire();
        ck_assert_uint_eq(dup_count(), n - 1 - i);
        ck_assert_int_eq(dup_timeout(), 1);
    }
    fake_now = start + LIFETIME_MS + n;
    dup_expire();
    ck_assert_uint_eq(dup_count(), 0);
    ck_assert_uint_eq(sock->refs, 1);
    ck_assert_int_eq(dup_timeout(), -1);
}
END_TEST

START_TEST(test_release_on_target_exit)
{
    struct ws2_socket *sock = new_sock(), *kept = new_sock();
    uint32_t token[WS2_DUP_TOKEN_WORDS], other_token[WS2_DUP_TOKEN_WORDS];

    offer(sock, token);
    offer_from(&source, kept, OTHER_PID, other_token);
    /* The parent closes its handle; the child exits without claiming. */
    sock_unref(sock, NULL);
    sock_unref(kept, NULL);
    ck_assert_uint_eq(sock_count(), 2);
    /* Long after the expiry of an offer to an unconnected process. */
    fake_now += 10 * LIFETIME_MS;
    dup_expire();
    ck_assert_uint_eq(dup_count(), 2);
    dup_process_gone(&target);
    /* Its duplicate went with it, and the socket with its last reference;
     * the offer to another process stays. */
    ck_assert_uint_eq(dup_count(), 1);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_uint_eq(linger_count(), 0);
    claim_refused(token, &target);
    claim_succeeds(other_token, &other, kept);
    sock_unref(kept, NULL);
    ck_assert_uint_eq(sock_count(), 0);
}
END_TEST

/* An offer to a process that connects later is its own from then on: no
 * expiry, gone when it exits. */
START_TEST(test_target_connects_later)
{
    struct ws2_socket *sock = new_sock();
    struct ws2_process late;
    uint32_t token[WS2_DUP_TOKEN_WORDS];

    offer_from(&source, sock, ABSENT_PID, token);
    ck_assert_int_eq(dup_timeout(), LIFETIME_MS);
    ck_assert_ptr_null(dup_process_of(ABSENT_PID));
    process_init(&late, 1007, ABSENT_PID);
    hello(&late);
    ck_assert_ptr_eq(dup_process_of(ABSENT_PID), &late);
    ck_assert_int_eq(dup_timeout(), -1);
    fake_now += 10 * LIFETIME_MS;
    dup_expire();
    ck_assert_uint_eq(dup_count(), 1);
    sock_unref(sock, NULL);
    dup_process_gone(&late);
    ck_assert_ptr_null(dup_process_of(ABSENT_PID));
    ck_assert_uint_eq(dup_count(), 0);
    ck_assert_uint_eq(sock_count(), 0);
}
END_TEST

/* The source's exit leaves its offers to their targets. */
START_TEST(test_source_exit)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token[WS2_DUP_TOKEN_WORDS], pending[WS2_DUP_TOKEN_WORDS];

    offer(sock, token);
    offer_from(&source, sock, ABSENT_PID, pending);
    sock_unref(sock, NULL);
    dup_process_gone(&source);
    ck_assert_ptr_null(dup_process_of(SOURCE_PID));
    ck_assert_uint_eq(dup_count(), 2);
    ck_assert_int_eq(dup_timeout(), LIFETIME_MS);
    claim_succeeds(token, &target, sock);
    fake_now += LIFETIME_MS;
    dup_expire();
    ck_assert_uint_eq(dup_count(), 0);
    ck_assert_uint_eq(sock->refs, 1);
}
END_TEST

/* Windows reuses pids: a new process with the pid of one that exited gets
 * none of the old one's offers, but those made to it from then on. */
START_TEST(test_win_pid_reused)
{
    struct ws2_socket *sock = new_sock();
    struct ws2_process next;
    uint32_t old_token[WS2_DUP_TOKEN_WORDS], token[WS2_DUP_TOKEN_WORDS];

    offer(sock, old_token);
    dup_process_gone(&target);
    process_init(&next, 1008, TARGET_PID);
    hello(&next);
    offer(sock, token);
    claim_refused(old_token, &next);
    claim_succeeds(token, &next, sock);
    /* The old process struct, gone, is nobody's any more. */
    dup_process_gone(&target);
    ck_assert_ptr_eq(dup_process_of(TARGET_PID), &next);
}
END_TEST

START_TEST(test_offer_outlives_source)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token[WS2_DUP_TOKEN_WORDS];
    int status;

    /* The parent duplicates, closes its own handle, the child claims. */
    offer(sock, token);
    ck_assert_int_eq(sock_unref(sock, NULL), 0);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_uint_eq(sock->refs, 1);
    ck_assert_ptr_eq(dup_claim(token, &target, &status), sock);
    ck_assert_int_ge(sock->fd, 0);
    ck_assert_uint_eq(sock->refs, 1);
    sock_unref(sock, NULL);
    ck_assert_uint_eq(sock_count(), 0);
}
END_TEST

START_TEST(test_expiry_tears_down_last_reference)
{
    struct ws2_socket *sock = new_sock();
    uint32_t token[WS2_DUP_TOKEN_WORDS];

    offer_from(&source, sock, ABSENT_PID, token);
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
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_offer_and_claim);
    tcase_add_test(tc, test_other_process_refused);
    tcase_add_test(tc, test_token);
    tcase_add_test(tc, test_tokens_are_random);
    tcase_add_test(tc, test_index);
    tcase_add_test(tc, test_bound_per_source);
    tcase_add_test(tc, test_not_windows_processes);
    tcase_add_test(tc, test_expiry);
    tcase_add_test(tc, test_expiry_without_walk);
    tcase_add_test(tc, test_release_on_target_exit);
    tcase_add_test(tc, test_target_connects_later);
    tcase_add_test(tc, test_source_exit);
    tcase_add_test(tc, test_win_pid_reused);
    tcase_add_test(tc, test_offer_outlives_source);
    tcase_add_test(tc, test_expiry_tears_down_last_reference);
    suite_add_tcase(s, tc);
    return s;
}
