/*
 * The Microsoft extension functions, as a program gets them from
 * WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER): AcceptEx,
 * GetAcceptExSockaddrs, ConnectEx, DisconnectEx, TransmitFile, WSARecvMsg
 * and WSASendMsg, used with an OVERLAPPED and an event.
 *
 * Expected values are Windows' own (Microsoft docs of WSAIoctl, AcceptEx,
 * GetAcceptExSockaddrs, ConnectEx, DisconnectEx, TransmitFile, WSARecvMsg,
 * WSASendMsg, closesocket, WSAGetOverlappedResult):
 *  - every GUID gives a function pointer; an unknown GUID fails with
 *    WSAEINVAL, and an output buffer too small for a pointer with WSAEFAULT;
 *  - AcceptEx on a listening socket returns FALSE with ERROR_IO_PENDING
 *    while no connection is there; it completes when one arrives (and, with
 *    a receive length, only once the first data came); the connection is
 *    then behind the accept socket, SO_UPDATE_ACCEPT_CONTEXT works on it,
 *    and GetAcceptExSockaddrs finds the local and remote addresses in the
 *    buffer; AcceptEx on a socket that is not listening fails with WSAEINVAL;
 *  - ConnectEx on an unbound socket fails with WSAEINVAL; on a bound one it
 *    connects, sends the optional buffer, and reports the bytes sent; on a
 *    listener it fails with WSAEINVAL and on a connected socket with
 *    WSAEISCONN, the OVERLAPPED marked pending all the same (Wine's
 *    test_connect records both); without an OVERLAPPED it fails with
 *    ERROR_INVALID_PARAMETER; the buffer may be reused once the call
 *    returned when the connection is to loopback (Wine's test_connect);
 *  - DisconnectEx shuts the sending side: the peer reads the end of stream;
 *  - WSASendMsg/WSARecvMsg carry a datagram with its addresses (and
 *    MSG_TRUNC when it did not fit);
 *  - TransmitFile sends the head, the file's bytes (from the OVERLAPPED's
 *    offset when one is given, to the end of the file when no count is)
 *    and the tail; the OVERLAPPED's offset is still there afterwards (Wine's
 *    test_TransmitFile reads it back, and reads the count with a null
 *    lpdwFlags); on a socket that is not connected (a UDP one, or TCP even
 *    with TF_REUSE_SOCKET) it fails with WSAENOTCONN;
 *  - closing the listening socket ends a pending AcceptEx with
 *    ERROR_OPERATION_ABORTED (WSA_OPERATION_ABORTED);
 *  - after CancelIo the OVERLAPPED may be written and used again at once;
 *    two AcceptEx into one accept socket: the second fails with WSAEINVAL
 *    (Wine's test_AcceptEx does both, and shows what Windows answers);
 *  - closing the accept socket while a connection comes ends the AcceptEx
 *    with an error (Wine's test_completion_port: ERROR_OPERATION_ABORTED or
 *    ERROR_CONNECTION_ABORTED);
 *  - a condition function of WSAAccept that answers CF_DEFER: WSAAccept
 *    fails with WSATRY_AGAIN and the connection stays queued (WSAAccept,
 *    "Remarks").
 * Every wait is bounded.
 */
#include "wstest.h"
#include <mswsock.h>

#define WAIT_MS 10000
#define AREA    (sizeof(struct sockaddr_in) + 16)

static LPFN_ACCEPTEX pAcceptEx;
static LPFN_CONNECTEX pConnectEx;
static LPFN_DISCONNECTEX pDisconnectEx;
static LPFN_GETACCEPTEXSOCKADDRS pGetAcceptExSockaddrs;
static LPFN_TRANSMITFILE pTransmitFile;
static LPFN_WSARECVMSG pWSARecvMsg;
static LPFN_WSASENDMSG pWSASendMsg;

static void *get_pointer(SOCKET s, GUID guid, const char *name)
{
    void *ptr = NULL;
    DWORD len = 0xdeadbeef;
    int ret;

    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &ptr, sizeof(ptr), &len, NULL, NULL);
    ok(!ret, "%s: WSAIoctl returned %d, error %d\n", name, ret, WSAGetLastError());
    ok(ptr != NULL, "%s: no pointer\n", name);
    ok(len == sizeof(ptr), "%s: length %lu\n", name, len);
    return ret ? NULL : ptr;
}

static void test_pointers(void)
{
    GUID unknown = { 0x12345678, 0x1234, 0x5678, { 1, 2, 3, 4, 5, 6, 7, 8 } }, acceptex = WSAID_ACCEPTEX;
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    void *ptr = NULL;
    DWORD len;
    int ret;

    ok(tcp != INVALID_SOCKET && udp != INVALID_SOCKET, "socket failed: %d\n", WSAGetLastError());
    pAcceptEx = get_pointer(tcp, (GUID)WSAID_ACCEPTEX, "AcceptEx");
    pConnectEx = get_pointer(tcp, (GUID)WSAID_CONNECTEX, "ConnectEx");
    pDisconnectEx = get_pointer(tcp, (GUID)WSAID_DISCONNECTEX, "DisconnectEx");
    pGetAcceptExSockaddrs = get_pointer(tcp, (GUID)WSAID_GETACCEPTEXSOCKADDRS, "GetAcceptExSockaddrs");
    pTransmitFile = get_pointer(tcp, (GUID)WSAID_TRANSMITFILE, "TransmitFile");
    pWSARecvMsg = get_pointer(udp, (GUID)WSAID_WSARECVMSG, "WSARecvMsg");
    pWSASendMsg = get_pointer(udp, (GUID)WSAID_WSASENDMSG, "WSASendMsg");

    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(tcp, SIO_GET_EXTENSION_FUNCTION_POINTER, &unknown, sizeof(unknown), &ptr, sizeof(ptr), &len,
                   NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "unknown GUID: %d, error %d\n", ret,
       WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(tcp, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex, sizeof(acceptex), &ptr, sizeof(ptr) - 1,
                   &len, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "small output: %d, error %d\n", ret,
       WSAGetLastError());
    closesocket(tcp);
    closesocket(udp);
}

/* The overlapped call either completed at once or is pending. */
static int started(BOOL ret, const char *what)
{
    int error = WSAGetLastError();

    ok(ret || error == ERROR_IO_PENDING, "%s: returned %d, error %d\n", what, ret, error);
    return ret || error == ERROR_IO_PENDING;
}

static int wait_done(OVERLAPPED *ov, SOCKET s, DWORD *bytes, const char *what)
{
    DWORD flags = 0, wait = WaitForSingleObject(ov->hEvent, WAIT_MS);
    BOOL ret;

    ok(wait == WAIT_OBJECT_0, "%s: wait returned %lu\n", what, wait);
    if (wait != WAIT_OBJECT_0) return 0;
    *bytes = 0xdeadbeef;
    ret = WSAGetOverlappedResult(s, (WSAOVERLAPPED *)ov, bytes, FALSE, &flags);
    ok(ret, "%s: WSAGetOverlappedResult failed, error %d\n", what, WSAGetLastError());
    return ret;
}

static void check_echo(SOCKET a, SOCKET b, const char *what)
{
    char buf[16];

    ok(send(a, "ping", 4, 0) == 4, "%s: send failed, error %d\n", what, WSAGetLastError());
    ok(wstest_recv_exact(b, buf, 4, WAIT_MS) == 4 && !memcmp(buf, "ping", 4), "%s: data did not arrive\n", what);
    ok(send(b, "pong", 4, 0) == 4, "%s: send back failed, error %d\n", what, WSAGetLastError());
    ok(wstest_recv_exact(a, buf, 4, WAIT_MS) == 4 && !memcmp(buf, "pong", 4), "%s: data did not come back\n", what);
}

/* The port of the peer of `s` equals the local port of `client`. */
static int peer_is(SOCKET s, SOCKET client)
{
    struct sockaddr_in peer, name;
    int len = sizeof(peer), len2 = sizeof(name);

    if (getpeername(s, (struct sockaddr *)&peer, &len) || getsockname(client, (struct sockaddr *)&name, &len2))
        return 0;
    return peer.sin_port == name.sin_port;
}

static void test_acceptex(DWORD recv_len)
{
    struct sockaddr *local = NULL, *remote = NULL;
    int local_len = 0, remote_len = 0;
    char buf[64 + 2 * AREA];
    struct wstest_accept a;
    DWORD bytes = 0xdeadbeef;
    BOOL ret;

    if (!pAcceptEx || !pGetAcceptExSockaddrs) return skip("no AcceptEx\n");
    if (!wstest_accept_setup(AF_INET, &a))
    {
        ok(0, "no listener: %d\n", WSAGetLastError());
        return;
    }
    memset(buf, 0xcc, sizeof(buf));

    WSASetLastError(0xdeadbeef);
    ret = pAcceptEx(a.listener, a.acceptor, buf, recv_len, AREA, AREA, &bytes, &a.ov);
    ok(!ret && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx returned %d, error %d\n", ret, WSAGetLastError());
    ok(WaitForSingleObject(a.ov.hEvent, 0) == WAIT_TIMEOUT, "completed without a connection\n");

    ok(!connect(a.client, (struct sockaddr *)&a.addr, a.addrlen), "connect failed, error %d\n", WSAGetLastError());
    if (recv_len)
    {
        ok(WaitForSingleObject(a.ov.hEvent, 300) == WAIT_TIMEOUT, "completed before the first data\n");
        ok(send(a.client, "first data", 10, 0) == 10, "send failed, error %d\n", WSAGetLastError());
    }
    if (wait_done(&a.ov, a.listener, &bytes, "AcceptEx"))
    {
        ok(bytes == (recv_len ? 10u : 0u), "%lu bytes received\n", bytes);
        if (recv_len) ok(!memcmp(buf, "first data", 10), "wrong first data\n");
    }
    ok(!setsockopt(a.acceptor, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&a.listener, sizeof(a.listener)),
       "SO_UPDATE_ACCEPT_CONTEXT failed, error %d\n", WSAGetLastError());

    pGetAcceptExSockaddrs(buf, recv_len, AREA, AREA, &local, &local_len, &remote, &remote_len);
    wstest_check_accept_addrs(&a, local, local_len, remote, remote_len);
    ok(peer_is(a.acceptor, a.client), "getpeername of the accept socket: error %d\n", WSAGetLastError());
    check_echo(a.client, a.acceptor, "AcceptEx");
    wstest_accept_close(&a);
}

static void test_acceptex_errors(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    char buf[2 * AREA];
    OVERLAPPED ov;
    DWORD bytes;
    BOOL ret;

    if (!pAcceptEx) return;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSASetLastError(0xdeadbeef);
    ret = pAcceptEx(s, acceptor, buf, 0, AREA, AREA, &bytes, &ov);
    ok(!ret && WSAGetLastError() == WSAEINVAL, "AcceptEx on a socket not listening: %d, error %d\n", ret,
       WSAGetLastError());
    closesocket(s);
    closesocket(acceptor);
    CloseHandle(ov.hEvent);
}

static void test_acceptex_cancel(void)
{
    struct sockaddr_storage addr;
    SOCKET listener, acceptor;
    char buf[2 * AREA];
    OVERLAPPED ov;
    DWORD bytes = 0, flags = 0, wait;
    int addrlen;
    BOOL ret;

    if (!pAcceptEx) return;
    listener = wstest_listener(AF_INET, &addr, &addrlen);
    acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ret = pAcceptEx(listener, acceptor, buf, 0, AREA, AREA, &bytes, &ov);
    ok(!ret && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx returned %d, error %d\n", ret, WSAGetLastError());
    ok(!closesocket(listener), "closesocket failed, error %d\n", WSAGetLastError());
    wait = WaitForSingleObject(ov.hEvent, WAIT_MS);
    ok(wait == WAIT_OBJECT_0, "AcceptEx did not complete after closesocket: %lu\n", wait);
    SetLastError(0xdeadbeef);
    ret = GetOverlappedResult((HANDLE)acceptor, &ov, &bytes, FALSE);
    ok(!ret && GetLastError() == ERROR_OPERATION_ABORTED, "GetOverlappedResult: %d, error %lu\n", ret,
       GetLastError());
    WSASetLastError(0xdeadbeef);
    ret = WSAGetOverlappedResult(acceptor, (WSAOVERLAPPED *)&ov, &bytes, FALSE, &flags);
    ok(!ret && WSAGetLastError() == WSA_OPERATION_ABORTED, "WSAGetOverlappedResult: %d, error %d\n", ret,
       WSAGetLastError());
    closesocket(acceptor);
    CloseHandle(ov.hEvent);
}

static SOCKET connected_client(const struct sockaddr_storage *addr, int addrlen)
{
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    ok(!connect(client, (const struct sockaddr *)addr, addrlen), "connect failed, error %d\n", WSAGetLastError());
    return client;
}

/*
 * Once CancelIo returns, the OVERLAPPED of the cancelled AcceptEx is the
 * program's again: a program may write into it and start another AcceptEx
 * into the same accept socket at once.  A program may also write Internal
 * while an operation is pending: a second AcceptEx into the same socket is
 * still refused, and the first one still takes the connection.
 */
static void test_acceptex_reuse(void)
{
    struct sockaddr_storage addr;
    SOCKET listener, acceptor, client;
    char buf[2 * AREA];
    OVERLAPPED ov;
    DWORD bytes = 0;
    int addrlen;
    BOOL ret;

    if (!pAcceptEx) return;
    listener = wstest_listener(AF_INET, &addr, &addrlen);
    acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, FALSE, FALSE, NULL);

    ret = pAcceptEx(listener, acceptor, buf, 0, AREA, AREA, &bytes, &ov);
    ok(!ret && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx returned %d, error %d\n", ret, WSAGetLastError());
    ok(CancelIo((HANDLE)listener), "CancelIo failed, error %lu\n", GetLastError());

    ov.Internal = 0x12345678;
    WSASetLastError(0xdeadbeef);
    ret = pAcceptEx(listener, acceptor, buf, 0, AREA, 0, &bytes, &ov);
    ok(!ret && WSAGetLastError() == WSAEFAULT, "AcceptEx without a remote area after CancelIo: %d, error %d\n", ret,
       WSAGetLastError());
    ok(ov.Internal == 0x103 /* STATUS_PENDING */, "Internal %#llx\n", (unsigned long long)ov.Internal);
    WSASetLastError(0xdeadbeef);
    ret = pAcceptEx(listener, acceptor, buf, 0, AREA, AREA, &bytes, NULL);
    ok(!ret && WSAGetLastError() == ERROR_INVALID_PARAMETER, "AcceptEx without an OVERLAPPED: %d, error %d\n", ret,
       WSAGetLastError());

    ret = pAcceptEx(listener, acceptor, buf, 0, AREA, AREA, &bytes, &ov);
    ok(!ret && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx after CancelIo: %d, error %d\n", ret,
       WSAGetLastError());
    ov.Internal = 0x12345678;
    WSASetLastError(0xdeadbeef);
    ret = pAcceptEx(listener, acceptor, buf, 0, AREA, AREA, &bytes, &ov);
    ok(!ret && WSAGetLastError() == WSAEINVAL, "a second AcceptEx into the socket: %d, error %d\n", ret,
       WSAGetLastError());

    client = connected_client(&addr, addrlen);
    if (wait_done(&ov, listener, &bytes, "AcceptEx after CancelIo")) ok(!bytes, "%lu bytes\n", bytes);
    ok(!setsockopt(acceptor, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener, sizeof(listener)),
       "SO_UPDATE_ACCEPT_CONTEXT failed, error %d\n", WSAGetLastError());
    ok(peer_is(acceptor, client), "the accept socket does not hold the connection\n");

    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
    CloseHandle(ov.hEvent);
}

/* Closing the accept socket while a connection is being accepted into it
 * ends the AcceptEx with an error, never with a success. */
static void test_acceptex_close_acceptor(void)
{
    struct sockaddr_storage addr;
    SOCKET listener, acceptor, client;
    char buf[16 + 2 * AREA];
    OVERLAPPED ov;
    DWORD bytes = 0, wait;
    int addrlen, i;
    BOOL ret;

    if (!pAcceptEx) return;
    listener = wstest_listener(AF_INET, &addr, &addrlen);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    for (i = 0; i < 5; i++)
    {
        acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        ret = pAcceptEx(listener, acceptor, buf, 16, AREA, AREA, &bytes, &ov);
        ok(!ret && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx returned %d, error %d\n", ret,
           WSAGetLastError());
        client = connected_client(&addr, addrlen);
        if (i) Sleep(i * 10); /* before and after the connection was taken */
        closesocket(acceptor);
        wait = WaitForSingleObject(ov.hEvent, WAIT_MS);
        ok(wait == WAIT_OBJECT_0, "AcceptEx did not end after closesocket: %lu\n", wait);
        SetLastError(0xdeadbeef);
        ret = GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE);
        ok(!ret && (GetLastError() == ERROR_OPERATION_ABORTED || GetLastError() == ERROR_CONNECTION_ABORTED ||
                    GetLastError() == ERROR_NETNAME_DELETED),
           "%d: GetOverlappedResult: %d, error %lu\n", i, ret, GetLastError());
        closesocket(client);
        /* A connection the AcceptEx did not take may still be queued. */
        while (wstest_wait_readable(listener, 50)) closesocket(accept(listener, NULL, NULL));
    }
    closesocket(listener);
    CloseHandle(ov.hEvent);
}

static int CALLBACK defer_condition(WSABUF *caller, WSABUF *caller_data, QOS *qos, QOS *group_qos, WSABUF *callee,
                                    WSABUF *callee_data, GROUP *group, DWORD_PTR context)
{
    (void)caller, (void)caller_data, (void)qos, (void)group_qos, (void)callee, (void)callee_data, (void)group;
    ++*(int *)context;
    return CF_DEFER;
}

/*
 * WSAAccept with a condition that answers CF_DEFER fails with WSATRY_AGAIN
 * and leaves the connection queued: the next accept returns it, and an
 * AcceptEx started then takes it before a connection that comes later.
 */
static void test_wsaaccept_defer(void)
{
    struct sockaddr_storage addr;
    SOCKET listener, acceptor, client, client2, s;
    char buf[2 * AREA];
    OVERLAPPED ov;
    DWORD bytes = 0;
    int addrlen, calls = 0;
    BOOL ret;

    listener = wstest_listener(AF_INET, &addr, &addrlen);
    client = connected_client(&addr, addrlen);
    ok(wstest_wait_readable(listener, WAIT_MS), "the listener is not readable\n");
    WSASetLastError(0xdeadbeef);
    s = WSAAccept(listener, NULL, NULL, defer_condition, (DWORD_PTR)&calls);
    ok(s == INVALID_SOCKET && WSAGetLastError() == WSATRY_AGAIN, "WSAAccept deferring: %#llx, error %d\n",
       (unsigned long long)s, WSAGetLastError());
    ok(calls == 1, "the condition ran %d times\n", calls);
    s = accept(listener, NULL, NULL);
    ok(s != INVALID_SOCKET, "accept after CF_DEFER failed, error %d\n", WSAGetLastError());
    ok(peer_is(s, client), "accept did not return the deferred connection\n");
    closesocket(s);
    closesocket(client);

    if (!pAcceptEx) goto done;
    client = connected_client(&addr, addrlen);
    ok(wstest_wait_readable(listener, WAIT_MS), "the listener is not readable\n");
    s = WSAAccept(listener, NULL, NULL, defer_condition, (DWORD_PTR)&calls);
    ok(s == INVALID_SOCKET && WSAGetLastError() == WSATRY_AGAIN, "WSAAccept deferring: %#llx, error %d\n",
       (unsigned long long)s, WSAGetLastError());
    acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ret = pAcceptEx(listener, acceptor, buf, 0, AREA, AREA, &bytes, &ov);
    ok(!ret && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx returned %d, error %d\n", ret, WSAGetLastError());
    client2 = connected_client(&addr, addrlen);
    ok(wstest_wait_readable(listener, WAIT_MS), "the listener is not readable\n");
    s = accept(listener, NULL, NULL);
    ok(s != INVALID_SOCKET, "accept failed, error %d\n", WSAGetLastError());
    ok(peer_is(s, client2), "accept did not return the later connection\n");
    if (wait_done(&ov, listener, &bytes, "AcceptEx after CF_DEFER"))
    {
        setsockopt(acceptor, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener, sizeof(listener));
        ok(peer_is(acceptor, client), "AcceptEx did not take the deferred connection\n");
    }
    closesocket(s);
    closesocket(client2);
    closesocket(client);
    closesocket(acceptor);
    CloseHandle(ov.hEvent);
done:
    closesocket(listener);
}

static void test_connectex(const char *data, DWORD data_len)
{
    struct sockaddr_storage addr;
    struct sockaddr_in local;
    SOCKET listener, s, server = INVALID_SOCKET;
    char buf[64];
    OVERLAPPED ov;
    DWORD bytes = 0;
    int addrlen;
    BOOL ret;

    if (!pConnectEx) return skip("no ConnectEx\n");
    listener = wstest_listener(AF_INET, &addr, &addrlen);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);

    WSASetLastError(0xdeadbeef);
    ret = pConnectEx(s, (struct sockaddr *)&addr, addrlen, NULL, 0, &bytes, &ov);
    ok(!ret && WSAGetLastError() == WSAEINVAL, "ConnectEx on an unbound socket: %d, error %d\n", ret,
       WSAGetLastError());

    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(s, (struct sockaddr *)&local, sizeof(local)), "bind failed, error %d\n", WSAGetLastError());
    ret = pConnectEx(s, (struct sockaddr *)&addr, addrlen, (void *)data, data_len, &bytes, &ov);
    if (started(ret, "ConnectEx") && wait_done(&ov, s, &bytes, "ConnectEx"))
        ok(bytes == data_len, "%lu bytes sent, want %lu\n", bytes, data_len);
    ok(!setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0),
       "SO_UPDATE_CONNECT_CONTEXT failed, error %d\n", WSAGetLastError());
    if (wstest_wait_readable(listener, WAIT_MS)) server = accept(listener, NULL, NULL);
    ok(server != INVALID_SOCKET, "accept failed, error %d\n", WSAGetLastError());
    if (server != INVALID_SOCKET)
    {
        if (data_len)
            ok(wstest_recv_exact(server, buf, data_len, WAIT_MS) == (int)data_len && !memcmp(buf, data, data_len),
               "the send buffer did not arrive\n");
        check_echo(s, server, "ConnectEx");
        closesocket(server);
    }
    closesocket(s);
    closesocket(listener);
    CloseHandle(ov.hEvent);
}

/* What ConnectEx refuses, and when it takes its data. */
static void test_connectex_checks(void)
{
    struct sockaddr_storage addr;
    struct sockaddr_in local;
    SOCKET listener, s, server;
    OVERLAPPED ov;
    DWORD bytes;
    char data[4] = "abc", buf[4];
    int addrlen;
    BOOL ret;

    if (!pConnectEx) return;
    listener = wstest_listener(AF_INET, &addr, &addrlen);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);

    /* A listener: refused, with the OVERLAPPED already marked pending. */
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = pConnectEx(listener, (struct sockaddr *)&addr, addrlen, NULL, 0, &bytes, &ov);
    ok(!ret && WSAGetLastError() == WSAEINVAL, "ConnectEx on a listener: %d, error %d\n", ret, WSAGetLastError());
    ok(ov.Internal == 0x103 /* STATUS_PENDING */, "Internal %#llx\n", (unsigned long long)ov.Internal);

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(s, (struct sockaddr *)&local, sizeof(local)), "bind failed, error %d\n", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = pConnectEx(s, (struct sockaddr *)&addr, addrlen, NULL, 0, &bytes, NULL);
    ok(!ret && WSAGetLastError() == ERROR_INVALID_PARAMETER, "ConnectEx without an OVERLAPPED: %d, error %d\n", ret,
       WSAGetLastError());

    /* The buffer is free again once the call returned (loopback connects
     * at once): what arrives is what it held then. */
    ret = pConnectEx(s, (struct sockaddr *)&addr, addrlen, data, 3, &bytes, &ov);
    memset(data, 'x', 3);
    if (started(ret, "ConnectEx") && wait_done(&ov, s, &bytes, "ConnectEx")) ok(bytes == 3, "%lu bytes sent\n", bytes);
    server = wstest_wait_readable(listener, WAIT_MS) ? accept(listener, NULL, NULL) : INVALID_SOCKET;
    ok(server != INVALID_SOCKET, "accept failed, error %d\n", WSAGetLastError());
    if (server != INVALID_SOCKET)
    {
        ok(wstest_recv_exact(server, buf, 3, WAIT_MS) == 3 && !memcmp(buf, "abc", 3),
           "the data was not what the call was given\n");
        closesocket(server);
    }

    /* Connected: WSAEISCONN, again marked pending first. */
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = pConnectEx(s, (struct sockaddr *)&addr, addrlen, NULL, 0, &bytes, &ov);
    ok(!ret && WSAGetLastError() == WSAEISCONN, "ConnectEx when connected: %d, error %d\n", ret, WSAGetLastError());
    ok(ov.Internal == 0x103 /* STATUS_PENDING */, "Internal %#llx\n", (unsigned long long)ov.Internal);

    closesocket(s);
    closesocket(listener);
    CloseHandle(ov.hEvent);
}

/* A connection nobody accepts: the error comes through the OVERLAPPED. */
static void test_connectex_refused(void)
{
    struct sockaddr_in addr, local;
    SOCKET s, closed;
    OVERLAPPED ov;
    DWORD bytes = 0, flags = 0, wait;
    int len = sizeof(addr);
    BOOL ret;

    if (!pConnectEx) return;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    local = addr;
    /* A port that was just free: bound, named, closed. */
    closed = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!bind(closed, (struct sockaddr *)&addr, sizeof(addr)) && !getsockname(closed, (struct sockaddr *)&addr, &len),
       "bind failed, error %d\n", WSAGetLastError());
    closesocket(closed);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!bind(s, (struct sockaddr *)&local, sizeof(local)), "bind failed, error %d\n", WSAGetLastError());
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ret = pConnectEx(s, (struct sockaddr *)&addr, sizeof(addr), NULL, 0, &bytes, &ov);
    if (!ret && WSAGetLastError() == WSAECONNREFUSED)
        ok(1, "refused at once\n");
    else if (started(ret, "ConnectEx to a closed port"))
    {
        wait = WaitForSingleObject(ov.hEvent, WAIT_MS);
        ok(wait == WAIT_OBJECT_0, "ConnectEx did not complete: %lu\n", wait);
        SetLastError(0xdeadbeef);
        ret = GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE);
        ok(!ret && GetLastError() == ERROR_CONNECTION_REFUSED, "GetOverlappedResult: %d, error %lu\n", ret,
           GetLastError());
        WSASetLastError(0xdeadbeef);
        ret = WSAGetOverlappedResult(s, (WSAOVERLAPPED *)&ov, &bytes, FALSE, &flags);
        ok(!ret && WSAGetLastError() == WSAECONNREFUSED, "WSAGetOverlappedResult: %d, error %d\n", ret,
           WSAGetLastError());
    }
    closesocket(s);
    CloseHandle(ov.hEvent);
}

static void test_disconnectex(void)
{
    SOCKET client, server;
    OVERLAPPED ov;
    DWORD bytes;
    char c;
    BOOL ret;

    if (!pDisconnectEx) return skip("no DisconnectEx\n");
    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ret = pDisconnectEx(client, &ov, 0, 0);
    if (started(ret, "DisconnectEx")) wait_done(&ov, client, &bytes, "DisconnectEx");
    ok(wstest_wait_readable(server, WAIT_MS), "the peer saw nothing\n");
    ok(recv(server, &c, 1, 0) == 0, "the peer did not read the end of stream, error %d\n", WSAGetLastError());
    closesocket(client);
    closesocket(server);
    CloseHandle(ov.hEvent);
}

static void test_msg(void)
{
    struct sockaddr_in raddr, saddr, from;
    SOCKET r, s;
    WSABUF sbufs[2] = { { 3, (char *)"abc" }, { 4, (char *)"defg" } }, rbuf;
    char buf[64], control[64];
    WSAMSG msg;
    WSAOVERLAPPED ov;
    DWORD bytes = 0;
    int len, ret;

    if (!pWSARecvMsg || !pWSASendMsg) return skip("no WSARecvMsg/WSASendMsg\n");
    r = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    memset(&raddr, 0, sizeof(raddr));
    raddr.sin_family = AF_INET;
    raddr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    saddr = raddr;
    len = sizeof(raddr);
    ok(!bind(r, (struct sockaddr *)&raddr, sizeof(raddr)) && !getsockname(r, (struct sockaddr *)&raddr, &len),
       "bind failed, error %d\n", WSAGetLastError());
    len = sizeof(saddr);
    ok(!bind(s, (struct sockaddr *)&saddr, sizeof(saddr)) && !getsockname(s, (struct sockaddr *)&saddr, &len),
       "bind failed, error %d\n", WSAGetLastError());

    /* Synchronous: two buffers out, one in. */
    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&raddr;
    msg.namelen = sizeof(raddr);
    msg.lpBuffers = sbufs;
    msg.dwBufferCount = 2;
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(!ret && bytes == 7, "WSASendMsg returned %d, %lu bytes, error %d\n", ret, bytes, WSAGetLastError());

    ok(wstest_wait_readable(r, WAIT_MS), "nothing arrived\n");
    rbuf.buf = buf;
    rbuf.len = sizeof(buf);
    memset(&msg, 0, sizeof(msg));
    memset(&from, 0, sizeof(from));
    msg.name = (struct sockaddr *)&from;
    msg.namelen = sizeof(from);
    msg.lpBuffers = &rbuf;
    msg.dwBufferCount = 1;
    msg.Control.buf = control;
    msg.Control.len = sizeof(control);
    bytes = 0;
    ret = pWSARecvMsg(r, &msg, &bytes, NULL, NULL);
    ok(!ret && bytes == 7 && !memcmp(buf, "abcdefg", 7), "WSARecvMsg returned %d, %lu bytes, error %d\n", ret,
       bytes, WSAGetLastError());
    ok(msg.namelen == sizeof(from) && from.sin_port == saddr.sin_port, "wrong source (port %u)\n",
       ntohs(from.sin_port));
    ok(msg.dwFlags == 0, "flags %#lx\n", msg.dwFlags);
    ok(msg.Control.len == 0, "control length %lu\n", msg.Control.len);

    /* Overlapped: posted first, completed by the datagram. */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&from;
    msg.namelen = sizeof(from);
    msg.lpBuffers = &rbuf;
    msg.dwBufferCount = 1;
    memset(buf, 0, sizeof(buf));
    WSASetLastError(0xdeadbeef);
    ret = pWSARecvMsg(r, &msg, &bytes, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecvMsg returned %d, error %d\n", ret,
       WSAGetLastError());
    ok(sendto(s, "overlapped", 10, 0, (struct sockaddr *)&raddr, sizeof(raddr)) == 10, "sendto failed, error %d\n",
       WSAGetLastError());
    if (wait_done((OVERLAPPED *)&ov, r, &bytes, "WSARecvMsg"))
        ok(bytes == 10 && !memcmp(buf, "overlapped", 10), "%lu bytes\n", bytes);

    /* A datagram larger than the buffer. */
    ok(sendto(s, "0123456789", 10, 0, (struct sockaddr *)&raddr, sizeof(raddr)) == 10, "sendto failed, error %d\n",
       WSAGetLastError());
    ok(wstest_wait_readable(r, WAIT_MS), "nothing arrived\n");
    rbuf.len = 4;
    memset(&msg, 0, sizeof(msg));
    msg.lpBuffers = &rbuf;
    msg.dwBufferCount = 1;
    WSASetLastError(0xdeadbeef);
    ret = pWSARecvMsg(r, &msg, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEMSGSIZE, "truncated WSARecvMsg: %d, error %d\n", ret,
       WSAGetLastError());
    ok(msg.dwFlags & MSG_TRUNC, "flags %#lx\n", msg.dwFlags);

    WSACloseEvent(ov.hEvent);
    closesocket(r);
    closesocket(s);
}

static void test_transmitfile(void)
{
    char path[MAX_PATH], data[5000], buf[5100];
    TRANSMIT_FILE_BUFFERS tfb = { (void *)"HEAD", 4, (void *)"TAIL", 4 };
    SOCKET client, server;
    HANDLE file;
    OVERLAPPED ov;
    DWORD bytes;
    BOOL ret;

    if (!pTransmitFile) return skip("no TransmitFile\n");
    if ((file = wstest_temp_file(path, data, sizeof(data))) == INVALID_HANDLE_VALUE) return;
    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        skip("no TCP pair: %d\n", WSAGetLastError());
        goto done;
    }

    /* Synchronous, the whole file between a head and a tail. */
    ret = pTransmitFile(client, file, 0, 0, NULL, &tfb, 0);
    ok(ret, "TransmitFile failed, error %d\n", WSAGetLastError());
    ok(wstest_recv_exact(server, buf, 4 + sizeof(data) + 4, WAIT_MS) == 4 + (int)sizeof(data) + 4,
       "not everything arrived\n");
    ok(!memcmp(buf, "HEAD", 4) && !memcmp(buf + 4, data, sizeof(data)) && !memcmp(buf + 4 + sizeof(data), "TAIL", 4),
       "wrong bytes\n");

    /* Overlapped: 500 bytes from offset 1000. */
    memset(&ov, 0, sizeof(ov));
    ov.Offset = 1000;
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ret = pTransmitFile(client, file, 500, 0, &ov, NULL, 0);
    if (started(ret, "TransmitFile") && wait_done(&ov, client, &bytes, "TransmitFile"))
        ok(bytes == 500, "%lu bytes\n", bytes);
    ok(wstest_recv_exact(server, buf, 500, WAIT_MS) == 500 && !memcmp(buf, data + 1000, 500),
       "wrong bytes from the offset\n");

    /* Overlapped, the rest of the file from offset 1234; the offset stays. */
    ResetEvent(ov.hEvent);
    ov.Offset = 1234;
    ov.OffsetHigh = 0;
    ret = pTransmitFile(client, file, 0, 0, &ov, NULL, 0);
    if (started(ret, "TransmitFile to the end") &&
        WaitForSingleObject(ov.hEvent, WAIT_MS) == WAIT_OBJECT_0)
    {
        bytes = 0xdeadbeef;
        WSAGetOverlappedResult(client, (WSAOVERLAPPED *)&ov, &bytes, FALSE, NULL);
        ok(bytes == sizeof(data) - 1234, "to the end: %lu bytes\n", bytes);
        ok(ov.Offset == 1234 && !ov.OffsetHigh, "the offset became %lu:%lu\n", ov.OffsetHigh, ov.Offset);
    }
    ok(wstest_recv_exact(server, buf, sizeof(data) - 1234, WAIT_MS) == sizeof(data) - 1234 &&
           !memcmp(buf, data + 1234, sizeof(data) - 1234),
       "wrong bytes to the end\n");
    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(server);
done:
    CloseHandle(file);
    DeleteFileA(path);
}

/* Not connected: WSAENOTCONN comes before anything the flags ask. */
static void test_transmitfile_unconnected(void)
{
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    BOOL ret;

    if (!pTransmitFile) return skip("no TransmitFile\n");
    WSASetLastError(0xdeadbeef);
    ret = pTransmitFile(tcp, NULL, 0, 0, NULL, NULL, TF_REUSE_SOCKET);
    ok(!ret && WSAGetLastError() == WSAENOTCONN, "TCP with TF_REUSE_SOCKET: %d, error %d\n", ret,
       WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = pTransmitFile(tcp, NULL, 0, 0, NULL, NULL, 0);
    ok(!ret && WSAGetLastError() == WSAENOTCONN, "TCP: %d, error %d\n", ret, WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = pTransmitFile(udp, NULL, 0, 0, NULL, NULL, 0);
    ok(!ret && WSAGetLastError() == WSAENOTCONN, "UDP: %d, error %d\n", ret, WSAGetLastError());
    closesocket(tcp);
    closesocket(udp);
}

START_TEST(extensions)
{
    WSADATA wsa;

    ok(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup failed\n");
    test_pointers();
    test_acceptex(0);
    test_acceptex(64);
    test_acceptex_errors();
    test_acceptex_cancel();
    test_acceptex_reuse();
    test_acceptex_close_acceptor();
    test_wsaaccept_defer();
    test_connectex(NULL, 0);
    test_connectex("connectex payload", 17);
    test_connectex_checks();
    test_connectex_refused();
    test_disconnectex();
    test_msg();
    test_transmitfile();
    test_transmitfile_unconnected();
    WSACleanup();
}
