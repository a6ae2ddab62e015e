/*
 * Socket state seen through two descriptors of one socket.
 *
 * WSADuplicateSocket + WSASocket in the same process give a second SOCKET
 * for the same socket, and Windows keeps the socket's state in one place:
 * the blocking mode (FIONBIO), the timeouts (SO_RCVTIMEO) and a shutdown
 * set through one descriptor rule the calls made through the other.
 *
 * On Windows the change is seen at once.  The checks of the blocking mode
 * come after a control call through the second descriptor (getsockopt), so
 * that they hold for an implementation that learns the state from such a
 * call too; the send after a shutdown is checked right away.
 */
#include "wstest.h"

/* A connected pair and a duplicate of its client end. */
static int make_pair(SOCKET *client, SOCKET *dup, SOCKET *server)
{
    WSAPROTOCOL_INFOA info;

    *dup = INVALID_SOCKET;
    if (wstest_tcp_pair(AF_INET, client, server))
    {
        ok(0, "no connected pair: %d\n", WSAGetLastError());
        return -1;
    }
    ok(!WSADuplicateSocketA(*client, GetCurrentProcessId(), &info), "WSADuplicateSocketA: %d\n", WSAGetLastError());
    *dup = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    ok(*dup != INVALID_SOCKET, "WSASocketA: %d\n", WSAGetLastError());
    return *dup == INVALID_SOCKET ? -1 : 0;
}

static void close_all(SOCKET a, SOCKET b, SOCKET c)
{
    if (a != INVALID_SOCKET) closesocket(a);
    if (b != INVALID_SOCKET) closesocket(b);
    if (c != INVALID_SOCKET) closesocket(c);
}

/* Any control call through `s`. */
static void touch(SOCKET s)
{
    int type = 0, len = sizeof(type);

    ok(!getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) && type == SOCK_STREAM,
       "getsockopt(SO_TYPE): %d, type %d\n", WSAGetLastError(), type);
}

/* FIONBIO through one descriptor: a blocking call through the other
 * returns at once (and blocks again after FIONBIO 0 through the other). */
static void test_fionbio(void)
{
    SOCKET client, dup, server;
    u_long on = 1, off = 0;
    DWORD timeout = 300;
    ULONGLONG start;
    char buf[4];
    int ret;

    if (make_pair(&client, &dup, &server)) goto done;
    ok(!ioctlsocket(client, FIONBIO, &on), "FIONBIO 1: %d\n", WSAGetLastError());
    touch(dup);
    WSASetLastError(0xdead);
    start = wstest_ticks();
    ret = recv(dup, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK,
       "recv through the duplicate: %d, error %d\n", ret, WSAGetLastError());
    ok(wstest_ticks() - start < 1000, "recv through the duplicate waited %llu ms\n", wstest_ticks() - start);

    /* Back to blocking through the duplicate: the original waits (bounded
     * by a timeout set through the duplicate as well). */
    ok(!ioctlsocket(dup, FIONBIO, &off), "FIONBIO 0: %d\n", WSAGetLastError());
    ok(!setsockopt(dup, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)),
       "SO_RCVTIMEO: %d\n", WSAGetLastError());
    touch(client);
    WSASetLastError(0xdead);
    start = wstest_ticks();
    ret = recv(client, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAETIMEDOUT,
       "recv through the original: %d, error %d\n", ret, WSAGetLastError());
    ok(wstest_ticks() - start >= 200, "recv through the original returned after %llu ms\n", wstest_ticks() - start);
done:
    close_all(client, dup, server);
}

/* SO_RCVTIMEO through one descriptor bounds a receive through the other. */
static void test_rcvtimeo(void)
{
    SOCKET client, dup, server;
    DWORD timeout = 400, got = 0;
    int len = sizeof(got), ret;
    ULONGLONG start, spent;
    char buf[4];

    if (make_pair(&client, &dup, &server)) goto done;
    ok(!setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)),
       "SO_RCVTIMEO: %d\n", WSAGetLastError());
    ok(!getsockopt(dup, SOL_SOCKET, SO_RCVTIMEO, (char *)&got, &len) && got == timeout,
       "SO_RCVTIMEO through the duplicate: %d, %lu\n", WSAGetLastError(), got);
    WSASetLastError(0xdead);
    start = wstest_ticks();
    ret = recv(dup, buf, sizeof(buf), 0);
    spent = wstest_ticks() - start;
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAETIMEDOUT, "recv through the duplicate: %d, error %d\n",
       ret, WSAGetLastError());
    ok(spent >= 300 && spent < 5000, "recv through the duplicate returned after %llu ms\n", spent);
done:
    close_all(client, dup, server);
}

/* shutdown(SD_SEND) through one descriptor: a send through the other fails
 * with WSAESHUTDOWN, and the peer sees the end of the stream. */
static void test_shutdown(void)
{
    SOCKET client, dup, server;
    char buf[4];
    int ret;

    if (make_pair(&client, &dup, &server)) goto done;
    ok(!shutdown(client, SD_SEND), "shutdown: %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ret = send(dup, "x", 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAESHUTDOWN, "send through the duplicate: %d, error %d\n",
       ret, WSAGetLastError());
    ok(wstest_wait_readable(server, 5000), "the peer saw nothing\n");
    ret = recv(server, buf, sizeof(buf), 0);
    ok(ret == 0, "the peer's recv: %d, error %d\n", ret, WSAGetLastError());
    /* The other direction is still open, through either descriptor. */
    ok(send(server, "y", 1, 0) == 1, "send from the peer: %d\n", WSAGetLastError());
    ok(wstest_wait_readable(dup, 5000), "the duplicate saw nothing\n");
    ok(recv(dup, buf, sizeof(buf), 0) == 1 && buf[0] == 'y', "recv through the duplicate: %d\n", WSAGetLastError());
done:
    close_all(client, dup, server);
}

START_TEST(statesync)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_fionbio();
    test_rcvtimeo();
    test_shutdown();
    WSACleanup();
}
