/*
 * Name resolution: getaddrinfo / GetAddrInfoW / freeaddrinfo / FreeAddrInfoW
 * and getnameinfo / GetNameInfoW.
 *
 * Expected values are Windows' own:
 *  - "getaddrinfo function" and "GetAddrInfoW function" (Microsoft docs):
 *    the return value is the Winsock error code itself; WSANOTINITIALISED
 *    before a successful WSAStartup; WSAHOST_NOT_FOUND (EAI_NONAME) when the
 *    name does not resolve or neither node nor service is given;
 *    WSAESOCKTNOSUPPORT (EAI_SOCKTYPE) for an unsupported ai_socktype;
 *    WSAEAFNOSUPPORT (EAI_FAMILY) for an unsupported ai_family; with
 *    AI_NUMERICHOST the node must be a numeric address string, else
 *    EAI_NONAME; "http" is the service name of port 80; "localhost" gives all
 *    loopback addresses; with AI_PASSIVE and no node the address is
 *    INADDR_ANY / IN6ADDR_ANY_INIT, without AI_PASSIVE the loopback address;
 *    ai_addr points to a socket address whose length is ai_addrlen.
 *  - Wine's conformance tests test_getaddrinfo / test_GetAddrInfoW (they pass
 *    on Windows): WSAGetLastError() equals the returned error, and is 0
 *    after a success; *res is NULL after a failure; each answer echoes the
 *    hints' ai_socktype and ai_protocol (0 stays 0); ai_socktype 999 gives
 *    WSAESOCKTNOSUPPORT; a service name nobody knows, with no node, gives
 *    WSATYPE_NOT_FOUND; a numeric IPv4 answer has ai_addrlen
 *    sizeof(struct sockaddr_in).
 *  - "freeaddrinfo function" / "FreeAddrInfoW function": the list is freed
 *    up to the NULL ai_next; a NULL list is the empty list, freed by doing
 *    nothing (not stated in so many words: checked only not to crash).
 *  - "getnameinfo function" and "GetNameInfoW function": NI_NUMERICHOST
 *    gives the numeric form of the address, NI_NUMERICSERV the port number;
 *    without NI_NUMERICSERV the service name of the port, or (Vista and
 *    later) the port number as a string when no service is known for it;
 *    WSAEFAULT when sa is NULL or salen is smaller than the sockaddr_in /
 *    sockaddr_in6 of the family; WSAEAFNOSUPPORT (EAI_FAMILY) for an
 *    unsupported sa_family; WSAHOST_NOT_FOUND (EAI_NONAME) when both host
 *    and serv are NULL.  The caller "must provide a buffer large enough":
 *    the pages do not name the error of a too small one, so only a failure
 *    (and no write past the buffer) is checked there.
 *
 * No test here needs a network: names come from the hosts file and the
 * loopback; the one name that must not resolve is under ".invalid"
 * (RFC 6761), and a resolver that cannot be reached at all (WSATRY_AGAIN)
 * only skips that check.
 */
#include "wstest.h"

#define NONEXISTENT   "no-such-host.ws2server-test.invalid"
#define NONEXISTENT_W L"no-such-host.ws2server-test.invalid"

/* A port no services file names (checked on Debian's and Windows' lists). */
#define UNNAMED_PORT 47123

static const char *family_name(int af)
{
    switch (af)
    {
    case AF_INET: return "AF_INET";
    case AF_INET6: return "AF_INET6";
    case AF_UNSPEC: return "AF_UNSPEC";
    default: return "?";
    }
}

/* Checks common to every answer: family, length, port, type and protocol. */
static void check_entry(const char *what, const struct addrinfo *ai, int family, unsigned short port,
                        int socktype, int protocol)
{
    if (family != AF_UNSPEC)
        ok(ai->ai_family == family, "%s: ai_family %d, expected %s\n", what, ai->ai_family, family_name(family));
    else
        ok(ai->ai_family == AF_INET || ai->ai_family == AF_INET6, "%s: ai_family %d\n", what, ai->ai_family);
    ok(ai->ai_addr != NULL, "%s: ai_addr is NULL\n", what);
    if (!ai->ai_addr) return;
    ok(ai->ai_addr->sa_family == ai->ai_family, "%s: sa_family %d, ai_family %d\n", what,
       ai->ai_addr->sa_family, ai->ai_family);
    if (ai->ai_family == AF_INET)
    {
        ok(ai->ai_addrlen == sizeof(struct sockaddr_in), "%s: IPv4 ai_addrlen %u, expected %u\n", what,
           (unsigned)ai->ai_addrlen, (unsigned)sizeof(struct sockaddr_in));
        ok(ntohs(((struct sockaddr_in *)ai->ai_addr)->sin_port) == port, "%s: port %u, expected %u\n", what,
           ntohs(((struct sockaddr_in *)ai->ai_addr)->sin_port), port);
    }
    else if (ai->ai_family == AF_INET6)
    {
        ok(ai->ai_addrlen == sizeof(struct sockaddr_in6), "%s: IPv6 ai_addrlen %u, expected %u\n", what,
           (unsigned)ai->ai_addrlen, (unsigned)sizeof(struct sockaddr_in6));
        ok(ntohs(((struct sockaddr_in6 *)ai->ai_addr)->sin6_port) == port, "%s: port %u, expected %u\n", what,
           ntohs(((struct sockaddr_in6 *)ai->ai_addr)->sin6_port), port);
    }
    ok(ai->ai_socktype == socktype, "%s: ai_socktype %d, expected %d\n", what, ai->ai_socktype, socktype);
    ok(ai->ai_protocol == protocol, "%s: ai_protocol %d, expected %d\n", what, ai->ai_protocol, protocol);
}

static int is_ipv4(const struct addrinfo *ai, ULONG host_order_addr)
{
    return ai->ai_family == AF_INET && ai->ai_addr &&
           ((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr == htonl(host_order_addr);
}

/* A call that must fail with `expected`: the return value, the thread's
 * error and *res are all checked. */
static void check_failure(const char *what, const char *node, const char *service, const struct addrinfo *hints,
                          int expected)
{
    struct addrinfo *res = (struct addrinfo *)0xdeadbeef;
    int ret;

    WSASetLastError(0xdead);
    ret = getaddrinfo(node, service, hints, &res);
    ok(ret == expected, "%s: getaddrinfo returned %d, expected %d\n", what, ret, expected);
    ok(WSAGetLastError() == ret, "%s: WSAGetLastError %d, return value %d\n", what, WSAGetLastError(), ret);
    ok(res == NULL, "%s: *res is %p after a failure\n", what, (void *)res);
    if (!ret && res && res != (struct addrinfo *)0xdeadbeef) freeaddrinfo(res);
}

static void test_before_startup(void)
{
    struct addrinfo *res = NULL;
    ADDRINFOW *resw = NULL;
    struct sockaddr_in sin;
    char host[64], serv[32];
    int ret;

    WSASetLastError(0xdead);
    ret = getaddrinfo("127.0.0.1", "80", NULL, &res);
    ok(ret == WSANOTINITIALISED, "getaddrinfo before WSAStartup returned %d\n", ret);
    ok(WSAGetLastError() == WSANOTINITIALISED, "getaddrinfo before WSAStartup: error %d\n", WSAGetLastError());
    if (!ret) freeaddrinfo(res);

    WSASetLastError(0xdead);
    ret = GetAddrInfoW(L"127.0.0.1", L"80", NULL, &resw);
    ok(ret == WSANOTINITIALISED, "GetAddrInfoW before WSAStartup returned %d\n", ret);
    ok(WSAGetLastError() == WSANOTINITIALISED, "GetAddrInfoW before WSAStartup: error %d\n", WSAGetLastError());
    if (!ret) FreeAddrInfoW(resw);

    /* The getnameinfo pages do not list WSANOTINITIALISED: only reported. */
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(80);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    WSASetLastError(0xdead);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    trace("getnameinfo before WSAStartup returned %d, error %d\n", ret, WSAGetLastError());
}

static void test_localhost(void)
{
    static const struct
    {
        int family, socktype, protocol;
    } hints_list[] = {
        { AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP },
        { AF_INET, SOCK_STREAM, IPPROTO_TCP },
        { AF_INET, SOCK_DGRAM, IPPROTO_UDP },
        { AF_INET, SOCK_STREAM, 0 },
        { AF_INET, 0, IPPROTO_UDP },
        { AF_UNSPEC, SOCK_DGRAM, 0 },
    };
    struct addrinfo hints, *res, *ai;
    unsigned int i;
    char what[96];
    int ret, loopback4;

    /* No hints at all. */
    res = NULL;
    WSASetLastError(0xdead);
    ret = getaddrinfo("localhost", NULL, NULL, &res);
    ok(ret == 0, "getaddrinfo(localhost, NULL, NULL) returned %d\n", ret);
    ok(WSAGetLastError() == 0, "getaddrinfo(localhost) success left error %d\n", WSAGetLastError());
    ok(res != NULL, "getaddrinfo(localhost) gave no answer\n");
    loopback4 = 0;
    for (ai = res; ai; ai = ai->ai_next)
    {
        check_entry("localhost, no hints", ai, AF_UNSPEC, 0, 0, 0);
        if (is_ipv4(ai, INADDR_LOOPBACK)) loopback4 = 1;
    }
    ok(loopback4, "localhost, no hints: 127.0.0.1 is not among the answers\n");
    freeaddrinfo(res);

    for (i = 0; i < ARRAY_SIZE(hints_list); i++)
    {
        snprintf(what, sizeof(what), "localhost:80 (%s, type %d, protocol %d)", family_name(hints_list[i].family),
                 hints_list[i].socktype, hints_list[i].protocol);
        memset(&hints, 0, sizeof(hints));
        hints.ai_family = hints_list[i].family;
        hints.ai_socktype = hints_list[i].socktype;
        hints.ai_protocol = hints_list[i].protocol;
        res = NULL;
        WSASetLastError(0xdead);
        ret = getaddrinfo("localhost", "80", &hints, &res);
        ok(ret == 0, "%s: getaddrinfo returned %d\n", what, ret);
        ok(WSAGetLastError() == 0, "%s: success left error %d\n", what, WSAGetLastError());
        if (ret) continue;
        ok(res != NULL, "%s: no answer\n", what);
        loopback4 = 0;
        for (ai = res; ai; ai = ai->ai_next)
        {
            check_entry(what, ai, hints_list[i].family, 80, hints_list[i].socktype, hints_list[i].protocol);
            if (is_ipv4(ai, INADDR_LOOPBACK)) loopback4 = 1;
        }
        ok(loopback4, "%s: 127.0.0.1 is not among the answers\n", what);
        freeaddrinfo(res);
    }
}

static void test_numeric(void)
{
    static const BYTE v6_doc[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    struct addrinfo hints, *res;
    int ret;

    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_family = AF_UNSPEC;

    res = NULL;
    ret = getaddrinfo("192.0.2.5", NULL, &hints, &res);
    ok(ret == 0, "getaddrinfo(192.0.2.5, AI_NUMERICHOST) returned %d\n", ret);
    if (!ret && res)
    {
        check_entry("192.0.2.5", res, AF_INET, 0, 0, 0);
        ok(is_ipv4(res, 0xc0000205), "192.0.2.5: wrong address %08lx\n",
           (unsigned long)ntohl(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr));
        freeaddrinfo(res);
    }

    res = NULL;
    ret = getaddrinfo("::1", "443", &hints, &res);
    ok(ret == 0, "getaddrinfo(::1, 443, AI_NUMERICHOST) returned %d\n", ret);
    if (!ret && res)
    {
        check_entry("::1", res, AF_INET6, 443, 0, 0);
        ok(!memcmp(&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, &in6addr_loopback, 16),
           "::1: wrong address\n");
        freeaddrinfo(res);
    }

    res = NULL;
    hints.ai_family = AF_INET6;
    ret = getaddrinfo("2001:db8::1", NULL, &hints, &res);
    ok(ret == 0, "getaddrinfo(2001:db8::1, AF_INET6, AI_NUMERICHOST) returned %d\n", ret);
    if (!ret && res)
    {
        check_entry("2001:db8::1", res, AF_INET6, 0, 0, 0);
        ok(!memcmp(&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, v6_doc, 16), "2001:db8::1: wrong address\n");
        ok(res->ai_next == NULL, "2001:db8::1: more than one answer\n");
        freeaddrinfo(res);
    }

    /* AI_NUMERICHOST with a name: EAI_NONAME. */
    hints.ai_family = AF_UNSPEC;
    check_failure("localhost with AI_NUMERICHOST", "localhost", "80", &hints, WSAHOST_NOT_FOUND);
}

static void test_services(void)
{
    struct addrinfo hints, *res;
    int ret;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;

    res = NULL;
    ret = getaddrinfo("127.0.0.1", "8080", &hints, &res);
    ok(ret == 0, "getaddrinfo(127.0.0.1, 8080) returned %d\n", ret);
    if (!ret && res)
    {
        check_entry("127.0.0.1:8080", res, AF_INET, 8080, SOCK_STREAM, IPPROTO_TCP);
        ok(is_ipv4(res, INADDR_LOOPBACK), "127.0.0.1:8080: wrong address\n");
        freeaddrinfo(res);
    }

    res = NULL;
    ret = getaddrinfo("127.0.0.1", "http", &hints, &res);
    ok(ret == 0, "getaddrinfo(127.0.0.1, http) returned %d\n", ret);
    if (!ret && res)
    {
        check_entry("127.0.0.1:http", res, AF_INET, 80, SOCK_STREAM, IPPROTO_TCP);
        freeaddrinfo(res);
    }

    memset(&hints, 0, sizeof(hints));
    check_failure("unknown service, no node", NULL, "nonexistentservice", &hints, WSATYPE_NOT_FOUND);
}

static void test_errors(void)
{
    struct addrinfo hints, *res;
    int ret;

    check_failure("NULL node and service, NULL hints", NULL, NULL, NULL, WSAHOST_NOT_FOUND);
    memset(&hints, 0, sizeof(hints));
    check_failure("NULL node and service", NULL, NULL, &hints, WSAHOST_NOT_FOUND);

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = 999;
    hints.ai_protocol = IPPROTO_TCP;
    check_failure("ai_socktype 999", "localhost", NULL, &hints, WSAESOCKTNOSUPPORT);
    hints.ai_family = AF_INET;
    hints.ai_protocol = IPPROTO_UDP;
    check_failure("AF_INET, ai_socktype 999", "localhost", NULL, &hints, WSAESOCKTNOSUPPORT);

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = 99; /* no address family has this number */
    check_failure("ai_family 99", "localhost", "80", &hints, WSAEAFNOSUPPORT);

    /* A name that must not resolve (RFC 6761 reserves .invalid). */
    res = (struct addrinfo *)0xdeadbeef;
    WSASetLastError(0xdead);
    ret = getaddrinfo(NONEXISTENT, NULL, NULL, &res);
    if (ret == WSATRY_AGAIN)
        skip("no name server answers here (WSATRY_AGAIN): the unknown-name check is skipped\n");
    else if (ret == 0)
    {
        skip("%s resolved: the resolver rewrites unknown names\n", NONEXISTENT);
        freeaddrinfo(res);
    }
    else
    {
        ok(ret == WSAHOST_NOT_FOUND, "getaddrinfo(%s) returned %d\n", NONEXISTENT, ret);
        ok(WSAGetLastError() == WSAHOST_NOT_FOUND, "getaddrinfo(%s): WSAGetLastError %d\n", NONEXISTENT,
           WSAGetLastError());
        ok(res == NULL, "getaddrinfo(%s): *res is %p\n", NONEXISTENT, (void *)res);
    }
}

static void test_passive(void)
{
    struct addrinfo hints, *res;
    int ret;

    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_PASSIVE;
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    res = NULL;
    ret = getaddrinfo(NULL, "80", &hints, &res);
    ok(ret == 0, "getaddrinfo(NULL, 80, AI_PASSIVE, AF_INET) returned %d\n", ret);
    if (!ret && res)
    {
        check_entry("passive IPv4", res, AF_INET, 80, SOCK_STREAM, 0);
        ok(is_ipv4(res, INADDR_ANY), "passive IPv4: address %08lx, expected INADDR_ANY\n",
           (unsigned long)ntohl(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr));
        freeaddrinfo(res);
    }

    hints.ai_family = AF_INET6;
    res = NULL;
    ret = getaddrinfo(NULL, "80", &hints, &res);
    ok(ret == 0, "getaddrinfo(NULL, 80, AI_PASSIVE, AF_INET6) returned %d\n", ret);
    if (!ret && res)
    {
        check_entry("passive IPv6", res, AF_INET6, 80, SOCK_STREAM, 0);
        ok(!memcmp(&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, &in6addr_any, 16),
           "passive IPv6: address is not IN6ADDR_ANY\n");
        freeaddrinfo(res);
    }

    /* Without AI_PASSIVE: the loopback address. */
    hints.ai_flags = 0;
    hints.ai_family = AF_INET;
    res = NULL;
    ret = getaddrinfo(NULL, "80", &hints, &res);
    ok(ret == 0, "getaddrinfo(NULL, 80, AF_INET) returned %d\n", ret);
    if (!ret && res)
    {
        check_entry("active IPv4", res, AF_INET, 80, SOCK_STREAM, 0);
        ok(is_ipv4(res, INADDR_LOOPBACK), "active IPv4: address %08lx, expected 127.0.0.1\n",
           (unsigned long)ntohl(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr));
        freeaddrinfo(res);
    }
}

static DWORD WINAPI free_null(void *arg)
{
    (void)arg;
    freeaddrinfo(NULL);
    FreeAddrInfoW(NULL);
    return 0;
}

static void test_free_null(void)
{
    ok(wstest_guarded("freeaddrinfo(NULL) / FreeAddrInfoW(NULL)", free_null, NULL),
       "freeaddrinfo(NULL) did not return\n");
}

static void test_wide(void)
{
    ADDRINFOW hints, *res, *ai;
    int ret, loopback4;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    res = NULL;
    WSASetLastError(0xdead);
    ret = GetAddrInfoW(L"localhost", L"http", &hints, &res);
    ok(ret == 0, "GetAddrInfoW(localhost, http) returned %d\n", ret);
    ok(WSAGetLastError() == 0, "GetAddrInfoW success left error %d\n", WSAGetLastError());
    loopback4 = 0;
    for (ai = res; ai; ai = ai->ai_next)
    {
        /* ADDRINFOW differs from addrinfo only in the type of ai_canonname. */
        check_entry("GetAddrInfoW localhost:http", (struct addrinfo *)ai, AF_UNSPEC, 80, SOCK_STREAM, IPPROTO_TCP);
        if (is_ipv4((struct addrinfo *)ai, INADDR_LOOPBACK)) loopback4 = 1;
    }
    ok(loopback4, "GetAddrInfoW(localhost): 127.0.0.1 is not among the answers\n");
    if (res) FreeAddrInfoW(res);

    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    res = NULL;
    ret = GetAddrInfoW(L"::1", L"8080", &hints, &res);
    ok(ret == 0, "GetAddrInfoW(::1, 8080, AI_NUMERICHOST) returned %d\n", ret);
    if (!ret && res)
    {
        check_entry("GetAddrInfoW ::1", (struct addrinfo *)res, AF_INET6, 8080, 0, 0);
        FreeAddrInfoW(res);
    }

    res = (ADDRINFOW *)0xdeadbeef;
    WSASetLastError(0xdead);
    ret = GetAddrInfoW(L"localhost", NULL, &hints, &res);
    ok(ret == WSAHOST_NOT_FOUND, "GetAddrInfoW(localhost, AI_NUMERICHOST) returned %d\n", ret);
    ok(WSAGetLastError() == WSAHOST_NOT_FOUND, "GetAddrInfoW(localhost, AI_NUMERICHOST): error %d\n",
       WSAGetLastError());
    ok(res == NULL, "GetAddrInfoW failure: *res is %p\n", (void *)res);

    res = (ADDRINFOW *)0xdeadbeef;
    WSASetLastError(0xdead);
    ret = GetAddrInfoW(NULL, NULL, NULL, &res);
    ok(ret == WSAHOST_NOT_FOUND, "GetAddrInfoW(NULL, NULL) returned %d\n", ret);
    ok(WSAGetLastError() == WSAHOST_NOT_FOUND, "GetAddrInfoW(NULL, NULL): error %d\n", WSAGetLastError());
    ok(res == NULL, "GetAddrInfoW(NULL, NULL): *res is %p\n", (void *)res);

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = 999;
    res = NULL;
    ret = GetAddrInfoW(L"localhost", NULL, &hints, &res);
    ok(ret == WSAESOCKTNOSUPPORT, "GetAddrInfoW with ai_socktype 999 returned %d\n", ret);
    if (!ret) FreeAddrInfoW(res);

    res = (ADDRINFOW *)0xdeadbeef;
    ret = GetAddrInfoW(NONEXISTENT_W, NULL, NULL, &res);
    if (ret == WSATRY_AGAIN)
        skip("no name server answers here (WSATRY_AGAIN): GetAddrInfoW's unknown-name check is skipped\n");
    else if (ret == 0)
    {
        skip("%s resolved: the resolver rewrites unknown names\n", NONEXISTENT);
        FreeAddrInfoW(res);
    }
    else
    {
        ok(ret == WSAHOST_NOT_FOUND, "GetAddrInfoW(%s) returned %d\n", NONEXISTENT, ret);
        ok(res == NULL, "GetAddrInfoW(%s): *res is %p\n", NONEXISTENT, (void *)res);
    }
}

static void test_getnameinfo(void)
{
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    char small[32];
    int ret;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(80);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    strcpy(host, "x");
    strcpy(serv, "x");
    WSASetLastError(0xdead);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret == 0, "getnameinfo(127.0.0.1:80, numeric) returned %d\n", ret);
    ok(!strcmp(host, "127.0.0.1"), "getnameinfo: host \"%s\"\n", host);
    ok(!strcmp(serv, "80"), "getnameinfo: service \"%s\"\n", serv);

    /* The service's name without NI_NUMERICSERV. */
    strcpy(serv, "x");
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), NI_NUMERICHOST);
    ok(ret == 0, "getnameinfo(port 80, service only) returned %d\n", ret);
    ok(!strcmp(serv, "http"), "getnameinfo: service of port 80 is \"%s\"\n", serv);

    /* A port with no name: its number. */
    sin.sin_port = htons(UNNAMED_PORT);
    strcpy(serv, "x");
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), NI_NUMERICHOST);
    ok(ret == 0, "getnameinfo(port %d, service only) returned %d\n", UNNAMED_PORT, ret);
    ok(atoi(serv) == UNNAMED_PORT, "getnameinfo: service of port %d is \"%s\"\n", UNNAMED_PORT, serv);
    sin.sin_port = htons(80);

    /* The port of a socket bound to every address, the way a server prints
     * where it listens: no host buffer, no flags.  Only the service is
     * asked for, so no reverse lookup of 0.0.0.0 may stand in the way (this
     * test's network has no DNS server). */
    sin.sin_addr.s_addr = htonl(INADDR_ANY);
    sin.sin_port = htons(UNNAMED_PORT);
    strcpy(serv, "x");
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), NI_NUMERICSERV);
    ok(ret == 0, "getnameinfo(0.0.0.0:%d, service only) returned %d\n", UNNAMED_PORT, ret);
    ok(atoi(serv) == UNNAMED_PORT, "getnameinfo(0.0.0.0): service \"%s\"\n", serv);
    strcpy(serv, "x");
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), 0);
    ok(ret == 0, "getnameinfo(0.0.0.0:%d, service only, no flags) returned %d\n", UNNAMED_PORT, ret);
    ok(atoi(serv) == UNNAMED_PORT, "getnameinfo(0.0.0.0, no flags): service \"%s\"\n", serv);

    /* An address nobody names (TEST-NET-1, RFC 5737): without NI_NAMEREQD the
     * host is its numeric form; with it, a failure. */
    sin.sin_addr.s_addr = htonl(0xc0000201);
    strcpy(host, "x");
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, 0);
    ok(ret == 0, "getnameinfo(192.0.2.1, host only) returned %d\n", ret);
    ok(!strcmp(host, "192.0.2.1"), "getnameinfo(192.0.2.1): host \"%s\"\n", host);
    WSASetLastError(0xdead);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, NI_NAMEREQD);
    ok(ret == WSAHOST_NOT_FOUND || ret == WSATRY_AGAIN || ret == WSANO_DATA,
       "getnameinfo(192.0.2.1, NI_NAMEREQD) returned %d\n", ret);
    ok(WSAGetLastError() == ret, "getnameinfo(192.0.2.1, NI_NAMEREQD): error %d\n", WSAGetLastError());
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin.sin_port = htons(80);

    /* IPv6 loopback, numeric. */
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(8080);
    sin6.sin6_addr = in6addr_loopback;
    strcpy(host, "x");
    strcpy(serv, "x");
    ret = getnameinfo((struct sockaddr *)&sin6, sizeof(sin6), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret == 0, "getnameinfo([::1]:8080, numeric) returned %d\n", ret);
    ok(!strcmp(host, "::1"), "getnameinfo: IPv6 host \"%s\"\n", host);
    ok(!strcmp(serv, "8080"), "getnameinfo: IPv6 service \"%s\"\n", serv);

    /* A host buffer too small for "127.0.0.1": a failure, and nothing
     * written past the length given. */
    memset(small, 'Z', sizeof(small));
    WSASetLastError(0xdead);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), small, 4, serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret != 0, "getnameinfo with a 4-byte host buffer succeeded (\"%.4s\")\n", small);
    ok(WSAGetLastError() == ret, "getnameinfo, small buffer: WSAGetLastError %d, returned %d\n",
       WSAGetLastError(), ret);
    ok(small[4] == 'Z' && small[sizeof(small) - 1] == 'Z', "getnameinfo wrote past a 4-byte host buffer\n");
    trace("getnameinfo with a too small host buffer: error %d\n", ret);

    /* Documented argument errors. */
    WSASetLastError(0xdead);
    ret = getnameinfo(NULL, sizeof(sin), host, sizeof(host), serv, sizeof(serv), NI_NUMERICHOST);
    ok(ret == WSAEFAULT, "getnameinfo(NULL sa) returned %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "getnameinfo(NULL sa): error %d\n", WSAGetLastError());

    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin) - 1, host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST);
    ok(ret == WSAEFAULT, "getnameinfo(salen %u) returned %d\n", (unsigned)sizeof(sin) - 1, ret);

    ret = getnameinfo((struct sockaddr *)&sin6, sizeof(struct sockaddr_in), host, sizeof(host), serv,
                      sizeof(serv), NI_NUMERICHOST);
    ok(ret == WSAEFAULT, "getnameinfo(IPv6, salen %u) returned %d\n", (unsigned)sizeof(struct sockaddr_in), ret);

    WSASetLastError(0xdead);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, NULL, 0, NI_NUMERICHOST);
    ok(ret == WSAHOST_NOT_FOUND, "getnameinfo(no host, no serv) returned %d\n", ret);
    ok(WSAGetLastError() == WSAHOST_NOT_FOUND, "getnameinfo(no host, no serv): error %d\n", WSAGetLastError());

    sin.sin_family = 99;
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret == WSAEAFNOSUPPORT, "getnameinfo(sa_family 99) returned %d\n", ret);
    sin.sin_family = AF_INET;

    /* The pages say EAI_BADFLAGS (WSAEINVAL) when a host name "was
     * requested" with hostlen 0; whether a non-NULL host with length 0 counts
     * as a request is not said: only reported. */
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, 0, serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    trace("getnameinfo with host != NULL, hostlen 0: returned %d\n", ret);
}

static void test_getnameinfow(void)
{
    struct sockaddr_in sin;
    WCHAR host[NI_MAXHOST], serv[NI_MAXSERV], small[32];
    unsigned int i;
    int ret;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(80);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    host[0] = serv[0] = 0;
    WSASetLastError(0xdead);
    ret = GetNameInfoW((struct sockaddr *)&sin, sizeof(sin), host, ARRAY_SIZE(host), serv, ARRAY_SIZE(serv),
                       NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret == 0, "GetNameInfoW(127.0.0.1:80, numeric) returned %d\n", ret);
    ok(!wcscmp(host, L"127.0.0.1"), "GetNameInfoW: host \"%ls\"\n", host);
    ok(!wcscmp(serv, L"80"), "GetNameInfoW: service \"%ls\"\n", serv);

    serv[0] = 0;
    ret = GetNameInfoW((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, ARRAY_SIZE(serv), NI_NUMERICHOST);
    ok(ret == 0, "GetNameInfoW(port 80, service only) returned %d\n", ret);
    ok(!wcscmp(serv, L"http"), "GetNameInfoW: service of port 80 is \"%ls\"\n", serv);

    for (i = 0; i < ARRAY_SIZE(small); i++) small[i] = L'Z';
    ret = GetNameInfoW((struct sockaddr *)&sin, sizeof(sin), small, 4, serv, ARRAY_SIZE(serv),
                       NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret != 0, "GetNameInfoW with a 4-character host buffer succeeded\n");
    ok(WSAGetLastError() == ret, "GetNameInfoW, small buffer: WSAGetLastError %d, returned %d\n",
       WSAGetLastError(), ret);
    ok(small[4] == L'Z' && small[ARRAY_SIZE(small) - 1] == L'Z',
       "GetNameInfoW wrote past a 4-character host buffer\n");
    trace("GetNameInfoW with a too small host buffer: error %d\n", ret);

    ret = GetNameInfoW(NULL, sizeof(sin), host, ARRAY_SIZE(host), serv, ARRAY_SIZE(serv), NI_NUMERICHOST);
    ok(ret == WSAEFAULT, "GetNameInfoW(NULL sa) returned %d\n", ret);

    WSASetLastError(0xdead);
    ret = GetNameInfoW((struct sockaddr *)&sin, sizeof(sin), NULL, 0, NULL, 0, NI_NUMERICHOST);
    ok(ret == WSAHOST_NOT_FOUND, "GetNameInfoW(no host, no serv) returned %d\n", ret);
    ok(WSAGetLastError() == WSAHOST_NOT_FOUND, "GetNameInfoW(no host, no serv): error %d\n", WSAGetLastError());
}

/* An IPv6 literal in brackets, as in a URL, is taken; a port after it is
 * ignored (Wine's test_getaddrinfo, which passes on Windows). */
static void test_brackets(void)
{
    static const char *const forms[] = { "[::1]", "[::1]:8080" };
    struct addrinfo hints, *res;
    unsigned int i;
    int ret;

    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
    {
        res = NULL;
        ret = getaddrinfo(forms[i], NULL, NULL, &res);
        ok(ret == 0, "getaddrinfo(\"%s\") returned %d\n", forms[i], ret);
        if (ret) continue;
        ok(res && res->ai_family == AF_INET6, "getaddrinfo(\"%s\"): family %d\n", forms[i], res ? res->ai_family : -1);
        if (res && res->ai_family == AF_INET6)
        {
            const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)res->ai_addr;

            ok(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr), "getaddrinfo(\"%s\"): not ::1\n", forms[i]);
            ok(sin6->sin6_port == 0, "getaddrinfo(\"%s\"): port %d\n", forms[i], ntohs(sin6->sin6_port));
        }
        freeaddrinfo(res);
    }

    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_family = AF_INET6;
    res = NULL;
    ret = getaddrinfo("[::1]", NULL, &hints, &res);
    ok(ret == 0, "getaddrinfo(\"[::1]\", AF_INET6, AI_NUMERICHOST) returned %d\n", ret);
    freeaddrinfo(res);

    /* The other family, or a bracket missing: no such host. */
    hints.ai_family = AF_INET;
    res = NULL;
    ret = getaddrinfo("[::1]", NULL, &hints, &res);
    ok(ret == WSAHOST_NOT_FOUND, "getaddrinfo(\"[::1]\", AF_INET) returned %d\n", ret);
    hints.ai_family = AF_UNSPEC;
    ret = getaddrinfo("[::1", NULL, &hints, &res);
    ok(ret == WSAHOST_NOT_FOUND, "getaddrinfo(\"[::1\") returned %d\n", ret);
    ret = getaddrinfo("::1]", NULL, &hints, &res);
    ok(ret == WSAHOST_NOT_FOUND, "getaddrinfo(\"::1]\") returned %d\n", ret);
}

/* The protocol is not matched against the type: both are echoed. */
static void test_type_protocol_mix(void)
{
    static const struct
    {
        int type, protocol;
    } mixes[] = {
        { SOCK_STREAM, IPPROTO_UDP },
        { SOCK_DGRAM, IPPROTO_TCP },
        { SOCK_STREAM, IPPROTO_IPV6 },
        { SOCK_DGRAM, 999 },
    };
    struct addrinfo hints, *res, *ai;
    unsigned int i;
    int ret;

    for (i = 0; i < sizeof(mixes) / sizeof(mixes[0]); i++)
    {
        memset(&hints, 0, sizeof(hints));
        hints.ai_family = AF_INET;
        hints.ai_socktype = mixes[i].type;
        hints.ai_protocol = mixes[i].protocol;
        res = NULL;
        ret = getaddrinfo("127.0.0.1", NULL, &hints, &res);
        ok(ret == 0, "getaddrinfo(type %d, protocol %d) returned %d\n", mixes[i].type, mixes[i].protocol, ret);
        for (ai = res; ai; ai = ai->ai_next)
            ok(ai->ai_socktype == mixes[i].type && ai->ai_protocol == mixes[i].protocol,
               "getaddrinfo(type %d, protocol %d): answer of type %d, protocol %d\n", mixes[i].type,
               mixes[i].protocol, ai->ai_socktype, ai->ai_protocol);
        freeaddrinfo(res);
    }
}

START_TEST(resolve)
{
    WSADATA data;
    int ret;

    test_before_startup();

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(ret == 0, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_localhost();
    test_numeric();
    test_services();
    test_errors();
    test_passive();
    test_free_null();
    test_wide();
    test_getnameinfo();
    test_getnameinfow();
    test_brackets();
    test_type_protocol_mix();

    WSACleanup();
}
