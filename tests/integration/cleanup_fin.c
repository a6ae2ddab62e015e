/*
 * cleanup_fin: Windows-side helper of tests/integration/cleanup_peer.sh.
 *
 *   cleanup_fin PORT HOLD_MS [lost]
 *
 * Connects to tests/peer/ws2peer on 127.0.0.1:PORT (header pause=0), sends
 * a few bytes, registers the socket with WSAEventSelect (FD_READ | FD_CLOSE),
 * then calls WSACleanup without closing it and stays alive HOLD_MS more.
 * WSACleanup closes every socket of the process, so the peer must see the
 * FIN at once, not when the process exits.  It prints one line:
 *
 *     connect_ms=.. cleanup=0 cleanup_ms=.. hold_ms=..
 *
 * cleanup_ms is when WSACleanup returned, in ms after connect returned (the
 * peer's t_end_ms counts from its accept, which is about the same moment).
 * A plain Winsock program: it means the same on real Windows.
 *
 * With "lost" (Wine only: the script kills the socket server meanwhile) it
 * prints "ready" instead of calling WSACleanup, then calls getsockopt on the
 * socket every 20 ms until it fails, and prints
 *
 *     lost_error=.. lost_ms=.. hold_ms=..
 *
 * The socket went with the server: the peer must see its end at once.
 */
#ifndef __USE_MINGW_ANSI_STDIO
#define __USE_MINGW_ANSI_STDIO 1
#endif
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static LARGE_INTEGER freq;

static double now_ms(void)
{
    LARGE_INTEGER t;

    QueryPerformanceCounter(&t);
    return t.QuadPart * 1000.0 / freq.QuadPart;
}

int main(int argc, char **argv)
{
    static const char header[] = "WS2PEER label=cleanup pause=0\nsome data";
    struct sockaddr_in addr;
    WSADATA wsa;
    WSAEVENT event;
    double start, connected;
    int port, hold, ret, lost = argc == 4 && !strcmp(argv[3], "lost");
    SOCKET s;

    setvbuf(stdout, NULL, _IONBF, 0);
    QueryPerformanceFrequency(&freq);
    if ((argc != 3 && !lost) || (port = atoi(argv[1])) <= 0 || port > 65535 || (hold = atoi(argv[2])) < 0)
    {
        fprintf(stderr, "Usage: cleanup_fin PORT HOLD_MS [lost]\n");
        return 2;
    }
    if ((ret = WSAStartup(MAKEWORD(2, 2), &wsa)))
    {
        printf("error=WSAStartup:%d\n", ret);
        return 1;
    }
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    start = now_ms();
    if ((s = socket(AF_INET, SOCK_STREAM, 0)) == INVALID_SOCKET ||
        connect(s, (struct sockaddr *)&addr, sizeof(addr)))
    {
        printf("error=connect:%d\n", WSAGetLastError());
        return 1;
    }
    connected = now_ms();
    if (send(s, header, sizeof(header) - 1, 0) != sizeof(header) - 1)
    {
        printf("error=send:%d\n", WSAGetLastError());
        return 1;
    }
    event = WSACreateEvent();
    if (WSAEventSelect(s, event, FD_READ | FD_CLOSE))
    {
        printf("error=WSAEventSelect:%d\n", WSAGetLastError());
        return 1;
    }
    if (lost)
    {
        int type, len = sizeof(type);

        printf("ready\n");
        while (now_ms() - connected < 30000 && !getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len)) Sleep(20);
        printf("lost_error=%d lost_ms=%.0f hold_ms=%d\n", WSAGetLastError(), now_ms() - connected, hold);
        Sleep(hold);
        return 0;
    }
    ret = WSACleanup();
    printf("connect_ms=%.0f cleanup=%d cleanup_ms=%.0f hold_ms=%d\n", connected - start, ret,
           now_ms() - connected, hold);
    Sleep(hold);
    CloseHandle(event);
    return 0;
}
