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
#include "wstest_child.h"

#define WAIT_MS 10000

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

    wstest_checked_pair4(&client, &server);
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
    ok(wstest_recv_exact(server, buf, 3, WAIT_MS) == 3 && !memcmp(buf, "abc", 3), "peer got the data\n");
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

    wstest_checked_pair4(&client, &server);
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

/* The child ("child WHAT"): reads a WSAPROTOCOL_INFOW (in hex) from its
 * stdin, opens it, sends WHAT, closes it and exits. */
static int child_main(const char *what)
{
    WSAPROTOCOL_INFOW info;
    WSADATA data;
    SOCKET s;
    int ret = 0;

    WSAStartup(MAKEWORD(2, 2), &data);
    /* "idle": use Winsock, take the structure and exit without opening it. */
    if (!strcmp(what, "idle")) closesocket(socket(AF_INET, SOCK_STREAM, 0));
    if (!wstest_read_info(&info)) return 10;
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

/* The child gets the structure, then the end of its input. */
static DWORD end_child(struct wstest_child *c, const WSAPROTOCOL_INFOW *info)
{
    wstest_child_send_info(c, "", info);
    return wstest_child_end(c);
}

/* Another process gets the socket; each side closes in turn, both orders. */
static void test_child_process(int parent_closes_first)
{
    WSAPROTOCOL_INFOW info;
    struct wstest_child c;
    SOCKET client, server;
    char buf[16];
    DWORD code;
    int ret;

    wstest_checked_pair4(&client, &server);
    if (!wstest_child_start(&c, NULL, FALSE, "child child"))
    {
        ok(0, "cannot start a child: %lu\n", GetLastError());
        return;
    }
    ret = WSADuplicateSocketW(client, c.pi.dwProcessId, &info);
    ok(!ret, "WSADuplicateSocketW(child): %d\n", WSAGetLastError());
    if (parent_closes_first)
    {
        ok(!closesocket(client), "closesocket(parent's): %d\n", WSAGetLastError());
        ok(wstest_peer_idle(server, 300), "the peer saw the first close (it must not)\n");
    }
    code = end_child(&c, &info);
    ok(code == 0, "child exit code %lu\n", (unsigned long)code);
    ok(wstest_recv_exact(server, buf, 5, WAIT_MS) == 5 && !memcmp(buf, "child", 5), "peer got the child's data\n");
    if (parent_closes_first)
    {
        ret = recv(server, buf, sizeof(buf), 0);
        ok(ret == 0, "after the child's (last) close the peer sees the end: %d %d\n", ret, WSAGetLastError());
    }
    else
    {
        ok(wstest_peer_idle(server, 300), "the peer saw the child's close (it must not)\n");
        ok(send(client, "parent", 6, 0) == 6, "send after the child's close: %d\n", WSAGetLastError());
        ok(wstest_recv_exact(server, buf, 6, WAIT_MS) == 6 && !memcmp(buf, "parent", 6),
           "peer got the parent's data\n");
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
    struct wstest_child c;
    SOCKET client, server;
    DWORD code, timeout = 10000;
    char buf[4];
    int ret;

    wstest_checked_pair4(&client, &server);
    if (!wstest_child_start(&c, NULL, FALSE, "child idle"))
    {
        ok(0, "cannot start a child: %lu\n", GetLastError());
        return;
    }
    ok(!WSADuplicateSocketW(client, c.pi.dwProcessId, &info), "WSADuplicateSocketW: %d\n", WSAGetLastError());
    ok(!closesocket(client), "closesocket(parent's): %d\n", WSAGetLastError());
    ok(wstest_peer_idle(server, 300), "the peer saw the parent's close (it must not: the child holds the duplicate)\n");
    code = end_child(&c, &info);
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
    struct wstest_child c;
    SOCKET client, server;
    DWORD code;

    wstest_checked_pair4(&client, &server);
    ok(!WSADuplicateSocketW(client, GetCurrentProcessId(), &info), "WSADuplicateSocketW: %d\n", WSAGetLastError());
    if (wstest_child_start(&c, NULL, FALSE, "child x"))
    {
        code = end_child(&c, &info);
        ok(code == 11, "another process opened it: exit code %lu\n", (unsigned long)code);
    }
    closesocket(client);
    closesocket(server);
}

/* The same across processes: a child's registration replaces the parent's. */
static void test_select_replaced_by_child(void)
{
    WSAPROTOCOL_INFOW info;
    struct wstest_child c;
    SOCKET client, server;
    WSAEVENT event = WSACreateEvent();
    DWORD code;

    wstest_checked_pair4(&client, &server);
    ok(!WSAEventSelect(client, event, FD_READ), "WSAEventSelect: %d\n", WSAGetLastError());
    if (!wstest_child_start(&c, NULL, FALSE, "child select"))
    {
        ok(0, "cannot start a child: %lu\n", GetLastError());
        return;
    }
    ok(!WSADuplicateSocketW(client, c.pi.dwProcessId, &info), "WSADuplicateSocketW: %d\n", WSAGetLastError());
    code = end_child(&c, &info);
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
