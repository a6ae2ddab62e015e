/*
 * mswsock.dll's socket functions called by import, as a program linked
 * with mswsock.lib calls them: AcceptEx, GetAcceptExSockaddrs, TransmitFile
 * and WSARecvEx.  extensions.c calls the first three through the pointers
 * WSAIoctl hands out; here every call goes through mswsock.dll, which under
 * Wine is Wine's own DLL asking ws2_32 (ours, once installed) for the work.
 *
 * Expected values are Windows' (Microsoft docs of AcceptEx,
 * GetAcceptExSockaddrs, TransmitFile, WSARecvEx):
 *  - the imports come from mswsock.dll, which is loaded in the process;
 *  - AcceptEx on an IPv6 listener pends with ERROR_IO_PENDING until a
 *    client connects and sends, then holds the client's first bytes, and
 *    GetAcceptExSockaddrs finds both IPv6 addresses after them; an error
 *    (INVALID_SOCKET for the listener: WSAENOTSOCK) comes back through
 *    mswsock.dll unchanged;
 *  - TransmitFile with TF_DISCONNECT sends the head, the file and the tail,
 *    then ends the stream: the peer reads everything, then 0;
 *  - WSARecvEx on a stream returns the bytes with MSG_PARTIAL clear, and 0
 *    once the peer shut down its side; on a datagram socket a whole
 *    datagram with MSG_PARTIAL clear; on a stream socket that never
 *    connected, WSAENOTCONN.  The same checks run on wsock32.dll's
 *    WSARecvEx (loaded by name), which old programs use.
 * Wine 8's mswsock.dll has WSARecvEx as a stub that returns SOCKET_ERROR
 * without setting an error, whichever ws2_32 is below it: that case is
 * reported as a skip naming the stub.
 */
#include "wstest.h"
#include <mswsock.h>

#define WAIT_MS 10000
#define AREA6   (sizeof(struct sockaddr_in6) + 16)

typedef int(WINAPI *recvex_fn)(SOCKET, char *, int, int *);

/* The module an address lies in, or NULL. */
static HMODULE module_of(const void *addr)
{
    HMODULE module = NULL;

    if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            addr, &module))
        return NULL;
    return module;
}

/* The program's own import table: its mswsock.dll entries are filled in with
 * addresses inside the mswsock.dll that is loaded. */
static void test_imports(void)
{
    HMODULE exe = GetModuleHandleA(NULL), mswsock = GetModuleHandleA("mswsock.dll");
    IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)((char *)exe + ((IMAGE_DOS_HEADER *)exe)->e_lfanew);
    IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    IMAGE_IMPORT_DESCRIPTOR *desc = (IMAGE_IMPORT_DESCRIPTOR *)((char *)exe + dir->VirtualAddress);
    char path[MAX_PATH] = "";
    int entries = 0, inside = 0;

    ok(mswsock != NULL, "mswsock.dll is not loaded\n");
    if (!mswsock) return;
    GetModuleFileNameA(mswsock, path, sizeof(path));
    trace("mswsock.dll is %s; ws2_32 is %s\n", path, wstest_is_ours() ? "ours" : "not ours");
    for (; dir->VirtualAddress && desc->Name; desc++)
    {
        IMAGE_THUNK_DATA *thunk = (IMAGE_THUNK_DATA *)((char *)exe + desc->FirstThunk);

        if (lstrcmpiA((char *)exe + desc->Name, "mswsock.dll")) continue;
        for (; thunk->u1.Function; thunk++, entries++)
            if (module_of((void *)(ULONG_PTR)thunk->u1.Function) == mswsock) inside++;
    }
    ok(entries >= 4, "%d imports from mswsock.dll\n", entries);
    ok(inside == entries, "%d of %d imports lead into mswsock.dll\n", inside, entries);
}

static void test_acceptex(void)
{
    struct sockaddr *local = NULL, *remote = NULL;
    int local_len = 0, remote_len = 0;
    char buf[32 + 2 * AREA6];
    struct wstest_accept a;
    DWORD bytes = 0xdeadbeef, flags = 0, wait;
    SOCKET s;
    BOOL ret;

    if (!wstest_accept_setup(AF_INET6, &a)) return skip("no IPv6 loopback listener: %d\n", WSAGetLastError());
    memset(buf, 0xcc, sizeof(buf));

    WSASetLastError(0xdeadbeef);
    ret = AcceptEx(a.listener, a.acceptor, buf, 32, AREA6, AREA6, &bytes, &a.ov);
    ok(!ret && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx returned %d, error %d\n", ret, WSAGetLastError());
    ok(WaitForSingleObject(a.ov.hEvent, 0) == WAIT_TIMEOUT, "completed without a connection\n");
    ok(!connect(a.client, (struct sockaddr *)&a.addr, a.addrlen), "connect failed, error %d\n", WSAGetLastError());
    ok(send(a.client, "by import", 9, 0) == 9, "send failed, error %d\n", WSAGetLastError());
    wait = WaitForSingleObject(a.ov.hEvent, WAIT_MS);
    ok(wait == WAIT_OBJECT_0, "AcceptEx did not complete: %lu\n", wait);
    if (wait == WAIT_OBJECT_0)
    {
        ok(WSAGetOverlappedResult(a.listener, &a.ov, &bytes, FALSE, &flags), "AcceptEx failed, error %d\n",
           WSAGetLastError());
        ok(bytes == 9 && !memcmp(buf, "by import", 9), "%lu bytes received\n", bytes);
    }
    ok(!setsockopt(a.acceptor, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&a.listener, sizeof(a.listener)),
       "SO_UPDATE_ACCEPT_CONTEXT failed, error %d\n", WSAGetLastError());

    GetAcceptExSockaddrs(buf, 32, AREA6, AREA6, &local, &local_len, &remote, &remote_len);
    wstest_check_accept_addrs(&a, local, local_len, remote, remote_len);
    ok(send(a.acceptor, "back", 4, 0) == 4, "send on the accept socket failed, error %d\n", WSAGetLastError());
    ok(wstest_recv_exact(a.client, buf, 4, WAIT_MS) == 4 && !memcmp(buf, "back", 4), "nothing came back\n");

    /* An error comes back through mswsock.dll as ws2_32 gave it. */
    s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ret = AcceptEx(INVALID_SOCKET, s, buf, 0, AREA6, AREA6, &bytes, &a.ov);
    ok(!ret && WSAGetLastError() == WSAENOTSOCK, "AcceptEx without a listener: %d, error %d\n", ret,
       WSAGetLastError());
    closesocket(s);
    wstest_accept_close(&a);
}

static void test_transmitfile(void)
{
    char path[MAX_PATH], data[3000], buf[3100];
    TRANSMIT_FILE_BUFFERS tfb = { (void *)"HEAD", 4, (void *)"TAIL", 4 };
    SOCKET client, server;
    HANDLE file;
    BOOL ret;

    if ((file = wstest_temp_file(path, data, sizeof(data))) == INVALID_HANDLE_VALUE) return;
    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        skip("no TCP pair: %d\n", WSAGetLastError());
        goto done;
    }

    ret = TransmitFile(client, file, 0, 0, NULL, &tfb, TF_DISCONNECT);
    ok(ret, "TransmitFile failed, error %d\n", WSAGetLastError());
    ok(wstest_recv_exact(server, buf, 4 + sizeof(data) + 4, WAIT_MS) == 4 + (int)sizeof(data) + 4,
       "not everything arrived\n");
    ok(!memcmp(buf, "HEAD", 4) && !memcmp(buf + 4, data, sizeof(data)) && !memcmp(buf + 4 + sizeof(data), "TAIL", 4),
       "wrong bytes\n");
    ok(wstest_wait_readable(server, WAIT_MS) && !recv(server, buf, sizeof(buf), 0),
       "the stream did not end after TF_DISCONNECT, error %d\n", WSAGetLastError());
    closesocket(client);
    closesocket(server);
done:
    CloseHandle(file);
    DeleteFileA(path);
}

/* Whether fn is a stub that failed without saying why (Wine's mswsock.dll). */
static int is_silent_stub(int ret)
{
    return ret == SOCKET_ERROR && WSAGetLastError() == (int)0xdeadbeef;
}

static void test_recvex(const char *dll, recvex_fn fn)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr), flags, ret;
    SOCKET client, server, udp, tcp;
    char buf[64];

    if (!fn) return skip("%s has no WSARecvEx\n", dll);
    if (wstest_tcp_pair(AF_INET, &client, &server)) return skip("no TCP pair: %d\n", WSAGetLastError());

    ok(send(client, "stream", 6, 0) == 6, "send failed, error %d\n", WSAGetLastError());
    ok(wstest_wait_readable(server, WAIT_MS), "nothing arrived\n");
    flags = 0;
    WSASetLastError(0xdeadbeef);
    ret = fn(server, buf, sizeof(buf), &flags);
    if (is_silent_stub(ret))
    {
        skip("%s: WSARecvEx returned SOCKET_ERROR without an error: a stub (Wine's mswsock.dll has one)\n", dll);
        goto done;
    }
    ok(ret == 6 && !memcmp(buf, "stream", 6), "%s: stream: %d, error %d\n", dll, ret, WSAGetLastError());
    ok(!(flags & MSG_PARTIAL), "%s: stream: flags %#x\n", dll, flags);

    ok(!shutdown(client, SD_SEND), "shutdown failed, error %d\n", WSAGetLastError());
    ok(wstest_wait_readable(server, WAIT_MS), "the end of the stream did not arrive\n");
    flags = 0;
    ret = fn(server, buf, sizeof(buf), &flags);
    ok(!ret, "%s: after the peer's shutdown: %d, error %d\n", dll, ret, WSAGetLastError());

    udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(udp, (struct sockaddr *)&addr, sizeof(addr)) && !getsockname(udp, (struct sockaddr *)&addr, &len),
       "bind failed, error %d\n", WSAGetLastError());
    ok(sendto(udp, "datagram", 8, 0, (struct sockaddr *)&addr, sizeof(addr)) == 8, "sendto failed, error %d\n",
       WSAGetLastError());
    ok(wstest_wait_readable(udp, WAIT_MS), "the datagram did not arrive\n");
    flags = 0;
    ret = fn(udp, buf, sizeof(buf), &flags);
    ok(ret == 8 && !memcmp(buf, "datagram", 8), "%s: datagram: %d, error %d\n", dll, ret, WSAGetLastError());
    ok(!(flags & MSG_PARTIAL), "%s: whole datagram: flags %#x\n", dll, flags);
    closesocket(udp);

    tcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    flags = 0;
    WSASetLastError(0xdeadbeef);
    ret = fn(tcp, buf, sizeof(buf), &flags);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTCONN, "%s: never connected: %d, error %d\n", dll, ret,
       WSAGetLastError());
    closesocket(tcp);
done:
    closesocket(client);
    closesocket(server);
}

START_TEST(mswsock)
{
    HMODULE wsock32;
    WSADATA wsa;

    ok(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup failed\n");
    test_imports();
    test_acceptex();
    test_transmitfile();
    test_recvex("mswsock.dll", WSARecvEx);
    wsock32 = LoadLibraryA("wsock32.dll");
    ok(wsock32 != NULL, "LoadLibrary(wsock32) failed, error %lu\n", GetLastError());
    if (wsock32) test_recvex("wsock32.dll", (recvex_fn)(void *)GetProcAddress(wsock32, "WSARecvEx"));
    WSACleanup();
}
