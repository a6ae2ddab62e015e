/*
 * WSAStartup / WSACleanup: version negotiation, the WSADATA contents, the
 * start-up count, what happens to sockets at the last WSACleanup, and the
 * per-thread WSAGetLastError / WSASetLastError value.
 *
 * Expected values are Windows' own:
 *  - "WSAStartup function" (Microsoft docs): the return value is the error
 *    code; WSAEFAULT when lpWSAData is not a valid pointer; WSAVERNOTSUPPORTED
 *    when the requested version is below the lowest one supported; Ws2_32.dll
 *    supports 1.0, 1.1, 2.0, 2.1 and 2.2; wVersion is the version the caller
 *    should use (the requested one, capped at 2.2), wHighVersion 2.2.
 *  - the ReactOS API test of WSAStartup (run against Windows): major version
 *    0 is refused; 1.0 .. 2.2 come back unchanged; higher requests give 2.2;
 *    szDescription "WinSock 2.0", szSystemStatus "Running"; iMaxSockets and
 *    iMaxUdpDg are 0 for version 2; WSAStartup(2.2, NULL) returns WSAEFAULT
 *    and leaves Winsock uninitialised.
 *  - Wine's conformance test test_startup (passes on Windows): lpVendorInfo
 *    is left as it was; a successful WSACleanup sets the error to 0; with no WSADATA a major version 0 is still
 *    WSAVERNOTSUPPORTED, any other WSAEFAULT.
 *  - "WSACleanup function": an unbalanced call fails with WSANOTINITIALISED;
 *    only the last call of a nested sequence cleans up.
 *  - Wine's conformance test test_WithWSAStartup (passes on Windows): after the
 *    last WSACleanup the process's sockets are gone and a later call on one
 *    fails with WSAENOTSOCK.
 *  - "WSASetLastError function": sets the value WSAGetLastError returns for
 *    the current thread.
 */
#include "wstest.h"

static int winsock_usable(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    if (s == INVALID_SOCKET) return 0;
    closesocket(s);
    return 1;
}

static void test_before_startup(void)
{
    SOCKET s;
    int ret;

    WSASetLastError(0xdead);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s == INVALID_SOCKET, "socket before WSAStartup succeeded\n");
    ok(WSAGetLastError() == WSANOTINITIALISED, "socket: got error %d\n", WSAGetLastError());
    if (s != INVALID_SOCKET) closesocket(s);

    WSASetLastError(0xdead);
    s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, 0);
    ok(s == INVALID_SOCKET, "WSASocketW before WSAStartup succeeded\n");
    ok(WSAGetLastError() == WSANOTINITIALISED, "WSASocketW: got error %d\n", WSAGetLastError());
    if (s != INVALID_SOCKET) closesocket(s);

    WSASetLastError(0xdead);
    ret = closesocket((SOCKET)0x1234);
    ok(ret == SOCKET_ERROR, "closesocket before WSAStartup returned %d\n", ret);
    ok(WSAGetLastError() == WSANOTINITIALISED, "closesocket: got error %d\n", WSAGetLastError());

    WSASetLastError(0xdead);
    ret = WSACleanup();
    ok(ret == SOCKET_ERROR, "WSACleanup before WSAStartup returned %d\n", ret);
    ok(WSAGetLastError() == WSANOTINITIALISED, "WSACleanup: got error %d\n", WSAGetLastError());
}

static void test_null_data(void)
{
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), NULL);
    ok(ret == WSAEFAULT, "WSAStartup(2.2, NULL) returned %d\n", ret);
    if (!ret) WSACleanup();
    ok(!winsock_usable(), "WSAStartup(2.2, NULL) initialised Winsock\n");
    ok(WSAGetLastError() == WSANOTINITIALISED, "socket: got error %d\n", WSAGetLastError());
}

static void test_versions(void)
{
    static const struct
    {
        BYTE major, minor;
        int result;
        WORD version; /* wVersion on return */
    } tests[] = {
        { 0, 0, WSAVERNOTSUPPORTED, MAKEWORD(2, 2) },
        { 0, 1, WSAVERNOTSUPPORTED, MAKEWORD(2, 2) },
        { 1, 0, 0, MAKEWORD(1, 0) },
        { 1, 1, 0, MAKEWORD(1, 1) },
        { 1, 2, 0, MAKEWORD(1, 1) },
        { 2, 0, 0, MAKEWORD(2, 0) },
        { 2, 1, 0, MAKEWORD(2, 1) },
        { 2, 2, 0, MAKEWORD(2, 2) },
        { 2, 3, 0, MAKEWORD(2, 2) },
        { 3, 0, 0, MAKEWORD(2, 2) },
        { 3, 1, 0, MAKEWORD(2, 2) },
        { 255, 255, 0, MAKEWORD(2, 2) },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        WSADATA data;
        int ret;

        memset(&data, 0x55, sizeof(data));
        data.lpVendorInfo = (char *)&data; /* left alone, whatever the version */
        ret = WSAStartup(MAKEWORD(tests[i].major, tests[i].minor), &data);
        ok(data.lpVendorInfo == (char *)&data, "version %u.%u: lpVendorInfo changed to %p\n", tests[i].major,
           tests[i].minor, data.lpVendorInfo);
        ok(ret == tests[i].result, "version %u.%u: WSAStartup returned %d, expected %d\n",
           tests[i].major, tests[i].minor, ret, tests[i].result);
        ok(data.wVersion == tests[i].version, "version %u.%u: wVersion %#x, expected %#x\n",
           tests[i].major, tests[i].minor, data.wVersion, tests[i].version);
        ok(data.wHighVersion == MAKEWORD(2, 2), "version %u.%u: wHighVersion %#x\n",
           tests[i].major, tests[i].minor, data.wHighVersion);
        ok(!strcmp(data.szDescription, "WinSock 2.0"), "version %u.%u: szDescription \"%.40s\"\n",
           tests[i].major, tests[i].minor, data.szDescription);
        ok(!strcmp(data.szSystemStatus, "Running"), "version %u.%u: szSystemStatus \"%.40s\"\n",
           tests[i].major, tests[i].minor, data.szSystemStatus);
        if (!ret)
        {
            if (LOBYTE(data.wVersion) >= 2)
                ok(!data.iMaxSockets && !data.iMaxUdpDg, "version %u.%u: iMaxSockets %u iMaxUdpDg %u\n",
                   tests[i].major, tests[i].minor, data.iMaxSockets, data.iMaxUdpDg);
            ok(winsock_usable(), "version %u.%u: socket failed after WSAStartup, error %d\n",
               tests[i].major, tests[i].minor, WSAGetLastError());
            WSASetLastError(0xdead);
            ret = WSACleanup();
            ok(!ret, "version %u.%u: WSACleanup returned %d, error %d\n",
               tests[i].major, tests[i].minor, ret, WSAGetLastError());
            ok(!WSAGetLastError(), "version %u.%u: error %d after a successful WSACleanup\n", tests[i].major,
               tests[i].minor, WSAGetLastError());
        }
        ok(!winsock_usable(), "version %u.%u: Winsock still usable after the test\n",
           tests[i].major, tests[i].minor);
        /* No WSADATA: the version is judged first. */
        ret = WSAStartup(MAKEWORD(tests[i].major, tests[i].minor), NULL);
        ok(ret == (tests[i].major ? WSAEFAULT : WSAVERNOTSUPPORTED), "version %u.%u, no WSADATA: returned %d\n",
           tests[i].major, tests[i].minor, ret);
    }
}

static void test_nested(void)
{
    WSADATA data;
    int ret, i;

    for (i = 0; i < 3; i++)
    {
        ret = WSAStartup(MAKEWORD(2, 2), &data);
        ok(!ret, "WSAStartup %d returned %d\n", i, ret);
    }
    for (i = 0; i < 3; i++)
    {
        ok(winsock_usable(), "socket failed with %d of 3 start-ups left, error %d\n",
           3 - i, WSAGetLastError());
        ret = WSACleanup();
        ok(!ret, "WSACleanup %d returned %d, error %d\n", i, ret, WSAGetLastError());
    }
    ok(!winsock_usable(), "socket succeeded after the last WSACleanup\n");
    ok(WSAGetLastError() == WSANOTINITIALISED, "socket: got error %d\n", WSAGetLastError());

    WSASetLastError(0xdead);
    ret = WSACleanup();
    ok(ret == SOCKET_ERROR, "unbalanced WSACleanup returned %d\n", ret);
    ok(WSAGetLastError() == WSANOTINITIALISED, "unbalanced WSACleanup: error %d\n", WSAGetLastError());

    /* a start-up after a complete clean-up works again */
    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup after clean-up returned %d\n", ret);
    ok(winsock_usable(), "socket failed after a new WSAStartup, error %d\n", WSAGetLastError());
    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}

static void test_cleanup_closes_sockets(void)
{
    SOCKET tcp, udp, client, server;
    struct sockaddr_in addr;
    WSADATA data;
    int ret, len;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    tcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(tcp != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ok(udp != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    ret = wstest_tcp_pair(AF_INET, &client, &server);
    ok(!ret, "could not make a connected pair, error %d\n", WSAGetLastError());
    if (!ret)
    {
        ret = send(client, "data", 4, 0);
        ok(ret == 4, "send returned %d, error %d\n", ret, WSAGetLastError());
    }

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d, error %d\n", ret, WSAGetLastError());

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    /* No socket is created before these checks, so no handle value can have
     * been reused for a new socket. */
    if (client != INVALID_SOCKET)
    {
        WSASetLastError(0xdead);
        ret = send(client, "data", 4, 0);
        ok(ret == SOCKET_ERROR, "send on a socket of the previous session returned %d\n", ret);
        ok(WSAGetLastError() == WSAENOTSOCK, "send: got error %d\n", WSAGetLastError());

        WSASetLastError(0xdead);
        len = sizeof(addr);
        ret = getsockname(server, (struct sockaddr *)&addr, &len);
        ok(ret == SOCKET_ERROR, "getsockname on a socket of the previous session returned %d\n", ret);
        ok(WSAGetLastError() == WSAENOTSOCK, "getsockname: got error %d\n", WSAGetLastError());

        WSASetLastError(0xdead);
        ret = closesocket(client);
        ok(ret == SOCKET_ERROR, "closesocket on a socket of the previous session returned %d\n", ret);
        ok(WSAGetLastError() == WSAENOTSOCK, "closesocket: got error %d\n", WSAGetLastError());
        WSASetLastError(0xdead);
        ret = closesocket(server);
        ok(ret == SOCKET_ERROR, "closesocket on a socket of the previous session returned %d\n", ret);
        ok(WSAGetLastError() == WSAENOTSOCK, "closesocket: got error %d\n", WSAGetLastError());
    }
    if (tcp != INVALID_SOCKET)
    {
        WSASetLastError(0xdead);
        ret = closesocket(tcp);
        ok(ret == SOCKET_ERROR, "closesocket on a socket of the previous session returned %d\n", ret);
        ok(WSAGetLastError() == WSAENOTSOCK, "closesocket: got error %d\n", WSAGetLastError());
    }
    if (udp != INVALID_SOCKET)
    {
        WSASetLastError(0xdead);
        ret = closesocket(udp);
        ok(ret == SOCKET_ERROR, "closesocket on a socket of the previous session returned %d\n", ret);
        ok(WSAGetLastError() == WSAENOTSOCK, "closesocket: got error %d\n", WSAGetLastError());
    }

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}

static DWORD WINAPI other_thread_error(void *arg)
{
    int *seen = arg;

    seen[0] = WSAGetLastError();
    WSASetLastError(4321);
    seen[1] = WSAGetLastError();
    return 0;
}

static void test_last_error(void)
{
    WSADATA data;
    HANDLE thread;
    int seen[2] = { -1, -1 };
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    WSASetLastError(12345);
    ok(WSAGetLastError() == 12345, "WSAGetLastError returned %d\n", WSAGetLastError());
    WSASetLastError(WSAEWOULDBLOCK);
    ok(WSAGetLastError() == WSAEWOULDBLOCK, "WSAGetLastError returned %d\n", WSAGetLastError());
    WSASetLastError(0);
    ok(WSAGetLastError() == 0, "WSAGetLastError returned %d\n", WSAGetLastError());

    /* The value belongs to the thread. */
    WSASetLastError(1111);
    thread = CreateThread(NULL, 0, other_thread_error, seen, 0, NULL);
    ok(thread != NULL, "CreateThread failed\n");
    if (thread)
    {
        ok(WaitForSingleObject(thread, 10000) == WAIT_OBJECT_0, "thread did not finish\n");
        CloseHandle(thread);
        ok(seen[0] != 1111, "a new thread saw the other thread's error %d\n", seen[0]);
        ok(seen[1] == 4321, "WSAGetLastError in the thread returned %d\n", seen[1]);
    }
    ok(WSAGetLastError() == 1111, "WSAGetLastError returned %d after another thread set its own\n",
       WSAGetLastError());

    /* A failing call replaces the value. */
    WSASetLastError(12345);
    ret = closesocket(INVALID_SOCKET);
    ok(ret == SOCKET_ERROR, "closesocket(INVALID_SOCKET) returned %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "closesocket(INVALID_SOCKET): got error %d\n", WSAGetLastError());

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}

START_TEST(startup)
{
    test_before_startup();
    test_null_data();
    test_versions();
    test_nested();
    test_cleanup_closes_sockets();
    test_last_error();
}
