/*
 * optbehave: what the emulated socket options do, beyond reading them back.
 *
 * Expected behaviour is Windows' own:
 *  - "Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE" (Microsoft): what a second
 *    bind to a port already bound by a first socket gives, by the option each
 *    socket set before bind (none, SO_REUSEADDR, SO_EXCLUSIVEADDRUSE) and by
 *    whether each bound the wildcard (0.0.0.0) or a specific address
 *    (127.0.0.1), both sockets of one user: success, WSAEADDRINUSE or
 *    WSAEACCES.  Every cell of that table is tried for TCP, once with the
 *    first socket on an ephemeral port (bind to port 0) and once with the
 *    port named.
 *  - "SOL_SOCKET socket options": SO_RCVTIMEO and SO_SNDTIMEO are timeouts
 *    in milliseconds for blocking calls; a recv that times out fails with
 *    WSAETIMEDOUT (Windows 2000 and later), and so does a send.  The bounds
 *    here are loose (500 ms set: between 300 and 3000 ms), machines are busy.
 *  - "IPPROTO_IPV6 socket options": IPV6_V6ONLY is on by default on Windows,
 *    so an IPv4 client cannot reach a listener on :: (connection refused);
 *    turned off before bind, the listener takes IPv4 connections too.
 *  - Wine's conformance test test_set_getsockopt (which passes on Windows):
 *    IP_DONTFRAGMENT / IPV6_DONTFRAG (the same number, 14) are 1 by default
 *    on stream sockets and 0 on datagram sockets, and 0xdead reads back as 1;
 *    IP_TTL, IP_TOS, IP_MULTICAST_TTL, IPV6_UNICAST_HOPS and TCP_KEEPCNT
 *    refuse values above 255 with WSAEINVAL; SO_PROTOCOL_INFOA/W: on a value
 *    that is no socket WSAENOTSOCK with *optlen untouched, a NULL optval or
 *    optlen WSAEFAULT, a buffer half the structure's size WSAEFAULT with
 *    *optlen set to the size, a buffer twice the size success with *optlen
 *    left as it was, the A and W results equal up to szProtocol, and
 *    iAddressFamily, iSocketType and iProtocol those of the socket;
 *    SO_BSP_STATE: an unbound socket has no local address (NULL, 0), an
 *    unconnected one no remote address, else the addresses are
 *    sockaddr_in-sized and equal to getsockname/getpeername; *optlen of a
 *    bare CSADDR_INFO, or one byte less than a CSADDR_INFO and two
 *    SOCKADDRs, fails with WSAEFAULT ("SO_BSP_STATE socket option": on
 *    failure the buffer and *optlen are left as they were).
 *  - SO_CONNECT_TIME ("SOL_SOCKET socket options", "AcceptEx"): the seconds
 *    a socket has been connected.  For a socket that is not connected the
 *    getsockopt page says the call fails and the AcceptEx page says the
 *    value is 0xFFFFFFFF: either is accepted here.
 *  - SO_OPENTYPE ("SOL_SOCKET socket options"): a per-thread setting for the
 *    sockets a thread creates later, so it needs no socket: it is read and
 *    written with INVALID_SOCKET (as Wine's test does, passing on Windows),
 *    and one thread's value does not show in another thread.
 *  - "accept function": the accepted socket has the properties of the
 *    listening one, so a listener's SO_LINGER {1, 555} and SO_RCVBUF show on
 *    the socket accept returns.
 */
#include "wstest.h"
#include <mswsock.h>

#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT 16 /* "IPPROTO_TCP socket options" */
#endif
#ifndef SO_BSP_STATE
#define SO_BSP_STATE 0x1009 /* "SOL_SOCKET socket options" */
#endif

static SOCKET make_socket(int af, int type, int protocol)
{
    SOCKET s = socket(af, type, protocol);

    ok(s != INVALID_SOCKET, "socket(%d, %d, %d) failed, error %d\n", af, type, protocol, WSAGetLastError());
    return s;
}

static void set_int(SOCKET s, int level, int name, DWORD value, const char *what)
{
    int ret = setsockopt(s, level, name, (const char *)&value, sizeof(value));
    ok(!ret, "setsockopt(%s, %lu) failed, error %d\n", what, (unsigned long)value, WSAGetLastError());
}

static struct sockaddr_in addr4(const char *ip, u_short port)
{
    struct sockaddr_in sin;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = inet_addr(ip);
    sin.sin_port = htons(port);
    return sin;
}

/* ------------------------------------------------------------ bind table */

enum share
{
    DEF,
    REUSE,
    EXCL
};
enum verdict
{
    OK,
    INUSE,
    ACCESS
};
static const char *const share_names[] = { "default", "SO_REUSEADDR", "SO_EXCLUSIVEADDRUSE" };

/* Microsoft's table for binds of one user: [first][second], each indexed
 * by share * 2 + (specific address). */
/* clang-format off */
static const enum verdict bind_table[6][6] =
{
    /*                    D,W    D,S     R,W     R,S     E,W    E,S */
    /* default, W */    { INUSE, OK,     ACCESS, OK,     INUSE, OK },
    /* default, S */    { OK,    INUSE,  OK,     ACCESS, INUSE, INUSE },
    /* REUSEADDR, W */  { INUSE, OK,     OK,     OK,     INUSE, OK },
    /* REUSEADDR, S */  { OK,    INUSE,  OK,     OK,     INUSE, INUSE },
    /* EXCLUSIVE, W */  { INUSE, ACCESS, ACCESS, ACCESS, INUSE, ACCESS },
    /* EXCLUSIVE, S */  { OK,    INUSE,  OK,     ACCESS, INUSE, INUSE },
};
/* clang-format on */

static SOCKET share_socket(int share)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    DWORD on = 1;

    if (s == INVALID_SOCKET) return s;
    if (share == REUSE && setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&on, sizeof(on)))
        ok(0, "SO_REUSEADDR failed, error %d\n", WSAGetLastError());
    if (share == EXCL && setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on, sizeof(on)))
        ok(0, "SO_EXCLUSIVEADDRUSE failed, error %d\n", WSAGetLastError());
    return s;
}

/* A port nothing of ours holds now: bound once on 127.0.0.1 and let go. */
static u_short free_port(void)
{
    struct sockaddr_in sin = addr4("127.0.0.1", 0);
    int len = sizeof(sin);
    SOCKET s = make_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    if (s == INVALID_SOCKET) return 0;
    if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) || getsockname(s, (struct sockaddr *)&sin, &len))
        ok(0, "bind of a probe socket failed, error %d\n", WSAGetLastError());
    closesocket(s);
    return ntohs(sin.sin_port);
}

static void test_bind_table(void)
{
    static const char *const addrs[] = { "0.0.0.0", "127.0.0.1" };
    static const char *const verdicts[] = { "success", "WSAEADDRINUSE", "WSAEACCES" };
    int first, second, named, ret, error, len;
    struct sockaddr_in sin;
    SOCKET a, b;

    for (named = 0; named < 2; named++)
        for (first = 0; first < 6; first++)
            for (second = 0; second < 6; second++)
            {
                enum verdict want = bind_table[first][second];
                char what[160];

                snprintf(what, sizeof(what), "first %s on %s, second %s on %s (%s)", share_names[first / 2],
                         addrs[first % 2], share_names[second / 2], addrs[second % 2],
                         named ? "port named" : "first on port 0");
                if ((a = share_socket(first / 2)) == INVALID_SOCKET) continue;
                sin = addr4(addrs[first % 2], named ? free_port() : 0);
                len = sizeof(sin);
                ret = bind(a, (struct sockaddr *)&sin, sizeof(sin));
                ok(!ret, "%s: first bind failed, error %d\n", what, WSAGetLastError());
                if (ret || getsockname(a, (struct sockaddr *)&sin, &len))
                {
                    closesocket(a);
                    continue;
                }
                if ((b = share_socket(second / 2)) == INVALID_SOCKET)
                {
                    closesocket(a);
                    continue;
                }
                sin.sin_addr.s_addr = inet_addr(addrs[second % 2]);
                WSASetLastError(0xdead);
                ret = bind(b, (struct sockaddr *)&sin, sizeof(sin));
                error = ret ? WSAGetLastError() : 0;
                if (want == OK)
                    ok(!ret, "%s: second bind: %d, error %d; expected %s\n", what, ret, error, verdicts[want]);
                else
                    ok(ret == SOCKET_ERROR && error == (want == INUSE ? WSAEADDRINUSE : WSAEACCES),
                       "%s: second bind: %d, error %d; expected %s\n", what, ret, error, verdicts[want]);
                closesocket(b);
                closesocket(a);
            }
}

/* ------------------------------------------------------------ timeouts */

static void test_rcvtimeo(void)
{
    SOCKET client, server, u;
    struct sockaddr_in sin = addr4("127.0.0.1", 0);
    ULONGLONG start, elapsed;
    char buf[16];
    int ret, error, len = sizeof(sin);

    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        ok(0, "no TCP pair, error %d\n", WSAGetLastError());
        return;
    }
    set_int(client, SOL_SOCKET, SO_RCVTIMEO, 500, "SO_RCVTIMEO");
    start = wstest_ticks();
    WSASetLastError(0xdead);
    ret = recv(client, buf, sizeof(buf), 0);
    error = WSAGetLastError();
    elapsed = wstest_ticks() - start;
    ok(ret == SOCKET_ERROR && error == WSAETIMEDOUT, "TCP recv with SO_RCVTIMEO 500: %d, error %d\n", ret, error);
    ok(elapsed >= 300 && elapsed <= 3000, "TCP recv timed out after %lu ms, expected about 500\n",
       (unsigned long)elapsed);
    closesocket(client);
    closesocket(server);

    if ((u = make_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)) == INVALID_SOCKET) return;
    ok(!bind(u, (struct sockaddr *)&sin, sizeof(sin)) && !getsockname(u, (struct sockaddr *)&sin, &len),
       "UDP bind failed, error %d\n", WSAGetLastError());
    set_int(u, SOL_SOCKET, SO_RCVTIMEO, 500, "SO_RCVTIMEO");
    start = wstest_ticks();
    WSASetLastError(0xdead);
    len = sizeof(sin);
    ret = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&sin, &len);
    error = WSAGetLastError();
    elapsed = wstest_ticks() - start;
    ok(ret == SOCKET_ERROR && error == WSAETIMEDOUT, "UDP recvfrom with SO_RCVTIMEO 500: %d, error %d\n", ret,
       error);
    ok(elapsed >= 300 && elapsed <= 3000, "UDP recvfrom timed out after %lu ms, expected about 500\n",
       (unsigned long)elapsed);
    closesocket(u);
}

static void test_sndtimeo(void)
{
    static char chunk[65536];
    ULONGLONG start, elapsed = 0, began;
    unsigned long long total = 0;
    SOCKET client, server;
    int ret = 0, error = 0, calls = 0;

    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        ok(0, "no TCP pair, error %d\n", WSAGetLastError());
        return;
    }
    set_int(client, SOL_SOCKET, SO_SNDTIMEO, 500, "SO_SNDTIMEO");
    /* The peer never reads: sooner or later a send finds no room and waits. */
    began = wstest_ticks();
    while (calls < 4096 && wstest_ticks() - began < 40000)
    {
        start = wstest_ticks();
        WSASetLastError(0xdead);
        ret = send(client, chunk, sizeof(chunk), 0);
        error = WSAGetLastError();
        elapsed = wstest_ticks() - start;
        calls++;
        if (ret == SOCKET_ERROR) break;
        total += ret;
    }
    trace("send: %d calls, %llu bytes before the last one\n", calls, total);
    ok(ret == SOCKET_ERROR && error == WSAETIMEDOUT, "send on a full connection with SO_SNDTIMEO 500: %d, "
                                                     "error %d\n",
       ret, error);
    if (ret == SOCKET_ERROR)
        ok(elapsed >= 300 && elapsed <= 3000, "send timed out after %lu ms, expected about 500\n",
           (unsigned long)elapsed);
    closesocket(client);
    closesocket(server);
}

/* ------------------------------------------------------------ IPV6_V6ONLY */

static SOCKET v6_listener(int v6only_off, u_short *port)
{
    struct sockaddr_in6 sin6;
    int len = sizeof(sin6);
    SOCKET s = make_socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);

    if (s == INVALID_SOCKET) return s;
    if (v6only_off) set_int(s, IPPROTO_IPV6, IPV6_V6ONLY, 0, "IPV6_V6ONLY");
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr = in6addr_any;
    if (bind(s, (struct sockaddr *)&sin6, sizeof(sin6)) || getsockname(s, (struct sockaddr *)&sin6, &len) ||
        listen(s, 4))
    {
        ok(0, "listener on [::] failed, error %d\n", WSAGetLastError());
        closesocket(s);
        return INVALID_SOCKET;
    }
    *port = ntohs(sin6.sin6_port);
    return s;
}

static void test_v6only(void)
{
    struct sockaddr_in sin;
    SOCKET l, c, a;
    u_short port;
    DWORD value;
    int ret, error, len;

    /* default: on */
    if ((l = v6_listener(0, &port)) == INVALID_SOCKET) return;
    value = 0;
    len = sizeof(value);
    ret = getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&value, &len);
    ok(!ret && (value & 0xff), "default IPV6_V6ONLY: %d, value %#lx\n", ret, (unsigned long)value);
    if ((c = make_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) != INVALID_SOCKET)
    {
        sin = addr4("127.0.0.1", port);
        WSASetLastError(0xdead);
        ret = connect(c, (struct sockaddr *)&sin, sizeof(sin));
        error = WSAGetLastError();
        ok(ret == SOCKET_ERROR && error == WSAECONNREFUSED,
           "IPv4 connect to an IPv6-only listener on [::]: %d, error %d; expected WSAECONNREFUSED\n", ret, error);
        closesocket(c);
    }
    closesocket(l);

    /* off: IPv4 clients come in too */
    if ((l = v6_listener(1, &port)) == INVALID_SOCKET) return;
    value = 0xdeadbeef;
    len = sizeof(value);
    ret = getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&value, &len);
    ok(!ret && !(value & 0xff), "IPV6_V6ONLY after setting 0: %d, value %#lx\n", ret, (unsigned long)value);
    if ((c = make_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) != INVALID_SOCKET)
    {
        sin = addr4("127.0.0.1", port);
        ret = connect(c, (struct sockaddr *)&sin, sizeof(sin));
        ok(!ret, "IPv4 connect to a dual-stack listener on [::] failed, error %d\n", WSAGetLastError());
        if (!ret)
        {
            ok(wstest_wait_readable(l, 10000), "the dual-stack listener saw no connection\n");
            a = accept(l, NULL, NULL);
            ok(a != INVALID_SOCKET, "accept on the dual-stack listener failed, error %d\n", WSAGetLastError());
            if (a != INVALID_SOCKET) closesocket(a);
        }
        closesocket(c);
    }
    closesocket(l);
}

/* ------------------------------------------------------------ IP values */

static void test_dontfragment(void)
{
    static const struct
    {
        int af, type, level, name;
        DWORD expect;
        const char *what;
    } tests[] = {
        { AF_INET, SOCK_STREAM, IPPROTO_IP, IP_DONTFRAGMENT, 1, "IP_DONTFRAGMENT, TCP" },
        { AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_DONTFRAGMENT, 0, "IP_DONTFRAGMENT, UDP" },
        { AF_INET6, SOCK_STREAM, IPPROTO_IPV6, IPV6_DONTFRAG, 1, "IPV6_DONTFRAG, TCP" },
        { AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_DONTFRAG, 0, "IPV6_DONTFRAG, UDP" },
    };
    unsigned int i;
    DWORD value;
    int ret, len;
    SOCKET s;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        if ((s = make_socket(tests[i].af, tests[i].type, 0)) == INVALID_SOCKET) continue;
        value = 0xdeadbeef;
        len = sizeof(value);
        ret = getsockopt(s, tests[i].level, tests[i].name, (char *)&value, &len);
        ok(!ret && value == tests[i].expect, "%s: default: %d, value %#lx, expected %lu\n", tests[i].what, ret,
           (unsigned long)value, (unsigned long)tests[i].expect);
        set_int(s, tests[i].level, tests[i].name, 0xdead, tests[i].what);
        value = 0xdeadbeef;
        len = sizeof(value);
        ret = getsockopt(s, tests[i].level, tests[i].name, (char *)&value, &len);
        ok(!ret && value == 1, "%s: 0xdead read back: %d, value %#lx\n", tests[i].what, ret, (unsigned long)value);
        closesocket(s);
    }
}

static void test_ranges(void)
{
    static const struct
    {
        int af, type, level, name;
        const char *what;
    } tests[] = {
        { AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_TTL, "IP_TTL" },
        { AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_TOS, "IP_TOS" },
        { AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_MULTICAST_TTL, "IP_MULTICAST_TTL" },
        { AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_UNICAST_HOPS, "IPV6_UNICAST_HOPS" },
        { AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT" },
    };
    static const DWORD values[] = { 256, 1000 };
    unsigned int i, j;
    DWORD value;
    int ret, error;
    SOCKET s;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        if ((s = make_socket(tests[i].af, tests[i].type, 0)) == INVALID_SOCKET) continue;
        for (j = 0; j < ARRAY_SIZE(values); j++)
        {
            value = values[j];
            WSASetLastError(0xdead);
            ret = setsockopt(s, tests[i].level, tests[i].name, (const char *)&value, sizeof(value));
            error = WSAGetLastError();
            ok(ret == SOCKET_ERROR && error == WSAEINVAL, "%s set %lu: %d, error %d; expected WSAEINVAL\n",
               tests[i].what, (unsigned long)values[j], ret, ret ? error : 0);
        }
        closesocket(s);
    }
}

/* ------------------------------------------------------------ SO_PROTOCOL_INFO */

struct getsockopt_args
{
    SOCKET s;
    int name;
    char *optval;
    int *optlen;
    int ret, error;
};

static DWORD WINAPI call_getsockopt(void *arg)
{
    struct getsockopt_args *a = arg;

    WSASetLastError(0xdead);
    a->ret = getsockopt(a->s, SOL_SOCKET, a->name, a->optval, a->optlen);
    a->error = WSAGetLastError();
    return 0;
}

static void test_protocol_info(void)
{
    static const struct
    {
        int af, type, protocol;
        const char *what;
    } kinds[] = {
        { AF_INET, SOCK_STREAM, IPPROTO_TCP, "tcp4" },
        { AF_INET, SOCK_DGRAM, IPPROTO_UDP, "udp4" },
        { AF_INET6, SOCK_STREAM, IPPROTO_TCP, "tcp6" },
        { AF_INET6, SOCK_DGRAM, IPPROTO_UDP, "udp6" },
    };
    static union
    {
        WSAPROTOCOL_INFOA a[2];
        WSAPROTOCOL_INFOW w[2];
        char raw[2 * sizeof(WSAPROTOCOL_INFOW)];
    } ua, uw;
    struct getsockopt_args args;
    unsigned int i, k;
    int len, ret;
    SOCKET s;

    for (i = 0; i < ARRAY_SIZE(kinds); i++)
    {
        const char *what = kinds[i].what;

        if ((s = make_socket(kinds[i].af, kinds[i].type, kinds[i].protocol)) == INVALID_SOCKET) continue;

        /* a buffer twice the size: success, *optlen stays */
        memset(&ua, 0xcc, sizeof(ua));
        len = 2 * sizeof(WSAPROTOCOL_INFOA);
        WSASetLastError(0xdead);
        ret = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, ua.raw, &len);
        ok(!ret, "%s: SO_PROTOCOL_INFOA failed, error %d\n", what, WSAGetLastError());
        ok(len == 2 * (int)sizeof(WSAPROTOCOL_INFOA), "%s: SO_PROTOCOL_INFOA *optlen %d, expected %d (kept)\n",
           what, len, 2 * (int)sizeof(WSAPROTOCOL_INFOA));
        memset(&uw, 0xcc, sizeof(uw));
        len = 2 * sizeof(WSAPROTOCOL_INFOW);
        ret = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, uw.raw, &len);
        ok(!ret, "%s: SO_PROTOCOL_INFOW failed, error %d\n", what, WSAGetLastError());
        ok(len == 2 * (int)sizeof(WSAPROTOCOL_INFOW), "%s: SO_PROTOCOL_INFOW *optlen %d, expected %d (kept)\n",
           what, len, 2 * (int)sizeof(WSAPROTOCOL_INFOW));

        ok(ua.a[0].iAddressFamily == kinds[i].af && ua.a[0].iSocketType == kinds[i].type &&
               ua.a[0].iProtocol == kinds[i].protocol,
           "%s: SO_PROTOCOL_INFOA says af %d type %d protocol %d\n",
           what, ua.a[0].iAddressFamily, ua.a[0].iSocketType, ua.a[0].iProtocol);
        ok(uw.w[0].iAddressFamily == kinds[i].af && uw.w[0].iSocketType == kinds[i].type &&
               uw.w[0].iProtocol == kinds[i].protocol,
           "%s: SO_PROTOCOL_INFOW says af %d type %d protocol %d\n",
           what, uw.w[0].iAddressFamily, uw.w[0].iSocketType, uw.w[0].iProtocol);
        ok(!memcmp(&ua.a[0], &uw.w[0], offsetof(WSAPROTOCOL_INFOA, szProtocol)),
           "%s: SO_PROTOCOL_INFOA and W differ before szProtocol\n", what);

        /* half the size: WSAEFAULT, and the size comes back */
        for (k = 0; k < 2; k++)
        {
            int name = k ? SO_PROTOCOL_INFOW : SO_PROTOCOL_INFOA;
            int size = k ? (int)sizeof(WSAPROTOCOL_INFOW) : (int)sizeof(WSAPROTOCOL_INFOA);
            const char *opt = k ? "SO_PROTOCOL_INFOW" : "SO_PROTOCOL_INFOA";

            len = size / 2;
            WSASetLastError(0xdead);
            ret = getsockopt(s, SOL_SOCKET, name, ua.raw, &len);
            ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "%s: %s with half a buffer: %d, error %d\n",
               what, opt, ret, WSAGetLastError());
            ok(len == size, "%s: %s with half a buffer: *optlen %d, expected %d\n", what, opt, len, size);

            /* NULL optval, NULL optlen, both */
            len = size;
            args.s = s;
            args.name = name;
            args.optval = NULL;
            args.optlen = &len;
            if (wstest_guarded("getsockopt with a NULL optval", call_getsockopt, &args))
                ok(args.ret == SOCKET_ERROR && args.error == WSAEFAULT, "%s: %s, NULL optval: %d, error %d\n",
                   what, opt, args.ret, args.error);
            args.optval = ua.raw;
            args.optlen = NULL;
            if (wstest_guarded("getsockopt with a NULL optlen", call_getsockopt, &args))
                ok(args.ret == SOCKET_ERROR && args.error == WSAEFAULT, "%s: %s, NULL optlen: %d, error %d\n",
                   what, opt, args.ret, args.error);
            args.optval = NULL;
            args.optlen = NULL;
            if (wstest_guarded("getsockopt with NULL optval and optlen", call_getsockopt, &args))
                ok(args.ret == SOCKET_ERROR && args.error == WSAEFAULT, "%s: %s, both NULL: %d, error %d\n",
                   what, opt, args.ret, args.error);
        }
        closesocket(s);
    }

    /* not a socket: WSAENOTSOCK, *optlen untouched */
    len = sizeof(WSAPROTOCOL_INFOA);
    WSASetLastError(0xdead);
    ret = getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_PROTOCOL_INFOA, ua.raw, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "INVALID_SOCKET: %d, error %d\n", ret,
       WSAGetLastError());
    ok(len == sizeof(WSAPROTOCOL_INFOA), "INVALID_SOCKET: *optlen became %d\n", len);
}

/* ------------------------------------------------------------ SO_BSP_STATE */

#define BSP_SIZE ((int)(sizeof(CSADDR_INFO) + 2 * sizeof(SOCKADDR)))

static void check_bsp(SOCKET s, const char *what, int bound, int connected)
{
    union
    {
        CSADDR_INFO info;
        char raw[512];
    } u;
    struct sockaddr_in local, remote;
    int len, ret, llen = sizeof(local), rlen = sizeof(remote);

    memset(&u, 0xcc, sizeof(u));
    len = BSP_SIZE;
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_BSP_STATE, u.raw, &len);
    ok(!ret, "%s: SO_BSP_STATE failed, error %d\n", what, WSAGetLastError());
    if (ret) return;
    if (!bound)
        ok(!u.info.LocalAddr.lpSockaddr && !u.info.LocalAddr.iSockaddrLength, "%s: local address %p, %d\n", what,
           u.info.LocalAddr.lpSockaddr, u.info.LocalAddr.iSockaddrLength);
    else
    {
        getsockname(s, (struct sockaddr *)&local, &llen);
        ok(u.info.LocalAddr.iSockaddrLength == sizeof(struct sockaddr_in) && u.info.LocalAddr.lpSockaddr &&
               !memcmp(u.info.LocalAddr.lpSockaddr, &local, sizeof(local)),
           "%s: local address %p, length %d, not getsockname's\n", what, u.info.LocalAddr.lpSockaddr,
           u.info.LocalAddr.iSockaddrLength);
    }
    if (!connected)
        ok(!u.info.RemoteAddr.lpSockaddr && !u.info.RemoteAddr.iSockaddrLength, "%s: remote address %p, %d\n",
           what, u.info.RemoteAddr.lpSockaddr, u.info.RemoteAddr.iSockaddrLength);
    else
    {
        getpeername(s, (struct sockaddr *)&remote, &rlen);
        ok(u.info.RemoteAddr.iSockaddrLength == sizeof(struct sockaddr_in) && u.info.RemoteAddr.lpSockaddr &&
               !memcmp(u.info.RemoteAddr.lpSockaddr, &remote, sizeof(remote)),
           "%s: remote address %p, length %d, not getpeername's\n", what, u.info.RemoteAddr.lpSockaddr,
           u.info.RemoteAddr.iSockaddrLength);
    }
}

static void check_bsp_short(SOCKET s, const char *what, int optlen)
{
    char buf[512], want[512];
    int len = optlen, ret;

    memset(buf, 0xcc, sizeof(buf));
    memset(want, 0xcc, sizeof(want));
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_BSP_STATE, buf, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "%s: SO_BSP_STATE with *optlen %d: %d, error %d\n",
       what, optlen, ret, WSAGetLastError());
    ok(len == optlen, "%s: SO_BSP_STATE with *optlen %d: *optlen became %d\n", what, optlen, len);
    ok(!memcmp(buf, want, sizeof(buf)), "%s: SO_BSP_STATE with *optlen %d wrote the buffer\n", what, optlen);
}

static void test_bsp_state(void)
{
    struct sockaddr_in sin = addr4("127.0.0.1", 0);
    SOCKET s, client, server;

    if ((s = make_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET) return;
    check_bsp(s, "unbound TCP", 0, 0);
    ok(!bind(s, (struct sockaddr *)&sin, sizeof(sin)), "bind failed, error %d\n", WSAGetLastError());
    check_bsp(s, "bound TCP", 1, 0);
    closesocket(s);

    if ((s = make_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)) == INVALID_SOCKET) return;
    check_bsp(s, "unbound UDP", 0, 0);
    ok(!bind(s, (struct sockaddr *)&sin, sizeof(sin)), "bind failed, error %d\n", WSAGetLastError());
    check_bsp(s, "bound UDP", 1, 0);
    closesocket(s);

    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        ok(0, "no TCP pair, error %d\n", WSAGetLastError());
        return;
    }
    check_bsp(client, "connected TCP", 1, 1);
    check_bsp(server, "accepted TCP", 1, 1);
    /* no room for the two addresses: WSAEFAULT, nothing changed */
    check_bsp_short(client, "connected TCP", sizeof(CSADDR_INFO));
    check_bsp_short(client, "connected TCP", BSP_SIZE - 1);
    closesocket(client);
    closesocket(server);
}

/* ------------------------------------------------------------ SO_CONNECT_TIME */

static int connect_time(SOCKET s, DWORD *value)
{
    int len = sizeof(*value);

    *value = 0xdeadbeef;
    return getsockopt(s, SOL_SOCKET, SO_CONNECT_TIME, (char *)value, &len);
}

static void test_connect_time(void)
{
    SOCKET s, client, server;
    DWORD value;
    int ret;

    if ((s = make_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) != INVALID_SOCKET)
    {
        ret = connect_time(s, &value);
        ok(ret == SOCKET_ERROR || value == 0xffffffff,
           "SO_CONNECT_TIME of an unconnected socket: %d, value %#lx; expected failure or 0xffffffff\n", ret,
           (unsigned long)value);
        closesocket(s);
    }

    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        ok(0, "no TCP pair, error %d\n", WSAGetLastError());
        return;
    }
    ret = connect_time(client, &value);
    ok(!ret && value <= 5, "SO_CONNECT_TIME just after connect: %d, value %#lx\n", ret, (unsigned long)value);
    ret = connect_time(server, &value);
    ok(!ret && value <= 5, "SO_CONNECT_TIME just after accept: %d, value %#lx\n", ret, (unsigned long)value);
    Sleep(2100);
    ret = connect_time(client, &value);
    ok(!ret && value >= 1 && value <= 10, "SO_CONNECT_TIME 2.1 s after connect: %d, value %lu\n", ret,
       (unsigned long)value);
    closesocket(client);
    closesocket(server);
}

/* ------------------------------------------------------------ SO_OPENTYPE */

static int get_opentype(SOCKET s, DWORD *value)
{
    int len = sizeof(*value);

    *value = 0xdeadbeef;
    return getsockopt(s, SOL_SOCKET, SO_OPENTYPE, (char *)value, &len);
}

struct opentype_args
{
    DWORD seen, after;
    int ret1, ret2, ret3;
};

static DWORD WINAPI opentype_thread(void *param)
{
    struct opentype_args *a = param;
    DWORD value = SO_SYNCHRONOUS_ALERT;

    a->ret1 = get_opentype(INVALID_SOCKET, &a->seen);
    a->ret2 = setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (const char *)&value, sizeof(value));
    a->ret3 = get_opentype(INVALID_SOCKET, &a->after);
    return 0;
}

static void test_opentype(void)
{
    struct opentype_args args;
    DWORD initial, value;
    HANDLE thread;
    SOCKET s;
    int ret, len;

    ret = get_opentype(INVALID_SOCKET, &initial);
    ok(!ret, "getsockopt(INVALID_SOCKET, SO_OPENTYPE) failed, error %d\n", WSAGetLastError());
    len = 4;
    value = 0xdeadbeef;
    ret = getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len);
    ok(!ret && len == 4 && value == initial, "SO_OPENTYPE: %d, optlen %d, value %#lx\n", ret, len,
       (unsigned long)value);

    value = SO_SYNCHRONOUS_NONALERT;
    WSASetLastError(0xdead);
    ret = setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (const char *)&value, sizeof(value));
    ok(!ret, "setsockopt(INVALID_SOCKET, SO_OPENTYPE) failed, error %d\n", WSAGetLastError());
    ret = get_opentype(INVALID_SOCKET, &value);
    ok(!ret && value == SO_SYNCHRONOUS_NONALERT, "SO_OPENTYPE after setting it: %d, value %#lx\n", ret,
       (unsigned long)value);

    /* the same through a real socket: it is the thread's value */
    if ((s = make_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) != INVALID_SOCKET)
    {
        ret = get_opentype(s, &value);
        ok(!ret && value == SO_SYNCHRONOUS_NONALERT, "SO_OPENTYPE through a socket: %d, value %#lx\n", ret,
           (unsigned long)value);
        closesocket(s);
    }

    /* another thread has its own */
    memset(&args, 0, sizeof(args));
    thread = CreateThread(NULL, 0, opentype_thread, &args, 0, NULL);
    ok(thread != NULL, "CreateThread failed\n");
    if (thread)
    {
        ok(WaitForSingleObject(thread, 30000) == WAIT_OBJECT_0, "the thread did not end\n");
        CloseHandle(thread);
        ok(!args.ret1 && args.seen == initial, "SO_OPENTYPE in a new thread: %d, value %#lx, expected %#lx\n",
           args.ret1, (unsigned long)args.seen, (unsigned long)initial);
        ok(!args.ret2 && !args.ret3 && args.after == SO_SYNCHRONOUS_ALERT,
           "SO_OPENTYPE set in the thread: %d %d, value %#lx\n", args.ret2, args.ret3, (unsigned long)args.after);
    }
    ret = get_opentype(INVALID_SOCKET, &value);
    ok(!ret && value == SO_SYNCHRONOUS_NONALERT, "SO_OPENTYPE here after the thread set its own: %d, value %#lx\n",
       ret, (unsigned long)value);

    ret = setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (const char *)&initial, sizeof(initial));
    ok(!ret, "putting SO_OPENTYPE back failed, error %d\n", WSAGetLastError());
}

/* ------------------------------------------------------------ accept */

static void test_accept_inherits(void)
{
    struct sockaddr_storage addr;
    struct linger lin = { 1, 555 }, got;
    DWORD rcvbuf = 12288, value;
    SOCKET l, c, a;
    int addrlen, len, ret;

    /* the options are set on the listener before listen */
    memset(&addr, 0, sizeof(addr));
    ((struct sockaddr_in *)&addr)->sin_family = AF_INET;
    ((struct sockaddr_in *)&addr)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addrlen = sizeof(struct sockaddr_in);
    if ((l = make_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET) return;
    ret = setsockopt(l, SOL_SOCKET, SO_LINGER, (const char *)&lin, sizeof(lin));
    ok(!ret, "SO_LINGER on the listener failed, error %d\n", WSAGetLastError());
    set_int(l, SOL_SOCKET, SO_RCVBUF, rcvbuf, "SO_RCVBUF");
    if (bind(l, (struct sockaddr *)&addr, addrlen) || getsockname(l, (struct sockaddr *)&addr, &addrlen) ||
        listen(l, 4))
    {
        ok(0, "listener failed, error %d\n", WSAGetLastError());
        closesocket(l);
        return;
    }
    if ((c = make_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET)
    {
        closesocket(l);
        return;
    }
    ret = connect(c, (struct sockaddr *)&addr, addrlen);
    ok(!ret, "connect failed, error %d\n", WSAGetLastError());
    a = INVALID_SOCKET;
    if (!ret && wstest_wait_readable(l, 10000)) a = accept(l, NULL, NULL);
    ok(a != INVALID_SOCKET, "accept failed, error %d\n", WSAGetLastError());
    if (a != INVALID_SOCKET)
    {
        memset(&got, 0xcc, sizeof(got));
        len = sizeof(got);
        ret = getsockopt(a, SOL_SOCKET, SO_LINGER, (char *)&got, &len);
        ok(!ret && got.l_onoff == 1 && got.l_linger == 555, "SO_LINGER of the accepted socket: %d, {%u, %u}\n",
           ret, got.l_onoff, got.l_linger);
        value = 0;
        len = sizeof(value);
        ret = getsockopt(a, SOL_SOCKET, SO_RCVBUF, (char *)&value, &len);
        ok(!ret && value == rcvbuf, "SO_RCVBUF of the accepted socket: %d, %lu, expected %lu\n", ret,
           (unsigned long)value, (unsigned long)rcvbuf);
        /* nothing to linger for: close at once */
        lin.l_onoff = 0;
        setsockopt(a, SOL_SOCKET, SO_LINGER, (const char *)&lin, sizeof(lin));
        closesocket(a);
    }
    closesocket(c);
    lin.l_onoff = 0;
    setsockopt(l, SOL_SOCKET, SO_LINGER, (const char *)&lin, sizeof(lin));
    closesocket(l);
}

/* IP_OPTIONS ("IPPROTO_IP socket options": char[], get and set; setting
 * replaces all options, an empty value removes them). */
static void test_ip_options(void)
{
    static const unsigned char nops[4] = { 1, 1, 1, 0 }; /* NOP, NOP, NOP, end of list */
    unsigned char buf[40];
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    int len, ret;

    ret = setsockopt(s, IPPROTO_IP, IP_OPTIONS, (const char *)nops, sizeof(nops));
    ok(!ret, "IP_OPTIONS set: %d %d\n", ret, WSAGetLastError());
    len = sizeof(buf);
    memset(buf, 0xcc, sizeof(buf));
    ret = getsockopt(s, IPPROTO_IP, IP_OPTIONS, (char *)buf, &len);
    ok(!ret && len == sizeof(nops) && !memcmp(buf, nops, sizeof(nops)), "IP_OPTIONS get: %d len %d\n", ret, len);
    ret = setsockopt(s, IPPROTO_IP, IP_OPTIONS, (const char *)nops, 0);
    ok(!ret, "IP_OPTIONS removed: %d %d\n", ret, WSAGetLastError());
    len = sizeof(buf);
    ret = getsockopt(s, IPPROTO_IP, IP_OPTIONS, (char *)buf, &len);
    ok(!ret && len == 0, "IP_OPTIONS after removal: %d len %d\n", ret, len);
    closesocket(s);
}

START_TEST(optbehave)
{
    WSADATA data;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_bind_table();
    test_rcvtimeo();
    test_sndtimeo();
    test_v6only();
    test_dontfragment();
    test_ranges();
    test_protocol_info();
    test_bsp_state();
    test_connect_time();
    test_opentype();
    test_accept_inherits();
    test_ip_options();

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}
