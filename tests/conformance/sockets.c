/*
 * Socket creation, closing, naming, binding, listening, accepting and
 * connecting, with their error cases; ioctlsocket FIONBIO / FIONREAD; byte
 * order helpers and address conversions.
 *
 * Expected values are Windows' own:
 *  - socket/WSASocket argument errors: Wine's conformance test test_WSASocket
 *    (passes on Windows): (AF_INET, -1, 0) and (AF_INET, 0xdead, 0) give
 *    WSAESOCKTNOSUPPORT; (AF_INET, 0, -1), (AF_INET, SOCK_STREAM, IPPROTO_UDP)
 *    and (AF_INET, SOCK_DGRAM, IPPROTO_TCP) give WSAEPROTONOSUPPORT;
 *    (-1, SOCK_STREAM, IPPROTO_UDP) gives WSAEAFNOSUPPORT; (0, 0, 0) and
 *    (0, SOCK_STREAM, 0) give WSAEINVAL; (AF_INET, 0, 0) and
 *    (AF_INET, 0, IPPROTO_TCP) succeed; (0xdead, 0xdead, IPPROTO_TCP) gives
 *    WSAESOCKTNOSUPPORT, (0xdead, SOCK_STREAM, 0xdead) WSAEAFNOSUPPORT;
 *    SOCK_RAW without the privilege for it gives WSAEACCES (test_icmp).
 *  - Microsoft docs of closesocket, getsockname, bind, listen, accept,
 *    connect, recv, ioctlsocket: WSAENOTSOCK for a descriptor that is not a
 *    socket; getsockname WSAEINVAL when unbound and WSAEFAULT when namelen is
 *    too small; bind WSAEINVAL when already bound and WSAEFAULT for a NULL
 *    name or a too small namelen; listen WSAEINVAL when unbound; accept
 *    WSAEINVAL when listen was not called and WSAEWOULDBLOCK on a
 *    non-blocking socket with no connection; connect WSAECONNREFUSED when
 *    the target refuses; FIONREAD gives the amount of data readable.
 *  - inet_addr, inet_ntoa, inet_pton, inet_ntop (InetPton/InetNtop) docs:
 *    INADDR_NONE for an invalid or empty string; inet_pton returns 1, 0 for
 *    an invalid string, SOCKET_ERROR with WSAEAFNOSUPPORT for an unknown
 *    family; inet_ntop returns NULL for an unknown family (WSAEAFNOSUPPORT)
 *    or a too small buffer (ERROR_INVALID_PARAMETER).
 */
#include "wstest.h"

static void check_socket_type(SOCKET s, int type, const char *what)
{
    int value = 0xdead, len = sizeof(value), ret;

    ret = getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&value, &len);
    ok(!ret, "%s: getsockopt(SO_TYPE) failed, error %d\n", what, WSAGetLastError());
    ok(value == type, "%s: SO_TYPE is %d, expected %d\n", what, value, type);
}

static void test_create(void)
{
    static const struct
    {
        int af, type, protocol;
    } good[] = {
        { AF_INET, SOCK_STREAM, 0 },
        { AF_INET, SOCK_STREAM, IPPROTO_TCP },
        { AF_INET, SOCK_DGRAM, 0 },
        { AF_INET, SOCK_DGRAM, IPPROTO_UDP },
        { AF_INET6, SOCK_STREAM, 0 },
        { AF_INET6, SOCK_STREAM, IPPROTO_TCP },
        { AF_INET6, SOCK_DGRAM, 0 },
        { AF_INET6, SOCK_DGRAM, IPPROTO_UDP },
    };
    unsigned int i, api;
    char what[80];
    SOCKET s;

    for (i = 0; i < ARRAY_SIZE(good); i++)
    {
        for (api = 0; api < 3; api++)
        {
            snprintf(what, sizeof(what), "%s(%d, %d, %d)",
                     api == 0 ? "socket" : api == 1 ? "WSASocketA"
                                                    : "WSASocketW",
                     good[i].af, good[i].type, good[i].protocol);
            WSASetLastError(0xdead);
            if (api == 0) s = socket(good[i].af, good[i].type, good[i].protocol);
            else if (api == 1) s = WSASocketA(good[i].af, good[i].type, good[i].protocol, NULL, 0, 0);
            else s = WSASocketW(good[i].af, good[i].type, good[i].protocol, NULL, 0, WSA_FLAG_OVERLAPPED);
            ok(s != INVALID_SOCKET, "%s failed, error %d\n", what, WSAGetLastError());
            if (s == INVALID_SOCKET) continue;
            check_socket_type(s, good[i].type, what);
            ok(!closesocket(s), "%s: closesocket failed, error %d\n", what, WSAGetLastError());
        }
    }

    /* type and protocol 0 mean the default stream socket of the family */
    s = WSASocketA(AF_INET, 0, 0, NULL, 0, 0);
    ok(s != INVALID_SOCKET, "WSASocketA(AF_INET, 0, 0) failed, error %d\n", WSAGetLastError());
    if (s != INVALID_SOCKET)
    {
        check_socket_type(s, SOCK_STREAM, "WSASocketA(AF_INET, 0, 0)");
        closesocket(s);
    }
    s = WSASocketA(AF_INET, 0, IPPROTO_TCP, NULL, 0, 0);
    ok(s != INVALID_SOCKET, "WSASocketA(AF_INET, 0, IPPROTO_TCP) failed, error %d\n", WSAGetLastError());
    if (s != INVALID_SOCKET)
    {
        check_socket_type(s, SOCK_STREAM, "WSASocketA(AF_INET, 0, IPPROTO_TCP)");
        closesocket(s);
    }
}

static void test_create_errors(void)
{
    static const struct
    {
        int af, type, protocol, error;
    } bad[] = {
        { AF_INET, -1, 0, WSAESOCKTNOSUPPORT },
        { AF_INET, 0xdead, 0, WSAESOCKTNOSUPPORT },
        { AF_INET, 0, -1, WSAEPROTONOSUPPORT },
        { AF_INET, SOCK_STREAM, IPPROTO_UDP, WSAEPROTONOSUPPORT },
        { AF_INET, SOCK_DGRAM, IPPROTO_TCP, WSAEPROTONOSUPPORT },
        { -1, SOCK_STREAM, IPPROTO_UDP, WSAEAFNOSUPPORT },
        { 0, 0, 0, WSAEINVAL },
        { 0, SOCK_STREAM, 0, WSAEINVAL },
        { 0, -1, 0, WSAEINVAL },
        { 0, SOCK_STREAM, -1, WSAEPROTONOSUPPORT },
        { 0, -1, IPPROTO_UDP, WSAESOCKTNOSUPPORT },
        /* An unknown type is named before an unknown family. */
        { 0xdead, 0xdead, IPPROTO_TCP, WSAESOCKTNOSUPPORT },
        { 0xdead, SOCK_STREAM, 0xdead, WSAEAFNOSUPPORT },
    };
    unsigned int i, api;
    SOCKET s;

    for (i = 0; i < ARRAY_SIZE(bad); i++)
    {
        for (api = 0; api < 3; api++)
        {
            WSASetLastError(0xdead);
            if (api == 0) s = socket(bad[i].af, bad[i].type, bad[i].protocol);
            else if (api == 1) s = WSASocketA(bad[i].af, bad[i].type, bad[i].protocol, NULL, 0, 0);
            else s = WSASocketW(bad[i].af, bad[i].type, bad[i].protocol, NULL, 0, 0);
            ok(s == INVALID_SOCKET, "%s(%d, %d, %d) succeeded\n",
               api == 0 ? "socket" : api == 1 ? "WSASocketA"
                                              : "WSASocketW",
               bad[i].af, bad[i].type, bad[i].protocol);
            ok(WSAGetLastError() == bad[i].error, "%s(%d, %d, %d): error %d, expected %d\n",
               api == 0 ? "socket" : api == 1 ? "WSASocketA"
                                              : "WSASocketW",
               bad[i].af, bad[i].type, bad[i].protocol, WSAGetLastError(), bad[i].error);
            if (s != INVALID_SOCKET) closesocket(s);
        }
    }
}

/* A raw socket needs a privilege: without it Windows says WSAEACCES. */
static void test_raw(void)
{
    static const int protocols[] = { IPPROTO_ICMP, IPPROTO_UDP, 0 };
    unsigned int i;
    SOCKET s;

    for (i = 0; i < ARRAY_SIZE(protocols); i++)
    {
        WSASetLastError(0xdead);
        s = socket(AF_INET, SOCK_RAW, protocols[i]);
        if (s == INVALID_SOCKET)
            ok(WSAGetLastError() == WSAEACCES, "raw socket, protocol %d: error %d\n", protocols[i],
               WSAGetLastError());
        else
        {
            check_socket_type(s, SOCK_RAW, "raw socket");
            closesocket(s);
        }
    }
}

static void test_close(void)
{
    SOCKET s;
    int ret;

    WSASetLastError(0xdead);
    ret = closesocket(INVALID_SOCKET);
    ok(ret == SOCKET_ERROR, "closesocket(INVALID_SOCKET) returned %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "closesocket(INVALID_SOCKET): error %d\n", WSAGetLastError());

    WSASetLastError(0xdead);
    ret = closesocket((SOCKET)0xdeadbee0);
    ok(ret == SOCKET_ERROR, "closesocket(0xdeadbee0) returned %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "closesocket(0xdeadbee0): error %d\n", WSAGetLastError());

    WSASetLastError(0xdead);
    ret = closesocket(0);
    ok(ret == SOCKET_ERROR, "closesocket(0) returned %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "closesocket(0): error %d\n", WSAGetLastError());

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;
    WSASetLastError(0xdead);
    ret = closesocket(s);
    ok(!ret, "closesocket returned %d, error %d\n", ret, WSAGetLastError());
    /* no socket is created in between, so the value cannot have been reused */
    WSASetLastError(0xdead);
    ret = closesocket(s);
    ok(ret == SOCKET_ERROR, "second closesocket returned %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "second closesocket: error %d\n", WSAGetLastError());

    s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    ok(s != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;
    ok(!closesocket(s), "closesocket failed, error %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ret = closesocket(s);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
       "second closesocket of a UDP socket: %d, error %d\n", ret, WSAGetLastError());

    /* other calls on a closed socket */
    {
        struct sockaddr_in addr;
        int len = sizeof(addr);

        WSASetLastError(0xdead);
        ret = getsockname(s, (struct sockaddr *)&addr, &len);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
           "getsockname on a closed socket: %d, error %d\n", ret, WSAGetLastError());
        WSASetLastError(0xdead);
        ret = listen(s, 1);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
           "listen on a closed socket: %d, error %d\n", ret, WSAGetLastError());
        WSASetLastError(0xdead);
        ret = send(s, "x", 1, 0);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
           "send on a closed socket: %d, error %d\n", ret, WSAGetLastError());
    }
}

/* Calls with bad pointers run through wstest_guarded(). */
struct call_result
{
    SOCKET s;
    int ret;
    int error;
};

static DWORD WINAPI bind_null(void *param)
{
    struct call_result *call = param;

    WSASetLastError(0xdead);
    call->ret = bind(call->s, NULL, sizeof(struct sockaddr_in));
    call->error = WSAGetLastError();
    return 0;
}

static DWORD WINAPI connect_null(void *param)
{
    struct call_result *call = param;

    WSASetLastError(0xdead);
    call->ret = connect(call->s, NULL, sizeof(struct sockaddr_in));
    call->error = WSAGetLastError();
    return 0;
}

static DWORD WINAPI getsockname_null_len(void *param)
{
    struct call_result *call = param;
    struct sockaddr_in addr;

    WSASetLastError(0xdead);
    call->ret = getsockname(call->s, (struct sockaddr *)&addr, NULL);
    call->error = WSAGetLastError();
    return 0;
}

static void test_names(void)
{
    struct call_result call = { INVALID_SOCKET, 0, 0 };
    struct sockaddr_in addr, addr2;
    struct sockaddr_in6 addr6;
    SOCKET s;
    int ret, len;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;

    /* unbound */
    len = sizeof(addr);
    WSASetLastError(0xdead);
    ret = getsockname(s, (struct sockaddr *)&addr, &len);
    ok(ret == SOCKET_ERROR, "getsockname on an unbound socket returned %d\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "getsockname on an unbound socket: error %d\n", WSAGetLastError());

    len = sizeof(addr);
    WSASetLastError(0xdead);
    ret = getpeername(s, (struct sockaddr *)&addr, &len);
    ok(ret == SOCKET_ERROR, "getpeername on an unconnected socket returned %d\n", ret);
    ok(WSAGetLastError() == WSAENOTCONN, "getpeername on an unconnected socket: error %d\n",
       WSAGetLastError());
    /* Not connected comes before bad arguments (Wine's test_getpeername,
     * passing on Windows, on a datagram socket). */
    WSASetLastError(0xdead);
    ret = getpeername(s, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTCONN, "getpeername(unconnected, NULL): %d, error %d\n",
       ret, WSAGetLastError());

    /* bind argument errors */
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    call.s = s;
    if (wstest_guarded("bind(NULL)", bind_null, &call))
    {
        ok(call.ret == SOCKET_ERROR, "bind(NULL) returned %d\n", call.ret);
        ok(call.error == WSAEFAULT, "bind(NULL): error %d\n", call.error);
    }
    WSASetLastError(0xdead);
    ret = bind(s, (struct sockaddr *)&addr, sizeof(addr) - 1);
    ok(ret == SOCKET_ERROR, "bind with a short namelen returned %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "bind with a short namelen: error %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ret = bind(s, (struct sockaddr *)&addr, 0);
    ok(ret == SOCKET_ERROR, "bind with namelen 0 returned %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "bind with namelen 0: error %d\n", WSAGetLastError());

    /* bind, then getsockname */
    WSASetLastError(0xdead);
    ret = bind(s, (struct sockaddr *)&addr, sizeof(addr));
    ok(!ret, "bind failed, error %d\n", WSAGetLastError());
    memset(&addr2, 0xcc, sizeof(addr2));
    len = sizeof(addr2);
    ret = getsockname(s, (struct sockaddr *)&addr2, &len);
    ok(!ret, "getsockname failed, error %d\n", WSAGetLastError());
    ok(len == sizeof(addr2), "getsockname length %d\n", len);
    ok(addr2.sin_family == AF_INET, "getsockname family %d\n", addr2.sin_family);
    ok(addr2.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "getsockname address %#lx\n",
       (unsigned long)ntohl(addr2.sin_addr.s_addr));
    ok(addr2.sin_port != 0, "no ephemeral port was assigned\n");

    /* a too small buffer */
    len = sizeof(addr2) - 1;
    WSASetLastError(0xdead);
    ret = getsockname(s, (struct sockaddr *)&addr2, &len);
    ok(ret == SOCKET_ERROR, "getsockname with a short buffer returned %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "getsockname with a short buffer: error %d\n", WSAGetLastError());
    if (wstest_guarded("getsockname(namelen NULL)", getsockname_null_len, &call))
        ok(call.ret == SOCKET_ERROR && call.error == WSAEFAULT,
           "getsockname with a NULL namelen: %d, error %d\n", call.ret, call.error);

    /* bind twice */
    WSASetLastError(0xdead);
    ret = bind(s, (struct sockaddr *)&addr, sizeof(addr));
    ok(ret == SOCKET_ERROR, "second bind returned %d\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "second bind: error %d\n", WSAGetLastError());
    closesocket(s);

    /* IPv6 */
    s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    ok(s != INVALID_SOCKET, "socket(AF_INET6) failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;
    memset(&addr6, 0, sizeof(addr6));
    addr6.sin6_family = AF_INET6;
    addr6.sin6_addr = in6addr_loopback;
    ret = bind(s, (struct sockaddr *)&addr6, sizeof(addr6));
    if (ret && WSAGetLastError() == WSAEADDRNOTAVAIL)
    {
        skip("no IPv6 loopback address\n");
        closesocket(s);
        return;
    }
    ok(!ret, "bind(::1) failed, error %d\n", WSAGetLastError());
    memset(&addr6, 0xcc, sizeof(addr6));
    len = sizeof(addr6);
    ret = getsockname(s, (struct sockaddr *)&addr6, &len);
    ok(!ret, "getsockname failed, error %d\n", WSAGetLastError());
    ok(len == sizeof(addr6), "getsockname length %d\n", len);
    ok(addr6.sin6_family == AF_INET6, "getsockname family %d\n", addr6.sin6_family);
    ok(!memcmp(&addr6.sin6_addr, &in6addr_loopback, sizeof(addr6.sin6_addr)), "address is not ::1\n");
    ok(addr6.sin6_port != 0, "no ephemeral port was assigned\n");
    WSASetLastError(0xdead);
    ret = bind(s, (struct sockaddr *)&addr6, sizeof(addr6));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
       "second bind of an IPv6 socket: %d, error %d\n", ret, WSAGetLastError());
    closesocket(s);
}

static void test_listen_accept_connect(void)
{
    struct sockaddr_in addr, peer;
    SOCKET s, listener, client, server;
    u_long arg;
    int ret, len;
    ULONGLONG start;

    /* listen on an unbound socket */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;
    WSASetLastError(0xdead);
    ret = listen(s, 5);
    ok(ret == SOCKET_ERROR, "listen on an unbound socket returned %d\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "listen on an unbound socket: error %d\n", WSAGetLastError());

    /* accept on a bound socket that is not listening */
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ret = bind(s, (struct sockaddr *)&addr, sizeof(addr));
    ok(!ret, "bind failed, error %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    server = accept(s, NULL, NULL);
    ok(server == INVALID_SOCKET, "accept on a non-listening socket succeeded\n");
    ok(WSAGetLastError() == WSAEINVAL, "accept on a non-listening socket: error %d\n", WSAGetLastError());
    if (server != INVALID_SOCKET) closesocket(server);

    /* a port nobody listens on: this socket's own, bound but not listening */
    len = sizeof(addr);
    ret = getsockname(s, (struct sockaddr *)&addr, &len);
    ok(!ret, "getsockname failed, error %d\n", WSAGetLastError());
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(client != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (client != INVALID_SOCKET)
    {
        start = wstest_ticks();
        WSASetLastError(0xdead);
        ret = connect(client, (struct sockaddr *)&addr, sizeof(addr));
        ok(ret == SOCKET_ERROR, "connect to a closed port returned %d\n", ret);
        ok(WSAGetLastError() == WSAECONNREFUSED, "connect to a closed port: error %d\n", WSAGetLastError());
        ok(wstest_ticks() - start < 10000, "connect to a closed port took %llu ms\n",
           (unsigned long long)(wstest_ticks() - start));
        {
            /* Refused: not a socket one can write to (Wine's test_errors). */
            struct timeval wait = { 0, 50000 };
            fd_set writable;

            FD_ZERO(&writable);
            FD_SET(client, &writable);
            ret = select(0, NULL, &writable, NULL, &wait);
            ok(ret == 0, "select for writing after a refused connect: %d\n", ret);
        }
        closesocket(client);
    }

    /* connect argument errors */
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (client != INVALID_SOCKET)
    {
        struct call_result call = { client, 0, 0 };

        if (wstest_guarded("connect(NULL)", connect_null, &call))
            ok(call.ret == SOCKET_ERROR && call.error == WSAEFAULT,
               "connect(NULL): %d, error %d\n", call.ret, call.error);
        WSASetLastError(0xdead);
        ret = connect(client, (struct sockaddr *)&addr, sizeof(addr) - 1);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT,
           "connect with a short namelen: %d, error %d\n", ret, WSAGetLastError());
        closesocket(client);
    }

    /* now listen on it */
    ret = listen(s, 5);
    ok(!ret, "listen failed, error %d\n", WSAGetLastError());
    listener = s;

    /* non-blocking accept with nothing pending */
    arg = 1;
    ret = ioctlsocket(listener, FIONBIO, &arg);
    ok(!ret, "ioctlsocket(FIONBIO, 1) failed, error %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    server = accept(listener, NULL, NULL);
    ok(server == INVALID_SOCKET, "non-blocking accept with nothing pending succeeded\n");
    ok(WSAGetLastError() == WSAEWOULDBLOCK, "non-blocking accept: error %d\n", WSAGetLastError());
    if (server != INVALID_SOCKET) closesocket(server);

    /* connect, then accept */
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(client != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (client == INVALID_SOCKET)
    {
        closesocket(listener);
        return;
    }
    ret = connect(client, (struct sockaddr *)&addr, sizeof(addr));
    ok(!ret, "connect failed, error %d\n", WSAGetLastError());
    ok(wstest_wait_readable(listener, 10000), "the listener did not become readable\n");
    memset(&peer, 0xcc, sizeof(peer));
    len = sizeof(peer);
    server = accept(listener, (struct sockaddr *)&peer, &len);
    ok(server != INVALID_SOCKET, "accept failed, error %d\n", WSAGetLastError());
    if (server != INVALID_SOCKET)
    {
        struct sockaddr_in client_name;
        int client_len = sizeof(client_name);
        char buf[16];

        ok(len == sizeof(peer), "accept address length %d\n", len);
        ret = getsockname(client, (struct sockaddr *)&client_name, &client_len);
        ok(!ret, "getsockname failed, error %d\n", WSAGetLastError());
        ok(peer.sin_family == AF_INET && peer.sin_port == client_name.sin_port &&
               peer.sin_addr.s_addr == client_name.sin_addr.s_addr,
           "accept returned a peer address other than the client's name\n");

        /* connecting again */
        WSASetLastError(0xdead);
        ret = connect(client, (struct sockaddr *)&addr, sizeof(addr));
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEISCONN,
           "connect on a connected socket: %d, error %d\n", ret, WSAGetLastError());

        /* FIONREAD */
        arg = 0xdead;
        ret = ioctlsocket(server, FIONREAD, &arg);
        ok(!ret, "ioctlsocket(FIONREAD) failed, error %d\n", WSAGetLastError());
        ok(arg == 0, "FIONREAD with nothing sent: %lu\n", arg);

        /* non-blocking recv with nothing to read (the accepted socket is
         * set non-blocking explicitly) */
        arg = 1;
        ret = ioctlsocket(server, FIONBIO, &arg);
        ok(!ret, "ioctlsocket(FIONBIO, 1) failed, error %d\n", WSAGetLastError());
        WSASetLastError(0xdead);
        ret = recv(server, buf, sizeof(buf), 0);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK,
           "non-blocking recv with no data: %d, error %d\n", ret, WSAGetLastError());

        ret = send(client, "hello", 5, 0);
        ok(ret == 5, "send returned %d, error %d\n", ret, WSAGetLastError());
        ok(wstest_wait_readable(server, 10000), "no data arrived\n");
        for (start = wstest_ticks(); wstest_ticks() - start < 5000; Sleep(10))
        {
            arg = 0xdead;
            ret = ioctlsocket(server, FIONREAD, &arg);
            if (ret || arg >= 5) break;
        }
        ok(!ret, "ioctlsocket(FIONREAD) failed, error %d\n", WSAGetLastError());
        ok(arg == 5, "FIONREAD: %lu bytes, expected 5\n", arg);

        memset(buf, 0, sizeof(buf));
        ret = recv(server, buf, 2, 0);
        ok(ret == 2 && !memcmp(buf, "he", 2), "recv returned %d\n", ret);
        arg = 0xdead;
        ret = ioctlsocket(server, FIONREAD, &arg);
        ok(!ret && arg == 3, "FIONREAD after reading 2: %d, %lu\n", ret, arg);
        ret = recv(server, buf, sizeof(buf), 0);
        ok(ret == 3 && !memcmp(buf, "llo", 3), "recv returned %d\n", ret);

        /* back to blocking mode: a recv waits for data again */
        arg = 0;
        ret = ioctlsocket(server, FIONBIO, &arg);
        ok(!ret, "ioctlsocket(FIONBIO, 0) failed, error %d\n", WSAGetLastError());
        ret = send(client, "!", 1, 0);
        ok(ret == 1, "send returned %d\n", ret);
        ret = recv(server, buf, sizeof(buf), 0);
        ok(ret == 1 && buf[0] == '!', "blocking recv returned %d\n", ret);

        closesocket(server);
    }
    closesocket(client);

    /* An address without a length: accept succeeds and writes no address */
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ret = connect(client, (struct sockaddr *)&addr, sizeof(addr));
    ok(!ret, "connect failed, error %d\n", WSAGetLastError());
    ok(wstest_wait_readable(listener, 10000), "the listener did not become readable\n");
    memset(&peer, 0, sizeof(peer));
    server = accept(listener, (struct sockaddr *)&peer, NULL);
    ok(server != INVALID_SOCKET, "accept without an address length failed, error %d\n", WSAGetLastError());
    ok(!peer.sin_family && !peer.sin_port, "accept wrote an address without a length (port %u)\n",
       ntohs(peer.sin_port));
    if (server != INVALID_SOCKET) closesocket(server);
    closesocket(client);

    /* ioctlsocket on something that is not a socket */
    arg = 1;
    WSASetLastError(0xdead);
    ret = ioctlsocket(INVALID_SOCKET, FIONBIO, &arg);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
       "ioctlsocket(INVALID_SOCKET): %d, error %d\n", ret, WSAGetLastError());

    closesocket(listener);
}

static void test_byte_order(void)
{
    ok(htons(0x1234) == 0x3412, "htons(0x1234) = %#x\n", htons(0x1234));
    ok(ntohs(0x3412) == 0x1234, "ntohs(0x3412) = %#x\n", ntohs(0x3412));
    ok(htonl(0x12345678) == 0x78563412, "htonl(0x12345678) = %#lx\n", (unsigned long)htonl(0x12345678));
    ok(ntohl(0x78563412) == 0x12345678, "ntohl(0x78563412) = %#lx\n", (unsigned long)ntohl(0x78563412));
    ok(htons(0) == 0 && htonl(0) == 0, "htons/htonl of 0\n");
    ok(htons(0xffff) == 0xffff, "htons(0xffff) = %#x\n", htons(0xffff));
    ok(htonl(1) == 0x01000000, "htonl(1) = %#lx\n", (unsigned long)htonl(1));
}

static void test_inet_addr_ntoa(void)
{
    static const struct
    {
        const char *text;
        unsigned long value; /* host order */
    } tests[] = {
        { "127.0.0.1", 0x7f000001 },
        { "1.2.3.4", 0x01020304 },
        { "255.255.255.254", 0xfffffffe },
        { "0.0.0.0", 0 },
        { "127.1", 0x7f000001 },      /* a.b: b fills the last 24 bits */
        { "10.1.2", 0x0a010002 },     /* a.b.c: c fills the last 16 bits */
        { "0x7f.0.0.1", 0x7f000001 }, /* hexadecimal part */
        { "256.1.1.1", INADDR_NONE },
        { "1.256.1.1", INADDR_NONE },
        { "abc", INADDR_NONE },
        { "", INADDR_NONE },
    };
    struct in_addr in;
    unsigned int i;
    const char *text;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        unsigned long got = inet_addr(tests[i].text);
        unsigned long expect = tests[i].value == INADDR_NONE ? INADDR_NONE : htonl(tests[i].value);
        ok(got == expect, "inet_addr(\"%s\") = %#lx, expected %#lx\n", tests[i].text, got, expect);
    }
    ok(inet_addr(NULL) == INADDR_NONE, "inet_addr(NULL) = %#lx\n", (unsigned long)inet_addr(NULL));

    in.s_addr = htonl(0x7f000001);
    text = inet_ntoa(in);
    ok(text && !strcmp(text, "127.0.0.1"), "inet_ntoa gave \"%s\"\n", text ? text : "(null)");
    in.s_addr = htonl(0xc0a80aff);
    text = inet_ntoa(in);
    ok(text && !strcmp(text, "192.168.10.255"), "inet_ntoa gave \"%s\"\n", text ? text : "(null)");
    in.s_addr = 0;
    text = inet_ntoa(in);
    ok(text && !strcmp(text, "0.0.0.0"), "inet_ntoa gave \"%s\"\n", text ? text : "(null)");
}

static void test_inet_pton_ntop(void)
{
    static const BYTE v6_expect[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    struct in_addr in;
    struct in6_addr in6;
    char buf[64];
    const char *text;
    int ret;

    memset(&in, 0xcc, sizeof(in));
    ret = inet_pton(AF_INET, "192.168.1.2", &in);
    ok(ret == 1, "inet_pton(AF_INET, valid) returned %d\n", ret);
    ok(in.s_addr == htonl(0xc0a80102), "inet_pton gave %#lx\n", (unsigned long)ntohl(in.s_addr));

    ret = inet_pton(AF_INET, "192.168.1", &in);
    ok(ret == 0, "inet_pton(AF_INET, \"192.168.1\") returned %d\n", ret);
    ret = inet_pton(AF_INET, "256.1.1.1", &in);
    ok(ret == 0, "inet_pton(AF_INET, \"256.1.1.1\") returned %d\n", ret);
    ret = inet_pton(AF_INET, "not an address", &in);
    ok(ret == 0, "inet_pton(AF_INET, \"not an address\") returned %d\n", ret);
    ret = inet_pton(AF_INET, "::1", &in);
    ok(ret == 0, "inet_pton(AF_INET, \"::1\") returned %d\n", ret);

    memset(&in6, 0xcc, sizeof(in6));
    ret = inet_pton(AF_INET6, "2001:db8::1", &in6);
    ok(ret == 1, "inet_pton(AF_INET6, valid) returned %d\n", ret);
    ok(!memcmp(&in6, v6_expect, sizeof(v6_expect)), "inet_pton(AF_INET6) gave the wrong bytes\n");
    ret = inet_pton(AF_INET6, "::1", &in6);
    ok(ret == 1 && !memcmp(&in6, &in6addr_loopback, sizeof(in6)), "inet_pton(AF_INET6, \"::1\") returned %d\n", ret);
    ret = inet_pton(AF_INET6, "2001:db8::1::2", &in6);
    ok(ret == 0, "inet_pton(AF_INET6, two \"::\") returned %d\n", ret);
    ret = inet_pton(AF_INET6, "12345::1", &in6);
    ok(ret == 0, "inet_pton(AF_INET6, \"12345::1\") returned %d\n", ret);

    WSASetLastError(0xdead);
    ret = inet_pton(0x1234, "1.2.3.4", &in);
    ok(ret == SOCKET_ERROR, "inet_pton with an unknown family returned %d\n", ret);
    ok(WSAGetLastError() == WSAEAFNOSUPPORT, "inet_pton with an unknown family: error %d\n", WSAGetLastError());

    in.s_addr = htonl(0x0a000001);
    memset(buf, 'x', sizeof(buf));
    text = inet_ntop(AF_INET, &in, buf, sizeof(buf));
    ok(text == buf, "inet_ntop(AF_INET) returned %p, expected %p\n", (const void *)text, (void *)buf);
    ok(!strcmp(buf, "10.0.0.1"), "inet_ntop(AF_INET) gave \"%.20s\"\n", buf);

    memset(buf, 'x', sizeof(buf));
    text = inet_ntop(AF_INET6, v6_expect, buf, sizeof(buf));
    ok(text == buf, "inet_ntop(AF_INET6) returned %p\n", (const void *)text);
    ok(!strcmp(buf, "2001:db8::1"), "inet_ntop(AF_INET6) gave \"%.40s\"\n", buf);
    text = inet_ntop(AF_INET6, &in6addr_loopback, buf, sizeof(buf));
    ok(text == buf && !strcmp(buf, "::1"), "inet_ntop(::1) gave \"%.40s\"\n", buf);

    WSASetLastError(0xdead);
    text = inet_ntop(AF_INET, &in, buf, 4);
    ok(text == NULL, "inet_ntop into a 4-byte buffer returned %p\n", (const void *)text);
    /* The page says ERROR_INVALID_PARAMETER; what Windows 8 and later really
     * set is STATUS_INVALID_PARAMETER (Windows 7: WSAEINVAL), as Wine's
     * conformance test of inet_ntop, which passes on Windows, observes. */
    ok(WSAGetLastError() == (int)0xc000000d || WSAGetLastError() == WSAEINVAL,
       "inet_ntop into a 4-byte buffer: error %#x\n", WSAGetLastError());

    WSASetLastError(0xdead);
    text = inet_ntop(0x1234, &in, buf, sizeof(buf));
    ok(text == NULL, "inet_ntop with an unknown family returned %p\n", (const void *)text);
    ok(WSAGetLastError() == WSAEAFNOSUPPORT, "inet_ntop with an unknown family: error %d\n", WSAGetLastError());
}

START_TEST(sockets)
{
    WSADATA data;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_create();
    test_create_errors();
    test_raw();
    test_close();
    test_names();
    test_listen_accept_connect();
    test_byte_order();
    test_inet_addr_ntoa();
    test_inet_pton_ntop();

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}
