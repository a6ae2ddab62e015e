/*
 * WSAConnectByNameA/W against a listener of our own on the loopback.
 *
 * Expected values are Windows' own:
 *  - "WSAConnectByNameA function" (Microsoft docs): an unconnected stream
 *    socket is connected to an address of the name and service; TRUE on
 *    success; the local and remote addresses of the connection, with their
 *    lengths, where the caller gives room; Reserved must be NULL.
 *  - Wine's conformance test test_WSAConnectByName (passes on Windows):
 *    NULL node or service, or a non-NULL Reserved, is WSAEINVAL; a datagram
 *    socket is WSAEINVAL (WSAEFAULT on Windows 10 1809 and later); an
 *    unknown service WSATYPE_NOT_FOUND; a length too small for the address
 *    is WSAEFAULT and stays as it was; an address given with no length is
 *    left alone; a length given with no address becomes the address's
 *    size, as does a length larger than needed; the local address comes
 *    back with port 0 and the address of getsockname; the remote one is
 *    getpeername's.
 */
#include "wstest.h"

static SOCKET listener;
static char port[16];

static void start_listener(void)
{
    struct sockaddr_in sin;
    int len = sizeof(sin);

    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(listener, (struct sockaddr *)&sin, sizeof(sin)), "bind: %d\n", WSAGetLastError());
    ok(!listen(listener, 16), "listen: %d\n", WSAGetLastError());
    ok(!getsockname(listener, (struct sockaddr *)&sin, &len), "getsockname: %d\n", WSAGetLastError());
    sprintf(port, "%u", ntohs(sin.sin_port));
}

/* Take the connection the listener got, if any. */
static void drain(void)
{
    u_long one = 1, zero = 0;
    SOCKET s;

    ioctlsocket(listener, FIONBIO, &one);
    while ((s = accept(listener, NULL, NULL)) != INVALID_SOCKET) closesocket(s);
    ioctlsocket(listener, FIONBIO, &zero);
}

static void test_connect(void)
{
    struct sockaddr_in local, remote, name, peer;
    DWORD local_len, remote_len;
    int name_len = sizeof(name), peer_len = sizeof(peer);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct timeval tv = { 10, 0 };
    BOOL ret;

    local_len = remote_len = sizeof(local);
    memset(&local, 0xcc, sizeof(local));
    memset(&remote, 0xcc, sizeof(remote));
    ret = WSAConnectByNameA(s, "127.0.0.1", port, &local_len, (struct sockaddr *)&local, &remote_len,
                            (struct sockaddr *)&remote, &tv, NULL);
    ok(ret, "WSAConnectByNameA(127.0.0.1, %s) failed: %d\n", port, WSAGetLastError());
    if (ret)
    {
        ok(!getsockname(s, (struct sockaddr *)&name, &name_len), "getsockname: %d\n", WSAGetLastError());
        ok(!getpeername(s, (struct sockaddr *)&peer, &peer_len), "getpeername: %d\n", WSAGetLastError());
        ok(local_len == sizeof(local) && remote_len == sizeof(remote), "lengths %lu %lu\n", local_len, remote_len);
        ok(local.sin_family == AF_INET && !local.sin_port && local.sin_addr.s_addr == name.sin_addr.s_addr,
           "local address: family %d port %d\n", local.sin_family, ntohs(local.sin_port));
        ok(!memcmp(&remote, &peer, sizeof(peer)), "remote address is not the peer's\n");
        ok(ntohs(remote.sin_port) == atoi(port), "remote port %d, listener's %s\n", ntohs(remote.sin_port), port);
    }
    closesocket(s);
    drain();

    /* Lengths without addresses become the size; a longer one too. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    local_len = sizeof(local);
    remote_len = 50;
    ret = WSAConnectByNameA(s, "127.0.0.1", port, &local_len, NULL, &remote_len, (struct sockaddr *)&remote, NULL,
                            NULL);
    ok(ret, "WSAConnectByNameA with no local address failed: %d\n", WSAGetLastError());
    ok(local_len == sizeof(local) && remote_len == sizeof(remote), "lengths %lu %lu\n", local_len, remote_len);
    closesocket(s);
    drain();

    /* Addresses without lengths are not written. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&local, 0, sizeof(local));
    memset(&remote, 0, sizeof(remote));
    ret = WSAConnectByNameA(s, "127.0.0.1", port, NULL, (struct sockaddr *)&local, NULL, (struct sockaddr *)&remote,
                            NULL, NULL);
    ok(ret, "WSAConnectByNameA with no lengths failed: %d\n", WSAGetLastError());
    ok(!local.sin_family && !remote.sin_family, "addresses written without lengths\n");
    closesocket(s);
    drain();

    /* The wide form. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    {
        WCHAR wport[16];

        MultiByteToWideChar(CP_ACP, 0, port, -1, wport, 16);
        ret = WSAConnectByNameW(s, L"127.0.0.1", wport, NULL, NULL, NULL, NULL, NULL, NULL);
        ok(ret, "WSAConnectByNameW failed: %d\n", WSAGetLastError());
    }
    closesocket(s);
    drain();
}

static void test_errors(void)
{
    struct sockaddr_in local, remote;
    DWORD local_len = 3, remote_len = 3;
    WSAOVERLAPPED ov;
    SOCKET s;
    BOOL ret;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ret = WSAConnectByNameA(s, "127.0.0.1", port, &local_len, (struct sockaddr *)&local, &remote_len,
                            (struct sockaddr *)&remote, NULL, NULL);
    ok(!ret && WSAGetLastError() == WSAEFAULT, "short lengths: %d, error %d\n", ret, WSAGetLastError());
    ok(local_len == 3 && remote_len == 3, "short lengths changed to %lu %lu\n", local_len, remote_len);
    closesocket(s);
    drain();

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ret = WSAConnectByNameA(s, NULL, port, NULL, NULL, NULL, NULL, NULL, NULL);
    ok(!ret && WSAGetLastError() == WSAEINVAL, "NULL node: %d, error %d\n", ret, WSAGetLastError());
    ret = WSAConnectByNameA(s, "127.0.0.1", NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    ok(!ret && WSAGetLastError() == WSAEINVAL, "NULL service: %d, error %d\n", ret, WSAGetLastError());
    memset(&ov, 0, sizeof(ov));
    ret = WSAConnectByNameA(s, "127.0.0.1", port, NULL, NULL, NULL, NULL, NULL, &ov);
    ok(!ret && WSAGetLastError() == WSAEINVAL, "Reserved set: %d, error %d\n", ret, WSAGetLastError());
    ret = WSAConnectByNameA(s, "127.0.0.1", "no-such-service-anywhere", NULL, NULL, NULL, NULL, NULL, NULL);
    ok(!ret && WSAGetLastError() == WSATYPE_NOT_FOUND, "unknown service: %d, error %d\n", ret, WSAGetLastError());
    closesocket(s);

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ret = WSAConnectByNameA(s, "127.0.0.1", port, NULL, NULL, NULL, NULL, NULL, NULL);
    ok(!ret && (WSAGetLastError() == WSAEINVAL || WSAGetLastError() == WSAEFAULT), "UDP socket: %d, error %d\n",
       ret, WSAGetLastError());
    closesocket(s);
}

START_TEST(connectbyname)
{
    WSADATA data;

    ok(!WSAStartup(MAKEWORD(2, 2), &data), "WSAStartup failed\n");
    start_listener();
    test_connect();
    test_errors();
    closesocket(listener);
    WSACleanup();
}
