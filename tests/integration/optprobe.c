/*
 * optprobe: Windows-side helper of tests/integration/optlinux.sh, which
 * checks socket options from the Linux side.
 *
 * A plain Winsock program: it builds with MinGW, runs under Wine with this
 * project's ws2_32.dll, and means the same on real Windows.  It prints
 * "key=value" lines for the script.
 *
 *   optprobe keepalive SECS
 *       A loopback TCP connection inside the process.  On the connecting
 *       socket: SO_KEEPALIVE on, TCP_KEEPALIVE (idle) 7 s, TCP_KEEPINTVL
 *       3 s, TCP_KEEPCNT 4 ("IPPROTO_TCP socket options").  Prints what
 *       setsockopt returned ("set ..."), the values read back ("get ..."),
 *       then "ready client_port=P server_port=Q", and waits SECS seconds
 *       for the script to look at the sockets.
 *
 *   optprobe hold MODE ADDR SECS
 *       MODE is default, reuse (SO_REUSEADDR) or exclusive
 *       (SO_EXCLUSIVEADDRUSE), set before bind; ADDR 0.0.0.0 or 127.0.0.1.
 *       Binds ADDR on a port nothing holds, prints "bound port=P error=E"
 *       and waits SECS seconds, holding it.
 *
 *   optprobe try PORT
 *       For each MODE and each ADDR, a new TCP socket binds ADDR:PORT and
 *       prints "try mode=MODE addr=ADDR error=E" (E is 0 when bind
 *       succeeded), then closes it.
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00
#endif
#ifndef __USE_MINGW_ANSI_STDIO
#define __USE_MINGW_ANSI_STDIO 1
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Missing from MinGW-w64's headers; values from "IPPROTO_TCP socket options". */
#ifndef TCP_KEEPALIVE
#define TCP_KEEPALIVE 3
#endif
#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL 17
#endif

static const char *const modes[] = { "default", "reuse", "exclusive" };
static const char *const addrs[] = { "0.0.0.0", "127.0.0.1" };

static int error_of(int ret)
{
    return ret ? WSAGetLastError() : 0;
}

static int set_dword(SOCKET s, int level, int name, DWORD value)
{
    return error_of(setsockopt(s, level, name, (const char *)&value, sizeof(value)));
}

static long get_dword(SOCKET s, int level, int name)
{
    DWORD value = 0;
    int len = sizeof(value);

    if (getsockopt(s, level, name, (char *)&value, &len)) return -(long)WSAGetLastError();
    /* SO_KEEPALIVE is one byte on Windows */
    if (len == 1) value &= 0xff;
    return (long)value;
}

static u_short port_of(SOCKET s)
{
    struct sockaddr_in sin;
    int len = sizeof(sin);

    if (getsockname(s, (struct sockaddr *)&sin, &len)) return 0;
    return ntohs(sin.sin_port);
}

static int keepalive(int secs)
{
    struct sockaddr_in sin;
    SOCKET l, c, a;
    int len = sizeof(sin);

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (l == INVALID_SOCKET || c == INVALID_SOCKET || bind(l, (struct sockaddr *)&sin, sizeof(sin)) ||
        getsockname(l, (struct sockaddr *)&sin, &len) || listen(l, 1) ||
        connect(c, (struct sockaddr *)&sin, sizeof(sin)))
    {
        printf("error setup=%d\n", WSAGetLastError());
        return 1;
    }
    if ((a = accept(l, NULL, NULL)) == INVALID_SOCKET)
    {
        printf("error accept=%d\n", WSAGetLastError());
        return 1;
    }
    printf("set keepalive=%d idle=%d intvl=%d cnt=%d\n", set_dword(c, SOL_SOCKET, SO_KEEPALIVE, 1),
           set_dword(c, IPPROTO_TCP, TCP_KEEPALIVE, 7), set_dword(c, IPPROTO_TCP, TCP_KEEPINTVL, 3),
           set_dword(c, IPPROTO_TCP, TCP_KEEPCNT, 4));
    printf("get keepalive=%ld idle=%ld intvl=%ld cnt=%ld\n", get_dword(c, SOL_SOCKET, SO_KEEPALIVE),
           get_dword(c, IPPROTO_TCP, TCP_KEEPALIVE), get_dword(c, IPPROTO_TCP, TCP_KEEPINTVL),
           get_dword(c, IPPROTO_TCP, TCP_KEEPCNT));
    printf("ready client_port=%u server_port=%u\n", port_of(c), port_of(a));
    Sleep(secs * 1000);
    closesocket(a);
    closesocket(c);
    closesocket(l);
    return 0;
}

static SOCKET share_socket(int mode)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    if (s == INVALID_SOCKET) return s;
    if (mode == 1) set_dword(s, SOL_SOCKET, SO_REUSEADDR, 1);
    if (mode == 2) set_dword(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1);
    return s;
}

static int bind_to(SOCKET s, const char *addr, u_short port)
{
    struct sockaddr_in sin;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = inet_addr(addr);
    sin.sin_port = htons(port);
    return error_of(bind(s, (struct sockaddr *)&sin, sizeof(sin)));
}

static int find(const char *const *names, int count, const char *name)
{
    int i;

    for (i = 0; i < count; i++)
        if (!strcmp(names[i], name)) return i;
    return -1;
}

static int hold(const char *mode_name, const char *addr, int secs)
{
    int mode = find(modes, 3, mode_name), error = -1, tries;
    u_short port = 0;
    SOCKET s = INVALID_SOCKET;

    if (mode < 0 || find(addrs, 2, addr) < 0) return 2;
    /* A port nothing holds (bound once and let go), then bound for real. */
    for (tries = 0; tries < 5 && error; tries++)
    {
        SOCKET probe = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

        if (probe == INVALID_SOCKET || bind_to(probe, "127.0.0.1", 0)) break;
        port = port_of(probe);
        closesocket(probe);
        if ((s = share_socket(mode)) == INVALID_SOCKET) break;
        if ((error = bind_to(s, addr, port))) closesocket(s);
    }
    printf("bound port=%u error=%d\n", port, error);
    if (error) return 1;
    Sleep(secs * 1000);
    closesocket(s);
    return 0;
}

static int try_all(u_short port)
{
    int mode, addr;

    for (mode = 0; mode < 3; mode++)
        for (addr = 0; addr < 2; addr++)
        {
            SOCKET s = share_socket(mode);

            if (s == INVALID_SOCKET)
            {
                printf("error socket=%d\n", WSAGetLastError());
                return 1;
            }
            printf("try mode=%s addr=%s error=%d\n", modes[mode], addrs[addr], bind_to(s, addrs[addr], port));
            closesocket(s);
        }
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA data;
    int ret = 2;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (WSAStartup(MAKEWORD(2, 2), &data))
    {
        printf("error startup\n");
        return 1;
    }
    if (argc == 3 && !strcmp(argv[1], "keepalive")) ret = keepalive(atoi(argv[2]));
    else if (argc == 5 && !strcmp(argv[1], "hold")) ret = hold(argv[2], argv[3], atoi(argv[4]));
    else if (argc == 3 && !strcmp(argv[1], "try")) ret = try_all((u_short)atoi(argv[2]));
    else fprintf(stderr, "usage: optprobe keepalive SECS | hold MODE ADDR SECS | try PORT\n");
    WSACleanup();
    return ret;
}
