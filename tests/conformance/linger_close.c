/*
 * closesocket with a linger timeout, observed from an in-process peer.
 *
 * Windows ("closesocket function", "Graceful Shutdown, Linger Options, and
 * Socket Closure", the SPI's WSPCloseSocket):
 *  - {1,N} on a blocking socket blocks until the queued data is sent and
 *    acknowledged (then a graceful close), or N seconds (then a reset), and
 *    returns 0 either way; the wait is alertable (an APC runs inside it);
 *  - {1,N} on a non-blocking socket with data still in flight fails with
 *    WSAEWOULDBLOCK; the socket stays valid and no disconnect starts; after
 *    shutdown(SD_SEND) or with linger {1,0} a later closesocket succeeds;
 *  - SO_DONTLINGER FALSE turns lingering back on with the timeout set before;
 *  - a call blocked in another thread on the socket is woken by closesocket.
 *
 * The peer holds data unacknowledged by not reading with a small receive
 * buffer; the client fills the connection with non-blocking sends.
 * Time bounds are loose on purpose: machines are noisy.
 */
#include "wstest.h"

struct pair
{
    SOCKET client, server;
    long queued;
};

/* Asked-for receive buffer of the peer's end: small, so that unread data
 * soon stays unacknowledged. */
#define SMALL_RCVBUF 4096

static void make_pair(struct pair *p)
{
    wstest_checked_pair(&p->client, &p->server, SMALL_RCVBUF);
    p->queued = 0;
}

/* Send until the connection is full, then restore the blocking mode. */
static void fill(struct pair *p, u_long nonblocking_after)
{
    static char buf[65536];
    u_long nb = 1;
    int n;

    ioctlsocket(p->client, FIONBIO, &nb);
    while ((n = send(p->client, buf, sizeof(buf), 0)) > 0) p->queued += n;
    ok(WSAGetLastError() == WSAEWOULDBLOCK, "filling ended with %d\n", WSAGetLastError());
    ioctlsocket(p->client, FIONBIO, &nonblocking_after);
}

static void set_linger(SOCKET s, u_short onoff, u_short secs)
{
    struct linger l = { onoff, secs };
    ok(!setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l)), "SO_LINGER: %d\n", WSAGetLastError());
}

/* Read everything: the byte count, and how the stream ended (0 or the error). */
static long drain(SOCKET s, int *end)
{
    static char buf[65536];
    long total = 0;
    int n;

    while ((n = recv(s, buf, sizeof(buf), 0)) > 0) total += n;
    *end = n == 0 ? 0 : WSAGetLastError();
    return total;
}

struct reader
{
    SOCKET s;
    DWORD delay_ms;
    long got;
    int end;
};

static DWORD WINAPI reader_thread(void *arg)
{
    struct reader *r = arg;

    Sleep(r->delay_ms);
    r->got = drain(r->s, &r->end);
    return 0;
}

static volatile LONG apc_ran;
static ULONGLONG apc_time;

static void CALLBACK count_apc(ULONG_PTR arg)
{
    (void)arg;
    apc_time = wstest_ticks();
    InterlockedIncrement(&apc_ran);
}

static DWORD WINAPI queue_apc_later(void *arg)
{
    Sleep(500);
    QueueUserAPC(count_apc, (HANDLE)arg, 0);
    return 0;
}

/* {1,2}, blocking, the peer never reads: ~2 s, then a reset. An APC queued
 * to the closing thread runs during the wait. */
static void test_timeout_resets(void)
{
    struct pair p;
    ULONGLONG start, took;
    HANDLE self, thread;
    long got;
    int end, ret;

    make_pair(&p);
    fill(&p, 0);
    set_linger(p.client, 1, 2);
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &self, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    apc_ran = 0;
    thread = CreateThread(NULL, 0, queue_apc_later, self, 0, NULL);
    start = wstest_ticks();
    ret = closesocket(p.client);
    took = wstest_ticks() - start;
    ok(ret == 0, "closesocket: %d %d\n", ret, WSAGetLastError());
    ok(took >= 1500 && took <= 4000, "closesocket took %llu ms, expected about 2000\n", took);
    ok(apc_ran == 1, "the APC did not run inside closesocket (%ld)\n", apc_ran);
    ok(apc_ran && apc_time - start < took, "the APC ran after closesocket returned\n");
    got = drain(p.server, &end);
    ok(end == WSAECONNRESET, "peer: %ld of %ld bytes, then %d (expected a reset)\n", got, p.queued, end);
    ok(got < p.queued, "peer got everything (%ld) despite the reset\n", got);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(self);
    closesocket(p.server);
}

/* {1,5}, blocking, the peer starts reading after 1 s: returns once the data
 * is through (~1 s), graceful: the peer reads everything, then the end. */
static void test_drain_in_time(void)
{
    struct reader r;
    struct pair p;
    ULONGLONG start, took;
    HANDLE thread;
    int ret;

    make_pair(&p);
    fill(&p, 0);
    set_linger(p.client, 1, 5);
    r.s = p.server;
    r.delay_ms = 1000;
    thread = CreateThread(NULL, 0, reader_thread, &r, 0, NULL);
    start = wstest_ticks();
    ret = closesocket(p.client);
    took = wstest_ticks() - start;
    ok(ret == 0, "closesocket: %d %d\n", ret, WSAGetLastError());
    ok(took >= 700 && took <= 4000, "closesocket took %llu ms, expected about 1000\n", took);
    WaitForSingleObject(thread, 30000);
    CloseHandle(thread);
    ok(r.got == p.queued && r.end == 0, "peer: %ld of %ld bytes, then %d (expected all, then the end)\n",
       r.got, p.queued, r.end);
    closesocket(p.server);
}

/* {1,5}, non-blocking, data in flight: WSAEWOULDBLOCK, still valid, the
 * peer sees nothing; after shutdown(SD_SEND) the close succeeds at once. */
static void test_nonblocking(int use_shutdown)
{
    struct linger l;
    struct pair p;
    u_long nb = 1;
    char c;
    int ret, len = sizeof(l), end;
    ULONGLONG start;
    long got;

    make_pair(&p);
    fill(&p, 1);
    set_linger(p.client, 1, 5);
    start = wstest_ticks();
    ret = closesocket(p.client);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "closesocket: %d %d\n", ret, WSAGetLastError());
    ok(wstest_ticks() - start < 1000, "the non-blocking close blocked\n");
    ret = getsockopt(p.client, SOL_SOCKET, SO_LINGER, (char *)&l, &len);
    ok(!ret && l.l_onoff == 1 && l.l_linger == 5, "the socket is no longer usable: %d %d\n", ret, WSAGetLastError());
    ioctlsocket(p.server, FIONBIO, &nb);
    Sleep(200);
    ret = recv(p.server, &c, 1, MSG_PEEK);
    ok(ret == 1, "peek: %d %d\n", ret, WSAGetLastError());
    nb = 0;
    ioctlsocket(p.server, FIONBIO, &nb);
    if (use_shutdown)
    {
        ok(!shutdown(p.client, SD_SEND), "shutdown: %d\n", WSAGetLastError());
        ret = closesocket(p.client);
        ok(ret == 0, "closesocket after shutdown: %d %d\n", ret, WSAGetLastError());
        got = drain(p.server, &end);
        ok(got == p.queued && end == 0, "peer: %ld of %ld, then %d (expected all, then the end)\n",
           got, p.queued, end);
    }
    else
    {
        set_linger(p.client, 1, 0);
        ret = closesocket(p.client);
        ok(ret == 0, "closesocket with {1,0}: %d %d\n", ret, WSAGetLastError());
        got = drain(p.server, &end);
        ok(end == WSAECONNRESET, "peer: %ld bytes, then %d (expected a reset)\n", got, end);
    }
    closesocket(p.server);
}

/* SO_DONTLINGER FALSE after {1,N}: lingering again, with timeout N. */
static void test_dontlinger_restores(void)
{
    struct linger l;
    struct pair p;
    BOOL off = TRUE, on = FALSE;
    ULONGLONG start, took;
    int len = sizeof(l), ret, end;

    make_pair(&p);
    set_linger(p.client, 1, 1);
    ok(!setsockopt(p.client, SOL_SOCKET, SO_DONTLINGER, (char *)&off, sizeof(off)), "SO_DONTLINGER TRUE\n");
    ok(!setsockopt(p.client, SOL_SOCKET, SO_DONTLINGER, (char *)&on, sizeof(on)), "SO_DONTLINGER FALSE\n");
    getsockopt(p.client, SOL_SOCKET, SO_LINGER, (char *)&l, &len);
    ok(l.l_onoff && l.l_linger == 1, "linger {%u,%u}, expected {1,1}\n", l.l_onoff, l.l_linger);
    fill(&p, 0);
    start = wstest_ticks();
    ret = closesocket(p.client);
    took = wstest_ticks() - start;
    ok(ret == 0 && took >= 700 && took <= 3500, "closesocket: %d after %llu ms, expected about 1000\n", ret, took);
    drain(p.server, &end);
    ok(end == WSAECONNRESET, "peer: %d, expected a reset\n", end);
    closesocket(p.server);
}

struct blocked
{
    SOCKET s;
    int ret, err;
    int accept;
};

static DWORD WINAPI blocked_call(void *arg)
{
    struct blocked *b = arg;
    char c;

    if (b->accept) b->ret = accept(b->s, NULL, NULL) == INVALID_SOCKET ? SOCKET_ERROR : 0;
    else b->ret = recv(b->s, &c, 1, 0);
    b->err = WSAGetLastError();
    return 0;
}

/* closesocket wakes a recv or accept blocked in another thread. */
static void test_wakes_blocked(int accept_call)
{
    struct sockaddr_in addr = { 0 };
    struct blocked b = { 0 };
    struct pair p;
    HANDLE thread;
    DWORD wait;

    b.accept = accept_call;
    if (accept_call)
    {
        b.s = socket(AF_INET, SOCK_STREAM, 0);
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(b.s, (struct sockaddr *)&addr, sizeof(addr));
        listen(b.s, 1);
    }
    else
    {
        make_pair(&p);
        b.s = p.client;
    }
    thread = CreateThread(NULL, 0, blocked_call, &b, 0, NULL);
    Sleep(300);
    ok(!closesocket(b.s), "closesocket: %d\n", WSAGetLastError());
    wait = WaitForSingleObject(thread, 5000);
    ok(wait == WAIT_OBJECT_0, "the blocked %s was not woken\n", accept_call ? "accept" : "recv");
    if (wait == WAIT_OBJECT_0)
        ok(b.ret == SOCKET_ERROR && b.err == WSAEINTR, "%s returned %d, error %d (expected WSAEINTR)\n",
           accept_call ? "accept" : "recv", b.ret, b.err);
    CloseHandle(thread);
    if (!accept_call) closesocket(p.server);
}

START_TEST(linger_close)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_timeout_resets();
    test_drain_in_time();
    test_nonblocking(0);
    test_nonblocking(1);
    test_dontlinger_restores();
    test_wakes_blocked(0);
    test_wakes_blocked(1);
    WSACleanup();
}
