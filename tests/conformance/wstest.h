/*
 * wstest.h: a small header-only harness for the Winsock conformance
 * programs, modelled on the output of Wine's conformance tests.
 *
 *   ok(cond, fmt, ...)   count a check; print "file:line: Test failed: ..."
 *                        when cond is false
 *   skip(fmt, ...)       note that a part was skipped
 *   todo_ours(cond, fmt, ...)
 *                        a check of a limit of our ws2_32.dll that the design
 *                        notes describe: where our provider answers (its
 *                        provider GUID in WSAEnumProtocols), a failure counts
 *                        as todo and a pass as a failure ("Test succeeded
 *                        inside todo block"), so fixing the limit shows; with
 *                        any other provider (Windows, Wine's DLL) it is ok()
 *   trace(fmt, ...)      print an informational line
 *   START_TEST(name)     defines main(); the body follows like a function
 *   wstest_guarded(what, fn, arg)
 *                        run fn(arg) in a thread; a crash there (an access
 *                        violation nothing handled) counts as one failure
 *                        instead of ending the program
 *   wstest_wait_readable, wstest_loopback, wstest_closed_port,
 *   wstest_listener, wstest_tcp_pair
 *                        loopback helpers with bounded waits
 *   wstest_message_window(proc, name)
 *                        a message-only window for the asynchronous calls
 *   wstest_temp_file(path, data, len)
 *                        a temporary file with len known bytes
 *   wstest_accept_setup(af, a), wstest_accept_close(a)
 *                        the sockets and OVERLAPPED of an AcceptEx
 *   wstest_check_accept_addrs(a, local, local_len, remote, remote_len)
 *                        check what GetAcceptExSockaddrs found
 *   wstest_checked_pair(client, server, rcvbuf)
 *                        a loopback TCP pair made with blocking calls, its
 *                        connect and accept counted as two checks
 *   wstest_checked_pair4(client, server)
 *                        the same with its bind and listen checked too
 *   wstest_recv_exact(s, buf, len, ms)
 *                        receive len bytes, each wait at most ms
 *   wstest_peer_idle(s, ms)
 *                        whether nothing arrives on s for ms milliseconds
 *
 * The program ends with the line
 *   NAME: N tests executed (T marked as todo, F failures), S skipped.
 * and its exit code is min(F, 255).
 *
 * Environment:
 *   WSTEST_VERBOSE=1   also print "Test succeeded" lines
 *   WSTEST_TIMEOUT=S   watchdog in seconds (default 90, 0 disables): when it
 *                      fires, the program reports a failure and exits, so a
 *                      test never hangs, on Wine or on Windows.
 *
 * The counters are updated with interlocked operations, so ok() may be used
 * from any thread.  ok() keeps the thread's last error as it found it, so a
 * check may be followed by another one that reads WSAGetLastError().
 */
#ifndef WSTEST_H
#define WSTEST_H

#ifndef __USE_MINGW_ANSI_STDIO
#define __USE_MINGW_ANSI_STDIO 1
#endif
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#if defined(__GNUC__)
#define WSTEST_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#define WSTEST_UNUSED       __attribute__((unused))
#else
#define WSTEST_PRINTF(f, a)
#define WSTEST_UNUSED
#endif

static volatile LONG wstest_successes;
static volatile LONG wstest_failures;
static volatile LONG wstest_skipped;
static volatile LONG wstest_todos;
static int wstest_verbose;
static const char *wstest_name = "wstest";
static CRITICAL_SECTION wstest_print_cs;

static const char *wstest_basename(const char *file)
{
    const char *p, *base = file;

    for (p = file; *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    return base;
}

static void wstest_vprint(const char *file, int line, const char *kind,
                          const char *fmt, va_list args)
{
    EnterCriticalSection(&wstest_print_cs);
    if (file) printf("%s:%d: %s", wstest_basename(file), line, kind);
    vprintf(fmt, args);
    fflush(stdout);
    LeaveCriticalSection(&wstest_print_cs);
}

/* One check: counted, printed when it failed (or always with WSTEST_VERBOSE). */
static WSTEST_UNUSED int wstest_vok(const char *file, int line, int condition, const char *fmt, va_list args)
{
    if (condition)
    {
        InterlockedIncrement(&wstest_successes);
        if (wstest_verbose) wstest_vprint(file, line, "Test succeeded: ", fmt, args);
    }
    else
    {
        InterlockedIncrement(&wstest_failures);
        wstest_vprint(file, line, "Test failed: ", fmt, args);
    }
    return condition;
}

static WSTEST_UNUSED WSTEST_PRINTF(4, 5) int wstest_ok(const char *file, int line, int condition, const char *fmt, ...)
{
    DWORD saved_error = GetLastError();
    va_list args;

    va_start(args, fmt);
    wstest_vok(file, line, condition, fmt, args);
    va_end(args);
    SetLastError(saved_error);
    return condition;
}

static WSTEST_UNUSED WSTEST_PRINTF(3, 4) void wstest_skip(const char *file, int line, const char *fmt, ...)
{
    DWORD saved_error = GetLastError();
    va_list args;

    InterlockedIncrement(&wstest_skipped);
    va_start(args, fmt);
    wstest_vprint(file, line, "Tests skipped: ", fmt, args);
    va_end(args);
    SetLastError(saved_error);
}

static WSTEST_UNUSED WSTEST_PRINTF(3, 4) void wstest_trace(const char *file, int line, const char *fmt, ...)
{
    DWORD saved_error = GetLastError();
    va_list args;

    va_start(args, fmt);
    wstest_vprint(file, line, "", fmt, args);
    va_end(args);
    SetLastError(saved_error);
}

/* Whether our provider answers: its GUID, which no other provider uses. */
static WSTEST_UNUSED int wstest_is_ours(void)
{
    static const GUID ours = { 0x9c9cbafb, 0xb9e9, 0x49a9, { 0x8d, 0x67, 0x72, 0x55, 0x13, 0x5c, 0x50, 0x45 } };
    static int known = -1;
    WSAPROTOCOL_INFOW info[32];
    DWORD size = sizeof(info);
    int n, i, found = 0;

    if (known >= 0) return known;
    n = WSAEnumProtocolsW(NULL, info, &size);
    for (i = 0; i < n; i++)
        if (!memcmp(&info[i].ProviderId, &ours, sizeof(ours))) found = 1;
    return known = found;
}

static WSTEST_UNUSED WSTEST_PRINTF(4, 5) int wstest_todo(const char *file, int line, int condition, const char *fmt,
                                                         ...)
{
    DWORD saved_error = GetLastError();
    va_list args;

    if (!wstest_is_ours())
    {
        va_start(args, fmt);
        wstest_vok(file, line, condition, fmt, args);
        va_end(args);
    }
    else if (condition)
    {
        InterlockedIncrement(&wstest_failures);
        va_start(args, fmt);
        wstest_vprint(file, line, "Test succeeded inside todo block: ", fmt, args);
        va_end(args);
    }
    else
    {
        InterlockedIncrement(&wstest_todos);
        va_start(args, fmt);
        wstest_vprint(file, line, "Test marked todo: ", fmt, args);
        va_end(args);
    }
    SetLastError(saved_error);
    return condition;
}

#define ok(cond, ...)        wstest_ok(__FILE__, __LINE__, !!(cond), __VA_ARGS__)
#define todo_ours(cond, ...) wstest_todo(__FILE__, __LINE__, !!(cond), __VA_ARGS__)
#define skip(...)            wstest_skip(__FILE__, __LINE__, __VA_ARGS__)
#define trace(...)           wstest_trace(__FILE__, __LINE__, __VA_ARGS__)

static void wstest_summary(void)
{
    EnterCriticalSection(&wstest_print_cs);
    printf("%s: %ld tests executed (%ld marked as todo, %ld %s), %ld skipped.\n", wstest_name,
           (long)(wstest_successes + wstest_failures + wstest_todos), (long)wstest_todos, (long)wstest_failures,
           wstest_failures == 1 ? "failure" : "failures", (long)wstest_skipped);
    fflush(stdout);
    LeaveCriticalSection(&wstest_print_cs);
}

static int wstest_exit_code(void)
{
    LONG failures = wstest_failures;
    return failures > 255 ? 255 : (int)failures;
}

static DWORD WINAPI wstest_watchdog(void *arg)
{
    DWORD seconds = (DWORD)(ULONG_PTR)arg;

    Sleep(seconds * 1000);
    InterlockedIncrement(&wstest_failures);
    EnterCriticalSection(&wstest_print_cs);
    printf("%s: Test failed: timed out after %lu seconds\n", wstest_name, (unsigned long)seconds);
    fflush(stdout);
    LeaveCriticalSection(&wstest_print_cs);
    wstest_summary();
    ExitProcess(wstest_exit_code() ? (UINT)wstest_exit_code() : 1);
    return 0;
}

/* Milliseconds since an arbitrary start, for measuring how long a call took. */
static WSTEST_UNUSED ULONGLONG wstest_ticks(void)
{
    return GetTickCount64();
}

static int wstest_run(const char *name, void (*func)(void))
{
    const char *env;
    DWORD timeout = 90;
    HANDLE watchdog = NULL;

    wstest_name = name;
    InitializeCriticalSection(&wstest_print_cs);
    setvbuf(stdout, NULL, _IONBF, 0);
    if ((env = getenv("WSTEST_VERBOSE")) && atoi(env) > 0) wstest_verbose = 1;
    if ((env = getenv("WSTEST_TIMEOUT"))) timeout = (DWORD)atoi(env);
    if (timeout)
        watchdog = CreateThread(NULL, 0, wstest_watchdog, (void *)(ULONG_PTR)timeout, 0, NULL);

    func();

    wstest_summary();
    if (watchdog) CloseHandle(watchdog);
    return wstest_exit_code();
}

#define START_TEST(name)                              \
    static void wstest_func_##name(void);             \
    int main(void)                                    \
    {                                                 \
        return wstest_run(#name, wstest_func_##name); \
    }                                                 \
    static void wstest_func_##name(void)

/* --------------------------------------------------------- guarded calls
 * wstest_guarded(what, fn, arg) runs fn(arg) in a thread of its own and
 * waits for it (at most 30 s).  Checks that pass bad pointers go there: on
 * Windows such a call fails with WSAEFAULT, but an implementation that
 * dereferences the pointer would crash the whole program.  An access
 * violation that nothing handles ends only that thread (through the
 * top-level exception filter, which runs after every handler of the DLL
 * under test had its chance) and counts as one failure.  Returns 1 when fn
 * returned normally. */
#define WSTEST_CRASHED 0xdeadc0deu

static DWORD wstest_guard_tls = TLS_OUT_OF_INDEXES;
static LPTOP_LEVEL_EXCEPTION_FILTER wstest_prev_filter;

static LONG WINAPI wstest_guard_filter(EXCEPTION_POINTERS *ep)
{
    if (wstest_guard_tls != TLS_OUT_OF_INDEXES && TlsGetValue(wstest_guard_tls))
        ExitThread(WSTEST_CRASHED);
    return wstest_prev_filter ? wstest_prev_filter(ep) : EXCEPTION_CONTINUE_SEARCH;
}

struct wstest_guard
{
    LPTHREAD_START_ROUTINE fn;
    void *arg;
};

static DWORD WINAPI wstest_guard_thread(void *param)
{
    struct wstest_guard *guard = param;

    TlsSetValue(wstest_guard_tls, (void *)1);
    guard->fn(guard->arg);
    return 0;
}

static WSTEST_UNUSED int wstest_guarded_at(const char *file, int line, const char *what,
                                           LPTHREAD_START_ROUTINE fn, void *arg)
{
    struct wstest_guard guard = { fn, arg };
    DWORD code = 0, wait;
    HANDLE thread;

    if (wstest_guard_tls == TLS_OUT_OF_INDEXES)
    {
        wstest_guard_tls = TlsAlloc();
        wstest_prev_filter = SetUnhandledExceptionFilter(wstest_guard_filter);
    }
    thread = CreateThread(NULL, 0, wstest_guard_thread, &guard, 0, NULL);
    if (!thread)
    {
        wstest_ok(file, line, 0, "%s: CreateThread failed\n", what);
        return 0;
    }
    wait = WaitForSingleObject(thread, 30000);
    if (wait == WAIT_OBJECT_0) GetExitCodeThread(thread, &code);
    CloseHandle(thread);
    if (wait != WAIT_OBJECT_0)
    {
        wstest_ok(file, line, 0, "%s did not return within 30 s\n", what);
        return 0;
    }
    if (code == WSTEST_CRASHED)
    {
        wstest_ok(file, line, 0, "%s crashed with an access violation\n", what);
        return 0;
    }
    return 1;
}

#define wstest_guarded(what, fn, arg) wstest_guarded_at(__FILE__, __LINE__, what, fn, arg)

/* ------------------------------------------------------------------ helpers
 * Small helpers shared by the programs.  They only use documented Winsock
 * calls, and every wait is bounded. */

/* Wait until s is readable (data, end of stream, reset or a pending
 * connection), at most ms milliseconds.  Returns 1 when readable.
 *
 * If select() itself fails (an implementation without it), that is
 * reported once as a failure, and from then on the helper returns 1 at
 * once: the caller's blocking call then waits by itself, bounded by the
 * watchdog, so that a program still checks what it is about. */
static volatile LONG wstest_select_broken;

static WSTEST_UNUSED int wstest_wait_readable_at(const char *file, int line, SOCKET s, DWORD ms)
{
    fd_set set;
    struct timeval tv;
    int ret, error;

    if (wstest_select_broken) return 1;
    FD_ZERO(&set);
    FD_SET(s, &set);
    tv.tv_sec = (long)(ms / 1000);
    tv.tv_usec = (long)((ms % 1000) * 1000);
    ret = select(0, &set, NULL, NULL, &tv);
    if (ret == SOCKET_ERROR)
    {
        error = WSAGetLastError();
        if (error != WSAENOTSOCK && !InterlockedExchange(&wstest_select_broken, 1))
        {
            wstest_ok(file, line, 0, "select failed with error %d; the rest of the program waits "
                                     "in blocking calls instead\n",
                      error);
            WSASetLastError(error);
            return 1;
        }
    }
    return ret == 1;
}

#define wstest_wait_readable(s, ms) wstest_wait_readable_at(__FILE__, __LINE__, s, ms)

/* The loopback address of af (AF_INET or AF_INET6), port 0, in *addr;
 * returns its length. */
static WSTEST_UNUSED int wstest_loopback(int af, struct sockaddr_storage *addr)
{
    memset(addr, 0, sizeof(*addr));
    if (af == AF_INET6)
    {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)addr;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_addr = in6addr_loopback;
        return sizeof(*sin6);
    }
    else
    {
        struct sockaddr_in *sin = (struct sockaddr_in *)addr;
        sin->sin_family = AF_INET;
        sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return sizeof(*sin);
    }
}

/* A port of 127.0.0.1 that no socket of type (SOCK_STREAM, SOCK_DGRAM)
 * has (bound once, then released), in network order. */
static WSTEST_UNUSED u_short wstest_closed_port(int type)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr);
    SOCKET s = socket(AF_INET, type, 0);

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(s, (struct sockaddr *)&addr, sizeof(addr));
    getsockname(s, (struct sockaddr *)&addr, &len);
    closesocket(s);
    return addr.sin_port;
}

/* Make a listening TCP socket on the loopback address of af, on an
 * ephemeral port; its address goes to *addr / *addrlen. */
static WSTEST_UNUSED SOCKET wstest_listener(int af, struct sockaddr_storage *addr, int *addrlen)
{
    int len = wstest_loopback(af, addr);
    SOCKET s = socket(af, SOCK_STREAM, IPPROTO_TCP);

    if (s == INVALID_SOCKET) return INVALID_SOCKET;
    if (bind(s, (struct sockaddr *)addr, len) || getsockname(s, (struct sockaddr *)addr, &len) || listen(s, 8))
    {
        int error = WSAGetLastError();
        closesocket(s);
        WSASetLastError(error);
        return INVALID_SOCKET;
    }
    *addrlen = len;
    return s;
}

/* A message-only window of the class name (registered here) whose messages
 * go to proc, for WSAAsyncSelect and WSAAsyncGet*. */
static WSTEST_UNUSED HWND wstest_message_window(WNDPROC proc, const char *name)
{
    WNDCLASSA wc;

    memset(&wc, 0, sizeof(wc));
    wc.lpfnWndProc = proc;
    wc.hInstance = GetModuleHandleA(NULL);
    wc.lpszClassName = name;
    RegisterClassA(&wc);
    return CreateWindowExA(0, name, name, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, GetModuleHandleA(NULL), NULL);
}

/* A connected TCP pair over the loopback of af: *client is the connecting
 * end, *server the accepted one.  Returns 0 on success. */
static WSTEST_UNUSED int wstest_tcp_pair(int af, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    int addrlen, error = 0;
    SOCKET listener;

    *client = *server = INVALID_SOCKET;
    if ((listener = wstest_listener(af, &addr, &addrlen)) == INVALID_SOCKET) return -1;
    *client = socket(af, SOCK_STREAM, IPPROTO_TCP);
    if (*client == INVALID_SOCKET || connect(*client, (struct sockaddr *)&addr, addrlen))
        error = WSAGetLastError();
    else if (!wstest_wait_readable(listener, 10000))
        error = WSAGetLastError() ? WSAGetLastError() : WSAETIMEDOUT;
    else if ((*server = accept(listener, NULL, NULL)) == INVALID_SOCKET)
        error = WSAGetLastError();
    closesocket(listener);
    if (*client == INVALID_SOCKET || *server == INVALID_SOCKET)
    {
        if (*client != INVALID_SOCKET) closesocket(*client);
        *client = *server = INVALID_SOCKET;
        WSASetLastError(error);
        return -1;
    }
    return 0;
}

/* A temporary file of len bytes of a pattern, which data receives too, its
 * file pointer at the start; its name goes to path (MAX_PATH characters),
 * for DeleteFileA after CloseHandle.  Two checks (CreateFile, WriteFile);
 * INVALID_HANDLE_VALUE when it could not be made. */
static WSTEST_UNUSED HANDLE wstest_temp_file_at(const char *file, int line, char *path, char *data, DWORD len)
{
    char dir[MAX_PATH];
    DWORD written, i;
    HANDLE h;

    for (i = 0; i < len; i++) data[i] = (char)(i * 7 + (i >> 8));
    GetTempPathA(sizeof(dir), dir);
    GetTempFileNameA(dir, "wst", 0, path);
    h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    wstest_ok(file, line, h != INVALID_HANDLE_VALUE, "CreateFile failed, error %lu\n", GetLastError());
    if (h == INVALID_HANDLE_VALUE) return h;
    wstest_ok(file, line, WriteFile(h, data, len, &written, NULL) && written == len, "WriteFile failed\n");
    SetFilePointer(h, 0, NULL, FILE_BEGIN);
    return h;
}

#define wstest_temp_file(path, data, len) wstest_temp_file_at(__FILE__, __LINE__, path, data, len)

/* What an AcceptEx needs on the loopback of af: a listener on an ephemeral
 * port (its address in addr), the socket to accept into, a client not yet
 * connected, and an OVERLAPPED with a manual-reset event.  The two new
 * sockets are one check.  Returns 0, with nothing made, when no listener
 * could be made; wstest_accept_close ends what it made. */
struct wstest_accept
{
    SOCKET listener, acceptor, client;
    struct sockaddr_storage addr;
    int addrlen;
    OVERLAPPED ov;
};

static WSTEST_UNUSED int wstest_accept_setup_at(const char *file, int line, int af, struct wstest_accept *a)
{
    memset(a, 0, sizeof(*a));
    a->listener = wstest_listener(af, &a->addr, &a->addrlen);
    if (a->listener == INVALID_SOCKET) return 0;
    a->acceptor = socket(af, SOCK_STREAM, IPPROTO_TCP);
    a->client = socket(af, SOCK_STREAM, IPPROTO_TCP);
    wstest_ok(file, line, a->acceptor != INVALID_SOCKET && a->client != INVALID_SOCKET, "sockets: %d\n",
              WSAGetLastError());
    a->ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    return 1;
}

#define wstest_accept_setup(af, a) wstest_accept_setup_at(__FILE__, __LINE__, af, a)

static WSTEST_UNUSED void wstest_accept_close(struct wstest_accept *a)
{
    closesocket(a->client);
    closesocket(a->acceptor);
    closesocket(a->listener);
    CloseHandle(a->ov.hEvent);
}

/* Whether sa is the loopback address of its family, on port (network order). */
static WSTEST_UNUSED int wstest_is_loopback(const struct sockaddr *sa, u_short port)
{
    if (sa->sa_family == AF_INET6)
        return ((const struct sockaddr_in6 *)sa)->sin6_port == port &&
               IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
    return sa->sa_family == AF_INET && ((const struct sockaddr_in *)sa)->sin_port == port &&
           ((const struct sockaddr_in *)sa)->sin_addr.s_addr == htonl(INADDR_LOOPBACK);
}

/* The port of an IPv4 or IPv6 address, in network order. */
static WSTEST_UNUSED u_short wstest_port(const void *sa)
{
    return ((const struct sockaddr *)sa)->sa_family == AF_INET6 ? ((const struct sockaddr_in6 *)sa)->sin6_port
                                                                : ((const struct sockaddr_in *)sa)->sin_port;
}

/* The addresses GetAcceptExSockaddrs found after an AcceptEx of a: local
 * must be the listener's, remote the client's (five checks). */
static WSTEST_UNUSED void wstest_check_accept_addrs_at(const char *file, int line, const struct wstest_accept *a,
                                                       const struct sockaddr *local, int local_len,
                                                       const struct sockaddr *remote, int remote_len)
{
    int size = a->addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    struct sockaddr_storage name;
    int len = sizeof(name);

    wstest_ok(file, line, !getsockname(a->client, (struct sockaddr *)&name, &len), "getsockname failed, error %d\n",
              WSAGetLastError());
    wstest_ok(file, line, local && local_len == size, "local length %d\n", local_len);
    wstest_ok(file, line, remote && remote_len == size, "remote length %d\n", remote_len);
    if (!local || !remote) return;
    wstest_ok(file, line, local->sa_family == a->addr.ss_family && wstest_is_loopback(local, wstest_port(&a->addr)),
              "wrong local address (family %d, port %u)\n", local->sa_family, ntohs(wstest_port(local)));
    wstest_ok(file, line, remote->sa_family == a->addr.ss_family && wstest_is_loopback(remote, wstest_port(&name)),
              "wrong remote address (family %d, port %u, want %u)\n", remote->sa_family, ntohs(wstest_port(remote)),
              ntohs(wstest_port(&name)));
}

#define wstest_check_accept_addrs(a, local, local_len, remote, remote_len) \
    wstest_check_accept_addrs_at(__FILE__, __LINE__, a, local, local_len, remote, remote_len)

/* A connected TCP pair on 127.0.0.1 made with blocking calls; connect and
 * accept are checked (two checks), and bind and listen as well when
 * check_listener is set (four).  A non-zero rcvbuf is set on the listener
 * first, so the accepted end advertises that small a window. */
static WSTEST_UNUSED void wstest_checked_pair_at(const char *file, int line, SOCKET *client, SOCKET *server,
                                                 int rcvbuf, int check_listener)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr), ret;
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (rcvbuf) setsockopt(l, SOL_SOCKET, SO_RCVBUF, (char *)&rcvbuf, sizeof(rcvbuf));
    ret = bind(l, (struct sockaddr *)&addr, sizeof(addr));
    if (check_listener) wstest_ok(file, line, !ret, "bind: %d\n", WSAGetLastError());
    ret = listen(l, 1);
    if (check_listener) wstest_ok(file, line, !ret, "listen: %d\n", WSAGetLastError());
    getsockname(l, (struct sockaddr *)&addr, &len);
    *client = socket(AF_INET, SOCK_STREAM, 0);
    wstest_ok(file, line, !connect(*client, (struct sockaddr *)&addr, sizeof(addr)), "connect: %d\n",
              WSAGetLastError());
    *server = accept(l, NULL, NULL);
    wstest_ok(file, line, *server != INVALID_SOCKET, "accept: %d\n", WSAGetLastError());
    closesocket(l);
}

#define wstest_checked_pair(client, server, rcvbuf) \
    wstest_checked_pair_at(__FILE__, __LINE__, client, server, rcvbuf, 0)
#define wstest_checked_pair4(client, server) wstest_checked_pair_at(__FILE__, __LINE__, client, server, 0, 1)

/* Receive len bytes, each wait for more at most ms milliseconds; fewer when
 * the stream ends, fails or stays silent that long. */
static WSTEST_UNUSED int wstest_recv_exact(SOCKET s, char *buf, int len, DWORD ms)
{
    int done = 0, ret;

    while (done < len)
    {
        if (!wstest_wait_readable(s, ms)) break;
        if ((ret = recv(s, buf + done, len - done, 0)) <= 0) break;
        done += ret;
    }
    return done;
}

/* Whether the peer of s stays quiet for ms milliseconds: nothing to read,
 * neither data nor the end of the stream nor a reset.  Leaves s blocking,
 * and the last error as recv left it. */
static WSTEST_UNUSED int wstest_peer_idle(SOCKET s, DWORD ms)
{
    u_long nb = 1;
    char c;
    int ret, error;

    ioctlsocket(s, FIONBIO, &nb);
    Sleep(ms);
    ret = recv(s, &c, 1, 0);
    error = WSAGetLastError();
    nb = 0;
    ioctlsocket(s, FIONBIO, &nb);
    WSASetLastError(error);
    return ret == SOCKET_ERROR && error == WSAEWOULDBLOCK;
}

#endif /* WSTEST_H */
