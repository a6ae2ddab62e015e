/*
 * closesocket seen from the peer, over loopback:
 *  - graceful close (the default, lingering off): closesocket returns 0 at
 *    once, and the peer still reads every byte sent, then the end of the
 *    stream (recv returns 0);
 *  - abortive close (SO_LINGER {1, 0}): closesocket returns 0 at once, the
 *    connection is reset, and a recv on the peer fails with WSAECONNRESET,
 *    also when the peer had not yet read data sent to it before the reset.
 *
 * Expected values are Windows' own ("closesocket function", "Graceful
 * Shutdown, Linger Options, and Socket Closure", "linger structure"): with
 * l_onoff 0 closesocket does not block, queued data is still sent and the
 * close is graceful; with l_onoff nonzero and l_linger 0 closesocket does
 * not block, the virtual circuit is reset at once, unsent data is lost, and
 * "any recv call on the remote side of the circuit will fail with
 * WSAECONNRESET".
 * Times are measured with GetTickCount64; "at once" is checked loosely
 * (under 2 s).
 */
#include "wstest.h"

#define WAIT_MS  10000
#define QUICK_MS 2000

static void set_linger(SOCKET s, u_short onoff, u_short seconds)
{
    struct linger value;
    int ret;

    value.l_onoff = onoff;
    value.l_linger = seconds;
    ret = setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&value, sizeof(value));
    ok(!ret, "setsockopt(SO_LINGER {%u, %u}) failed, error %d\n", onoff, seconds, WSAGetLastError());
}

/* Close s and check that closesocket returned 0 quickly. */
static void timed_close(SOCKET s, const char *what)
{
    ULONGLONG start, elapsed;
    int ret;

    start = wstest_ticks();
    WSASetLastError(0xdead);
    ret = closesocket(s);
    elapsed = wstest_ticks() - start;
    ok(ret == 0, "%s: closesocket returned %d, error %d\n", what, ret, WSAGetLastError());
    ok(elapsed < QUICK_MS, "%s: closesocket took %llu ms\n", what, (unsigned long long)elapsed);
}

/* Read until the stream ends or fails.  Returns the byte count; *error is
 * 0 when the stream ended with recv returning 0, else the error. */
static size_t drain(SOCKET s, const char *expect, size_t expect_len, int *error, int *data_ok)
{
    static char buf[0x10000];
    size_t total = 0;
    int ret;

    *data_ok = 1;
    for (;;)
    {
        if (!wstest_wait_readable(s, WAIT_MS))
        {
            *error = WSAETIMEDOUT;
            return total;
        }
        ret = recv(s, buf, sizeof(buf), 0);
        if (ret == 0)
        {
            *error = 0;
            return total;
        }
        if (ret < 0)
        {
            *error = WSAGetLastError();
            return total;
        }
        if (total + (size_t)ret > expect_len || memcmp(buf, expect + total, (size_t)ret)) *data_ok = 0;
        total += (size_t)ret;
    }
}

static void test_graceful(int af, size_t len)
{
    SOCKET client, server;
    char *data, what[64];
    size_t got, i;
    int ret, error, data_ok;

    snprintf(what, sizeof(what), "graceful af %d, %lu bytes", af, (unsigned long)len);
    if (wstest_tcp_pair(af, &client, &server))
    {
        if (af == AF_INET6) skip("%s: no IPv6 loopback connection, error %d\n", what, WSAGetLastError());
        else ok(0, "%s: could not make a connected pair, error %d\n", what, WSAGetLastError());
        return;
    }
    data = malloc(len ? len : 1);
    for (i = 0; i < len; i++) data[i] = (char)(i * 31 + 7);

    /* the default is no lingering */
    {
        struct linger value;
        int optlen = sizeof(value);
        ret = getsockopt(server, SOL_SOCKET, SO_LINGER, (char *)&value, &optlen);
        ok(!ret && !value.l_onoff, "%s: linger is on by default\n", what);
    }

    if (len)
    {
        ret = send(server, data, (int)len, 0);
        ok(ret == (int)len, "%s: send returned %d, error %d\n", what, ret, WSAGetLastError());
    }
    /* the peer has read nothing yet */
    timed_close(server, what);

    got = drain(client, data, len, &error, &data_ok);
    ok(got == len, "%s: the peer read %lu bytes\n", what, (unsigned long)got);
    ok(data_ok, "%s: the peer read other data than was sent\n", what);
    ok(error == 0, "%s: the stream did not end with recv 0 but error %d\n", what, error);

    /* the end is final */
    ret = recv(client, data, 1, 0);
    ok(ret == 0, "%s: recv after the end returned %d, error %d\n", what, ret, WSAGetLastError());

    closesocket(client);
    free(data);
}

/* The closing side aborts while data it sent is unread by the peer. */
static void test_abortive_unread_by_peer(int af)
{
    SOCKET client, server;
    char buf[256], what[64];
    int ret;

    snprintf(what, sizeof(what), "abortive af %d, data unread by the peer", af);
    if (wstest_tcp_pair(af, &client, &server))
    {
        if (af == AF_INET6) skip("%s: no IPv6 loopback connection, error %d\n", what, WSAGetLastError());
        else ok(0, "%s: could not make a connected pair, error %d\n", what, WSAGetLastError());
        return;
    }
    memset(buf, 'a', sizeof(buf));
    ret = send(server, buf, sizeof(buf), 0);
    ok(ret == (int)sizeof(buf), "%s: send returned %d, error %d\n", what, ret, WSAGetLastError());
    ok(wstest_wait_readable(client, WAIT_MS), "%s: the data did not arrive\n", what);

    set_linger(server, 1, 0);
    timed_close(server, what);

    Sleep(200); /* let the reset arrive */
    ok(wstest_wait_readable(client, WAIT_MS), "%s: the peer did not become readable\n", what);
    WSASetLastError(0xdead);
    ret = recv(client, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR, "%s: the peer's recv returned %d\n", what, ret);
    ok(WSAGetLastError() == WSAECONNRESET, "%s: the peer's recv failed with %d\n", what, WSAGetLastError());

    closesocket(client);
}

/* The closing side aborts while the peer has nothing waiting (the closing
 * side holds data it did not read itself). */
static void test_abortive_pending_on_closer(int af)
{
    SOCKET client, server;
    char buf[256], what[64];
    int ret;

    snprintf(what, sizeof(what), "abortive af %d, nothing waiting at the peer", af);
    if (wstest_tcp_pair(af, &client, &server))
    {
        if (af == AF_INET6) skip("%s: no IPv6 loopback connection, error %d\n", what, WSAGetLastError());
        else ok(0, "%s: could not make a connected pair, error %d\n", what, WSAGetLastError());
        return;
    }
    memset(buf, 'b', sizeof(buf));
    ret = send(client, buf, sizeof(buf), 0);
    ok(ret == (int)sizeof(buf), "%s: send returned %d, error %d\n", what, ret, WSAGetLastError());
    ok(wstest_wait_readable(server, WAIT_MS), "%s: the data did not arrive\n", what);

    set_linger(server, 1, 0);
    timed_close(server, what);

    ok(wstest_wait_readable(client, WAIT_MS), "%s: the peer did not become readable\n", what);
    WSASetLastError(0xdead);
    ret = recv(client, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR, "%s: the peer's recv returned %d\n", what, ret);
    ok(WSAGetLastError() == WSAECONNRESET, "%s: the peer's recv failed with %d\n", what, WSAGetLastError());

    closesocket(client);
}

/* An abortive close of a socket whose peer is gone already is still quick. */
static void test_abortive_after_peer_closed(void)
{
    SOCKET client, server;
    char buf[16];
    int ret;

    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        ok(0, "could not make a connected pair, error %d\n", WSAGetLastError());
        return;
    }
    closesocket(client);
    ok(wstest_wait_readable(server, WAIT_MS), "the end of stream did not arrive\n");
    ret = recv(server, buf, sizeof(buf), 0);
    ok(ret == 0, "recv after the peer's close returned %d, error %d\n", ret, WSAGetLastError());
    set_linger(server, 1, 0);
    timed_close(server, "abortive after the peer closed");
}

START_TEST(close_wire)
{
    WSADATA data;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_graceful(AF_INET, 0);
    test_graceful(AF_INET, 1000);
    test_graceful(AF_INET, 32768);
    test_graceful(AF_INET6, 32768);
    test_abortive_pending_on_closer(AF_INET);
    test_abortive_pending_on_closer(AF_INET6);
    test_abortive_unread_by_peer(AF_INET);
    test_abortive_unread_by_peer(AF_INET6);
    test_abortive_after_peer_closed();

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}
