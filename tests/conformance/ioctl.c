/*
 * ioctlsocket and WSAIoctl: FIONBIO, FIONREAD, SIOCATMARK,
 * SIO_KEEPALIVE_VALS, and bad arguments.
 *
 * Expected values are Windows' own, from Microsoft's pages:
 *  "Winsock IOCTLs":
 *   - FIONBIO: nonzero makes the socket non-blocking (a recv with nothing
 *     to read then fails with WSAEWOULDBLOCK), zero blocking again; a new
 *     socket is blocking;
 *   - FIONREAD: on a stream, the amount of data that can be read in one
 *     receive (normally all that is queued); on a datagram socket, "the
 *     total number of bytes available to read, not the size of the first
 *     datagram";
 *   - SIOCATMARK: TRUE when no OOB data waits to be read, otherwise FALSE;
 *  "Protocol-Independent Out-of-Band Data": SIOCATMARK tells whether OOB
 *   data waits (SO_OOBINLINE off, the default); with SO_OOBINLINE set it
 *   "always returns TRUE";
 *  "SIO_KEEPALIVE_VALS Control Code": returns 0 and *lpcbBytesReturned 0;
 *   onoff nonzero enables keep-alive, and SO_KEEPALIVE queries "the current
 *   state of this option"; WSAIoctl: WSAENOPROTOOPT for SIO_KEEPALIVE_VALS
 *   on a datagram socket;
 *  "WSAIoctl function": WSAEFAULT when a buffer or lpcbBytesReturned is not
 *   in valid user memory or cbInBuffer/cbOutBuffer is too small; an
 *   invalid dwIoControlCode is listed under WSAEINVAL ("not a valid
 *   command"), and WSAEOPNOTSUPP is "the specified IOCTL command cannot be
 *   realized": either is accepted for a code that does not exist;
 *  "ioctlsocket function": WSAEFAULT when argp is not valid user memory;
 *   WSAENOTSOCK when s is not a socket.
 * Bad pointers are passed in guarded threads (wstest_guarded).
 */
#include "wstest.h"
#include <mstcpip.h>

static void check_blocks(SOCKET s, int nonblocking, const char *what)
{
    char c;
    int ret = recv(s, &c, 1, 0);

    if (nonblocking)
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "%s: recv %d %d, expected WSAEWOULDBLOCK\n",
           what, ret, WSAGetLastError());
    else
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAETIMEDOUT, "%s: recv %d %d, expected to block until "
                                                                     "SO_RCVTIMEO\n",
           what, ret, WSAGetLastError());
}

static void test_fionbio(void)
{
    SOCKET c, s;
    DWORD bytes, timeout = 300;
    u_long arg;
    int ret;

    if (wstest_tcp_pair(AF_INET, &c, &s))
    {
        ok(0, "no connected pair: %d\n", WSAGetLastError());
        return;
    }
    /* A blocking recv ends after SO_RCVTIMEO with WSAETIMEDOUT. */
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));
    check_blocks(c, 0, "a new socket");
    arg = 1;
    ok(!ioctlsocket(c, FIONBIO, &arg), "ioctlsocket FIONBIO 1: %d\n", WSAGetLastError());
    check_blocks(c, 1, "after FIONBIO 1");
    arg = 0;
    ok(!ioctlsocket(c, FIONBIO, &arg), "ioctlsocket FIONBIO 0: %d\n", WSAGetLastError());
    check_blocks(c, 0, "after FIONBIO 0");

    arg = 7;
    bytes = 0xdead;
    ret = WSAIoctl(c, FIONBIO, &arg, sizeof(arg), NULL, 0, &bytes, NULL, NULL);
    ok(ret == 0, "WSAIoctl FIONBIO 7: %d %d\n", ret, WSAGetLastError());
    check_blocks(c, 1, "after WSAIoctl FIONBIO 7");
    arg = 0;
    ret = WSAIoctl(c, FIONBIO, &arg, sizeof(arg), NULL, 0, &bytes, NULL, NULL);
    ok(ret == 0, "WSAIoctl FIONBIO 0: %d %d\n", ret, WSAGetLastError());
    check_blocks(c, 0, "after WSAIoctl FIONBIO 0");

    ret = WSAIoctl(c, FIONBIO, NULL, sizeof(arg), NULL, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSAIoctl FIONBIO without input: %d %d\n", ret,
       WSAGetLastError());
    ret = WSAIoctl(c, FIONBIO, &arg, 0, NULL, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSAIoctl FIONBIO with cbInBuffer 0: %d %d\n", ret,
       WSAGetLastError());
    ret = ioctlsocket(c, FIONBIO, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "ioctlsocket FIONBIO NULL: %d %d\n", ret,
       WSAGetLastError());
    closesocket(c);
    closesocket(s);
}

/* Wait until FIONREAD reports at least want bytes (data is on its way). */
static u_long wait_fionread(SOCKET s, u_long want)
{
    ULONGLONG deadline = wstest_ticks() + 5000;
    u_long n = 0;

    do
    {
        if (ioctlsocket(s, FIONREAD, &n)) return (u_long)-1;
        if (n >= want) break;
        Sleep(10);
    } while (wstest_ticks() < deadline);
    return n;
}

static void test_fionread(void)
{
    struct sockaddr_in addr = { 0 };
    char buf[256];
    SOCKET c, s, u1, u2;
    DWORD bytes;
    u_long n;
    int ret, len = sizeof(addr);

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    n = 0xdead;
    ok(!ioctlsocket(c, FIONREAD, &n) && n == 0, "FIONREAD with nothing queued: %lu\n", n);
    memset(buf, 'r', sizeof(buf));
    ok(send(s, buf, 100, 0) == 100, "send: %d\n", WSAGetLastError());
    n = wait_fionread(c, 100);
    ok(n == 100, "FIONREAD with 100 bytes queued: %lu\n", n);
    ok(recv(c, buf, 30, 0) == 30, "recv: %d\n", WSAGetLastError());
    n = 0;
    bytes = 0;
    ret = WSAIoctl(c, FIONREAD, NULL, 0, &n, sizeof(n), &bytes, NULL, NULL);
    ok(ret == 0 && n == 70, "WSAIoctl FIONREAD after reading 30: %d, %lu\n", ret, n);
    ok(bytes == sizeof(n), "WSAIoctl FIONREAD returned %lu bytes\n", bytes);

    ret = ioctlsocket(c, FIONREAD, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "ioctlsocket FIONREAD NULL: %d %d\n", ret,
       WSAGetLastError());
    ret = WSAIoctl(c, FIONREAD, NULL, 0, NULL, sizeof(n), &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSAIoctl FIONREAD without output: %d %d\n", ret,
       WSAGetLastError());
    ret = WSAIoctl(c, FIONREAD, NULL, 0, &n, sizeof(n) - 1, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSAIoctl FIONREAD with a short output: %d %d\n",
       ret, WSAGetLastError());
    closesocket(c);
    closesocket(s);

    /* Datagrams: FIONREAD counts all of them. */
    u1 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    u2 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(u1, (struct sockaddr *)&addr, sizeof(addr)), "bind: %d\n", WSAGetLastError());
    getsockname(u1, (struct sockaddr *)&addr, &len);
    ok(sendto(u2, buf, 10, 0, (struct sockaddr *)&addr, sizeof(addr)) == 10, "sendto: %d\n", WSAGetLastError());
    ok(sendto(u2, buf, 20, 0, (struct sockaddr *)&addr, sizeof(addr)) == 20, "sendto: %d\n", WSAGetLastError());
    n = wait_fionread(u1, 30);
    ok(n == 30, "FIONREAD with datagrams of 10 and 20 bytes queued: %lu\n", n);
    closesocket(u1);
    closesocket(u2);
}

static void test_siocatmark(void)
{
    struct timeval tv = { 5, 0 };
    SOCKET c, s;
    DWORD bytes;
    fd_set e;
    u_long atmark;
    BOOL on = TRUE;
    char buf[8];
    int ret;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    atmark = 0;
    ok(!ioctlsocket(c, SIOCATMARK, &atmark), "SIOCATMARK: %d\n", WSAGetLastError());
    ok(atmark, "SIOCATMARK without OOB data: %lu, expected TRUE\n", atmark);

    ok(send(s, "ab", 2, 0) == 2, "send: %d\n", WSAGetLastError());
    ok(send(s, "!", 1, MSG_OOB) == 1, "send MSG_OOB: %d\n", WSAGetLastError());
    FD_ZERO(&e);
    FD_SET(c, &e);
    ok(select(0, NULL, NULL, &e, &tv) == 1, "the OOB byte did not arrive\n");
    atmark = 1;
    ok(!ioctlsocket(c, SIOCATMARK, &atmark), "SIOCATMARK: %d\n", WSAGetLastError());
    ok(!atmark, "SIOCATMARK with OOB data waiting: %lu, expected FALSE\n", atmark);
    atmark = 1;
    ret = WSAIoctl(c, SIOCATMARK, NULL, 0, &atmark, sizeof(atmark), &bytes, NULL, NULL);
    ok(ret == 0 && !atmark, "WSAIoctl SIOCATMARK with OOB data waiting: %d, %lu\n", ret, atmark);
    ret = WSAIoctl(c, SIOCATMARK, NULL, 0, &atmark, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSAIoctl SIOCATMARK with cbOutBuffer 0: %d %d\n",
       ret, WSAGetLastError());

    buf[0] = 0;
    ok(recv(c, buf, 1, MSG_OOB) == 1 && buf[0] == '!', "recv MSG_OOB: %d '%c'\n", WSAGetLastError(), buf[0]);
    atmark = 0;
    ok(!ioctlsocket(c, SIOCATMARK, &atmark) && atmark, "SIOCATMARK once the OOB byte was read: %lu\n", atmark);
    ok(recv(c, buf, sizeof(buf), 0) == 2, "recv of the normal data: %d\n", WSAGetLastError());
    closesocket(c);
    closesocket(s);

    /* SO_OOBINLINE: always TRUE. */
    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    ok(!setsockopt(c, SOL_SOCKET, SO_OOBINLINE, (char *)&on, sizeof(on)), "SO_OOBINLINE: %d\n", WSAGetLastError());
    ok(send(s, "!", 1, MSG_OOB) == 1, "send MSG_OOB: %d\n", WSAGetLastError());
    ok(wstest_wait_readable(c, 5000), "the inline OOB byte did not arrive\n");
    atmark = 0;
    ok(!ioctlsocket(c, SIOCATMARK, &atmark), "SIOCATMARK: %d\n", WSAGetLastError());
    ok(atmark, "SIOCATMARK with SO_OOBINLINE: %lu, expected TRUE\n", atmark);
    closesocket(c);
    closesocket(s);
}

static void test_keepalive_vals(void)
{
    struct tcp_keepalive ka;
    SOCKET c, s, u;
    DWORD bytes, value;
    int ret, len;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    ka.onoff = 1;
    ka.keepalivetime = 60000;
    ka.keepaliveinterval = 2000;
    bytes = 0xdead;
    ret = WSAIoctl(c, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &bytes, NULL, NULL);
    ok(ret == 0, "SIO_KEEPALIVE_VALS on: %d %d\n", ret, WSAGetLastError());
    ok(bytes == 0, "SIO_KEEPALIVE_VALS returned %lu bytes\n", bytes);
    value = 0;
    len = sizeof(value);
    ret = getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, (char *)&value, &len);
    ok(ret == 0 && value == 1, "SO_KEEPALIVE after SIO_KEEPALIVE_VALS on: %d, %lu\n", ret, value);

    ka.onoff = 0;
    ret = WSAIoctl(c, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &bytes, NULL, NULL);
    ok(ret == 0, "SIO_KEEPALIVE_VALS off: %d %d\n", ret, WSAGetLastError());
    value = 0xff;
    len = sizeof(value);
    ret = getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, (char *)&value, &len);
    ok(ret == 0 && (value & 0xff) == 0, "SO_KEEPALIVE after SIO_KEEPALIVE_VALS off: %d, %#lx\n", ret, value);

    ret = WSAIoctl(c, SIO_KEEPALIVE_VALS, &ka, sizeof(ka) - 1, NULL, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "SIO_KEEPALIVE_VALS with a short input: %d %d\n",
       ret, WSAGetLastError());
    ret = WSAIoctl(c, SIO_KEEPALIVE_VALS, NULL, sizeof(ka), NULL, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "SIO_KEEPALIVE_VALS without input: %d %d\n", ret,
       WSAGetLastError());
    closesocket(c);
    closesocket(s);

    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ka.onoff = 1;
    ret = WSAIoctl(u, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOPROTOOPT, "SIO_KEEPALIVE_VALS on UDP: %d %d\n", ret,
       WSAGetLastError());
    closesocket(u);
}

/* ------------------------------------------------------------ bad arguments */

static SOCKET bad_socket;

static DWORD WINAPI bad_out_buffer(void *arg)
{
    DWORD bytes;
    int ret = WSAIoctl(bad_socket, FIONREAD, NULL, 0, (void *)(ULONG_PTR)0x10, sizeof(u_long), &bytes, NULL, NULL);

    (void)arg;
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "FIONREAD into a bad pointer: %d %d\n", ret,
       WSAGetLastError());
    return 0;
}

static DWORD WINAPI bad_bytes_returned(void *arg)
{
    u_long n;
    int ret = WSAIoctl(bad_socket, FIONREAD, NULL, 0, &n, sizeof(n), (DWORD *)(ULONG_PTR)0x10, NULL, NULL);

    (void)arg;
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "FIONREAD with a bad lpcbBytesReturned: %d %d\n",
       ret, WSAGetLastError());
    return 0;
}

static DWORD WINAPI bad_in_buffer(void *arg)
{
    DWORD bytes;
    int ret = WSAIoctl(bad_socket, FIONBIO, (void *)(ULONG_PTR)0x10, sizeof(u_long), NULL, 0, &bytes, NULL, NULL);

    (void)arg;
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "FIONBIO from a bad pointer: %d %d\n", ret,
       WSAGetLastError());
    return 0;
}

static DWORD WINAPI bad_argp(void *arg)
{
    int ret = ioctlsocket(bad_socket, FIONREAD, (u_long *)(ULONG_PTR)0x10);

    (void)arg;
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "ioctlsocket FIONREAD into a bad pointer: %d %d\n",
       ret, WSAGetLastError());
    return 0;
}

static void test_bad_arguments(void)
{
    SOCKET c, s, gone;
    DWORD bytes;
    u_long arg = 0;
    int ret, err;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    bad_socket = c;
    wstest_guarded("WSAIoctl with a bad output buffer", bad_out_buffer, NULL);
    wstest_guarded("WSAIoctl with a bad lpcbBytesReturned", bad_bytes_returned, NULL);
    wstest_guarded("WSAIoctl with a bad input buffer", bad_in_buffer, NULL);
    wstest_guarded("ioctlsocket with a bad argp", bad_argp, NULL);

    /* A code that does not exist. */
    ret = WSAIoctl(c, 0x0ddc0de, &arg, sizeof(arg), &arg, sizeof(arg), &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR && (err == WSAEINVAL || err == WSAEOPNOTSUPP), "WSAIoctl with an unknown code: %d %d\n",
       ret, err);
    ret = ioctlsocket(c, 0x0ddc0de, &arg);
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR && (err == WSAEINVAL || err == WSAEOPNOTSUPP),
       "ioctlsocket with an unknown code: %d %d\n", ret, err);

    closesocket(c);
    closesocket(s);
    gone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    closesocket(gone);
    ret = ioctlsocket(gone, FIONBIO, &arg);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "ioctlsocket on a closed socket: %d %d\n", ret,
       WSAGetLastError());
    ret = WSAIoctl(gone, FIONREAD, NULL, 0, &arg, sizeof(arg), &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "WSAIoctl on a closed socket: %d %d\n", ret,
       WSAGetLastError());
}

START_TEST(ioctl)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_fionbio();
    test_fionread();
    test_siocatmark();
    test_keepalive_vals();
    test_bad_arguments();
    WSACleanup();
}
