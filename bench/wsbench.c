/*
 * wsbench: the Windows side of the benchmarks.  bench/run-bench runs it
 * under Wine, once with this project's ws2_32.dll and once with Wine's
 * built-in one; bench/nativebench.c does the same work with Linux system
 * calls.  Keep the two programs doing the same thing, step for step.
 *
 *   wsbench.exe WORKLOAD [COUNT] [OPTIONS]
 *
 *   sockopt COUNT    COUNT getsockopt(SO_LINGER), then COUNT setsockopt(SO_LINGER)
 *   socket COUNT     COUNT socket() + closesocket() pairs
 *   churn COUNT      COUNT loopback TCP connections: connect, accept, 32 bytes
 *                    each way, close
 *   pingpong COUNT   COUNT 64-byte round trips over one loopback connection
 *   bulk MIB         MIB MiB over one loopback connection in 64 KiB sends
 *   udp COUNT        COUNT 64-byte datagrams over loopback, in windows of 32,
 *                    each window acknowledged by the receiver
 *   many COUNT       open COUNT TCP sockets, then close them all
 *                    (--sync DIR: handshake files for the driver, see below)
 *   iocp_pingpong COUNT
 *                    COUNT 64-byte round trips as pingpong, but every send and
 *                    receive on both ends is an overlapped WSASend/WSARecv
 *                    whose completion is taken from a completion port
 *                    (GetQueuedCompletionStatus), one port per thread
 *   iocp_bulk MIB    MIB MiB in 64 KiB overlapped WSASends, 4 in flight, to a
 *                    thread with 4 overlapped 64 KiB WSARecvs in flight, both
 *                    through completion ports
 *   floor COUNT      what Wine itself costs, with no Winsock (x86-64 Wine only):
 *                    COUNT wineserver requests on a handle, then pingpong's
 *                    COUNT round trips and bulk's transfer of COUNT/20 MiB,
 *                    made with Linux system calls issued straight from two
 *                    Wine threads
 *   linger COUNT     against bench/nativebench's linger peer (--port PORT):
 *                    COUNT blocking closes with linger {1,1} whose data the
 *                    peer never reads, then COUNT with linger {1,5} whose data
 *                    the peer starts reading 200 ms after the close began
 *
 * Every measurement starts after a warm-up and excludes setup.  The output is
 * one line naming the DLL in use, then one line per result:
 *
 *   WSBENCH dll=ours|builtin
 *   RESULT name=NAME unit=UNIT value=VALUE count=N [KEY=VALUE...]
 *
 * and on failure a line "ERROR workload=... call=... error=CODE" and exit
 * status 2 (1 for usage errors).
 *
 * The completion-port workloads fail fast instead of hanging: a packet that
 * does not come within IOCP_TIMEOUT_MS is an error, and a watchdog ends the
 * program after IOCP_DEADLINE_S seconds whatever it is doing.
 *
 * many --sync DIR: after the warm-up the program creates DIR/ready and waits
 * for DIR/go-open; with all sockets open it creates DIR/opened and waits for
 * DIR/go-close.  The driver reads the servers' memory in between.
 */
#ifndef __USE_MINGW_ANSI_STDIO
#define __USE_MINGW_ANSI_STDIO 1
#endif
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads.h"

#define SYNC_TIMEOUT_MS 120000
#define IOCP_DEADLINE_S 240
#define IOCP_DEPTH      4

static const char *workload = "?";
static LARGE_INTEGER qpc_freq;

/* ------------------------------------------------------------ helpers */

static double now_us(void)
{
    LARGE_INTEGER c;

    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1e6 / (double)qpc_freq.QuadPart;
}

static void fail(const char *call, int error)
{
    printf("ERROR workload=%s call=%s error=%d\n", workload, call, error);
    fflush(stdout);
    ExitProcess(2);
}

static void check(int ok, const char *call)
{
    if (!ok) fail(call, WSAGetLastError());
}

static void result(const char *name, const char *unit, double value, long long count, const char *extra)
{
    printf("RESULT name=%s unit=%s value=%.6g count=%lld%s%s\n", name, unit, value, count,
           extra && *extra ? " " : "", extra ? extra : "");
    fflush(stdout);
}

static void loopback(struct sockaddr_in *sin, unsigned short port)
{
    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static SOCKET tcp_socket(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    check(s != INVALID_SOCKET, "socket");
    return s;
}

/* A listening socket on 127.0.0.1 and an ephemeral port. */
static SOCKET listener(unsigned short *port)
{
    struct sockaddr_in sin;
    int len = sizeof(sin);
    SOCKET s = tcp_socket();

    loopback(&sin, 0);
    check(!bind(s, (struct sockaddr *)&sin, sizeof(sin)), "bind");
    check(!listen(s, SOMAXCONN), "listen");
    check(!getsockname(s, (struct sockaddr *)&sin, &len), "getsockname");
    *port = ntohs(sin.sin_port);
    return s;
}

static SOCKET connect_to(unsigned short port)
{
    struct sockaddr_in sin;
    SOCKET s = tcp_socket();

    loopback(&sin, port);
    check(!connect(s, (struct sockaddr *)&sin, sizeof(sin)), "connect");
    return s;
}

static void send_all(SOCKET s, const char *buf, int len)
{
    while (len > 0)
    {
        int n = send(s, buf, len, 0);

        check(n > 0, "send");
        buf += n;
        len -= n;
    }
}

/* Exactly len bytes; 0 at a clean end of stream before the first byte. */
static int recv_all(SOCKET s, char *buf, int len)
{
    int got = 0;

    while (got < len)
    {
        int n = recv(s, buf + got, len - got, 0);

        check(n >= 0, "recv");
        if (!n)
        {
            if (!got) return 0;
            fail("recv(short)", 0);
        }
        got += n;
    }
    return got;
}

static HANDLE start_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE h = CreateThread(NULL, 0, fn, arg, 0, NULL);

    if (!h) fail("CreateThread", (int)GetLastError());
    return h;
}

static void join_thread(HANDLE h)
{
    WaitForSingleObject(h, INFINITE);
    CloseHandle(h);
}

/* Which ws2_32 is loaded: Wine marks its own PE modules in the DOS stub. */
static const char *dll_kind(void)
{
    const char *base = (const char *)GetModuleHandleA("ws2_32.dll");

    if (!base) return "none";
    return memcmp(base + 0x40, "Wine builtin DLL", 16) ? "ours" : "builtin";
}

/* ------------------------------------------------------------ sockopt */

/* One option's get and set, timed separately after a warm-up; the set
 * alternates two values.  SO_LINGER is Windows-only state, TCP_NODELAY
 * lives in the Linux socket. */
static void time_option(SOCKET s, int level, int name, const char *label, const void *a, const void *b, int len,
                        long long count)
{
    char buf[16], rname[64];
    double t0 = 0;
    long long i;
    int n;

    for (i = -100; i < count; i++)
    {
        if (!i) t0 = now_us();
        n = len;
        check(!getsockopt(s, level, name, buf, &n), "getsockopt");
    }
    snprintf(rname, sizeof(rname), "getsockopt_%s", label);
    result(rname, "us", (now_us() - t0) / count, count, NULL);
    for (i = -100; i < count; i++)
    {
        if (!i) t0 = now_us();
        check(!setsockopt(s, level, name, (i & 1) ? a : b, len), "setsockopt");
    }
    snprintf(rname, sizeof(rname), "setsockopt_%s", label);
    result(rname, "us", (now_us() - t0) / count, count, NULL);
}

static void bench_sockopt(long long count)
{
    SOCKET s = tcp_socket();
    struct linger on = { 1, 5 }, off = { 0, 5 };
    DWORD yes = 1, no = 0;

    time_option(s, SOL_SOCKET, SO_LINGER, "linger", &on, &off, sizeof(on), count);
    time_option(s, IPPROTO_TCP, TCP_NODELAY, "nodelay", &yes, &no, sizeof(yes), count);
    closesocket(s);
}

/* -------------------------------------------------------------- calls */

/*
 * Not timed: each control call N times between two markers, for
 * bench/count-syscalls, which traces this process and the servers and
 * counts the system calls made between a phase's markers.  A marker is a
 * lookup of a file that does not exist, which strace shows with its name.
 */
static void marker(const char *phase, const char *edge)
{
    char path[MAX_PATH];

    snprintf(path, sizeof(path), "Z:\\tmp\\ws2mark-%s-%s", phase, edge);
    GetFileAttributesA(path);
}

static void bench_calls(long long count)
{
    SOCKET s = tcp_socket(), *many = malloc(count * sizeof(*many));
    struct linger l = { 1, 5 };
    DWORD yes = 1;
    long long i;
    int len;

    if (!many) fail("malloc", 0);
        /* The servers finish what a phase asked for within the pause. */
#define PHASE(name, body)                     \
    do {                                      \
        marker(name, "begin");                \
        for (i = 0; i < count; i++) { body; } \
        Sleep(300);                           \
        marker(name, "end");                  \
    } while (0)
    PHASE("getsockopt_linger", len = sizeof(l); check(!getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, &len), "get"));
    PHASE("setsockopt_linger", l.l_onoff = i & 1;
          check(!setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l)), "set"));
    PHASE("getsockopt_nodelay", len = sizeof(yes);
          check(!getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&yes, &len), "get"));
    PHASE("setsockopt_nodelay", yes = i & 1;
          check(!setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&yes, sizeof(yes)), "set"));
    PHASE("socket", many[i] = tcp_socket());
    PHASE("closesocket", check(!closesocket(many[i]), "closesocket"));
#undef PHASE
    closesocket(s);
    free(many);
    result("calls", "calls", (double)count, count, NULL);
}

/* ------------------------------------------------------------- socket */

static void bench_socket(long long count)
{
    double t0, t1;
    long long i;

    for (i = 0; i < 100; i++) check(!closesocket(tcp_socket()), "closesocket");
    t0 = now_us();
    for (i = 0; i < count; i++) check(!closesocket(tcp_socket()), "closesocket");
    t1 = now_us();
    result("socket_close", "us", (t1 - t0) / count, count, NULL);
}

/* -------------------------------------------------------------- churn */

struct serve_args
{
    SOCKET listener;
    long long count;
    double end_us;
    long long bytes;
};

static DWORD WINAPI churn_server(void *arg)
{
    struct serve_args *a = arg;
    char buf[CHURN_SIZE];
    long long i;

    for (i = 0; i < a->count; i++)
    {
        SOCKET c = accept(a->listener, NULL, NULL);

        check(c != INVALID_SOCKET, "accept");
        check(recv_all(c, buf, sizeof(buf)) == sizeof(buf), "recv(churn)");
        send_all(c, buf, sizeof(buf));
        check(!closesocket(c), "closesocket");
    }
    return 0;
}

static void churn_client(unsigned short port, long long count)
{
    char buf[CHURN_SIZE];
    long long i;

    memset(buf, 'c', sizeof(buf));
    for (i = 0; i < count; i++)
    {
        SOCKET s = connect_to(port);

        send_all(s, buf, sizeof(buf));
        check(recv_all(s, buf, sizeof(buf)) == sizeof(buf), "recv(churn)");
        check(!closesocket(s), "closesocket");
    }
}

static void bench_churn(long long count)
{
    struct serve_args a;
    unsigned short port;
    long long warm = count < 50 ? count : 50;
    double t0, t1;
    HANDLE th;

    memset(&a, 0, sizeof(a));
    a.listener = listener(&port);
    a.count = warm + count;
    th = start_thread(churn_server, &a);
    churn_client(port, warm);
    t0 = now_us();
    churn_client(port, count);
    t1 = now_us();
    join_thread(th);
    closesocket(a.listener);
    result("tcp_churn", "conn/s", count / ((t1 - t0) / 1e6), count, NULL);
}

/* ----------------------------------------------------------- pingpong */

static DWORD WINAPI echo_server(void *arg)
{
    struct serve_args *a = arg;
    char buf[PING_SIZE];
    SOCKET c = accept(a->listener, NULL, NULL);

    check(c != INVALID_SOCKET, "accept");
    while (recv_all(c, buf, sizeof(buf))) send_all(c, buf, sizeof(buf));
    closesocket(c);
    return 0;
}

static void bench_pingpong(long long count)
{
    struct serve_args a;
    char buf[PING_SIZE];
    unsigned short port;
    double t0, t1;
    long long i;
    HANDLE th;
    SOCKET s;

    memset(&a, 0, sizeof(a));
    memset(buf, 'p', sizeof(buf));
    a.listener = listener(&port);
    th = start_thread(echo_server, &a);
    s = connect_to(port);
    for (i = 0; i < 100; i++)
    {
        send_all(s, buf, sizeof(buf));
        check(recv_all(s, buf, sizeof(buf)) == sizeof(buf), "recv(pingpong)");
    }
    t0 = now_us();
    for (i = 0; i < count; i++)
    {
        send_all(s, buf, sizeof(buf));
        check(recv_all(s, buf, sizeof(buf)) == sizeof(buf), "recv(pingpong)");
    }
    t1 = now_us();
    check(!shutdown(s, SD_SEND), "shutdown");
    join_thread(th);
    closesocket(s);
    closesocket(a.listener);
    result("pingpong_64", "us", (t1 - t0) / count, count, NULL);
}

/* --------------------------------------------------------------- bulk */

static DWORD WINAPI sink_server(void *arg)
{
    struct serve_args *a = arg;
    char *buf = malloc(CHUNK);
    SOCKET c = accept(a->listener, NULL, NULL);
    long long got = 0;
    int n;

    check(buf != NULL, "malloc");
    check(c != INVALID_SOCKET, "accept");
    while ((n = recv(c, buf, CHUNK, 0)) > 0)
    {
        got += n;
        if (got >= a->bytes && !a->end_us) a->end_us = now_us();
    }
    check(n == 0, "recv(bulk)");
    a->bytes = got;
    closesocket(c);
    free(buf);
    return 0;
}

static void bench_bulk(long long mib)
{
    struct serve_args a;
    char *buf = malloc(CHUNK);
    long long total = mib * 1024 * 1024, sent = 0;
    unsigned short port;
    double t0;
    HANDLE th;
    SOCKET s;
    char extra[64];

    check(buf != NULL, "malloc");
    memset(buf, 'b', CHUNK);
    memset(&a, 0, sizeof(a));
    a.listener = listener(&port);
    a.bytes = total;
    th = start_thread(sink_server, &a);
    s = connect_to(port);
    t0 = now_us();
    while (sent < total)
    {
        send_all(s, buf, CHUNK);
        sent += CHUNK;
    }
    check(!shutdown(s, SD_SEND), "shutdown");
    join_thread(th);
    closesocket(s);
    closesocket(a.listener);
    free(buf);
    if (a.bytes != total) fail("recv(bulk total)", 0);
    snprintf(extra, sizeof(extra), "bytes=%lld", total);
    result("tcp_bulk", "MB/s", total / (a.end_us - t0), mib, extra);
}

/* ---------------------------------------------------------------- udp */

struct dgram
{
    unsigned int window, index;
    char pad[UDP_SIZE - 8];
};

struct udp_args
{
    SOCKET s;
    long long received;
};

#define UDP_STOP 0xffffffffu

static SOCKET udp_socket(unsigned short *port)
{
    struct sockaddr_in sin;
    int len = sizeof(sin);
    DWORD timeout = UDP_TIMEOUT_MS;
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    check(s != INVALID_SOCKET, "socket(udp)");
    loopback(&sin, 0);
    check(!bind(s, (struct sockaddr *)&sin, sizeof(sin)), "bind(udp)");
    check(!getsockname(s, (struct sockaddr *)&sin, &len), "getsockname(udp)");
    check(!setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout)), "setsockopt(SO_RCVTIMEO)");
    *port = ntohs(sin.sin_port);
    return s;
}

/* The receiver: acknowledges the last datagram of each window. */
static DWORD WINAPI udp_receiver(void *arg)
{
    struct udp_args *a = arg;
    struct dgram d;
    struct sockaddr_in from;
    int n, len, idle = 0;

    for (;;)
    {
        len = sizeof(from);
        n = recvfrom(a->s, (char *)&d, sizeof(d), 0, (struct sockaddr *)&from, &len);
        if (n < 0 && WSAGetLastError() == WSAETIMEDOUT)
        {
            if (++idle >= 5) break; /* the sender is gone */
            continue;
        }
        check(n == sizeof(d), "recvfrom(udp)");
        idle = 0;
        if (d.window == UDP_STOP) break;
        a->received++;
        if (d.index == UDP_WINDOW - 1)
            check(sendto(a->s, (char *)&d, 8, 0, (struct sockaddr *)&from, len) == 8, "sendto(ack)");
    }
    return 0;
}

/* Send `windows` windows; the number of windows whose ack never came. */
static long long udp_send(SOCKET s, const struct sockaddr_in *to, unsigned int first, long long windows)
{
    struct dgram d;
    long long w, lost = 0;
    int i, n;

    memset(&d, 'u', sizeof(d));
    for (w = 0; w < windows; w++)
    {
        d.window = first + (unsigned int)w;
        for (i = 0; i < UDP_WINDOW; i++)
        {
            d.index = i;
            check(sendto(s, (char *)&d, sizeof(d), 0, (const struct sockaddr *)to, sizeof(*to)) == sizeof(d),
                  "sendto(udp)");
        }
        for (;;)
        {
            struct dgram ack;

            n = recv(s, (char *)&ack, sizeof(ack), 0);
            if (n < 0 && WSAGetLastError() == WSAETIMEDOUT)
            {
                lost++;
                break;
            }
            check(n == 8, "recv(ack)");
            if (ack.window == d.window) break;
        }
    }
    return lost;
}

static void bench_udp(long long count)
{
    struct udp_args a;
    struct sockaddr_in to;
    unsigned short rport, sport;
    long long windows = (count + UDP_WINDOW - 1) / UDP_WINDOW, lost;
    double t0, t1;
    struct dgram stop;
    SOCKET s;
    HANDLE th;
    char extra[96];
    int i;

    memset(&a, 0, sizeof(a));
    a.s = udp_socket(&rport);
    s = udp_socket(&sport);
    loopback(&to, rport);
    th = start_thread(udp_receiver, &a);
    udp_send(s, &to, 0, 10);
    a.received = 0; /* the warm-up's acks have all arrived */
    t0 = now_us();
    lost = udp_send(s, &to, 1000, windows);
    t1 = now_us();
    memset(&stop, 0, sizeof(stop));
    stop.window = UDP_STOP;
    for (i = 0; i < 3; i++) sendto(s, (char *)&stop, sizeof(stop), 0, (struct sockaddr *)&to, sizeof(to));
    join_thread(th);
    closesocket(s);
    closesocket(a.s);
    snprintf(extra, sizeof(extra), "sent=%lld received=%lld lost_windows=%lld", windows * UDP_WINDOW, a.received, lost);
    result("udp_rate", "dgram/s", windows * UDP_WINDOW / ((t1 - t0) / 1e6), windows * UDP_WINDOW, extra);
}

/* --------------------------------------------------------------- many */

static char sync_dir[MAX_PATH];

static void sync_path(char *out, const char *name)
{
    char *p;

    snprintf(out, MAX_PATH, "Z:%s\\%s", sync_dir, name);
    for (p = out; *p; p++)
        if (*p == '/') *p = '\\';
}

static void sync_signal(const char *name)
{
    char path[MAX_PATH];
    HANDLE h;

    if (!sync_dir[0]) return;
    sync_path(path, name);
    h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) fail("CreateFile(sync)", (int)GetLastError());
    CloseHandle(h);
}

static void sync_wait(const char *name)
{
    char path[MAX_PATH];
    DWORD start = GetTickCount();

    if (!sync_dir[0]) return;
    sync_path(path, name);
    while (GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES)
    {
        if (GetTickCount() - start > SYNC_TIMEOUT_MS) fail("sync(timeout)", 0);
        Sleep(5);
    }
}

static void bench_many(long long count)
{
    SOCKET *socks = malloc(count * sizeof(*socks));
    double t0, t1, t2, t3;
    long long i;

    check(socks != NULL, "malloc");
    for (i = 0; i < 10; i++) check(!closesocket(tcp_socket()), "closesocket");
    sync_signal("ready");
    sync_wait("go-open");
    t0 = now_us();
    for (i = 0; i < count; i++) socks[i] = tcp_socket();
    t1 = now_us();
    sync_signal("opened");
    sync_wait("go-close");
    t2 = now_us();
    for (i = 0; i < count; i++) check(!closesocket(socks[i]), "closesocket");
    t3 = now_us();
    free(socks);
    result("many_open", "ms", (t1 - t0) / 1e3, count, NULL);
    result("many_close", "ms", (t3 - t2) / 1e3, count, NULL);
}

/* ------------------------------------------------------------- linger */

/* A connection to the linger peer, which has read the header line. */
static SOCKET peer_connect(unsigned short port, const char *header, int sndbuf)
{
    SOCKET s = tcp_socket();
    struct sockaddr_in sin;
    char ack;

    if (sndbuf)
        check(!setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&sndbuf, sizeof(sndbuf)), "setsockopt(SO_SNDBUF)");
    loopback(&sin, port);
    check(!connect(s, (struct sockaddr *)&sin, sizeof(sin)), "connect(peer)");
    send_all(s, header, strlen(header));
    check(recv_all(s, &ack, 1) == 1 && ack == 'k', "recv(peer ack)");
    return s;
}

/* Queue data until the send buffer is full (the peer is not reading). */
static long long fill(SOCKET s)
{
    static char buf[8192];
    u_long on = 1, off = 0;
    long long queued = 0;
    int n;

    check(!ioctlsocket(s, FIONBIO, &on), "ioctlsocket(FIONBIO)");
    for (;;)
    {
        n = send(s, buf, sizeof(buf), 0);
        if (n < 0 && WSAGetLastError() == WSAEWOULDBLOCK) break;
        check(n > 0, "send(fill)");
        queued += n;
    }
    check(!ioctlsocket(s, FIONBIO, &off), "ioctlsocket(FIONBIO)");
    return queued;
}

static void set_linger(SOCKET s, int seconds)
{
    struct linger l = { 1, (u_short)seconds };

    check(!setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&l, sizeof(l)), "setsockopt(SO_LINGER)");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void linger_result(const char *name, double *v, long long count, long long queued)
{
    char extra[128];
    double median;

    qsort(v, count, sizeof(*v), cmp_double);
    median = count % 2 ? v[count / 2] : (v[count / 2 - 1] + v[count / 2]) / 2;
    snprintf(extra, sizeof(extra), "min=%.3f max=%.3f queued=%lld", v[0], v[count - 1], queued);
    result(name, "ms", median, count, extra);
}

static void bench_linger(long long count, unsigned short port)
{
    double *v = malloc(count * sizeof(*v)), t0, t1;
    long long i, queued = 0;
    SOCKET s, ctrl;

    check(v != NULL, "malloc");
    if (!port) fail("usage(--port)", 0);
    /* The block: linger {1,1}, nothing is ever read. */
    for (i = 0; i < count; i++)
    {
        s = peer_connect(port, "hold\n", LINGER_SNDBUF);
        queued = fill(s);
        set_linger(s, LINGER_BLOCK_S);
        t0 = now_us();
        check(!closesocket(s), "closesocket(linger block)");
        t1 = now_us();
        v[i] = (t1 - t0) / 1e3 - LINGER_BLOCK_S * 1000.0;
    }
    linger_result("linger_block_excess", v, count, queued);

    /* The drain: linger {1,5}; the peer starts reading 200 ms after "g". */
    for (i = 0; i < count; i++)
    {
        char header[32];

        snprintf(header, sizeof(header), "drain %d\n", LINGER_DELAY_MS);
        s = peer_connect(port, header, LINGER_SNDBUF);
        ctrl = peer_connect(port, "ctrl\n", 0);
        queued = fill(s);
        set_linger(s, LINGER_DRAIN_S);
        send_all(ctrl, "g", 1);
        t0 = now_us();
        check(!closesocket(s), "closesocket(linger drain)");
        t1 = now_us();
        closesocket(ctrl);
        v[i] = (t1 - t0) / 1e3 - LINGER_DELAY_MS;
    }
    linger_result("linger_drain_notice", v, count, queued);
    free(v);
}

/* ------------------------------------------------------ completion ports */

struct iocp_op
{
    OVERLAPPED ov;
    WSABUF buf;
};

static DWORD WINAPI iocp_watchdog(void *arg)
{
    (void)arg;
    Sleep(IOCP_DEADLINE_S * 1000);
    fail("watchdog", WAIT_TIMEOUT);
    return 0;
}

static HANDLE iocp_attach(SOCKET s, HANDLE port)
{
    HANDLE h = CreateIoCompletionPort((HANDLE)s, port, (ULONG_PTR)s, 0);

    if (!h) fail("CreateIoCompletionPort", (int)GetLastError());
    return h;
}

/* The next packet; an operation that failed or a port that stays silent
 * ends the program. */
static OVERLAPPED *iocp_wait(HANDLE port, DWORD *bytes)
{
    OVERLAPPED *ov = NULL;
    ULONG_PTR key;

    if (!GetQueuedCompletionStatus(port, bytes, &key, &ov, IOCP_TIMEOUT_MS))
        fail(ov ? "GetQueuedCompletionStatus(operation failed)" : "GetQueuedCompletionStatus(timeout)",
             (int)GetLastError());
    return ov;
}

static void iocp_recv(SOCKET s, struct iocp_op *op, char *buf, ULONG len)
{
    DWORD flags = 0;

    memset(&op->ov, 0, sizeof(op->ov));
    op->buf.buf = buf;
    op->buf.len = len;
    if (WSARecv(s, &op->buf, 1, NULL, &flags, (WSAOVERLAPPED *)&op->ov, NULL) && WSAGetLastError() != WSA_IO_PENDING)
        fail("WSARecv", WSAGetLastError());
}

static void iocp_send(SOCKET s, struct iocp_op *op, const char *buf, ULONG len)
{
    memset(&op->ov, 0, sizeof(op->ov));
    op->buf.buf = (char *)buf;
    op->buf.len = len;
    if (WSASend(s, &op->buf, 1, NULL, 0, (WSAOVERLAPPED *)&op->ov, NULL) && WSAGetLastError() != WSA_IO_PENDING)
        fail("WSASend", WSAGetLastError());
}

/* Exactly len bytes, one overlapped receive at a time; 0 at a clean end of
 * stream before the first byte. */
static int iocp_recv_all(HANDLE port, SOCKET s, char *buf, int len)
{
    struct iocp_op op;
    DWORD n;
    int got = 0;

    while (got < len)
    {
        iocp_recv(s, &op, buf + got, len - got);
        if (iocp_wait(port, &n) != &op.ov) fail("GetQueuedCompletionStatus(unexpected packet)", 0);
        if (!n)
        {
            if (!got) return 0;
            fail("WSARecv(short)", 0);
        }
        got += n;
    }
    return got;
}

static void iocp_send_all(HANDLE port, SOCKET s, const char *buf, int len)
{
    struct iocp_op op;
    DWORD n;

    while (len > 0)
    {
        iocp_send(s, &op, buf, len);
        if (iocp_wait(port, &n) != &op.ov) fail("GetQueuedCompletionStatus(unexpected packet)", 0);
        if (!n) fail("WSASend(nothing sent)", 0);
        buf += n;
        len -= n;
    }
}

static DWORD WINAPI iocp_echo_server(void *arg)
{
    struct serve_args *a = arg;
    char buf[PING_SIZE];
    SOCKET c = accept(a->listener, NULL, NULL);
    HANDLE port;

    check(c != INVALID_SOCKET, "accept");
    port = iocp_attach(c, NULL);
    while (iocp_recv_all(port, c, buf, sizeof(buf))) iocp_send_all(port, c, buf, sizeof(buf));
    closesocket(c);
    CloseHandle(port);
    return 0;
}

static void bench_iocp_pingpong(long long count)
{
    struct serve_args a;
    char buf[PING_SIZE];
    unsigned short port;
    double t0, t1;
    long long i;
    HANDLE th, cp;
    SOCKET s;

    memset(&a, 0, sizeof(a));
    memset(buf, 'p', sizeof(buf));
    a.listener = listener(&port);
    th = start_thread(iocp_echo_server, &a);
    s = connect_to(port);
    cp = iocp_attach(s, NULL);
    for (i = 0; i < 100; i++)
    {
        iocp_send_all(cp, s, buf, sizeof(buf));
        check(iocp_recv_all(cp, s, buf, sizeof(buf)) == sizeof(buf), "recv(iocp_pingpong)");
    }
    t0 = now_us();
    for (i = 0; i < count; i++)
    {
        iocp_send_all(cp, s, buf, sizeof(buf));
        check(iocp_recv_all(cp, s, buf, sizeof(buf)) == sizeof(buf), "recv(iocp_pingpong)");
    }
    t1 = now_us();
    check(!shutdown(s, SD_SEND), "shutdown");
    join_thread(th);
    closesocket(s);
    CloseHandle(cp);
    closesocket(a.listener);
    result("iocp_pingpong_64", "us", (t1 - t0) / count, count, NULL);
}

/* IOCP_DEPTH receives in flight until the end of stream. */
static DWORD WINAPI iocp_sink_server(void *arg)
{
    struct serve_args *a = arg;
    struct iocp_op ops[IOCP_DEPTH];
    char *bufs = malloc((size_t)CHUNK * IOCP_DEPTH);
    SOCKET c = accept(a->listener, NULL, NULL);
    long long got = 0;
    OVERLAPPED *ov;
    HANDLE port;
    DWORD n;
    int i;

    check(bufs != NULL, "malloc");
    check(c != INVALID_SOCKET, "accept");
    port = iocp_attach(c, NULL);
    for (i = 0; i < IOCP_DEPTH; i++) iocp_recv(c, &ops[i], bufs + (size_t)i * CHUNK, CHUNK);
    for (;;)
    {
        ov = iocp_wait(port, &n);
        if (!n) break;
        got += n;
        if (got >= a->bytes && !a->end_us) a->end_us = now_us();
        for (i = 0; i < IOCP_DEPTH; i++)
            if (ov == &ops[i].ov) break;
        if (i == IOCP_DEPTH) fail("GetQueuedCompletionStatus(unexpected packet)", 0);
        iocp_recv(c, &ops[i], bufs + (size_t)i * CHUNK, CHUNK);
    }
    a->bytes = got;
    /* The receives still in flight end with the socket, before the port. */
    closesocket(c);
    CloseHandle(port);
    free(bufs);
    return 0;
}

static void bench_iocp_bulk(long long mib)
{
    struct serve_args a;
    struct iocp_op ops[IOCP_DEPTH];
    char *buf = malloc(CHUNK);
    long long total = mib * 1024 * 1024, issued = 0, done = 0;
    unsigned short port;
    OVERLAPPED *ov;
    double t0;
    HANDLE th, cp;
    SOCKET s;
    DWORD n;
    char extra[64];
    int i, busy = 0;

    check(buf != NULL, "malloc");
    memset(buf, 'b', CHUNK);
    memset(&a, 0, sizeof(a));
    a.listener = listener(&port);
    a.bytes = total;
    th = start_thread(iocp_sink_server, &a);
    s = connect_to(port);
    cp = iocp_attach(s, NULL);
    t0 = now_us();
    for (i = 0; i < IOCP_DEPTH && issued < total; i++, busy++, issued += CHUNK) iocp_send(s, &ops[i], buf, CHUNK);
    while (busy)
    {
        ov = iocp_wait(cp, &n);
        for (i = 0; i < IOCP_DEPTH; i++)
            if (ov == &ops[i].ov) break;
        if (i == IOCP_DEPTH) fail("GetQueuedCompletionStatus(unexpected packet)", 0);
        /* An overlapped send completes with all its bytes or fails. */
        if (n != CHUNK) fail("WSASend(partial)", (int)n);
        done += n;
        busy--;
        if (issued < total)
        {
            iocp_send(s, &ops[i], buf, CHUNK);
            issued += CHUNK;
            busy++;
        }
    }
    check(!shutdown(s, SD_SEND), "shutdown");
    join_thread(th);
    closesocket(s);
    CloseHandle(cp);
    closesocket(a.listener);
    free(buf);
    if (done != total || a.bytes != total) fail("recv(iocp_bulk total)", 0);
    snprintf(extra, sizeof(extra), "bytes=%lld", total);
    result("iocp_bulk", "MB/s", total / (a.end_us - t0), mib, extra);
}

/* -------------------------------------------------------------- floor */

/*
 * The floor under any ws2_32 in Wine, measured without Winsock:
 *
 * floor_server_call: one wineserver request naming a handle.  Only the
 * wineserver knows whether a handle value still names what it did (a
 * program may close a SOCKET with CloseHandle, and the value be reused at
 * once), so a control call on a SOCKET that must fail on a closed value
 * makes at least one.  The request is GetNamedPipeInfo on a pipe's client
 * end (NtQueryInformationFile, FilePipeLocalInformation): our DLL's check.
 *
 * floor_pingpong_64: pingpong's round trips, but sent and received with
 * Linux system calls (blocking recvfrom) issued straight from two Wine
 * threads: what a Winsock that added nothing to the data path would cost,
 * thread switches between Wine threads included.  floor_tcp_bulk: bulk's
 * transfer (COUNT/20 MiB) the same way.
 */
#if defined(__x86_64__)
enum
{
    LX_CLOSE = 3,
    LX_SOCKET = 41,
    LX_CONNECT = 42,
    LX_ACCEPT = 43,
    LX_SENDTO = 44,
    LX_RECVFROM = 45,
    LX_SHUTDOWN = 48,
    LX_BIND = 49,
    LX_LISTEN = 50,
    LX_GETSOCKNAME = 51,
    LX_MSG_NOSIGNAL = 0x4000
};

static long long lx(long long n, long long a, long long b, long long c, long long d, long long e, long long f)
{
    long long ret;
    register long long r10 __asm__("r10") = d;
    register long long r8 __asm__("r8") = e;
    register long long r9 __asm__("r9") = f;

    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

/* A pointer as a system call argument (struct sockaddr_in has one layout on both sides). */
static long long lx_ptr(const void *p)
{
    return (long long)(ULONG_PTR)p;
}

static void lx_check(long long ret, const char *call)
{
    if (ret < 0) fail(call, (int)-ret);
}

static void lx_exchange(int fd, char *buf, long long count, int echo)
{
    long long i, got, n;

    for (i = 0; i < count; i++)
    {
        if (!echo) lx_check(lx(LX_SENDTO, fd, lx_ptr(buf), PING_SIZE, LX_MSG_NOSIGNAL, 0, 0), "sendto(floor)");
        for (got = 0; got < PING_SIZE; got += n)
        {
            n = lx(LX_RECVFROM, fd, lx_ptr(buf + got), PING_SIZE - got, 0, 0, 0);
            if (n <= 0) fail("recvfrom(floor)", n ? (int)-n : 0);
        }
        if (echo) lx_check(lx(LX_SENDTO, fd, lx_ptr(buf), PING_SIZE, LX_MSG_NOSIGNAL, 0, 0), "sendto(floor)");
    }
}

struct lx_echo
{
    int fd;
    long long count;
};

static DWORD WINAPI lx_echo_thread(void *arg)
{
    struct lx_echo *e = arg;
    char buf[PING_SIZE];

    lx_exchange(e->fd, buf, e->count, 1);
    return 0;
}

/* A connected loopback TCP pair made with Linux calls (no options set, as
 * in the Winsock workloads). */
static void lx_connected_pair(int fds[2])
{
    struct sockaddr_in sin;
    int len = sizeof(sin), listen_fd;

    loopback(&sin, 0);
    lx_check(listen_fd = (int)lx(LX_SOCKET, 2 /* AF_INET */, 1 /* SOCK_STREAM */, 0, 0, 0, 0), "socket(floor)");
    lx_check(lx(LX_BIND, listen_fd, lx_ptr(&sin), sizeof(sin), 0, 0, 0), "bind(floor)");
    lx_check(lx(LX_LISTEN, listen_fd, 1, 0, 0, 0, 0), "listen(floor)");
    lx_check(lx(LX_GETSOCKNAME, listen_fd, lx_ptr(&sin), lx_ptr(&len), 0, 0, 0), "getsockname(floor)");
    lx_check(fds[0] = (int)lx(LX_SOCKET, 2, 1, 0, 0, 0, 0), "socket(floor)");
    lx_check(lx(LX_CONNECT, fds[0], lx_ptr(&sin), sizeof(sin), 0, 0, 0), "connect(floor)");
    lx_check(fds[1] = (int)lx(LX_ACCEPT, listen_fd, 0, 0, 0, 0, 0), "accept(floor)");
    lx(LX_CLOSE, listen_fd, 0, 0, 0, 0, 0);
}

static void floor_pingpong(long long count)
{
    struct lx_echo e;
    char buf[PING_SIZE];
    double t0, t1;
    int fds[2];
    HANDLE th;

    memset(buf, 'p', sizeof(buf));
    lx_connected_pair(fds);
    e.fd = fds[1];
    e.count = 100 + count;
    th = start_thread(lx_echo_thread, &e);
    lx_exchange(fds[0], buf, 100, 0);
    t0 = now_us();
    lx_exchange(fds[0], buf, count, 0);
    t1 = now_us();
    join_thread(th);
    lx(LX_CLOSE, fds[0], 0, 0, 0, 0, 0);
    lx(LX_CLOSE, fds[1], 0, 0, 0, 0, 0);
    result("floor_pingpong_64", "us", (t1 - t0) / count, count, NULL);
}

struct lx_sink
{
    int fd;
    long long bytes;
    double end_us;
};

static DWORD WINAPI lx_sink_thread(void *arg)
{
    struct lx_sink *k = arg;
    char *buf = malloc(CHUNK);
    long long got = 0, n;

    check(buf != NULL, "malloc");
    while ((n = lx(LX_RECVFROM, k->fd, lx_ptr(buf), CHUNK, 0, 0, 0)) > 0)
        if ((got += n) >= k->bytes && !k->end_us) k->end_us = now_us();
    lx_check(n, "recvfrom(floor bulk)");
    k->bytes = got;
    free(buf);
    return 0;
}

static void floor_bulk(long long mib)
{
    struct lx_sink k = { 0, mib * 1024 * 1024, 0 };
    char *buf = malloc(CHUNK), extra[64];
    long long sent = 0, n, total = k.bytes;
    int fds[2];
    double t0;
    HANDLE th;

    check(buf != NULL, "malloc");
    memset(buf, 'b', CHUNK);
    lx_connected_pair(fds);
    k.fd = fds[1];
    th = start_thread(lx_sink_thread, &k);
    t0 = now_us();
    for (; sent < total; sent += n)
        lx_check(n = lx(LX_SENDTO, fds[0], lx_ptr(buf + sent % CHUNK), CHUNK - sent % CHUNK, LX_MSG_NOSIGNAL, 0, 0),
                 "sendto(floor bulk)");
    lx_check(lx(LX_SHUTDOWN, fds[0], 1 /* SHUT_WR */, 0, 0, 0, 0), "shutdown(floor bulk)");
    join_thread(th);
    lx(LX_CLOSE, fds[0], 0, 0, 0, 0, 0);
    lx(LX_CLOSE, fds[1], 0, 0, 0, 0, 0);
    free(buf);
    if (k.bytes != total) fail("recvfrom(floor bulk total)", 0);
    snprintf(extra, sizeof(extra), "bytes=%lld", total);
    result("floor_tcp_bulk", "MB/s", total / (k.end_us - t0), mib, extra);
}
#endif

static void floor_server_call(long long count)
{
    char name[64];
    HANDLE server, client;
    DWORD flags;
    double t0, t1;
    long long i;

    snprintf(name, sizeof(name), "\\\\.\\pipe\\wsbench-floor-%lu", GetCurrentProcessId());
    server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1, 4096, 4096, 0,
                              NULL);
    check(server != INVALID_HANDLE_VALUE, "CreateNamedPipe(floor)");
    client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    check(client != INVALID_HANDLE_VALUE, "CreateFile(floor)");
    for (i = 0; i < 100; i++) check(GetNamedPipeInfo(client, &flags, NULL, NULL, NULL), "GetNamedPipeInfo(floor)");
    t0 = now_us();
    for (i = 0; i < count; i++) GetNamedPipeInfo(client, &flags, NULL, NULL, NULL);
    t1 = now_us();
    CloseHandle(client);
    CloseHandle(server);
    result("floor_server_call", "us", (t1 - t0) / count, count, NULL);
}

static void bench_floor(long long count)
{
    if (!GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version")) fail("floor needs Wine", 0);
    floor_server_call(count);
#if defined(__x86_64__)
    floor_pingpong(count);
    floor_bulk(FLOOR_BULK_MIB(count));
#endif
}

/* --------------------------------------------------------------- main */

static void usage(void)
{
    fprintf(stderr, "usage: wsbench.exe sockopt|calls|socket|churn|pingpong|bulk|udp|many|linger|"
                    "iocp_pingpong|iocp_bulk|floor "
                    "[COUNT] "
                    "[--port PORT] [--sync DIR]\n");
    ExitProcess(1);
}

int main(int argc, char **argv)
{
    long long count = 1000;
    unsigned short port = 0;
    WSADATA data;
    int i;

    if (argc < 2) usage();
    workload = argv[1];
    for (i = 2; i < argc; i++)
    {
        if (!strcmp(argv[i], "--port") && i + 1 < argc) port = (unsigned short)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--sync") && i + 1 < argc) snprintf(sync_dir, sizeof(sync_dir), "%s", argv[++i]);
        else if (argv[i][0] >= '0' && argv[i][0] <= '9') count = atoll(argv[i]);
        else usage();
    }
    if (count <= 0) usage();
    QueryPerformanceFrequency(&qpc_freq);
    if (WSAStartup(MAKEWORD(2, 2), &data)) fail("WSAStartup", 0);
    printf("WSBENCH dll=%s\n", dll_kind());
    fflush(stdout);

    if (!strcmp(workload, "sockopt")) bench_sockopt(count);
    else if (!strcmp(workload, "calls")) bench_calls(count);
    else if (!strcmp(workload, "socket")) bench_socket(count);
    else if (!strcmp(workload, "churn")) bench_churn(count);
    else if (!strcmp(workload, "pingpong")) bench_pingpong(count);
    else if (!strcmp(workload, "bulk")) bench_bulk(count);
    else if (!strcmp(workload, "udp")) bench_udp(count);
    else if (!strcmp(workload, "many")) bench_many(count);
    else if (!strcmp(workload, "linger")) bench_linger(count, port);
    else if (!strcmp(workload, "floor")) bench_floor(count);
    else if (!strncmp(workload, "iocp_", 5))
    {
        HANDLE dog = start_thread(iocp_watchdog, NULL);

        if (!strcmp(workload, "iocp_pingpong")) bench_iocp_pingpong(count);
        else if (!strcmp(workload, "iocp_bulk")) bench_iocp_bulk(count);
        else usage();
        CloseHandle(dog);
    }
    else usage();
    WSACleanup();
    return 0;
}
