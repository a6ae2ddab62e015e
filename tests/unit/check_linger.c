/*
 * The linger engine (server/linger.c), row by row of its teardown table, on
 * real loopback TCP connections whose peer is a plain native socket: the
 * peer sees what a Windows peer would (EOF after the data, or a reset).
 * Time is the hand-moved clock of check_net.c, so an N-second linger is
 * checked without waiting N seconds; acknowledgements are real.
 *
 * "Data in flight" is made by filling a small send queue while the peer
 * does not read.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/socket.h>
#include "check_suites.h"
#include "check_net.h"
#include "ws.h"
#include "ws2proto.h"
#include "sock.h"
#include "handles.h"
#include "client.h"
#include "reply.h"
#include "linger.h"

/* Longest real wait for the kernel to acknowledge drained data. */
#define ACK_WAIT_MS 5000

static struct ws2_process proc;

static void setup(void)
{
    use_fake_clock();
    handles_init(&proc.handles);
}

static void set_linger(struct ws2_socket *sock, int onoff, int seconds)
{
    /* As setsockopt(SO_LINGER) leaves it in the socket's slot. */
    sock->shared->linger = (uint32_t)onoff | (uint32_t)seconds << 16;
}

/* Run the engine as the loop does, the clock going at real speed, until
 * nothing lingers; 0 if it never ends. */
static int poll_until_idle(void)
{
    int waited;

    for (waited = 0; waited < ACK_WAIT_MS; waited++)
    {
        fake_now++;
        linger_poll();
        if (!linger_count()) return 1;
        usleep(1000);
    }
    return 0;
}

/* The peer reads (without waiting for EOF) until the socket's send queue
 * is empty: everything sent was acknowledged. */
static void read_until_acknowledged(int peer, struct ws2_socket *sock)
{
    char buf[65536];
    int waited;

    for (waited = 0; send_queue_bytes(sock->fd) && waited < ACK_WAIT_MS; waited++)
    {
        while (recv(peer, buf, sizeof(buf), MSG_DONTWAIT) > 0) continue;
        usleep(1000);
    }
    ck_assert_int_eq(send_queue_bytes(sock->fd), 0);
}

/* The waiter's end holds exactly one reply, with status 0. */
static void check_one_reply(int other)
{
    struct ws2_reply_header hdr;

    ck_assert_int_eq(fake_client_reply(other, &hdr), sizeof(hdr));
    ck_assert_uint_eq(hdr.status, 0);
    ck_assert_uint_eq(hdr.size, sizeof(hdr));
    ck_assert_int_eq(fake_client_reply(other, &hdr), -1);
}

/* The waiter's end holds nothing (yet). */
static void check_no_reply(int other)
{
    ck_assert_int_eq(fake_client_reply(other, &(struct ws2_reply_header){ 0 }), -1);
}

/* One socket about to be closed: the server's object, its native peer, and
 * the client connection that asks for the close (NULL: nobody waits). */
struct closing
{
    struct ws2_socket *sock;
    struct ws2_client *c;
    int peer, other;
    size_t sent; /* what fill_send_queue left in flight */
};

/* Connect; with `queued`, small buffers and data left unacknowledged; with
 * `waiter`, a client connection; then SO_LINGER {onoff, seconds}. */
static void prepare(struct closing *t, int queued, int waiter, int onoff, int seconds)
{
    t->sock = tcp_pair(&t->peer, queued);
    t->c = waiter ? fake_client(&t->other) : NULL;
    t->sent = queued ? fill_send_queue(t->sock) : 0;
    set_linger(t->sock, onoff, seconds);
}

/* The close is answered at once and the socket is gone. */
static void close_now(struct ws2_socket *sock, struct ws2_client *c)
{
    ck_assert_int_eq(sock_unref(sock, c), 0);
    ck_assert_ptr_null(c->deferred);
    ck_assert_uint_eq(sock_count(), 0);
}

/* A blocking close, lingering {1, seconds} on unacknowledged data, asked
 * for by a waiter: it lingers, its reply waits. */
static void start_lingering(struct closing *t, int seconds)
{
    prepare(t, 1, 1, 1, seconds);
    ck_assert_int_eq(sock_unref(t->sock, t->c), 0);
    ck_assert_ptr_nonnull(t->c->deferred);
}

/* Give the socket a handle in the process and make it non-blocking. */
static uint32_t nonblocking_handle(struct ws2_socket *sock)
{
    sock->nonblocking = 1;
    return handles_add(&proc.handles, sock);
}

/* Closing handle `h` succeeds at once: handle and socket are gone. */
static void handle_closes_now(uint32_t h, struct ws2_client *c)
{
    ck_assert_int_eq(handle_close(&proc, h, c), 0);
    ck_assert_ptr_null(handles_get(&proc.handles, h));
    ck_assert_uint_eq(sock_count(), 0);
}

/* A poll of the engine leaves the one close lingering. */
static void poll_still_lingering(void)
{
    linger_poll();
    ck_assert_uint_eq(linger_count(), 1);
}

/* Just past `seconds` after `start`, the engine gives up: reset, socket gone. */
static void expire_linger(uint64_t start, int seconds)
{
    fake_now = start + seconds * 1000 + 1;
    linger_poll();
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_uint_eq(sock_count(), 0);
}

/* The peer reads to the end of the connection, which is `end` (0 for EOF,
 * else the error), then closes; returns the bytes it got. */
static size_t peer_sees(int peer, int end)
{
    size_t got;

    ck_assert_int_eq(peer_drain(peer, &got), end);
    close(peer);
    return got;
}

START_TEST(test_off_closes_now)
{
    struct closing t;

    prepare(&t, 1, 1, 0, 5);
    /* Gone at once, with nothing deferred... */
    close_now(t.sock, t.c);
    ck_assert_uint_eq(linger_count(), 0);
    check_no_reply(t.other);
    /* ...and the kernel still delivers what was queued, then FIN. */
    ck_assert_uint_eq(peer_sees(t.peer, 0), t.sent);
}
END_TEST

START_TEST(test_abortive)
{
    struct closing t;

    prepare(&t, 0, 0, 1, 0);
    ck_assert_int_eq(sock_unref(t.sock, NULL), 0);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_uint_eq(peer_sees(t.peer, ECONNRESET), 0);
}
END_TEST

START_TEST(test_abortive_with_data)
{
    struct closing t;

    prepare(&t, 1, 1, 1, 0);
    /* A waiter changes nothing: {1,0} never waits, not even non-blocking. */
    t.sock->nonblocking = 1;
    close_now(t.sock, t.c);
    peer_sees(t.peer, ECONNRESET);
}
END_TEST

START_TEST(test_blocking_nothing_queued)
{
    struct closing t;

    prepare(&t, 0, 1, 1, 5);
    close_now(t.sock, t.c);
    ck_assert_uint_eq(linger_count(), 0);
    peer_sees(t.peer, 0);
}
END_TEST

START_TEST(test_blocking_graceful_when_acknowledged)
{
    struct closing t;
    size_t got;

    /* Pending: the reply waits, the socket drains. */
    start_lingering(&t, 5);
    ck_assert_uint_eq(linger_count(), 1);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_int_gt(linger_timeout(), 0);
    poll_still_lingering();
    check_no_reply(t.other);
    /* The peer reads: everything arrives, then FIN, and the engine sees
     * the last acknowledgement before any time has passed. */
    ck_assert_int_eq(peer_drain(t.peer, &got), 0);
    ck_assert_uint_eq(got, t.sent);
    ck_assert(poll_until_idle());
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_ptr_null(t.c->deferred);
    check_one_reply(t.other);
    ck_assert_int_eq(linger_timeout(), -1);
    close(t.peer);
}
END_TEST

START_TEST(test_blocking_reset_after_n_seconds)
{
    struct closing t;
    uint64_t start = fake_now;

    start_lingering(&t, 2);
    /* Two seconds to the millisecond are not yet "2 s have passed". */
    fake_now = start + 2000;
    poll_still_lingering();
    check_no_reply(t.other);
    expire_linger(start, 2);
    check_one_reply(t.other);
    /* The peer gets the queued data it had room for, then the reset. */
    ck_assert_int_eq(peer_drain(t.peer, &(size_t){ 0 }), ECONNRESET);
    /* Later polls send nothing more. */
    fake_now += 10000;
    linger_poll();
    check_no_reply(t.other);
    close(t.peer);
}
END_TEST

START_TEST(test_nonblocking_would_block)
{
    struct closing t;
    uint32_t h;

    prepare(&t, 1, 1, 1, 5);
    h = nonblocking_handle(t.sock);
    ck_assert_int_eq(handle_close(&proc, h, t.c), WSAEWOULDBLOCK);
    /* Nothing happened: handle, reference and socket stay. */
    ck_assert_ptr_eq(handles_get(&proc.handles, h), t.sock);
    ck_assert_uint_eq(t.sock->refs, 1);
    ck_assert_ptr_null(t.c->deferred);
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_uint_eq(sock_count(), 1);
    /* Once the peer has everything, nothing is left to send: graceful. */
    read_until_acknowledged(t.peer, t.sock);
    handle_closes_now(h, t.c);
    ck_assert_ptr_null(t.c->deferred);
    peer_sees(t.peer, 0);
}
END_TEST

START_TEST(test_nonblocking_nothing_queued)
{
    struct closing t;

    prepare(&t, 0, 1, 1, 5);
    handle_closes_now(nonblocking_handle(t.sock), t.c);
    peer_sees(t.peer, 0);
}
END_TEST

START_TEST(test_nonblocking_after_shutdown)
{
    struct closing t;

    prepare(&t, 1, 1, 1, 5);
    t.sock->nonblocking = 1;
    /* The program started the disconnect itself: the close need not wait. */
    ck_assert_int_eq(shutdown(t.sock->fd, SHUT_WR), 0);
    t.sock->state |= SOCK_SHUT_WRITE;
    close_now(t.sock, t.c);
    close(t.peer);
}
END_TEST

START_TEST(test_nobody_waits)
{
    struct closing t;

    /* Process exit, WSACleanup: even a non-blocking socket drains in the
     * background instead of refusing. */
    prepare(&t, 1, 0, 1, 5);
    t.sock->nonblocking = 1;
    ck_assert_int_eq(sock_unref(t.sock, NULL), 0);
    ck_assert_uint_eq(linger_count(), 1);
    ck_assert_int_eq(peer_drain(t.peer, &(size_t){ 0 }), 0);
    ck_assert(poll_until_idle());
    ck_assert_uint_eq(sock_count(), 0);
    close(t.peer);
}
END_TEST

/* Follow the loop through a whole linger whose data is never read: how
 * many times the send queue was looked at until the reset. */
static unsigned int looks_until_reset(int seconds)
{
    uint64_t start = fake_now;
    unsigned int looks = 0;
    int wait;

    while (linger_count() && looks < 100000)
    {
        ck_assert_int_ge(wait = linger_timeout(), 0);
        fake_now += wait;
        linger_poll();
        looks++;
    }
    ck_assert_uint_eq(linger_count(), 0);
    /* Reset at the deadline, not later. */
    ck_assert_uint_le(fake_now - start, (uint64_t)seconds * 1000 + 1);
    ck_assert_uint_ge(fake_now - start, (uint64_t)seconds * 1000);
    return looks;
}

START_TEST(test_background_looks_back_off)
{
    struct closing t;
    unsigned int looks;

    /* Nobody waits: a minute of draining costs about a look a second. */
    prepare(&t, 1, 0, 1, 60);
    ck_assert_int_eq(sock_unref(t.sock, NULL), 0);
    looks = looks_until_reset(60);
    ck_assert_msg(looks <= 70, "%u looks at a socket draining for 60 s", looks);
    close(t.peer);
}
END_TEST

START_TEST(test_waited_looks_back_off)
{
    struct closing t;
    unsigned int looks;

    /* A closesocket() waits: looks at most every 20 ms, so it is answered
     * soon after the peer acknowledges. */
    start_lingering(&t, 10);
    looks = looks_until_reset(10);
    ck_assert_msg(looks >= 490 && looks <= 520, "%u looks at a socket draining for 10 s", looks);
    check_one_reply(t.other);
    close(t.peer);
}
END_TEST

START_TEST(test_waiter_disconnects)
{
    struct closing t;
    uint64_t start = fake_now;

    start_lingering(&t, 3);
    client_free(t.c);
    /* The socket lingers on by the same rules, answering nobody. */
    poll_still_lingering();
    expire_linger(start, 3);
    peer_sees(t.peer, ECONNRESET);
    /* The connection's end saw EOF and no message. */
    ck_assert_int_eq(fake_client_reply(t.other, &(struct ws2_reply_header){ 0 }), 0);
    close(t.other);
}
END_TEST

START_TEST(test_one_deferred_reply_per_client)
{
    struct closing a, b;
    struct deferred_reply *first;

    start_lingering(&a, 5);
    prepare(&b, 1, 0, 1, 5);
    first = a.c->deferred;
    ck_assert_ptr_null(reply_defer(a.c));
    /* A second close on the same connection cannot happen (one request at a
     * time); if it did, it would be answered at once and drain alone. */
    ck_assert_int_eq(sock_unref(b.sock, a.c), 0);
    ck_assert_ptr_eq(a.c->deferred, first);
    ck_assert_uint_eq(linger_count(), 2);
    ck_assert_int_eq(peer_drain(a.peer, &(size_t){ 0 }), 0);
    ck_assert_int_eq(peer_drain(b.peer, &(size_t){ 0 }), 0);
    ck_assert(poll_until_idle());
    check_one_reply(a.other);
    close(a.peer);
    close(b.peer);
}
END_TEST

START_TEST(test_datagram_never_lingers)
{
    int status;
    struct ws2_socket *sock = sock_create(WS_AF_INET, WS_SOCK_DGRAM, 0, &status);
    int other;
    struct ws2_client *c = fake_client(&other);

    ck_assert_ptr_nonnull(sock);
    set_linger(sock, 1, 5);
    close_now(sock, c);
}
END_TEST

START_TEST(test_not_last_reference)
{
    struct closing t;

    prepare(&t, 0, 0, 1, 0);
    sock_ref(t.sock);
    ck_assert_uint_eq(t.sock->refs, 2);
    /* Only the count moves: no reset while another holder is left. */
    ck_assert_int_eq(sock_unref(t.sock, NULL), 0);
    ck_assert_uint_eq(t.sock->refs, 1);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_int_eq(sock_unref(t.sock, NULL), 0);
    ck_assert_uint_eq(sock_count(), 0);
    peer_sees(t.peer, ECONNRESET);
}
END_TEST

Suite *linger_suite(void)
{
    Suite *s = suite_create("linger");
    TCase *tc = tcase_create("teardown table");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_off_closes_now);
    tcase_add_test(tc, test_abortive);
    tcase_add_test(tc, test_abortive_with_data);
    tcase_add_test(tc, test_blocking_nothing_queued);
    tcase_add_test(tc, test_blocking_graceful_when_acknowledged);
    tcase_add_test(tc, test_blocking_reset_after_n_seconds);
    tcase_add_test(tc, test_nonblocking_would_block);
    tcase_add_test(tc, test_nonblocking_nothing_queued);
    tcase_add_test(tc, test_nonblocking_after_shutdown);
    tcase_add_test(tc, test_nobody_waits);
    tcase_add_test(tc, test_background_looks_back_off);
    tcase_add_test(tc, test_waited_looks_back_off);
    tcase_add_test(tc, test_waiter_disconnects);
    tcase_add_test(tc, test_one_deferred_reply_per_client);
    tcase_add_test(tc, test_datagram_never_lingers);
    tcase_add_test(tc, test_not_last_reference);
    suite_add_tcase(s, tc);
    return s;
}
