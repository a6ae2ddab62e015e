/*
 * Option rows that depend on the socket's family or type, or on the value:
 *  - IP_HDRINCL belongs to raw sockets: on TCP and UDP sockets of either
 *    family, getsockopt and setsockopt fail with WSAEINVAL (not
 *    WSAENOPROTOOPT) and leave the buffer alone;
 *  - SO_BSP_STATE fills the caller's buffer but leaves *optlen as given;
 *  - IP_MTU_DISCOVER / IPV6_MTU_DISCOVER: what a new socket reads cannot be
 *    set back (WSAEINVAL); IP_PMTUDISC_DO and IP_PMTUDISC_DONT can;
 *  - SO_CONNECT_TIME on a UDP socket answers 0xffffffff, connected or not;
 *  - IPV6_V6ONLY on an IPv4 socket reads 1 at first, takes 0 and 1 until
 *    the socket is bound, and is refused afterwards.
 * Expected values are Windows' own, as Wine's tests test_set_getsockopt,
 * test_sockopt_validity, test_connect_time and test_ipv6only record them.
 */
#include "wstest.h"

#ifndef IP_MTU_DISCOVER
#define IP_MTU_DISCOVER 71
#endif
#ifndef IPV6_MTU_DISCOVER
#define IPV6_MTU_DISCOVER 71
#endif
#ifndef SO_BSP_STATE
#define SO_BSP_STATE 0x1009
#endif
#ifndef SO_CONNECT_TIME
#define SO_CONNECT_TIME 0x700C
#endif

static void test_hdrincl(void)
{
    static const int families[] = { AF_INET, AF_INET6 }, types[] = { SOCK_STREAM, SOCK_DGRAM };
    unsigned int f, t;

    for (f = 0; f < ARRAY_SIZE(families); f++)
        for (t = 0; t < ARRAY_SIZE(types); t++)
        {
            SOCKET s = socket(families[f], types[t], 0);
            DWORD value = 1;
            int len = sizeof(value), ret;

            if (s == INVALID_SOCKET)
            {
                skip("no socket of family %d type %d\n", families[f], types[t]);
                continue;
            }
            WSASetLastError(0xdead);
            ret = setsockopt(s, IPPROTO_IP, IP_HDRINCL, (const char *)&value, sizeof(value));
            ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "af %d type %d: set %d, error %d\n",
               families[f], types[t], ret, WSAGetLastError());
            value = 99;
            WSASetLastError(0xdead);
            ret = getsockopt(s, IPPROTO_IP, IP_HDRINCL, (char *)&value, &len);
            ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "af %d type %d: get %d, error %d\n",
               families[f], types[t], ret, WSAGetLastError());
            ok(value == 99 && len == sizeof(value), "af %d type %d: value %lu, len %d\n", families[f], types[t],
               value, len);
            closesocket(s);
        }
}

static void test_bsp_state_length(void)
{
    union
    {
        CSADDR_INFO info;
        char space[200];
    } buf;
    struct sockaddr_in sin = { 0 };
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int len, ret;

    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ret = bind(s, (struct sockaddr *)&sin, sizeof(sin));
    ok(!ret, "bind: %d\n", WSAGetLastError());
    len = sizeof(buf);
    memset(&buf, 0, sizeof(buf));
    ret = getsockopt(s, SOL_SOCKET, SO_BSP_STATE, (char *)&buf, &len);
    ok(!ret, "SO_BSP_STATE: %d\n", WSAGetLastError());
    ok(len == sizeof(buf), "optlen became %d\n", len);
    ok(buf.info.LocalAddr.iSockaddrLength == sizeof(sin), "local address length %d\n",
       buf.info.LocalAddr.iSockaddrLength);
    ok(buf.info.iSocketType == SOCK_STREAM, "type %d\n", buf.info.iSocketType);
    closesocket(s);
}

static void test_mtu_discover(int af)
{
    int level = af == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
    int name = af == AF_INET6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER;
    SOCKET s = socket(af, SOCK_DGRAM, 0);
    DWORD value = 0xdeadbeef, i;
    int len = sizeof(value), ret;

    if (s == INVALID_SOCKET)
    {
        skip("no UDP socket of family %d\n", af);
        return;
    }
    ret = getsockopt(s, level, name, (char *)&value, &len);
    ok(!ret, "af %d: get: %d\n", af, WSAGetLastError());
    /* What a new socket reads is no state one can ask for. */
    WSASetLastError(0xdead);
    ret = setsockopt(s, level, name, (const char *)&value, sizeof(value));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "af %d: setting back %lu: %d, error %d\n", af, value,
       ret, WSAGetLastError());

    for (i = 1; i <= 2; i++) /* IP_PMTUDISC_DO, IP_PMTUDISC_DONT */
    {
        value = i;
        ret = setsockopt(s, level, name, (const char *)&value, sizeof(value));
        ok(!ret, "af %d: state %lu: %d\n", af, i, WSAGetLastError());
        value = 0xdeadbeef;
        len = sizeof(value);
        getsockopt(s, level, name, (char *)&value, &len);
        ok(value == i, "af %d: state %lu reads back as %lu\n", af, i, value);
    }
    closesocket(s);
}

static void test_connect_time_udp(void)
{
    struct sockaddr_in sin = { 0 };
    SOCKET server = socket(AF_INET, SOCK_DGRAM, 0), client = socket(AF_INET, SOCK_DGRAM, 0);
    int len = sizeof(sin), ret;
    DWORD value;

    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(server, (struct sockaddr *)&sin, sizeof(sin));
    getsockname(server, (struct sockaddr *)&sin, &len);

    value = 0;
    len = sizeof(value);
    ret = getsockopt(client, SOL_SOCKET, SO_CONNECT_TIME, (char *)&value, &len);
    ok(!ret && value == 0xffffffff, "unconnected: %d, error %d, value %#lx\n", ret, WSAGetLastError(), value);

    ret = connect(client, (struct sockaddr *)&sin, sizeof(sin));
    ok(!ret, "connect: %d\n", WSAGetLastError());
    value = 0;
    len = sizeof(value);
    ret = getsockopt(client, SOL_SOCKET, SO_CONNECT_TIME, (char *)&value, &len);
    ok(!ret && value == 0xffffffff && len == sizeof(value), "connected: %d, error %d, value %#lx, len %d\n", ret,
       WSAGetLastError(), value, len);
    closesocket(client);
    closesocket(server);
}

static DWORD get_v6only(SOCKET s, int *ret)
{
    DWORD value = 2;
    int len = sizeof(value);

    *ret = getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&value, &len);
    return value;
}

static void test_v6only_on_ipv4(void)
{
    struct sockaddr_in sin = { 0 };
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    DWORD value;
    int ret;

    value = get_v6only(s, &ret);
    ok(!ret && value == 1, "new socket: %d, error %d, value %lu\n", ret, WSAGetLastError(), value);
    value = 0;
    ret = setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&value, sizeof(value));
    ok(!ret, "set 0: %d\n", WSAGetLastError());
    value = get_v6only(s, &ret);
    ok(!ret && value == 0, "after 0: %d, value %lu\n", ret, value);
    value = 1;
    ret = setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&value, sizeof(value));
    ok(!ret, "set 1: %d\n", WSAGetLastError());

    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ret = bind(s, (struct sockaddr *)&sin, sizeof(sin));
    ok(!ret, "bind: %d\n", WSAGetLastError());
    value = 0;
    ret = setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&value, sizeof(value));
    ok(ret == SOCKET_ERROR, "set once bound: %d\n", ret);
    value = get_v6only(s, &ret);
    ok(!ret && value == 1, "once bound: %d, value %lu\n", ret, value);
    closesocket(s);
}

START_TEST(optrows)
{
    WSADATA data;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_hdrincl();
    test_bsp_state_length();
    test_mtu_discover(AF_INET);
    test_mtu_discover(AF_INET6);
    test_connect_time_udp();
    test_v6only_on_ipv4();

    WSACleanup();
}
