/*
 * Windows' own HTTP clients on top of ws2_32: WinHTTP and WinINet fetch a
 * page over loopback, and wsock32 (which forwards to ws2_32) makes a socket.
 * Under Wine these are Wine's DLLs importing ws2_32, so with ours installed
 * they run on ours.
 *
 * The page comes from a native peer when WS2TEST_HTTP_PORT names its port
 * on 127.0.0.1 (tests/integration/httpclients.sh starts one serving
 * /hello.txt); otherwise (on Windows, or run alone) from a small server in
 * a thread of this program.  Either way /hello.txt holds HTTP_BODY.
 */
#include "wstest.h"
#include <winhttp.h>

/* MinGW's wininet.h and winhttp.h cannot both be included: the few WinINet
 * declarations used here, with the values Microsoft documents. */
#define INTERNET_OPEN_TYPE_DIRECT    1
#define INTERNET_FLAG_RELOAD         0x80000000
#define INTERNET_FLAG_NO_CACHE_WRITE 0x04000000
#define INTERNET_FLAG_PRAGMA_NOCACHE 0x00000100
#define HTTP_QUERY_STATUS_CODE       19
#define HTTP_QUERY_FLAG_NUMBER       0x20000000
HINTERNET WINAPI InternetOpenA(LPCSTR agent, DWORD access, LPCSTR proxy, LPCSTR bypass, DWORD flags);
HINTERNET WINAPI InternetOpenUrlA(HINTERNET session, LPCSTR url, LPCSTR headers, DWORD headers_len, DWORD flags,
                                  DWORD_PTR context);
BOOL WINAPI HttpQueryInfoA(HINTERNET request, DWORD level, void *buffer, DWORD *len, DWORD *index);
BOOL WINAPI InternetReadFile(HINTERNET file, void *buffer, DWORD size, DWORD *read);
BOOL WINAPI InternetCloseHandle(HINTERNET handle);

#define HTTP_BODY "ws2server http page\n"

static SOCKET http_listener = INVALID_SOCKET;
static volatile LONG http_stop;
static int http_port;

/* Serve each connection one response, then close it; ends when the listener is closed. */
static DWORD WINAPI serve(void *arg)
{
    static const char response[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %u\r\n"
                                   "Connection: close\r\n\r\n%s";
    char request[4096], reply[256];
    (void)arg;

    for (;;)
    {
        SOCKET s = accept(http_listener, NULL, NULL);
        int got = 0, n, len;

        if (s == INVALID_SOCKET || http_stop)
        {
            if (s != INVALID_SOCKET) closesocket(s);
            return 0;
        }
        /* The request ends with an empty line. */
        while (got < (int)sizeof(request) - 1 && (n = recv(s, request + got, sizeof(request) - 1 - got, 0)) > 0)
        {
            got += n;
            request[got] = 0;
            if (strstr(request, "\r\n\r\n")) break;
        }
        len = snprintf(reply, sizeof(reply), response, (unsigned)strlen(HTTP_BODY), HTTP_BODY);
        send(s, reply, len, 0);
        shutdown(s, SD_SEND);
        while (recv(s, request, sizeof(request), 0) > 0) continue;
        closesocket(s);
    }
}

/* The port of the page: the native peer's, or that of a server started here. */
static int page_port(HANDLE *thread)
{
    const char *env = getenv("WS2TEST_HTTP_PORT");
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr);

    *thread = NULL;
    if (env && atoi(env) > 0)
    {
        trace("fetching from the native peer on port %d\n", atoi(env));
        return atoi(env);
    }
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    http_listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (!ok(http_listener != INVALID_SOCKET, "socket: %d\n", WSAGetLastError())) return 0;
    if (!ok(!bind(http_listener, (struct sockaddr *)&addr, sizeof(addr)) && !listen(http_listener, 8) &&
                !getsockname(http_listener, (struct sockaddr *)&addr, &len),
            "listener: %d\n", WSAGetLastError()))
        return 0;
    *thread = CreateThread(NULL, 0, serve, NULL, 0, NULL);
    ok(*thread != NULL, "CreateThread: %lu\n", GetLastError());
    return http_port = ntohs(addr.sin_port);
}

static void test_winhttp(int port)
{
    HINTERNET session, connection = NULL, request = NULL;
    char body[256];
    DWORD status = 0, size = sizeof(status), got = 0, n;
    BOOL ret;

    session = WinHttpOpen(L"ws2test", WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
    if (!ok(session != NULL, "WinHttpOpen: %lu\n", GetLastError())) return;
    WinHttpSetTimeouts(session, 10000, 10000, 10000, 10000);
    connection = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)port, 0);
    ok(connection != NULL, "WinHttpConnect: %lu\n", GetLastError());
    if (connection) request = WinHttpOpenRequest(connection, L"GET", L"/hello.txt", NULL, WINHTTP_NO_REFERER,
                                                 WINHTTP_DEFAULT_ACCEPT_TYPES, 0);
    ok(request != NULL, "WinHttpOpenRequest: %lu\n", GetLastError());
    if (request)
    {
        ret = WinHttpSendRequest(request, WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA, 0, 0, 0);
        ok(ret, "WinHttpSendRequest: %lu\n", GetLastError());
        ret = ret && WinHttpReceiveResponse(request, NULL);
        ok(ret, "WinHttpReceiveResponse: %lu\n", GetLastError());
        if (ret)
        {
            WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                                WINHTTP_HEADER_NAME_BY_INDEX, &status, &size, WINHTTP_NO_HEADER_INDEX);
            ok(status == 200, "WinHTTP status %lu\n", status);
            while (got < sizeof(body) - 1 && WinHttpReadData(request, body + got, sizeof(body) - 1 - got, &n) && n)
                got += n;
            body[got] = 0;
            ok(!strcmp(body, HTTP_BODY), "WinHTTP body %lu bytes: \"%s\"\n", got, body);
        }
        WinHttpCloseHandle(request);
    }
    if (connection) WinHttpCloseHandle(connection);
    WinHttpCloseHandle(session);
}

static void test_wininet(int port)
{
    HINTERNET session, url;
    char address[64], body[256];
    DWORD status = 0, size = sizeof(status), got = 0, n;

    session = InternetOpenA("ws2test", INTERNET_OPEN_TYPE_DIRECT, NULL, NULL, 0);
    if (!ok(session != NULL, "InternetOpenA: %lu\n", GetLastError())) return;
    snprintf(address, sizeof(address), "http://127.0.0.1:%d/hello.txt", port);
    url = InternetOpenUrlA(session, address, NULL, 0,
                           INTERNET_FLAG_RELOAD | INTERNET_FLAG_NO_CACHE_WRITE | INTERNET_FLAG_PRAGMA_NOCACHE, 0);
    if (ok(url != NULL, "InternetOpenUrlA(%s): %lu\n", address, GetLastError()))
    {
        ok(HttpQueryInfoA(url, HTTP_QUERY_STATUS_CODE | HTTP_QUERY_FLAG_NUMBER, &status, &size, NULL),
           "HttpQueryInfoA: %lu\n", GetLastError());
        ok(status == 200, "WinINet status %lu\n", status);
        while (got < sizeof(body) - 1 && InternetReadFile(url, body + got, sizeof(body) - 1 - got, &n) && n)
            got += n;
        body[got] = 0;
        ok(!strcmp(body, HTTP_BODY), "WinINet body %lu bytes: \"%s\"\n", got, body);
        InternetCloseHandle(url);
    }
    InternetCloseHandle(session);
}

/* wsock32's socket calls are ws2_32's, loaded by name as old programs do. */
typedef SOCKET(WINAPI *socket_fn)(int, int, int);
typedef int(WINAPI *closesocket_fn)(SOCKET);

static void test_wsock32(void)
{
    socket_fn p_socket;
    closesocket_fn p_closesocket;
    HMODULE wsock32 = LoadLibraryA("wsock32.dll");
    SOCKET s;

    if (!ok(wsock32 != NULL, "LoadLibrary(wsock32): %lu\n", GetLastError())) return;
    p_socket = (void *)GetProcAddress(wsock32, "socket");
    p_closesocket = (void *)GetProcAddress(wsock32, "closesocket");
    if (!ok(p_socket && p_closesocket, "wsock32 exports socket and closesocket\n")) return;
    s = p_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "wsock32 socket: %d\n", WSAGetLastError());
    if (s != INVALID_SOCKET)
    {
        int type = 0, len = sizeof(type);

        ok(!getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) && type == SOCK_STREAM,
           "ws2_32 knows wsock32's socket: type %d, error %d\n", type, WSAGetLastError());
        ok(!p_closesocket(s), "wsock32 closesocket: %d\n", WSAGetLastError());
    }
    FreeLibrary(wsock32);
}

START_TEST(httpclients)
{
    WSADATA data;
    HANDLE thread;
    int port;

    if (!ok(!WSAStartup(MAKEWORD(2, 2), &data), "WSAStartup\n")) return;
    /* One ws2_32 per process: the one WinHTTP and WinINet import too. */
    trace("ws2_32 provider: %s\n", wstest_is_ours() ? "ws2server" : "another");
    port = page_port(&thread);
    if (port)
    {
        test_winhttp(port);
        test_wininet(port);
    }
    test_wsock32();
    if (thread)
    {
        /* Wake the accept with one last connection, which it drops. */
        struct sockaddr_in addr = { 0 };
        SOCKET last = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(http_port);
        InterlockedExchange(&http_stop, 1);
        connect(last, (struct sockaddr *)&addr, sizeof(addr));
        ok(WaitForSingleObject(thread, 10000) == WAIT_OBJECT_0, "the page server ends\n");
        closesocket(last);
        closesocket(http_listener);
        CloseHandle(thread);
    }
    WSACleanup();
}
