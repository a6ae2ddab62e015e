/*
 * nativebench: the native Linux side of the benchmarks, the limit that the
 * Windows program bench/wsbench.c is measured against.  It does the same
 * work with Linux system calls, step for step; keep the two in step.
 *
 *   nativebench WORKLOAD [COUNT] [OPTIONS]
 *
 * The workloads, their arguments and the output lines are those of
 * wsbench.exe (see the comment at the top of bench/wsbench.c); the first
 * line is "WSBENCH dll=native".  The completion-port workloads
 * (iocp_pingpong, iocp_bulk) have no completion port here: their native
 * equivalent is the readiness loop Linux programs use, non-blocking sockets
 * with one epoll set per thread, same message sizes, same time limits.
 * Its floor is the ping-pong and the bulk transfer alone, reported as
 * floor_pingpong_64 and floor_tcp_bulk.
 *
 * It is also the peer of the linger workload, for all three ways:
 *
 *   nativebench linger-peer --port-file FILE
 *
 * listens on 127.0.0.1 (an ephemeral port, written to FILE) with a small
 * receive buffer and serves connections one after another.  Each starts
 * with a header line, which the peer answers with one byte 'k':
 *
 *   hold\n       never read: the connection is held unread until the next
 *                one arrives, then closed with RST
 *   drain MS\n   the next connection is its control connection ("ctrl\n");
 *                when the byte 'g' arrives there, wait MS ms, then read the
 *                data connection until its end, and close both
 *
 * It runs until it is killed, or exits after 60 s without a connection.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "workloads.h"

#define PEER_RCVBUF  4096
#define PEER_IDLE_MS 60000

static const char *workload = "?";

/* ------------------------------------------------------------ helpers */

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void fail(const char *call, int error)
{
    printf("ERROR workload=%s call=%s error=%d (%s)\n", workload, call, error, strerror(error));
    fflush(stdout);
    exit(2);
}

static void check(int ok, const char *call)
{
    if (!ok) fail(call, errno);
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

static int tcp_socket(void)
{
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    check(s >= 0, "socket");
    return s;
}

static int listener(unsigned short *port, int rcvbuf)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int s = tcp_socket();

    if (rcvbuf) check(!setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), "setsockopt(SO_RCVBUF)");
    loopback(&sin, 0);
    check(!bind(s, (struct sockaddr *)&sin, sizeof(sin)), "bind");
    check(!listen(s, SOMAXCONN), "listen");
    check(!getsockname(s, (struct sockaddr *)&sin, &len), "getsockname");
    *port = ntohs(sin.sin_port);
    return s;
}

static int connect_to(unsigned short port)
{
    struct sockaddr_in sin;
    int s = tcp_socket();

    loopback(&sin, port);
    check(!connect(s, (struct sockaddr *)&sin, sizeof(sin)), "connect");
    return s;
}

static void send_all(int s, const char *buf, size_t len)
{
    while (len > 0)
    {
        ssize_t n = send(s, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR) continue;
        check(n > 0, "send");
        buf += n;
        len -= n;
    }
}

static int recv_all(int s, char *buf, int len)
{
    int got = 0;

    while (got < len)
    {
        ssize_t n = recv(s, buf + got, len - got, 0);

        if (n < 0 && errno == EINTR) continue;
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

static pthread_t start_thread(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    int err = pthread_create(&t, NULL, fn, arg);

    if (err) fail("pthread_create", err);
    return t;
}

/* ------------------------------------------------------------ sockopt */

/* As wsbench.exe: one option's get and set, timed separately. */
static void time_option(int s, int level, int name, const char *label, const void *a, const void *b, socklen_t len,
                        long long count)
{
    char buf[16], rname[64];
    double t0 = 0;
    long long i;
    socklen_t n;

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
    int s = tcp_socket(), yes = 1, no = 0;
    struct linger on = { 1, 5 }, off = { 0, 5 };

    time_option(s, SOL_SOCKET, SO_LINGER, "linger", &on, &off, sizeof(on), count);
    time_option(s, IPPROTO_TCP, TCP_NODELAY, "nodelay", &yes, &no, sizeof(yes), count);
    close(s);
}

/* -------------------------------------------------------------- calls */

/* As wsbench.exe: each call N times between two markers (a stat of a
 * file that does not exist), for bench/count-syscalls. */
static void marker(const char *phase, const char *edge)
{
    char path[256];
    struct stat st;

    snprintf(path, sizeof(path), "/tmp/ws2mark-%s-%s", phase, edge);
    (void)stat(path, &st);
}

static void bench_calls(long long count)
{
    int s = tcp_socket(), *many = malloc(count * sizeof(*many)), yes = 1;
    struct linger l = { 1, 5 };
    long long i;
    socklen_t len;

    if (!many) fail("malloc", ENOMEM);
#define PHASE(name, body)                     \
    do {                                      \
        marker(name, "begin");                \
        for (i = 0; i < count; i++) { body; } \
        usleep(300000);                       \
        marker(name, "end");                  \
    } while (0)
    PHASE("getsockopt_linger", len = sizeof(l); check(!getsockopt(s, SOL_SOCKET, SO_LINGER, &l, &len), "get"));
    PHASE("setsockopt_linger", l.l_onoff = i & 1; check(!setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), "set"));
    PHASE("getsockopt_nodelay", len = sizeof(yes); check(!getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &yes, &len), "get"));
    PHASE("setsockopt_nodelay", yes = i & 1;
          check(!setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes)), "set"));
    PHASE("socket", many[i] = tcp_socket());
    PHASE("closesocket", check(!close(many[i]), "close"));
#undef PHASE
    close(s);
    free(many);
    result("calls", "calls", (double)count, count, NULL);
}

/* ------------------------------------------------------------- socket */

static void bench_socket(long long count)
{
    double t0, t1;
    long long i;

    for (i = 0; i < 100; i++) check(!close(tcp_socket()), "close");
    t0 = now_us();
    for (i = 0; i < count; i++) check(!close(tcp_socket()), "close");
    t1 = now_us();
    result("socket_close", "us", (t1 - t0) / count, count, NULL);
}

/* -------------------------------------------------------------- churn */

struct serve_args
{
    int listener;
    long long count;
    double end_us;
    long long bytes;
};

static void *churn_server(void *arg)
{
    struct serve_args *a = arg;
    char buf[CHURN_SIZE];
    long long i;

    for (i = 0; i < a->count; i++)
    {
        int c = accept(a->listener, NULL, NULL);

        check(c >= 0, "accept");
        check(recv_all(c, buf, sizeof(buf)) == sizeof(buf), "recv(churn)");
        send_all(c, buf, sizeof(buf));
        check(!close(c), "close");
    }
    return NULL;
}

static void churn_client(unsigned short port, long long count)
{
    char buf[CHURN_SIZE];
    long long i;

    memset(buf, 'c', sizeof(buf));
    for (i = 0; i < count; i++)
    {
        int s = connect_to(port);

        send_all(s, buf, sizeof(buf));
        check(recv_all(s, buf, sizeof(buf)) == sizeof(buf), "recv(churn)");
        check(!close(s), "close");
    }
}

static void bench_churn(long long count)
{
    struct serve_args a;
    unsigned short port;
    long long warm = count < 50 ? count : 50;
    double t0, t1;
    pthread_t th;

    memset(&a, 0, sizeof(a));
    a.listener = listener(&port, 0);
    a.count = warm + count;
    th = start_thread(churn_server, &a);
    churn_client(port, warm);
    t0 = now_us();
    churn_client(port, count);
    t1 = now_us();
    pthread_join(th, NULL);
    close(a.listener);
    result("tcp_churn", "conn/s", count / ((t1 - t0) / 1e6), count, NULL);
}

/* ----------------------------------------------------------- pingpong */

static void *echo_server(void *arg)
{
    struct serve_args *a = arg;
    char buf[PING_SIZE];
    int c = accept(a->listener, NULL, NULL);

    check(c >= 0, "accept");
    while (recv_all(c, buf, sizeof(buf))) send_all(c, buf, sizeof(buf));
    close(c);
    return NULL;
}

static void bench_pingpong(long long count, const char *name)
{
    struct serve_args a;
    char buf[PING_SIZE];
    unsigned short port;
    double t0, t1;
    long long i;
    pthread_t th;
    int s;

    memset(&a, 0, sizeof(a));
    memset(buf, 'p', sizeof(buf));
    a.listener = listener(&port, 0);
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
    check(!shutdown(s, SHUT_WR), "shutdown");
    pthread_join(th, NULL);
    close(s);
    close(a.listener);
    result(name, "us", (t1 - t0) / count, count, NULL);
}

/* --------------------------------------------------------------- bulk */

static void *sink_server(void *arg)
{
    struct serve_args *a = arg;
    char *buf = malloc(CHUNK);
    int c = accept(a->listener, NULL, NULL);
    long long got = 0;
    ssize_t n;

    check(buf != NULL, "malloc");
    check(c >= 0, "accept");
    while ((n = recv(c, buf, CHUNK, 0)) > 0 || (n < 0 && errno == EINTR))
    {
        if (n < 0) continue;
        got += n;
        if (got >= a->bytes && !a->end_us) a->end_us = now_us();
    }
    check(n == 0, "recv(bulk)");
    a->bytes = got;
    close(c);
    free(buf);
    return NULL;
}

static void bench_bulk(long long mib, const char *name)
{
    struct serve_args a;
    char *buf = malloc(CHUNK);
    long long total = mib * 1024 * 1024, sent = 0;
    unsigned short port;
    double t0;
    pthread_t th;
    int s;
    char extra[64];

    check(buf != NULL, "malloc");
    memset(buf, 'b', CHUNK);
    memset(&a, 0, sizeof(a));
    a.listener = listener(&port, 0);
    a.bytes = total;
    th = start_thread(sink_server, &a);
    s = connect_to(port);
    t0 = now_us();
    while (sent < total)
    {
        send_all(s, buf, CHUNK);
        sent += CHUNK;
    }
    check(!shutdown(s, SHUT_WR), "shutdown");
    pthread_join(th, NULL);
    close(s);
    close(a.listener);
    free(buf);
    if (a.bytes != total) fail("recv(bulk total)", 0);
    snprintf(extra, sizeof(extra), "bytes=%lld", total);
    result(name, "MB/s", total / (a.end_us - t0), mib, extra);
}

/* ---------------------------------------------------------------- udp */

struct dgram
{
    unsigned int window, index;
    char pad[UDP_SIZE - 8];
};

struct udp_args
{
    int s;
    long long received;
};

#define UDP_STOP 0xffffffffu

static int udp_socket(unsigned short *port)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    struct timeval tv = { UDP_TIMEOUT_MS / 1000, (UDP_TIMEOUT_MS % 1000) * 1000 };
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    check(s >= 0, "socket(udp)");
    loopback(&sin, 0);
    check(!bind(s, (struct sockaddr *)&sin, sizeof(sin)), "bind(udp)");
    check(!getsockname(s, (struct sockaddr *)&sin, &len), "getsockname(udp)");
    check(!setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), "setsockopt(SO_RCVTIMEO)");
    *port = ntohs(sin.sin_port);
    return s;
}

static void *udp_receiver(void *arg)
{
    struct udp_args *a = arg;
    struct dgram d;
    struct sockaddr_in from;
    socklen_t len;
    ssize_t n;
    int idle = 0;

    for (;;)
    {
        len = sizeof(from);
        n = recvfrom(a->s, &d, sizeof(d), 0, (struct sockaddr *)&from, &len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
            if (++idle >= 5) break;
            continue;
        }
        check(n == sizeof(d), "recvfrom(udp)");
        idle = 0;
        if (d.window == UDP_STOP) break;
        a->received++;
        if (d.index == UDP_WINDOW - 1)
            check(sendto(a->s, &d, 8, 0, (struct sockaddr *)&from, len) == 8, "sendto(ack)");
    }
    return NULL;
}

static long long udp_send(int s, const struct sockaddr_in *to, unsigned int first, long long windows)
{
    struct dgram d;
    long long w, lost = 0;
    ssize_t n;
    int i;

    memset(&d, 'u', sizeof(d));
    for (w = 0; w < windows; w++)
    {
        d.window = first + (unsigned int)w;
        for (i = 0; i < UDP_WINDOW; i++)
        {
            d.index = i;
            check(sendto(s, &d, sizeof(d), 0, (const struct sockaddr *)to, sizeof(*to)) == sizeof(d), "sendto(udp)");
        }
        for (;;)
        {
            struct dgram ack;

            n = recv(s, &ack, sizeof(ack), 0);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
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
    pthread_t th;
    char extra[96];
    int s, i;

    memset(&a, 0, sizeof(a));
    a.s = udp_socket(&rport);
    s = udp_socket(&sport);
    loopback(&to, rport);
    th = start_thread(udp_receiver, &a);
    udp_send(s, &to, 0, 10);
    a.received = 0;
    t0 = now_us();
    lost = udp_send(s, &to, 1000, windows);
    t1 = now_us();
    memset(&stop, 0, sizeof(stop));
    stop.window = UDP_STOP;
    for (i = 0; i < 3; i++) sendto(s, &stop, sizeof(stop), 0, (struct sockaddr *)&to, sizeof(to));
    pthread_join(th, NULL);
    close(s);
    close(a.s);
    snprintf(extra, sizeof(extra), "sent=%lld received=%lld lost_windows=%lld", windows * UDP_WINDOW, a.received, lost);
    result("udp_rate", "dgram/s", windows * UDP_WINDOW / ((t1 - t0) / 1e6), windows * UDP_WINDOW, extra);
}

/* --------------------------------------------------------------- many */

static void bench_many(long long count)
{
    int *socks = malloc(count * sizeof(*socks));
    struct rlimit rl;
    double t0, t1, t2, t3;
    long long i;

    check(socks != NULL, "malloc");
    /* Room for the sockets, as Wine gives its processes. */
    if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max)
    {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    for (i = 0; i < 10; i++) check(!close(tcp_socket()), "close");
    t0 = now_us();
    for (i = 0; i < count; i++) socks[i] = tcp_socket();
    t1 = now_us();
    t2 = now_us();
    for (i = 0; i < count; i++) check(!close(socks[i]), "close");
    t3 = now_us();
    free(socks);
    result("many_open", "ms", (t1 - t0) / 1e3, count, NULL);
    result("many_close", "ms", (t3 - t2) / 1e3, count, NULL);
}

/* ------------------------------------------------------------- linger */

static int peer_connect(unsigned short port, const char *header, int sndbuf)
{
    int s = tcp_socket();
    struct sockaddr_in sin;
    char ack;

    if (sndbuf) check(!setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), "setsockopt(SO_SNDBUF)");
    loopback(&sin, port);
    check(!connect(s, (struct sockaddr *)&sin, sizeof(sin)), "connect(peer)");
    send_all(s, header, strlen(header));
    check(recv_all(s, &ack, 1) == 1 && ack == 'k', "recv(peer ack)");
    return s;
}

static long long fill(int s)
{
    static char buf[8192];
    long long queued = 0;
    ssize_t n;

    for (;;)
    {
        n = send(s, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        check(n > 0, "send(fill)");
        queued += n;
    }
    return queued;
}

static void set_linger(int s, int seconds)
{
    struct linger l = { 1, seconds };

    check(!setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), "setsockopt(SO_LINGER)");
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
    int s, ctrl;

    check(v != NULL, "malloc");
    if (!port) fail("usage(--port)", EINVAL);
    for (i = 0; i < count; i++)
    {
        s = peer_connect(port, "hold\n", LINGER_SNDBUF);
        queued = fill(s);
        set_linger(s, LINGER_BLOCK_S);
        t0 = now_us();
        check(!close(s), "close(linger block)");
        t1 = now_us();
        v[i] = (t1 - t0) / 1e3 - LINGER_BLOCK_S * 1000.0;
    }
    linger_result("linger_block_excess", v, count, queued);

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
        check(!close(s), "close(linger drain)");
        t1 = now_us();
        close(ctrl);
        v[i] = (t1 - t0) / 1e3 - LINGER_DELAY_MS;
    }
    linger_result("linger_drain_notice", v, count, queued);
    free(v);
}

/* ------------------------------------ completion-port workloads, epoll */

/* A non-blocking socket in an epoll set of its own. */
struct ep
{
    int epfd, fd;
    uint32_t events;
};

static void ep_init(struct ep *e, int fd)
{
    struct epoll_event ev = { 0 };

    check(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0, "fcntl(O_NONBLOCK)");
    e->fd = fd;
    e->epfd = epoll_create1(EPOLL_CLOEXEC);
    check(e->epfd >= 0, "epoll_create1");
    e->events = EPOLLIN;
    ev.events = e->events;
    ev.data.fd = fd;
    check(!epoll_ctl(e->epfd, EPOLL_CTL_ADD, fd, &ev), "epoll_ctl(ADD)");
}

/* Wait until the socket is ready for `events`; silence is an error. */
static void ep_wait(struct ep *e, uint32_t events)
{
    struct epoll_event ev = { 0 };
    int n;

    if (e->events != events)
    {
        ev.events = e->events = events;
        ev.data.fd = e->fd;
        check(!epoll_ctl(e->epfd, EPOLL_CTL_MOD, e->fd, &ev), "epoll_ctl(MOD)");
    }
    do n = epoll_wait(e->epfd, &ev, 1, IOCP_TIMEOUT_MS);
    while (n < 0 && errno == EINTR);
    check(n >= 0, "epoll_wait");
    if (!n) fail("epoll_wait(timeout)", ETIMEDOUT);
}

static void ep_close(struct ep *e)
{
    close(e->epfd);
    close(e->fd);
}

static int ep_recv_all(struct ep *e, char *buf, int len)
{
    int got = 0;

    while (got < len)
    {
        ssize_t n = recv(e->fd, buf + got, len - got, 0);

        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
            ep_wait(e, EPOLLIN);
            continue;
        }
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

static void ep_send_all(struct ep *e, const char *buf, size_t len)
{
    while (len > 0)
    {
        ssize_t n = send(e->fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
            ep_wait(e, EPOLLOUT);
            continue;
        }
        check(n > 0, "send");
        buf += n;
        len -= n;
    }
}

static void *ep_echo_server(void *arg)
{
    struct serve_args *a = arg;
    char buf[PING_SIZE];
    int c = accept(a->listener, NULL, NULL);
    struct ep e;

    check(c >= 0, "accept");
    ep_init(&e, c);
    while (ep_recv_all(&e, buf, sizeof(buf))) ep_send_all(&e, buf, sizeof(buf));
    ep_close(&e);
    return NULL;
}

static void bench_iocp_pingpong(long long count)
{
    struct serve_args a;
    char buf[PING_SIZE];
    unsigned short port;
    double t0, t1;
    long long i;
    pthread_t th;
    struct ep e;

    memset(&a, 0, sizeof(a));
    memset(buf, 'p', sizeof(buf));
    a.listener = listener(&port, 0);
    th = start_thread(ep_echo_server, &a);
    ep_init(&e, connect_to(port));
    for (i = 0; i < 100; i++)
    {
        ep_send_all(&e, buf, sizeof(buf));
        check(ep_recv_all(&e, buf, sizeof(buf)) == sizeof(buf), "recv(iocp_pingpong)");
    }
    t0 = now_us();
    for (i = 0; i < count; i++)
    {
        ep_send_all(&e, buf, sizeof(buf));
        check(ep_recv_all(&e, buf, sizeof(buf)) == sizeof(buf), "recv(iocp_pingpong)");
    }
    t1 = now_us();
    check(!shutdown(e.fd, SHUT_WR), "shutdown");
    pthread_join(th, NULL);
    ep_close(&e);
    close(a.listener);
    result("iocp_pingpong_64", "us", (t1 - t0) / count, count, NULL);
}

static void *ep_sink_server(void *arg)
{
    struct serve_args *a = arg;
    char *buf = malloc(CHUNK);
    int c = accept(a->listener, NULL, NULL);
    long long got = 0;
    struct ep e;
    ssize_t n;

    check(buf != NULL, "malloc");
    check(c >= 0, "accept");
    ep_init(&e, c);
    for (;;)
    {
        n = recv(c, buf, CHUNK, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
            ep_wait(&e, EPOLLIN);
            continue;
        }
        check(n >= 0, "recv(iocp_bulk)");
        if (!n) break;
        got += n;
        if (got >= a->bytes && !a->end_us) a->end_us = now_us();
    }
    a->bytes = got;
    ep_close(&e);
    free(buf);
    return NULL;
}

static void bench_iocp_bulk(long long mib)
{
    struct serve_args a;
    char *buf = malloc(CHUNK);
    long long total = mib * 1024 * 1024, sent = 0;
    unsigned short port;
    double t0;
    pthread_t th;
    struct ep e;
    char extra[64];

    check(buf != NULL, "malloc");
    memset(buf, 'b', CHUNK);
    memset(&a, 0, sizeof(a));
    a.listener = listener(&port, 0);
    a.bytes = total;
    th = start_thread(ep_sink_server, &a);
    ep_init(&e, connect_to(port));
    t0 = now_us();
    while (sent < total)
    {
        ep_send_all(&e, buf, CHUNK);
        sent += CHUNK;
    }
    check(!shutdown(e.fd, SHUT_WR), "shutdown");
    pthread_join(th, NULL);
    ep_close(&e);
    close(a.listener);
    free(buf);
    if (a.bytes != total) fail("recv(iocp_bulk total)", 0);
    snprintf(extra, sizeof(extra), "bytes=%lld", total);
    result("iocp_bulk", "MB/s", total / (a.end_us - t0), mib, extra);
}

/* -------------------------------------------------------- linger peer */

/* Wait until fd is readable; 0 on timeout. */
static int wait_readable(int fd, int timeout_ms)
{
    struct pollfd p = { fd, POLLIN, 0 };
    int n;

    do n = poll(&p, 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    return n > 0;
}

/* Read the header line byte by byte (nothing after it) and answer 'k'. */
static int read_header(int c, char *line, size_t size)
{
    size_t len = 0;

    while (len + 1 < size)
    {
        ssize_t n;

        if (!wait_readable(c, 10000)) return -1;
        n = recv(c, line + len, 1, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        if (line[len] == '\n')
        {
            line[len] = 0;
            send_all(c, "k", 1);
            return 0;
        }
        len++;
    }
    return -1;
}

static void close_reset(int fd)
{
    struct linger l = { 1, 0 };

    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd);
}

static void drain(int data, int ctrl, long delay_ms)
{
    static char buf[CHUNK];
    struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };
    double t0, t1;
    long long got = 0;
    ssize_t n;
    char g;

    if (!wait_readable(ctrl, 30000) || recv(ctrl, &g, 1, 0) != 1 || g != 'g')
    {
        fprintf(stderr, "linger-peer: no go on the control connection\n");
        return;
    }
    clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
    t0 = now_us();
    for (;;)
    {
        if (!wait_readable(data, 30000)) break;
        n = recv(data, buf, sizeof(buf), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += n;
    }
    t1 = now_us();
    fprintf(stderr, "linger-peer: drained %lld bytes in %.3f ms\n", got, (t1 - t0) / 1e3);
}

static int linger_peer(const char *port_file)
{
    unsigned short port;
    int lfd = listener(&port, PEER_RCVBUF), held = -1, pending = -1;
    long pending_delay = 0;
    FILE *f;

    if (!port_file) fail("usage(--port-file)", EINVAL);
    if (!(f = fopen(port_file, "w"))) fail("fopen(port file)", errno);
    fprintf(f, "%u\n", port);
    fclose(f);
    for (;;)
    {
        char line[64];
        int c;

        if (!wait_readable(lfd, PEER_IDLE_MS)) break;
        c = accept(lfd, NULL, NULL);
        if (c < 0)
        {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            fail("accept(peer)", errno);
        }
        if (held >= 0)
        {
            close_reset(held);
            held = -1;
        }
        if (read_header(c, line, sizeof(line)) < 0)
        {
            close(c);
            continue;
        }
        if (!strcmp(line, "hold")) held = c;
        else if (!strncmp(line, "drain ", 6))
        {
            if (pending >= 0) close_reset(pending);
            pending = c;
            pending_delay = strtol(line + 6, NULL, 10);
        }
        else if (!strcmp(line, "ctrl") && pending >= 0)
        {
            drain(pending, c, pending_delay);
            close(pending);
            close(c);
            pending = -1;
        }
        else close(c);
    }
    return 0;
}

/* --------------------------------------------------------------- main */

static void usage(void)
{
    fprintf(stderr, "usage: nativebench sockopt|calls|socket|churn|pingpong|bulk|udp|many|linger|"
                    "iocp_pingpong|iocp_bulk|floor "
                    "[COUNT] [--port PORT]\n"
                    "       nativebench linger-peer --port-file FILE\n");
    exit(1);
}

int main(int argc, char **argv)
{
    long long count = 1000;
    unsigned short port = 0;
    const char *port_file = NULL;
    int i;

    if (argc < 2) usage();
    workload = argv[1];
    for (i = 2; i < argc; i++)
    {
        if (!strcmp(argv[i], "--port") && i + 1 < argc) port = (unsigned short)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--port-file") && i + 1 < argc) port_file = argv[++i];
        else if (!strcmp(argv[i], "--sync") && i + 1 < argc) i++; /* nothing to wait for */
        else if (argv[i][0] >= '0' && argv[i][0] <= '9') count = atoll(argv[i]);
        else usage();
    }
    if (count <= 0) usage();
    if (!strcmp(workload, "linger-peer")) return linger_peer(port_file);
    printf("WSBENCH dll=native\n");
    fflush(stdout);

    if (!strcmp(workload, "sockopt")) bench_sockopt(count);
    else if (!strcmp(workload, "calls")) bench_calls(count);
    else if (!strcmp(workload, "socket")) bench_socket(count);
    else if (!strcmp(workload, "churn")) bench_churn(count);
    else if (!strcmp(workload, "pingpong")) bench_pingpong(count, "pingpong_64");
    /* wsbench's floor without Wine: the ping-pong and the bulk transfer
     * alone (there is no wineserver). */
    else if (!strcmp(workload, "floor"))
    {
        bench_pingpong(count, "floor_pingpong_64");
        bench_bulk(FLOOR_BULK_MIB(count), "floor_tcp_bulk");
    }
    else if (!strcmp(workload, "bulk")) bench_bulk(count, "tcp_bulk");
    else if (!strcmp(workload, "udp")) bench_udp(count);
    else if (!strcmp(workload, "many")) bench_many(count);
    else if (!strcmp(workload, "linger")) bench_linger(count, port);
    else if (!strcmp(workload, "iocp_pingpong")) bench_iocp_pingpong(count);
    else if (!strcmp(workload, "iocp_bulk")) bench_iocp_bulk(count);
    else usage();
    return 0;
}
