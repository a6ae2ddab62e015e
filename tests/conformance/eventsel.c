/*
 * WSAEventSelect, WSAEnumNetworkEvents, WSAWaitForMultipleEvents and the
 * event helpers: an event-driven echo server, then the rules one by one.
 *
 * Expected values are Windows' own, from Microsoft's pages:
 *  "WSAEventSelect function":
 *   - once an event is recorded and the event object set, nothing more is
 *     done for it until the re-enabling call: recv for FD_READ, send for
 *     FD_WRITE, accept for FD_ACCEPT, none for FD_CONNECT and FD_CLOSE;
 *     FD_READ and FD_ACCEPT are level-triggered (a recv that leaves data
 *     behind records FD_READ again);
 *   - FD_WRITE is recorded when the socket is connected or accepted, and
 *     then only after a send failed with WSAEWOULDBLOCK and buffer space
 *     became available;
 *   - an event that already happened when WSAEventSelect is called is
 *     recorded at once;
 *   - the FD_CLOSE error is 0 for a graceful close; for a reset the page
 *     names WSAECONNRESET, but Windows 10 gives WSAECONNABORTED (Wine's
 *     test_close_events, which runs on Windows, checks that value);
 *   - WSAEventSelect sets the socket non-blocking "regardless of the value
 *     of lNetworkEvents"; it can be set back to blocking only after the
 *     registration was cleared with lNetworkEvents 0 and a NULL event;
 *   - a new WSAEventSelect cancels the previous one; closesocket cancels
 *     the registration; a socket made by accept has the listener's
 *     properties and registration (same event, same events).
 *  "Winsock IOCTLs" (FIONBIO): once WSAAsyncSelect or WSAEventSelect was
 *   issued, setting the socket back to blocking fails with WSAEINVAL.
 *  "WSAAsyncSelect function": the FD_CONNECT error for a refused attempt
 *   is WSAECONNREFUSED ("references to WSAAsyncSelect also apply to
 *   WSAEventSelect", Protocol-Independent Out-of-Band Data).
 *  "WSAEnumNetworkEvents function": reports the recorded events with one
 *   error code per event (iErrorCode[FD_X_BIT]), clears the record and
 *   resets the event object it is given.
 *  "WSACreateEvent function": a manual-reset event, initially not
 *   signalled.  "WSAWaitForMultipleEvents": WSA_WAIT_TIMEOUT, or
 *   WSA_WAIT_EVENT_0 + index.  "WSACloseEvent": an invalid handle fails
 *   with WSA_INVALID_HANDLE.
 * Every wait is bounded.
 */
#include "wstest.h"

#define QUIET_MS 300 /* long enough to see an event that should not come */

/* Wait for ev (at most ms), then fetch and clear the record of s. */
static LONG wait_events(SOCKET s, WSAEVENT ev, DWORD ms, WSANETWORKEVENTS *ne)
{
    DWORD wait = WSAWaitForMultipleEvents(1, &ev, FALSE, ms, FALSE);
    int ret;

    memset(ne, 0, sizeof(*ne));
    if (wait != WSA_WAIT_EVENT_0) return 0;
    ret = WSAEnumNetworkEvents(s, ev, ne);
    ok(ret == 0, "WSAEnumNetworkEvents: %d %d\n", ret, WSAGetLastError());
    return ne->lNetworkEvents;
}

/* Wait until s has gathered all of want (or ms passed); returns what came. */
static LONG collect_events(SOCKET s, WSAEVENT ev, LONG want, DWORD ms, WSANETWORKEVENTS *all)
{
    ULONGLONG deadline = wstest_ticks() + ms;
    WSANETWORKEVENTS ne;
    int i;

    memset(all, 0, sizeof(*all));
    while ((all->lNetworkEvents & want) != want && wstest_ticks() < deadline)
    {
        if (!wait_events(s, ev, (DWORD)(deadline - wstest_ticks()), &ne)) continue;
        for (i = 0; i < FD_MAX_EVENTS; i++)
            if (ne.lNetworkEvents & (1 << i)) all->iErrorCode[i] = ne.iErrorCode[i];
        all->lNetworkEvents |= ne.lNetworkEvents;
    }
    return all->lNetworkEvents;
}

/* ------------------------------------------------------------ echo server */

#define NCLIENTS 6
#define MAXSOCKS (NCLIENTS + 1)

struct client
{
    struct sockaddr_in addr;
    int index;
    int echoed, ended;
};

static DWORD WINAPI echo_client(void *arg)
{
    struct client *cl = arg;
    char msg[64], got[64];
    int len, n, have = 0;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    if (connect(s, (struct sockaddr *)&cl->addr, sizeof(cl->addr)))
    {
        closesocket(s);
        return 0;
    }
    len = sprintf(msg, "event client %d", cl->index);
    send(s, msg, len, 0);
    while (have < len && wstest_wait_readable(s, 10000))
    {
        if ((n = recv(s, got + have, sizeof(got) - have, 0)) <= 0) break;
        have += n;
    }
    cl->echoed = have == len && !memcmp(got, msg, len);
    /* A graceful end: our FIN, then the server's. */
    shutdown(s, SD_SEND);
    if (wstest_wait_readable(s, 10000)) cl->ended = recv(s, got, sizeof(got), 0) == 0;
    closesocket(s);
    return 0;
}

static void test_echo_server(void)
{
    struct client clients[NCLIENTS];
    HANDLE threads[NCLIENTS];
    SOCKET socks[MAXSOCKS];
    WSAEVENT events[MAXSOCKS];
    int nsocks = 1, accepted = 0, closed = 0, bad_errors = 0, i, j, n, len;
    ULONGLONG deadline;
    WSANETWORKEVENTS ne;
    struct sockaddr_storage addr;
    char buf[256];

    socks[0] = wstest_listener(AF_INET, &addr, &len);
    ok(socks[0] != INVALID_SOCKET, "listener: %d\n", WSAGetLastError());
    if (socks[0] == INVALID_SOCKET) return;
    events[0] = WSACreateEvent();
    ok(!WSAEventSelect(socks[0], events[0], FD_ACCEPT | FD_READ | FD_CLOSE), "WSAEventSelect: %d\n",
       WSAGetLastError());
    for (i = 0; i < NCLIENTS; i++)
    {
        memcpy(&clients[i].addr, &addr, sizeof(clients[i].addr));
        clients[i].index = i;
        clients[i].echoed = clients[i].ended = 0;
        threads[i] = CreateThread(NULL, 0, echo_client, &clients[i], 0, NULL);
    }

    deadline = wstest_ticks() + 30000;
    while (closed < NCLIENTS && wstest_ticks() < deadline)
    {
        DWORD wait = WSAWaitForMultipleEvents(nsocks, events, FALSE, 1000, FALSE);

        if (wait == WSA_WAIT_TIMEOUT) continue;
        if (wait >= WSA_WAIT_EVENT_0 + (DWORD)nsocks)
        {
            ok(0, "WSAWaitForMultipleEvents returned %lu\n", wait);
            break;
        }
        /* The first signalled one is reported; look at all of them. */
        for (i = 0; i < nsocks; i++)
        {
            if (socks[i] == INVALID_SOCKET) continue;
            if (WSAEnumNetworkEvents(socks[i], events[i], &ne))
            {
                ok(0, "WSAEnumNetworkEvents: %d\n", WSAGetLastError());
                continue;
            }
            for (j = 0; j < FD_MAX_EVENTS; j++)
                if ((ne.lNetworkEvents & (1 << j)) && ne.iErrorCode[j]) bad_errors++;
            if (ne.lNetworkEvents & FD_ACCEPT)
            {
                SOCKET c = accept(socks[0], NULL, NULL);

                if (c == INVALID_SOCKET) continue;
                ok(nsocks < MAXSOCKS, "too many connections\n");
                accepted++;
                socks[nsocks] = c;
                events[nsocks] = WSACreateEvent();
                ok(!WSAEventSelect(c, events[nsocks], FD_READ | FD_CLOSE), "WSAEventSelect: %d\n",
                   WSAGetLastError());
                nsocks++;
            }
            if (i && (ne.lNetworkEvents & (FD_READ | FD_CLOSE)))
            {
                /* Echo what is there; FD_CLOSE comes once the data is read. */
                while ((n = recv(socks[i], buf, sizeof(buf), 0)) > 0) send(socks[i], buf, n, 0);
                if (n == SOCKET_ERROR && WSAGetLastError() != WSAEWOULDBLOCK) ne.lNetworkEvents |= FD_CLOSE;
            }
            if (i && (ne.lNetworkEvents & FD_CLOSE))
            {
                shutdown(socks[i], SD_SEND);
                closesocket(socks[i]);
                socks[i] = INVALID_SOCKET;
                closed++;
            }
        }
    }
    for (i = 0; i < NCLIENTS; i++)
    {
        ok(WaitForSingleObject(threads[i], 20000) == WAIT_OBJECT_0, "client %d did not finish\n", i);
        CloseHandle(threads[i]);
        ok(clients[i].echoed, "client %d did not get its echo\n", i);
        ok(clients[i].ended, "client %d did not see the server's graceful close\n", i);
    }
    ok(accepted == NCLIENTS && closed == NCLIENTS, "accepted %d, saw %d FD_CLOSE, of %d clients\n", accepted,
       closed, NCLIENTS);
    ok(!bad_errors, "%d events came with an error code\n", bad_errors);
    for (i = 0; i < nsocks; i++)
    {
        if (socks[i] != INVALID_SOCKET) closesocket(socks[i]);
        WSACloseEvent(events[i]);
    }
}

/* ------------------------------------------------------------ the rules */

static void test_reenabling(void)
{
    static char big[65536];
    WSANETWORKEVENTS ne;
    WSAEVENT ev = WSACreateEvent();
    SOCKET c, s;
    LONG got;
    char buf[16];
    int ret, n = 0, small = 8192, stuck = 0;
    long sent = 0, drained = 0;
    ULONGLONG deadline;

    if (wstest_tcp_pair(AF_INET, &c, &s))
    {
        ok(0, "no connected pair: %d\n", WSAGetLastError());
        return;
    }
    ok(!WSAEventSelect(s, ev, FD_READ | FD_WRITE | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());

    /* The connection is there already: FD_WRITE at once, then no more. */
    got = wait_events(s, ev, 2000, &ne);
    ok(got == FD_WRITE && ne.iErrorCode[FD_WRITE_BIT] == 0, "after WSAEventSelect: events %#lx, error %d\n", got,
       ne.iErrorCode[FD_WRITE_BIT]);
    ok(send(s, "hello", 5, 0) == 5, "send: %d\n", WSAGetLastError());
    got = wait_events(s, ev, QUIET_MS, &ne);
    ok(got == 0, "a send that succeeded brought events %#lx\n", got);

    /* FD_READ once, not again until recv; recv with data left records it again. */
    ok(send(c, "abc", 3, 0) == 3, "send: %d\n", WSAGetLastError());
    got = wait_events(s, ev, 5000, &ne);
    ok(got == FD_READ && ne.iErrorCode[FD_READ_BIT] == 0, "data: events %#lx, error %d\n", got,
       ne.iErrorCode[FD_READ_BIT]);
    ok(send(c, "def", 3, 0) == 3, "send: %d\n", WSAGetLastError());
    got = wait_events(s, ev, QUIET_MS, &ne);
    ok(got == 0, "more data before recv brought events %#lx\n", got);
    ok(recv(s, buf, 2, 0) == 2, "recv: %d\n", WSAGetLastError());
    got = wait_events(s, ev, 5000, &ne);
    ok(got == FD_READ, "a recv that left data behind: events %#lx\n", got);
    ret = recv(s, buf, sizeof(buf), 0);
    ok(ret == 4, "recv: %d %d\n", ret, WSAGetLastError());
    got = wait_events(s, ev, QUIET_MS, &ne);
    ok(got == 0, "a recv that took everything: events %#lx\n", got);
    ok(recv(c, buf, sizeof(buf), 0) == 5, "peer recv: %d\n", WSAGetLastError());

    /* FD_WRITE again only after WSAEWOULDBLOCK and room to send. */
    /* Fill until sends keep failing: the peer's window is closed for good,
     * then forget what the filling itself recorded. */
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char *)&small, sizeof(small));
    deadline = wstest_ticks() + 20000;
    while (stuck < 3 && wstest_ticks() < deadline)
    {
        if ((n = send(s, big, sizeof(big), 0)) > 0)
        {
            sent += n;
            stuck = 0;
            continue;
        }
        if (WSAGetLastError() != WSAEWOULDBLOCK) break;
        stuck++;
        Sleep(100);
    }
    ok(stuck == 3, "filling ended with %d %d\n", n, WSAGetLastError());
    ok(!WSAEnumNetworkEvents(s, ev, &ne), "WSAEnumNetworkEvents: %d\n", WSAGetLastError());
    got = wait_events(s, ev, QUIET_MS, &ne);
    ok(!(got & FD_WRITE), "FD_WRITE while the connection is full (events %#lx)\n", got);
    while (drained < sent && wstest_wait_readable(c, 5000))
    {
        if ((n = recv(c, big, sizeof(big), 0)) <= 0) break;
        drained += n;
    }
    ok(drained == sent, "the peer read %ld of %ld bytes\n", drained, sent);
    got = collect_events(s, ev, FD_WRITE, 5000, &ne);
    ok((got & FD_WRITE) && ne.iErrorCode[FD_WRITE_BIT] == 0, "after the peer read everything: events %#lx\n", got);

    /* A graceful close by the peer: FD_CLOSE with 0. */
    closesocket(c);
    got = collect_events(s, ev, FD_CLOSE, 5000, &ne);
    ok(got == FD_CLOSE && ne.iErrorCode[FD_CLOSE_BIT] == 0, "graceful close: events %#lx, error %d\n", got,
       ne.iErrorCode[FD_CLOSE_BIT]);
    got = wait_events(s, ev, QUIET_MS, &ne);
    ok(got == 0, "FD_CLOSE came again (events %#lx)\n", got);
    closesocket(s);

    /* An abortive close: FD_CLOSE with WSAECONNABORTED. */
    if (!wstest_tcp_pair(AF_INET, &c, &s))
    {
        struct linger l = { 1, 0 };

        ok(!WSAEventSelect(s, ev, FD_READ | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
        setsockopt(c, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l));
        closesocket(c);
        got = collect_events(s, ev, FD_CLOSE, 5000, &ne);
        ok((got & FD_CLOSE) && ne.iErrorCode[FD_CLOSE_BIT] == WSAECONNABORTED, "abortive close: events %#lx, "
                                                                               "error %d\n",
           got, ne.iErrorCode[FD_CLOSE_BIT]);
        closesocket(s);
    }
    WSACloseEvent(ev);
}

static void test_connect_events(void)
{
    struct sockaddr_storage laddr;
    struct sockaddr_in addr = { 0 };
    WSANETWORKEVENTS ne;
    WSAEVENT ev = WSACreateEvent();
    SOCKET s, l, a;
    LONG got;
    int ret, len;

    /* Refused. */
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = wstest_closed_port(SOCK_STREAM);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), "WSAEventSelect: %d\n",
       WSAGetLastError());
    ret = connect(s, (struct sockaddr *)&addr, sizeof(addr));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "connect: %d %d\n", ret, WSAGetLastError());
    got = collect_events(s, ev, FD_CONNECT, 10000, &ne);
    ok(got & FD_CONNECT, "no FD_CONNECT for a refused connect (events %#lx)\n", got);
    ok(ne.iErrorCode[FD_CONNECT_BIT] == WSAECONNREFUSED, "FD_CONNECT error %d, expected WSAECONNREFUSED\n",
       ne.iErrorCode[FD_CONNECT_BIT]);
    ok(!(got & FD_WRITE), "FD_WRITE for a refused connect\n");
    closesocket(s);

    /* Accepted: FD_CONNECT with 0, and FD_WRITE. */
    l = wstest_listener(AF_INET, &laddr, &len);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE), "WSAEventSelect: %d\n", WSAGetLastError());
    ret = connect(s, (struct sockaddr *)&laddr, len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "connect: %d %d\n", ret, WSAGetLastError());
    got = collect_events(s, ev, FD_CONNECT | FD_WRITE, 10000, &ne);
    ok((got & FD_CONNECT) && ne.iErrorCode[FD_CONNECT_BIT] == 0, "connect: events %#lx, FD_CONNECT error %d\n",
       got, ne.iErrorCode[FD_CONNECT_BIT]);
    ok((got & FD_WRITE) && ne.iErrorCode[FD_WRITE_BIT] == 0, "no FD_WRITE after the connect (events %#lx)\n", got);
    got = wait_events(s, ev, QUIET_MS, &ne);
    ok(got == 0, "FD_CONNECT or FD_WRITE came again (events %#lx)\n", got);
    a = accept(l, NULL, NULL);
    closesocket(a);
    closesocket(s);
    closesocket(l);
    WSACloseEvent(ev);
}

static void test_nonblocking(void)
{
    WSAEVENT ev = WSACreateEvent();
    DWORD bytes, timeout = 2000;
    u_long arg;
    SOCKET c, s;
    char buf[4];
    int ret;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    /* Should a recv block after all, it ends after 2 s instead of hanging. */
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));
    ok(!WSAEventSelect(c, ev, FD_READ), "WSAEventSelect: %d\n", WSAGetLastError());
    ret = recv(c, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "recv after WSAEventSelect: %d %d\n", ret,
       WSAGetLastError());
    arg = 0;
    ret = ioctlsocket(c, FIONBIO, &arg);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "ioctlsocket FIONBIO 0 while selected: %d %d\n",
       ret, WSAGetLastError());
    ret = WSAIoctl(c, FIONBIO, &arg, sizeof(arg), NULL, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "WSAIoctl FIONBIO 0 while selected: %d %d\n", ret,
       WSAGetLastError());
    arg = 1;
    ok(!ioctlsocket(c, FIONBIO, &arg), "FIONBIO 1 while selected: %d\n", WSAGetLastError());

    /* Cleared: still non-blocking, but it may be set back now. */
    ok(!WSAEventSelect(c, NULL, 0), "WSAEventSelect(NULL, 0): %d\n", WSAGetLastError());
    ret = recv(c, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "recv after clearing: %d %d\n", ret,
       WSAGetLastError());
    arg = 0;
    ok(!ioctlsocket(c, FIONBIO, &arg), "FIONBIO 0 after clearing: %d\n", WSAGetLastError());

    /* lNetworkEvents 0 on a blocking socket still makes it non-blocking. */
    ok(!WSAEventSelect(s, NULL, 0), "WSAEventSelect(NULL, 0): %d\n", WSAGetLastError());
    ret = recv(s, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "recv after WSAEventSelect with no events: "
                                                                   "%d %d\n",
       ret, WSAGetLastError());
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_replace_and_close(void)
{
    WSANETWORKEVENTS ne;
    WSAEVENT ev1 = WSACreateEvent(), ev2 = WSACreateEvent();
    SOCKET c, s;
    DWORD wait;
    LONG got;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    /* The second registration replaces the first (event and mask). */
    ok(!WSAEventSelect(s, ev1, FD_READ | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
    ok(!WSAEventSelect(s, ev2, FD_READ), "WSAEventSelect: %d\n", WSAGetLastError());
    ok(send(c, "z", 1, 0) == 1, "send: %d\n", WSAGetLastError());
    got = wait_events(s, ev2, 5000, &ne);
    ok(got == FD_READ, "the new registration: events %#lx\n", got);
    wait = WaitForSingleObject(ev1, 0);
    ok(wait == WAIT_TIMEOUT, "the replaced event was set (%lu)\n", wait);
    closesocket(c);
    wait = WaitForSingleObject(ev2, QUIET_MS);
    ok(wait == WAIT_TIMEOUT, "FD_CLOSE was reported though the new mask leaves it out\n");
    closesocket(s);

    /* closesocket cancels the registration: no FD_CLOSE afterwards. */
    if (!wstest_tcp_pair(AF_INET, &c, &s))
    {
        WSAResetEvent(ev1);
        ok(!WSAEventSelect(c, ev1, FD_READ | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
        ok(closesocket(c) == 0, "closesocket: %d\n", WSAGetLastError());
        closesocket(s);
        wait = WaitForSingleObject(ev1, QUIET_MS * 2);
        ok(wait == WAIT_TIMEOUT, "the event of a closed socket was set (%lu)\n", wait);
    }
    WSACloseEvent(ev1);
    WSACloseEvent(ev2);
}

static void test_accept_inherits(void)
{
    struct sockaddr_storage addr;
    WSANETWORKEVENTS ne;
    WSAEVENT ev = WSACreateEvent();
    SOCKET l, c, a;
    DWORD timeout = 2000;
    u_long arg = 0;
    char buf[4];
    LONG got;
    int len, ret;

    l = wstest_listener(AF_INET, &addr, &len);
    ok(!WSAEventSelect(l, ev, FD_ACCEPT | FD_READ | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
    got = wait_events(l, ev, QUIET_MS, &ne);
    ok(got == 0, "a listener with nothing pending: events %#lx\n", got);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!connect(c, (struct sockaddr *)&addr, len), "connect: %d\n", WSAGetLastError());
    got = wait_events(l, ev, 5000, &ne);
    ok(got == FD_ACCEPT && ne.iErrorCode[FD_ACCEPT_BIT] == 0, "a pending connection: events %#lx\n", got);
    a = accept(l, NULL, NULL);
    ok(a != INVALID_SOCKET, "accept: %d\n", WSAGetLastError());
    if (a == INVALID_SOCKET) goto done;
    setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));

    /* The accepted socket reports through the listener's event. */
    ok(send(c, "q", 1, 0) == 1, "send: %d\n", WSAGetLastError());
    got = wait_events(a, ev, 5000, &ne);
    ok(got & FD_READ, "the accepted socket did not report FD_READ on the listener's event (%#lx)\n", got);
    ok(recv(a, buf, sizeof(buf), 0) == 1, "recv: %d\n", WSAGetLastError());
    ret = recv(a, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "the accepted socket blocks: %d %d\n", ret,
       WSAGetLastError());
    ret = ioctlsocket(a, FIONBIO, &arg);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "FIONBIO 0 on the accepted socket: %d %d\n", ret,
       WSAGetLastError());
    closesocket(c);
    got = collect_events(a, ev, FD_CLOSE, 5000, &ne);
    ok((got & FD_CLOSE) && ne.iErrorCode[FD_CLOSE_BIT] == 0, "the accepted socket: events %#lx, close error %d\n",
       got, ne.iErrorCode[FD_CLOSE_BIT]);
    closesocket(a);
    c = INVALID_SOCKET;
done:
    if (c != INVALID_SOCKET) closesocket(c);
    closesocket(l);
    WSACloseEvent(ev);
}

static void test_event_helpers(void)
{
    WSAEVENT ev = WSACreateEvent(), evs[2];
    ULONGLONG start;
    DWORD ret;

    ok(ev != WSA_INVALID_EVENT, "WSACreateEvent: %d\n", WSAGetLastError());
    ok(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, "a new event is signalled\n");
    ok(WSASetEvent(ev), "WSASetEvent: %d\n", WSAGetLastError());
    ok(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0, "WSASetEvent did not set it\n");
    ok(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0, "the event is not manual-reset\n");
    ok(WSAResetEvent(ev), "WSAResetEvent: %d\n", WSAGetLastError());
    ok(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, "WSAResetEvent did not reset it\n");

    evs[0] = ev;
    evs[1] = WSACreateEvent();
    start = wstest_ticks();
    ret = WSAWaitForMultipleEvents(2, evs, FALSE, 100, FALSE);
    ok(ret == WSA_WAIT_TIMEOUT, "WSAWaitForMultipleEvents with nothing set: %lu\n", ret);
    ok(wstest_ticks() - start >= 50, "WSAWaitForMultipleEvents did not wait\n");
    WSASetEvent(evs[1]);
    ret = WSAWaitForMultipleEvents(2, evs, FALSE, 1000, FALSE);
    ok(ret == WSA_WAIT_EVENT_0 + 1, "WSAWaitForMultipleEvents with the second set: %lu\n", ret);
    ret = WSAWaitForMultipleEvents(2, evs, TRUE, 100, FALSE);
    ok(ret == WSA_WAIT_TIMEOUT, "waiting for all with one set: %lu\n", ret);

    ok(WSACloseEvent(evs[1]), "WSACloseEvent: %d\n", WSAGetLastError());
    ok(WSACloseEvent(ev), "WSACloseEvent: %d\n", WSAGetLastError());
    WSASetLastError(0);
    ok(!WSACloseEvent(NULL), "WSACloseEvent(NULL) succeeded\n");
    ok(WSAGetLastError() == WSA_INVALID_HANDLE, "WSACloseEvent(NULL): error %d\n", WSAGetLastError());
}

START_TEST(eventsel)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_event_helpers();
    test_echo_server();
    test_reenabling();
    test_connect_events();
    test_nonblocking();
    test_replace_and_close();
    test_accept_inherits();
    WSACleanup();
}
