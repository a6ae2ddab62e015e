/*
 * WSAAsyncSelect: a client driven by window messages, talking to a server
 * thread in the same process.
 *
 * Expected values are Windows' own, from Microsoft's pages:
 *  "WSAAsyncSelect function":
 *   - the window gets the message for each network event; wParam is the
 *     socket, WSAGETSELECTEVENT(lParam) the event, WSAGETSELECTERROR(lParam)
 *     its error code; one message per event until the re-enabling call;
 *   - FD_CONNECT reports the outcome of the connect (WSAECONNREFUSED when
 *     the attempt was rejected); FD_CLOSE's error is 0 for a graceful
 *     close;
 *   - it sets the socket non-blocking, and setting it back to blocking
 *     fails with WSAEINVAL until the registration is cleared with lEvent 0
 *     ("Winsock IOCTLs", FIONBIO);
 *   - WSAEINVAL when the window handle does not refer to an existing window.
 *  "WSAEventSelect function" (the rules WSAAsyncSelect shares): FD_WRITE
 *   is recorded when the socket is first connected.
 *  "connect function": a non-blocking connect fails with WSAEWOULDBLOCK.
 * The message loop is bounded by a timer.
 */
#include "wstest.h"

#define WM_SOCKET (WM_USER + 7)
#define TIMER_ID  1

static const char request[] = "GET /time";
static const char reply[] = "the time is now";

struct conversation
{
    SOCKET s;
    int connect_msgs, write_msgs, read_msgs, close_msgs, other_msgs, wrong_wparam;
    int connect_error, write_error, read_error, close_error;
    int sent, timed_out;
    int order_ok; /* FD_CONNECT came before FD_READ and FD_CLOSE */
    char got[64];
    int got_len;
};

static struct conversation *conv;

static void read_all(struct conversation *cv)
{
    int n;

    while (cv->got_len < (int)sizeof(cv->got) - 1 &&
           (n = recv(cv->s, cv->got + cv->got_len, sizeof(cv->got) - 1 - cv->got_len, 0)) > 0)
        cv->got_len += n;
    cv->got[cv->got_len] = 0;
}

static LRESULT CALLBACK wnd_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    struct conversation *cv = conv;

    if (msg == WM_TIMER && wparam == TIMER_ID)
    {
        cv->timed_out = 1;
        PostQuitMessage(0);
        return 0;
    }
    if (msg != WM_SOCKET) return DefWindowProcA(hwnd, msg, wparam, lparam);
    if ((SOCKET)wparam != cv->s)
    {
        cv->wrong_wparam++;
        return 0;
    }
    switch (WSAGETSELECTEVENT(lparam))
    {
    case FD_CONNECT:
        cv->connect_msgs++;
        cv->connect_error = WSAGETSELECTERROR(lparam);
        if (cv->connect_error) PostQuitMessage(0);
        break;
    case FD_WRITE:
        cv->write_msgs++;
        cv->write_error = WSAGETSELECTERROR(lparam);
        if (!cv->sent && send(cv->s, request, sizeof(request) - 1, 0) == sizeof(request) - 1) cv->sent = 1;
        break;
    case FD_READ:
        if (!cv->connect_msgs) cv->order_ok = 0;
        cv->read_msgs++;
        cv->read_error = WSAGETSELECTERROR(lparam);
        read_all(cv);
        break;
    case FD_CLOSE:
        if (!cv->connect_msgs) cv->order_ok = 0;
        cv->close_msgs++;
        cv->close_error = WSAGETSELECTERROR(lparam);
        /* Data may still be waiting when the close is reported. */
        read_all(cv);
        PostQuitMessage(0);
        break;
    default:
        cv->other_msgs++;
        break;
    }
    return 0;
}

/* The server: accept one client, read its request, answer, close gracefully. */
struct server
{
    SOCKET listener;
    int got_request, answered;
};

static DWORD WINAPI server_thread(void *arg)
{
    struct server *sv = arg;
    char buf[64];
    int n, have = 0;
    SOCKET c;

    if (!wstest_wait_readable(sv->listener, 10000)) return 0;
    if ((c = accept(sv->listener, NULL, NULL)) == INVALID_SOCKET) return 0;
    while (have < (int)sizeof(request) - 1 && wstest_wait_readable(c, 10000))
    {
        if ((n = recv(c, buf + have, sizeof(buf) - have, 0)) <= 0) break;
        have += n;
    }
    sv->got_request = have == sizeof(request) - 1 && !memcmp(buf, request, have);
    if (sv->got_request) sv->answered = send(c, reply, sizeof(reply) - 1, 0) == sizeof(reply) - 1;
    shutdown(c, SD_SEND);
    /* Wait for the client's end before closing, so that nothing is reset. */
    if (wstest_wait_readable(c, 10000)) recv(c, buf, sizeof(buf), 0);
    closesocket(c);
    return 0;
}

/* Run the message loop until the handler quits or the timer fires. */
static void pump(HWND hwnd, UINT ms)
{
    MSG msg;

    SetTimer(hwnd, TIMER_ID, ms, NULL);
    while (GetMessageA(&msg, NULL, 0, 0) > 0)
    {
        TranslateMessage(&msg);
        DispatchMessageA(&msg);
    }
    KillTimer(hwnd, TIMER_ID);
}

/* Drop what is left in the queue (messages may follow a cancellation). */
static void drain_queue(void)
{
    MSG msg;

    while (PeekMessageA(&msg, NULL, 0, 0, PM_REMOVE)) DispatchMessageA(&msg);
}

static void test_conversation(HWND hwnd)
{
    struct conversation cv;
    struct server sv = { 0 };
    struct sockaddr_storage addr;
    HANDLE thread;
    int len, ret;

    memset(&cv, 0, sizeof(cv));
    cv.order_ok = 1;
    conv = &cv;
    sv.listener = wstest_listener(AF_INET, &addr, &len);
    ok(sv.listener != INVALID_SOCKET, "listener: %d\n", WSAGetLastError());
    thread = CreateThread(NULL, 0, server_thread, &sv, 0, NULL);

    cv.s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ret = WSAAsyncSelect(cv.s, hwnd, WM_SOCKET, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE);
    ok(ret == 0, "WSAAsyncSelect: %d %d\n", ret, WSAGetLastError());
    ret = connect(cv.s, (struct sockaddr *)&addr, len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "connect: %d %d\n", ret, WSAGetLastError());
    pump(hwnd, 15000);

    ok(!cv.timed_out, "the conversation did not end within 15 s\n");
    ok(cv.wrong_wparam == 0, "%d messages named another socket in wParam\n", cv.wrong_wparam);
    ok(cv.other_msgs == 0, "%d messages with an unexpected event\n", cv.other_msgs);
    ok(cv.connect_msgs == 1 && cv.connect_error == 0, "FD_CONNECT: %d messages, error %d\n", cv.connect_msgs,
       cv.connect_error);
    ok(cv.write_msgs == 1 && cv.write_error == 0, "FD_WRITE: %d messages, error %d\n", cv.write_msgs,
       cv.write_error);
    ok(cv.sent, "the request was not sent\n");
    ok(cv.read_msgs >= 1 && cv.read_error == 0, "FD_READ: %d messages, error %d\n", cv.read_msgs, cv.read_error);
    ok(cv.close_msgs == 1 && cv.close_error == 0, "FD_CLOSE: %d messages, error %d\n", cv.close_msgs,
       cv.close_error);
    ok(cv.order_ok, "an event came before FD_CONNECT\n");
    ok(cv.got_len == sizeof(reply) - 1 && !memcmp(cv.got, reply, cv.got_len), "the client got \"%s\"\n", cv.got);

    closesocket(cv.s);
    ok(WaitForSingleObject(thread, 15000) == WAIT_OBJECT_0, "the server thread did not finish\n");
    CloseHandle(thread);
    ok(sv.got_request && sv.answered, "server: request %d, answered %d\n", sv.got_request, sv.answered);
    closesocket(sv.listener);
    drain_queue();
}

static void test_refused(HWND hwnd)
{
    struct conversation cv;
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr), ret;
    SOCKET tmp;

    memset(&cv, 0, sizeof(cv));
    cv.order_ok = 1;
    conv = &cv;
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    tmp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    bind(tmp, (struct sockaddr *)&addr, sizeof(addr));
    getsockname(tmp, (struct sockaddr *)&addr, &len);
    closesocket(tmp);

    cv.s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ret = WSAAsyncSelect(cv.s, hwnd, WM_SOCKET, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE);
    ok(ret == 0, "WSAAsyncSelect: %d %d\n", ret, WSAGetLastError());
    ret = connect(cv.s, (struct sockaddr *)&addr, sizeof(addr));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "connect: %d %d\n", ret, WSAGetLastError());
    pump(hwnd, 15000);
    ok(!cv.timed_out, "no FD_CONNECT within 15 s\n");
    ok(cv.connect_msgs == 1 && cv.connect_error == WSAECONNREFUSED, "FD_CONNECT: %d messages, error %d\n",
       cv.connect_msgs, cv.connect_error);
    ok(cv.wrong_wparam == 0, "%d messages named another socket in wParam\n", cv.wrong_wparam);
    closesocket(cv.s);
    drain_queue();
}

static void test_blocking_mode(HWND hwnd)
{
    SOCKET c, s;
    u_long arg;
    DWORD timeout = 2000;
    char buf[4];
    int ret;

    if (wstest_tcp_pair(AF_INET, &c, &s)) return;
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));
    ok(!WSAAsyncSelect(c, hwnd, WM_SOCKET, FD_READ), "WSAAsyncSelect: %d\n", WSAGetLastError());
    ret = recv(c, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "recv after WSAAsyncSelect: %d %d\n", ret,
       WSAGetLastError());
    arg = 0;
    ret = ioctlsocket(c, FIONBIO, &arg);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "FIONBIO 0 while selected: %d %d\n", ret,
       WSAGetLastError());
    ok(!WSAAsyncSelect(c, hwnd, 0, 0), "WSAAsyncSelect(0): %d\n", WSAGetLastError());
    arg = 0;
    ok(!ioctlsocket(c, FIONBIO, &arg), "FIONBIO 0 after clearing: %d\n", WSAGetLastError());

    /* A window that does not exist. */
    ret = WSAAsyncSelect(s, (HWND)(ULONG_PTR)0xdead0, WM_SOCKET, FD_READ);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "WSAAsyncSelect with no window: %d %d\n", ret,
       WSAGetLastError());
    closesocket(c);
    closesocket(s);
    drain_queue();
}

START_TEST(asyncsel)
{
    WSADATA data;
    HWND hwnd;

    WSAStartup(MAKEWORD(2, 2), &data);
    hwnd = wstest_message_window(wnd_proc, "asyncsel_test");
    ok(hwnd != NULL, "CreateWindowEx: %lu\n", GetLastError());
    if (hwnd)
    {
        test_conversation(hwnd);
        test_refused(hwnd);
        test_blocking_mode(hwnd);
        DestroyWindow(hwnd);
    }
    WSACleanup();
}
