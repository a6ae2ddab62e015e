/*
 * The fuzz harness: an input is what the client connections of a Wine
 * process (and of a second one) send to ws2server, fed through the
 * server's own reader (client.c: protocol_check_request, then
 * request_dispatch) with its handlers, event loop, linger engine and
 * resolver as they are.
 *
 * An input is one message, or several:
 *
 *     MESSAGE [ "@WS2" CONTROL MESSAGE ]...
 *
 * The first message goes to connection 0 as it is; each later one comes
 * after a control byte:
 *   bits 0-1  the connection (0-3) it is sent on, made when first used (and
 *             again after the server dropped it).  0 and 1 are threads of
 *             one process (one handle table), 2 a thread of another one
 *             (other.c); they say HELLO first, as the DLL does.  3 is a
 *             thread of the first process that does not (an empty message
 *             on it only opens it).
 *   bit 2     the harness fixes the header (size = the message's length,
 *             flags = 0), so that mutations reach the handlers; and a
 *             DUP_OPEN token whose first word is below 16 (the rest 0) names the offer of that number that
 *             a DUPLICATE reply gave in this input (the DLL passes tokens
 *             on; the server draws them at random).
 *   bit 3     after the message, the newest socket fd a reply passed is
 *             written to until its send queue is full (the DLL's data
 *             path), so that closes have data in flight.
 *   bits 4-7  k: when nonzero, before the message, the name lookups in
 *             flight finish and are answered, then the clock moves on by
 *             1 ms << 2(k - 1) (1 ms to three days) and the loop's timers
 *             run (linger, offers, HELLO deadlines).  An empty message with
 *             k nonzero only lets time pass.
 * After each message the replies of every connection are read (and the
 * fds they pass closed); a connection the server closed is noticed there.
 *
 * Name lookups run in the server's worker threads, as always.  The harness
 * lets them finish only where the input says time passes, and at its end:
 * a request sent while one is in flight meets the deferred reply, as in
 * the server.  The clock is the harness's own (loop_set_clock): time passes
 * only when the input says so.
 *
 * At the end of an input everything goes as when the processes exit: their
 * connections close and their pidfds fire (in either order), the clock moves
 * past every linger timeout and offer, lookups finish, and the loop runs
 * until the server is idle.  Then no socket, process, offer, lingering
 * close or lookup may be left, nor one fd or thread more than before (the
 * lookups' threads have ended, with what the C library frees as they do):
 * otherwise the harness aborts, which the fuzzer reports like a crash.
 * The other process lives on (the harness's child); its pidfd is made to
 * fire all the same.  Every request is traced (ws2server -d) into a
 * buffer, shown with WS2FUZZ_VERBOSE=1.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include "ws2proto.h"
#include "log.h"
#include "main.h"
#include "loop.h"
#include "client.h"
#include "sock.h"
#include "linger.h"
#include "duplicate.h"
#include "resolve.h"
#include "harness.h"

#define CONNECTIONS  4
#define MAX_MESSAGES 64
#define MAX_TOKENS   16
/* Longest a lookup may take (the sandbox has no DNS server to wait for). */
#define LOOKUP_LIMIT_MS 30000
/* Most bytes one fill writes. */
#define FILL_LIMIT (16 << 20)

/* What the server library takes from main.c. */
int debug_level;
static int verbose;

void server_log(const char *fmt, ...)
{
    char line[2048];
    va_list args;

    va_start(args, fmt);
    vsnprintf(line, sizeof(line), fmt, args);
    va_end(args);
    if (verbose) fprintf(stderr, "ws2server: %s", line);
}

static unsigned int count_entries(const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *entry;
    unsigned int count = 0;

    if (!dir) return 0;
    while ((entry = readdir(dir)))
        if (entry->d_name[0] != '.') count++;
    closedir(dir);
    return count;
}

unsigned int open_fd_count(void)
{
    unsigned int count = count_entries("/proc/self/fd");

    /* Not the directory's own. */
    return count ? count - 1 : 0;
}

static unsigned int thread_count(void)
{
    return count_entries("/proc/self/task");
}

struct conn
{
    struct ws2_client *client; /* NULL when not connected */
    int other;                 /* the DLL's end */
};

static struct conn conns[CONNECTIONS] = { { NULL, -1 }, { NULL, -1 }, { NULL, -1 }, { NULL, -1 } };
/* The two processes of this input's connections, once one said HELLO. */
static struct ws2_process *processes[2];
static int data_fd = -1; /* the newest fd a reply passed */
static uint32_t tokens[MAX_TOKENS][WS2_DUP_TOKEN_WORDS];
static unsigned int ntokens;
static int count_fds; /* after the warm-up */
static uint64_t fake_now = 1000000;

static uint64_t fake_clock(void)
{
    return fake_now;
}

static uint64_t real_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
    va_list args;

    fputs("fuzz harness: ", stderr);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    abort();
}

static void keep_fd(int fd)
{
    if (data_fd >= 0) close(data_fd);
    data_fd = fd;
}

/* Read what the server sent on a connection; `op` is the request just sent
 * on it (0 if none), for the tokens of DUPLICATE replies. */
static void read_replies(struct conn *conn, uint32_t op)
{
    union
    {
        struct ws2_reply_header hdr;
        struct ws2_duplicate_reply dup;
        uint8_t bytes[WS2_MAX_MESSAGE];
    } buf;
    char control[CMSG_SPACE(4 * sizeof(int))];

    while (conn->client)
    {
        struct iovec iov = { buf.bytes, sizeof(buf.bytes) };
        struct msghdr msg;
        struct cmsghdr *cm;
        ssize_t n;

        memset(&msg, 0, sizeof(msg));
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof(control);
        if ((n = recvmsg(conn->other, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) < 0)
        {
            if (errno == EAGAIN || errno == EINTR) return;
            fail("reading a reply: %s", strerror(errno));
        }
        for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
        {
            /* Wine's headers redefine CMSG_DATA: the data follows the header. */
            const unsigned char *p = (const unsigned char *)(cm + 1), *end = (const unsigned char *)cm + cm->cmsg_len;
            int fd;

            if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) continue;
            for (; p + sizeof(int) <= end; p += sizeof(int))
            {
                memcpy(&fd, p, sizeof(fd));
                keep_fd(fd);
            }
        }
        if (!n)
        {
            /* The server dropped the connection. */
            close(conn->other);
            conn->client = NULL;
            conn->other = -1;
            return;
        }
        if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) fail("a reply longer than %d bytes", WS2_MAX_MESSAGE);
        if ((size_t)n < sizeof(buf.hdr) || buf.hdr.size != n)
            fail("a reply of %zd bytes says it has %u", n, buf.hdr.size);
        if (op == WS2_OP_DUPLICATE && n == sizeof(buf.dup) && !buf.hdr.status && ntokens < MAX_TOKENS)
            memcpy(tokens[ntokens++], buf.dup.token, sizeof(buf.dup.token));
        op = 0;
    }
}

static void read_all_replies(void)
{
    unsigned int i;

    for (i = 0; i < CONNECTIONS; i++) read_replies(&conns[i], 0);
}

/* The server reads a message as its loop would have it (client_readable). */
static void deliver(struct conn *conn, const void *msg, size_t len)
{
    uint32_t op = 0;
    ssize_t n = send(conn->other, msg, len, MSG_NOSIGNAL | MSG_DONTWAIT);

    if (n < 0 && errno == EMSGSIZE) return;
    if (n != (ssize_t)len) fail("sending a message of %zu bytes: %s", len, strerror(errno));
    if (len >= sizeof(op)) memcpy(&op, msg, sizeof(op));
    conn->client->w.cb(&conn->client->w, EPOLLIN);
    /* The client may be gone now: read_replies notices. */
    read_replies(conn, op);
    read_all_replies();
    if (conn->client && conn->client->process)
    {
        struct ws2_process **p = &processes[conn - conns == FUZZ_OTHER];

        if (*p && conn->client->process != *p) fail("two client processes for one pid");
        *p = conn->client->process;
        /* Without its pidfd the process could not be made to exit below. */
        if ((*p)->pidfd.fd < 0) fail("no pidfd for a client process");
    }
}

static struct conn *connection(unsigned int index)
{
    struct conn *conn = &conns[index];
    struct ws2_hello_request hello;
    int fds[2];

    if (conn->client) return conn;
    if (index == FUZZ_OTHER ? other_socketpair(fds) < 0
                            : socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) < 0)
        fail("socketpair: %s", strerror(errno));
    if (!(conn->client = client_create(fds[0]))) fail("client_create failed");
    conn->other = fds[1];
    if (index == FUZZ_NO_HELLO) return conn;
    memset(&hello, 0, sizeof(hello));
    hello.hdr.op = WS2_OP_HELLO;
    hello.hdr.size = sizeof(hello);
    hello.version = WS2_PROTOCOL_VERSION;
    hello.win_pid = index == FUZZ_OTHER ? FUZZ_OTHER_WIN_PID : FUZZ_WIN_PID;
    deliver(conn, &hello, sizeof(hello));
    /* Refused when the input had connection 3 of the same process say
     * HELLO first with another Windows pid: the server is right to. */
    return conn->client ? conn : NULL;
}

/* Wait for the lookups in flight; their replies go out through the loop. */
static void finish_lookups(void)
{
    uint64_t start = real_ms();

    while (resolve_count())
    {
        if (loop_turn(100) < 0) fail("epoll: %s", strerror(errno));
        if (real_ms() - start > LOOKUP_LIMIT_MS) fail("a lookup did not finish within %d ms", LOOKUP_LIMIT_MS);
    }
    read_all_replies();
}

static void let_time_pass(unsigned int k)
{
    finish_lookups();
    fake_now += (uint64_t)1 << (2 * (k - 1));
    if (loop_turn(0) < 0) fail("epoll: %s", strerror(errno));
    read_all_replies();
}

/* The DLL writes to its fd copy while the peer does not read. */
static void fill_send_queue(int fd)
{
    static const char block[16384];
    size_t total = 0;
    ssize_t n;

    while (total < FILL_LIMIT && (n = send(fd, block, sizeof(block), MSG_DONTWAIT | MSG_NOSIGNAL)) > 0) total += n;
}

static void step(uint8_t ctl, const uint8_t *data, size_t len)
{
    static union
    {
        struct ws2_req_header hdr;
        struct ws2_dup_open_request dup_open;
        uint8_t bytes[2 * WS2_MAX_MESSAGE];
    } msg;
    unsigned int k = ctl >> FUZZ_TIME_SHIFT, index = ctl & FUZZ_CONN_MASK;
    struct conn *conn;

    if (k) let_time_pass(k);
    if (!len && (k || index == FUZZ_NO_HELLO))
    {
        if (!k) connection(index);
        return;
    }
    if (!(conn = connection(index))) return;
    if (len > sizeof(msg.bytes)) len = sizeof(msg.bytes);
    memcpy(msg.bytes, data, len);
    if ((ctl & FUZZ_FIX_HEADER) && len >= sizeof(msg.hdr))
    {
        msg.hdr.size = len;
        msg.hdr.flags = 0;
        /* A token's first word below 16 (the rest zero) names an offer of this input. */
        if (msg.hdr.op == WS2_OP_DUP_OPEN && len >= sizeof(msg.dup_open) && msg.dup_open.token[0] < MAX_TOKENS &&
            !msg.dup_open.token[1] && !msg.dup_open.token[2] && !msg.dup_open.token[3] && ntokens)
            memcpy(msg.dup_open.token, tokens[msg.dup_open.token[0] % ntokens], sizeof(msg.dup_open.token));
    }
    deliver(conn, msg.bytes, len);
    if ((ctl & FUZZ_FILL) && data_fd >= 0) fill_send_queue(data_fd);
}

static void list_fds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *entry;
    char path[300], target[256];
    ssize_t n;

    if (!dir) return;
    while ((entry = readdir(dir)))
    {
        if (entry->d_name[0] == '.') continue;
        snprintf(path, sizeof(path), "/proc/self/fd/%s", entry->d_name);
        if ((n = readlink(path, target, sizeof(target) - 1)) < 0) n = 0;
        target[n] = 0;
        fprintf(stderr, "  fd %s -> %s\n", entry->d_name, target);
    }
    closedir(dir);
}

/* The processes exit (their pidfds fire). */
static void processes_exit(void)
{
    unsigned int i;

    for (i = 0; i < 2; i++)
        if (processes[i]) processes[i]->pidfd.cb(&processes[i]->pidfd, EPOLLIN);
    processes[0] = processes[1] = NULL;
}

/* The processes exit; then nothing of them may be left in the server, and
 * `fds_before` fds are open (0: not checked), `threads_before` threads. */
static void teardown(int pidfd_first, unsigned int fds_before, unsigned int threads_before)
{
    uint64_t start;
    unsigned int i, fds, threads;

    keep_fd(-1);
    if (pidfd_first) processes_exit();
    for (i = 0; i < CONNECTIONS; i++)
    {
        struct conn *conn = &conns[i];

        if (!conn->client) continue;
        close(conn->other);
        conn->client->w.cb(&conn->client->w, EPOLLHUP);
        conn->client = NULL;
        conn->other = -1;
    }
    if (!pidfd_first) processes_exit();
    ntokens = 0;
    finish_lookups();
    start = real_ms();
    while (process_count() || linger_count() || dup_count() || resolve_count())
    {
        /* Past the longest linger timeout (65,535 s) and every offer's life;
         * again for a socket that an expired offer left draining. */
        fake_now += 4ull * 24 * 3600 * 1000;
        if (loop_turn(10) < 0) fail("epoll: %s", strerror(errno));
        if (real_ms() - start > LOOKUP_LIMIT_MS)
            fail("the server is not idle after the process exited: %u processes, %u lingering, %u offers, "
                 "%u lookups",
                 process_count(), linger_count(), dup_count(), resolve_count());
    }
    if (sock_count()) fail("%u sockets left after the process exited", sock_count());
    /* A lookup's worker thread may still be on its way out, with what the C
     * library frees at thread exit (its resolver state) not yet freed. */
    for (start = real_ms(); (threads = thread_count()) > threads_before && real_ms() - start < 2000;) usleep(1000);
    if (threads > threads_before) fail("%u threads after the input, %u before", threads, threads_before);
    if (!fds_before) return;
    for (start = real_ms(); (fds = open_fd_count()) != fds_before && real_ms() - start < 2000;) usleep(1000);
    if (fds != fds_before)
    {
        fprintf(stderr, "fuzz harness: %u fds open after the input, %u before:\n", fds, fds_before);
        list_fds();
        fail("fd count changed");
    }
}

void fuzz_one(const uint8_t *data, size_t size)
{
    const uint8_t *end = data + size, *next;
    /* Counted per input: between inputs libFuzzer may open some (its symbolizer). */
    unsigned int count = 0, fds_before = count_fds ? open_fd_count() : 0, threads_before = thread_count();
    uint8_t ctl = 0;

    for (;;)
    {
        next = memmem(data, end - data, FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN);
        if (count || next != data) step(ctl, data, (next ? next : end) - data);
        if (!next || ++count >= MAX_MESSAGES) break;
        data = next + FUZZ_SEPARATOR_LEN;
        ctl = data < end ? *data++ : 0;
    }
    teardown(size & 1, fds_before, threads_before);
}

static void warm_up(const char *name, const uint8_t *data, size_t size, void *ctx)
{
    (void)name;
    (void)ctx;
    fuzz_one(data, size);
}

void fuzz_setup(int need_sandbox)
{
    const char *env = getenv("WS2FUZZ_VERBOSE");

    if (sandbox_enter() < 0)
    {
        if (need_sandbox) exit(1);
        fprintf(stderr, "fuzz: using the machine's network\n");
    }
    if (other_start() < 0) fail("cannot start the other process: %s", strerror(errno));
    if (loop_init() < 0) fail("epoll: %s", strerror(errno));
    loop_set_clock(fake_clock);
    debug_level = 1;
    /* What the server and the C library open once and keep (the resolver's
     * eventfd...) is opened here, before fds are counted. */
    fuzz_seeds(warm_up, NULL);
    count_fds = 1;
    verbose = env && *env == '1';
}
