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
    sock->linger.l_onoff = onoff;
    sock->linger.l_linger = seconds;
}

/* Run the engine (clock frozen) until nothing lingers; 0 if it never ends. */
static int poll_until_idle(void)
{
    int waited;

    for (waited = 0; waited < ACK_WAIT_MS; waited++)
    {
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

START_TEST(test_off_closes_now)
{
    int peer, other;
    struct ws2_socket *sock = tcp_pair(&peer, 1);
    struct ws2_client *c = fake_client(&other);
    size_t sent = fill_send_queue(sock), got;

    set_linger(sock, 0, 5);
    ck_assert_int_eq(sock_unref(sock, c), 0);
    /* Gone at once, with nothing deferred... */
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_ptr_null(c->deferred);
    ck_assert_int_eq(fake_client_reply(other, &(struct ws2_reply_header){0}), -1);
    /* ...and the kernel still delivers what was queued, then FIN. */
    ck_assert_int_eq(peer_drain(peer, &got), 0);
    ck_assert_uint_eq(got, sent);
    close(peer);
}
END_TEST

START_TEST(test_abortive)
{
    int peer;
    size_t got;
    struct ws2_socket *sock = tcp_pair(&peer, 0);

    set_linger(sock, 1, 0);
    ck_assert_int_eq(sock_unref(sock, NULL), 0);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_int_eq(peer_drain(peer, &got), ECONNRESET);
    ck_assert_uint_eq(got, 0);
    close(peer);
}
END_TEST

START_TEST(test_abortive_with_data)
{
    int peer, other;
    size_t got;
    struct ws2_socket *sock = tcp_pair(&peer, 1);
    struct ws2_client *c = fake_client(&other);

    fill_send_queue(sock);
    set_linger(sock, 1, 0);
    /* A waiter changes nothing: {1,0} never waits, not even non-blocking. */
    sock->nonblocking = 1;
    ck_assert_int_eq(sock_unref(sock, c), 0);
    ck_assert_ptr_null(c->deferred);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_int_eq(peer_drain(peer, &got), ECONNRESET);
    close(peer);
}
END_TEST

START_TEST(test_blocking_nothing_queued)
{
    int peer, other;
    size_t got;
    struct ws2_socket *sock = tcp_pair(&peer, 0);
    struct ws2_client *c = fake_client(&other);

    set_linger(sock, 1, 5);
    ck_assert_int_eq(sock_unref(sock, c), 0);
    ck_assert_ptr_null(c->deferred);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_int_eq(peer_drain(peer, &got), 0);
    close(peer);
}
END_TEST

START_TEST(test_blocking_graceful_when_acknowledged)
{
    int peer, other;
    struct ws2_socket *sock = tcp_pair(&peer, 1);
    struct ws2_client *c = fake_client(&other);
    size_t sent = fill_send_queue(sock), got;

    set_linger(sock, 1, 5);
    ck_assert_int_eq(sock_unref(sock, c), 0);
    /* Pending: the reply waits, the socket drains. */
    ck_assert_ptr_nonnull(c->deferred);
    ck_assert_uint_eq(linger_count(), 1);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_int_gt(linger_timeout(), 0);
    linger_poll();
    ck_assert_uint_eq(linger_count(), 1);
    ck_assert_int_eq(fake_client_reply(other, &(struct ws2_reply_header){0}), -1);
    /* The peer reads: everything arrives, then FIN, and the engine sees
     * the last acknowledgement before any time has passed. */
    ck_assert_int_eq(peer_drain(peer, &got), 0);
    ck_assert_uint_eq(got, sent);
    ck_assert(poll_until_idle());
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_ptr_null(c->deferred);
    check_one_reply(other);
    ck_assert_int_eq(linger_timeout(), -1);
    close(peer);
}
END_TEST

START_TEST(test_blocking_reset_after_n_seconds)
{
    int peer, other;
    size_t got;
    struct ws2_socket *sock = tcp_pair(&peer, 1);
    struct ws2_client *c = fake_client(&other);
    uint64_t start = fake_now;

    fill_send_queue(sock);
    set_linger(sock, 1, 2);
    ck_assert_int_eq(sock_unref(sock, c), 0);
    ck_assert_ptr_nonnull(c->deferred);
    /* Two seconds to the millisecond are not yet "2 s have passed". */
    fake_now = start + 2000;
    linger_poll();
    ck_assert_uint_eq(linger_count(), 1);
    ck_assert_int_eq(fake_client_reply(other, &(struct ws2_reply_header){0}), -1);
    fake_now = start + 2001;
    linger_poll();
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_uint_eq(sock_count(), 0);
    check_one_reply(other);
    /* The peer gets the queued data it had room for, then the reset. */
    ck_assert_int_eq(peer_drain(peer, &got), ECONNRESET);
    /* Later polls send nothing more. */
    fake_now += 10000;
    linger_poll();
    ck_assert_int_eq(fake_client_reply(other, &(struct ws2_reply_header){0}), -1);
    close(peer);
}
END_TEST

START_TEST(test_nonblocking_would_block)
{
    int peer, other;
    size_t got;
    struct ws2_socket *sock = tcp_pair(&peer, 1);
    struct ws2_client *c = fake_client(&other);
    uint32_t h = handles_add(&proc.handles, sock);

    fill_send_queue(sock);
    set_linger(sock, 1, 5);
    sock->nonblocking = 1;
    ck_assert_int_eq(handle_close(&proc, h, c), WSAEWOULDBLOCK);
    /* Nothing happened: handle, reference and socket stay. */
    ck_assert_ptr_eq(handles_get(&proc.handles, h), sock);
    ck_assert_uint_eq(sock->refs, 1);
    ck_assert_ptr_null(c->deferred);
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_uint_eq(sock_count(), 1);
    /* Once the peer has everything, nothing is left to send: graceful. */
    read_until_acknowledged(peer, sock);
    ck_assert_int_eq(handle_close(&proc, h, c), 0);
    ck_assert_ptr_null(handles_get(&proc.handles, h));
    ck_assert_ptr_null(c->deferred);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_int_eq(peer_drain(peer, &got), 0);
    close(peer);
}
END_TEST

START_TEST(test_nonblocking_nothing_queued)
{
    int peer, other;
    size_t got;
    struct ws2_socket *sock = tcp_pair(&peer, 0);
    struct ws2_client *c = fake_client(&other);
    uint32_t h = handles_add(&proc.handles, sock);

    set_linger(sock, 1, 5);
    sock->nonblocking = 1;
    ck_assert_int_eq(handle_close(&proc, h, c), 0);
    ck_assert_ptr_null(handles_get(&proc.handles, h));
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_int_eq(peer_drain(peer, &got), 0);
    close(peer);
}
END_TEST

START_TEST(test_nonblocking_after_shutdown)
{
    int peer, other;
    struct ws2_socket *sock = tcp_pair(&peer, 1);
    struct ws2_client *c = fake_client(&other);

    fill_send_queue(sock);
    set_linger(sock, 1, 5);
    sock->nonblocking = 1;
    /* The program started the disconnect itself: the close need not wait. */
    ck_assert_int_eq(shutdown(sock->fd, SHUT_WR), 0);
    sock->state |= SOCK_SHUT_WRITE;
    ck_assert_int_eq(sock_unref(sock, c), 0);
    ck_assert_ptr_null(c->deferred);
    ck_assert_uint_eq(sock_count(), 0);
    close(peer);
}
END_TEST

START_TEST(test_nobody_waits)
{
    int peer;
    size_t got;
    struct ws2_socket *sock = tcp_pair(&peer, 1);

    /* Process exit, WSACleanup: even a non-blocking socket drains in the
     * background instead of refusing. */
    fill_send_queue(sock);
    set_linger(sock, 1, 5);
    sock->nonblocking = 1;
    ck_assert_int_eq(sock_unref(sock, NULL), 0);
    ck_assert_uint_eq(linger_count(), 1);
    ck_assert_int_eq(peer_drain(peer, &got), 0);
    ck_assert(poll_until_idle());
    ck_assert_uint_eq(sock_count(), 0);
    close(peer);
}
END_TEST

START_TEST(test_waiter_disconnects)
{
    int peer, other;
    size_t got;
    struct ws2_socket *sock = tcp_pair(&peer, 1);
    struct ws2_client *c = fake_client(&other);
    uint64_t start = fake_now;

    fill_send_queue(sock);
    set_linger(sock, 1, 3);
    ck_assert_int_eq(sock_unref(sock, c), 0);
    ck_assert_ptr_nonnull(c->deferred);
    client_free(c);
    /* The socket lingers on by the same rules, answering nobody. */
    linger_poll();
    ck_assert_uint_eq(linger_count(), 1);
    fake_now = start + 3001;
    linger_poll();
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_int_eq(peer_drain(peer, &got), ECONNRESET);
    /* The connection's end saw EOF and no message. */
    ck_assert_int_eq(fake_client_reply(other, &(struct ws2_reply_header){0}), 0);
    close(peer);
    close(other);
}
END_TEST

START_TEST(test_one_deferred_reply_per_client)
{
    int peer1, peer2, other;
    size_t got;
    struct ws2_socket *a = tcp_pair(&peer1, 1), *b = tcp_pair(&peer2, 1);
    struct ws2_client *c = fake_client(&other);
    struct deferred_reply *first;

    fill_send_queue(a);
    fill_send_queue(b);
    set_linger(a, 1, 5);
    set_linger(b, 1, 5);
    ck_assert_int_eq(sock_unref(a, c), 0);
    first = c->deferred;
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_null(reply_defer(c));
    /* A second close on the same connection cannot happen (one request at a
     * time); if it did, it would be answered at once and drain alone. */
    ck_assert_int_eq(sock_unref(b, c), 0);
    ck_assert_ptr_eq(c->deferred, first);
    ck_assert_uint_eq(linger_count(), 2);
    ck_assert_int_eq(peer_drain(peer1, &got), 0);
    ck_assert_int_eq(peer_drain(peer2, &got), 0);
    ck_assert(poll_until_idle());
    check_one_reply(other);
    close(peer1);
    close(peer2);
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
    ck_assert_int_eq(sock_unref(sock, c), 0);
    ck_assert_ptr_null(c->deferred);
    ck_assert_uint_eq(sock_count(), 0);
}
END_TEST

START_TEST(test_not_last_reference)
{
    int peer;
    size_t got;
    struct ws2_socket *sock = tcp_pair(&peer, 0);

    set_linger(sock, 1, 0);
    sock_ref(sock);
    ck_assert_uint_eq(sock->refs, 2);
    /* Only the count moves: no reset while another holder is left. */
    ck_assert_int_eq(sock_unref(sock, NULL), 0);
    ck_assert_uint_eq(sock->refs, 1);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_int_eq(sock_unref(sock, NULL), 0);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_int_eq(peer_drain(peer, &got), ECONNRESET);
    close(peer);
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
    tcase_add_test(tc, test_waiter_disconnects);
    tcase_add_test(tc, test_one_deferred_reply_per_client);
    tcase_add_test(tc, test_datagram_never_lingers);
    tcase_add_test(tc, test_not_last_reference);
    suite_add_tcase(s, tc);
    return s;
}
