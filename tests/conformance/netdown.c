/* ws2test-env: WS2SERVER=/nonexistent WS2TEST_EXPECT_NETDOWN=1 */
/*
 * Behaviour when the network subsystem cannot be reached.
 *
 * The test runner starts this program with WS2SERVER pointing at a file
 * that does not exist, so the DLL cannot start its socket server, and sets
 * WS2TEST_EXPECT_NETDOWN.  Then:
 *  - WSAStartup still succeeds (it only negotiates the version);
 *  - socket creation fails with WSAENETDOWN ("The network subsystem or the
 *    associated service provider has failed", listed for socket/WSASocket
 *    in Microsoft's docs), within a bounded time;
 *  - closesocket of a value that is no socket fails (WSAENOTSOCK or
 *    WSAENETDOWN), and nothing hangs;
 *  - WSACleanup succeeds.
 * Without WS2TEST_EXPECT_NETDOWN (for example on Windows, where the
 * network is up) the checks are skipped.
 */
#include "wstest.h"

#define LIMIT_MS 15000

START_TEST(netdown)
{
    ULONGLONG start, elapsed;
    const char *expect = getenv("WS2TEST_EXPECT_NETDOWN");
    WSADATA data;
    SOCKET s;
    int ret, error;

    if (!expect || !*expect || !strcmp(expect, "0"))
    {
        skip("WS2TEST_EXPECT_NETDOWN is not set: the network is expected to be up\n");
        return;
    }

    start = wstest_ticks();
    ret = WSAStartup(MAKEWORD(2, 2), &data);
    elapsed = wstest_ticks() - start;
    ok(ret == 0, "WSAStartup returned %d\n", ret);
    ok(elapsed < LIMIT_MS, "WSAStartup took %llu ms\n", (unsigned long long)elapsed);
    if (ret) return;
    ok(data.wVersion == MAKEWORD(2, 2), "wVersion %#x\n", data.wVersion);

    start = wstest_ticks();
    WSASetLastError(0xdead);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    error = WSAGetLastError();
    elapsed = wstest_ticks() - start;
    ok(s == INVALID_SOCKET, "socket succeeded without a network\n");
    ok(error == WSAENETDOWN, "socket: error %d, expected WSAENETDOWN\n", error);
    ok(elapsed < LIMIT_MS, "socket took %llu ms\n", (unsigned long long)elapsed);
    trace("socket failed after %llu ms\n", (unsigned long long)elapsed);
    if (s != INVALID_SOCKET) closesocket(s);

    /* a second attempt fails the same way, and as quickly */
    start = wstest_ticks();
    WSASetLastError(0xdead);
    s = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    error = WSAGetLastError();
    elapsed = wstest_ticks() - start;
    ok(s == INVALID_SOCKET, "WSASocketW succeeded without a network\n");
    ok(error == WSAENETDOWN, "WSASocketW: error %d, expected WSAENETDOWN\n", error);
    ok(elapsed < LIMIT_MS, "WSASocketW took %llu ms\n", (unsigned long long)elapsed);
    trace("WSASocketW failed after %llu ms\n", (unsigned long long)elapsed);
    if (s != INVALID_SOCKET) closesocket(s);

    start = wstest_ticks();
    WSASetLastError(0xdead);
    ret = closesocket((SOCKET)0x1234);
    error = WSAGetLastError();
    elapsed = wstest_ticks() - start;
    ok(ret == SOCKET_ERROR, "closesocket of a random value returned %d\n", ret);
    ok(error == WSAENOTSOCK || error == WSAENETDOWN, "closesocket of a random value: error %d\n", error);
    ok(elapsed < LIMIT_MS, "closesocket took %llu ms\n", (unsigned long long)elapsed);
    trace("closesocket failed with %d after %llu ms\n", error, (unsigned long long)elapsed);

    start = wstest_ticks();
    ret = WSACleanup();
    elapsed = wstest_ticks() - start;
    ok(ret == 0, "WSACleanup returned %d, error %d\n", ret, WSAGetLastError());
    ok(elapsed < LIMIT_MS, "WSACleanup took %llu ms\n", (unsigned long long)elapsed);
}
