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
 *   realized": either is accepted from ioctlsocket for a code that does not
 *   exist; from WSAIoctl Wine's suite records WSAEOPNOTSUPP;
 *  "ioctlsocket function": WSAEFAULT when argp is not valid user memory;
 *   WSAENOTSOCK when s is not a socket;
 *  "SIO_ADDRESS_LIST_QUERY Control Code": a SOCKET_ADDRESS_LIST; a buffer
 *   too small is WSAEFAULT with the size needed in lpcbBytesReturned;
 *   loopback addresses (127.*, ::1) on the loopback interface are left out;
 *  "SIO_ROUTING_INTERFACE_QUERY": the local address used to reach the
 *   destination given as input.
 * How the call itself reports (lpcbBytesReturned, the last error, which
 * failures are immediate and which come through the OVERLAPPED, the status
 * in Internal) Microsoft does not document; there the expectation is what
 * Wine's conformance suite (dlls/ws2_32/tests/sock.c, which runs on
 * Windows) records, and test_reporting says so.
 * Bad pointers are passed in guarded threads (wstest_guarded).
 */
/* The NTSTATUS names come from ntstatus.h, which windows.h must not define
 * first; wstest.h then finds the headers already there. */
#define __USE_MINGW_ANSI_STDIO 1
#define _WIN32_WINNT           0x0A00
#define WIN32_LEAN_AND_MEAN
#define WIN32_NO_STATUS
#include <winsock2.h>
#include <windows.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winternl.h>
#include "wstest.h"
#include <mstcpip.h>
#include <mswsock.h>

/* The NTSTATUS of an OVERLAPPED (the low 32 bits of Internal). */
#define STATUS_OF(ov) ((ULONG)(ov)->Internal)
/* An NTSTATUS as STATUS_OF gives it. */
#define NT(status) ((ULONG)(status))
/* A code no provider knows: _IO('f', 126), one Wine's suite records Windows' answers to. */
#define UNKNOWN_CODE 0x667e
/* "SIO_IDEAL_SEND_BACKLOG_QUERY Control Code": _IOR('t', 123, ULONG). */
#define IDEAL_SEND_BACKLOG_QUERY 0x4004747b

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
    WSAPOLLFD pfd;
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
    /* WSAPoll: the OOB byte is "priority band data" (POLLRDBAND). */
    pfd.fd = c;
    pfd.events = POLLRDBAND;
    pfd.revents = 0;
    ret = WSAPoll(&pfd, 1, 1000);
    ok(ret == 1 && pfd.revents == POLLRDBAND, "WSAPoll(POLLRDBAND) with OOB data waiting: %d, %#x\n", ret,
       pfd.revents);
    pfd.events = POLLRDNORM | POLLRDBAND;
    pfd.revents = 0;
    ret = WSAPoll(&pfd, 1, 1000);
    ok(ret == 1 && pfd.revents == (POLLRDNORM | POLLRDBAND), "WSAPoll(POLLIN) with data and OOB data: %d, %#x\n",
       ret, pfd.revents);
    atmark = 1;
    ret = WSAIoctl(c, SIOCATMARK, NULL, 0, &atmark, sizeof(atmark), &bytes, NULL, NULL);
    ok(ret == 0 && !atmark, "WSAIoctl SIOCATMARK with OOB data waiting: %d, %lu\n", ret, atmark);
    ret = WSAIoctl(c, SIOCATMARK, NULL, 0, &atmark, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSAIoctl SIOCATMARK with cbOutBuffer 0: %d %d\n",
       ret, WSAGetLastError());

    buf[0] = 0;
    ok(recv(c, buf, 1, MSG_OOB) == 1 && buf[0] == '!', "recv MSG_OOB: %d, byte %d\n", WSAGetLastError(), buf[0]);
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
    /* Inline, it is normal data to WSAPoll (Wine's suite, test_WSAPoll). */
    pfd.fd = c;
    pfd.events = POLLRDNORM | POLLRDBAND;
    pfd.revents = 0;
    ret = WSAPoll(&pfd, 1, 1000);
    ok(ret == 1 && pfd.revents == POLLRDNORM, "WSAPoll(POLLIN) with inline OOB data: %d, %#x\n", ret, pfd.revents);
    closesocket(c);
    closesocket(s);
}

/* An urgent byte read out of band is gone for good: turning SO_OOBINLINE on
 * afterwards does not bring it back inline (Wine's test_select reads one
 * byte there and expects the close that follows to be graceful). */
static void test_oob_then_inline(void)
{
    struct timeval tv = { 5, 0 };
    SOCKET c, s;
    u_long avail = 1;
    BOOL on = TRUE;
    char buf[8];
    fd_set e;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    ok(send(s, "!", 1, MSG_OOB) == 1, "send MSG_OOB: %d\n", WSAGetLastError());
    FD_ZERO(&e);
    FD_SET(c, &e);
    ok(select(0, NULL, NULL, &e, &tv) == 1, "the OOB byte did not arrive\n");
    buf[0] = 0;
    ok(recv(c, buf, 1, MSG_OOB) == 1 && buf[0] == '!', "recv MSG_OOB: %d, byte %d\n", WSAGetLastError(), buf[0]);
    ok(!setsockopt(c, SOL_SOCKET, SO_OOBINLINE, (char *)&on, sizeof(on)), "SO_OOBINLINE: %d\n", WSAGetLastError());
    ok(send(s, "?", 1, MSG_OOB) == 1, "send MSG_OOB: %d\n", WSAGetLastError());
    ok(wstest_wait_readable(c, 5000), "the inline OOB byte did not arrive\n");
    buf[0] = 0;
    ok(recv(c, buf, sizeof(buf), 0) == 1 && buf[0] == '?', "recv: %d, byte %d\n", WSAGetLastError(), buf[0]);
    ok(!ioctlsocket(c, FIONREAD, &avail) && !avail, "FIONREAD after reading it all: %lu\n", avail);
    /* Nothing unread: the close is a FIN, not a reset. */
    closesocket(c);
    ok(wstest_wait_readable(s, 5000), "the close did not arrive\n");
    ok(recv(s, buf, sizeof(buf), 0) == 0, "the peer's recv after the close: error %d\n", WSAGetLastError());
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

    /* A code that does not exist: the transport does not support it, and
     * says it wrote nothing. */
    bytes = 0xdead;
    ret = WSAIoctl(c, UNKNOWN_CODE, &arg, sizeof(arg), &arg, sizeof(arg), &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR && err == WSAEOPNOTSUPP && !bytes, "WSAIoctl with an unknown code: %d %d, %lu bytes\n",
       ret, err, bytes);
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

/* ------------------------------------------------------------ how a call reports */

static DWORD routine_calls, routine_error, routine_bytes;
static WSAOVERLAPPED *routine_ov;

static void WINAPI note_routine(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags)
{
    (void)flags;
    routine_calls++;
    routine_error = error;
    routine_bytes = bytes;
    routine_ov = ov;
}

static void fresh_ov(WSAOVERLAPPED *ov, HANDLE event)
{
    memset(ov, 0, sizeof(*ov));
    ov->Internal = ov->InternalHigh = 0xdeadbeef;
    ov->hEvent = event;
    if (event) ResetEvent(event);
}

/* A code the transport does not know, given with an OVERLAPPED: taken, then
 * failed through it with STATUS_NOT_SUPPORTED (Wine's suite, test_unsupported_ioctls). */
static void test_unknown_overlapped(void)
{
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL), port;
    WSAOVERLAPPED ov, *got;
    ULONG_PTR key;
    DWORD bytes, flags;
    SOCKET s;
    BOOL done;
    int ret;

    /* An event, no port. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    fresh_ov(&ov, event);
    bytes = 0xdead;
    ret = WSAIoctl(s, UNKNOWN_CODE, NULL, 0, NULL, 0, &bytes, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "unknown code with an event: %d %d\n", ret,
       WSAGetLastError());
    ok(bytes == 0xdead, "unknown code with an event: the call wrote %lu bytes as its count\n", bytes);
    ok(WaitForSingleObject(event, 5000) == WAIT_OBJECT_0, "unknown code: the event was not set\n");
    ok(STATUS_OF(&ov) == NT(STATUS_NOT_SUPPORTED) && !ov.InternalHigh,
       "unknown code: Internal %#lx, InternalHigh %llu\n", STATUS_OF(&ov), (unsigned long long)ov.InternalHigh);
    done = WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags);
    ok(!done && WSAGetLastError() == WSAEOPNOTSUPP, "unknown code: WSAGetOverlappedResult %d %d\n", done,
       WSAGetLastError());

    /* Without lpcbBytesReturned, the call fails at once, OVERLAPPED or not. */
    fresh_ov(&ov, event);
    ret = WSAIoctl(s, UNKNOWN_CODE, NULL, 0, NULL, 0, NULL, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "unknown code without a count: %d %d\n", ret,
       WSAGetLastError());

    /* A completion routine. */
    fresh_ov(&ov, NULL);
    routine_calls = 0;
    ret = WSAIoctl(s, UNKNOWN_CODE, NULL, 0, NULL, 0, &bytes, &ov, note_routine);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "unknown code with a routine: %d %d\n", ret,
       WSAGetLastError());
    ok(SleepEx(5000, TRUE) == WAIT_IO_COMPLETION, "unknown code: the routine did not run\n");
    ok(routine_calls == 1 && routine_error == WSAEOPNOTSUPP && !routine_bytes && routine_ov == &ov,
       "unknown code: routine called %lu times, error %lu, %lu bytes, ov %p\n", routine_calls, routine_error,
       routine_bytes, (void *)routine_ov);
    closesocket(s);

    /* A completion port: a packet that fails. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 77, 0);
    ok(port != NULL, "CreateIoCompletionPort: %lu\n", GetLastError());
    fresh_ov(&ov, NULL);
    ret = WSAIoctl(s, UNKNOWN_CODE, NULL, 0, NULL, 0, &bytes, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "unknown code on a port: %d %d\n", ret,
       WSAGetLastError());
    got = NULL;
    key = 0;
    bytes = 0xdead;
    SetLastError(0xdeadbeef);
    done = GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000);
    ok(!done && got == &ov && key == 77 && !bytes, "unknown code's packet: %d, ov %p, key %llu, %lu bytes\n", done,
       (void *)got, (unsigned long long)key, bytes);
    /* A pipe's I/O carries the packet, and cannot end with this status
     * (doc/design-notes.md, "Completion ports"): ours says 995. */
    todo_ours(GetLastError() == ERROR_NOT_SUPPORTED, "unknown code's packet: error %lu\n", GetLastError());
    ok(STATUS_OF(&ov) == NT(STATUS_NOT_SUPPORTED) && !ov.InternalHigh,
       "unknown code on a port: Internal %#lx, InternalHigh %llu\n", STATUS_OF(&ov),
       (unsigned long long)ov.InternalHigh);
    closesocket(s);
    CloseHandle(port);
    CloseHandle(event);
}

/* SIO_BASE_HANDLE names the socket, without an OVERLAPPED only. */
static void test_base_handle(void)
{
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), base;
    WSAOVERLAPPED ov;
    DWORD bytes = 0;
    int ret;

    base = 0;
    ret = WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &bytes, NULL, NULL);
    ok(!ret && base == s && bytes == sizeof(base), "SIO_BASE_HANDLE: %d %d, %#llx (socket %#llx), %lu bytes\n", ret,
       WSAGetLastError(), (unsigned long long)base, (unsigned long long)s, bytes);

    fresh_ov(&ov, event);
    base = 0xdead;
    bytes = 0xdead;
    ret = WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &bytes, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "SIO_BASE_HANDLE with an OVERLAPPED: %d %d\n",
       ret, WSAGetLastError());
    ok(WaitForSingleObject(event, 5000) == WAIT_OBJECT_0, "SIO_BASE_HANDLE with an OVERLAPPED: no event\n");
    ok(STATUS_OF(&ov) == NT(STATUS_NOT_SUPPORTED) && base == 0xdead && bytes == 0xdead,
       "SIO_BASE_HANDLE with an OVERLAPPED: Internal %#lx, output %#llx, count %lu\n", STATUS_OF(&ov),
       (unsigned long long)base, bytes);
    closesocket(s);
    CloseHandle(event);
}

/* What a call says besides its result (Wine's suite: test_fionread_siocatmark,
 * test_get_extension_func, test_keepalive_vals). */
static void test_reporting(void)
{
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    GUID acceptex = WSAID_ACCEPTEX, bogus = { 0x0ddc0de, 1, 2, { 3 } };
    struct tcp_keepalive ka = { 1, 60000, 1000 };
    WSAOVERLAPPED ov;
    SOCKET c, s;
    DWORD bytes;
    u_long n;
    void *func;
    int ret;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;

    /* Success clears the last error, OVERLAPPED or not. */
    WSASetLastError(12345);
    ret = WSAIoctl(c, FIONREAD, NULL, 0, &n, sizeof(n), &bytes, NULL, NULL);
    ok(!ret && !WSAGetLastError(), "FIONREAD left the last error at %d (%d)\n", WSAGetLastError(), ret);
    fresh_ov(&ov, event);
    bytes = 0xdead;
    WSASetLastError(12345);
    ret = WSAIoctl(c, FIONREAD, NULL, 0, &n, sizeof(n), &bytes, &ov, NULL);
    ok(!ret && !WSAGetLastError() && bytes == sizeof(n), "overlapped FIONREAD: %d, error %d, %lu bytes\n", ret,
       WSAGetLastError(), bytes);
    ok(WaitForSingleObject(event, 5000) == WAIT_OBJECT_0 && !STATUS_OF(&ov) && !ov.InternalHigh,
       "overlapped FIONREAD: Internal %#lx, InternalHigh %llu\n", STATUS_OF(&ov), (unsigned long long)ov.InternalHigh);

    /* A short output is refused before anything is said about the count. */
    bytes = 0xdead;
    ret = WSAIoctl(c, FIONREAD, NULL, 0, &n, sizeof(n) - 1, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && bytes == 0xdead,
       "FIONREAD with a short output: %d %d, count %lu\n", ret, WSAGetLastError(), bytes);
    bytes = 0xdead;
    ret = WSAIoctl(c, SIOCATMARK, NULL, 0, &n, sizeof(n) - 1, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && bytes == 0xdead,
       "SIOCATMARK with a short output: %d %d, count %lu\n", ret, WSAGetLastError(), bytes);

    /* An extension function nobody has fails at once, OVERLAPPED or not. */
    fresh_ov(&ov, event);
    bytes = 0xdead;
    ret = WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof(bogus), &func, sizeof(func), &bytes, &ov,
                   NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "unknown extension function: %d %d\n", ret,
       WSAGetLastError());
    ok(bytes == 0xdead && ov.Internal == 0xdeadbeef && WaitForSingleObject(event, 0) == WAIT_TIMEOUT,
       "unknown extension function: count %lu, Internal %#lx\n", bytes, STATUS_OF(&ov));
    fresh_ov(&ov, event);
    ret = WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex, sizeof(acceptex), &func, sizeof(func), &bytes,
                   &ov, NULL);
    ok(!ret && bytes == sizeof(func) && func, "AcceptEx with an OVERLAPPED: %d %d, %lu bytes\n", ret,
       WSAGetLastError(), bytes);
    ok(WaitForSingleObject(event, 5000) == WAIT_OBJECT_0, "AcceptEx with an OVERLAPPED: no event\n");

    /* SIO_KEEPALIVE_VALS goes to the transport: a short input with an
     * OVERLAPPED fails at once, the request already marked pending. */
    fresh_ov(&ov, event);
    bytes = 0xdead;
    ret = WSAIoctl(c, SIO_KEEPALIVE_VALS, &ka, sizeof(ka) - 1, NULL, 0, &bytes, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && bytes == 0xdead,
       "SIO_KEEPALIVE_VALS with a short input and an OVERLAPPED: %d %d, count %lu\n", ret, WSAGetLastError(), bytes);
    ok(STATUS_OF(&ov) == NT(STATUS_PENDING), "SIO_KEEPALIVE_VALS with a short input: Internal %#lx\n", STATUS_OF(&ov));
    bytes = 0xdead;
    ret = WSAIoctl(c, SIO_KEEPALIVE_VALS, &ka, sizeof(ka) - 1, NULL, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && !bytes,
       "SIO_KEEPALIVE_VALS with a short input: %d %d, count %lu\n", ret, WSAGetLastError(), bytes);

    closesocket(c);
    closesocket(s);
    CloseHandle(event);
}

static void test_address_list(void)
{
    char buf[4096];
    SOCKET_ADDRESS_LIST *list = (SOCKET_ADDRESS_LIST *)buf;
    DWORD bytes, need, size;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int ret, i;

    need = 0;
    ret = WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, 0, &need, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && need >= offsetof(SOCKET_ADDRESS_LIST, Address),
       "SIO_ADDRESS_LIST_QUERY without a buffer: %d %d, needs %lu\n", ret, WSAGetLastError(), need);
    /* Room for less than the count of addresses is a bad argument. */
    bytes = 0xdead;
    ret = WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, 1, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL && !bytes,
       "SIO_ADDRESS_LIST_QUERY into 1 byte: %d %d, count %lu\n", ret, WSAGetLastError(), bytes);
    if (need > offsetof(SOCKET_ADDRESS_LIST, Address) && need <= sizeof(buf))
    {
        bytes = 0;
        ret = WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, need - 1, &bytes, NULL, NULL);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && bytes == need,
           "SIO_ADDRESS_LIST_QUERY one byte short: %d %d, count %lu\n", ret, WSAGetLastError(), bytes);
    }
    bytes = 0;
    ret = WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, sizeof(buf), &bytes, NULL, NULL);
    ok(!ret && bytes == need, "SIO_ADDRESS_LIST_QUERY: %d %d, %lu bytes of %lu\n", ret, WSAGetLastError(), bytes,
       need);
    if (ret) goto done;
    size = offsetof(SOCKET_ADDRESS_LIST, Address) + list->iAddressCount * sizeof(SOCKET_ADDRESS);
    for (i = 0; i < list->iAddressCount; i++)
    {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)list->Address[i].lpSockaddr;

        size += list->Address[i].iSockaddrLength;
        ok(sin->sin_family == AF_INET && list->Address[i].iSockaddrLength == sizeof(*sin),
           "address %d: family %d, length %d\n", i, sin->sin_family, list->Address[i].iSockaddrLength);
        ok((ntohl(sin->sin_addr.s_addr) >> 24) != 127, "address %d is a loopback address\n", i);
    }
    ok(size == bytes, "SIO_ADDRESS_LIST_QUERY: %d addresses in %lu bytes, %lu written\n", list->iAddressCount, size,
       bytes);
done:
    closesocket(s);
}

/* SIO_GET_INTERFACE_LIST: what the transport answers itself ("Winsock
 * IOCTLs": an array of INTERFACE_INFO, the loopback interface among them);
 * how it reports is what Wine's suite records (test_get_interface_list). */
static void test_interface_list(void)
{
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    INTERFACE_INFO info[64];
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAOVERLAPPED ov;
    DWORD bytes = 0, size, i;
    int ret, loopback = 0;

    ret = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(info), &bytes, NULL, NULL);
    ok(!ret && bytes && !(bytes % sizeof(info[0])), "SIO_GET_INTERFACE_LIST: %d %d, %lu bytes\n", ret,
       WSAGetLastError(), bytes);
    if (ret) goto done;
    size = bytes;
    for (i = 0; i < size / sizeof(info[0]); i++)
    {
        const struct sockaddr_in *bcast = &info[i].iiBroadcastAddress.AddressIn;

        if (info[i].iiFlags & IFF_LOOPBACK) loopback = 1;
        /* Without broadcast, no broadcast address at all, not even its family. */
        if (!(info[i].iiFlags & IFF_BROADCAST))
            ok(!bcast->sin_family && !bcast->sin_addr.s_addr, "interface %lu: no broadcast, but family %d, %#lx\n",
               i, bcast->sin_family, (unsigned long)bcast->sin_addr.s_addr);
    }
    ok(loopback, "no interface is the loopback one\n");

    /* A short buffer: the list's size is not told. */
    bytes = 0xdead;
    ret = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(info[0]) - 1, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && !bytes,
       "SIO_GET_INTERFACE_LIST into a short buffer: %d %d, count %lu\n", ret, WSAGetLastError(), bytes);

    /* With an OVERLAPPED it is pending, and its completion carries the size. */
    fresh_ov(&ov, event);
    bytes = 0xdead;
    ret = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(info), &bytes, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING && bytes == 0xdead,
       "overlapped SIO_GET_INTERFACE_LIST: %d %d, count %lu\n", ret, WSAGetLastError(), bytes);
    ok(WaitForSingleObject(event, 5000) == WAIT_OBJECT_0 && !STATUS_OF(&ov) && ov.InternalHigh == size,
       "overlapped SIO_GET_INTERFACE_LIST: Internal %#lx, InternalHigh %llu of %lu\n", STATUS_OF(&ov),
       (unsigned long long)ov.InternalHigh, size);
    fresh_ov(&ov, event);
    ret = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(info[0]) - 1, &bytes, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING,
       "overlapped SIO_GET_INTERFACE_LIST into a short buffer: %d %d\n", ret, WSAGetLastError());
    ok(WaitForSingleObject(event, 5000) == WAIT_OBJECT_0 && STATUS_OF(&ov) == NT(STATUS_BUFFER_TOO_SMALL),
       "overlapped SIO_GET_INTERFACE_LIST into a short buffer: Internal %#lx\n", STATUS_OF(&ov));
done:
    closesocket(s);
    CloseHandle(event);
}

static void test_route_query(void)
{
    struct sockaddr_in to = { 0 }, from;
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    DWORD bytes;
    int ret;

    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(9);
    memset(&from, 0xcc, sizeof(from));
    bytes = 0;
    ret = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &to, sizeof(to), &from, sizeof(from), &bytes, NULL, NULL);
    ok(!ret && bytes == sizeof(from) && from.sin_family == AF_INET,
       "SIO_ROUTING_INTERFACE_QUERY to loopback: %d %d, %lu bytes, family %d\n", ret, WSAGetLastError(), bytes,
       from.sin_family);

    /* Wine's suite records these errors (test_sioRoutingInterfaceQuery). */
    bytes = 0xdead;
    ret = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &to, sizeof(to) - 1, &from, sizeof(from), &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL && bytes == 0xdead,
       "SIO_ROUTING_INTERFACE_QUERY with a short input: %d %d, count %lu\n", ret, WSAGetLastError(), bytes);
    bytes = 0xdead;
    ret = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &to, sizeof(to), &from, sizeof(from) - 1, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && bytes == sizeof(from),
       "SIO_ROUTING_INTERFACE_QUERY with a short output: %d %d, count %lu\n", ret, WSAGetLastError(), bytes);
    to.sin_addr.s_addr = htonl(INADDR_ANY);
    ret = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &to, sizeof(to), &from, sizeof(from), &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "SIO_ROUTING_INTERFACE_QUERY to 0.0.0.0: %d %d\n", ret,
       WSAGetLastError());
    to.sin_family = AF_UNSPEC;
    ret = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &to, sizeof(to), &from, sizeof(from), &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEAFNOSUPPORT,
       "SIO_ROUTING_INTERFACE_QUERY without a family: %d %d\n", ret, WSAGetLastError());
    closesocket(s);
}

/* Wine's suite records these for Windows (test_backlog_query, test_circular_queueing). */
static void test_small_codes(void)
{
    SOCKET c, s, u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ULONG backlog = 0;
    DWORD bytes;
    int ret;

    ret = WSAIoctl(u, IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &backlog, sizeof(backlog), &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEOPNOTSUPP, "send backlog of a UDP socket: %d %d\n", ret,
       WSAGetLastError());
    ret = WSAIoctl(t, IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &backlog, sizeof(backlog), &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTCONN, "send backlog unconnected: %d %d\n", ret,
       WSAGetLastError());
    if (!wstest_tcp_pair(AF_INET, &c, &s))
    {
        bytes = 0;
        ret = WSAIoctl(c, IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &backlog, sizeof(backlog), &bytes, NULL, NULL);
        ok(!ret && bytes == sizeof(backlog) && backlog, "send backlog: %d %d, %lu bytes, %lu\n", ret,
           WSAGetLastError(), bytes, backlog);
        closesocket(c);
        closesocket(s);
    }
    ret = WSAIoctl(u, SIO_ENABLE_CIRCULAR_QUEUEING, NULL, 0, NULL, 0, &bytes, NULL, NULL);
    ok(!ret, "SIO_ENABLE_CIRCULAR_QUEUEING: %d %d\n", ret, WSAGetLastError());
    closesocket(u);
    closesocket(t);
}

/*
 * SIO_ADDRESS_LIST_CHANGE ("SIO_ADDRESS_LIST_CHANGE" in "Winsock IOCTLs";
 * Wine's test_sioAddressListChange, passing on Windows): a request that ends
 * when an address comes or goes.  Without an OVERLAPPED a non-blocking
 * socket says WSAEWOULDBLOCK; with one the call is pending, and closing the
 * socket ends it with a packet that says ERROR_OPERATION_ABORTED.  No test
 * here changes the machine's addresses: a change while it runs ends the
 * pending request early, which is reported, not failed.
 */
static void test_address_change(void)
{
    struct sockaddr_in sin;
    WSAOVERLAPPED ov, *got;
    u_long one = 1;
    ULONG_PTR key;
    HANDLE port;
    DWORD bytes;
    SOCKET s;
    BOOL ret;
    int rc;

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(s, (struct sockaddr *)&sin, sizeof(sin)), "bind: %d\n", WSAGetLastError());
    ok(!ioctlsocket(s, FIONBIO, &one), "FIONBIO: %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    rc = WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &bytes, NULL, NULL);
    ok(rc == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "no OVERLAPPED, non-blocking: %d, error %d\n",
       rc, WSAGetLastError());

    port = CreateIoCompletionPort((HANDLE)s, NULL, 77, 0);
    ok(port != NULL, "CreateIoCompletionPort: %lu\n", GetLastError());
    memset(&ov, 0, sizeof(ov));
    WSASetLastError(0xdead);
    rc = WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &bytes, &ov, NULL);
    ok(rc == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "with an OVERLAPPED: %d, error %d\n", rc,
       WSAGetLastError());
    got = NULL;
    ret = GetQueuedCompletionStatus(port, &bytes, &key, &got, 200);
    if (ret || got) trace("an address changed while the test ran\n");
    else ok(GetLastError() == WAIT_TIMEOUT, "pending request: error %lu\n", GetLastError());
    if (!ret && !got)
    {
        closesocket(s);
        s = INVALID_SOCKET;
        got = NULL;
        ret = GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000);
        ok(!ret && got == &ov && key == 77, "after closesocket: %d, ov %p, key %lu\n", ret, (void *)got,
           (unsigned long)key);
        ok(GetLastError() == ERROR_OPERATION_ABORTED, "after closesocket: error %lu\n", GetLastError());
    }
    if (s != INVALID_SOCKET) closesocket(s);
    CloseHandle(port);
}

START_TEST(ioctl)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_fionbio();
    test_fionread();
    test_siocatmark();
    test_oob_then_inline();
    test_keepalive_vals();
    test_bad_arguments();
    test_unknown_overlapped();
    test_base_handle();
    test_reporting();
    test_address_list();
    test_interface_list();
    test_route_query();
    test_small_codes();
    test_address_change();
    WSACleanup();
}
