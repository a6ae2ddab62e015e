/*
 * teardown: Windows-side helper of the integration tests of teardown that
 * outlives the caller (tests/integration/teardown_*.sh, threads_served.sh).
 *
 * A plain Winsock program: it builds with MinGW, runs under Wine with this
 * project's ws2_32.dll, and means the same on real Windows.  Every mode
 * prints "key=value" lines for the scripts and exits 0 when what it saw
 * itself matched Windows' rules (the scripts check the wire and the server).
 *
 *   teardown linger PORT SECS PAUSE_MS
 *       Connect to tests/peer/ws2peer on 127.0.0.1:PORT (header pause=PAUSE_MS),
 *       fill the connection with non-blocking sends, go back to blocking,
 *       set SO_LINGER {1,SECS}, print "closing ...", call closesocket (it
 *       blocks), print "closed ...".  The scripts kill the process meanwhile.
 *
 *   teardown many N
 *       In-process loopback: one listener, N/2 connected sockets and the N/2
 *       accepted ones, with mixed linger modes, some with unacknowledged data.
 *       Exactly N/2 of them are closed from several threads at once (checking
 *       what closesocket returns), "half-closed" is printed, and the process
 *       exits with the rest (and the listener) still open: the socket server
 *       has to tear them down.
 *
 *   teardown served PORT PAUSE_MS SECS
 *       Like linger, but while the main thread is blocked in the lingering
 *       closesocket a second thread does socket+getsockopt+closesocket rounds
 *       trips and reports the slowest.  Named events (keyed by PORT) tell a
 *       "roundtrips" process when the close starts and ends.
 *
 *   teardown roundtrips PORT
 *       Print "ready", wait for the "served" process of PORT to start its
 *       close, do rounds trips until that close returns, report the slowest.
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601
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

#define CHUNK              65536
#define FILL_LIMIT         (64 * 1024 * 1024)
#define FILL_TIME_MS       5000
#define CLOSE_THREADS      8
#define ROUNDTRIP_GAP_MS   5
#define ROUNDTRIP_LIMIT_MS 30000

static LARGE_INTEGER freq;
static char sendbuf[CHUNK];

static double now_ms(void)
{
    LARGE_INTEGER t;

    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * 1000.0 / (double)freq.QuadPart;
}

static const char *wsa_name(int err)
{
    switch (err)
    {
    case 0: return "0";
    case WSAEWOULDBLOCK: return "WSAEWOULDBLOCK";
    case WSAENOTSOCK: return "WSAENOTSOCK";
    case WSAEINTR: return "WSAEINTR";
    case WSAEINPROGRESS: return "WSAEINPROGRESS";
    case WSAENETDOWN: return "WSAENETDOWN";
    case WSAECONNRESET: return "WSAECONNRESET";
    case WSAECONNREFUSED: return "WSAECONNREFUSED";
    case WSAECONNABORTED: return "WSAECONNABORTED";
    case WSAEFAULT: return "WSAEFAULT";
    case WSAEINVAL: return "WSAEINVAL";
    case WSAENOTCONN: return "WSAENOTCONN";
    case WSAENOBUFS: return "WSAENOBUFS";
    case WSAEMFILE: return "WSAEMFILE";
    default: return "WSAERROR";
    }
}

static int set_nonblocking(SOCKET s, u_long on)
{
    return ioctlsocket(s, FIONBIO, &on);
}

static int set_linger(SOCKET s, u_short onoff, u_short secs)
{
    struct linger l;

    l.l_onoff = onoff;
    l.l_linger = secs;
    return setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&l, sizeof(l));
}

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

static int recv_all(SOCKET s, char *data, int len)
{
    while (len > 0)
    {
        int n = recv(s, data, len, 0);
        if (n <= 0) return -1;
        data += n;
        len -= n;
    }
    return 0;
}

static int parse_int(const char *s, int min, int max, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (end == s || *end || v < min || v > max) return -1;
    *out = (int)v;
    return 0;
}

/* A blocking TCP connection to 127.0.0.1:port that has sent the peer's
 * header line, or INVALID_SOCKET (the reason is printed). */
static SOCKET connect_peer(int port, const char *label, int pause_ms)
{
    struct sockaddr_in addr;
    char header[96];
    SOCKET s;
    int e;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((u_short)port);
    if ((s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET)
    {
        e = WSAGetLastError();
        printf("error=socket:%s(%d)\n", wsa_name(e), e);
        return INVALID_SOCKET;
    }
    if (connect(s, (struct sockaddr *)&addr, sizeof(addr)))
    {
        e = WSAGetLastError();
        printf("error=connect:%s(%d)\n", wsa_name(e), e);
        closesocket(s);
        return INVALID_SOCKET;
    }
    snprintf(header, sizeof(header), "WS2PEER label=%s pause=%d\n", label, pause_ms);
    if (send_all(s, header, (int)strlen(header)))
    {
        e = WSAGetLastError();
        printf("error=send_header:%s(%d)\n", wsa_name(e), e);
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

/* Non-blocking sends until the connection takes no more (the peer is not
 * reading).  One WSAEWOULDBLOCK can pass while data is still moving, so it
 * counts only when a little later still nothing fits.  Leaves the socket
 * non-blocking.  Returns the bytes sent, or -1 (the error in *err). */
static long long fill(SOCKET s, int *err)
{
    double start = now_ms();
    long long sent = 0;
    int stuck = 0;

    if (set_nonblocking(s, 1))
    {
        *err = WSAGetLastError();
        return -1;
    }
    while (sent < FILL_LIMIT && now_ms() - start < FILL_TIME_MS)
    {
        int n = send(s, sendbuf, sizeof(sendbuf), 0);

        if (n > 0)
        {
            sent += n;
            stuck = 0;
            continue;
        }
        if (WSAGetLastError() != WSAEWOULDBLOCK)
        {
            *err = WSAGetLastError();
            return -1;
        }
        if (++stuck >= 3) break;
        Sleep(30);
    }
    return sent;
}

/* Connect, fill, blocking mode, SO_LINGER {1,secs}: ready for a lingering
 * close.  *sent gets the data bytes after the header. */
static SOCKET prepare_lingering(int port, const char *label, int pause_ms, int secs, long long *sent)
{
    SOCKET s;
    int e = 0;

    if ((s = connect_peer(port, label, pause_ms)) == INVALID_SOCKET) return INVALID_SOCKET;
    if ((*sent = fill(s, &e)) < 0 || (set_nonblocking(s, 0) && (e = WSAGetLastError())))
    {
        printf("error=fill:%s(%d)\n", wsa_name(e), e);
        closesocket(s);
        return INVALID_SOCKET;
    }
    if (set_linger(s, 1, (u_short)secs))
    {
        e = WSAGetLastError();
        printf("error=setsockopt_linger:%s(%d)\n", wsa_name(e), e);
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

/* ----------------------------------------------------------------- linger */

static int mode_linger(int port, int secs, int pause_ms)
{
    long long sent;
    double start;
    SOCKET s;
    int ret, e;

    if ((s = prepare_lingering(port, "linger", pause_ms, secs, &sent)) == INVALID_SOCKET) return 1;
    printf("closing sent=%lld linger=1,%d pause_ms=%d\n", sent, secs, pause_ms);
    fflush(stdout);
    start = now_ms();
    ret = closesocket(s);
    e = ret ? WSAGetLastError() : 0;
    printf("closed closesocket=%s ms=%.0f\n", wsa_name(e), now_ms() - start);
    fflush(stdout);
    return ret ? 1 : 0;
}

/* ------------------------------------------------------------- rounds trips */

/* One socket+getsockopt+closesocket rounds trip; its time in µs, or -1. */
static long long roundtrip(void)
{
    double start = now_ms();
    struct linger l;
    int len = sizeof(l);
    SOCKET s;

    if ((s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET) return -1;
    if (getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, &len))
    {
        closesocket(s);
        return -1;
    }
    if (closesocket(s)) return -1;
    return (long long)((now_ms() - start) * 1000.0);
}

struct roundtrips
{
    HANDLE started, finished; /* the lingering close began / returned */
    HANDLE ready;             /* set by the worker after its first call */
    long count, failures;
    long long max_us, total_us;
    int timed_out;
};

/* Round trips from the moment `started` is set until `finished` is. */
static void run_roundtrips(struct roundtrips *r)
{
    double limit;

    r->count = r->failures = 0;
    r->max_us = r->total_us = 0;
    r->timed_out = 0;
    /* The first call of a thread opens its channel to the server: not counted. */
    roundtrip();
    if (r->ready) SetEvent(r->ready);
    if (WaitForSingleObject(r->started, ROUNDTRIP_LIMIT_MS) != WAIT_OBJECT_0)
    {
        r->timed_out = 1;
        return;
    }
    limit = now_ms() + ROUNDTRIP_LIMIT_MS;
    while (WaitForSingleObject(r->finished, 0) == WAIT_TIMEOUT)
    {
        long long us = roundtrip();

        if (us < 0) r->failures++;
        else
        {
            r->count++;
            r->total_us += us;
            if (us > r->max_us) r->max_us = us;
        }
        if (now_ms() > limit)
        {
            r->timed_out = 1;
            break;
        }
        Sleep(ROUNDTRIP_GAP_MS);
    }
}

static DWORD WINAPI roundtrip_thread(void *arg)
{
    run_roundtrips(arg);
    return 0;
}

static int open_events(int port, HANDLE *started, HANDLE *finished)
{
    char name[64];

    snprintf(name, sizeof(name), "ws2-teardown-closing-%d", port);
    *started = CreateEventA(NULL, TRUE, FALSE, name);
    snprintf(name, sizeof(name), "ws2-teardown-closed-%d", port);
    *finished = CreateEventA(NULL, TRUE, FALSE, name);
    if (!*started || !*finished)
    {
        printf("error=CreateEvent:%lu\n", (unsigned long)GetLastError());
        return -1;
    }
    return 0;
}

static void print_roundtrips(const char *what, const struct roundtrips *r)
{
    printf("%s roundtrips=%ld failures=%ld max_us=%lld avg_us=%lld timed_out=%d\n", what, r->count,
           r->failures, r->max_us, r->count ? r->total_us / r->count : 0, r->timed_out);
}

static int mode_served(int port, int pause_ms, int secs)
{
    struct roundtrips r;
    long long sent;
    HANDLE thread;
    double start, took;
    SOCKET s;
    int ret, e;

    memset(&r, 0, sizeof(r));
    if (open_events(port, &r.started, &r.finished)) return 1;
    r.ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (!r.ready || (s = prepare_lingering(port, "served", pause_ms, secs, &sent)) == INVALID_SOCKET)
    {
        /* Let the other process stop waiting. */
        SetEvent(r.started);
        SetEvent(r.finished);
        return 1;
    }
    if (!(thread = CreateThread(NULL, 0, roundtrip_thread, &r, 0, NULL)))
    {
        printf("error=CreateThread:%lu\n", (unsigned long)GetLastError());
        SetEvent(r.started);
        SetEvent(r.finished);
        closesocket(s);
        return 1;
    }
    WaitForSingleObject(r.ready, 30000);
    printf("closing sent=%lld linger=1,%d pause_ms=%d\n", sent, secs, pause_ms);
    fflush(stdout);
    SetEvent(r.started);
    start = now_ms();
    ret = closesocket(s);
    e = ret ? WSAGetLastError() : 0;
    took = now_ms() - start;
    SetEvent(r.finished);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    printf("closed closesocket=%s ms=%.0f\n", wsa_name(e), took);
    print_roundtrips("thread", &r);
    fflush(stdout);
    return ret || r.failures || r.timed_out ? 1 : 0;
}

static int mode_roundtrips(int port)
{
    struct roundtrips r;

    memset(&r, 0, sizeof(r));
    if (open_events(port, &r.started, &r.finished)) return 1;
    /* The first call opens this thread's channel to the server: say
     * "ready" only after it, so that nothing slow is left for later. */
    roundtrip();
    printf("ready\n");
    fflush(stdout);
    run_roundtrips(&r);
    print_roundtrips("process", &r);
    fflush(stdout);
    return r.failures || r.timed_out ? 1 : 0;
}

/* ------------------------------------------------------------------- many */

enum linger_mode
{
    LM_OFF,        /* linger off (the default) */
    LM_ABORT,      /* {1,0} */
    LM_BLOCK_1,    /* {1,1}, blocking */
    LM_NONBLOCK_2, /* {1,2}, non-blocking */
    LM_COUNT
};

static const char *const lm_names[] = { "off", "1,0", "1,1-blocking", "1,2-nonblocking" };

enum expect
{
    EXPECT_ZERO,       /* closesocket returns 0 */
    EXPECT_WOULDBLOCK, /* WSAEWOULDBLOCK, then {1,0} and 0 */
};

struct entry
{
    SOCKET s;
    int pair;
    int filled;    /* unacknowledged data in its send queue */
    int close_now; /* closed before the exit */
    enum expect expect;
    int mode; /* enum linger_mode, for the unfilled ones */
    const char *what;
    /* results */
    int ret, err, ret2, err2, still_valid;
    double ms;
};

struct closer
{
    HANDLE go;
    struct entry **list;
    int count, index, step;
};

static DWORD WINAPI closer_thread(void *arg)
{
    struct closer *c = arg;
    int i;

    WaitForSingleObject(c->go, INFINITE);
    for (i = c->index; i < c->count; i += c->step)
    {
        struct entry *e = c->list[i];
        double start = now_ms();

        e->ret = closesocket(e->s);
        e->err = e->ret ? WSAGetLastError() : 0;
        e->ms = now_ms() - start;
        e->ret2 = 0;
        if (e->ret == SOCKET_ERROR && e->err == WSAEWOULDBLOCK)
        {
            /* Windows: the socket stays valid; an abortive close ends it. */
            struct linger l;
            int len = sizeof(l);

            e->still_valid = !getsockopt(e->s, SOL_SOCKET, SO_LINGER, (char *)&l, &len);
            set_linger(e->s, 1, 0);
            e->ret2 = closesocket(e->s);
            e->err2 = e->ret2 ? WSAGetLastError() : 0;
        }
    }
    return 0;
}

/* A fixed pseudo-random sequence (the same on every run). */
static unsigned int lcg(unsigned int *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

static int mode_many(int n)
{
    int pairs = n / 2, nentries = 2 * pairs, i, nclose = 0, nopen, errors = 0, filled_pairs = 0;
    int wouldblock = 0, blocking_filled = 0, by_mode_closed[LM_COUNT] = { 0 }, by_mode_open[LM_COUNT] = { 0 };
    int *others, nothers = 0, need, small = 4096, e;
    struct entry *entries, **to_close;
    struct sockaddr_in addr;
    struct closer closers[CLOSE_THREADS];
    HANDLE threads[CLOSE_THREADS], go;
    double t0, t_setup, t_close, max_blocking_ms = 0, min_blocking_ms = 1e9, max_fast_ms = 0;
    unsigned int seed = 12345;
    long long filled_bytes = 0;
    double fill_start;
    int len = sizeof(addr), rounds;
    SOCKET l;
    char msg[16];

    entries = calloc(nentries, sizeof(*entries));
    to_close = calloc(nentries, sizeof(*to_close));
    others = calloc(nentries, sizeof(*others));
    if (!entries || !to_close || !others)
    {
        printf("error=out_of_memory\n");
        return 1;
    }
    t0 = now_ms();

    /* The listener: a small receive buffer, inherited by the accepted
     * sockets, so a few KB fill a connection whose reader does not read. */
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if ((l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET ||
        setsockopt(l, SOL_SOCKET, SO_RCVBUF, (const char *)&small, sizeof(small)) ||
        bind(l, (struct sockaddr *)&addr, sizeof(addr)) || listen(l, SOMAXCONN) ||
        getsockname(l, (struct sockaddr *)&addr, &len))
    {
        e = WSAGetLastError();
        printf("error=listener:%s(%d)\n", wsa_name(e), e);
        return 1;
    }

    /* Pairs: client i is entries[2i], its accepted peer entries[2i+1]. */
    for (i = 0; i < pairs; i++)
    {
        struct entry *c = &entries[2 * i], *s = &entries[2 * i + 1];

        c->pair = s->pair = i;
        if ((c->s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET ||
            connect(c->s, (struct sockaddr *)&addr, sizeof(addr)))
        {
            e = WSAGetLastError();
            printf("error=connect:%s(%d) pair=%d\n", wsa_name(e), e, i);
            return 1;
        }
        if ((s->s = accept(l, NULL, NULL)) == INVALID_SOCKET)
        {
            e = WSAGetLastError();
            printf("error=accept:%s(%d) pair=%d\n", wsa_name(e), e, i);
            return 1;
        }
        /* Four pairs in every 25 (i % 25 = 0..3) carry unacknowledged data
         * from the client: their accepted end never reads and stays open
         * until the exit. */
        if (i % 25 < 4)
        {
            /* A bounded send buffer: the fill takes a few hundred KB, not MBs. */
            int sndbuf = 65536;

            if (setsockopt(c->s, SOL_SOCKET, SO_SNDBUF, (const char *)&sndbuf, sizeof(sndbuf)))
            {
                e = WSAGetLastError();
                printf("error=SO_SNDBUF:%s(%d) pair=%d\n", wsa_name(e), e, i);
                return 1;
            }
            c->filled = 1;
            filled_pairs++;
        }
        else
        {
            /* A small exchange both ways, read completely: nothing pending. */
            memset(msg, 'a' + i % 26, sizeof(msg));
            if (send_all(c->s, msg, sizeof(msg)) || recv_all(s->s, msg, sizeof(msg)) ||
                send_all(s->s, msg, sizeof(msg)) || recv_all(c->s, msg, sizeof(msg)))
            {
                e = WSAGetLastError();
                printf("error=exchange:%s(%d) pair=%d\n", wsa_name(e), e, i);
                return 1;
            }
        }
    }

    /* The filled pairs: all filled together, in rounds, until a rounds
     * takes nothing more (the readers never read). */
    for (i = 0; i < pairs; i++)
        if (entries[2 * i].filled && set_nonblocking(entries[2 * i].s, 1))
        {
            e = WSAGetLastError();
            printf("error=FIONBIO:%s(%d) pair=%d\n", wsa_name(e), e, i);
            return 1;
        }
    for (rounds = 0, fill_start = now_ms(); now_ms() - fill_start < FILL_TIME_MS; rounds++)
    {
        long long progress = 0;

        for (i = 0; i < pairs; i++)
        {
            int k;

            if (!entries[2 * i].filled) continue;
            for (k = 0; k < 256; k++)
            {
                int r = send(entries[2 * i].s, sendbuf, 4096, 0);

                if (r > 0)
                {
                    progress += r;
                    filled_bytes += r;
                    continue;
                }
                if ((e = WSAGetLastError()) != WSAEWOULDBLOCK)
                {
                    printf("error=fill:%s(%d) pair=%d\n", wsa_name(e), e, i);
                    return 1;
                }
                break;
            }
        }
        if (!progress && rounds >= 2) break;
        Sleep(30);
    }

    /* Their modes: {1,1} blocking or non-blocking, closed now or at exit. */
    for (i = 0; i < pairs; i++)
    {
        struct entry *c = &entries[2 * i];
        int kind = i % 25;

        if (!c->filled) continue;
        if (set_linger(c->s, 1, 1))
        {
            e = WSAGetLastError();
            printf("error=setsockopt:%s(%d) pair=%d\n", wsa_name(e), e, i);
            return 1;
        }
        switch (kind)
        {
        case 0: /* blocking, closed now: blocks until the 1 s timeout, 0 */
            set_nonblocking(c->s, 0);
            c->close_now = 1;
            c->expect = EXPECT_ZERO;
            c->what = "filled-1,1-blocking";
            blocking_filled++;
            break;
        case 1: /* non-blocking, closed now: WSAEWOULDBLOCK */
            c->close_now = 1;
            c->expect = EXPECT_WOULDBLOCK;
            c->what = "filled-1,1-nonblocking";
            break;
        case 2: /* blocking, left for the exit */
            set_nonblocking(c->s, 0);
            c->what = "filled-1,1-blocking";
            break;
        default: /* non-blocking, left for the exit */
            c->what = "filled-1,1-nonblocking";
            break;
        }
        entries[2 * i + 1].what = "filled-peer-off";
    }

    /* Everything else: a linger mode each, and exactly n/2 closed in all,
     * chosen in a fixed shuffled order so every mode and both ends of a
     * pair come up closed and open. */
    for (i = 0; i < nentries; i++)
    {
        struct entry *x = &entries[i];

        if (x->what)
        {
            if (x->close_now) nclose++;
            continue;
        }
        others[nothers++] = i;
    }
    for (i = 0; i < nothers; i++)
    {
        struct entry *x = &entries[others[i]];
        enum linger_mode m = (enum linger_mode)((i + i / 4) % LM_COUNT);
        int r = 0;

        switch (m)
        {
        case LM_OFF: break;
        case LM_ABORT: r = set_linger(x->s, 1, 0); break;
        case LM_BLOCK_1: r = set_linger(x->s, 1, 1); break;
        case LM_NONBLOCK_2: r = set_linger(x->s, 1, 2) || set_nonblocking(x->s, 1); break;
        case LM_COUNT: break;
        }
        if (r)
        {
            e = WSAGetLastError();
            printf("error=set_mode:%s(%d) entry=%d\n", wsa_name(e), e, others[i]);
            return 1;
        }
        x->what = lm_names[m];
        x->mode = m;
        x->expect = EXPECT_ZERO;
    }
    for (i = nothers - 1; i > 0; i--)
    {
        int j = lcg(&seed) % (i + 1), t = others[i];
        others[i] = others[j];
        others[j] = t;
    }
    need = pairs - nclose;
    if (need < 0) need = 0;
    if (need > nothers) need = nothers;
    for (i = 0; i < nothers; i++)
    {
        struct entry *x = &entries[others[i]];

        if (i < need)
        {
            x->close_now = 1;
            by_mode_closed[x->mode]++;
        }
        else by_mode_open[x->mode]++;
    }
    /* The slow closes (blocking, data in flight) first, so that the
     * threads, taking every CLOSE_THREADS-th entry, share them out. */
    nclose = 0;
    for (i = 0; i < nentries; i++)
        if (entries[i].close_now && entries[i].filled && entries[i].expect == EXPECT_ZERO)
            to_close[nclose++] = &entries[i];
    for (i = 0; i < nentries; i++)
        if (entries[i].close_now && !(entries[i].filled && entries[i].expect == EXPECT_ZERO))
            to_close[nclose++] = &entries[i];
    nopen = nentries - nclose;

    /* Let delayed acknowledgements of the small exchanges go out, so that
     * only the filled sockets have anything unacknowledged. */
    Sleep(500);
    t_setup = now_ms() - t0;
    printf("many sockets=%d pairs=%d filled_pairs=%d filled_bytes=%lld to_close=%d to_leave_open=%d listener=open "
           "closed_by_mode=off:%d,1_0:%d,1_1b:%d,1_2nb:%d open_by_mode=off:%d,1_0:%d,1_1b:%d,1_2nb:%d setup_ms=%.0f\n",
           nentries, pairs, filled_pairs, filled_bytes, nclose, nopen,
           by_mode_closed[0], by_mode_closed[1], by_mode_closed[2], by_mode_closed[3],
           by_mode_open[0], by_mode_open[1], by_mode_open[2], by_mode_open[3],
           t_setup);
    fflush(stdout);

    /* Close the chosen half from several threads at once. */
    go = CreateEventA(NULL, TRUE, FALSE, NULL);
    for (i = 0; i < CLOSE_THREADS; i++)
    {
        closers[i].go = go;
        closers[i].list = to_close;
        closers[i].count = nclose;
        closers[i].index = i;
        closers[i].step = CLOSE_THREADS;
        threads[i] = CreateThread(NULL, 0, closer_thread, &closers[i], 0, NULL);
        if (!threads[i])
        {
            printf("error=CreateThread:%lu\n", (unsigned long)GetLastError());
            return 1;
        }
    }
    t0 = now_ms();
    SetEvent(go);
    if (WaitForMultipleObjects(CLOSE_THREADS, threads, TRUE, 120000) != WAIT_OBJECT_0)
    {
        printf("error=closing_threads_stuck\n");
        return 1;
    }
    t_close = now_ms() - t0;
    for (i = 0; i < CLOSE_THREADS; i++) CloseHandle(threads[i]);

    for (i = 0; i < nclose; i++)
    {
        struct entry *x = to_close[i];
        int bad = 0;

        if (x->expect == EXPECT_ZERO)
            bad = x->ret != 0;
        else
        {
            bad = !(x->ret == SOCKET_ERROR && x->err == WSAEWOULDBLOCK) || !x->still_valid || x->ret2 != 0;
            if (x->ret == SOCKET_ERROR && x->err == WSAEWOULDBLOCK) wouldblock++;
        }
        if (x->filled && x->expect == EXPECT_ZERO)
        {
            if (x->ms > max_blocking_ms) max_blocking_ms = x->ms;
            if (x->ms < min_blocking_ms) min_blocking_ms = x->ms;
        }
        else if (x->ms > max_fast_ms) max_fast_ms = x->ms;
        if (bad)
        {
            errors++;
            if (errors <= 20)
                printf("unexpected pair=%d end=%s mode=%s filled=%d closesocket=%s(%d) still_valid=%d "
                       "second_close=%s(%d) ms=%.0f expected=%s\n",
                       x->pair, (x - entries) % 2 ? "accepted" : "client", x->what, x->filled,
                       x->ret ? wsa_name(x->err) : "0", x->ret ? x->err : 0, x->still_valid,
                       x->ret2 ? wsa_name(x->err2) : "0", x->ret2 ? x->err2 : 0, x->ms,
                       x->expect == EXPECT_ZERO ? "0" : "WSAEWOULDBLOCK");
        }
    }
    /* The blocking {1,1} closes of unacknowledged data wait for the timeout
     * (the reader never reads); loose bounds, the machine may be busy. */
    if (blocking_filled && (min_blocking_ms < 500 || max_blocking_ms > 10000))
    {
        errors++;
        printf("unexpected blocking_linger_ms=%.0f..%.0f expected about 1000\n", min_blocking_ms, max_blocking_ms);
    }
    /* Nothing pending (or non-blocking): returns at once, whatever the
     * linger setting.  900 ms is far above any round trip, and below the
     * shortest linger timeout used here. */
    if (max_fast_ms >= 900)
    {
        errors++;
        printf("unexpected other_close_max_ms=%.0f expected at once\n", max_fast_ms);
    }
    printf("closed=%d errors=%d wouldblock=%d blocking_linger_ms=%.0f..%.0f other_close_max_ms=%.0f "
           "close_threads=%d close_ms=%.0f\n",
           nclose, errors, wouldblock, blocking_filled ? min_blocking_ms : 0, max_blocking_ms, max_fast_ms,
           CLOSE_THREADS, t_close);
    printf("half-closed open=%d listener=1\n", nopen);
    fflush(stdout);
    /* Exit with the rest open: no closesocket, no WSACleanup. */
    ExitProcess(errors ? 1 : 0);
    return 0;
}

/* -------------------------------------------------------------- openclose */

/*
 * openclose N HOLD_MS: open N TCP sockets, then close them all (closes
 * without a linger go one-way: nothing waits for the server), print
 * "closed", and stay HOLD_MS with WSAStartup in force, so that the
 * server's counters can be read while the process is alive.
 */
static int mode_openclose(int count, int hold_ms)
{
    SOCKET *s = calloc(count, sizeof(*s));
    int i, errors = 0;
    double t0, t1, t2;

    if (!s) return 1;
    t0 = now_ms();
    for (i = 0; i < count; i++)
        if ((s[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET)
        {
            printf("error=socket:%d at %d\n", WSAGetLastError(), i);
            return 1;
        }
    t1 = now_ms();
    for (i = 0; i < count; i++)
        if (closesocket(s[i])) errors++;
    t2 = now_ms();
    printf("closed=%d errors=%d open_ms=%.0f close_ms=%.0f\n", count, errors, t1 - t0, t2 - t1);
    free(s);
    Sleep(hold_ms);
    return errors ? 1 : 0;
}

/* ------------------------------------------------------------------- main */

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: teardown linger PORT SECS PAUSE_MS\n"
            "       teardown many N\n"
            "       teardown served PORT PAUSE_MS SECS\n"
            "       teardown roundtrips PORT\n"
            "       teardown openclose N HOLD_MS\n");
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    int a, b, c, ret;

    setvbuf(stdout, NULL, _IONBF, 0);
    QueryPerformanceFrequency(&freq);
    memset(sendbuf, 'x', sizeof(sendbuf));
    if (argc < 2)
    {
        usage(stderr);
        return 2;
    }
    if ((ret = WSAStartup(MAKEWORD(2, 2), &wsa)))
    {
        printf("error=WSAStartup:%d\n", ret);
        return 1;
    }
    if (!strcmp(argv[1], "linger") && argc == 5 && !parse_int(argv[2], 1, 65535, &a) &&
        !parse_int(argv[3], 1, 65535, &b) && !parse_int(argv[4], 0, 60000, &c))
        ret = mode_linger(a, b, c);
    else if (!strcmp(argv[1], "many") && argc == 3 && !parse_int(argv[2], 2, 20000, &a))
        ret = mode_many(a);
    else if (!strcmp(argv[1], "served") && argc == 5 && !parse_int(argv[2], 1, 65535, &a) &&
             !parse_int(argv[3], 0, 60000, &b) && !parse_int(argv[4], 1, 65535, &c))
        ret = mode_served(a, b, c);
    else if (!strcmp(argv[1], "roundtrips") && argc == 3 && !parse_int(argv[2], 1, 65535, &a))
        ret = mode_roundtrips(a);
    else if (!strcmp(argv[1], "openclose") && argc == 4 && !parse_int(argv[2], 1, 20000, &a) &&
             !parse_int(argv[3], 0, 60000, &b))
        ret = mode_openclose(a, b);
    else
    {
        usage(stderr);
        ret = 2;
    }
    WSACleanup();
    return ret;
}
