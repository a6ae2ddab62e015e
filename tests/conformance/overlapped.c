/*
 * Overlapped I/O without completion ports: WSASend, WSARecv, WSASendTo,
 * WSARecvFrom with an event or a completion routine, WSAGetOverlappedResult,
 * and closesocket cancelling what is pending.
 *
 * Microsoft's pages ("WSARecv function", "WSASend function",
 * "WSAGetOverlappedResult function", "closesocket function"):
 *  - an operation that cannot complete at once returns SOCKET_ERROR with
 *    WSA_IO_PENDING; its event is set when it completes;
 *  - a completion routine runs as an APC in the issuing thread when that
 *    thread waits alertably (SleepEx/WaitForSingleObjectEx with TRUE), also
 *    for an operation that completed at once;
 *  - WSAGetOverlappedResult without waiting on a pending operation fails with
 *    WSA_IO_INCOMPLETE; afterwards it gives the bytes transferred;
 *  - closesocket cancels the process's pending overlapped operations on the
 *    socket: each completes with WSA_OPERATION_ABORTED (995).
 * What Wine's own ws2_32 tests (which pass on Windows) show as well:
 *  - WSAGetOverlappedResult reads the final status in Internal; a status
 *    Winsock has no error for (STATUS_TOO_MANY_OPENED_FILES,
 *    STATUS_UNSUCCESSFUL) gives WSAEINVAL, not an error of its own;
 *  - it does not take a DuplicateHandle copy of a SOCKET that no call has
 *    used for a socket (WSAENOTSOCK), and it gives the byte count even
 *    without a place for the flags;
 *  - a socket made without WSA_FLAG_OVERLAPPED (WSASocket, or socket()
 *    after SO_OPENTYPE) is not asynchronous: without an OVERLAPPED a
 *    non-blocking receive fails with WSAEWOULDBLOCK, with one it waits
 *    until the data came, returns 0, and the OVERLAPPED holds the result;
 *  - write watches (MEM_WRITE_WATCH): a receive that waits counts every
 *    page of its buffers as written when it starts waiting, and the data
 *    that lands later does not count again.
 * An overlapped echo with completion routines runs over loopback, with a
 * thread of this process as the echoing peer.
 */
#include "wstest.h"
#include <mswsock.h>

static void test_event(void)
{
    SOCKET client, server;
    char buf[32];
    WSABUF wsabuf = { sizeof(buf), buf };
    WSAOVERLAPPED ov;
    DWORD got = 0, flags = 0, wait;
    BOOL done;
    int ret;

    wstest_checked_pair(&client, &server, 0);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    ret = WSARecv(server, &wsabuf, 1, &got, &flags, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecv: %d %d\n", ret, WSAGetLastError());
    done = WSAGetOverlappedResult(server, &ov, &got, FALSE, &flags);
    ok(!done && WSAGetLastError() == WSA_IO_INCOMPLETE, "pending result: %d %d\n", done, WSAGetLastError());
    ok(send(client, "hello", 5, 0) == 5, "send: %d\n", WSAGetLastError());
    wait = WaitForSingleObject(ov.hEvent, 5000);
    ok(wait == WAIT_OBJECT_0, "the event was not set: %lu\n", wait);
    done = WSAGetOverlappedResult(server, &ov, &got, FALSE, &flags);
    ok(done && got == 5 && !memcmp(buf, "hello", 5), "result: %d, %lu bytes\n", done, got);

    /* Data already there: the receive completes at once and returns 0. */
    ok(send(client, "again", 5, 0) == 5, "send: %d\n", WSAGetLastError());
    Sleep(100);
    ResetEvent(ov.hEvent);
    got = 0;
    ret = WSARecv(server, &wsabuf, 1, &got, &flags, &ov, NULL);
    ok(ret == 0 && got == 5, "immediate WSARecv: %d, %lu bytes, error %d\n", ret, got, WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, 0) == WAIT_OBJECT_0, "the event of an immediate completion is not set\n");

    /* Several buffers in one WSASend, without an OVERLAPPED. */
    {
        WSABUF parts[2] = { { 3, (char *)"abc" }, { 4, (char *)"defg" } };
        DWORD sent = 0;

        ret = WSASend(client, parts, 2, &sent, 0, NULL, NULL);
        ok(ret == 0 && sent == 7, "WSASend with two buffers: %d, %lu\n", ret, sent);
        got = 0;
        while (got < 7 && (ret = recv(server, buf + got, 7 - got, 0)) > 0) got += ret;
        ok(got == 7 && !memcmp(buf, "abcdefg", 7), "received %lu bytes\n", got);
    }
    WSACloseEvent(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

static volatile LONG routine_calls;
static DWORD routine_error, routine_bytes, routine_thread;

static void CALLBACK routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    routine_thread = GetCurrentThreadId();
    InterlockedIncrement(&routine_calls);
}

/* A thread of ours echoes everything until the end of the stream. */
static DWORD WINAPI echo_thread(void *arg)
{
    SOCKET s = (SOCKET)arg;
    char buf[4096];
    int n;

    while ((n = recv(s, buf, sizeof(buf), 0)) > 0)
        if (send(s, buf, n, 0) != n) break;
    return 0;
}

static void test_completion_routine(void)
{
    SOCKET client, server;
    char out[64], in[64];
    WSABUF out_buf = { sizeof(out), out }, in_buf = { sizeof(in), in };
    WSAOVERLAPPED send_ov, recv_ov;
    DWORD bytes, flags = 0, slept;
    HANDLE thread;
    int round, ret;

    wstest_checked_pair(&client, &server, 0);
    thread = CreateThread(NULL, 0, echo_thread, (void *)server, 0, NULL);
    for (round = 0; round < 20; round++)
    {
        memset(out, 'a' + round, sizeof(out));
        memset(&send_ov, 0, sizeof(send_ov));
        memset(&recv_ov, 0, sizeof(recv_ov));
        routine_calls = 0;
        ret = WSASend(client, &out_buf, 1, &bytes, 0, &send_ov, routine);
        ok(ret == 0 ||
               WSAGetLastError() == WSA_IO_PENDING,
           "round %d: WSASend: %d %d\n", round, ret, WSAGetLastError());
        /* The routine waits for an alertable wait, even after an immediate completion. */
        ok(routine_calls == 0, "round %d: the routine ran before an alertable wait\n", round);
        SleepEx(0, TRUE);
        ok(routine_calls == 1 && !routine_error && routine_bytes == sizeof(out),
           "round %d: send routine: %ld calls, error %lu, %lu bytes\n", round, routine_calls, routine_error,
           routine_bytes);
        routine_calls = 0;
        ret = WSARecv(client, &in_buf, 1, &bytes, &flags, &recv_ov, routine);
        ok(ret == 0 ||
               WSAGetLastError() == WSA_IO_PENDING,
           "round %d: WSARecv: %d %d\n", round, ret, WSAGetLastError());
        slept = SleepEx(5000, TRUE);
        ok(slept == WAIT_IO_COMPLETION, "round %d: SleepEx returned %lu\n", round, slept);
        ok(routine_calls == 1 && !routine_error && routine_bytes > 0 && in[0] == 'a' + round,
           "round %d: receive routine: %ld calls, error %lu, %lu bytes\n", round, routine_calls, routine_error,
           routine_bytes);
        ok(routine_thread == GetCurrentThreadId(), "round %d: the routine ran in another thread\n", round);
        /* Take the rest of this round's echo before the next one. */
        for (bytes = routine_bytes; bytes < sizeof(out);)
        {
            ret = recv(client, in, sizeof(in) - bytes, 0);
            if (ret <= 0) break;
            bytes += ret;
        }
    }
    shutdown(client, SD_SEND);
    ok(WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0, "the echo thread did not end\n");
    CloseHandle(thread);
    closesocket(client);
    closesocket(server);
}

static void test_udp(void)
{
    struct sockaddr_in addr = { 0 }, from;
    SOCKET a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    char buf[32];
    WSABUF wsabuf = { sizeof(buf), buf }, msg = { 4, (char *)"ping" };
    WSAOVERLAPPED ov;
    DWORD got = 0, flags = 0, sent = 0;
    int len = sizeof(addr), fromlen = sizeof(from), ret;

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(a, (struct sockaddr *)&addr, sizeof(addr));
    getsockname(a, (struct sockaddr *)&addr, &len);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    ret = WSARecvFrom(a, &wsabuf, 1, &got, &flags, (struct sockaddr *)&from, &fromlen, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecvFrom: %d %d\n", ret, WSAGetLastError());
    ret = WSASendTo(b, &msg, 1, &sent, 0, (struct sockaddr *)&addr, sizeof(addr), NULL, NULL);
    ok(ret == 0 && sent == 4, "WSASendTo: %d %lu\n", ret, sent);
    ok(WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0, "the datagram did not complete the receive\n");
    ok(WSAGetOverlappedResult(a, &ov, &got, FALSE, &flags) && got == 4 && !memcmp(buf, "ping", 4),
       "result: %lu bytes\n", got);
    ok(fromlen == sizeof(struct sockaddr_in) && from.sin_family == AF_INET &&
           from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
       "source address: len %d family %d\n", fromlen, from.sin_family);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

/* closesocket: pending operations complete with WSA_OPERATION_ABORTED. */
static void test_cancel_on_close(void)
{
    SOCKET client, server;
    char buf[16];
    WSABUF wsabuf = { sizeof(buf), buf };
    WSAOVERLAPPED with_event, with_routine;
    DWORD got, flags = 0;
    int ret;

    wstest_checked_pair(&client, &server, 0);
    memset(&with_event, 0, sizeof(with_event));
    memset(&with_routine, 0, sizeof(with_routine));
    with_event.hEvent = WSACreateEvent();
    ret = WSARecv(server, &wsabuf, 1, &got, &flags, &with_event, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecv: %d %d\n", ret, WSAGetLastError());
    routine_calls = 0;
    ret = WSARecv(server, &wsabuf, 1, &got, &flags, &with_routine, routine);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecv: %d %d\n", ret, WSAGetLastError());
    ok(!closesocket(server), "closesocket: %d\n", WSAGetLastError());
    ok(WaitForSingleObject(with_event.hEvent, 5000) == WAIT_OBJECT_0, "the cancelled receive's event was not set\n");
    ok(with_event.Internal != 0x103, "the cancelled receive is still pending\n");
    SleepEx(1000, TRUE);
    ok(routine_calls == 1 && routine_error == WSA_OPERATION_ABORTED,
       "the routine of the cancelled receive: %ld calls, error %lu\n", routine_calls, routine_error);
    WSACloseEvent(with_event.hEvent);
    closesocket(client);
}

/* Statuses a program (or a provider) leaves in Internal, read back. */
static void test_result_statuses(void)
{
    static const DWORD unmapped[] = { 0xc000011f /* STATUS_TOO_MANY_OPENED_FILES */,
                                      0xc0000001 /* STATUS_UNSUCCESSFUL */, 0xc0001234 };
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAOVERLAPPED ov;
    DWORD bytes, flags;
    unsigned int i;
    BOOL done;

    for (i = 0; i < ARRAY_SIZE(unmapped); i++)
    {
        memset(&ov, 0, sizeof(ov));
        ov.Internal = unmapped[i];
        WSASetLastError(0xdeadbeef);
        done = WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags);
        ok(!done && WSAGetLastError() == WSAEINVAL, "status %#lx: %d, error %d\n", unmapped[i], done,
           WSAGetLastError());
    }

    /* Without lpdwFlags the byte count still comes out. */
    memset(&ov, 0, sizeof(ov));
    ov.InternalHigh = 321;
    bytes = 0;
    WSAGetOverlappedResult(s, &ov, &bytes, FALSE, NULL);
    ok(bytes == 321, "no flags pointer: %lu bytes\n", bytes);
    closesocket(s);
}

static void test_result_copy_handle(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAOVERLAPPED ov;
    DWORD bytes, flags;
    HANDLE copy = NULL;
    BOOL done;

    ok(DuplicateHandle(GetCurrentProcess(), (HANDLE)s, GetCurrentProcess(), &copy, 0, FALSE, DUPLICATE_SAME_ACCESS),
       "DuplicateHandle: %lu\n", GetLastError());
    memset(&ov, 0, sizeof(ov));
    WSASetLastError(0xdeadbeef);
    done = WSAGetOverlappedResult((SOCKET)copy, &ov, &bytes, FALSE, &flags);
    ok(!done && WSAGetLastError() == WSAENOTSOCK, "fresh copy: %d, error %d\n", done, WSAGetLastError());
    /* The original still is a socket. */
    done = WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags);
    ok(done, "original: %d, error %d\n", done, WSAGetLastError());
    CloseHandle(copy);
    closesocket(s);
}

/* A connected pair whose client comes from `make` (any flags), both ends non-blocking. */
static void sync_pair(SOCKET (*make)(void), SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr = { 0 };
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    int len = sizeof(addr);
    u_long one = 1;

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&addr, sizeof(addr));
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&addr, &len);
    *client = make();
    ok(*client != INVALID_SOCKET, "socket: %d\n", WSAGetLastError());
    ok(!connect(*client, (struct sockaddr *)&addr, sizeof(addr)), "connect: %d\n", WSAGetLastError());
    *server = accept(l, NULL, NULL);
    ok(*server != INVALID_SOCKET, "accept: %d\n", WSAGetLastError());
    closesocket(l);
    ioctlsocket(*client, FIONBIO, &one);
    ioctlsocket(*server, FIONBIO, &one);
}

static SOCKET make_without_flag(void)
{
    return WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0);
}

static DWORD WINAPI opentype_thread(void *arg)
{
    DWORD value = SO_SYNCHRONOUS_NONALERT;

    setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, sizeof(value));
    *(SOCKET *)arg = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    return 0;
}

static SOCKET make_after_opentype(void)
{
    SOCKET s = INVALID_SOCKET;
    HANDLE thread = CreateThread(NULL, 0, opentype_thread, &s, 0, NULL);

    WaitForSingleObject(thread, 5000);
    CloseHandle(thread);
    return s;
}

struct sync_recv
{
    SOCKET s;
    HANDLE event;
    int ret, error;
    DWORD status, bytes;
    char buf[8];
};

static DWORD WINAPI sync_recv_thread(void *arg)
{
    struct sync_recv *r = arg;
    WSABUF wsabuf = { sizeof(r->buf), r->buf };
    WSAOVERLAPPED ov;
    DWORD flags = 0;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = r->event;
    r->ret = WSARecv(r->s, &wsabuf, 1, NULL, &flags, &ov, NULL);
    r->error = WSAGetLastError();
    r->status = (DWORD)ov.Internal;
    r->bytes = (DWORD)ov.InternalHigh;
    return 0;
}

static void check_synchronous(SOCKET (*make)(void), const char *what)
{
    struct sync_recv r;
    SOCKET client, server;
    char buf[8];
    WSABUF wsabuf = { sizeof(buf), buf };
    WSAOVERLAPPED ov;
    DWORD flags = 0, got = 0;
    HANDLE thread;
    int ret;

    sync_pair(make, &client, &server);
    ret = recv(client, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "%s: recv: %d, error %d\n", what, ret,
       WSAGetLastError());
    ret = WSARecv(client, &wsabuf, 1, &got, &flags, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "%s: WSARecv: %d, error %d\n", what, ret,
       WSAGetLastError());

    /* With an OVERLAPPED the receive waits for the data, non-blocking or not. */
    memset(&r, 0, sizeof(r));
    r.s = client;
    r.event = CreateEventA(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, sync_recv_thread, &r, 0, NULL);
    ok(WaitForSingleObject(thread, 300) == WAIT_TIMEOUT, "%s: the overlapped receive did not wait\n", what);
    ok(send(server, "data", 4, 0) == 4, "%s: send: %d\n", what, WSAGetLastError());
    ok(WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0, "%s: the overlapped receive did not end\n", what);
    CloseHandle(thread);
    ok(r.ret == 0, "%s: WSARecv returned %d, error %d\n", what, r.ret, r.error);
    ok(r.status == 0 && r.bytes == 4 && !memcmp(r.buf, "data", 4), "%s: status %#lx, %lu bytes\n", what, r.status,
       r.bytes);
    CloseHandle(r.event);

    /* Data already there. */
    ok(send(server, "more", 4, 0) == 4, "%s: send: %d\n", what, WSAGetLastError());
    wstest_wait_readable(client, 5000);
    memset(&ov, 0, sizeof(ov));
    got = 0;
    ret = WSARecv(client, &wsabuf, 1, &got, &flags, &ov, NULL);
    ok(ret == 0 && got == 4, "%s: WSARecv with data there: %d, %lu bytes, error %d\n", what, ret, got,
       WSAGetLastError());
    ok(GetOverlappedResult((HANDLE)client, &ov, &got, FALSE) && got == 4, "%s: GetOverlappedResult: %lu, %lu\n",
       what, GetLastError(), got);
    closesocket(client);
    closesocket(server);
}

static void test_synchronous_socket(void)
{
    check_synchronous(make_without_flag, "WSASocket without WSA_FLAG_OVERLAPPED");
    check_synchronous(make_after_opentype, "socket() after SO_OPENTYPE");
}

static ULONG_PTR written_pages(char *base, SIZE_T size)
{
    void *pages[64];
    ULONG_PTR count = ARRAY_SIZE(pages);
    ULONG page_size;

    if (GetWriteWatch(WRITE_WATCH_FLAG_RESET, base, size, pages, &count, &page_size)) return ~(ULONG_PTR)0;
    return count;
}

struct watch_recv
{
    SOCKET s;
    char *buf;
    int len, ret;
};

static DWORD WINAPI watch_recv_thread(void *arg)
{
    struct watch_recv *w = arg;

    w->ret = recv(w->s, w->buf, w->len, 0);
    return 0;
}

static void test_write_watch(void)
{
    const SIZE_T size = 16 * 0x1000;
    struct watch_recv w;
    SOCKET client, server;
    WSABUF bufs[2];
    WSAOVERLAPPED ov;
    DWORD flags = 0, got;
    ULONG_PTR pages;
    HANDLE thread;
    char *base;
    int ret;

    base = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT | MEM_WRITE_WATCH, PAGE_READWRITE);
    if (!base) return skip("no write watch: %lu\n", GetLastError());
    wstest_checked_pair(&client, &server, 0);
    memset(base, 0, size);
    pages = written_pages(base, size);
    ok(pages == 16, "memset: %llu pages written\n", (unsigned long long)pages);

    /* Pending: one page for the first buffer, three for the second. */
    bufs[0].buf = base;
    bufs[0].len = 8;
    bufs[1].buf = base + 0x6000;
    bufs[1].len = 0x3000;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ret = WSARecv(server, bufs, 2, NULL, &flags, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecv: %d, error %d\n", ret, WSAGetLastError());
    pages = written_pages(base, size);
    ok(pages == 4, "a pending receive: %llu pages written\n", (unsigned long long)pages);
    ok(send(client, "0123456789abcdef", 16, 0) == 16, "send: %d\n", WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0, "the receive did not end\n");
    ok(GetOverlappedResult((HANDLE)server, &ov, &got, FALSE) && got == 16, "result: %lu bytes\n", got);
    ok(!memcmp(base, "01234567", 8) && !memcmp(base + 0x6000, "89abcdef", 8), "wrong data\n");
    pages = written_pages(base, size);
    ok(pages == 0, "the data of a pending receive: %llu pages written\n", (unsigned long long)pages);
    CloseHandle(ov.hEvent);

    /* A blocking recv, waiting in a thread (after the pending one: ours
     * counts a waiting recv's pages once a receive has met a watch, data.c). */
    w.s = server;
    w.buf = base + 0x1000;
    w.len = 0x2002; /* pages 1 to 3 */
    thread = CreateThread(NULL, 0, watch_recv_thread, &w, 0, NULL);
    ok(WaitForSingleObject(thread, 300) == WAIT_TIMEOUT, "recv did not wait\n");
    pages = written_pages(base, size);
    ok(pages == 3, "a waiting recv: %llu pages written\n", (unsigned long long)pages);
    ok(send(client, "blocked", 7, 0) == 7, "send: %d\n", WSAGetLastError());
    ok(WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0, "recv did not end\n");
    CloseHandle(thread);
    ok(w.ret == 7 && !memcmp(base + 0x1000, "blocked", 7), "recv: %d\n", w.ret);
    pages = written_pages(base, size);
    ok(pages == 0, "the data of a waiting recv: %llu pages written\n", (unsigned long long)pages);

    closesocket(client);
    closesocket(server);
    VirtualFree(base, 0, MEM_RELEASE);
}

START_TEST(overlapped)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_event();
    test_completion_routine();
    test_udp();
    test_cancel_on_close();
    test_result_statuses();
    test_result_copy_handle();
    test_synchronous_socket();
    test_write_watch();
    WSACleanup();
}
