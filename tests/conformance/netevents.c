/*
 * The finer rules of network events, select and WSAPoll, as Windows
 * applies them.  The values are those Wine's conformance suite checks on
 * Windows (its sock.c tests run there): what the Microsoft pages leave
 * open, how a second WSAEventSelect, an unselected socket, a closesocket in
 * another thread or a reset show.
 *
 *  WSAEnumNetworkEvents writes the error code of the events it reports and
 *  leaves the others as they were.
 *  An event is reported once until its re-enabling call, also across calls
 *  to WSAEventSelect: selecting again does not report FD_WRITE again.
 *  A connect made before WSAEventSelect still has its FD_CONNECT; an
 *  accepted socket has none.  Data that came while the socket was selected
 *  for nothing is reported once it is selected again.
 *  The peer's FIN is FD_CLOSE at once, data unread or not; a reset is
 *  FD_CLOSE with WSAECONNABORTED.
 *  select: a stream socket that is neither connected nor listening is never
 *  ready; a socket named twice in a set is written and counted once; the
 *  same fd_set given as two sets counts each socket once; a socket closed
 *  in another thread ends the call readable, and when it was in the
 *  exception set alone the call fails with WSAENOTSOCK.
 *  WSAPoll: events other than POLLIN and POLLOUT fail with WSAEINVAL;
 *  INVALID_SOCKET is POLLNVAL and not counted; with no socket at all the
 *  call fails with WSAENOTSOCK; after the peer's FIN a socket is POLLHUP
 *  (not POLLRDNORM) and after a reset POLLERR|POLLHUP; our own shutdown is
 *  neither.
 * Every wait is bounded.
 */
#include "wstest.h"

#define QUIET_MS 200 /* long enough to see an event that should not come */

/* Wait for ev (at most ms), then take the events of s; the codes start as 0xcc bytes. */
static LONG take_events(SOCKET s, WSAEVENT ev, DWORD ms, WSANETWORKEVENTS *ne)
{
    memset(ne, 0xcc, sizeof(*ne));
    WaitForSingleObject(ev, ms);
    ok(!WSAEnumNetworkEvents(s, ev, ne), "WSAEnumNetworkEvents: %d\n", WSAGetLastError());
    return ne->lNetworkEvents;
}

static void test_enum_codes(void)
{
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    SOCKET c, s;
    int i;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    ok(!WSAEventSelect(s, ev, FD_READ | FD_WRITE | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
    ok(take_events(s, ev, 1000, &ne) == FD_WRITE, "first events %#lx\n", ne.lNetworkEvents);
    ok(ne.iErrorCode[FD_WRITE_BIT] == 0, "FD_WRITE code %d\n", ne.iErrorCode[FD_WRITE_BIT]);
    for (i = 0; i < FD_MAX_EVENTS; i++)
        if (i != FD_WRITE_BIT)
            ok(ne.iErrorCode[i] == (int)0xcccccccc, "code %d written: %#x\n", i, ne.iErrorCode[i]);

    /* Selected again: FD_WRITE was reported and nothing re-enabled it. */
    ok(!WSAEventSelect(s, ev, FD_READ | FD_WRITE | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
    ok(take_events(s, ev, QUIET_MS, &ne) == 0, "events after selecting again %#lx\n", ne.lNetworkEvents);
    ok(!WSAEventSelect(s, NULL, 0), "unselect: %d\n", WSAGetLastError());
    ok(!WSAEventSelect(s, ev, FD_READ | FD_WRITE | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
    ok(take_events(s, ev, QUIET_MS, &ne) == 0, "events after unselect and select %#lx\n", ne.lNetworkEvents);

    /* Data while selected for nothing: reported when selected again. */
    ok(!WSAEventSelect(s, NULL, 0), "unselect: %d\n", WSAGetLastError());
    ok(send(c, "x", 1, 0) == 1, "send: %d\n", WSAGetLastError());
    Sleep(100);
    ok(!WSAEventSelect(s, ev, FD_READ | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
    ok(take_events(s, ev, 1000, &ne) == FD_READ, "data while unselected: events %#lx\n", ne.lNetworkEvents);

    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_connect_then_select(void)
{
    struct sockaddr_storage addr;
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    SOCKET l, c, s;
    int len;

    if ((l = wstest_listener(AF_INET, &addr, &len)) == INVALID_SOCKET) return;
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!connect(c, (struct sockaddr *)&addr, len), "connect: %d\n", WSAGetLastError());
    s = accept(l, NULL, NULL);
    ok(s != INVALID_SOCKET, "accept: %d\n", WSAGetLastError());

    ok(!WSAEventSelect(c, ev, FD_CONNECT | FD_WRITE), "WSAEventSelect: %d\n", WSAGetLastError());
    ok(take_events(c, ev, 1000, &ne) == (FD_CONNECT | FD_WRITE), "connected socket: events %#lx\n",
       ne.lNetworkEvents);
    ok(ne.iErrorCode[FD_CONNECT_BIT] == 0, "FD_CONNECT code %d\n", ne.iErrorCode[FD_CONNECT_BIT]);

    ok(!WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE), "WSAEventSelect: %d\n", WSAGetLastError());
    ok(take_events(s, ev, 1000, &ne) == FD_WRITE, "accepted socket: events %#lx\n", ne.lNetworkEvents);

    closesocket(c);
    closesocket(s);
    closesocket(l);
    WSACloseEvent(ev);
}

static void test_close_events(void)
{
    static const struct linger abortive = { 1, 0 };
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    SOCKET c, s;
    char buf[8];
    LONG got;

    /* FIN with data unread: FD_READ, then FD_CLOSE without reading first. */
    if (!wstest_tcp_pair(AF_INET, &c, &s))
    {
        ok(!WSAEventSelect(s, ev, FD_READ | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
        ok(send(c, "data", 4, 0) == 4, "send: %d\n", WSAGetLastError());
        ok(take_events(s, ev, 1000, &ne) == FD_READ, "data: events %#lx\n", ne.lNetworkEvents);
        closesocket(c);
        ok(take_events(s, ev, 1000, &ne) == FD_CLOSE, "FIN with data unread: events %#lx\n", ne.lNetworkEvents);
        ok(ne.iErrorCode[FD_CLOSE_BIT] == 0, "FD_CLOSE code %d\n", ne.iErrorCode[FD_CLOSE_BIT]);
        ok(recv(s, buf, sizeof(buf), 0) == 4, "recv: %d\n", WSAGetLastError());
        closesocket(s);
    }

    /* A reset. */
    if (!wstest_tcp_pair(AF_INET, &c, &s))
    {
        ok(!WSAEventSelect(s, ev, FD_READ | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
        setsockopt(c, SOL_SOCKET, SO_LINGER, (const char *)&abortive, sizeof(abortive));
        closesocket(c);
        got = take_events(s, ev, 1000, &ne);
        ok(got == FD_CLOSE && ne.iErrorCode[FD_CLOSE_BIT] == WSAECONNABORTED, "reset: events %#lx, code %d\n", got,
           ne.iErrorCode[FD_CLOSE_BIT]);
        closesocket(s);
    }

    /* Our own shutdown(SD_BOTH) is no event. */
    if (!wstest_tcp_pair(AF_INET, &c, &s))
    {
        ok(!WSAEventSelect(s, ev, FD_READ | FD_CLOSE), "WSAEventSelect: %d\n", WSAGetLastError());
        ok(!shutdown(s, SD_BOTH), "shutdown: %d\n", WSAGetLastError());
        ok(take_events(s, ev, QUIET_MS, &ne) == 0, "own shutdown: events %#lx\n", ne.lNetworkEvents);
        closesocket(c);
        closesocket(s);
    }
    WSACloseEvent(ev);
}

struct closer
{
    SOCKET s;
    DWORD delay;
};

static DWORD WINAPI close_later(void *arg)
{
    struct closer *c = arg;

    Sleep(c->delay);
    closesocket(c->s);
    return 0;
}

static void test_select_rules(void)
{
    struct timeval zero = { 0, 0 }, long_wait = { 2, 0 };
    struct closer closer;
    fd_set rd, wr, ex;
    SOCKET fresh, c, s;
    HANDLE thread;
    int ret;

    /* Neither connected nor listening: nothing to report. */
    fresh = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_ZERO(&ex);
    FD_SET(fresh, &rd);
    FD_SET(fresh, &wr);
    FD_SET(fresh, &ex);
    ret = select(0, &rd, &wr, &ex, &zero);
    ok(ret == 0 && !rd.fd_count && !wr.fd_count && !ex.fd_count, "fresh socket: %d (%u %u %u)\n", ret,
       rd.fd_count, wr.fd_count, ex.fd_count);
    closesocket(fresh);

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;

    /* Twice in one set: once in the result. */
    wr.fd_count = 2;
    wr.fd_array[0] = c;
    wr.fd_array[1] = c;
    ret = select(0, NULL, &wr, NULL, &zero);
    ok(ret == 1 && wr.fd_count == 1 && wr.fd_array[0] == c, "twice in a set: %d, count %u\n", ret, wr.fd_count);

    /* One fd_set as read and write set: each socket counts once. */
    ok(send(c, "x", 1, 0) == 1, "send: %d\n", WSAGetLastError());
    Sleep(100);
    FD_ZERO(&rd);
    FD_SET(c, &rd);
    FD_SET(s, &rd);
    ret = select(0, &rd, &rd, NULL, &zero);
    ok(ret == 2 && rd.fd_count == 2, "one set twice: %d, count %u\n", ret, rd.fd_count);

    /* Closed in another thread while in the read set: the call ends, readable. */
    closer.s = c;
    closer.delay = 200;
    thread = CreateThread(NULL, 0, close_later, &closer, 0, NULL);
    FD_ZERO(&rd);
    FD_ZERO(&ex);
    FD_SET(c, &rd);
    FD_SET(c, &ex);
    ret = select(0, &rd, NULL, &ex, &long_wait);
    ok(ret == 1 && rd.fd_count == 1 && rd.fd_array[0] == c && !ex.fd_count, "closed while read-selected: %d\n",
       ret);
    WaitForSingleObject(thread, 5000);
    CloseHandle(thread);
    closesocket(s);

    /* ...and in the exception set alone: WSAENOTSOCK. */
    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    closer.s = c;
    thread = CreateThread(NULL, 0, close_later, &closer, 0, NULL);
    FD_ZERO(&ex);
    FD_SET(c, &ex);
    ret = select(0, NULL, NULL, &ex, &long_wait);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "closed while except-selected: %d %d\n", ret,
       WSAGetLastError());
    ok(!FD_ISSET(c, &ex), "closed socket left in the set\n");
    WaitForSingleObject(thread, 5000);
    CloseHandle(thread);
    closesocket(s);
}

#define check_poll(s, want, what) check_poll_(__LINE__, s, want, what)
static void check_poll_(int line, SOCKET s, SHORT want, const char *what)
{
    WSAPOLLFD fd;
    int ret;

    fd.fd = s;
    fd.events = POLLRDNORM | POLLRDBAND | POLLWRNORM;
    fd.revents = 0x5555;
    ret = WSAPoll(&fd, 1, 1000);
    ok(ret == (fd.revents ? 1 : 0) && fd.revents == want, "line %d, %s: WSAPoll %d, revents %#x, expected %#x\n",
       line, what, ret, fd.revents, want);
}

static void test_poll_rules(void)
{
    static const struct linger abortive = { 1, 0 };
    struct sockaddr_storage addr;
    WSAPOLLFD fds[2];
    SOCKET l, c, s;
    char buf[8];
    int len, ret;

    if ((l = wstest_listener(AF_INET, &addr, &len)) == INVALID_SOCKET) return;

    /* POLLPRI, POLLERR, POLLWRBAND... are not for asking. */
    fds[0].fd = l;
    fds[0].events = POLLRDNORM | POLLERR;
    fds[0].revents = 0x5555;
    WSASetLastError(0xdead);
    ret = WSAPoll(fds, 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "POLLERR asked: %d %d\n", ret, WSAGetLastError());
    fds[0].events = POLLWRBAND;
    ret = WSAPoll(fds, 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "POLLWRBAND asked: %d %d\n", ret, WSAGetLastError());

    /* INVALID_SOCKET next to a socket: POLLNVAL, not counted, no error. */
    fds[0].fd = INVALID_SOCKET;
    fds[0].events = POLLIN;
    fds[1].fd = l;
    fds[1].events = POLLIN;
    WSASetLastError(0xdead);
    ret = WSAPoll(fds, 2, 0);
    ok(ret == 0 && WSAGetLastError() == 0, "INVALID_SOCKET and a listener: %d %d\n", ret, WSAGetLastError());
    ok(fds[0].revents == POLLNVAL && fds[1].revents == 0, "revents %#x %#x\n", fds[0].revents, fds[1].revents);

    /* Nothing but invalid sockets: WSAENOTSOCK. */
    fds[1].fd = INVALID_SOCKET;
    ret = WSAPoll(fds, 2, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "only invalid sockets: %d %d\n", ret,
       WSAGetLastError());
    ok(fds[0].revents == POLLNVAL && fds[1].revents == POLLNVAL, "revents %#x %#x\n", fds[0].revents,
       fds[1].revents);

    /* The peer's FIN: a hang-up, not data; our own shutdown: neither. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!connect(c, (struct sockaddr *)&addr, len), "connect: %d\n", WSAGetLastError());
    s = accept(l, NULL, NULL);
    ok(!shutdown(c, SD_RECEIVE), "shutdown: %d\n", WSAGetLastError());
    check_poll(c, POLLWRNORM, "after our SD_RECEIVE");
    ok(!shutdown(c, SD_SEND), "shutdown: %d\n", WSAGetLastError());
    check_poll(c, POLLWRNORM, "after our SD_RECEIVE and SD_SEND");
    closesocket(c);
    check_poll(s, POLLWRNORM | POLLHUP, "after the peer's close");
    closesocket(s);

    /* A reset, once a receive saw it: an error and a hang-up. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!connect(c, (struct sockaddr *)&addr, len), "connect: %d\n", WSAGetLastError());
    s = accept(l, NULL, NULL);
    setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&abortive, sizeof(abortive));
    closesocket(s);
    Sleep(100);
    ok(recv(c, buf, sizeof(buf), 0) == SOCKET_ERROR && WSAGetLastError() == WSAECONNRESET, "recv after a reset: %d\n",
       WSAGetLastError());
    check_poll(c, POLLERR | POLLHUP | POLLWRNORM, "after a reset");
    closesocket(c);
    closesocket(l);
}

START_TEST(netevents)
{
    WSADATA data;

    if (WSAStartup(MAKEWORD(2, 2), &data))
    {
        ok(0, "WSAStartup failed\n");
        return;
    }
    test_enum_codes();
    test_connect_then_select();
    test_close_events();
    test_select_rules();
    test_poll_rules();
    WSACleanup();
}
