/*
 * select() and WSAPoll(): a select-driven echo server with 200 clients,
 * timeouts, and what each set reports.
 *
 * Expected values are Windows' own, from Microsoft's pages:
 *  "select function (winsock2.h)":
 *   - returns the number of ready sockets, 0 when the time limit expired;
 *     the sets are updated to the subset that is ready; the TIMEVAL is
 *     not altered; {0, 0} returns at once;
 *   - readfds: a listening socket with a pending connection; queued data;
 *     a connection closed by the peer (recv then returns 0);
 *   - writefds: a non-blocking connect that succeeded;
 *   - exceptfds: a non-blocking connect that failed (then SO_ERROR tells
 *     why), OOB data while SO_OOBINLINE is off;
 *   - all three sets NULL is WSAEINVAL, and "any non-null descriptor set
 *     must contain at least one handle to a socket"; an entry that is not
 *     a socket is WSAENOTSOCK;
 *   - FD_SETSIZE (64 by default) may be defined larger before winsock2.h:
 *     this program uses 1024, as real servers do.
 *  "connect function": a non-blocking connect fails with WSAEWOULDBLOCK;
 *   the FD_CONNECT error list names WSAECONNREFUSED for a refused attempt.
 *  "WSAPoll function", "WSAPOLLFD structure":
 *   - returns the number of elements whose revents is nonzero, 0 on
 *     timeout; timeout 0 returns at once;
 *   - POLLRDNORM: data to read, or a connection to accept; POLLWRNORM:
 *     data can be written; POLLHUP: the connection was disconnected (the
 *     peer's graceful close); POLLNVAL: the local socket is closed;
 *   - WSAEINVAL when no element holds a valid socket (nfds 0), and for
 *     POLLPRI ("If the POLLPRI flag is set on a socket for the Microsoft
 *     Winsock provider, the WSAPoll function will fail").
 *  closesocket of a socket another thread is selecting on: no page says
 *  what select then returns, so only that it returns promptly is checked.
 * Every wait is bounded.
 */
#define FD_SETSIZE 1024
#include "wstest.h"

#define NCLIENTS 200
#define ECHO_MS  30000

/* A loopback listener with room for every client in its backlog. */
static SOCKET listener(struct sockaddr_in *addr)
{
    int len = sizeof(*addr);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s == INVALID_SOCKET) return INVALID_SOCKET;
    if (bind(s, (struct sockaddr *)addr, sizeof(*addr)) || getsockname(s, (struct sockaddr *)addr, &len) ||
        listen(s, SOMAXCONN))
    {
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

static void set_tv(struct timeval *tv, long ms)
{
    tv->tv_sec = ms / 1000;
    tv->tv_usec = (ms % 1000) * 1000;
}

/* ------------------------------------------------------------ echo */

struct echo_run
{
    struct sockaddr_in addr;
    volatile LONG server_gave_up;
    int connected, echoed, wrong, lost;
    unsigned int largest_set;
};

static int client_message(int i, char *buf)
{
    return sprintf(buf, "client %03d says hello", i);
}

/* One thread drives all the clients: connect, send, wait for the echo
 * with select over every client still waiting, close. */
static DWORD WINAPI echo_clients(void *arg)
{
    struct echo_run *run = arg;
    static SOCKET s[NCLIENTS];
    static char got[NCLIENTS][64];
    static int got_len[NCLIENTS], done[NCLIENTS];
    fd_set *set = HeapAlloc(GetProcessHeap(), 0, sizeof(*set));
    ULONGLONG deadline = wstest_ticks() + ECHO_MS;
    char msg[64];
    int i, n, left = 0;

    for (i = 0; i < NCLIENTS; i++)
    {
        done[i] = 1;
        got_len[i] = 0;
        s[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (s[i] == INVALID_SOCKET) continue;
        if (connect(s[i], (struct sockaddr *)&run->addr, sizeof(run->addr)))
        {
            closesocket(s[i]);
            s[i] = INVALID_SOCKET;
            continue;
        }
        run->connected++;
        n = client_message(i, msg);
        if (send(s[i], msg, n, 0) != n) continue;
        done[i] = 0;
        left++;
    }
    while (left && !run->server_gave_up && wstest_ticks() < deadline)
    {
        struct timeval tv;
        int ret;

        FD_ZERO(set);
        for (i = 0; i < NCLIENTS; i++)
            if (!done[i]) FD_SET(s[i], set);
        set_tv(&tv, 1000);
        ret = select(0, set, NULL, NULL, &tv);
        if (ret == SOCKET_ERROR)
        {
            ok(0, "client select with %d sockets failed: %d\n", left, WSAGetLastError());
            break;
        }
        for (i = 0; i < NCLIENTS; i++)
        {
            if (done[i] || !FD_ISSET(s[i], set)) continue;
            n = recv(s[i], got[i] + got_len[i], sizeof(got[i]) - 1 - got_len[i], 0);
            if (n <= 0)
            {
                run->lost++;
                done[i] = 1;
                left--;
                continue;
            }
            got_len[i] += n;
            n = client_message(i, msg);
            if (got_len[i] < n) continue;
            got[i][got_len[i]] = 0;
            if (got_len[i] == n && !memcmp(got[i], msg, n)) run->echoed++;
            else run->wrong++;
            done[i] = 1;
            left--;
            closesocket(s[i]);
            s[i] = INVALID_SOCKET;
        }
    }
    for (i = 0; i < NCLIENTS; i++)
        if (s[i] != INVALID_SOCKET) closesocket(s[i]);
    HeapFree(GetProcessHeap(), 0, set);
    return 0;
}

static void test_echo_server(void)
{
    static SOCKET conn[NCLIENTS];
    struct echo_run run;
    fd_set *set = HeapAlloc(GetProcessHeap(), 0, sizeof(*set));
    ULONGLONG deadline;
    int accepted = 0, closed = 0, i, n;
    SOCKET l;
    HANDLE thread;
    char buf[256];

    memset(&run, 0, sizeof(run));
    l = listener(&run.addr);
    ok(l != INVALID_SOCKET, "listener: %d\n", WSAGetLastError());
    if (l == INVALID_SOCKET) return;
    thread = CreateThread(NULL, 0, echo_clients, &run, 0, NULL);
    deadline = wstest_ticks() + ECHO_MS + 5000;
    while (closed < NCLIENTS && wstest_ticks() < deadline)
    {
        struct timeval tv;
        int ret;

        FD_ZERO(set);
        if (accepted < NCLIENTS) FD_SET(l, set);
        for (i = 0; i < accepted; i++)
            if (conn[i] != INVALID_SOCKET) FD_SET(conn[i], set);
        if (set->fd_count > run.largest_set) run.largest_set = set->fd_count;
        set_tv(&tv, 1000);
        ret = select(0, set, NULL, NULL, &tv);
        if (ret == SOCKET_ERROR)
        {
            ok(0, "server select with %u sockets failed: %d\n", set->fd_count, WSAGetLastError());
            break;
        }
        if (accepted < NCLIENTS && FD_ISSET(l, set))
        {
            SOCKET c = accept(l, NULL, NULL);

            ok(c != INVALID_SOCKET, "accept after select said readable: %d\n", WSAGetLastError());
            if (c != INVALID_SOCKET) conn[accepted++] = c;
        }
        for (i = 0; i < accepted; i++)
        {
            if (conn[i] == INVALID_SOCKET || !FD_ISSET(conn[i], set)) continue;
            n = recv(conn[i], buf, sizeof(buf), 0);
            if (n > 0 && send(conn[i], buf, n, 0) == n) continue;
            closesocket(conn[i]);
            conn[i] = INVALID_SOCKET;
            closed++;
        }
    }
    InterlockedExchange(&run.server_gave_up, 1);
    ok(WaitForSingleObject(thread, ECHO_MS + 10000) == WAIT_OBJECT_0, "the client thread did not finish\n");
    CloseHandle(thread);
    for (i = 0; i < accepted; i++)
        if (conn[i] != INVALID_SOCKET) closesocket(conn[i]);
    closesocket(l);
    HeapFree(GetProcessHeap(), 0, set);

    ok(run.connected == NCLIENTS, "%d of %d clients connected\n", run.connected, NCLIENTS);
    ok(accepted == NCLIENTS, "the server accepted %d of %d clients\n", accepted, NCLIENTS);
    ok(run.echoed == NCLIENTS, "%d of %d clients got their echo (%d wrong, %d lost)\n", run.echoed, NCLIENTS,
       run.wrong, run.lost);
    ok(closed == NCLIENTS, "the server saw %d of %d clients close\n", closed, NCLIENTS);
    trace("echo: %d clients, largest server set %u sockets\n", NCLIENTS, run.largest_set);
}

/* ------------------------------------------------------------ select */

static void test_timeouts(void)
{
    struct timeval tv;
    SOCKET c, s;
    ULONGLONG start, took;
    fd_set r;
    int ret;

    if (wstest_tcp_pair(AF_INET, &c, &s))
    {
        ok(0, "no connected pair: %d\n", WSAGetLastError());
        return;
    }
    FD_ZERO(&r);
    FD_SET(c, &r);
    set_tv(&tv, 200);
    start = wstest_ticks();
    ret = select(0, &r, NULL, NULL, &tv);
    took = wstest_ticks() - start;
    ok(ret == 0, "select with nothing to read returned %d (%d)\n", ret, WSAGetLastError());
    ok(r.fd_count == 0, "the read set still holds %u sockets after the timeout\n", r.fd_count);
    ok(took >= 150 && took <= 2000, "a 200 ms select took %llu ms\n", took);
    ok(tv.tv_sec == 0 && tv.tv_usec == 200000, "select altered the timeval: {%ld, %ld}\n", tv.tv_sec, tv.tv_usec);

    FD_ZERO(&r);
    FD_SET(c, &r);
    set_tv(&tv, 0);
    start = wstest_ticks();
    ret = select(0, &r, NULL, NULL, &tv);
    took = wstest_ticks() - start;
    ok(ret == 0 && took < 1000, "select {0, 0}: %d after %llu ms\n", ret, took);

    /* Data arrives during the wait: select returns early with the socket. */
    ok(send(s, "x", 1, 0) == 1, "send: %d\n", WSAGetLastError());
    FD_ZERO(&r);
    FD_SET(c, &r);
    set_tv(&tv, 5000);
    ret = select(0, &r, NULL, NULL, &tv);
    ok(ret == 1 && FD_ISSET(c, &r), "select with data waiting: %d, in set %d\n", ret, FD_ISSET(c, &r));
    closesocket(c);
    closesocket(s);
}

static void test_connect_sets(void)
{
    struct sockaddr_in addr = { 0 };
    struct timeval tv;
    fd_set w, e;
    u_long nb = 1;
    int ret, err, len;
    ULONGLONG start;
    SOCKET s, l;

    /* Refused: exceptfds, not writefds; SO_ERROR says why. */
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = wstest_closed_port(SOCK_STREAM);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ioctlsocket(s, FIONBIO, &nb);
    ret = connect(s, (struct sockaddr *)&addr, sizeof(addr));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "non-blocking connect: %d %d\n", ret,
       WSAGetLastError());
    FD_ZERO(&w);
    FD_SET(s, &w);
    FD_ZERO(&e);
    FD_SET(s, &e);
    set_tv(&tv, 10000);
    ret = select(0, NULL, &w, &e, &tv);
    ok(ret == 1, "select on a refused connect returned %d (%d)\n", ret, WSAGetLastError());
    ok(FD_ISSET(s, &e), "a refused connect is not in exceptfds\n");
    ok(!FD_ISSET(s, &w), "a refused connect is in writefds\n");
    err = 0;
    len = sizeof(err);
    ret = getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &len);
    ok(!ret && err == WSAECONNREFUSED, "SO_ERROR after the refused connect: %d, %d\n", ret, err);
    closesocket(s);

    /* Refused, watched in writefds alone: never ready there, so select
     * waits out its time limit and returns 0. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ioctlsocket(s, FIONBIO, &nb);
    connect(s, (struct sockaddr *)&addr, sizeof(addr));
    Sleep(100);
    FD_ZERO(&w);
    FD_SET(s, &w);
    set_tv(&tv, 500);
    start = wstest_ticks();
    ret = select(0, NULL, &w, NULL, &tv);
    ok(ret == 0, "select in writefds on a refused connect returned %d (%d)\n", ret, WSAGetLastError());
    ok(wstest_ticks() - start < 5000, "select with a 500 ms limit took %llu ms\n",
       (unsigned long long)(wstest_ticks() - start));
    closesocket(s);

    /* Accepted: writefds, not exceptfds. */
    l = listener(&addr);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ioctlsocket(s, FIONBIO, &nb);
    ret = connect(s, (struct sockaddr *)&addr, sizeof(addr));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "non-blocking connect: %d %d\n", ret,
       WSAGetLastError());
    FD_ZERO(&w);
    FD_SET(s, &w);
    FD_ZERO(&e);
    FD_SET(s, &e);
    set_tv(&tv, 10000);
    ret = select(0, NULL, &w, &e, &tv);
    ok(ret == 1 && FD_ISSET(s, &w) && !FD_ISSET(s, &e), "select on a connect that succeeded: %d, write %d, "
                                                        "except %d\n",
       ret, FD_ISSET(s, &w), FD_ISSET(s, &e));
    closesocket(s);
    closesocket(l);
}

static void test_listener_readable(void)
{
    struct sockaddr_in addr;
    struct timeval tv;
    SOCKET l, c, a;
    fd_set r;
    int ret;

    l = listener(&addr);
    FD_ZERO(&r);
    FD_SET(l, &r);
    set_tv(&tv, 0);
    ret = select(0, &r, NULL, NULL, &tv);
    ok(ret == 0, "a listener with nothing pending is readable: %d\n", ret);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!connect(c, (struct sockaddr *)&addr, sizeof(addr)), "connect: %d\n", WSAGetLastError());
    FD_ZERO(&r);
    FD_SET(l, &r);
    set_tv(&tv, 5000);
    ret = select(0, &r, NULL, NULL, &tv);
    ok(ret == 1 && FD_ISSET(l, &r), "a listener with a pending connection: %d, in set %d\n", ret, FD_ISSET(l, &r));
    a = accept(l, NULL, NULL);
    ok(a != INVALID_SOCKET, "accept: %d\n", WSAGetLastError());
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void test_peer_closed(void)
{
    struct timeval tv;
    SOCKET c, s;
    fd_set r;
    char buf[4];
    int ret;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    closesocket(s);
    FD_ZERO(&r);
    FD_SET(c, &r);
    set_tv(&tv, 5000);
    ret = select(0, &r, NULL, NULL, &tv);
    ok(ret == 1 && FD_ISSET(c, &r), "after the peer's close: %d, in set %d\n", ret, FD_ISSET(c, &r));
    ret = recv(c, buf, sizeof(buf), 0);
    ok(ret == 0, "recv after the peer's close: %d %d\n", ret, WSAGetLastError());
    closesocket(c);
}

static void test_oob_except(void)
{
    struct timeval tv;
    SOCKET c, s;
    fd_set e;
    char ch = 0;
    int ret;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    FD_ZERO(&e);
    FD_SET(c, &e);
    set_tv(&tv, 0);
    ret = select(0, NULL, NULL, &e, &tv);
    ok(ret == 0, "exceptfds without OOB data: %d\n", ret);
    ok(send(s, "!", 1, MSG_OOB) == 1, "send MSG_OOB: %d\n", WSAGetLastError());
    FD_ZERO(&e);
    FD_SET(c, &e);
    set_tv(&tv, 5000);
    ret = select(0, NULL, NULL, &e, &tv);
    ok(ret == 1 && FD_ISSET(c, &e), "exceptfds with OOB data: %d, in set %d\n", ret, FD_ISSET(c, &e));
    ret = recv(c, &ch, 1, MSG_OOB);
    ok(ret == 1 && ch == '!', "recv MSG_OOB: %d, byte %d\n", ret, ch);
    closesocket(c);
    closesocket(s);
}

static void test_bad_sets(void)
{
    struct timeval tv;
    ULONGLONG start;
    fd_set r, w;
    SOCKET c, s, gone;
    int ret;

    set_tv(&tv, 1000);
    start = wstest_ticks();
    ret = select(0, NULL, NULL, NULL, &tv);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "select with no sets: %d %d\n", ret,
       WSAGetLastError());
    FD_ZERO(&r);
    FD_ZERO(&w);
    ret = select(0, &r, &w, NULL, &tv);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "select with empty sets: %d %d\n", ret,
       WSAGetLastError());
    ok(wstest_ticks() - start < 900, "select with nothing to wait for waited\n");

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    gone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    closesocket(gone);
    FD_ZERO(&r);
    FD_SET(c, &r);
    FD_SET(gone, &r);
    ret = select(0, &r, NULL, NULL, &tv);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "select with a closed socket in a set: %d %d\n",
       ret, WSAGetLastError());
    FD_ZERO(&w);
    FD_SET(c, &w);
    FD_SET((SOCKET)0xdead0, &w);
    ret = select(0, NULL, &w, NULL, &tv);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "select with a made-up socket in a set: %d %d\n",
       ret, WSAGetLastError());

    /* __WSAFDIsSet is what FD_ISSET calls. */
    FD_ZERO(&r);
    FD_SET(c, &r);
    FD_SET(s, &r);
    ok(__WSAFDIsSet(c, &r) && __WSAFDIsSet(s, &r), "__WSAFDIsSet misses a member\n");
    ok(!__WSAFDIsSet(gone, &r), "__WSAFDIsSet finds a socket that is not in the set\n");
    FD_CLR(c, &r);
    ok(!__WSAFDIsSet(c, &r) && __WSAFDIsSet(s, &r), "__WSAFDIsSet after FD_CLR\n");

    /* Only the ready sockets stay in the set, and the count says so. */
    ok(send(s, "y", 1, 0) == 1, "send: %d\n", WSAGetLastError());
    FD_ZERO(&r);
    FD_SET(s, &r);
    FD_SET(c, &r);
    set_tv(&tv, 5000);
    ret = select(0, &r, NULL, NULL, &tv);
    ok(ret == 1 && r.fd_count == 1 && FD_ISSET(c, &r) && !FD_ISSET(s, &r),
       "select kept %u sockets (returned %d), expected only the one with data\n", r.fd_count, ret);
    closesocket(c);
    closesocket(s);
}

struct closer
{
    SOCKET s;
    int ret;
};

static DWORD WINAPI close_later(void *arg)
{
    struct closer *cl = arg;

    Sleep(300);
    cl->ret = closesocket(cl->s);
    return 0;
}

static void test_close_during_select(void)
{
    struct closer cl;
    struct timeval tv;
    ULONGLONG start, took;
    HANDLE thread;
    SOCKET c, s;
    fd_set r;
    int ret, err;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    cl.s = c;
    cl.ret = -2;
    FD_ZERO(&r);
    FD_SET(c, &r);
    set_tv(&tv, 10000);
    thread = CreateThread(NULL, 0, close_later, &cl, 0, NULL);
    start = wstest_ticks();
    ret = select(0, &r, NULL, NULL, &tv);
    err = WSAGetLastError();
    took = wstest_ticks() - start;
    ok(took < 5000, "select went on for %llu ms after its socket was closed\n", took);
    trace("select on a socket closed meanwhile: returned %d, error %d, %u in the set, after %llu ms\n", ret, err,
          r.fd_count, took);
    WaitForSingleObject(thread, 5000);
    CloseHandle(thread);
    ok(cl.ret == 0, "closesocket: %d\n", cl.ret);
    closesocket(s);
}

/* ------------------------------------------------------------ WSAPoll */

static void test_poll(void)
{
    struct sockaddr_in addr;
    WSAPOLLFD fds[2];
    ULONGLONG start, took;
    SOCKET c, s, l, x, gone;
    char buf[8];
    int ret;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;

    /* Writable, nothing to read: only POLLWRNORM. */
    memset(fds, 0, sizeof(fds));
    fds[0].fd = c;
    fds[0].events = POLLRDNORM | POLLWRNORM;
    fds[0].revents = 0x7fff;
    ret = WSAPoll(fds, 1, 0);
    ok(ret == 1 && fds[0].revents == POLLWRNORM, "WSAPoll on an idle connection: %d, revents %#x\n", ret,
       fds[0].revents);

    /* Timeout 0 and a short timeout with nothing ready. */
    fds[0].events = POLLRDNORM;
    start = wstest_ticks();
    ret = WSAPoll(fds, 1, 0);
    took = wstest_ticks() - start;
    ok(ret == 0 && fds[0].revents == 0 && took < 1000, "WSAPoll timeout 0: %d, revents %#x, %llu ms\n", ret,
       fds[0].revents, took);
    start = wstest_ticks();
    ret = WSAPoll(fds, 1, 200);
    took = wstest_ticks() - start;
    ok(ret == 0 && fds[0].revents == 0, "WSAPoll 200 ms: %d, revents %#x\n", ret, fds[0].revents);
    ok(took >= 150 && took <= 2000, "a 200 ms WSAPoll took %llu ms\n", took);

    /* Data: POLLRDNORM. */
    ok(send(s, "data", 4, 0) == 4, "send: %d\n", WSAGetLastError());
    ret = WSAPoll(fds, 1, 5000);
    ok(ret == 1 && (fds[0].revents & POLLRDNORM), "WSAPoll with data: %d, revents %#x\n", ret, fds[0].revents);
    ok(recv(c, buf, sizeof(buf), 0) == 4, "recv: %d\n", WSAGetLastError());

    /* The peer's close: POLLHUP, and recv returns 0. */
    closesocket(s);
    fds[0].events = POLLRDNORM;
    ret = WSAPoll(fds, 1, 5000);
    ok(ret == 1 && (fds[0].revents & POLLHUP), "WSAPoll after the peer's close: %d, revents %#x\n", ret,
       fds[0].revents);
    ok(recv(c, buf, sizeof(buf), 0) == 0, "recv after the peer's close: %d\n", WSAGetLastError());

    /* A closed socket next to a valid one: POLLNVAL, which the count leaves
     * out (Wine's test_WSAPoll, which runs on Windows, checks that). */
    /* (Made after the listener: a closed handle's value may come back.) */
    l = listener(&addr);
    gone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    closesocket(gone);
    fds[0].fd = l;
    fds[0].events = POLLRDNORM;
    fds[1].fd = gone;
    fds[1].events = POLLRDNORM;
    fds[1].revents = 0;
    ret = WSAPoll(fds, 2, 0);
    ok(ret == 0 && fds[0].revents == 0 && fds[1].revents == POLLNVAL,
       "WSAPoll with a closed socket: %d, revents %#x %#x\n", ret, fds[0].revents, fds[1].revents);

    /* A listener with a connection waiting: POLLRDNORM. */
    x = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!connect(x, (struct sockaddr *)&addr, sizeof(addr)), "connect: %d\n", WSAGetLastError());
    ret = WSAPoll(fds, 1, 5000);
    ok(ret == 1 && fds[0].revents == POLLRDNORM, "WSAPoll on a listener with a pending connection: %d, "
                                                 "revents %#x\n",
       ret, fds[0].revents);

    /* Errors. */
    ret = WSAPoll(fds, 0, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "WSAPoll with nfds 0: %d %d\n", ret,
       WSAGetLastError());
    fds[0].fd = x;
    fds[0].events = POLLPRI;
    ret = WSAPoll(fds, 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "WSAPoll with POLLPRI: %d %d\n", ret,
       WSAGetLastError());

    closesocket(x);
    closesocket(l);
    closesocket(c);
}

START_TEST(selectsrv)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_echo_server();
    test_timeouts();
    test_connect_sets();
    test_listener_readable();
    test_peer_closed();
    test_oob_except();
    test_bad_sets();
    test_close_during_select();
    test_poll();
    WSACleanup();
}
