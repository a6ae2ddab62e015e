/*
 * Sharing a port between two sockets: SO_REUSEADDR, SO_EXCLUSIVEADDRUSE and
 * bind(), the parts that the table of Microsoft's page "Using SO_REUSEADDR
 * and SO_EXCLUSIVEADDRUSE" leaves out.
 *
 * Expected values are Windows' own (Wine's test_reuseaddr, which passes on
 * Windows, records the same outcomes):
 *  - the two options exclude each other: setting one while the other is on
 *    fails with WSAEINVAL, whichever was set first;
 *  - two TCP sockets with SO_REUSEADDR may bind and listen on the same
 *    address; the connections go to the one that listened first;
 *  - an IPv4-mapped IPv6 address (::ffff:127.0.0.1) conflicts with the IPv4
 *    address it maps, like that address would;
 *  - a dual-stack IPv6 socket on :: and an IPv4 socket on 0.0.0.0 may both
 *    bind the port when neither is exclusive; when the :: one is exclusive,
 *    the IPv4 bind fails with WSAEACCES; an exclusive 0.0.0.0 after a plain
 *    :: binds.
 * And, while binding: an IPv6 scope id that names no interface makes bind
 * fail with WSAEADDRNOTAVAIL, whatever the address (Wine's test_bind).
 */
#include "wstest.h"

static SOCKET tcp(int af, int exclusive)
{
    SOCKET s = socket(af, SOCK_STREAM, IPPROTO_TCP);
    DWORD on = 1, off = 0;

    ok(s != INVALID_SOCKET, "socket(%d): %d\n", af, WSAGetLastError());
    if (exclusive) setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on, sizeof(on));
    if (af == AF_INET6) setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&off, sizeof(off));
    return s;
}

static int set_bool(SOCKET s, int name, DWORD value)
{
    return setsockopt(s, SOL_SOCKET, name, (const char *)&value, sizeof(value));
}

static void test_options_exclude_each_other(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int ret;

    ret = set_bool(s, SO_REUSEADDR, 1);
    ok(!ret, "SO_REUSEADDR: %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ret = set_bool(s, SO_EXCLUSIVEADDRUSE, 1);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "exclusive after reuse: %d, %d\n", ret,
       WSAGetLastError());
    ret = set_bool(s, SO_REUSEADDR, 0);
    ok(!ret, "SO_REUSEADDR off: %d\n", WSAGetLastError());
    ret = set_bool(s, SO_EXCLUSIVEADDRUSE, 1);
    ok(!ret, "exclusive once reuse is off: %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ret = set_bool(s, SO_REUSEADDR, 1);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "reuse after exclusive: %d, %d\n", ret,
       WSAGetLastError());
    /* Turning it off is no conflict. */
    ret = set_bool(s, SO_REUSEADDR, 0);
    ok(!ret, "SO_REUSEADDR off while exclusive: %d\n", WSAGetLastError());
    closesocket(s);
}

static void test_first_listener_gets_connections(void)
{
    struct sockaddr_in sin = { 0 };
    SOCKET first, second, client[8], peer;
    struct timeval zero = { 0, 0 };
    unsigned int i, to_first = 0;
    fd_set set;
    int ret;

    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin.sin_port = wstest_closed_port(SOCK_STREAM);
    first = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    second = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    set_bool(first, SO_REUSEADDR, 1);
    set_bool(second, SO_REUSEADDR, 1);
    ret = bind(first, (struct sockaddr *)&sin, sizeof(sin));
    ok(!ret, "first bind: %d\n", WSAGetLastError());
    ret = bind(second, (struct sockaddr *)&sin, sizeof(sin));
    ok(!ret, "second bind of the same address: %d\n", WSAGetLastError());
    ret = listen(first, 16);
    ok(!ret, "first listen: %d\n", WSAGetLastError());
    ret = listen(second, 16);
    ok(!ret, "second listen: %d\n", WSAGetLastError());

    /* Clients from several ports: a choice by hash would split them. */
    for (i = 0; i < ARRAY_SIZE(client); i++)
    {
        client[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        ret = connect(client[i], (struct sockaddr *)&sin, sizeof(sin));
        ok(!ret, "connect %u: %d\n", i, WSAGetLastError());
    }
    for (i = 0; i < ARRAY_SIZE(client); i++)
    {
        if (!wstest_wait_readable(first, 5000)) break;
        peer = accept(first, NULL, NULL);
        if (peer == INVALID_SOCKET) break;
        to_first++;
        closesocket(peer);
    }
    ok(to_first == ARRAY_SIZE(client), "%u of %u connections reached the first listener\n", to_first,
       (unsigned int)ARRAY_SIZE(client));
    FD_ZERO(&set);
    FD_SET(second, &set);
    ret = select(0, &set, NULL, NULL, &zero);
    ok(ret == 0, "the second listener has a connection: %d\n", ret);

    for (i = 0; i < ARRAY_SIZE(client); i++) closesocket(client[i]);
    closesocket(first);
    closesocket(second);
}

struct cross_case
{
    int af[2];
    const char *addr[2];
    int exclusive[2];
    int error; /* of the second bind */
};

/* clang-format off */
static const struct cross_case cross_cases[] =
{
    { { AF_INET6, AF_INET }, { "::ffff:127.0.0.1", "0.0.0.0" }, { 0, 1 }, WSAEADDRINUSE },
    { { AF_INET6, AF_INET }, { "::ffff:127.0.0.1", "127.0.0.1" }, { 0, 0 }, WSAEADDRINUSE },
    { { AF_INET, AF_INET6 }, { "127.0.0.1", "::ffff:127.0.0.1" }, { 0, 0 }, WSAEADDRINUSE },
    { { AF_INET6, AF_INET }, { "::ffff:0.0.0.0", "0.0.0.0" }, { 0, 0 }, WSAEADDRINUSE },
    { { AF_INET6, AF_INET }, { "::", "0.0.0.0" }, { 0, 0 }, 0 },
    { { AF_INET6, AF_INET }, { "::", "0.0.0.0" }, { 0, 1 }, 0 },
    { { AF_INET6, AF_INET }, { "::", "0.0.0.0" }, { 1, 0 }, WSAEACCES },
    { { AF_INET6, AF_INET }, { "::", "127.0.0.1" }, { 1, 0 }, WSAEACCES },
    { { AF_INET, AF_INET6 }, { "127.0.0.1", "::" }, { 0, 1 }, WSAEADDRINUSE },
    { { AF_INET6, AF_INET }, { "::1", "0.0.0.0" }, { 0, 1 }, 0 },
};
/* clang-format on */

static int make_address(int af, const char *text, u_short port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (af == AF_INET)
    {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = port;
        inet_pton(AF_INET, text, &sin->sin_addr);
        return sizeof(*sin);
    }
    else
    {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = port;
        inet_pton(AF_INET6, text, &sin6->sin6_addr);
        return sizeof(*sin6);
    }
}

static void test_across_families(void)
{
    unsigned int i, j;

    for (i = 0; i < ARRAY_SIZE(cross_cases); i++)
    {
        const struct cross_case *c = &cross_cases[i];
        u_short port = wstest_closed_port(SOCK_STREAM);
        struct sockaddr_storage ss;
        SOCKET s[2];
        int len, ret;

        for (j = 0; j < 2; j++) s[j] = tcp(c->af[j], c->exclusive[j]);
        len = make_address(c->af[0], c->addr[0], port, &ss);
        ret = bind(s[0], (struct sockaddr *)&ss, len);
        ok(!ret, "case %u: bind %s: %d\n", i, c->addr[0], WSAGetLastError());
        len = make_address(c->af[1], c->addr[1], port, &ss);
        WSASetLastError(0xdead);
        ret = bind(s[1], (struct sockaddr *)&ss, len);
        if (c->error)
            ok(ret == SOCKET_ERROR && WSAGetLastError() == c->error, "case %u: %s%s then %s%s: %d, %d, expected %d\n",
               i, c->addr[0], c->exclusive[0] ? " (exclusive)" : "", c->addr[1], c->exclusive[1] ? " (exclusive)" : "",
               ret, WSAGetLastError(), c->error);
        else
            ok(!ret, "case %u: %s%s then %s%s: %d\n", i, c->addr[0], c->exclusive[0] ? " (exclusive)" : "", c->addr[1],
               c->exclusive[1] ? " (exclusive)" : "", WSAGetLastError());
        closesocket(s[0]);
        closesocket(s[1]);
    }
}

static int have_ipv6(void)
{
    struct sockaddr_in6 sin6 = { 0 };
    SOCKET s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    int ret;

    if (s == INVALID_SOCKET) return 0;
    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr = in6addr_loopback;
    ret = bind(s, (struct sockaddr *)&sin6, sizeof(sin6));
    closesocket(s);
    return !ret;
}

static void test_unknown_scope_id(void)
{
    struct sockaddr_in6 sin6 = { 0 };
    SOCKET s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    int ret;

    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr = in6addr_loopback;
    sin6.sin6_scope_id = 0xabacab;
    WSASetLastError(0xdead);
    ret = bind(s, (struct sockaddr *)&sin6, sizeof(sin6));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEADDRNOTAVAIL, "scope id %#lx: %d, error %d\n",
       (unsigned long)sin6.sin6_scope_id, ret, WSAGetLastError());
    sin6.sin6_scope_id = 0;
    ret = bind(s, (struct sockaddr *)&sin6, sizeof(sin6));
    ok(!ret, "then without a scope id: %d\n", WSAGetLastError());
    closesocket(s);
}

START_TEST(addrshare)
{
    WSADATA data;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_options_exclude_each_other();
    test_first_listener_gets_connections();
    if (have_ipv6())
    {
        test_across_families();
        test_unknown_scope_id();
    }
    else skip("no IPv6 loopback\n");

    WSACleanup();
}
