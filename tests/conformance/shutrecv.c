/*
 * shutdown(SD_RECEIVE) on a TCP connection, as Windows does it (Microsoft
 * docs of shutdown and recv; observed on Windows 10 and later):
 *  - a receive that starts afterwards fails with WSAESHUTDOWN, every time;
 *  - an overlapped receive that was pending before it still completes with
 *    the data the peer sends afterwards;
 *  - the socket does not turn readable because of it (select);
 *  - once both sides shut down both directions, getpeername still names
 *    the peer.
 */
#include "wstest.h"

static void test_pending_receive(void)
{
    SOCKET client, server;
    struct sockaddr_storage peer, name;
    char buf[16];
    WSABUF wsabuf = { sizeof(buf), buf };
    WSAOVERLAPPED ov;
    DWORD got, flags = 0;
    fd_set readable;
    struct timeval zero = { 0, 0 };
    int ret, len;

    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        skip("no loopback TCP pair\n");
        return;
    }
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ret = WSARecv(client, &wsabuf, 1, NULL, &flags, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecv: %d, error %d\n", ret,
       WSAGetLastError());

    ret = shutdown(client, SD_RECEIVE);
    ok(!ret, "shutdown: error %d\n", WSAGetLastError());
    FD_ZERO(&readable);
    FD_SET(client, &readable);
    ret = select(0, &readable, NULL, NULL, &zero);
    ok(!ret, "select after SD_RECEIVE: %d\n", ret);

    ret = recv(client, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAESHUTDOWN, "recv after SD_RECEIVE: %d, error %d\n", ret,
       WSAGetLastError());

    ok(send(server, "late", 5, 0) == 5, "send: error %d\n", WSAGetLastError());
    ok(!WaitForSingleObject(ov.hEvent, 5000), "the pending receive did not complete\n");
    ret = WSAGetOverlappedResult(client, &ov, &got, FALSE, &flags);
    ok(ret && got == 5 && !strcmp(buf, "late"), "pending receive: %d, %lu bytes, error %d\n", ret, got,
       WSAGetLastError());

    ret = recv(client, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAESHUTDOWN, "recv again: %d, error %d\n", ret,
       WSAGetLastError());

    /* Both directions of both sides: the names stay. */
    ok(!shutdown(client, SD_SEND), "shutdown client SD_SEND: error %d\n", WSAGetLastError());
    ok(!shutdown(server, SD_BOTH), "shutdown server SD_BOTH: error %d\n", WSAGetLastError());
    Sleep(100);
    len = sizeof(peer);
    ret = getpeername(client, (struct sockaddr *)&peer, &len);
    ok(!ret, "getpeername after shutdown: error %d\n", WSAGetLastError());
    len = sizeof(name);
    ok(!getsockname(server, (struct sockaddr *)&name, &len), "getsockname: error %d\n", WSAGetLastError());
    ok(!ret && !memcmp(&((struct sockaddr_in *)&peer)->sin_port, &((struct sockaddr_in *)&name)->sin_port, 2),
       "getpeername names another port\n");

    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

START_TEST(shutrecv)
{
    WSADATA data;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_pending_receive();

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}
