/*
 * Sockets attached to an I/O completion port: every overlapped call posts
 * one packet (key, OVERLAPPED, byte count, status) to the port, and the
 * OVERLAPPED carries the NTSTATUS and the byte count while and after the
 * operation runs.
 *
 * What Microsoft documents ("I/O Completion Ports", CreateIoCompletionPort,
 * GetQueuedCompletionStatus(Ex), SetFileCompletionNotificationModes,
 * GetOverlappedResult(Ex), WSAGetOverlappedResult, CancelIoEx, closesocket,
 * the OVERLAPPED structure):
 *  - an operation that completes at once (returns 0/TRUE) still queues a
 *    packet, unless FILE_SKIP_COMPLETION_PORT_ON_SUCCESS is set; one that
 *    fails at once with an error other than WSA_IO_PENDING queues nothing;
 *  - an OVERLAPPED whose hEvent has the low bit set queues no packet; its
 *    event (without that bit) is still set;
 *  - FILE_SKIP_SET_EVENT_ON_HANDLE leaves the explicit event of a request
 *    alone: it is still set;
 *  - Internal holds STATUS_PENDING while the request runs, then its final
 *    NTSTATUS, and InternalHigh the bytes transferred;
 *  - GetQueuedCompletionStatus returns FALSE with the packet filled in for
 *    a failed request (GetLastError: the status as a Win32 error), and
 *    FALSE with *lpOverlapped NULL and WAIT_TIMEOUT when nothing came;
 *  - GetOverlappedResult(Ex) on a request still running fails with
 *    ERROR_IO_INCOMPLETE (GetOverlappedResultEx with a time-out that runs
 *    out: WAIT_TIMEOUT); WSAGetOverlappedResult with WSA_IO_INCOMPLETE;
 *  - CancelIoEx(h, ov) cancels that request only (ERROR_NOT_FOUND when
 *    there is none), CancelIo those the thread issued on h; a cancelled
 *    request completes with ERROR_OPERATION_ABORTED (STATUS_CANCELLED);
 *  - closesocket cancels the pending requests of the socket; with linger
 *    {1, 0} the peer sees a reset.
 * Where Microsoft documents nothing, the expectation is what Windows is
 * recorded to do by Wine's conformance suite (dlls/ws2_32/tests/sock.c,
 * which runs on Windows), and the comment says so.
 *
 * Every wait is bounded: a packet that never comes is a failed check after
 * WAIT_MS (after MISSING_MS once one did not come), and the harness'
 * watchdog ends the program after WSTEST_TIMEOUT seconds whatever happens
 * (110 here, set by the ws2test-env line below, within run-conformance's
 * 120 s).
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

/* ULONG_PTR (completion keys, OVERLAPPED's Internal) is unsigned long in a
 * 32-bit build and unsigned long long in a 64-bit one. */
#ifdef _WIN64
#define KEYX "%#llx"
#define KEYU "%llu"
#else
#define KEYX "%#lx"
#define KEYU "%lu"
#endif
#include <mswsock.h>

/* ws2test-env: WSTEST_TIMEOUT=110 */

#define WAIT_MS    5000
#define REFUSED_MS 15000 /* Windows retries a refused SYN for about 2 s */
#define QUIET_MS   200   /* how long "no packet" is watched for */
#define MISSING_MS 500
#define AREA       (sizeof(struct sockaddr_in) + 16)
#define BULK_SIZE  (1024 * 1024)
#define BULK_CHUNK 65536

/* The NTSTATUS in an OVERLAPPED: Internal is pointer-sized, the status
 * only its low 32 bits. */
#define STATUS_OF(ov) ((ULONG)(ov)->Internal)

static LPFN_ACCEPTEX pAcceptEx;
static LPFN_CONNECTEX pConnectEx;
static LPFN_DISCONNECTEX pDisconnectEx;
static LPFN_TRANSMITFILE pTransmitFile;
static LPFN_TRANSMITPACKETS pTransmitPackets;
static LPFN_WSARECVMSG pWSARecvMsg;
static LPFN_WSASENDMSG pWSASendMsg;

static void *ext_pointer(SOCKET s, GUID guid)
{
    void *ptr = NULL;
    DWORD len = 0;

    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &ptr, sizeof(ptr), &len, NULL, NULL))
        return NULL;
    return ptr;
}

static void load_extensions(void)
{
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    pAcceptEx = ext_pointer(tcp, (GUID)WSAID_ACCEPTEX);
    pConnectEx = ext_pointer(tcp, (GUID)WSAID_CONNECTEX);
    pDisconnectEx = ext_pointer(tcp, (GUID)WSAID_DISCONNECTEX);
    pTransmitFile = ext_pointer(tcp, (GUID)WSAID_TRANSMITFILE);
    pTransmitPackets = ext_pointer(tcp, (GUID)WSAID_TRANSMITPACKETS);
    pWSARecvMsg = ext_pointer(udp, (GUID)WSAID_WSARECVMSG);
    pWSASendMsg = ext_pointer(udp, (GUID)WSAID_WSASENDMSG);
    closesocket(tcp);
    closesocket(udp);
}

/* ------------------------------------------------------------ helpers */

static HANDLE new_port(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);

    ok(port != NULL, "CreateIoCompletionPort failed, error %lu\n", GetLastError());
    return port;
}

#define attach(port, s, key) attach_at(__FILE__, __LINE__, port, s, key)
static void attach_at(const char *file, int line, HANDLE port, SOCKET s, ULONG_PTR key)
{
    HANDLE ret = CreateIoCompletionPort((HANDLE)s, port, key, 0);

    wstest_ok(file, line, ret == port, "attaching socket " KEYX " to the port: %p, error %lu\n", (ULONG_PTR)s, ret,
              GetLastError());
}

struct packet
{
    BOOL ret;
    DWORD error, bytes;
    ULONG_PTR key;
    OVERLAPPED *ov;
};

/* Once an expected packet did not come, the DLL under test is taken not to
 * post packets at all: later waits for one are cut to MISSING_MS, so that
 * the program gets through every check before the watchdog ends it. */
static int packets_missing;

static void get_packet(HANDLE port, DWORD ms, struct packet *p)
{
    if (packets_missing && ms > MISSING_MS) ms = MISSING_MS;
    p->bytes = 0xdeadbeef;
    p->key = 0xdeadbeef;
    p->ov = (OVERLAPPED *)0xdeadbeef;
    SetLastError(0xdeadbeef);
    p->ret = GetQueuedCompletionStatus(port, &p->bytes, &p->key, &p->ov, ms);
    p->error = p->ret ? 0 : GetLastError();
    if (!p->ov && ms > QUIET_MS && !packets_missing)
    {
        trace("no packet within %lu ms: from now on waiting at most %u ms for one\n", ms, MISSING_MS);
        packets_missing = 1;
    }
}

/* The next packet is (key, ov, bytes) and its status gives `error` (0: the
 * call returns TRUE).  Returns 1 when it is. */
#define check_packet(what, port, key, ov, bytes, error) \
    check_packet_at(__FILE__, __LINE__, what, port, key, (OVERLAPPED *)(ov), bytes, error, WAIT_MS)
/*
 * Set around the checks of a failure's own status (a reset, a refused
 * connection) in the packet, in Internal and from GetOverlappedResult: our
 * packets come from pipe I/O, which cannot end with a socket's status
 * (doc/design-notes.md, "Completion ports"), so there they say success with
 * no bytes; WSAGetOverlappedResult gives the real error and is checked with
 * ok() as everywhere.
 */
static int status_limit;

static int check_got_at(const char *file, int line, const char *what, const struct packet *p, ULONG_PTR key,
                        OVERLAPPED *ov, DWORD bytes, DWORD error)
{
    if (!p->ret && p->error == WAIT_TIMEOUT && !p->ov) return wstest_ok(file, line, 0, "%s: no packet came\n", what);
    if (status_limit && error)
    {
        wstest_ok(file, line, p->key == key && p->ov == ov && p->bytes == bytes,
                  "%s: packet key " KEYX " ov %p bytes %lu; want key " KEYX " ov %p bytes %lu\n", what, p->key, p->ov,
                  p->bytes, key, ov, bytes);
        return wstest_todo(file, line, !p->ret && p->error == error, "%s: packet ret %d error %lu, want 0 and %lu\n",
                           what, p->ret, p->error, error);
    }
    return wstest_ok(file, line,
                     p->ret == !error && p->error == error && p->key == key && p->ov == ov && p->bytes == bytes,
                     "%s: packet ret %d error %lu key " KEYX
                     " ov %p bytes %lu; want ret %d error %lu key " KEYX " ov %p "
                     "bytes %lu\n",
                     what, p->ret, p->error, p->key, p->ov, p->bytes, !error, error, key, ov, bytes);
}

static int check_packet_at(const char *file, int line, const char *what, HANDLE port, ULONG_PTR key,
                           OVERLAPPED *ov, DWORD bytes, DWORD error, DWORD ms)
{
    struct packet p;

    get_packet(port, ms, &p);
    return check_got_at(file, line, what, &p, key, ov, bytes, error);
}

/* n packets, each put where its OVERLAPPED is in want[] (requests that end
 * together may queue their packets in any order); the rest are lost. */
static void get_packets_for(HANDLE port, unsigned int n, OVERLAPPED **want, struct packet *out)
{
    struct packet p;
    unsigned int i, j;

    for (i = 0; i < n; i++)
    {
        /* What GetQueuedCompletionStatus gives when nothing comes. */
        memset(&out[i], 0, sizeof(out[i]));
        out[i].error = WAIT_TIMEOUT;
    }
    for (i = 0; i < n; i++)
    {
        get_packet(port, WAIT_MS, &p);
        if (!p.ov) break;
        for (j = 0; j < n; j++)
            if (p.ov == want[j]) out[j] = p;
    }
}

static void memswap_packets(struct packet *a, struct packet *b)
{
    struct packet t = *a;

    *a = *b;
    *b = t;
}

/* Two packets for ov1 and ov2, in either order (the order of requests that
 * end together is not documented). */
#define check_two_packets(what, port, key, ov1, ov2, bytes, error) \
    check_two_packets_at(__FILE__, __LINE__, what, port, key, ov1, ov2, bytes, error)
static void check_two_packets_at(const char *file, int line, const char *what, HANDLE port, ULONG_PTR key,
                                 OVERLAPPED *ov1, OVERLAPPED *ov2, DWORD bytes, DWORD error)
{
    struct packet a, b;
    int a_ok, b_ok;

    get_packet(port, WAIT_MS, &a);
    get_packet(port, WAIT_MS, &b);
    if (a.ov == ov2) memswap_packets(&a, &b);
    wstest_ok(file, line, a.ov == ov1 && b.ov == ov2, "%s: packets for %p and %p, want %p and %p\n", what, a.ov, b.ov,
              ov1, ov2);
    if (status_limit && error)
    {
        wstest_ok(file, line, a.key == key && b.key == key && a.bytes == bytes && b.bytes == bytes,
                  "%s: key " KEYX "/" KEYX " bytes %lu/%lu; want " KEYX
                  ", %lu\n",
                  what, a.key, b.key, a.bytes, b.bytes, key,
                  bytes);
        wstest_todo(file, line, !a.ret && !b.ret && a.error == error && b.error == error,
                    "%s: ret %d/%d errors %lu/%lu, want 0 and %lu\n", what, a.ret, b.ret, a.error, b.error, error);
        return;
    }
    a_ok = a.ret == !error && a.error == error && a.key == key && a.bytes == bytes;
    b_ok = b.ret == !error && b.error == error && b.key == key && b.bytes == bytes;
    wstest_ok(file, line, a_ok && b_ok,
              "%s: ret %d/%d error %lu/%lu key " KEYX "/" KEYX
              " bytes %lu/%lu; want %d, %lu, " KEYX ", %lu\n",
              what, a.ret,
              b.ret, a.error, b.error, a.key, b.key, a.bytes, b.bytes, !error, error, key, bytes);
}

/* A send and the receive it completes, each with its packet, in either
 * order.  Returns 1 when the receive's packet is right. */
#define check_send_recv(what, port, skey, sov, rkey, rov, bytes) \
    check_send_recv_at(__FILE__, __LINE__, what, port, skey, sov, rkey, rov, bytes)
static int check_send_recv_at(const char *file, int line, const char *what, HANDLE port, ULONG_PTR skey,
                              OVERLAPPED *sov, ULONG_PTR rkey, OVERLAPPED *rov, DWORD bytes)
{
    OVERLAPPED *want[2] = { sov, rov };
    struct packet got[2];
    char name[64];

    get_packets_for(port, 2, want, got);
    snprintf(name, sizeof(name), "%s, the send", what);
    check_got_at(file, line, name, &got[0], skey, sov, bytes, 0);
    snprintf(name, sizeof(name), "%s, the receive", what);
    return check_got_at(file, line, name, &got[1], rkey, rov, bytes, 0);
}

/* No packet comes within QUIET_MS; the time-out itself looks as documented. */
#define check_no_packet(what, port) check_no_packet_at(__FILE__, __LINE__, what, port)
static void check_no_packet_at(const char *file, int line, const char *what, HANDLE port)
{
    struct packet p;

    get_packet(port, QUIET_MS, &p);
    wstest_ok(file, line, !p.ret && p.error == WAIT_TIMEOUT && !p.ov,
              "%s: unexpected packet ret %d error %lu key " KEYX
              " ov %p bytes %lu\n",
              what, p.ret, p.error, p.key, p.ov,
              p.bytes);
}

/* The call either completed at once (0 for the WSA calls, TRUE for the
 * extension functions) or is pending. */
static int started(int ret, int success, const char *what)
{
    int error = WSAGetLastError();

    ok(ret == success || error == WSA_IO_PENDING, "%s: returned %d, error %d\n", what, ret, error);
    return ret == success || error == WSA_IO_PENDING;
}

/* The call must be pending: the return value says failure, with
 * WSA_IO_PENDING, and Internal is STATUS_PENDING. */
#define check_pending(what, ret, fail_value, ov) check_pending_at(__FILE__, __LINE__, what, ret, fail_value, ov)
static void check_pending_at(const char *file, int line, const char *what, int ret, int fail_value, OVERLAPPED *ov)
{
    int error = WSAGetLastError();

    wstest_ok(file, line, ret == fail_value && error == WSA_IO_PENDING, "%s: returned %d, error %d; want pending\n",
              what, ret, error);
    wstest_ok(file, line, STATUS_OF(ov) == STATUS_PENDING, "%s: Internal " KEYX " while pending\n", what, ov->Internal);
}

#define check_final(what, ov, status, bytes) check_final_at(__FILE__, __LINE__, what, ov, status, bytes)
static void check_final_at(const char *file, int line, const char *what, OVERLAPPED *ov, NTSTATUS status,
                           ULONG_PTR bytes)
{
    if (status_limit && status)
    {
        wstest_ok(file, line, ov->InternalHigh == bytes, "%s: InternalHigh " KEYU "; want " KEYU "\n", what,
                  ov->InternalHigh,
                  bytes);
        wstest_todo(file, line, STATUS_OF(ov) == (ULONG)status, "%s: Internal " KEYX "; want %#lx\n", what,
                    ov->Internal,
                    (unsigned long)status);
        return;
    }
    wstest_ok(file, line, STATUS_OF(ov) == (ULONG)status && ov->InternalHigh == bytes,
              "%s: Internal " KEYX " InternalHigh " KEYU "; want %#lx and " KEYU
              "\n",
              what, ov->Internal, ov->InternalHigh,
              (unsigned long)status, bytes);
}

static void init_ov(OVERLAPPED *ov, HANDLE event)
{
    memset(ov, 0, sizeof(*ov));
    ov->hEvent = event;
}

static void set_linger(SOCKET s, u_short onoff, u_short seconds)
{
    struct linger l = { onoff, seconds };

    ok(!setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l)), "SO_LINGER: error %d\n", WSAGetLastError());
}

static SOCKET bound_tcp(void)
{
    struct sockaddr_in addr = { 0 };
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(s, (struct sockaddr *)&addr, sizeof(addr)), "bind failed, error %d\n", WSAGetLastError());
    return s;
}

static SOCKET bound_udp(struct sockaddr_in *addr)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    int len = sizeof(*addr);

    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(s, (struct sockaddr *)addr, sizeof(*addr)) && !getsockname(s, (struct sockaddr *)addr, &len),
       "UDP bind failed, error %d\n", WSAGetLastError());
    return s;
}

/* --------------------------------------------------- WSARecv, WSASend */

static void test_recv_send(void)
{
    SOCKET client, server;
    HANDLE port, event;
    OVERLAPPED rov, sov, sov2;
    char buf[64];
    WSABUF rbuf = { sizeof(buf), buf }, small = { 4, buf }, hello = { 5, (char *)"hello" };
    DWORD bytes, flags = 0;
    OVERLAPPED_ENTRY entries[4];
    ULONG count, total;
    ULONGLONG start;
    BOOL done;
    int ret;

    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());
    port = new_port();
    attach(port, server, 1);
    attach(port, client, 2);
    event = CreateEventA(NULL, TRUE, FALSE, NULL);

    /* Pending: every way of asking says "not yet". */
    init_ov(&rov, event);
    ret = WSARecv(server, &rbuf, 1, NULL, &flags, (WSAOVERLAPPED *)&rov, NULL);
    check_pending("WSARecv", ret, SOCKET_ERROR, &rov);
    check_no_packet("pending WSARecv", port);
    WSASetLastError(0xdeadbeef);
    done = WSAGetOverlappedResult(server, (WSAOVERLAPPED *)&rov, &bytes, FALSE, &flags);
    ok(!done && WSAGetLastError() == WSA_IO_INCOMPLETE, "WSAGetOverlappedResult while pending: %d, error %d\n", done,
       WSAGetLastError());
    SetLastError(0xdeadbeef);
    done = GetOverlappedResult((HANDLE)server, &rov, &bytes, FALSE);
    ok(!done && GetLastError() == ERROR_IO_INCOMPLETE, "GetOverlappedResult while pending: %d, error %lu\n", done,
       GetLastError());
    SetLastError(0xdeadbeef);
    done = GetOverlappedResultEx((HANDLE)server, &rov, &bytes, 0, FALSE);
    ok(!done && GetLastError() == ERROR_IO_INCOMPLETE, "GetOverlappedResultEx(0) while pending: %d, error %lu\n",
       done, GetLastError());
    SetLastError(0xdeadbeef);
    done = GetOverlappedResultEx((HANDLE)server, &rov, &bytes, 100, FALSE);
    ok(!done && GetLastError() == WAIT_TIMEOUT, "GetOverlappedResultEx(100) while pending: %d, error %lu\n", done,
       GetLastError());

    /* The send completes at once or later; either way one packet each. */
    init_ov(&sov, NULL);
    ret = WSASend(client, &hello, 1, NULL, 0, (WSAOVERLAPPED *)&sov, NULL);
    if (started(ret, 0, "WSASend") && check_send_recv("WSASend, WSARecv", port, 2, &sov, 1, &rov, 5))
        ok(!memcmp(buf, "hello", 5), "wrong bytes received\n");
    check_final("WSASend", &sov, STATUS_SUCCESS, 5);
    check_final("WSARecv", &rov, STATUS_SUCCESS, 5);
    ok(WaitForSingleObject(event, 0) == WAIT_OBJECT_0, "the event of a completed WSARecv is not set\n");
    bytes = 0;
    flags = 0xdeadbeef;
    done = WSAGetOverlappedResult(server, (WSAOVERLAPPED *)&rov, &bytes, FALSE, &flags);
    ok(done && bytes == 5 && !flags, "WSAGetOverlappedResult: %d, %lu bytes, flags %#lx, error %d\n", done, bytes,
       flags, WSAGetLastError());
    bytes = 0;
    done = GetOverlappedResult((HANDLE)server, &rov, &bytes, TRUE);
    ok(done && bytes == 5, "GetOverlappedResult: %d, %lu bytes, error %lu\n", done, bytes, GetLastError());
    bytes = 0;
    done = GetOverlappedResultEx((HANDLE)server, &rov, &bytes, 0, FALSE);
    ok(done && bytes == 5, "GetOverlappedResultEx: %d, %lu bytes, error %lu\n", done, bytes, GetLastError());

    /* Data already there: the receive completes at once, takes what fits
     * (4 of 10 bytes), and still queues its packet. */
    ok(send(client, "0123456789", 10, 0) == 10, "send failed, error %d\n", WSAGetLastError());
    ok(wstest_wait_readable(server, WAIT_MS), "the data did not arrive\n");
    Sleep(50);
    init_ov(&rov, NULL);
    bytes = 0xdeadbeef;
    flags = 0;
    ret = WSARecv(server, &small, 1, &bytes, &flags, (WSAOVERLAPPED *)&rov, NULL);
    ok(!ret && bytes == 4, "immediate WSARecv: %d, %lu bytes, error %d\n", ret, bytes, WSAGetLastError());
    check_final("immediate WSARecv", &rov, STATUS_SUCCESS, 4);
    check_packet("immediate WSARecv", port, 1, &rov, 4, 0);
    init_ov(&rov, NULL);
    ret = WSARecv(server, &rbuf, 1, &bytes, &flags, (WSAOVERLAPPED *)&rov, NULL);
    ok(!ret && bytes == 6 && !memcmp(buf, "456789", 6), "the rest: %d, %lu bytes, error %d\n", ret, bytes,
       WSAGetLastError());
    check_packet("WSARecv of the rest", port, 1, &rov, 6, 0);

    /* GetQueuedCompletionStatusEx takes several packets in one call. */
    init_ov(&sov, NULL);
    init_ov(&sov2, NULL);
    ret = WSASend(client, &hello, 1, NULL, 0, (WSAOVERLAPPED *)&sov, NULL);
    started(ret, 0, "first WSASend");
    ret = WSASend(client, &hello, 1, NULL, 0, (WSAOVERLAPPED *)&sov2, NULL);
    started(ret, 0, "second WSASend");
    memset(entries, 0xcc, sizeof(entries));
    total = 0;
    start = wstest_ticks();
    while (total < 2 && wstest_ticks() - start < WAIT_MS)
    {
        count = 0;
        if (!GetQueuedCompletionStatusEx(port, entries + total, ARRAY_SIZE(entries) - total, &count,
                                         packets_missing ? MISSING_MS : WAIT_MS, FALSE))
            break;
        total += count;
    }
    ok(total == 2, "GetQueuedCompletionStatusEx: %lu packets\n", total);
    if (total == 2)
    {
        ok(entries[0].lpCompletionKey == 2 && entries[1].lpCompletionKey == 2, "keys " KEYX " " KEYX "\n",
           entries[0].lpCompletionKey, entries[1].lpCompletionKey);
        ok(entries[0].lpOverlapped == &sov && entries[1].lpOverlapped == &sov2, "packets for %p %p, want %p %p\n",
           entries[0].lpOverlapped, entries[1].lpOverlapped, &sov, &sov2);
        ok(entries[0].dwNumberOfBytesTransferred == 5 && entries[1].dwNumberOfBytesTransferred == 5,
           "byte counts %lu %lu\n", entries[0].dwNumberOfBytesTransferred, entries[1].dwNumberOfBytesTransferred);
    }
    ok(wstest_recv_exact(server, buf, 10, WAIT_MS) == 10, "the two sends did not arrive\n");

    /* A receive that fails at once queues nothing. */
    ok(!shutdown(server, SD_RECEIVE), "shutdown failed, error %d\n", WSAGetLastError());
    init_ov(&rov, NULL);
    WSASetLastError(0xdeadbeef);
    ret = WSARecv(server, &rbuf, 1, &bytes, &flags, (WSAOVERLAPPED *)&rov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAESHUTDOWN, "WSARecv after shutdown: %d, error %d\n", ret,
       WSAGetLastError());
    check_no_packet("WSARecv that failed at once", port);

    closesocket(client);
    closesocket(server);
    CloseHandle(port);
    CloseHandle(event);
}

/* ------------------------------------------- WSARecvFrom, WSASendTo */

static void test_recvfrom_sendto(void)
{
    struct sockaddr_in aaddr, baddr, from;
    SOCKET a, b;
    HANDLE port;
    OVERLAPPED rov, sov;
    char buf[64];
    WSABUF rbuf = { sizeof(buf), buf }, small = { 4, buf }, ping = { 4, (char *)"ping" };
    DWORD flags = 0, bytes;
    int fromlen = sizeof(from), ret;
    BOOL done;

    a = bound_udp(&aaddr);
    b = bound_udp(&baddr);
    port = new_port();
    attach(port, a, 3);
    attach(port, b, 4);

    init_ov(&rov, NULL);
    memset(&from, 0, sizeof(from));
    ret = WSARecvFrom(a, &rbuf, 1, NULL, &flags, (struct sockaddr *)&from, &fromlen, (WSAOVERLAPPED *)&rov, NULL);
    check_pending("WSARecvFrom", ret, SOCKET_ERROR, &rov);
    init_ov(&sov, NULL);
    ret = WSASendTo(b, &ping, 1, NULL, 0, (struct sockaddr *)&aaddr, sizeof(aaddr), (WSAOVERLAPPED *)&sov, NULL);
    if (started(ret, 0, "WSASendTo") && check_send_recv("WSASendTo, WSARecvFrom", port, 4, &sov, 3, &rov, 4))
        ok(!memcmp(buf, "ping", 4), "wrong datagram\n");
    check_final("WSARecvFrom", &rov, STATUS_SUCCESS, 4);
    ok(fromlen == sizeof(from) && from.sin_family == AF_INET && from.sin_port == baddr.sin_port,
       "source: length %d, family %d, port %u (want %u)\n", fromlen, from.sin_family, ntohs(from.sin_port),
       ntohs(baddr.sin_port));

    /* A datagram larger than the buffer: STATUS_BUFFER_OVERFLOW, which the
     * port reports as ERROR_MORE_DATA and WSAGetOverlappedResult as
     * WSAEMSGSIZE ("the message was too large to fit"), with the bytes that
     * fit. */
    init_ov(&rov, NULL);
    fromlen = sizeof(from);
    ret = WSARecvFrom(a, &small, 1, NULL, &flags, (struct sockaddr *)&from, &fromlen, (WSAOVERLAPPED *)&rov, NULL);
    check_pending("WSARecvFrom, small buffer", ret, SOCKET_ERROR, &rov);
    ok(sendto(b, "0123456789", 10, 0, (struct sockaddr *)&aaddr, sizeof(aaddr)) == 10, "sendto failed, error %d\n",
       WSAGetLastError());
    check_packet("truncated WSARecvFrom", port, 3, &rov, 4, ERROR_MORE_DATA);
    ok(STATUS_OF(&rov) == (ULONG)STATUS_BUFFER_OVERFLOW, "truncated: Internal " KEYX "\n", rov.Internal);
    WSASetLastError(0xdeadbeef);
    done = WSAGetOverlappedResult(a, (WSAOVERLAPPED *)&rov, &bytes, FALSE, &flags);
    ok(!done && WSAGetLastError() == WSAEMSGSIZE && bytes == 4, "truncated: WSAGetOverlappedResult %d, error %d, "
                                                                "%lu bytes\n",
       done, WSAGetLastError(), bytes);

    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}

/* ------------------------------------------- WSARecvMsg, WSASendMsg */

static void test_msg(void)
{
    struct sockaddr_in raddr, saddr, from;
    WSABUF sbufs[2] = { { 3, (char *)"abc" }, { 4, (char *)"defg" } }, rbuf;
    SOCKET r, s;
    HANDLE port;
    OVERLAPPED rov, sov;
    char buf[64];
    WSAMSG rmsg, smsg;
    int ret;

    if (!pWSARecvMsg || !pWSASendMsg) return skip("no WSARecvMsg/WSASendMsg\n");
    r = bound_udp(&raddr);
    s = bound_udp(&saddr);
    port = new_port();
    attach(port, r, 5);
    attach(port, s, 6);

    rbuf.buf = buf;
    rbuf.len = sizeof(buf);
    memset(&rmsg, 0, sizeof(rmsg));
    memset(&from, 0, sizeof(from));
    rmsg.name = (struct sockaddr *)&from;
    rmsg.namelen = sizeof(from);
    rmsg.lpBuffers = &rbuf;
    rmsg.dwBufferCount = 1;
    init_ov(&rov, NULL);
    ret = pWSARecvMsg(r, &rmsg, NULL, (WSAOVERLAPPED *)&rov, NULL);
    check_pending("WSARecvMsg", ret, SOCKET_ERROR, &rov);

    memset(&smsg, 0, sizeof(smsg));
    smsg.name = (struct sockaddr *)&raddr;
    smsg.namelen = sizeof(raddr);
    smsg.lpBuffers = sbufs;
    smsg.dwBufferCount = 2;
    init_ov(&sov, NULL);
    ret = pWSASendMsg(s, &smsg, 0, NULL, (WSAOVERLAPPED *)&sov, NULL);
    if (started(ret, 0, "WSASendMsg") && check_send_recv("WSASendMsg, WSARecvMsg", port, 6, &sov, 5, &rov, 7))
        ok(!memcmp(buf, "abcdefg", 7), "wrong datagram\n");
    check_final("WSASendMsg", &sov, STATUS_SUCCESS, 7);
    check_final("WSARecvMsg", &rov, STATUS_SUCCESS, 7);
    ok(from.sin_family == AF_INET && from.sin_port == saddr.sin_port, "source port %u, want %u\n",
       ntohs(from.sin_port), ntohs(saddr.sin_port));

    closesocket(r);
    closesocket(s);
    CloseHandle(port);
}

/* ----------------------------------------------------------- AcceptEx */

static void test_acceptex(DWORD recv_len)
{
    struct sockaddr_storage addr;
    SOCKET listener, acceptor, client;
    HANDLE port;
    OVERLAPPED ov, rov;
    char buf[64 + 2 * AREA], data[16];
    WSABUF rbuf = { sizeof(data), data };
    DWORD bytes = 0xdeadbeef, flags = 0;
    int addrlen, ret;
    BOOL done;

    if (!pAcceptEx) return skip("no AcceptEx\n");
    listener = wstest_listener(AF_INET, &addr, &addrlen);
    acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    port = new_port();
    attach(port, listener, 7);

    init_ov(&ov, NULL);
    done = pAcceptEx(listener, acceptor, buf, recv_len, AREA, AREA, &bytes, &ov);
    check_pending("AcceptEx", done, FALSE, &ov);
    check_no_packet("AcceptEx without a connection", port);
    ok(!connect(client, (struct sockaddr *)&addr, addrlen), "connect failed, error %d\n", WSAGetLastError());
    if (recv_len)
    {
        /* With a receive length it completes only once data came. */
        check_no_packet("AcceptEx before the first data", port);
        ok(send(client, "first data", 10, 0) == 10, "send failed, error %d\n", WSAGetLastError());
    }
    if (check_packet(recv_len ? "AcceptEx with data" : "AcceptEx", port, 7, &ov, recv_len ? 10 : 0, 0) && recv_len)
        ok(!memcmp(buf, "first data", 10), "wrong first data\n");
    check_final("AcceptEx", &ov, STATUS_SUCCESS, recv_len ? 10 : 0);
    ok(!setsockopt(acceptor, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener, sizeof(listener)),
       "SO_UPDATE_ACCEPT_CONTEXT failed, error %d\n", WSAGetLastError());

    /* The accepted socket goes to the port with a key of its own. */
    attach(port, acceptor, 8);
    init_ov(&rov, NULL);
    ret = WSARecv(acceptor, &rbuf, 1, NULL, &flags, (WSAOVERLAPPED *)&rov, NULL);
    check_pending("WSARecv on the accepted socket", ret, SOCKET_ERROR, &rov);
    ok(send(client, "ping", 4, 0) == 4, "send failed, error %d\n", WSAGetLastError());
    check_packet("WSARecv on the accepted socket", port, 8, &rov, 4, 0);

    /* Closing the accept socket as the connection comes ends the AcceptEx
     * with a failure: aborted (Wine's test_completion_port records
     * ERROR_OPERATION_ABORTED or ERROR_CONNECTION_ABORTED on Windows). */
    closesocket(acceptor);
    closesocket(client);
    acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    init_ov(&ov, NULL);
    done = pAcceptEx(listener, acceptor, buf, 16, AREA, AREA, &bytes, &ov);
    check_pending("AcceptEx into a socket closed next", done, FALSE, &ov);
    ok(!connect(client, (struct sockaddr *)&addr, addrlen), "connect failed, error %d\n", WSAGetLastError());
    closesocket(acceptor);
    {
        struct packet p;

        get_packet(port, WAIT_MS, &p);
        ok(!p.ret && (p.error == ERROR_OPERATION_ABORTED || p.error == ERROR_CONNECTION_ABORTED) && p.key == 7 &&
               p.ov == &ov && !p.bytes,
           "AcceptEx into a closed socket: packet ret %d error %lu key " KEYX " ov %p bytes %lu\n", p.ret, p.error,
           p.key, p.ov, p.bytes);
    }
    check_no_packet("after the AcceptEx into a closed socket", port);
    /* The connection, if the AcceptEx did not take it, is still queued. */
    while (wstest_wait_readable(listener, 50)) closesocket(accept(listener, NULL, NULL));

    /* Closing the listener ends a pending AcceptEx: aborted. */
    acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    init_ov(&ov, NULL);
    done = pAcceptEx(listener, acceptor, buf, 0, AREA, AREA, &bytes, &ov);
    check_pending("second AcceptEx", done, FALSE, &ov);
    ok(!closesocket(listener), "closesocket failed, error %d\n", WSAGetLastError());
    check_packet("AcceptEx on a closed listener", port, 7, &ov, 0, ERROR_OPERATION_ABORTED);
    check_final("AcceptEx on a closed listener", &ov, STATUS_CANCELLED, 0);

    closesocket(client);
    closesocket(acceptor);
    CloseHandle(port);
}

/*
 * Closing the accept socket of an AcceptEx that has its connection (on
 * Windows the connection is the accept socket's as soon as it is made:
 * SO_CONNECT_TIME tells) but still waits for the first data: the request
 * fails, ERROR_OPERATION_ABORTED or ERROR_CONNECTION_ABORTED (both are
 * recorded by Wine's sock.c, test_completion_port), and the connection
 * goes with the socket.  Tried right after the connect and after a pause.
 */
static void test_acceptex_close_acceptor(void)
{
    struct sockaddr_storage addr;
    SOCKET listener, acceptor, client;
    HANDLE port;
    OVERLAPPED ov;
    char buf[64 + 2 * AREA], c;
    DWORD bytes = 0;
    struct packet p;
    int addrlen, pause, ret;
    BOOL done;

    if (!pAcceptEx) return skip("no AcceptEx\n");
    for (pause = 0; pause < 2; pause++)
    {
        listener = wstest_listener(AF_INET, &addr, &addrlen);
        acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        port = new_port();
        attach(port, listener, 32);
        init_ov(&ov, NULL);
        done = pAcceptEx(listener, acceptor, buf, 64, AREA, AREA, &bytes, &ov);
        check_pending("AcceptEx waiting for data", done, FALSE, &ov);
        ok(!connect(client, (struct sockaddr *)&addr, addrlen), "connect failed, error %d\n", WSAGetLastError());
        if (pause) Sleep(100);
        ok(!closesocket(acceptor), "closesocket of the accept socket failed, error %d\n", WSAGetLastError());
        get_packet(port, WAIT_MS, &p);
        ok(p.ov == &ov && !p.ret && (p.error == ERROR_OPERATION_ABORTED || p.error == ERROR_CONNECTION_ABORTED) &&
               p.key == 32 && !p.bytes,
           "AcceptEx whose accept socket was closed (pause %d): packet ret %d error %lu key " KEYX
           " ov %p, %lu bytes\n",
           pause, p.ret, p.error, p.key, p.ov, p.bytes);
        ok(STATUS_OF(&ov) == (ULONG)STATUS_CANCELLED || STATUS_OF(&ov) == (ULONG)STATUS_CONNECTION_ABORTED,
           "AcceptEx whose accept socket was closed: Internal " KEYX "\n", ov.Internal);
        check_no_packet("after the failed AcceptEx", port);
        /* The connection did not stay open behind the closed sockets. */
        closesocket(listener);
        ret = wstest_wait_readable(client, WAIT_MS) ? recv(client, &c, 1, 0) : 1;
        ok(!ret || (ret == SOCKET_ERROR && (WSAGetLastError() == WSAECONNRESET ||
                                            WSAGetLastError() == WSAECONNABORTED)),
           "the peer after the accept socket was closed: %d, error %d\n", ret, WSAGetLastError());
        closesocket(client);
        CloseHandle(port);
    }
}

/* ------------------------------------------------ duplicated handles */

/* Another handle to `s`, made with WSADuplicateSocket and WSASocket in this process. */
static SOCKET duplicate_here(SOCKET s)
{
    WSAPROTOCOL_INFOA info;
    SOCKET dup;

    ok(!WSADuplicateSocketA(s, GetCurrentProcessId(), &info), "WSADuplicateSocketA failed, error %d\n",
       WSAGetLastError());
    dup = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    ok(dup != INVALID_SOCKET && dup != s, "WSASocketA with the duplicate's information: " KEYX ", error %d\n",
       (ULONG_PTR)dup, WSAGetLastError());
    return dup;
}

/* A listener attached to `port` with `key`, and its duplicate. */
static SOCKET listener_and_duplicate(HANDLE port, ULONG_PTR key, struct sockaddr_storage *addr, int *addrlen,
                                     SOCKET *dup)
{
    SOCKET listener = wstest_listener(AF_INET, addr, addrlen);

    attach(port, listener, key);
    *dup = duplicate_here(listener);
    return listener;
}

/*
 * A socket duplicated in the same process is another handle to the same
 * file object: the port attached through the original serves requests
 * made through the duplicate, with the original's key, and a pending one
 * lives on while any of the handles is open; closing the last ends it,
 * aborted (recorded by Wine's sock.c, test_completion_port, on Windows).
 */
static void test_duplicate(void)
{
    struct sockaddr_storage addr;
    SOCKET listener, dup, acceptor, client, server, first;
    HANDLE port;
    OVERLAPPED ov;
    char buf[64 + 2 * AREA];
    WSABUF b = { 16, buf };
    DWORD bytes = 0, flags = 0;
    int addrlen, order, ret;
    BOOL done;

    if (!pAcceptEx) return skip("no AcceptEx\n");
    /* Closing the original first, then the duplicate; then the other way round. */
    for (order = 0; order < 2; order++)
    {
        port = new_port();
        listener = listener_and_duplicate(port, 33, &addr, &addrlen, &dup);
        acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        init_ov(&ov, NULL);
        done = pAcceptEx(dup, acceptor, buf, 0, AREA, AREA, &bytes, &ov);
        check_pending("AcceptEx through the duplicate", done, FALSE, &ov);
        check_no_packet("AcceptEx through the duplicate", port);
        first = order ? dup : listener;
        ok(!closesocket(first), "closesocket of the first handle failed, error %d\n", WSAGetLastError());
        check_no_packet("AcceptEx after closing one of the two handles", port);
        ok(STATUS_OF(&ov) == STATUS_PENDING, "AcceptEx after closing one handle: Internal " KEYX "\n", ov.Internal);
        ok(!closesocket(order ? listener : dup), "closesocket of the last handle failed, error %d\n",
           WSAGetLastError());
        check_packet("AcceptEx after closing both handles", port, 33, &ov, 0, ERROR_OPERATION_ABORTED);
        check_final("AcceptEx after closing both handles", &ov, STATUS_CANCELLED, 0);
        check_no_packet("after the aborted AcceptEx", port);
        closesocket(acceptor);
        CloseHandle(port);
    }

    /* The listener goes on through the duplicate: a connection completes the AcceptEx. */
    port = new_port();
    listener = listener_and_duplicate(port, 34, &addr, &addrlen, &dup);
    acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    init_ov(&ov, NULL);
    done = pAcceptEx(dup, acceptor, buf, 0, AREA, AREA, &bytes, &ov);
    check_pending("AcceptEx through the duplicate", done, FALSE, &ov);
    ok(!closesocket(listener), "closesocket of the original failed, error %d\n", WSAGetLastError());
    ok(!connect(client, (struct sockaddr *)&addr, addrlen), "connect to the duplicate failed, error %d\n",
       WSAGetLastError());
    check_packet("AcceptEx through the duplicate", port, 34, &ov, 0, 0);
    closesocket(dup);
    closesocket(acceptor);
    closesocket(client);
    CloseHandle(port);

    /* A receive through the duplicate of a connected socket. */
    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());
    port = new_port();
    attach(port, server, 35);
    dup = duplicate_here(server);
    init_ov(&ov, NULL);
    ret = WSARecv(dup, &b, 1, NULL, &flags, (WSAOVERLAPPED *)&ov, NULL);
    check_pending("WSARecv through the duplicate", ret, SOCKET_ERROR, &ov);
    ok(send(client, "dup", 3, 0) == 3, "send failed, error %d\n", WSAGetLastError());
    check_packet("WSARecv through the duplicate", port, 35, &ov, 3, 0);
    closesocket(dup);
    closesocket(server);
    closesocket(client);
    CloseHandle(port);
}

/* ---------------------------------------------------------- ConnectEx */

static void test_connectex(void)
{
    static const char payload[] = "connectex payload";
    struct sockaddr_storage addr;
    SOCKET listener, s, server = INVALID_SOCKET;
    HANDLE port;
    OVERLAPPED ov;
    char buf[64];
    DWORD bytes = 0;
    int addrlen;
    BOOL done;

    if (!pConnectEx) return skip("no ConnectEx\n");
    listener = wstest_listener(AF_INET, &addr, &addrlen);
    s = bound_tcp();
    port = new_port();
    attach(port, s, 9);

    /* The send buffer goes out with the connection; the packet counts it. */
    init_ov(&ov, NULL);
    done = pConnectEx(s, (struct sockaddr *)&addr, addrlen, (void *)payload, sizeof(payload) - 1, &bytes, &ov);
    if (started(done, TRUE, "ConnectEx")) check_packet("ConnectEx", port, 9, &ov, sizeof(payload) - 1, 0);
    check_final("ConnectEx", &ov, STATUS_SUCCESS, sizeof(payload) - 1);
    ok(!setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), "SO_UPDATE_CONNECT_CONTEXT failed, error %d\n",
       WSAGetLastError());
    if (wstest_wait_readable(listener, WAIT_MS)) server = accept(listener, NULL, NULL);
    ok(server != INVALID_SOCKET, "accept failed, error %d\n", WSAGetLastError());
    if (server != INVALID_SOCKET)
    {
        ok(wstest_recv_exact(server, buf, sizeof(payload) - 1, WAIT_MS) == sizeof(payload) - 1 &&
               !memcmp(buf, payload, sizeof(payload) - 1),
           "the peer did not receive ConnectEx's send buffer\n");
        closesocket(server);
    }
    closesocket(s);
    closesocket(listener);
    CloseHandle(port);
}

/* A port nobody listens on: the packet carries ERROR_CONNECTION_REFUSED. */
static void test_connectex_refused(void)
{
    struct sockaddr_in addr = { 0 };
    SOCKET s, closed;
    HANDLE port;
    OVERLAPPED ov;
    DWORD bytes = 0, flags = 0;
    int len = sizeof(addr);
    BOOL done;

    if (!pConnectEx) return;
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    closed = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!bind(closed, (struct sockaddr *)&addr, sizeof(addr)) && !getsockname(closed, (struct sockaddr *)&addr, &len),
       "bind failed, error %d\n", WSAGetLastError());
    closesocket(closed);
    s = bound_tcp();
    port = new_port();
    attach(port, s, 10);
    init_ov(&ov, NULL);
    done = pConnectEx(s, (struct sockaddr *)&addr, sizeof(addr), NULL, 0, &bytes, &ov);
    /* Pending (the refusal may already be in Internal: no STATUS_PENDING check). */
    ok(!done && WSAGetLastError() == WSA_IO_PENDING, "ConnectEx to a closed port: %d, error %d\n", done,
       WSAGetLastError());
    status_limit = 1;
    check_packet_at(__FILE__, __LINE__, "refused ConnectEx", port, 10, &ov, 0, ERROR_CONNECTION_REFUSED, REFUSED_MS);
    check_final("refused ConnectEx", &ov, STATUS_CONNECTION_REFUSED, 0);
    status_limit = 0;
    WSASetLastError(0xdeadbeef);
    done = WSAGetOverlappedResult(s, (WSAOVERLAPPED *)&ov, &bytes, FALSE, &flags);
    ok(!done && WSAGetLastError() == WSAECONNREFUSED, "WSAGetOverlappedResult: %d, error %d\n", done,
       WSAGetLastError());
    SetLastError(0xdeadbeef);
    done = GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE);
    todo_ours(!done && GetLastError() == ERROR_CONNECTION_REFUSED, "GetOverlappedResult: %d, error %lu\n", done,
              GetLastError());
    closesocket(s);
    CloseHandle(port);
}

/* ------------------------------------------------------- DisconnectEx */

/* A TCP pair whose client end is attached to `port` with `key`, with
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS when `skip` says so. */
static int disconnect_pair(HANDLE port, ULONG_PTR key, int skip, SOCKET *client, SOCKET *server)
{
    if (wstest_tcp_pair(AF_INET, client, server)) return 0;
    attach(port, *client, key);
    if (skip)
        ok(SetFileCompletionNotificationModes((HANDLE)*client, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS),
           "SetFileCompletionNotificationModes failed, error %lu\n", GetLastError());
    return 1;
}

/* The peer reads the end of the stream. */
static void check_peer_eof(SOCKET server)
{
    char c;

    ok(wstest_wait_readable(server, WAIT_MS) && recv(server, &c, 1, 0) == 0,
       "the peer did not read the end of stream, error %d\n", WSAGetLastError());
}

/*
 * With an OVERLAPPED, DisconnectEx does not complete at once on Windows:
 * it returns FALSE with ERROR_IO_PENDING, and because it was pending the
 * port gets its packet even with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
 * (recorded by Wine's sock.c, test_DisconnectEx and
 * test_shutdown_completion_port).  Without one it completes at once and
 * posts nothing.
 */
static void test_disconnectex(void)
{
    SOCKET client, server;
    HANDLE port, event;
    OVERLAPPED ov;
    DWORD bytes;
    BOOL done;
    int skip_mode;

    if (!pDisconnectEx) return skip("no DisconnectEx\n");
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    for (skip_mode = 0; skip_mode < 2; skip_mode++)
    {
        port = new_port();
        if (!disconnect_pair(port, 11, skip_mode, &client, &server)) return skip("no TCP pair\n");
        init_ov(&ov, event);
        WSASetLastError(0xdeadbeef);
        done = pDisconnectEx(client, &ov, 0, 0);
        ok(!done && WSAGetLastError() == WSA_IO_PENDING, "DisconnectEx (skip mode %d): %d, error %d; want pending\n",
           skip_mode, done, WSAGetLastError());
        ok(WaitForSingleObject(event, WAIT_MS) == WAIT_OBJECT_0, "the event of DisconnectEx was not set\n");
        bytes = 0xdeadbeef;
        ok(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE) && !bytes,
           "GetOverlappedResult after DisconnectEx: error %lu, %lu bytes\n", GetLastError(), bytes);
        check_packet("DisconnectEx", port, 11, &ov, 0, 0);
        check_final("DisconnectEx", &ov, STATUS_SUCCESS, 0);
        check_peer_eof(server);
        closesocket(client);
        closesocket(server);
        CloseHandle(port);
    }

    /* The low bit of hEvent: pending all the same, the event set, no packet. */
    port = new_port();
    if (!disconnect_pair(port, 12, 0, &client, &server)) return skip("no TCP pair\n");
    init_ov(&ov, (HANDLE)((ULONG_PTR)event | 1));
    done = pDisconnectEx(client, &ov, 0, 0);
    ok(!done && WSAGetLastError() == WSA_IO_PENDING, "DisconnectEx, no packet wanted: %d, error %d; want pending\n",
       done, WSAGetLastError());
    ok(WaitForSingleObject(event, WAIT_MS) == WAIT_OBJECT_0, "the event of DisconnectEx was not set\n");
    check_final("DisconnectEx without a packet", &ov, STATUS_SUCCESS, 0);
    check_no_packet("DisconnectEx with the low bit of hEvent set", port);
    closesocket(client);
    closesocket(server);
    CloseHandle(port);

    /* Without an OVERLAPPED: done at once, no packet. */
    port = new_port();
    if (!disconnect_pair(port, 13, 0, &client, &server)) return skip("no TCP pair\n");
    ok(pDisconnectEx(client, NULL, 0, 0), "DisconnectEx without an OVERLAPPED failed, error %d\n",
       WSAGetLastError());
    check_no_packet("DisconnectEx without an OVERLAPPED", port);
    check_peer_eof(server);
    closesocket(client);
    closesocket(server);
    CloseHandle(port);
    CloseHandle(event);
}

/* ------------------------------------------ TransmitFile, TransmitPackets */

#define FILE_LEN 5000

/* The byte count of the packet is every byte the call sent: head, file and
 * tail (Microsoft's page does not say; built-in Wine counts so). */
static void test_transmitfile(void)
{
    static char data[FILE_LEN], buf[FILE_LEN + 16];
    TRANSMIT_FILE_BUFFERS tfb = { (void *)"HEAD", 4, (void *)"TAIL", 4 };
    char path[MAX_PATH];
    SOCKET client, server;
    HANDLE port, file;
    OVERLAPPED ov;
    BOOL done;

    if (!pTransmitFile) return skip("no TransmitFile\n");
    if ((file = wstest_temp_file(path, data, FILE_LEN)) == INVALID_HANDLE_VALUE) return;
    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        skip("no TCP pair: %d\n", WSAGetLastError());
        goto done;
    }
    port = new_port();
    attach(port, client, 12);
    init_ov(&ov, NULL);
    done = pTransmitFile(client, file, 0, 0, &ov, &tfb, 0);
    if (started(done, TRUE, "TransmitFile")) check_packet("TransmitFile", port, 12, &ov, FILE_LEN + 8, 0);
    check_final("TransmitFile", &ov, STATUS_SUCCESS, FILE_LEN + 8);
    ok(wstest_recv_exact(server, buf, FILE_LEN + 8, WAIT_MS) == FILE_LEN + 8 && !memcmp(buf, "HEAD", 4) &&
           !memcmp(buf + 4, data, FILE_LEN) && !memcmp(buf + 4 + FILE_LEN, "TAIL", 4),
       "the peer did not receive head, file and tail\n");

    /* 500 bytes from the OVERLAPPED's offset 1000. */
    init_ov(&ov, NULL);
    ov.Offset = 1000;
    done = pTransmitFile(client, file, 500, 0, &ov, NULL, 0);
    if (started(done, TRUE, "TransmitFile from an offset"))
        check_packet("TransmitFile from an offset", port, 12, &ov, 500, 0);
    ok(wstest_recv_exact(server, buf, 500, WAIT_MS) == 500 && !memcmp(buf, data + 1000, 500),
       "wrong bytes from the offset\n");
    closesocket(client);
    closesocket(server);
    CloseHandle(port);
done:
    CloseHandle(file);
    DeleteFileA(path);
}

static void test_transmitpackets(void)
{
    static char data[FILE_LEN], buf[FILE_LEN + 16];
    TRANSMIT_PACKETS_ELEMENT el[3];
    char path[MAX_PATH];
    SOCKET client, server;
    HANDLE port, file;
    OVERLAPPED ov;
    BOOL done;

    if (!pTransmitPackets) return skip("no TransmitPackets (SIO_GET_EXTENSION_FUNCTION_POINTER failed)\n");
    if ((file = wstest_temp_file(path, data, FILE_LEN)) == INVALID_HANDLE_VALUE) return;
    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        skip("no TCP pair: %d\n", WSAGetLastError());
        goto done;
    }
    port = new_port();
    attach(port, client, 13);
    memset(el, 0, sizeof(el));
    el[0].dwElFlags = TP_ELEMENT_MEMORY;
    el[0].cLength = 4;
    el[0].pBuffer = (void *)"HEAD";
    el[1].dwElFlags = TP_ELEMENT_FILE;
    el[1].cLength = 0; /* the whole file from the offset */
    el[1].nFileOffset.QuadPart = 0;
    el[1].hFile = file;
    el[2].dwElFlags = TP_ELEMENT_MEMORY;
    el[2].cLength = 4;
    el[2].pBuffer = (void *)"TAIL";
    init_ov(&ov, NULL);
    done = pTransmitPackets(client, el, 3, 0, &ov, 0);
    if (started(done, TRUE, "TransmitPackets")) check_packet("TransmitPackets", port, 13, &ov, FILE_LEN + 8, 0);
    check_final("TransmitPackets", &ov, STATUS_SUCCESS, FILE_LEN + 8);
    ok(wstest_recv_exact(server, buf, FILE_LEN + 8, WAIT_MS) == FILE_LEN + 8 && !memcmp(buf, "HEAD", 4) &&
           !memcmp(buf + 4, data, FILE_LEN) && !memcmp(buf + 4 + FILE_LEN, "TAIL", 4),
       "the peer did not receive the packets\n");
    closesocket(client);
    closesocket(server);
    CloseHandle(port);
done:
    CloseHandle(file);
    DeleteFileA(path);
}

/* ------------------------------------------------------------ WSAIoctl */

/* An ioctl that completes at once returns 0 and still queues a packet.
 * Its byte count is 0 and so is InternalHigh, although the output was
 * written (what Wine's suite records for Windows; Microsoft's page of
 * WSAIoctl only says the completion is "indicated" as for WSARecv). */
static void test_ioctl(void)
{
    SOCKET client, server;
    HANDLE port;
    OVERLAPPED ov;
    DWORD size, value;
    u_long on = 1;
    int ret;

    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());
    port = new_port();
    attach(port, server, 14);
    ok(send(client, "abc", 3, 0) == 3, "send failed, error %d\n", WSAGetLastError());
    ok(wstest_wait_readable(server, WAIT_MS), "the data did not arrive\n");
    Sleep(50);

    init_ov(&ov, NULL);
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    size = value = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(server, FIONREAD, NULL, 0, &value, sizeof(value), &size, (WSAOVERLAPPED *)&ov, NULL);
    ok(!ret && value == 3 && size == sizeof(value), "overlapped FIONREAD: %d, value %lu, size %lu, error %d\n", ret,
       value, size, WSAGetLastError());
    check_final("FIONREAD", &ov, STATUS_SUCCESS, 0);
    check_packet("FIONREAD", port, 14, &ov, 0, 0);

    init_ov(&ov, NULL);
    size = 0xdeadbeef;
    ret = WSAIoctl(server, FIONBIO, &on, sizeof(on), NULL, 0, &size, (WSAOVERLAPPED *)&ov, NULL);
    ok(!ret && !size, "overlapped FIONBIO: %d, size %lu, error %d\n", ret, size, WSAGetLastError());
    check_packet("FIONBIO", port, 14, &ov, 0, 0);

    closesocket(client);
    closesocket(server);
    CloseHandle(port);
}

/* ---------------------------------------- notification modes, hEvent | 1 */

static void test_skip_on_success(void)
{
    SOCKET client, server;
    HANDLE port, event;
    OVERLAPPED rov, sov;
    char buf[64];
    WSABUF rbuf = { sizeof(buf), buf }, hello = { 5, (char *)"hello" };
    DWORD bytes, flags = 0;
    int ret;

    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());
    port = new_port();
    attach(port, server, 15);
    attach(port, client, 16);
    ok(SetFileCompletionNotificationModes((HANDLE)server, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS),
       "SetFileCompletionNotificationModes failed, error %lu\n", GetLastError());
    ok(SetFileCompletionNotificationModes((HANDLE)client,
                                          FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE),
       "SetFileCompletionNotificationModes with both flags failed, error %lu\n", GetLastError());

    /* Completed at once: no packet. */
    ok(send(client, "abc", 3, 0) == 3, "send failed, error %d\n", WSAGetLastError());
    ok(wstest_wait_readable(server, WAIT_MS), "the data did not arrive\n");
    Sleep(50);
    init_ov(&rov, NULL);
    ret = WSARecv(server, &rbuf, 1, &bytes, &flags, (WSAOVERLAPPED *)&rov, NULL);
    ok(!ret && bytes == 3, "immediate WSARecv: %d, %lu bytes, error %d\n", ret, bytes, WSAGetLastError());
    check_final("immediate WSARecv", &rov, STATUS_SUCCESS, 3);
    check_no_packet("immediate WSARecv, skip on success", port);

    /* Pending: the packet comes. */
    init_ov(&rov, NULL);
    ret = WSARecv(server, &rbuf, 1, NULL, &flags, (WSAOVERLAPPED *)&rov, NULL);
    check_pending("WSARecv, skip on success", ret, SOCKET_ERROR, &rov);
    /* The explicit event of a request is still set with
     * FILE_SKIP_SET_EVENT_ON_HANDLE (that flag is about the handle). */
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    init_ov(&sov, event);
    ret = WSASend(client, &hello, 1, &bytes, 0, (WSAOVERLAPPED *)&sov, NULL);
    ok(WaitForSingleObject(event, WAIT_MS) == WAIT_OBJECT_0,
       "the event of a WSASend was not set with FILE_SKIP_SET_EVENT_ON_HANDLE\n");
    if (!ret)
    {
        /* The send completed at once: only the receive's packet. */
        check_packet("pending WSARecv, skip on success", port, 15, &rov, 5, 0);
        check_no_packet("immediate WSASend, skip on success", port);
    }
    else if (started(ret, 0, "WSASend"))
    {
        struct packet a, b;

        get_packet(port, WAIT_MS, &a);
        get_packet(port, WAIT_MS, &b);
        if (a.ov == &sov) memswap_packets(&a, &b);
        ok(a.ov == &rov && a.key == 15 && a.ret && a.bytes == 5, "pending WSARecv, skip on success: ov %p key " KEYX " "
                                                                 "ret %d bytes %lu\n",
           a.ov, a.key, a.ret, a.bytes);
        ok(b.ov == &sov && b.key == 16 && b.ret && b.bytes == 5, "pending WSASend, skip on success: ov %p key " KEYX " "
                                                                 "ret %d bytes %lu\n",
           b.ov, b.key, b.ret, b.bytes);
    }
    check_final("pending WSARecv, skip on success", &rov, STATUS_SUCCESS, 5);

    closesocket(client);
    closesocket(server);
    CloseHandle(port);
    CloseHandle(event);
}

static void test_event_low_bit(void)
{
    SOCKET client, server;
    HANDLE port, event;
    OVERLAPPED ov;
    char buf[64];
    WSABUF rbuf = { sizeof(buf), buf };
    DWORD bytes, flags = 0;
    BOOL done;
    int ret;

    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());
    port = new_port();
    attach(port, server, 17);
    event = CreateEventA(NULL, TRUE, FALSE, NULL);

    init_ov(&ov, (HANDLE)((ULONG_PTR)event | 1));
    ret = WSARecv(server, &rbuf, 1, NULL, &flags, (WSAOVERLAPPED *)&ov, NULL);
    check_pending("WSARecv, hEvent | 1", ret, SOCKET_ERROR, &ov);
    ok(send(client, "hello", 5, 0) == 5, "send failed, error %d\n", WSAGetLastError());
    ok(WaitForSingleObject(event, WAIT_MS) == WAIT_OBJECT_0, "hEvent | 1: the event was not set\n");
    check_no_packet("WSARecv, hEvent | 1", port);
    check_final("WSARecv, hEvent | 1", &ov, STATUS_SUCCESS, 5);
    done = WSAGetOverlappedResult(server, (WSAOVERLAPPED *)&ov, &bytes, FALSE, &flags);
    ok(done && bytes == 5, "WSAGetOverlappedResult: %d, %lu bytes, error %d\n", done, bytes, WSAGetLastError());
    done = GetOverlappedResult((HANDLE)server, &ov, &bytes, TRUE);
    ok(done && bytes == 5, "GetOverlappedResult: %d, %lu bytes, error %lu\n", done, bytes, GetLastError());

    /* Completed at once: no packet either. */
    ok(send(client, "again", 5, 0) == 5, "send failed, error %d\n", WSAGetLastError());
    ok(wstest_wait_readable(server, WAIT_MS), "the data did not arrive\n");
    Sleep(50);
    ResetEvent(event);
    init_ov(&ov, (HANDLE)((ULONG_PTR)event | 1));
    ret = WSARecv(server, &rbuf, 1, &bytes, &flags, (WSAOVERLAPPED *)&ov, NULL);
    ok(!ret && bytes == 5, "immediate WSARecv, hEvent | 1: %d, %lu bytes, error %d\n", ret, bytes,
       WSAGetLastError());
    ok(WaitForSingleObject(event, 0) == WAIT_OBJECT_0, "immediate, hEvent | 1: the event was not set\n");
    check_no_packet("immediate WSARecv, hEvent | 1", port);

    closesocket(client);
    closesocket(server);
    CloseHandle(port);
    CloseHandle(event);
}

/* A completion routine on a socket attached to a port.  The NT I/O
 * manager refuses an APC routine on a file that has a completion port
 * (STATUS_INVALID_PARAMETER, WSAEINVAL); Microsoft's Winsock pages say
 * nothing about the combination.  Either way no packet may come, and if
 * the call was taken the routine runs once, on an alertable wait. */
static volatile LONG routine_calls;
static DWORD routine_error, routine_bytes;

static void CALLBACK routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    InterlockedIncrement(&routine_calls);
}

static void test_completion_routine(void)
{
    SOCKET client, server;
    HANDLE port;
    OVERLAPPED ov;
    char buf[64];
    WSABUF rbuf = { sizeof(buf), buf };
    DWORD flags = 0, slept;
    int ret, error;

    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());
    port = new_port();
    attach(port, server, 18);
    init_ov(&ov, NULL);
    routine_calls = 0;
    WSASetLastError(0xdeadbeef);
    ret = WSARecv(server, &rbuf, 1, NULL, &flags, (WSAOVERLAPPED *)&ov, routine);
    error = WSAGetLastError();
    ok((ret == SOCKET_ERROR && (error == WSA_IO_PENDING || error == WSAEINVAL)) || !ret,
       "WSARecv with a routine on an attached socket: %d, error %d\n", ret, error);
    if (ret == SOCKET_ERROR && error == WSAEINVAL)
    {
        trace("WSARecv with a completion routine on an attached socket: refused (WSAEINVAL)\n");
        ok(send(client, "hello", 5, 0) == 5, "send failed, error %d\n", WSAGetLastError());
        SleepEx(QUIET_MS, TRUE);
        ok(routine_calls == 0, "a refused request ran its routine\n");
        check_no_packet("refused WSARecv with a routine", port);
    }
    else
    {
        trace("WSARecv with a completion routine on an attached socket: taken (%d, error %d)\n", ret, error);
        ok(send(client, "hello", 5, 0) == 5, "send failed, error %d\n", WSAGetLastError());
        slept = SleepEx(WAIT_MS, TRUE);
        ok(slept == WAIT_IO_COMPLETION && routine_calls == 1 && !routine_error && routine_bytes == 5,
           "routine: SleepEx %lu, %ld calls, error %lu, %lu bytes\n", slept, routine_calls, routine_error,
           routine_bytes);
        check_no_packet("WSARecv with a routine", port);
    }
    closesocket(client);
    closesocket(server);
    CloseHandle(port);
}

/* ---------------------------------------------------- CancelIo(Ex) */

static void test_cancel(void)
{
    SOCKET client, server;
    HANDLE port;
    OVERLAPPED ov1, ov2, ov3;
    char buf1[16], buf2[16], buf3[16];
    WSABUF b1 = { sizeof(buf1), buf1 }, b2 = { sizeof(buf2), buf2 }, b3 = { sizeof(buf3), buf3 };
    DWORD flags = 0, bytes;
    BOOL done;
    int ret;

    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());
    port = new_port();
    attach(port, server, 19);

    init_ov(&ov1, NULL);
    init_ov(&ov2, NULL);
    ret = WSARecv(server, &b1, 1, NULL, &flags, (WSAOVERLAPPED *)&ov1, NULL);
    check_pending("first WSARecv", ret, SOCKET_ERROR, &ov1);
    ret = WSARecv(server, &b2, 1, NULL, &flags, (WSAOVERLAPPED *)&ov2, NULL);
    check_pending("second WSARecv", ret, SOCKET_ERROR, &ov2);

    /* CancelIoEx on one request: that one ends, the other stays. */
    ok(CancelIoEx((HANDLE)server, &ov1), "CancelIoEx failed, error %lu\n", GetLastError());
    check_packet("cancelled WSARecv", port, 19, &ov1, 0, ERROR_OPERATION_ABORTED);
    check_final("cancelled WSARecv", &ov1, STATUS_CANCELLED, 0);
    WSASetLastError(0xdeadbeef);
    done = WSAGetOverlappedResult(server, (WSAOVERLAPPED *)&ov1, &bytes, FALSE, &flags);
    ok(!done && WSAGetLastError() == WSA_OPERATION_ABORTED, "WSAGetOverlappedResult: %d, error %d\n", done,
       WSAGetLastError());
    SetLastError(0xdeadbeef);
    done = GetOverlappedResult((HANDLE)server, &ov1, &bytes, FALSE);
    ok(!done && GetLastError() == ERROR_OPERATION_ABORTED, "GetOverlappedResult: %d, error %lu\n", done,
       GetLastError());
    ok(STATUS_OF(&ov2) == STATUS_PENDING, "the other request is not pending any more: " KEYX "\n", ov2.Internal);
    check_no_packet("the request not cancelled", port);
    SetLastError(0xdeadbeef);
    ok(!CancelIoEx((HANDLE)server, &ov1) && GetLastError() == ERROR_NOT_FOUND,
       "CancelIoEx of a finished request: error %lu\n", GetLastError());
    ok(send(client, "abc", 3, 0) == 3, "send failed, error %d\n", WSAGetLastError());
    if (check_packet("the request not cancelled", port, 19, &ov2, 3, 0))
        ok(!memcmp(buf2, "abc", 3), "wrong bytes\n");

    /* CancelIo: the requests this thread issued on the socket. */
    init_ov(&ov3, NULL);
    ret = WSARecv(server, &b3, 1, NULL, &flags, (WSAOVERLAPPED *)&ov3, NULL);
    check_pending("third WSARecv", ret, SOCKET_ERROR, &ov3);
    ok(CancelIo((HANDLE)server), "CancelIo failed, error %lu\n", GetLastError());
    check_packet("WSARecv cancelled by CancelIo", port, 19, &ov3, 0, ERROR_OPERATION_ABORTED);

    /* CancelIoEx without an OVERLAPPED: all of them. */
    init_ov(&ov1, NULL);
    init_ov(&ov2, NULL);
    ret = WSARecv(server, &b1, 1, NULL, &flags, (WSAOVERLAPPED *)&ov1, NULL);
    check_pending("WSARecv", ret, SOCKET_ERROR, &ov1);
    ret = WSARecv(server, &b2, 1, NULL, &flags, (WSAOVERLAPPED *)&ov2, NULL);
    check_pending("WSARecv", ret, SOCKET_ERROR, &ov2);
    ok(CancelIoEx((HANDLE)server, NULL), "CancelIoEx(NULL) failed, error %lu\n", GetLastError());
    check_two_packets("all cancelled", port, 19, &ov1, &ov2, 0, ERROR_OPERATION_ABORTED);

    closesocket(client);
    closesocket(server);
    CloseHandle(port);
}

/* ------------------------------------------- status-to-error mapping */

/* WSAGetOverlappedResult and GetOverlappedResult read Internal; each
 * NTSTATUS gives its own error.  The pairs are those Windows gives (the
 * Winsock error list, RtlNtStatusToDosError), and each is also seen in a
 * real completion elsewhere in this program. */
static void test_result_mapping(void)
{
    static const struct
    {
        NTSTATUS status;
        int wsa;
        DWORD win32;
    } map[] = {
        { STATUS_PENDING, WSA_IO_INCOMPLETE, ERROR_IO_INCOMPLETE },
        { STATUS_CANCELLED, WSA_OPERATION_ABORTED, ERROR_OPERATION_ABORTED },
        { STATUS_CONNECTION_RESET, WSAECONNRESET, ERROR_NETNAME_DELETED },
        { STATUS_CONNECTION_REFUSED, WSAECONNREFUSED, ERROR_CONNECTION_REFUSED },
        { STATUS_CONNECTION_ABORTED, WSAECONNABORTED, ERROR_CONNECTION_ABORTED },
        { STATUS_IO_TIMEOUT, WSAETIMEDOUT, ERROR_SEM_TIMEOUT },
        { STATUS_HOST_UNREACHABLE, WSAEHOSTUNREACH, ERROR_HOST_UNREACHABLE },
        { STATUS_BUFFER_OVERFLOW, WSAEMSGSIZE, ERROR_MORE_DATA },
    };
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    OVERLAPPED ov;
    DWORD bytes, flags;
    unsigned int i;
    BOOL done;

    init_ov(&ov, NULL);
    ov.InternalHigh = 7;
    bytes = 0;
    done = WSAGetOverlappedResult(s, (WSAOVERLAPPED *)&ov, &bytes, FALSE, &flags);
    ok(done && bytes == 7, "STATUS_SUCCESS: %d, %lu bytes, error %d\n", done, bytes, WSAGetLastError());
    for (i = 0; i < ARRAY_SIZE(map); i++)
    {
        ov.Internal = (ULONG)map[i].status;
        ov.InternalHigh = 0;
        WSASetLastError(0xdeadbeef);
        done = WSAGetOverlappedResult(s, (WSAOVERLAPPED *)&ov, &bytes, FALSE, &flags);
        ok(!done && WSAGetLastError() == map[i].wsa, "status %#lx: WSAGetOverlappedResult %d, error %d, want %d\n",
           (unsigned long)map[i].status, done, WSAGetLastError(), map[i].wsa);
        SetLastError(0xdeadbeef);
        done = GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE);
        ok(!done && GetLastError() == map[i].win32, "status %#lx: GetOverlappedResult %d, error %lu, want %lu\n",
           (unsigned long)map[i].status, done, GetLastError(), map[i].win32);
    }
    closesocket(s);
}

/* ----------------------------------------------------- reset by peer */

static void test_reset(void)
{
    SOCKET client, server;
    HANDLE port;
    OVERLAPPED ov1, ov2;
    char buf1[16], buf2[16];
    WSABUF b1 = { sizeof(buf1), buf1 }, b2 = { sizeof(buf2), buf2 };
    DWORD flags = 0, bytes;
    BOOL done;
    int ret;

    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());
    port = new_port();
    attach(port, server, 20);
    init_ov(&ov1, NULL);
    init_ov(&ov2, NULL);
    ret = WSARecv(server, &b1, 1, NULL, &flags, (WSAOVERLAPPED *)&ov1, NULL);
    check_pending("first WSARecv", ret, SOCKET_ERROR, &ov1);
    ret = WSARecv(server, &b2, 1, NULL, &flags, (WSAOVERLAPPED *)&ov2, NULL);
    check_pending("second WSARecv", ret, SOCKET_ERROR, &ov2);
    Sleep(50);
    set_linger(client, 1, 0);
    ok(!closesocket(client), "closesocket failed, error %d\n", WSAGetLastError());

    /* Both receives end with the reset, not with success and 0 bytes. */
    status_limit = 1;
    check_two_packets("WSARecvs, reset", port, 20, &ov1, &ov2, 0, ERROR_NETNAME_DELETED);
    check_final("first WSARecv, reset", &ov1, STATUS_CONNECTION_RESET, 0);
    check_final("second WSARecv, reset", &ov2, STATUS_CONNECTION_RESET, 0);
    status_limit = 0;
    WSASetLastError(0xdeadbeef);
    done = WSAGetOverlappedResult(server, (WSAOVERLAPPED *)&ov1, &bytes, FALSE, &flags);
    ok(!done && WSAGetLastError() == WSAECONNRESET, "WSAGetOverlappedResult: %d, error %d\n", done,
       WSAGetLastError());
    SetLastError(0xdeadbeef);
    done = GetOverlappedResult((HANDLE)server, &ov1, &bytes, FALSE);
    todo_ours(!done && GetLastError() == ERROR_NETNAME_DELETED, "GetOverlappedResult: %d, error %lu\n", done,
              GetLastError());
    closesocket(server);
    CloseHandle(port);
}

/* ------------------------------------------------------- 1 MiB each way */

/* One 1 MiB WSASend, received by 64 KiB WSARecvs: the send's packet
 * counts every byte, and the receives add up to exactly that. */
static void test_bulk(void)
{
    SOCKET client, server;
    HANDLE port;
    OVERLAPPED sov, rov;
    char *out = malloc(BULK_SIZE), *in = malloc(BULK_SIZE);
    WSABUF sbuf = { BULK_SIZE, out }, rbuf;
    DWORD flags = 0, received = 0, i;
    struct packet p;
    ULONGLONG start;
    int ret, sent = 0, bad = 0, recv_posted;

    if (!out || !in) return skip("no memory\n");
    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        free(out);
        free(in);
        return skip("no TCP pair: %d\n", WSAGetLastError());
    }
    for (i = 0; i < BULK_SIZE; i++) out[i] = (char)(i ^ (i >> 9));
    port = new_port();
    attach(port, client, 21);
    attach(port, server, 22);
    init_ov(&sov, NULL);
    ret = WSASend(client, &sbuf, 1, NULL, 0, (WSAOVERLAPPED *)&sov, NULL);
    started(ret, 0, "1 MiB WSASend");

    recv_posted = 0;
    start = wstest_ticks();
    while ((!sent || received < BULK_SIZE) && !bad && wstest_ticks() - start < 4 * WAIT_MS)
    {
        if (!recv_posted && received < BULK_SIZE)
        {
            rbuf.buf = in + received;
            rbuf.len = BULK_SIZE - received < BULK_CHUNK ? BULK_SIZE - received : BULK_CHUNK;
            init_ov(&rov, NULL);
            ret = WSARecv(server, &rbuf, 1, NULL, &flags, (WSAOVERLAPPED *)&rov, NULL);
            if (ret && WSAGetLastError() != WSA_IO_PENDING)
            {
                ok(0, "WSARecv failed after %lu bytes, error %d\n", received, WSAGetLastError());
                break;
            }
            recv_posted = 1;
        }
        get_packet(port, WAIT_MS, &p);
        if (!p.ov) break;
        if (p.ov == &sov)
        {
            ok(p.ret && p.key == 21 && p.bytes == BULK_SIZE,
               "1 MiB WSASend: ret %d error %lu key " KEYX ", %lu bytes\n",
               p.ret, p.error, p.key, p.bytes);
            sent = 1;
        }
        else if (p.ov == &rov)
        {
            if (!p.ret || p.key != 22 || !p.bytes || p.bytes > rbuf.len) bad = 1;
            ok(!bad, "WSARecv after %lu bytes: ret %d error %lu key " KEYX ", %lu bytes\n", received, p.ret, p.error,
               p.key, p.bytes);
            received += p.bytes;
            recv_posted = 0;
        }
        else
        {
            ok(0, "a packet for an unknown OVERLAPPED %p\n", p.ov);
            break;
        }
    }
    ok(sent, "no packet for the 1 MiB WSASend\n");
    ok(received == BULK_SIZE && !memcmp(in, out, BULK_SIZE), "received %lu bytes of %u%s\n", received, BULK_SIZE,
       received == BULK_SIZE ? ", not the bytes sent" : "");
    if (recv_posted) CancelIoEx((HANDLE)server, &rov);
    closesocket(client);
    closesocket(server);
    if (recv_posted) get_packet(port, WAIT_MS, &p);
    CloseHandle(port);
    free(out);
    free(in);
}

/* --------------------------------------- closesocket with pending I/O */

/* Fill the connection until a WSASend stays pending (the peer does not
 * read); the packets of those that completed are taken.  Returns 1 when
 * *ov is pending. */
static int pending_send(HANDLE port, SOCKET s, ULONG_PTR key, OVERLAPPED *ov, char *chunk)
{
    WSABUF buf = { BULK_CHUNK, chunk };
    int i, ret;

    for (i = 0; i < 1024; i++)
    {
        init_ov(ov, NULL);
        ret = WSASend(s, &buf, 1, NULL, 0, (WSAOVERLAPPED *)ov, NULL);
        if (ret && WSAGetLastError() == WSA_IO_PENDING)
        {
            /* Still pending a moment later: the buffers are full. */
            Sleep(100);
            if (STATUS_OF(ov) == STATUS_PENDING) return 1;
        }
        else if (ret)
        {
            ok(0, "WSASend failed, error %d\n", WSAGetLastError());
            return 0;
        }
        if (!check_packet("WSASend filling the connection", port, key, ov, BULK_CHUNK, 0)) return 0;
    }
    return 0;
}

static void test_close_pending(void)
{
    SOCKET client, server;
    HANDLE port, event;
    OVERLAPPED rov1, rov2, sov;
    char buf1[16], buf2[16], *chunk = calloc(1, BULK_CHUNK);
    WSABUF b1 = { sizeof(buf1), buf1 }, b2 = { sizeof(buf2), buf2 };
    struct packet p;
    DWORD flags = 0;
    int ret, seen1 = 0, seen2 = 0, seen3 = 0, i, have_send, sndbuf = 8192;

    if (!chunk || wstest_tcp_pair(AF_INET, &client, &server))
    {
        free(chunk);
        return skip("no TCP pair: %d\n", WSAGetLastError());
    }
    port = new_port();
    attach(port, server, 23);
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    setsockopt(server, SOL_SOCKET, SO_SNDBUF, (char *)&sndbuf, sizeof(sndbuf));

    /* One receive with an event, one without, one send that cannot finish. */
    init_ov(&rov1, event);
    init_ov(&rov2, NULL);
    ret = WSARecv(server, &b1, 1, NULL, &flags, (WSAOVERLAPPED *)&rov1, NULL);
    check_pending("WSARecv with an event", ret, SOCKET_ERROR, &rov1);
    ret = WSARecv(server, &b2, 1, NULL, &flags, (WSAOVERLAPPED *)&rov2, NULL);
    check_pending("WSARecv without an event", ret, SOCKET_ERROR, &rov2);
    have_send = pending_send(port, server, 23, &sov, chunk);
    ok(have_send, "no WSASend stayed pending\n");

    set_linger(server, 1, 0);
    ok(!closesocket(server), "closesocket failed, error %d\n", WSAGetLastError());
    ok(WaitForSingleObject(event, WAIT_MS) == WAIT_OBJECT_0, "the event of the aborted WSARecv was not set\n");
    for (i = 0; i < 2 + have_send; i++)
    {
        get_packet(port, WAIT_MS, &p);
        if (!p.ov) break;
        ok(!p.ret && p.error == ERROR_OPERATION_ABORTED && p.key == 23 && !p.bytes,
           "packet for %p after closesocket: ret %d error %lu key " KEYX ", %lu bytes\n", p.ov, p.ret, p.error, p.key,
           p.bytes);
        if (p.ov == &rov1) seen1++;
        else if (p.ov == &rov2) seen2++;
        else if (p.ov == &sov) seen3++;
    }
    ok(seen1 == 1 && seen2 == 1 && seen3 == have_send, "packets after closesocket: %d, %d, %d\n", seen1, seen2,
       seen3);
    check_final("WSARecv aborted by closesocket", &rov1, STATUS_CANCELLED, 0);
    check_final("WSARecv aborted by closesocket", &rov2, STATUS_CANCELLED, 0);
    if (have_send)
        ok(STATUS_OF(&sov) == (ULONG)STATUS_CANCELLED, "WSASend aborted by closesocket: Internal " KEYX "\n",
           sov.Internal);
    check_no_packet("after the aborted requests", port);

    /* With linger {1, 0} the peer sees a reset once it has read what came. */
    WSASetLastError(0);
    ret = 1;
    for (i = 0; i < 100000; i++)
    {
        if (!wstest_wait_readable(client, WAIT_MS)) break;
        if ((ret = recv(client, chunk, BULK_CHUNK, 0)) <= 0) break;
    }
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAECONNRESET, "the peer read %d, error %d; want a reset\n", ret,
       WSAGetLastError());
    closesocket(client);
    CloseHandle(port);
    CloseHandle(event);
    free(chunk);
}

/* CloseHandle on a SOCKET with a pending request: Microsoft's closesocket
 * page says to use closesocket, and CloseHandle's page lists sockets
 * among what it closes.  Whatever becomes of the request, the program must
 * go on: the call runs in a guarded thread, and the request ends with a
 * failure packet. */
static SOCKET closehandle_socket;

static DWORD WINAPI closehandle_thread(void *arg)
{
    (void)arg;
    CloseHandle((HANDLE)closehandle_socket);
    return 0;
}

static void test_closehandle(void)
{
    SOCKET client, server;
    HANDLE port;
    OVERLAPPED ov;
    char buf[16];
    WSABUF b = { sizeof(buf), buf };
    struct packet p;
    DWORD flags = 0;
    int ret;

    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());
    port = new_port();
    attach(port, server, 24);
    init_ov(&ov, NULL);
    ret = WSARecv(server, &b, 1, NULL, &flags, (WSAOVERLAPPED *)&ov, NULL);
    check_pending("WSARecv before CloseHandle", ret, SOCKET_ERROR, &ov);
    closehandle_socket = server;
    ok(wstest_guarded("CloseHandle on a SOCKET with a pending WSARecv", closehandle_thread, NULL),
       "CloseHandle crashed\n");
    get_packet(port, WAIT_MS, &p);
    ok(p.ov == &ov && !p.ret && p.key == 24 && !p.bytes,
       "the request after CloseHandle: packet ret %d error %lu key " KEYX " ov %p, %lu bytes\n", p.ret, p.error, p.key,
       p.ov, p.bytes);
    trace("the pending WSARecv after CloseHandle: error %lu, Internal " KEYX "\n", p.error, ov.Internal);
    ok(STATUS_OF(&ov) != STATUS_PENDING, "the request is still pending after CloseHandle\n");
    /* The program goes on: the other end still works. */
    ok(send(client, "x", 1, 0) == 1 || WSAGetLastError() == WSAECONNRESET, "send on the peer: error %d\n",
       WSAGetLastError());
    closesocket(client);
    CloseHandle(port);
}

START_TEST(iocp)
{
    WSADATA data;

    ok(!WSAStartup(MAKEWORD(2, 2), &data), "WSAStartup failed\n");
    load_extensions();
    test_recv_send();
    test_recvfrom_sendto();
    test_msg();
    test_acceptex(0);
    test_acceptex(64);
    test_acceptex_close_acceptor();
    test_duplicate();
    test_connectex();
    test_connectex_refused();
    test_disconnectex();
    test_transmitfile();
    test_transmitpackets();
    test_ioctl();
    test_skip_on_success();
    test_event_low_bit();
    test_completion_routine();
    test_cancel();
    test_result_mapping();
    test_reset();
    test_bulk();
    test_close_pending();
    test_closehandle();
    WSACleanup();
}
