/*
 * Address lengths at every entry point that takes or returns a socket
 * address: bind, connect, WSAConnect, ConnectEx, sendto, WSASendTo,
 * getnameinfo, WSAAddressToStringA/W on the way in; accept, getsockname,
 * getpeername, recvfrom on the way out.  Each is tried for IPv4 and IPv6
 * with the lengths 0, 15, 16, 23, 24, 27, 28 and 128 (the address itself
 * always valid, the buffer always 128 bytes).
 *
 * Expected values are Windows' own:
 *  - Microsoft's pages for bind, connect, sendto, WSAConnect and ConnectEx:
 *    WSAEFAULT when the length is too small; too small is the provider's
 *    iMinSockAddr ("WSAPROTOCOL_INFOA structure"), which Windows' TCP/IP
 *    providers report as 16 for IPv4 and 28 for IPv6.  So the 24-byte
 *    sockaddr_in6 of old SDKs (without sin6_scope_id) is refused, and a
 *    longer length is fine.  Wine's conformance test test_bind (passes on
 *    Windows): sizeof(sockaddr_in) - 1 is WSAEFAULT, a family the socket
 *    does not have WSAEAFNOSUPPORT.
 *  - getsockname, getpeername, accept, recvfrom: WSAEFAULT when the length
 *    is too small for the address; on success it becomes the sockaddr's
 *    size.  "getnameinfo function": WSAEFAULT for a length smaller than the
 *    family's sockaddr.
 *  - "WSAAddressToStringA function": WSAEINVAL for an address that is not a
 *    valid socket address (a short one here).
 */
#include "wstest.h"
#include <mswsock.h>

static const int lengths[] = { 0, 15, 16, 23, 24, 27, 28, 128 };

static LPFN_CONNECTEX pConnectEx;

/* The family's full sockaddr size, which every rule above is about. */
static int full_size(int af)
{
    return af == AF_INET6 ? (int)sizeof(struct sockaddr_in6) : (int)sizeof(struct sockaddr_in);
}

static const char *af_name(int af)
{
    return af == AF_INET6 ? "IPv6" : "IPv4";
}

/* A 128-byte buffer holding the loopback address of af with `port`. */
static void loopback(int af, unsigned short port, unsigned char *buf)
{
    memset(buf, 0, 128);
    if (af == AF_INET)
    {
        struct sockaddr_in *sin = (struct sockaddr_in *)buf;

        sin->sin_family = AF_INET;
        sin->sin_port = port;
        sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    }
    else
    {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)buf;

        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = port;
        sin6->sin6_addr.s6_addr[15] = 1;
    }
}

/* The error expected for an input address of `len` bytes: 0 when accepted. */
static int expected(int af, int len)
{
    return len < full_size(af) ? WSAEFAULT : 0;
}

static void check(int ret, int fail_value, int want, const char *what, int af, int len)
{
    int error = WSAGetLastError();

    if (want)
        ok(ret == fail_value && error == want, "%s %s len %d: ret %d error %d, expected error %d\n",
           what, af_name(af), len, ret, error, want);
    else
        ok(ret != fail_value, "%s %s len %d: ret %d error %d, expected success\n", what, af_name(af), len, ret, error);
}

static void test_bind(int af)
{
    unsigned char buf[128];
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(lengths); i++)
    {
        SOCKET s = socket(af, SOCK_DGRAM, 0);
        int ret;

        loopback(af, 0, buf);
        WSASetLastError(0xdeadbeef);
        ret = bind(s, (struct sockaddr *)buf, lengths[i]);
        check(ret, SOCKET_ERROR, expected(af, lengths[i]), "bind", af, lengths[i]);
        closesocket(s);
    }
}

/*
 * A family the socket does not have.  bind's page names WSAEFAULT ("the first
 * two bytes ... do not match the address family associated with the
 * socket"), connect's both WSAEFAULT and WSAEAFNOSUPPORT ("addresses in the
 * specified family cannot be used with this socket"): either is taken.  A
 * length too short for the socket's own family is WSAEFAULT in any case.
 */
static void test_bind_family(void)
{
    unsigned char buf[128];
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    int ret, error;

    loopback(AF_INET6, 0, buf);
    WSASetLastError(0xdeadbeef);
    ret = bind(s, (struct sockaddr *)buf, sizeof(struct sockaddr_in6));
    error = WSAGetLastError();
    ok(ret == SOCKET_ERROR && (error == WSAEAFNOSUPPORT || error == WSAEFAULT), "IPv6 address on IPv4: %d error %d\n",
       ret, error);
    loopback(AF_INET, 0, buf);
    ((struct sockaddr *)buf)->sa_family = 0x1234;
    WSASetLastError(0xdeadbeef);
    ret = bind(s, (struct sockaddr *)buf, sizeof(struct sockaddr_in));
    error = WSAGetLastError();
    ok(ret == SOCKET_ERROR && (error == WSAEAFNOSUPPORT || error == WSAEFAULT), "family 0x1234: %d error %d\n",
       ret, error);
    closesocket(s);
    s = socket(AF_INET6, SOCK_DGRAM, 0);
    loopback(AF_INET, 0, buf);
    WSASetLastError(0xdeadbeef);
    ret = bind(s, (struct sockaddr *)buf, sizeof(struct sockaddr_in));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "IPv4 address on IPv6: %d error %d\n",
       ret, WSAGetLastError());
    closesocket(s);
}

enum connect_kind
{
    CONNECT,
    WSACONNECT,
    CONNECTEX
};

static int do_connect(enum connect_kind kind, int af, SOCKET s, const unsigned char *addr, int len)
{
    unsigned char any[128];
    OVERLAPPED ov;
    DWORD bytes;
    int ret;

    if (kind == CONNECT) return connect(s, (const struct sockaddr *)addr, len);
    if (kind == WSACONNECT) return WSAConnect(s, (const struct sockaddr *)addr, len, NULL, NULL, NULL, NULL);
    loopback(af, 0, any);
    if (bind(s, (struct sockaddr *)any, full_size(af))) return SOCKET_ERROR;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ret = pConnectEx(s, (const struct sockaddr *)addr, len, NULL, 0, NULL, &ov);
    if (!ret && WSAGetLastError() == ERROR_IO_PENDING)
        ret = GetOverlappedResult((HANDLE)s, &ov, &bytes, TRUE);
    CloseHandle(ov.hEvent);
    return ret ? 0 : SOCKET_ERROR;
}

static void test_connect(int af, enum connect_kind kind, const char *what)
{
    struct sockaddr_storage addr;
    unsigned char buf[128];
    int addrlen, ret;
    unsigned int i;
    SOCKET listener = wstest_listener(af, &addr, &addrlen), s, peer;
    u_long one = 1;

    if (listener == INVALID_SOCKET) return skip("%s: no %s listener\n", what, af_name(af));
    ioctlsocket(listener, FIONBIO, &one);
    for (i = 0; i < ARRAY_SIZE(lengths); i++)
    {
        s = socket(af, SOCK_STREAM, 0);
        loopback(af, ((struct sockaddr_in *)&addr)->sin_port, buf);
        WSASetLastError(0xdeadbeef);
        ret = do_connect(kind, af, s, buf, lengths[i]);
        check(ret, SOCKET_ERROR, expected(af, lengths[i]), what, af, lengths[i]);
        closesocket(s);
        if (!ret && wstest_wait_readable(listener, 2000))
            while ((peer = accept(listener, NULL, NULL)) != INVALID_SOCKET) closesocket(peer);
    }
    closesocket(listener);
}

/* A UDP socket bound to loopback; its address to *addr. */
static SOCKET udp_socket(int af, unsigned char *addr)
{
    SOCKET s = socket(af, SOCK_DGRAM, 0);
    int len = 128;

    loopback(af, 0, addr);
    if (s == INVALID_SOCKET || bind(s, (struct sockaddr *)addr, full_size(af)) ||
        getsockname(s, (struct sockaddr *)addr, &len))
    {
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

/* Read whatever datagrams are waiting, without blocking. */
static void drain(SOCKET s)
{
    char buf[16];

    while (wstest_wait_readable(s, 100) && recv(s, buf, sizeof(buf), 0) >= 0)
        ;
}

static void test_sendto(int af, int wsa)
{
    const char *what = wsa ? "WSASendTo" : "sendto";
    unsigned char addr[128], buf[128];
    WSABUF wsabuf = { 1, (char *)"x" };
    SOCKET rx = udp_socket(af, addr), tx = socket(af, SOCK_DGRAM, 0);
    unsigned int i;
    DWORD sent;
    int ret;

    if (rx == INVALID_SOCKET) return skip("%s: no %s socket\n", what, af_name(af));
    for (i = 0; i < ARRAY_SIZE(lengths); i++)
    {
        memcpy(buf, addr, sizeof(buf));
        WSASetLastError(0xdeadbeef);
        if (wsa) ret = WSASendTo(tx, &wsabuf, 1, &sent, 0, (struct sockaddr *)buf, lengths[i], NULL, NULL);
        else ret = sendto(tx, "x", 1, 0, (struct sockaddr *)buf, lengths[i]);
        check(ret, SOCKET_ERROR, expected(af, lengths[i]), what, af, lengths[i]);
        drain(rx);
    }
    closesocket(tx);
    closesocket(rx);
}

static void test_getnameinfo(int af)
{
    unsigned char buf[128];
    char host[64], serv[16];
    unsigned int i;
    int ret;

    for (i = 0; i < ARRAY_SIZE(lengths); i++)
    {
        loopback(af, htons(80), buf);
        WSASetLastError(0xdeadbeef);
        ret = getnameinfo((struct sockaddr *)buf, lengths[i], host, sizeof(host), serv, sizeof(serv),
                          NI_NUMERICHOST | NI_NUMERICSERV);
        if (expected(af, lengths[i]))
            ok(ret == WSAEFAULT && WSAGetLastError() == WSAEFAULT, "getnameinfo %s len %d: %d error %d\n",
               af_name(af), lengths[i], ret, WSAGetLastError());
        else
            ok(!ret && !strcmp(host, af == AF_INET ? "127.0.0.1" : "::1") && !strcmp(serv, "80"),
               "getnameinfo %s len %d: %d %s %s\n", af_name(af), lengths[i], ret, host, serv);
    }
}

static void test_address_to_string(int af)
{
    unsigned char buf[128];
    char text[64];
    WCHAR textw[64];
    unsigned int i;
    DWORD len;
    int ret, want;

    for (i = 0; i < ARRAY_SIZE(lengths); i++)
    {
        want = expected(af, lengths[i]) ? WSAEINVAL : 0;
        loopback(af, 0, buf);
        len = sizeof(text);
        WSASetLastError(0xdeadbeef);
        ret = WSAAddressToStringA((struct sockaddr *)buf, lengths[i], NULL, text, &len);
        check(ret, SOCKET_ERROR, want, "WSAAddressToStringA", af, lengths[i]);
        len = ARRAY_SIZE(textw);
        WSASetLastError(0xdeadbeef);
        ret = WSAAddressToStringW((struct sockaddr *)buf, lengths[i], NULL, textw, &len);
        check(ret, SOCKET_ERROR, want, "WSAAddressToStringW", af, lengths[i]);
    }
}

/* The length written back on success, and the error for a short room. */
static void check_out(int ret, int fail_value, int len, int af, int room, const char *what)
{
    if (room < full_size(af))
        ok(ret == fail_value && WSAGetLastError() == WSAEFAULT, "%s %s room %d: ret %d error %d\n", what,
           af_name(af), room, ret, WSAGetLastError());
    else
        ok(ret != fail_value && len == full_size(af), "%s %s room %d: ret %d error %d len %d\n", what,
           af_name(af), room, ret, WSAGetLastError(), len);
}

static void test_names(int af)
{
    struct sockaddr_storage addr;
    unsigned char buf[128];
    int addrlen, len, ret;
    unsigned int i;
    SOCKET listener = wstest_listener(af, &addr, &addrlen), client, peer;
    u_long one = 1;

    if (listener == INVALID_SOCKET) return skip("no %s listener\n", af_name(af));
    ioctlsocket(listener, FIONBIO, &one);
    for (i = 0; i < ARRAY_SIZE(lengths); i++)
    {
        client = socket(af, SOCK_STREAM, 0);
        ret = connect(client, (struct sockaddr *)&addr, addrlen);
        ok(!ret, "connect: %d\n", WSAGetLastError());
        wstest_wait_readable(listener, 2000);
        len = lengths[i];
        WSASetLastError(0xdeadbeef);
        peer = accept(listener, (struct sockaddr *)buf, &len);
        check_out(peer == INVALID_SOCKET ? -1 : 0, -1, len, af, lengths[i], "accept");
        if (peer == INVALID_SOCKET) peer = accept(listener, NULL, NULL);

        len = lengths[i];
        WSASetLastError(0xdeadbeef);
        ret = getsockname(client, (struct sockaddr *)buf, &len);
        check_out(ret, SOCKET_ERROR, len, af, lengths[i], "getsockname");
        len = lengths[i];
        WSASetLastError(0xdeadbeef);
        ret = getpeername(client, (struct sockaddr *)buf, &len);
        check_out(ret, SOCKET_ERROR, len, af, lengths[i], "getpeername");
        closesocket(peer);
        closesocket(client);
    }
    closesocket(listener);
}

static void test_recvfrom(int af)
{
    unsigned char addr[128], buf[128];
    SOCKET rx = udp_socket(af, addr), tx = socket(af, SOCK_DGRAM, 0);
    char data[16];
    unsigned int i;
    int len, ret;

    if (rx == INVALID_SOCKET) return skip("recvfrom: no %s socket\n", af_name(af));
    for (i = 0; i < ARRAY_SIZE(lengths); i++)
    {
        ret = sendto(tx, "x", 1, 0, (struct sockaddr *)addr, full_size(af));
        ok(ret == 1, "sendto: %d error %d\n", ret, WSAGetLastError());
        wstest_wait_readable(rx, 2000);
        len = lengths[i];
        WSASetLastError(0xdeadbeef);
        ret = recvfrom(rx, data, sizeof(data), 0, (struct sockaddr *)buf, &len);
        check_out(ret, SOCKET_ERROR, len, af, lengths[i], "recvfrom");
        drain(rx);
    }
    closesocket(tx);
    closesocket(rx);
}

START_TEST(addrlen)
{
    GUID guid = WSAID_CONNECTEX;
    WSADATA data;
    DWORD bytes;
    SOCKET s;
    int af;

    ok(!WSAStartup(MAKEWORD(2, 2), &data), "WSAStartup failed\n");
    s = socket(AF_INET, SOCK_STREAM, 0);
    WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &pConnectEx, sizeof(pConnectEx), &bytes,
             NULL, NULL);
    closesocket(s);
    ok(pConnectEx != NULL, "no ConnectEx\n");

    for (af = AF_INET; af; af = af == AF_INET ? AF_INET6 : 0)
    {
        test_bind(af);
        test_connect(af, CONNECT, "connect");
        test_connect(af, WSACONNECT, "WSAConnect");
        if (pConnectEx) test_connect(af, CONNECTEX, "ConnectEx");
        test_sendto(af, 0);
        test_sendto(af, 1);
        test_getnameinfo(af);
        test_address_to_string(af);
        test_names(af);
        test_recvfrom(af);
    }
    test_bind_family();
    WSACleanup();
}
