/*
 * WSADuplicateSocket + WSASocket: one underlying socket behind several
 * descriptors, in this process and in a child process.
 *
 * Windows' rules ("WSADuplicateSocket function", "Shared Sockets",
 * "WSASocket function"): the structure works once (reuse gives WSAEINVAL);
 * all socket state is shared (an option set through one descriptor is seen
 * through the other); closing one descriptor releases only it, and the
 * connection goes on until the last one is closed; WSAENOTSOCK for a bad
 * socket, WSAEFAULT for a NULL structure.
 *
 * The child is this program run again with "child WHAT"; it reads the
 * WSAPROTOCOL_INFOW to open (in hex) from its stdin, once the parent has
 * made it for the child's process id.  A duplicate the child never opens
 * is still the child's: it closes when the child exits.
 */
#include "wstest.h"

static void make_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr);
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(l, (struct sockaddr *)&addr, sizeof(addr)), "bind: %d\n", WSAGetLastError());
    ok(!listen(l, 1), "listen: %d\n", WSAGetLastError());
    getsockname(l, (struct sockaddr *)&addr, &len);
    *client = socket(AF_INET, SOCK_STREAM, 0);
    ok(!connect(*client, (struct sockaddr *)&addr, sizeof(addr)), "connect: %d\n", WSAGetLastError());
    *server = accept(l, NULL, NULL);
    ok(*server != INVALID_SOCKET, "accept: %d\n", WSAGetLastError());
    closesocket(l);
}

static int recv_all(SOCKET s, char *buf, int len)
{
    int got = 0, n;

    while (got < len && (n = recv(s, buf + got, len - got, 0)) > 0) got += n;
    return got;
}

static void test_errors(void)
{
    WSAPROTOCOL_INFOW info;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int ret;

    WSASetLastError(0xdead);
    ret = WSADuplicateSocketW(INVALID_SOCKET, GetCurrentProcessId(), &info);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "bad socket: %d %d\n", ret, WSAGetLastError());
    WSASetLastError(0xdead);
    ret = WSADuplicateSocketW(s, GetCurrentProcessId(), NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "NULL info: %d %d\n", ret, WSAGetLastError());
    /* The socket is checked first, then the process, then the structure
     * (recorded on Windows by Wine's sock.c, test_WSADuplicateSocket). */
    WSASetLastError(0xdead);
    ret = WSADuplicateSocketW(INVALID_SOCKET, 0, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "bad socket, NULL info: %d %d\n", ret,
       WSAGetLastError());
    WSASetLastError(0xdead);
    ret = WSADuplicateSocketW(s, 0, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "process 0, NULL info: %d %d\n", ret,
       WSAGetLastError());
    closesocket(s);
}

static void test_same_process(void)
{
    WSAPROTOCOL_INFOA info;
    struct linger l = { 1, 7 }, got;
    SOCKET client, server, dup, again;
    int len = sizeof(got), ret;
    char buf[8];

    make_pair(&client, &server);
    ret = WSADuplicateSocketA(client, GetCurrentProcessId(), &info);
    ok(!ret, "WSADuplicateSocketA: %d %d\n", ret, WSAGetLastError());
    ok(info.iAddressFamily == AF_INET && info.iSocketType == SOCK_STREAM && info.iProtocol == IPPROTO_TCP,
       "info: %d %d %d\n", info.iAddressFamily, info.iSocketType, info.iProtocol);
    dup = WSASocketA(0, 0, 0, &info, 0, 0);
    ok(dup != INVALID_SOCKET, "WSASocketA: %d\n", WSAGetLastError());
    ok(dup != client, "the duplicate is a new descriptor\n");

    /* The structure works once. */
    WSASetLastError(0xdead);
    again = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    ok(again == INVALID_SOCKET && WSAGetLastError() == WSAEINVAL, "reuse: %d\n", WSAGetLastError());

    /* State is shared: set through one, read through the other. */
    ok(!setsockopt(client, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l)), "setsockopt: %d\n", WSAGetLastError());
    ok(!getsockopt(dup, SOL_SOCKET, SO_LINGER, (char *)&got, &len), "getsockopt: %d\n", WSAGetLastError());
    ok(got.l_onoff == 1 && got.l_linger == 7, "linger through the duplicate: {%u,%u}\n", got.l_onoff, got.l_linger);

    /* Closing one descriptor leaves the connection to the other. */
    l.l_linger = 0;
    setsockopt(client, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l));
    ok(!closesocket(client), "closesocket(original): %d\n", WSAGetLastError());
    ok(send(dup, "abc", 3, 0) == 3, "send through the duplicate: %d\n", WSAGetLastError());
    ok(recv_all(server, buf, 3) == 3 && !memcmp(buf, "abc", 3), "peer got the data\n");
    /* The last close applies the linger in force: {1,0} is a reset. */
    ok(!closesocket(dup), "closesocket(duplicate): %d\n", WSAGetLastError());
    ret = recv(server, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAECONNRESET, "peer after the last close: %d %d\n",
       ret, WSAGetLastError());
    closesocket(server);
}

/* "WSAEventSelect/WSAAsyncSelect through any descriptor replaces the
 * registration made through any other" (Shared Sockets). */
static void test_select_replaced(void)
{
    WSAPROTOCOL_INFOA info;
    SOCKET client, server, dup;
    WSAEVENT first = WSACreateEvent(), second = WSACreateEvent();
    DWORD wait;

    make_pair(&client, &server);
    ok(!WSADuplicateSocketA(client, GetCurrentProcessId(), &info), "WSADuplicateSocketA: %d\n", WSAGetLastError());
    dup = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    ok(dup != INVALID_SOCKET, "WSASocketA: %d\n", WSAGetLastError());
    ok(!WSAEventSelect(client, first, FD_READ), "WSAEventSelect(original): %d\n", WSAGetLastError());
    ok(!WSAEventSelect(dup, second, FD_READ), "WSAEventSelect(duplicate): %d\n", WSAGetLastError());
    ok(send(server, "x", 1, 0) == 1, "send: %d\n", WSAGetLastError());
    wait = WaitForSingleObject(second, 5000);
    ok(wait == WAIT_OBJECT_0, "the duplicate's registration did not fire: %lu\n", wait);
    ok(WaitForSingleObject(first, 200) == WAIT_TIMEOUT, "the replaced registration still fired\n");
    closesocket(dup);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(first);
    WSACloseEvent(second);
}

static void to_hex(const void *data, size_t len, char *out)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

static int from_hex(const char *hex, void *data, size_t len)
{
    unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++)
    {
        unsigned int v;
        if (!hex[2 * i] || sscanf(hex + 2 * i, "%2x", &v) != 1) return 0;
        p[i] = v;
    }
    return 1;
}

/* Start this program as a child that will read a WSAPROTOCOL_INFOW (in hex)
 * from its stdin, open it, send `what`, close it and exit. */
static HANDLE start_child(const char *what, PROCESS_INFORMATION *pi)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    STARTUPINFOA si;
    char cmd[MAX_PATH + 64], self[MAX_PATH];
    HANDLE rd, wr;

    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    if (!CreatePipe(&rd, &wr, &sa, 0)) return NULL;
    SetHandleInformation(wr, HANDLE_FLAG_INHERIT, 0);
    GetModuleFileNameA(NULL, self, sizeof(self));
    sprintf(cmd, "\"%s\" child %s", self, what);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = rd;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, pi))
    {
        CloseHandle(rd);
        CloseHandle(wr);
        return NULL;
    }
    CloseHandle(rd);
    return wr;
}

static DWORD finish_child(HANDLE to_child, PROCESS_INFORMATION *pi, const WSAPROTOCOL_INFOW *info)
{
    char hex[2 * sizeof(*info) + 2];
    DWORD written, code = 0xdead;

    to_hex(info, sizeof(*info), hex);
    strcat(hex, "\n");
    WriteFile(to_child, hex, strlen(hex), &written, NULL);
    CloseHandle(to_child);
    if (WaitForSingleObject(pi->hProcess, 60000) == WAIT_OBJECT_0) GetExitCodeProcess(pi->hProcess, &code);
    CloseHandle(pi->hProcess);
    CloseHandle(pi->hThread);
    return code;
}

static int child_main(const char *what)
{
    static char hex[2 * sizeof(WSAPROTOCOL_INFOW) + 8];
    WSAPROTOCOL_INFOW info;
    WSADATA data;
    SOCKET s;
    int ret = 0;

    WSAStartup(MAKEWORD(2, 2), &data);
    /* "idle": use Winsock, take the structure and exit without opening it. */
    if (!strcmp(what, "idle")) closesocket(socket(AF_INET, SOCK_STREAM, 0));
    if (!fgets(hex, sizeof(hex), stdin) || !from_hex(hex, &info, sizeof(info))) return 10;
    if (!strcmp(what, "idle")) return 0;
    s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET) return WSAGetLastError() == WSAEINVAL ? 11 : 12;
    /* "select": take over the socket's event registration, send nothing. */
    if (!strcmp(what, "select")) ret = WSAEventSelect(s, WSACreateEvent(), FD_READ) ? 15 : 0;
    else if (send(s, what, strlen(what), 0) != (int)strlen(what)) ret = 13;
    if (closesocket(s)) ret = 14;
    WSACleanup();
    return ret;
}

/* Nothing to read yet (the connection is neither closed nor reset). */
static int peer_idle(SOCKET s)
{
    u_long nb = 1;
    char c;
    int ret, err;

    ioctlsocket(s, FIONBIO, &nb);
    Sleep(300);
    ret = recv(s, &c, 1, 0);
    err = WSAGetLastError();
    nb = 0;
    ioctlsocket(s, FIONBIO, &nb);
    return ret == SOCKET_ERROR && err == WSAEWOULDBLOCK;
}

/* Another process gets the socket; each side closes in turn, both orders. */
static void test_child_process(int parent_closes_first)
{
    WSAPROTOCOL_INFOW info;
    PROCESS_INFORMATION pi;
    SOCKET client, server;
    HANDLE to_child;
    char buf[16];
    DWORD code;
    int ret;

    make_pair(&client, &server);
    if (!(to_child = start_child("child", &pi)))
    {
        ok(0, "cannot start a child: %lu\n", GetLastError());
        return;
    }
    ret = WSADuplicateSocketW(client, pi.dwProcessId, &info);
    ok(!ret, "WSADuplicateSocketW(child): %d\n", WSAGetLastError());
    if (parent_closes_first)
    {
        ok(!closesocket(client), "closesocket(parent's): %d\n", WSAGetLastError());
        ok(peer_idle(server), "the peer saw the first close (it must not)\n");
    }
    code = finish_child(to_child, &pi, &info);
    ok(code == 0, "child exit code %lu\n", (unsigned long)code);
    ok(recv_all(server, buf, 5) == 5 && !memcmp(buf, "child", 5), "peer got the child's data\n");
    if (parent_closes_first)
    {
        ret = recv(server, buf, sizeof(buf), 0);
        ok(ret == 0, "after the child's (last) close the peer sees the end: %d %d\n", ret, WSAGetLastError());
    }
    else
    {
        ok(peer_idle(server), "the peer saw the child's close (it must not)\n");
        ok(send(client, "parent", 6, 0) == 6, "send after the child's close: %d\n", WSAGetLastError());
        ok(recv_all(server, buf, 6) == 6 && !memcmp(buf, "parent", 6), "peer got the parent's data\n");
        ok(!closesocket(client), "closesocket(parent's, last): %d\n", WSAGetLastError());
        ret = recv(server, buf, sizeof(buf), 0);
        ok(ret == 0, "after the last close the peer sees the end: %d %d\n", ret, WSAGetLastError());
    }
    closesocket(server);
}

/* The duplicate is the child's from the start: when the child exits
 * without opening it, it closes as the child's handles do, and with the
 * parent's handle closed too the connection ends. */
static void test_child_never_opens(void)
{
    WSAPROTOCOL_INFOW info;
    PROCESS_INFORMATION pi;
    SOCKET client, server;
    HANDLE to_child;
    DWORD code, timeout = 10000;
    char buf[4];
    int ret;

    make_pair(&client, &server);
    if (!(to_child = start_child("idle", &pi)))
    {
        ok(0, "cannot start a child: %lu\n", GetLastError());
        return;
    }
    ok(!WSADuplicateSocketW(client, pi.dwProcessId, &info), "WSADuplicateSocketW: %d\n", WSAGetLastError());
    ok(!closesocket(client), "closesocket(parent's): %d\n", WSAGetLastError());
    ok(peer_idle(server), "the peer saw the parent's close (it must not: the child holds the duplicate)\n");
    code = finish_child(to_child, &pi, &info);
    ok(code == 0, "child exit code %lu\n", (unsigned long)code);
    /* The end comes as an orderly close or a reset; well within seconds. */
    setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));
    ret = recv(server, buf, sizeof(buf), 0);
    ok(ret == 0 || (ret == SOCKET_ERROR && WSAGetLastError() == WSAECONNRESET),
       "after the child's exit the peer sees the end: %d %d\n", ret, WSAGetLastError());
    closesocket(server);
}

/* A structure made for one process does not open in another. */
static void test_wrong_process(void)
{
    WSAPROTOCOL_INFOW info;
    PROCESS_INFORMATION pi;
    SOCKET client, server;
    HANDLE to_child;
    DWORD code;

    make_pair(&client, &server);
    ok(!WSADuplicateSocketW(client, GetCurrentProcessId(), &info), "WSADuplicateSocketW: %d\n", WSAGetLastError());
    if ((to_child = start_child("x", &pi)))
    {
        code = finish_child(to_child, &pi, &info);
        ok(code == 11, "another process opened it: exit code %lu\n", (unsigned long)code);
    }
    closesocket(client);
    closesocket(server);
}

/* The same across processes: a child's registration replaces the parent's. */
static void test_select_replaced_by_child(void)
{
    WSAPROTOCOL_INFOW info;
    PROCESS_INFORMATION pi;
    SOCKET client, server;
    WSAEVENT event = WSACreateEvent();
    HANDLE to_child;
    DWORD code;

    make_pair(&client, &server);
    ok(!WSAEventSelect(client, event, FD_READ), "WSAEventSelect: %d\n", WSAGetLastError());
    if (!(to_child = start_child("select", &pi)))
    {
        ok(0, "cannot start a child: %lu\n", GetLastError());
        return;
    }
    ok(!WSADuplicateSocketW(client, pi.dwProcessId, &info), "WSADuplicateSocketW: %d\n", WSAGetLastError());
    code = finish_child(to_child, &pi, &info);
    ok(code == 0, "child exit code %lu\n", (unsigned long)code);
    Sleep(300);
    ok(send(server, "x", 1, 0) == 1, "send: %d\n", WSAGetLastError());
    ok(WaitForSingleObject(event, 1000) == WAIT_TIMEOUT, "the parent's replaced registration still fired\n");
    closesocket(client);
    closesocket(server);
    WSACloseEvent(event);
}

START_TEST(duplicate)
{
    WSADATA data;
    int argc;
    char **argv = __argv;

    argc = __argc;
    if (argc >= 3 && !strcmp(argv[1], "child")) ExitProcess(child_main(argv[2]));
    WSAStartup(MAKEWORD(2, 2), &data);
    test_errors();
    test_same_process();
    test_select_replaced();
    test_child_process(0);
    test_child_process(1);
    test_child_never_opens();
    test_wrong_process();
    test_select_replaced_by_child();
    WSACleanup();
}
