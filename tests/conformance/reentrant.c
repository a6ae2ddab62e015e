/*
 * Winsock calls made from an APC that runs inside another Winsock call.
 *
 * Windows' blocking calls wait alertably: a lingering closesocket, select,
 * a blocking recv (their documentation warns that another *blocking* call
 * from such an APC is undefined), and WSAWaitForMultipleEvents when asked
 * to be alertable.  An APC queued to the thread (QueueUserAPC, a completion
 * routine) runs during the wait, and the non-blocking calls it makes work:
 * here getsockopt on another socket, socket and closesocket.  The outer call
 * then carries on and returns its own result, except WSAWaitForMultipleEvents,
 * which returns WSA_WAIT_IO_COMPLETION.
 */
#include "wstest.h"

struct apc_result
{
    SOCKET probe; /* a UDP socket the APC asks for SO_TYPE */
    LONG ran;
    ULONGLONG when;
    int getsockopt_ret, getsockopt_err, type;
    int socket_err;
    int closesocket_ret, closesocket_err;
};

static void CALLBACK reentrant_apc(ULONG_PTR arg)
{
    struct apc_result *r = (struct apc_result *)arg;
    int len = sizeof(r->type);
    SOCKET s;

    r->when = wstest_ticks();
    r->type = -1;
    r->getsockopt_ret = getsockopt(r->probe, SOL_SOCKET, SO_TYPE, (char *)&r->type, &len);
    r->getsockopt_err = r->getsockopt_ret ? WSAGetLastError() : 0;
    s = socket(AF_INET, SOCK_STREAM, 0);
    r->socket_err = s == INVALID_SOCKET ? WSAGetLastError() : 0;
    r->closesocket_ret = closesocket(s);
    r->closesocket_err = r->closesocket_ret ? WSAGetLastError() : 0;
    InterlockedIncrement(&r->ran);
}

/* Queue the APC to this thread; it runs at the next alertable wait. */
static void queue_apc(struct apc_result *r)
{
    memset(r, 0, sizeof(*r));
    r->probe = socket(AF_INET, SOCK_DGRAM, 0);
    ok(r->probe != INVALID_SOCKET, "probe socket: %d\n", WSAGetLastError());
    ok(QueueUserAPC(reentrant_apc, GetCurrentThread(), (ULONG_PTR)r), "QueueUserAPC: %lu\n", GetLastError());
}

static void check_apc(struct apc_result *r, const char *during, ULONGLONG returned)
{
    ok(r->ran == 1, "%s: the APC ran %ld times (expected once, inside the call)\n", during, r->ran);
    ok(!r->ran || r->when <= returned, "%s: the APC ran after the call returned\n", during);
    ok(!r->getsockopt_ret && r->type == SOCK_DGRAM, "%s: getsockopt from the APC: %d, error %d, type %d\n", during,
       r->getsockopt_ret, r->getsockopt_err, r->type);
    ok(!r->socket_err, "%s: socket from the APC failed with %d\n", during, r->socket_err);
    ok(!r->closesocket_ret, "%s: closesocket from the APC: %d, error %d\n", during, r->closesocket_ret,
       r->closesocket_err);
    closesocket(r->probe);
}

/* Asked-for receive buffer of the accepted end: small, so that unread data
 * soon stays unacknowledged. */
#define SMALL_RCVBUF 4096

/* The peer: after `delay_ms`, send one byte (`send_byte`) or read to the end. */
struct peer
{
    SOCKET s;
    DWORD delay_ms;
    int send_byte;
    long got;
    int end;
};

static DWORD WINAPI peer_thread(void *arg)
{
    static char buf[65536];
    struct peer *p = arg;
    int n;

    Sleep(p->delay_ms);
    if (p->send_byte)
    {
        send(p->s, "x", 1, 0);
        return 0;
    }
    p->got = 0;
    while ((n = recv(p->s, buf, sizeof(buf), 0)) > 0) p->got += n;
    p->end = n == 0 ? 0 : WSAGetLastError();
    return 0;
}

/* Start the peer thread on `s`, 300 ms from now. */
static HANDLE start_peer(struct peer *p, SOCKET s, int send_byte)
{
    p->s = s;
    p->delay_ms = 300;
    p->send_byte = send_byte;
    return CreateThread(NULL, 0, peer_thread, p, 0, NULL);
}

/* After a call the peer woke: let the peer end, close both ends. */
static void finish_pair(HANDLE thread, SOCKET client, SOCKET server)
{
    WaitForSingleObject(thread, 10000);
    CloseHandle(thread);
    closesocket(client);
    closesocket(server);
}

/* (a) closesocket lingering {1,2} on unacknowledged data; the peer starts
 * reading after 300 ms, so the close completes gracefully and returns 0. */
static void test_lingering_close(void)
{
    static char buf[65536];
    struct linger lin = { 1, 2 };
    struct apc_result r;
    struct peer peer;
    SOCKET client, server;
    ULONGLONG start, end;
    HANDLE thread;
    u_long nb = 1;
    long queued = 0;
    int n, ret, err;

    wstest_checked_pair(&client, &server, SMALL_RCVBUF);
    ioctlsocket(client, FIONBIO, &nb);
    while ((n = send(client, buf, sizeof(buf), 0)) > 0) queued += n;
    ok(WSAGetLastError() == WSAEWOULDBLOCK, "filling ended with %d\n", WSAGetLastError());
    nb = 0;
    ioctlsocket(client, FIONBIO, &nb);
    ok(!setsockopt(client, SOL_SOCKET, SO_LINGER, (char *)&lin, sizeof(lin)), "SO_LINGER: %d\n", WSAGetLastError());

    thread = start_peer(&peer, server, 0);
    queue_apc(&r);
    start = wstest_ticks();
    ret = closesocket(client);
    err = WSAGetLastError();
    end = wstest_ticks();
    ok(ret == 0, "lingering closesocket: %d, error %d (expected 0)\n", ret, err);
    ok(end - start >= 200 && end - start < 2000, "lingering closesocket took %llu ms (expected about 300)\n",
       end - start);
    check_apc(&r, "lingering closesocket", end);
    ok(WaitForSingleObject(thread, 10000) == WAIT_OBJECT_0, "the peer did not finish\n");
    CloseHandle(thread);
    ok(peer.got == queued && peer.end == 0, "peer: %ld of %ld bytes, then %d (expected all, then the end)\n",
       peer.got, queued, peer.end);
    closesocket(server);
}

/* (b) select waiting for a socket the peer makes readable after 300 ms. */
static void test_select(void)
{
    struct timeval tv = { 5, 0 };
    struct apc_result r;
    struct peer peer;
    SOCKET client, server;
    ULONGLONG start, end;
    HANDLE thread;
    fd_set readfds;
    int ret, err;

    wstest_checked_pair(&client, &server, SMALL_RCVBUF);
    thread = start_peer(&peer, server, 1);
    FD_ZERO(&readfds);
    FD_SET(client, &readfds);
    queue_apc(&r);
    start = wstest_ticks();
    ret = select(0, &readfds, NULL, NULL, &tv);
    err = WSAGetLastError();
    end = wstest_ticks();
    ok(ret == 1 && FD_ISSET(client, &readfds), "select: %d, error %d (expected 1)\n", ret, err);
    ok(end - start >= 200 && end - start < 4000, "select took %llu ms (expected about 300)\n", end - start);
    check_apc(&r, "select", end);
    finish_pair(thread, client, server);
}

/* (c) blocking recv waiting for the byte the peer sends after 300 ms. */
static void test_blocking_recv(void)
{
    struct apc_result r;
    struct peer peer;
    SOCKET client, server;
    ULONGLONG end;
    HANDLE thread;
    char c = 0;
    int ret, err;

    wstest_checked_pair(&client, &server, SMALL_RCVBUF);
    thread = start_peer(&peer, server, 1);
    queue_apc(&r);
    ret = recv(client, &c, 1, 0);
    err = WSAGetLastError();
    end = wstest_ticks();
    ok(ret == 1 && c == 'x', "recv: %d, error %d (expected the byte)\n", ret, err);
    check_apc(&r, "blocking recv", end);
    finish_pair(thread, client, server);
}

/* (d) WSAWaitForMultipleEvents, alertable, on an event nobody sets. */
static void test_wait_events(void)
{
    WSAEVENT event = WSACreateEvent();
    struct apc_result r;
    ULONGLONG end;
    DWORD ret;

    queue_apc(&r);
    ret = WSAWaitForMultipleEvents(1, &event, FALSE, 5000, TRUE);
    end = wstest_ticks();
    ok(ret == WSA_WAIT_IO_COMPLETION, "WSAWaitForMultipleEvents: %lu (expected WSA_WAIT_IO_COMPLETION)\n", ret);
    check_apc(&r, "WSAWaitForMultipleEvents", end);
    WSACloseEvent(event);
}

START_TEST(reentrant)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_lingering_close();
    test_select();
    test_blocking_recv();
    test_wait_events();
    WSACleanup();
}
