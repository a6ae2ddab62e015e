/*
 * What a program sees when the socket server stops answering or dies under
 * it (tests/integration/server_faults.sh drives it):
 *
 *   lostserver DIR SECS
 *
 * It makes a listening socket and a connected pair, prints "ready", starts
 * a thread blocked in recv on one end, and waits for the file DIR/go (the
 * script stops or kills the server, then creates it).  Then it prints one
 * line per call, "NAME ret=R error=E ms=T":
 *
 *   recv      the blocked recv, if it returned within SECS s (else "recv still blocked")
 *   getsockopt  SO_LINGER of the listening socket
 *   socket    a new socket, made by a new thread (a new connection to the server)
 *   again     getsockopt of the listening socket once more
 *
 * Windows has no server to lose; what it must be here: WSAENETDOWN from
 * every call that needs the server, within about 10 s when it is stopped,
 * at once when it died, and for the sockets it held from then on.  An
 * option call does not need a stopped server (the socket's slot of the
 * shared region answers), and fails at once when it died.
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static SOCKET listener, client, server;
static volatile LONG recv_done;
static int recv_ret, recv_err;
static DWORD recv_ms, go_at;

static void report(const char *name, int ret, int err, DWORD start)
{
    printf("%s ret=%d error=%d ms=%lu\n", name, ret, err, GetTickCount() - start);
    fflush(stdout);
}

static DWORD WINAPI blocked_recv(void *arg)
{
    char byte;

    (void)arg;
    recv_ret = recv(server, &byte, 1, 0);
    recv_err = recv_ret < 0 ? WSAGetLastError() : 0;
    recv_ms = GetTickCount();
    InterlockedExchange(&recv_done, 1);
    return 0;
}

static DWORD WINAPI new_socket(void *arg)
{
    DWORD start = GetTickCount();
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);

    (void)arg;
    report("socket", s == INVALID_SOCKET ? -1 : 0, s == INVALID_SOCKET ? WSAGetLastError() : 0, start);
    if (s != INVALID_SOCKET) closesocket(s);
    return 0;
}

int main(int argc, char **argv)
{
    struct sockaddr_in addr;
    int len = sizeof(addr), ret, i;
    char go[MAX_PATH];
    struct linger l;
    WSADATA wsa;
    HANDLE thread;
    DWORD start;

    if (argc != 3) return 1;
    snprintf(go, sizeof(go), "%s\\go", argv[1]);
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 1;
    listener = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(listener, 1) ||
        getsockname(listener, (struct sockaddr *)&addr, &len))
        return 2;
    client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(client, (struct sockaddr *)&addr, sizeof(addr))) return 2;
    if ((server = accept(listener, NULL, NULL)) == INVALID_SOCKET) return 2;
    CloseHandle(CreateThread(NULL, 0, blocked_recv, NULL, 0, NULL));
    printf("ready\n");
    fflush(stdout);
    while (GetFileAttributesA(go) == INVALID_FILE_ATTRIBUTES) Sleep(20);
    go_at = GetTickCount();

    for (i = 0; i < atoi(argv[2]) * 50 && !recv_done; i++) Sleep(20);
    /* (It may have returned before "go": the signal comes first.) */
    if (recv_done) printf("recv ret=%d error=%d ms=%ld\n", recv_ret, recv_err, (long)(recv_ms - go_at));
    else printf("recv still blocked\n");

    start = GetTickCount();
    len = sizeof(l);
    ret = getsockopt(listener, SOL_SOCKET, SO_LINGER, (char *)&l, &len);
    report("getsockopt", ret, ret ? WSAGetLastError() : 0, start);

    thread = CreateThread(NULL, 0, new_socket, NULL, 0, NULL);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);

    start = GetTickCount();
    len = sizeof(l);
    ret = getsockopt(listener, SOL_SOCKET, SO_LINGER, (char *)&l, &len);
    report("again", ret, ret ? WSAGetLastError() : 0, start);
    return 0;
}
