/*
 * closedemo: what closesocket does under each SO_LINGER setting.
 *
 * A Windows program (it runs on Windows as well as under Wine).  It talks to
 * tests/peer/ws2peer, a Linux peer on the loopback, one connection per
 * scenario.  Each connection starts with a header line that tells the peer
 * how long to leave the data unread, so that the data can be held
 * unacknowledged in the send queue while closesocket runs:
 *
 *   a  linger off, 1 MiB sent, peer reads at once        -> 0 at once, FIN
 *   b  linger {1,0}, data unacknowledged (peer waits 2 s) -> 0 at once, RST
 *   c  linger {1,3}, blocking, peer starts reading at 1 s -> blocks ~1 s, FIN
 *   d  linger {1,1}, blocking, peer waits 3 s            -> blocks 1 s, RST
 *   e  linger {1,5}, non-blocking, data unacknowledged   -> WSAEWOULDBLOCK,
 *      the socket stays valid; then linger {1,0} and close again -> 0, RST
 *
 * One line per scenario on stdout, for scripts:
 *
 *   scenario=b linger=1,0 mode=blocking pause_ms=2000 sent=N closesocket=0 ms=0
 *
 * Usage: closedemo [-6] [-h HOST] PORT [SCENARIOS]
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK        65536
#define BULK_BYTES   (1024 * 1024)
#define FILL_LIMIT   (64 * 1024 * 1024)
#define FILL_TIME_MS 5000

struct scenario
{
    char name;
    int use_linger; /* 0: leave linger at its default (off) */
    u_short onoff, secs;
    int nonblocking_close; /* close in non-blocking mode */
    int pause_ms;          /* how long the peer leaves the data unread */
    const char *what;
};

/* clang-format off */
static const struct scenario scenarios[] =
{
    { 'a', 0, 0, 0, 0, 0,    "linger off, 1 MiB, peer reads at once" },
    { 'b', 1, 1, 0, 0, 2000, "linger {1,0}, data unacknowledged" },
    { 'c', 1, 1, 3, 0, 1000, "linger {1,3} blocking, peer drains after ~1 s" },
    { 'd', 1, 1, 1, 0, 3000, "linger {1,1} blocking, peer waits 3 s" },
    { 'e', 1, 1, 5, 1, 2000, "linger {1,5} non-blocking, data unacknowledged" },
};
/* clang-format on */

static const char *host;
static int family = AF_INET;
static const char *port;
static LARGE_INTEGER freq;
static char sendbuf[CHUNK];

static const char *wsa_name(int err)
{
    switch (err)
    {
    case WSAEWOULDBLOCK: return "WSAEWOULDBLOCK";
    case WSAENOTSOCK: return "WSAENOTSOCK";
    case WSAEINTR: return "WSAEINTR";
    case WSAEINPROGRESS: return "WSAEINPROGRESS";
    case WSAENETDOWN: return "WSAENETDOWN";
    case WSANOTINITIALISED: return "WSANOTINITIALISED";
    case WSAECONNRESET: return "WSAECONNRESET";
    case WSAECONNREFUSED: return "WSAECONNREFUSED";
    case WSAECONNABORTED: return "WSAECONNABORTED";
    case WSAETIMEDOUT: return "WSAETIMEDOUT";
    case WSAEFAULT: return "WSAEFAULT";
    case WSAEINVAL: return "WSAEINVAL";
    case WSAENOPROTOOPT: return "WSAENOPROTOOPT";
    case WSAENOTCONN: return "WSAENOTCONN";
    case WSAESHUTDOWN: return "WSAESHUTDOWN";
    case WSAEAFNOSUPPORT: return "WSAEAFNOSUPPORT";
    case WSAEADDRNOTAVAIL: return "WSAEADDRNOTAVAIL";
    case WSAHOST_NOT_FOUND: return "WSAHOST_NOT_FOUND";
    case WSANO_RECOVERY: return "WSANO_RECOVERY";
    case WSAENOBUFS: return "WSAENOBUFS";
    case WSAEOPNOTSUPP: return "WSAEOPNOTSUPP";
    case WSAEMSGSIZE: return "WSAEMSGSIZE";
    default: return "WSAERROR";
    }
}

/* "0" for success, "NAME(code)" for SOCKET_ERROR. */
static const char *result_str(int ret, int err, char *buf, size_t len)
{
    if (ret == 0) snprintf(buf, len, "0");
    else if (ret == SOCKET_ERROR) snprintf(buf, len, "%s(%d)", wsa_name(err), err);
    else snprintf(buf, len, "%d", ret);
    return buf;
}

static double elapsed_ms(LARGE_INTEGER start)
{
    LARGE_INTEGER now;

    QueryPerformanceCounter(&now);
    return (double)(now.QuadPart - start.QuadPart) * 1000.0 / (double)freq.QuadPart;
}

static int set_nonblocking(SOCKET s, u_long on)
{
    return ioctlsocket(s, FIONBIO, &on);
}

/* A numeric address needs no resolver: build it with inet_pton. */
static int numeric_addr(struct sockaddr_storage *ss, int *len)
{
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof(*ss));
    if (family != AF_INET6 && inet_pton(AF_INET, host, &sin->sin_addr) == 1)
    {
        sin->sin_family = AF_INET;
        sin->sin_port = htons((u_short)atoi(port));
        *len = sizeof(*sin);
        return 1;
    }
    if (family != AF_INET && inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1)
    {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((u_short)atoi(port));
        *len = sizeof(*sin6);
        return 1;
    }
    return 0;
}

static SOCKET connect_peer(char *err, size_t errlen)
{
    struct addrinfo hints, *res = NULL, *ai;
    struct sockaddr_storage ss;
    SOCKET s = INVALID_SOCKET;
    int ret, len, last = 0;

    if (numeric_addr(&ss, &len))
    {
        if ((s = socket(ss.ss_family, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET)
        {
            last = WSAGetLastError();
            snprintf(err, errlen, "socket:%s(%d)", wsa_name(last), last);
            return INVALID_SOCKET;
        }
        if (connect(s, (struct sockaddr *)&ss, len))
        {
            last = WSAGetLastError();
            snprintf(err, errlen, "connect:%s(%d)", wsa_name(last), last);
            closesocket(s);
            return INVALID_SOCKET;
        }
        return s;
    }

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if ((ret = getaddrinfo(host, port, &hints, &res)))
    {
        snprintf(err, errlen, "getaddrinfo:%s(%d)", wsa_name(ret), ret);
        return INVALID_SOCKET;
    }
    for (ai = res; ai; ai = ai->ai_next)
    {
        if ((s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) == INVALID_SOCKET)
        {
            last = WSAGetLastError();
            continue;
        }
        if (!connect(s, ai->ai_addr, (int)ai->ai_addrlen)) break;
        last = WSAGetLastError();
        closesocket(s);
        s = INVALID_SOCKET;
    }
    freeaddrinfo(res);
    if (s == INVALID_SOCKET) snprintf(err, errlen, "connect:%s(%d)", wsa_name(last), last);
    return s;
}

/* Blocking send of the whole buffer. */
static int send_all(SOCKET s, const char *data, int len)
{
    while (len > 0)
    {
        int n = send(s, data, len, 0);
        if (n == SOCKET_ERROR) return -1;
        data += n;
        len -= n;
    }
    return 0;
}

/* Non-blocking sends until the connection takes no more: the peer is not
 * reading, so what is left in our send queue stays unacknowledged.  One
 * WSAEWOULDBLOCK can be a passing state while data is still in flight, so
 * it counts only when a little later still nothing more fits. */
static int fill(SOCKET s, long long *sent, int *err)
{
    LARGE_INTEGER start;
    int stuck = 0;

    QueryPerformanceCounter(&start);
    if (set_nonblocking(s, 1))
    {
        *err = WSAGetLastError();
        return -1;
    }
    while (*sent < FILL_LIMIT && elapsed_ms(start) < FILL_TIME_MS)
    {
        int n = send(s, sendbuf, sizeof(sendbuf), 0);

        if (n > 0)
        {
            *sent += n;
            stuck = 0;
            continue;
        }
        if (n == SOCKET_ERROR && WSAGetLastError() != WSAEWOULDBLOCK)
        {
            *err = WSAGetLastError();
            return -1;
        }
        if (++stuck >= 3) break;
        Sleep(30);
    }
    return 0;
}

static int run(const struct scenario *sc)
{
    char err[96] = "", res[48], res2[48];
    char header[96], lstr[16];
    long long sent = 0;
    LARGE_INTEGER start;
    double ms;
    SOCKET s;
    int ret, code = 0, e = 0;

    if ((s = connect_peer(err, sizeof(err))) == INVALID_SOCKET)
    {
        printf("scenario=%c error=%s\n", sc->name, err);
        return -1;
    }
    snprintf(header, sizeof(header), "WS2PEER label=%c pause=%d\n", sc->name, sc->pause_ms);
    if (send_all(s, header, (int)strlen(header)))
    {
        e = WSAGetLastError();
        printf("scenario=%c error=send_header:%s(%d)\n", sc->name, wsa_name(e), e);
        closesocket(s);
        return -1;
    }

    if (!sc->pause_ms)
    {
        /* The peer reads at once: a plain blocking bulk send. */
        int left = BULK_BYTES;
        while (left > 0)
        {
            int n = left < CHUNK ? left : CHUNK;
            if (send_all(s, sendbuf, n))
            {
                e = WSAGetLastError();
                printf("scenario=%c error=send:%s(%d)\n", sc->name, wsa_name(e), e);
                closesocket(s);
                return -1;
            }
            sent += n;
            left -= n;
        }
    }
    else
    {
        if (fill(s, &sent, &e) ||
            (!sc->nonblocking_close && set_nonblocking(s, 0) && (e = WSAGetLastError())))
        {
            printf("scenario=%c error=fill:%s(%d) sent=%lld\n", sc->name, wsa_name(e), e, sent);
            closesocket(s);
            return -1;
        }
    }

    if (sc->use_linger)
    {
        struct linger l;

        l.l_onoff = sc->onoff;
        l.l_linger = sc->secs;
        if (setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&l, sizeof(l)))
        {
            e = WSAGetLastError();
            printf("scenario=%c error=setsockopt_linger:%s(%d)\n", sc->name, wsa_name(e), e);
            closesocket(s);
            return -1;
        }
    }

    QueryPerformanceCounter(&start);
    ret = closesocket(s);
    code = ret ? WSAGetLastError() : 0;
    ms = elapsed_ms(start);

    if (sc->use_linger) snprintf(lstr, sizeof(lstr), "%u,%u", sc->onoff, sc->secs);
    else snprintf(lstr, sizeof(lstr), "off");
    printf("scenario=%c linger=%s mode=%s pause_ms=%d sent=%lld closesocket=%s ms=%.0f",
           sc->name, lstr, sc->nonblocking_close ? "nonblocking" : "blocking", sc->pause_ms, sent,
           result_str(ret, code, res, sizeof(res)), ms);

    if (sc->nonblocking_close)
    {
        /* Windows: WSAEWOULDBLOCK leaves the socket as it was, connected and
         * lingering.  Show that it still answers, then close it abortively. */
        struct linger l;
        struct sockaddr_storage ss;
        int len = sizeof(l), slen = sizeof(ss), r1, r2, r3, e1 = 0;

        memset(&l, 0, sizeof(l));
        r1 = getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, &len);
        if (r1) e1 = WSAGetLastError();
        r2 = getpeername(s, (struct sockaddr *)&ss, &slen);
        if (r2 && !e1) e1 = WSAGetLastError();
        if (!r1 && !r2)
            printf(" still_valid=yes linger_after=%u,%u", l.l_onoff, l.l_linger);
        else
            printf(" still_valid=no(%s(%d))", wsa_name(e1), e1);

        l.l_onoff = 1;
        l.l_linger = 0;
        r3 = setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&l, sizeof(l));
        printf(" set_linger_1_0=%s", result_str(r3, r3 ? WSAGetLastError() : 0, res2, sizeof(res2)));
        QueryPerformanceCounter(&start);
        ret = closesocket(s);
        code = ret ? WSAGetLastError() : 0;
        ms = elapsed_ms(start);
        printf(" close2=%s ms2=%.0f", result_str(ret, code, res2, sizeof(res2)), ms);
    }
    printf("\n");
    fflush(stdout);
    return 0;
}

static void usage(FILE *f)
{
    size_t i;

    fprintf(f,
            "Usage: closedemo [-6] [-h HOST] PORT [SCENARIOS]\n"
            "Runs closesocket scenarios against tests/peer/ws2peer listening on PORT\n"
            "(on 127.0.0.1, or ::1 with -6, or HOST).  SCENARIOS: letters, default abcde.\n");
    for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
        fprintf(f, "  %c  %s\n", scenarios[i].name, scenarios[i].what);
}

int main(int argc, char **argv)
{
    const char *which = "abcde";
    WSADATA wsa;
    int i, ret, failed = 0;

    for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
        if (!strcmp(argv[i], "-6")) family = AF_INET6;
        else if (!strcmp(argv[i], "-h") && i + 1 < argc) host = argv[++i];
        else if (!strcmp(argv[i], "--help"))
        {
            usage(stdout);
            return 0;
        }
        else
        {
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc || i + 2 < argc)
    {
        usage(stderr);
        return 2;
    }
    port = argv[i++];
    if (i < argc) which = argv[i];
    if (!host) host = family == AF_INET6 ? "::1" : "127.0.0.1";
    else family = AF_UNSPEC;

    setvbuf(stdout, NULL, _IONBF, 0);
    QueryPerformanceFrequency(&freq);
    memset(sendbuf, 'x', sizeof(sendbuf));
    if ((ret = WSAStartup(MAKEWORD(2, 2), &wsa)))
    {
        printf("error=WSAStartup:%d\n", ret);
        return 1;
    }
    for (; *which; which++)
    {
        size_t k;

        for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++)
            if (scenarios[k].name == *which) break;
        if (k == sizeof(scenarios) / sizeof(scenarios[0]))
        {
            fprintf(stderr, "closedemo: no scenario '%c'\n", *which);
            failed = 1;
            continue;
        }
        if (run(&scenarios[k])) failed = 1;
    }
    WSACleanup();
    return failed;
}
